"""The review editor's actions, applied by :func:`workbench.review_actions.perform` to a real project on disk.

The project is the seed article and its German translation linked as the gold file says (no model needed):
26 links, link 7 (index 6) a 1-2, link 15 (index 14) a 2-1. Every test checks what was saved by reopening the
project, and what the reviewer is told: the message, its kind, and the link the editor is on afterwards.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.alignment.beads import read_beads
from workbench.documents import load_document
from workbench.errors import ConflictError, InputError, WorkbenchError
from workbench.projects import (
    AUTO,
    CONFIRMED,
    FLAGGED,
    MANUAL,
    SOURCE,
    EditError,
    Project,
    add_target,
    confirm,
    create_project,
    open_project,
)
from workbench.review_actions import OPERATIONS, Outcome, perform

DATA = Path(__file__).parent / "data"
GOLD = read_beads((DATA / "kosovo-dialogue.en-de.align").read_text().splitlines())
N_LINKS = 26


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = create_project("kd", load_document("kosovo-dialogue"), tmp_path / "alignments")
    add_target(p, load_document("kosovo-dialogue.de"), "de", beads=GOLD)
    assert len(p.target("de").links) == N_LINKS
    return p


def saved(project: Project) -> Project:
    return open_project(project.name, project.path.parent.parent)


def ids(project: Project) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(link.src, link.tgt) for link in project.target("de").links]


def unchanged(project: Project, before: list, revision: int) -> None:
    """Nothing was saved: same links and revision in memory and on disk."""
    again = saved(project)
    assert ids(project) == ids(again) == before
    assert project.revision == again.revision == revision


# --------------------------------------------------------------------------------------------- sentences


def test_edit_saves_the_text_and_says_when_nothing_changed(project: Project) -> None:
    out = perform(project, "de", {"op": "edit", "index": 0, "side": "de", "sid": "p1s1", "text": " Neuer Text. "})
    assert out == Outcome("Saved the new text of de sentence p1s1.", 0, "success")
    assert saved(project).target("de").side.sentence("p1s1").text == "Neuer Text."
    revision = project.revision
    out = perform(project, "de", {"op": "edit", "index": 0, "side": "de", "sid": "p1s1", "text": "Neuer Text."})
    assert (out.kind, out.index) == ("info", 0) and "unchanged" in out.message
    assert saved(project).revision == revision


def test_edit_with_line_breaks_splits_the_sentence_in_its_link(project: Project) -> None:
    before = ids(project)
    text = "Recently, tensions rose.\r\nThe Council met.\n\nIt talked."  # a blank line adds no empty sentence
    out = perform(project, "de", {"op": "edit", "index": 0, "side": SOURCE, "sid": "p1s1", "text": text})
    assert out == Outcome("Saved source sentence p1s1, split in 3.", 0, "success")
    again = saved(project)
    assert again.source.ids()[:4] == ["p1s1", "p1s1.2", "p1s1.3", "p1s2"]  # the new ids are new; none renumbered
    assert again.source.texts()[:3] == ["Recently, tensions rose.", "The Council met.", "It talked."]
    assert again.source.sentence("p1s1.2").paragraph == again.source.sentence("p1s1").paragraph
    assert ids(again)[0] == (("p1s1", "p1s1.2", "p1s1.3"), ("p1s1",))  # all three in the one link
    assert ids(again)[1:] == before[1:]


def test_edit_with_two_lines_on_the_target_side(project: Project) -> None:
    out = perform(project, "de", {"op": "edit", "index": 6, "side": "de", "sid": "p3s4", "text": "Erstens.\nZweitens."})
    assert out.index == 6 and "split in 2" in out.message
    target = saved(project).target("de")
    assert [target.side.sentence(i).text for i in ("p3s4", "p3s4.2")] == ["Erstens.", "Zweitens."]
    assert target.links[6].tgt == ("p3s3", "p3s4", "p3s4.2")


@pytest.mark.parametrize("text", ["", "   ", "\n \r\n"])
def test_an_empty_text_is_refused_and_nothing_changes(project: Project, text: str) -> None:
    before, revision, old = ids(project), project.revision, project.source.sentence("p2s1").text
    with pytest.raises(InputError, match="cannot be empty"):
        perform(project, "de", {"op": "edit", "index": 2, "side": SOURCE, "sid": "p2s1", "text": text})
    unchanged(project, before, revision)
    assert saved(project).source.sentence("p2s1").text == old


def test_edit_refuses_a_side_of_another_target(project: Project) -> None:
    before, revision = ids(project), project.revision
    with pytest.raises(InputError, match="cannot edit side 'fr'"):
        perform(project, "de", {"op": "edit", "index": 0, "side": "fr", "sid": "p1s1", "text": "Bonjour."})
    unchanged(project, before, revision)


def test_join_a_sentence_with_the_next_merges_their_links(project: Project) -> None:
    first, second = (project.source.sentence(i).text for i in ("p1s1", "p1s2"))
    out = perform(project, "de", {"op": "join", "index": 1, "side": SOURCE, "sid": "p1s1"})
    assert out == Outcome("Joined p1s1 with p1s2.", 0, "success")  # on the link that now holds both
    again = saved(project)
    assert again.source.sentence("p1s1").text == f"{first} {second}"
    assert ids(again)[0] == (("p1s1",), ("p1s1", "p1s2")) and len(again.target("de").links) == N_LINKS - 1

    out = perform(project, "de", {"op": "join", "index": 5, "side": "de", "sid": "p3s3"})  # within link 6 (1-2)
    assert out == Outcome("Joined p3s3 with p3s4.", 5, "success")
    assert saved(project).target("de").links[5].tgt == ("p3s3",)  # link 7 is index 5 after the merge above


def test_join_at_the_end_or_across_a_paragraph_changes_nothing(project: Project) -> None:
    before, revision = ids(project), project.revision
    last = project.source.sentences[-1].id
    out = perform(project, "de", {"op": "join", "index": N_LINKS - 1, "side": SOURCE, "sid": last})
    assert out == Outcome(f"{last} is the last sentence: there is none after it to join.", N_LINKS - 1, "error")
    with pytest.raises(EditError, match="different paragraphs"):
        perform(project, "de", {"op": "join", "index": 1, "side": SOURCE, "sid": "p1s2"})
    unchanged(project, before, revision)


# --------------------------------------------------------------------------------------------- status


def test_confirm_then_confirm_again_then_unconfirm(project: Project) -> None:
    out = perform(project, "de", {"op": "confirm", "index": 2})
    assert out == Outcome("Link 3 approved.", 2, "success")
    assert saved(project).target("de").links[2].status == CONFIRMED
    revision = project.revision
    assert perform(project, "de", {"op": "confirm", "index": 2}) == Outcome("Link 3 was already approved.", 2)
    assert saved(project).revision == revision  # nothing saved the second time

    assert perform(project, "de", {"op": "unconfirm", "index": 2}) == Outcome("Link 3 is to review again.", 2)
    assert saved(project).target("de").links[2].status == AUTO
    assert perform(project, "de", {"op": "unconfirm", "index": 2}) == Outcome("Link 3 is not approved.", 2)


def test_flag_with_a_note_and_without(project: Project) -> None:
    out = perform(project, "de", {"op": "flag", "index": 4, "note": "  check the date "})
    assert out == Outcome("Link 5 flagged: check the date", 4, "info")
    link = saved(project).target("de").links[4]
    assert (link.status, link.note) == (FLAGGED, "check the date")
    assert perform(project, "de", {"op": "flag", "index": 7}) == Outcome("Link 8 flagged.", 7, "info")
    assert saved(project).target("de").links[7].status == FLAGGED


# --------------------------------------------------------------------------------------------- links


def test_merge_with_next_and_with_previous(project: Project) -> None:
    before = ids(project)
    out = perform(project, "de", {"op": "merge", "index": 4, "other": 5})
    assert out.index == 4 and out.kind == "success"
    assert out.message.startswith("Links 5 and 6 merged into link 5 (2-2), made by hand")
    link = saved(project).target("de").links[4]
    assert (link.src, link.tgt) == (before[4][0] + before[5][0], before[4][1] + before[5][1])
    assert (link.status, link.confidence) == (MANUAL, None)

    out = perform(project, "de", {"op": "merge", "index": 3, "other": 2})  # with the previous: on the merged link
    assert out.index == 2 and out.message.startswith("Links 3 and 4 merged into link 3 (2-2)")
    assert ids(saved(project))[2] == (before[2][0] + before[3][0], before[2][1] + before[3][1])
    assert len(saved(project).target("de").links) == N_LINKS - 2


def test_merge_past_either_end_is_an_error_and_changes_nothing(project: Project) -> None:
    before, revision = ids(project), project.revision
    out = perform(project, "de", {"op": "merge", "index": 0, "other": -1})
    assert out == Outcome("Link 1 is the first: there is no link to merge it with.", 0, "error")
    out = perform(project, "de", {"op": "merge", "index": N_LINKS - 1, "other": N_LINKS})
    assert out == Outcome(f"Link {N_LINKS} is the last: there is no link to merge it with.", N_LINKS - 1, "error")
    with pytest.raises(EditError, match="not neighbours"):
        perform(project, "de", {"op": "merge", "index": 3, "other": 7})
    with pytest.raises(InputError, match="other"):
        perform(project, "de", {"op": "merge", "index": 3})
    unchanged(project, before, revision)


def test_split_a_two_two_link_in_two(project: Project) -> None:
    before = ids(project)
    perform(project, "de", {"op": "merge", "index": 0, "other": 1})
    assert saved(project).target("de").links[0].kind == "2-2"
    out = perform(project, "de", {"op": "split", "index": 0, "source_at": 1, "target_at": 1})
    assert out.index == 0 and out.message.startswith("Link 1 split into 1-1 and 1-1 (links 1 and 2)")
    links = saved(project).target("de").links
    assert ids(saved(project)) == before
    assert [(x.status, x.confidence) for x in links[:2]] == [(MANUAL, None)] * 2
    with pytest.raises(EditError, match="no boundary inside it"):
        perform(project, "de", {"op": "split", "index": 0, "source_at": 1, "target_at": 1})


def test_move_a_sentence_to_the_next_link_and_back(project: Project) -> None:
    before = ids(project)  # link 7 (index 6) is p3s3 -> p3s3 p3s4; link 8 is p3s4 -> p3s5
    out = perform(project, "de", {"op": "move", "index": 6, "which": "target", "direction": "next"})
    assert out == Outcome("Moved: move target sentence p3s4 from link 7 to link 8 of de.", 6)
    after = ids(saved(project))
    assert after[6:8] == [(("p3s3",), ("p3s3",)), (("p3s4",), ("p3s4", "p3s5"))]
    assert [link.status for link in saved(project).target("de").links[6:8]] == [MANUAL, MANUAL]

    out = perform(project, "de", {"op": "move", "index": 7, "which": "target", "direction": "previous"})
    assert out == Outcome("Moved: move target sentence p3s4 from link 8 to link 7 of de.", 7)
    assert ids(saved(project)) == before


def test_move_that_empties_a_link_lands_on_the_link_that_got_the_sentence(project: Project) -> None:
    perform(project, "de", {"op": "unlink", "index": 3})  # link 4 -> a 1-0 (index 3) and a 0-1 (index 4)
    assert [x.kind for x in saved(project).target("de").links[3:5]] == ["1-0", "0-1"]
    out = perform(project, "de", {"op": "move", "index": 4, "which": "target", "direction": "previous"})
    assert out.index == 3 and out.message == "Moved: move target sentence p2s2 from link 5 to link 4 of de."
    assert saved(project).target("de").links[3].kind == "1-1" and len(saved(project).target("de").links) == N_LINKS

    perform(project, "de", {"op": "unlink", "index": 3})
    out = perform(project, "de", {"op": "move", "index": 3, "which": "source", "direction": "next"})
    assert out.index == 3  # the 1-0 is gone: the next link took its place, and its sentence
    assert saved(project).target("de").links[3].kind == "1-1" and len(saved(project).target("de").links) == N_LINKS


def test_move_out_of_the_first_link_is_refused(project: Project) -> None:
    before, revision = ids(project), project.revision
    with pytest.raises(EditError, match="link 1 of de is the first"):
        perform(project, "de", {"op": "move", "index": 0, "which": "source", "direction": "previous"})
    with pytest.raises(EditError, match="which must be"):
        perform(project, "de", {"op": "move", "index": 2, "direction": "next"})
    unchanged(project, before, revision)


def test_unlink_leaves_every_sentence_alone(project: Project) -> None:
    out = perform(project, "de", {"op": "unlink", "index": 6})
    assert out == Outcome("Link 7 unlinked: its 3 sentences stand alone (links 7-9).", 6)
    links = saved(project).target("de").links
    assert [(x.src, x.tgt, x.status) for x in links[6:9]] == [
        (("p3s3",), (), MANUAL),
        ((), ("p3s3",), MANUAL),
        ((), ("p3s4",), MANUAL),
    ]
    with pytest.raises(EditError, match="links nothing already"):
        perform(project, "de", {"op": "unlink", "index": 6})


@pytest.mark.parametrize("op", ["unlink", "confirm", "flag", "split", "move"])
def test_a_link_out_of_range_is_an_error_not_a_crash(project: Project, op: str) -> None:
    before, revision = ids(project), project.revision
    action = {"op": op, "index": N_LINKS, "source_at": 1, "target_at": 1, "which": "source", "direction": "next"}
    with pytest.raises(WorkbenchError, match=f"no link {N_LINKS + 1}"):
        perform(project, "de", action)
    unchanged(project, before, revision)


# --------------------------------------------------------------------------------------------- history


def test_undo_and_redo_say_what_and_keep_the_index_inside_the_links(project: Project) -> None:
    before = ids(project)
    perform(project, "de", {"op": "unlink", "index": 6})  # 28 links now
    out = perform(project, "de", {"op": "undo", "index": N_LINKS + 1})  # on the last link, which is gone again
    assert out == Outcome("Undone: unlink link 7 of de (1-2): its 3 sentences left unlinked.", N_LINKS - 1)
    assert ids(saved(project)) == before
    out = perform(project, "de", {"op": "redo", "index": N_LINKS - 1})
    assert out == Outcome("Redone: unlink link 7 of de (1-2): its 3 sentences left unlinked.", N_LINKS - 1)
    assert len(saved(project).target("de").links) == N_LINKS + 2
    assert perform(project, "de", {"op": "undo", "index": -3}).index == 0
    assert perform(project, "de", {"op": "redo", "index": N_LINKS + 5}).index == N_LINKS + 1
    with pytest.raises(EditError):
        perform(project, "de", {"op": "redo", "index": 0})  # everything undone was redone


def test_undo_that_removes_the_target_still_answers(project: Project) -> None:
    second = add_target(project, load_document("kosovo-dialogue.de"), "de-2", beads=GOLD)
    out = perform(project, "de-2", {"op": "undo", "index": 5})
    assert out.message.startswith("Undone: add target") and out.index == 0
    assert list(saved(project).targets) == ["de"] and second.key == "de-2"


def test_nothing_to_redo_is_an_edit_error(project: Project) -> None:
    before, revision = ids(project), project.revision
    with pytest.raises(EditError):
        perform(project, "de", {"op": "redo", "index": 0})
    unchanged(project, before, revision)


# --------------------------------------------------------------------------------------------- bad actions


def test_an_unknown_op_is_refused(project: Project) -> None:
    before, revision = ids(project), project.revision
    for op in ("explode", None, "reload", "open"):  # reload and open are the page's, not perform's
        with pytest.raises(InputError, match="unknown action") as caught:
            perform(project, "de", {"op": op, "index": 0})
        assert all(name in str(caught.value) for name in OPERATIONS)
    unchanged(project, before, revision)


@pytest.mark.parametrize("index", ["4", None, True, 4.5, [4]])
def test_a_malformed_index_is_refused(project: Project, index: object) -> None:
    before, revision = ids(project), project.revision
    with pytest.raises(InputError, match="whole number"):
        perform(project, "de", {"op": "confirm", "index": index})
    unchanged(project, before, revision)


def test_an_action_on_a_stale_project_is_a_conflict_and_overwrites_nothing(project: Project) -> None:
    other = saved(project)  # another tab or process
    confirm(other, "de", 5)
    with pytest.raises(ConflictError):
        perform(project, "de", {"op": "flag", "index": 0, "note": "late"})
    links = saved(project).target("de").links
    assert (links[0].status, links[5].status) == (AUTO, CONFIRMED)


# --------------------------------------------------------------------------------------------- numbering


LINK_NUMBERS = re.compile(r"\b[Ll]inks? (\d+)(?:(?: and |-)(\d+))?")


def test_every_message_numbers_links_from_one(project: Project) -> None:
    """Actions on the first link (index 0): a message that counted from 0 would name a link 0."""
    actions = [
        {"op": "confirm"},
        {"op": "confirm"},
        {"op": "unconfirm"},
        {"op": "unconfirm"},
        {"op": "flag", "note": "x"},
        {"op": "merge", "other": -1},
        {"op": "merge", "other": 1},
        {"op": "split", "source_at": 1, "target_at": 1},
        {"op": "unlink"},
        {"op": "undo"},
        {"op": "redo"},
        {"op": "move", "which": "source", "direction": "next"},
    ]
    for action in actions:
        out = perform(project, "de", {"index": 0, **action})
        numbers = [int(n) for pair in LINK_NUMBERS.findall(out.message) for n in pair if n]
        assert numbers and numbers[0] == 1 and 0 not in numbers, (action, out.message)
    with pytest.raises(EditError, match="link 1 of de is the first"):  # the library's own messages too
        perform(project, "de", {"op": "move", "index": 0, "which": "source", "direction": "previous"})


def test_approve_sure_approves_only_confident_links_to_review_in_one_undoable_edit(tmp_path: Path) -> None:
    from dataclasses import replace as with_

    from workbench.review import SURE_CONFIDENCE

    beads = [with_(b, confidence=SURE_CONFIDENCE if k % 3 == 0 else 0.98) for k, b in enumerate(GOLD)]
    p = create_project("sure", load_document("kosovo-dialogue"), tmp_path / "alignments")
    add_target(p, load_document("kosovo-dialogue.de"), "de", beads=beads)
    confirm(p, "de", 3)  # already approved: not counted again
    outcome = perform(p, "de", {"op": "approve_sure", "index": 5})
    sure = [k for k in range(N_LINKS) if k % 3 == 0]
    assert outcome.index == 5 and outcome.message.startswith(f"{len(sure) - 1} links with a confidence of 0.99")
    statuses = [link.status for link in saved(p).target("de").links]
    assert [k for k, s in enumerate(statuses) if s == CONFIRMED] == sure
    assert perform(p, "de", {"op": "approve_sure"}).kind == "info"  # nothing left to approve
    perform(p, "de", {"op": "undo"})
    statuses = [link.status for link in saved(p).target("de").links]
    assert [k for k, s in enumerate(statuses) if s == CONFIRMED] == [3]
