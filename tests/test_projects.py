"""Projects as the app and the command line use them: real SQLite files in a temporary alignments folder.

Most tests start from the seed article and its German translation linked by the gold alignment (no model
needed); the ones about realigning and re-embedding use the real e5 embedder from ``conftest.py``.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.alignment import AlignParams
from workbench.alignment.beads import Bead, read_beads
from workbench.documents import Document, document_from_text, load_document
from workbench.errors import ConflictError, WorkbenchError
from workbench.formats import corpus_to_bytes, read_corpus
from workbench.formats.units import ParallelCorpus, TranslationUnit
from workbench.projects import (
    AUTO,
    CONFIRMED,
    FLAGGED,
    MANUAL,
    SOURCE,
    TO_REVIEW,
    CorpusError,
    CorruptProjectError,
    EditError,
    Project,
    ProjectExistsError,
    ProjectNameError,
    SchemaVersionError,
    add_target,
    add_target_from_corpus,
    confirm,
    create_project,
    delete_project,
    edit_sentence,
    flag,
    join_sentences,
    list_projects,
    merge_links,
    move_sentence,
    open_project,
    project_from_corpus,
    project_to_corpus,
    project_to_multilingual,
    realign,
    redo,
    remove_target,
    source_spans,
    split_link,
    split_sentence,
    unconfirm,
    undo,
    unlink,
)
from workbench.projects.store import PROJECT_FILE, SCHEMA_VERSION
from workbench.workflows.export import export_project, save_export

DATA = Path(__file__).parent / "data"
GOLD = read_beads((DATA / "kosovo-dialogue.en-de.align").read_text().splitlines())


@pytest.fixture(scope="module")
def en() -> Document:
    return load_document("kosovo-dialogue")


@pytest.fixture(scope="module")
def de() -> Document:
    return load_document("kosovo-dialogue.de")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "alignments"


@pytest.fixture
def project(root: Path, en: Document, de: Document) -> Project:
    """The seed and its German translation, linked as the gold file says: 26 links, three of them 1-2 or 2-1."""
    p = create_project("kd", en, root)
    add_target(p, de, None, beads=GOLD)
    return p


def state(project: Project) -> tuple:
    return copy.deepcopy((project.source, project.targets))


def reloaded(project: Project) -> Project:
    return open_project(project.name, project.path.parent.parent)


def ids(project: Project, key: str = "de") -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(link.src, link.tgt) for link in project.target(key).links]


def gold_ids(en: Document, de: Document, beads: list[Bead] = GOLD) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    s, t = [x.id for x in en.sentences], [x.id for x in de.sentences]
    return [(tuple(s[i] for i in b.src), tuple(t[j] for j in b.tgt)) for b in beads]


# --------------------------------------------------------------------------------------------- creating, reopening


def test_create_and_reopen_keeps_sentences_paragraphs_metadata_and_links(project: Project, en: Document) -> None:
    again = reloaded(project)
    assert again.source.ids() == [s.id for s in en.sentences] and again.source.texts() == en.sentence_texts()
    assert [len(p) for p in again.source.paragraphs()] == [len(p.sentences) for p in en.paragraphs]
    assert again.source.title == en.title and again.source.metadata["author"] == "Dong Yifan"
    assert (again.source.lang, again.target("de").lang) == ("en", "de")
    assert again.targets == project.targets and again.target("de").links[6].kind == "1-2"
    assert again.revision == 1 and [h.op for h in again.history] == ["add_target"]
    with pytest.raises(ProjectExistsError):
        create_project("kd", en, project.path.parent.parent)


def test_second_translation_in_one_language_gets_its_own_key(project: Project, de: Document) -> None:
    second = add_target(project, de, None, beads=GOLD)
    assert second.key == "de-2" and list(project.targets) == ["de", "de-2"]
    with pytest.raises(ProjectExistsError):
        add_target(project, de, "de", beads=GOLD)
    remove_target(project, "de-2")
    assert list(reloaded(project).targets) == ["de"]
    undo(project)
    assert list(reloaded(project).targets) == ["de", "de-2"]


# --------------------------------------------------------------------------------------------- sentence edits


def test_edit_source_sentence_changes_text_not_links_in_every_target(project: Project, de: Document) -> None:
    add_target(project, de, "de-2", beads=GOLD)
    before = state(project)
    old_text = project.source.sentence("p2s1").text
    edit_sentence(project, SOURCE, "p2s1", "  The Kosovo question is an old problem.  ")
    assert project.source.sentence("p2s1").text == "The Kosovo question is an old problem."
    for key in ("de", "de-2"):
        assert ids(project, key) == [(x.src, x.tgt) for x in before[1][key].links]
        k = project.target(key).link_of(SOURCE, "p2s1")
        assert project.target(key).links[k].changed >= before[1][key].links[k].changed
    assert edit_sentence(project, SOURCE, "p2s1", "The Kosovo question is an old problem.") is None  # no change
    assert reloaded(project).source.sentence("p2s1").text.startswith("The Kosovo question")
    undo(project)
    assert project.source.sentence("p2s1").text == old_text and state(project) == before
    redo(project)
    assert reloaded(project).source.sentence("p2s1").text == "The Kosovo question is an old problem."


def test_split_source_sentence_puts_both_halves_in_its_links_in_every_target(project: Project, de: Document) -> None:
    add_target(project, de, "de-2", beads=GOLD)
    before = state(project)
    text = project.source.sentence("p2s1").text
    at = text.index(",") + 1
    split_sentence(project, SOURCE, "p2s1", at)
    assert project.source.ids()[2:5] == ["p2s1", "p2s1.2", "p2s2"]  # a new id; nothing renumbered
    assert project.source.sentence("p2s1").text == text[:at] and project.source.sentence("p2s1.2").paragraph == 1
    for key in ("de", "de-2"):
        assert project.target(key).links[2].src == ("p2s1", "p2s1.2")
        assert project.target(key).links[2].tgt == ("p2s1",)
    split_sentence(project, SOURCE, "p2s1", 5)
    assert project.source.ids()[2:6] == ["p2s1", "p2s1.3", "p2s1.2", "p2s2"]  # ids stay unique
    assert reloaded(project).targets == project.targets
    undo(project)
    undo(project)
    assert state(project) == before and state(reloaded(project)) == before
    redo(project)
    assert project.target("de").links[2].src == ("p2s1", "p2s1.2")


def test_join_source_sentences_merges_their_links_where_a_target_keeps_them_apart(
    project: Project, en: Document, de: Document
) -> None:
    # de keeps p1s1 and p1s2 in two links; "de-2" has them in one 2-2 link.
    together = [Bead((0, 1), (0, 1)), *GOLD[2:]]
    add_target(project, de, "de-2", beads=together)
    confirm(project, "de", 0)
    flag(project, "de", 1, "check the date")
    before = state(project)
    first, second = (project.source.sentence(i).text for i in ("p1s1", "p1s2"))
    join_sentences(project, SOURCE, "p1s2", "p1s1")  # either order names the same two neighbours
    assert project.source.ids()[:2] == ["p1s1", "p2s1"]
    assert project.source.sentence("p1s1").text == f"{first} {second}"
    merged = project.target("de").links[0]
    assert (merged.src, merged.tgt) == (("p1s1",), ("p1s1", "p1s2")) and len(project.target("de").links) == 25
    assert merged.status == FLAGGED and merged.note == "check the date"  # a flag is never lost
    kept = project.target("de-2").links[0]
    assert (kept.src, kept.tgt) == (("p1s1",), ("p1s1", "p1s2")) and len(project.target("de-2").links) == 25
    assert reloaded(project).targets == project.targets
    undo(project)
    assert state(project) == before and state(reloaded(project)) == before


def test_join_target_sentences_and_split_them_again(project: Project) -> None:
    before = state(project)
    left, right = (project.target("de").side.sentence(i).text for i in ("p3s3", "p3s4"))
    join_sentences(project, "de", "p3s3", "p3s4")
    link = project.target("de").links[6]
    assert (link.src, link.tgt) == (("p3s3",), ("p3s3",)) and project.source.ids() == before[0].ids()
    assert project.target("de").side.sentence("p3s3").text == f"{left} {right}"
    split_sentence(project, "de", "p3s3", len(left) + 1)
    assert project.target("de").links[6].tgt == ("p3s3", "p3s3.2")
    assert [s.text for s in project.target("de").side.sentences[6:8]] == [left, right]
    undo(project)
    undo(project)
    assert state(project) == before


# --------------------------------------------------------------------------------------------- link edits


def test_merge_links_then_undo_and_redo(project: Project) -> None:
    before = state(project)
    merge_links(project, "de", 1, 0)
    link = project.target("de").links[0]
    assert (link.src, link.tgt) == (("p1s1", "p1s2"), ("p1s1", "p1s2"))
    assert (link.status, link.confidence, len(project.target("de").links)) == (MANUAL, None, 25)
    after = state(project)
    undo(project)
    assert state(project) == before and state(reloaded(project)) == before
    redo(project)
    assert state(project) == after and state(reloaded(project)) == after


def test_split_link_at_a_boundary_inside_it(project: Project) -> None:
    before = state(project)
    split_link(project, "de", 6, 1, 1)  # [p3s3]:[p3s3 p3s4] -> [p3s3]:[p3s3] + []:[p3s4]
    assert ids(project)[6:8] == [(("p3s3",), ("p3s3",)), ((), ("p3s4",))]
    assert [(x.status, x.confidence) for x in project.target("de").links[6:8]] == [(MANUAL, None)] * 2
    undo(project)
    split_link(project, "de", 14, 1, 0)  # [p5s3 p5s4]:[p5s3] -> [p5s3]:[] + [p5s4]:[p5s3]
    assert ids(project)[14:16] == [(("p5s3",), ()), (("p5s4",), ("p5s3",))]
    undo(project)
    assert state(project) == before


def test_unlink_leaves_every_sentence_of_a_link_unlinked(project: Project) -> None:
    before = state(project)
    flag(project, "de", 0, "added by the translator")
    unlink(project, "de", 0)  # [p1s1]:[p1s1] -> [p1s1]:[] + []:[p1s1]
    assert ids(project)[:3] == [(("p1s1",), ()), ((), ("p1s1",)), (("p1s2",), ("p1s2",))]
    assert [(x.status, x.note) for x in project.target("de").links[:2]] == [(MANUAL, "added by the translator")] * 2
    unlink(project, "de", 7)  # link 6 before: [p3s3]:[p3s3 p3s4], now at 7
    assert ids(project)[7:10] == [(("p3s3",), ()), ((), ("p3s3",)), ((), ("p3s4",))]
    assert ids(reloaded(project)) == ids(project)
    unlinked, revision = state(project), project.revision
    with pytest.raises(EditError, match="links nothing already"):
        unlink(project, "de", 0)
    assert state(project) == unlinked and project.revision == revision
    for _ in range(3):
        undo(project)
    assert state(project) == before


def test_realign_keeps_unlinked_what_a_reviewer_unlinked(project: Project, e5) -> None:
    unlink(project, "de", 4)  # a right 1-1 link (p3s1): the aligner alone would pair the two again
    kept = project.target("de").links[4:6]
    realign(project, e5, "de")
    links = project.target("de").links
    assert [(x.src, x.tgt) for x in kept] == [(("p3s1",), ()), ((), ("p3s1",))]
    assert links[4:6] == kept  # in the same order, times included


def test_move_sentence_to_the_neighbouring_link(project: Project) -> None:
    before = state(project)
    move_sentence(project, "de", 6, "target", "next")  # p3s4 goes to the start of link 7
    assert ids(project)[6:8] == [(("p3s3",), ("p3s3",)), (("p3s4",), ("p3s4", "p3s5"))]
    move_sentence(project, "de", 7, "target", "previous")  # and back
    assert ids(project) == [(x.src, x.tgt) for x in before[1]["de"].links]
    split_link(project, "de", 6, 1, 1)
    move_sentence(project, "de", 7, "target", "previous")  # a link left empty disappears
    assert ids(project) == [(x.src, x.tgt) for x in before[1]["de"].links]
    for _ in range(4):
        undo(project)
    assert state(project) == before


# --------------------------------------------------------------------------------------------- review status


def test_confirm_flag_unconfirm_and_undo(project: Project) -> None:
    before = state(project)
    confirm(project, "de", [0, 1, 2])
    flag(project, "de", 3, "  the number differs  ")
    unconfirm(project, "de", 0)
    statuses = [x.status for x in project.target("de").links[:5]]
    assert statuses == [AUTO, CONFIRMED, CONFIRMED, FLAGGED, AUTO]
    assert project.target("de").links[3].note == "the number differs"
    revision = project.revision
    assert confirm(project, "de", [1, 2]) is None and project.revision == revision  # nothing to change
    assert [x.status for x in reloaded(project).target("de").links[:5]] == statuses
    assert reloaded(project).target("de").counts() == {
        "links": 26,
        AUTO: 23,
        MANUAL: 0,
        CONFIRMED: 2,
        FLAGGED: 1,
        TO_REVIEW: 23,
    }
    undo(project)
    assert project.target("de").links[0].status == CONFIRMED
    undo(project)
    undo(project)
    assert state(project) == before


def test_links_made_by_hand_are_manual_with_no_confidence_until_confirmed(project: Project) -> None:
    # Each operation that builds links by hand: they are kept by realign but nobody has approved them yet, and
    # the aligner never scored them, so they have no confidence (never a made-up 1.0).
    confirm(project, "de", [0, 1, 6, 7])
    merge_links(project, "de", 0, 1)  # two confirmed links: the merged one is the reviewer's new claim
    split_link(project, "de", 5, 1, 1)  # link 6 of the gold (1-2) is at 5 now
    move_sentence(project, "de", 0, "target", "next")
    unlink(project, "de", 2)
    links = project.target("de").links
    made = [links[k] for k in (0, 1, 2, 3, 6, 7)]
    assert [(x.status, x.confidence) for x in made] == [(MANUAL, None)] * 6
    assert project.history[-1].summary == "unlink link 3 of de (1-1): its 2 sentences left unlinked"
    counts = reloaded(project).target("de").counts()
    assert (counts[MANUAL], counts[CONFIRMED], counts[AUTO]) == (6, 1, 20)  # [p3s4]:[p3s5], confirmed, untouched
    assert counts[TO_REVIEW] == counts[AUTO] + counts[MANUAL] == counts["links"] - counts[CONFIRMED]
    summary = list_projects(project.path.parent.parent)[0].targets[0]
    assert (summary.links, summary.confirmed, summary.manual, summary.flagged, summary.to_review) == (27, 1, 6, 0, 26)
    confirm(project, "de", [0, 1])  # approving a hand-made link makes it confirmed; it keeps having no score
    assert [(x.status, x.confidence) for x in project.target("de").links[:2]] == [(CONFIRMED, None)] * 2
    unconfirm(project, "de", [0, 2])  # back to auto, a manual link too
    assert [x.status for x in reloaded(project).target("de").links[:3]] == [AUTO, CONFIRMED, AUTO]


@pytest.mark.parametrize(
    ("first", "second", "merged"),
    [
        (CONFIRMED, CONFIRMED, CONFIRMED),
        (CONFIRMED, MANUAL, MANUAL),
        (MANUAL, MANUAL, MANUAL),
        (MANUAL, AUTO, AUTO),
        (CONFIRMED, AUTO, AUTO),
        (MANUAL, FLAGGED, FLAGGED),
    ],
)
def test_links_joined_by_joining_sentences_keep_the_weakest_claim(
    project: Project, first: str, second: str, merged: str
) -> None:
    # p1s1 and p1s2 sit in links 0 and 1; joining the two source sentences joins their links as a side effect.
    for index, status in ((0, first), (1, second)):
        if status == CONFIRMED:
            confirm(project, "de", index)
        elif status == FLAGGED:
            flag(project, "de", index, "odd")
        elif status == MANUAL:  # the same link, made by hand: unlinked, then linked again
            unlink(project, "de", index)
            merge_links(project, "de", index, index + 1)
    assert [x.status for x in project.target("de").links[:2]] == [first, second]
    join_sentences(project, SOURCE, "p1s1", "p1s2")
    assert project.target("de").links[0].status == merged


def test_people_read_link_numbers_from_1(project: Project) -> None:
    # The API takes 0-based indices (target.links[k]); every summary and message numbers links from 1.
    assert merge_links(project, "de", 4, 5).summary == "merge links 5 and 6 of de"
    assert confirm(project, "de", [0, 1]).summary == "confirm links 1, 2 of de"
    assert flag(project, "de", 24, "x").summary == "flag link 25 of de"
    moved = move_sentence(project, "de", 5, "target", "next")  # the gold's 1-2 link (p3s3), now at 5
    assert moved.summary == "move target sentence p3s4 from link 6 to link 7 of de"
    with pytest.raises(EditError, match=r"no link 26: its 25 links are numbered 1 to 25\."):
        confirm(project, "de", 25)
    with pytest.raises(EditError, match=r"no link 0: its 25 links are numbered 1 to 25\."):
        confirm(project, "de", -1)
    with pytest.raises(EditError, match=r"links 1 and 3 of target 'de' are not neighbours"):
        merge_links(project, "de", 0, 2)


def invalid_edits() -> list[tuple[str, Callable[[Project], object]]]:
    return [
        ("merge non-adjacent", lambda p: merge_links(p, "de", 0, 2)),
        ("merge out of range", lambda p: merge_links(p, "de", 25, 26)),
        ("split a 1-1 link", lambda p: split_link(p, "de", 0, 1, 0)),
        ("split at an end", lambda p: split_link(p, "de", 6, 1, 2)),
        ("split out of range", lambda p: split_link(p, "de", 6, 2, 1)),
        ("move before the first link", lambda p: move_sentence(p, "de", 0, "source", "previous")),
        ("move after the last link", lambda p: move_sentence(p, "de", 25, "target", "next")),
        ("move in a bad direction", lambda p: move_sentence(p, "de", 3, "source", "up")),  # type: ignore[arg-type]
        ("join non-adjacent", lambda p: join_sentences(p, SOURCE, "p1s1", "p2s1")),
        ("join across a paragraph", lambda p: join_sentences(p, SOURCE, "p1s2", "p2s1")),
        ("split a sentence at 0", lambda p: split_sentence(p, SOURCE, "p1s1", 0)),
        ("split a sentence past its end", lambda p: split_sentence(p, "de", "p1s1", 10_000)),
        ("empty text", lambda p: edit_sentence(p, SOURCE, "p1s1", "   ")),
        ("unknown sentence", lambda p: edit_sentence(p, SOURCE, "p99s1", "x")),
        ("unknown target", lambda p: confirm(p, "fr", 0)),
        ("link index out of range", lambda p: flag(p, "de", -1, "x")),
        ("nothing to redo", redo),
    ]


@pytest.mark.parametrize(("what", "edit"), invalid_edits(), ids=[name for name, _ in invalid_edits()])
def test_invalid_edits_raise_and_change_nothing(project: Project, what: str, edit: Callable[[Project], object]) -> None:
    before, revision = state(project), project.revision
    with pytest.raises(WorkbenchError) as error:
        edit(project)
    assert str(error.value) and "Traceback" not in str(error.value)
    assert state(project) == before and project.revision == revision
    assert state(reloaded(project)) == before and reloaded(project).revision == revision


def test_undo_then_redo_any_sequence_and_after_a_reload(project: Project) -> None:
    edits: list[Callable[[Project], object]] = [
        lambda p: merge_links(p, "de", 0, 1),
        lambda p: split_sentence(p, SOURCE, "p3s1", 10),
        lambda p: flag(p, "de", 2, "odd"),
        lambda p: move_sentence(p, "de", 5, "target", "next"),
        lambda p: join_sentences(p, "de", "p3s3", "p3s4"),
        lambda p: edit_sentence(p, "de", "p2s1", "Neu."),
        lambda p: split_link(p, "de", 0, 1, 1),
        lambda p: confirm(p, "de", range(10, 20)),
        lambda p: join_sentences(p, SOURCE, "p3s1", "p3s1.2"),
    ]
    states = [state(project)]
    for edit in edits:
        edit(project)
        states.append(state(project))
    fresh = reloaded(project)  # history survives a reload
    assert [h.op for h in fresh.history][1:] == [h.op for h in project.history][1:]
    for expected in reversed(states[:-1]):
        undo(fresh)
        assert state(fresh) == expected
    for expected in states[1:]:
        redo(fresh)
        assert state(fresh) == expected
    for _ in range(3):
        undo(fresh)
    assert flag(fresh, "de", 0, "new") is not None  # a new edit drops what was undone
    assert not fresh.can_redo and not reloaded(fresh).can_redo
    with pytest.raises(EditError, match="nothing to redo"):
        redo(fresh)


# --------------------------------------------------------------------------------------------- realigning


def test_realign_keeps_confirmed_and_manual_links_and_redoes_the_rest(
    project: Project, en: Document, de: Document, e5
) -> None:
    # Start from links that are right for the first 8 links and one big wrong link for the rest.
    wrong = [*GOLD[:8], Bead(tuple(range(8, 27)), tuple(range(9, 28)))]
    add_target(project, de, "de-2", beads=wrong)
    merge_links(project, "de-2", 2, 3)  # a manual 2-2 link the aligner would never make, not approved yet
    confirm(project, "de-2", [0, 1])
    flag(project, "de-2", 7, "rest unchecked")  # the big link, from p3s5 on
    decided = [x for x in project.target("de-2").links if x.status in (CONFIRMED, MANUAL)]
    assert [x.status for x in decided] == [CONFIRMED, CONFIRMED, MANUAL]
    realign(project, e5, "de-2")
    links = project.target("de-2").links
    assert [x for x in links if x.status in (CONFIRMED, MANUAL)] == decided  # untouched, times included
    assert links[2].src == ("p2s1", "p2s2") and links[2].confidence is None  # still the reviewer's, unscored
    signature = project.target("de-2").signature
    assert (signature["kept_confirmed"], signature["kept_manual"]) == (2, 1)
    expected = gold_ids(en, de)
    assert [(x.src, x.tgt) for x in links[3:]] == expected[4:]  # everything else as the gold says
    k = project.target("de-2").link_of(SOURCE, "p3s5")
    assert (k, links[k].status, links[k].note) == (7, FLAGGED, "rest unchecked")  # the flag went with its sentence
    assert ids(project, "de") == expected  # other targets are left alone
    assert reloaded(project).targets == project.targets
    undo(project)
    assert project.target("de-2").links[-1].src == tuple(project.source.ids()[8:])


def test_edit_then_realign_embeds_only_the_edited_text(project: Project, de: Document, e5, monkeypatch) -> None:
    add_target(project, de, "de-2", e5, refine=False)
    # The seed and its translation keep the same nine paragraphs: the aligner was given them and learnt so.
    assert project.target("de-2").signature["learnt"]["paragraph"] == AlignParams().paragraph_end
    embedded: list[str] = []
    inner_encode = e5.inner.encode

    def recording(texts, progress=None):
        embedded.extend(texts)
        return inner_encode(texts, progress=progress)

    monkeypatch.setattr(e5.inner, "encode", recording)
    new_text = "The Kosovo issue has become a geopolitical risk in the Western Balkans and in Europe."
    edit_sentence(project, SOURCE, "p2s1", new_text)
    realign(project, e5, "de-2", refine=False)
    assert embedded == [new_text]
    embedded.clear()
    edit_sentence(project, "de-2", "p2s2", "Die Ursache liegt in der Einmischung des Westens.")
    realign(project, e5, refine=False)  # every target: de and de-2
    assert embedded == ["Die Ursache liegt in der Einmischung des Westens."]
    assert e5.last_misses == 1  # de-2's target side, embedded last, had the one new sentence
    realign(project, e5, "de-2", refine=False)
    assert embedded == ["Die Ursache liegt in der Einmischung des Westens."] and e5.last_misses == 0


# --------------------------------------------------------------------------------------------- the file on disk


CHILD = r"""
import sys
from pathlib import Path
from workbench.projects import join_sentences, open_project, split_sentence
root, limit = Path(sys.argv[1]), int(sys.argv[2])
project = open_project("kd", root)
at = project.source.sentence("p2s1").text.index(",") + 1
done = 0
while limit < 0 or done < limit:
    if "p2s1.2" in project.source.ids():
        join_sentences(project, "source", "p2s1", "p2s1.2")
    else:
        split_sentence(project, "source", "p2s1", at)
    done += 1
    print(project.revision, flush=True)
"""


def test_a_save_killed_midway_leaves_a_consistent_state(project: Project, root: Path) -> None:
    base, text = project.revision, " ".join(project.source.texts())
    for delay in (0.0, 0.004, 0.009, 0.015):  # a save takes ~20 ms (fsync): kill at different moments of one
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(root), "-1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stderr is not None
        lines = [child.stdout.readline() for _ in range(10)]
        assert all(lines), child.stderr.read()
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        printed = [int(line) for line in [*lines, *child.stdout.read().split()]]
        last = printed[-1]
        saved = open_project("kd", root)  # loads and checks that links cover both sides once, in order
        assert last <= saved.revision <= last + 1  # each save is all there or not at all
        split = "p2s1.2" in saved.source.ids()
        assert split == ((saved.revision - base) % 2 == 1)  # the sentence and the links agree with the revision
        assert saved.target("de").links[2].src == (("p2s1", "p2s1.2") if split else ("p2s1",))
        assert " ".join(saved.source.texts()) == text
        assert len([h for h in saved.history if not h.undone]) == saved.revision
        with sqlite3.connect(saved.path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_second_writer_gets_a_conflict_instead_of_overwriting(project: Project, root: Path) -> None:
    first, second = open_project("kd", root), open_project("kd", root)
    merge_links(first, "de", 0, 1)
    before = state(second)
    with pytest.raises(ConflictError, match=r"(?i)reload"):
        confirm(second, "de", 5)
    with pytest.raises(ConflictError):
        undo(second)
    assert state(second) == before  # the stale copy is as it was
    assert (
        reloaded(first).target("de").links[0].src == ("p1s1", "p1s2")
        and reloaded(first).target("de").links[5].status == AUTO
    )
    # another process saves while this one holds a copy
    ran = subprocess.run([sys.executable, "-c", CHILD, str(root), "1"], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    with pytest.raises(ConflictError):
        flag(first, "de", 3, "x")
    fresh = open_project("kd", root)
    flag(fresh, "de", 3, "x")
    assert reloaded(fresh).target("de").links[3].status == FLAGGED


@pytest.mark.parametrize(
    "name",
    ["../escape", "/tmp/absolute", "a/b", "a\\b", "", " ", ".", "..", ".hidden", "CON", "nul.txt", "x" * 101, "end."],
)
def test_project_names_cannot_leave_the_alignments_folder(tmp_path: Path, en: Document, name: str) -> None:
    root = tmp_path / "alignments"
    with pytest.raises(ProjectNameError) as error:
        create_project(name, en, root)
    assert "name" in str(error.value)
    with pytest.raises(ProjectNameError):
        open_project(name, root)
    with pytest.raises(ProjectNameError):
        delete_project(name, root)
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["alignments"])
    assert not (root.exists() and any(root.iterdir()))


def test_a_symlink_out_of_the_alignments_folder_is_refused(tmp_path: Path, en: Document) -> None:
    root, outside = tmp_path / "alignments", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(ProjectNameError, match="outside"):
        create_project("link", en, root)
    assert list(outside.iterdir()) == []


def test_corrupt_projects_are_reported_by_name_and_the_others_still_list(project: Project, root: Path) -> None:
    good = project.path.read_bytes()
    damaged = {
        "garbage": os.urandom(5000),
        "truncated": good[: len(good) // 3],
        "empty": b"",
    }
    for name, data in damaged.items():
        (root / name).mkdir()
        (root / name / PROJECT_FILE).write_bytes(data)
    (root / "foreign").mkdir()
    with sqlite3.connect(root / "foreign" / PROJECT_FILE) as db:
        db.execute("CREATE TABLE songs (title TEXT)")
    (root / "no-tables").mkdir()
    with sqlite3.connect(root / "no-tables" / PROJECT_FILE) as db:
        db.execute("PRAGMA application_id = 1463963216")  # ours, but nothing inside
        db.execute("PRAGMA user_version = 1")
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    bad = [*damaged, "foreign", "no-tables"]
    for name in bad:
        with pytest.raises(CorruptProjectError) as error:
            open_project(name, root)
        assert f"project {name!r}" in str(error.value) and "damaged" in str(error.value), str(error.value)
    summaries = {s.name: s for s in list_projects(root)}
    assert sorted(summaries) == sorted([*bad, "kd"])
    assert summaries["kd"].error is None and summaries["kd"].target_keys == ["de"]
    assert all(summaries[name].error and name in summaries[name].error for name in bad)
    assert open_project("kd", root).targets == project.targets
    delete_project("garbage", root)
    assert "garbage" not in {s.name for s in list_projects(root)}


def test_a_project_from_a_newer_workbench_is_refused_clearly(project: Project, root: Path) -> None:
    with sqlite3.connect(project.path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(SchemaVersionError, match=r"newer workbench.*99"):
        open_project("kd", root)
    with pytest.raises(SchemaVersionError):
        confirm(project, "de", 0)  # a copy opened earlier cannot write into it either
    assert "newer" in (list_projects(root)[0].error or "")


# Version 1 of the project file, as the workbench wrote it before the status "manual": written here with sqlite3
# alone, so the upgrade is tested against the old format itself, not against what today's code makes of it.
SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sides (
    key TEXT PRIMARY KEY, position INTEGER NOT NULL, name TEXT NOT NULL, lang TEXT NOT NULL, title TEXT,
    metadata TEXT NOT NULL, signature TEXT NOT NULL
);
CREATE TABLE sentences (
    side TEXT NOT NULL REFERENCES sides(key), position INTEGER NOT NULL, id TEXT NOT NULL,
    paragraph INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (side, id)
);
CREATE INDEX sentences_order ON sentences (side, position);
CREATE TABLE links (
    target TEXT NOT NULL REFERENCES sides(key), position INTEGER NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL,
    confidence REAL, status TEXT NOT NULL CHECK (status IN ('auto', 'confirmed', 'flagged')),
    note TEXT NOT NULL DEFAULT '', changed TEXT NOT NULL
);
CREATE INDEX links_order ON links (target, position);
CREATE TABLE edits (
    seq INTEGER PRIMARY KEY, revision INTEGER NOT NULL, op TEXT NOT NULL, args TEXT NOT NULL, summary TEXT NOT NULL,
    patch TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('done', 'undone', 'discarded')), at TEXT NOT NULL
);
"""
T0, T1, T2 = "2025-01-01T10:00:00Z", "2025-01-01T10:05:00Z", "2025-01-01T10:06:00Z"
SOURCE_V1 = [("p1s1", "One."), ("p1s2", "Two."), ("p1s3", "Three."), ("p1s4", "Four.")]
TARGET_V1 = [("p1s1", "Eins."), ("p1s2", "Zwei."), ("p1s3", "Drei."), ("p1s4", "Vier.")]


def _row_v1(k: int, confidence: float | None, status: str, note: str = "", when: str = T0) -> list:
    """A 1-1 link row as version 1's patches store it: src, tgt, confidence, status, note, changed."""
    sid = SOURCE_V1[k][0]
    return [[sid], [sid], confidence, status, note, when]


def write_v1_project(root: Path, name: str, *, merge_patch: str | None = None) -> Path:
    """A version-1 project as the old workbench left it after three edits: the target added (4 links), links 1 and
    2 merged by hand (saved then as confirmed with confidence 1.0), and link 3 confirmed (keeping its 0.7).
    Link 4 came from the aligner at exactly 1.0 and stays auto."""
    added = [_row_v1(0, 0.9, "auto"), _row_v1(1, 0.8, "auto"), _row_v1(2, 0.7, "auto"), _row_v1(3, 1.0, "auto")]
    merged = [["p1s1", "p1s2"], ["p1s1", "p1s2"], 1.0, "confirmed", "", T1]
    confirmed = _row_v1(2, 0.7, "confirmed", when=T2)
    record = {"name": "de.txt", "lang": "de", "title": None, "metadata": {}, "signature": {}, "position": 1}
    patches = [
        [
            {"kind": "side", "key": "de", "start": 0, "old": None, "new": record},
            {"kind": "sentences", "key": "de", "start": 0, "old": [], "new": [[i, 0, t] for i, t in TARGET_V1]},
            {"kind": "links", "key": "de", "start": 0, "old": [], "new": added},
        ],
        [{"kind": "links", "key": "de", "start": 0, "old": added[:2], "new": [merged]}],
        [{"kind": "links", "key": "de", "start": 1, "old": [added[2]], "new": [confirmed]}],
    ]
    texts = [json.dumps(patch, separators=(",", ":")) for patch in patches]
    if merge_patch is not None:
        texts[1] = merge_patch
    folder = root / name
    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / PROJECT_FILE, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA application_id = 1463963216")
    db.execute("PRAGMA user_version = 1")
    db.executescript(SCHEMA_V1)
    meta = {"name": name, "created": T0, "modified": T2, "revision": "3", "written_by": "0.1.0"}
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    db.execute("INSERT INTO sides VALUES ('source', 0, 'en.txt', 'en', NULL, '{}', '{}')")
    db.execute("INSERT INTO sides VALUES ('de', 1, 'de.txt', 'de', NULL, '{}', '{}')")
    for side, sentences in (("source", SOURCE_V1), ("de", TARGET_V1)):
        db.executemany(
            "INSERT INTO sentences VALUES (?, ?, ?, 0, ?)", [(side, k, i, t) for k, (i, t) in enumerate(sentences)]
        )
    for k, row in enumerate([merged, confirmed, added[3]]):
        db.execute(
            "INSERT INTO links VALUES ('de', ?, ?, ?, ?, ?, ?, ?)",
            (k, json.dumps(row[0]), json.dumps(row[1]), *row[2:]),
        )
    for seq, (op, text, when) in enumerate(
        zip(["add_target", "merge_links", "confirm"], texts, [T0, T1, T2], strict=True), 1
    ):
        db.execute(
            "INSERT INTO edits VALUES (?, ?, ?, '{}', ?, ?, 'done', ?)", (seq, seq, op, f"{op} (version 1)", text, when)
        )
    db.close()
    return folder / PROJECT_FILE


def _file_state(path: Path) -> tuple:
    """What an upgrade changes: the format version, the links table's definition, the links and the patches."""
    with sqlite3.connect(path) as db:
        return (
            db.execute("PRAGMA user_version").fetchone()[0],
            db.execute("SELECT sql FROM sqlite_master WHERE name = 'links'").fetchone()[0],
            db.execute("SELECT * FROM links ORDER BY target, position").fetchall(),
            db.execute("SELECT seq, patch FROM edits ORDER BY seq").fetchall(),
        )


def test_a_version_1_project_is_upgraded_when_opened_and_its_history_still_undoes(root: Path, en: Document) -> None:
    path = write_v1_project(root, "old")
    project = open_project("old", root)
    links = project.target("de").links
    assert [(x.src, x.status, x.confidence) for x in links] == [
        (("p1s1", "p1s2"), MANUAL, None),  # made by hand: not approved, no made-up score
        (("p1s3",), CONFIRMED, 0.7),  # approved by the reviewer: stays approved
        (("p1s4",), AUTO, 1.0),  # the aligner's, untouched
    ]
    assert links[0].changed == T1 and project.revision == 3 and len(project.history) == 3
    version, sql, _, patches = _file_state(path)
    create_project("fresh", en, root)
    assert version == SCHEMA_VERSION
    assert sql == _file_state(root / "fresh" / PROJECT_FILE)[1]  # the same table as a new file
    merge = json.loads(dict(patches)[2])
    assert merge[0]["new"] == [[["p1s1", "p1s2"], ["p1s1", "p1s2"], None, "manual", "", T1]]
    assert merge[0]["old"][0][2:4] == [0.9, "auto"] and json.loads(dict(patches)[3])[0]["new"][0][2:4] == [
        0.7,
        "confirmed",
    ]
    assert open_project("old", root).targets == project.targets  # opening again changes nothing more
    undo(project)  # the confirm
    undo(project)  # the merge made by the old version
    assert [(x.src, x.status, x.confidence) for x in project.target("de").links][:3] == [
        (("p1s1",), AUTO, 0.9),
        (("p1s2",), AUTO, 0.8),
        (("p1s3",), AUTO, 0.7),
    ]
    redo(project)
    assert (project.target("de").links[0].status, project.target("de").links[0].confidence) == (MANUAL, None)
    assert reloaded(project).targets == project.targets
    summary = next(s for s in list_projects(root) if s.name == "old").targets[0]
    assert (summary.links, summary.confirmed, summary.manual, summary.to_review) == (3, 0, 1, 3)


def test_an_upgrade_that_fails_leaves_the_version_1_file_as_it_was(root: Path) -> None:
    path = write_v1_project(root, "old", merge_patch='[{"kind": "links", "key": "de", "start": 0, "old": [')
    before = _file_state(path)
    with pytest.raises(CorruptProjectError, match=r"could not be upgraded from format version 1.*left as it is"):
        open_project("old", root)
    assert _file_state(path) == before  # the links table was rebuilt inside the transaction: rolled back


READ_ONLY_CHILD = r"""
import sys
from pathlib import Path
from workbench.projects import ReadOnlyProjectError, confirm, list_projects, open_project
root = Path(sys.argv[1])
project = open_project("old", root)
print([(x.status, x.confidence) for x in project.target("de").links])
try:
    confirm(project, "de", 2)
    print("saved")
except ReadOnlyProjectError as exc:
    print("refused:", exc)
print("listed:", [(s.name, s.error, s.targets[0].manual if s.targets else None) for s in list_projects(root)])
"""


def test_a_version_1_project_in_a_read_only_folder_opens_upgraded_in_memory(root: Path) -> None:
    path = write_v1_project(root, "old")
    before = _file_state(path)
    command = [sys.executable, "-c", READ_ONLY_CHILD, str(root)]
    if os.geteuid() == 0:  # root writes anywhere: run as a user the folder really refuses (a user namespace)
        if shutil.which("unshare") is None:
            pytest.skip("running as root without unshare: no way to make a folder read-only for the test")
        command = ["unshare", "--user", *command]
    (root / "old").chmod(0o555)
    path.chmod(0o444)
    try:
        ran = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        (root / "old").chmod(0o755)
        path.chmod(0o644)
    if os.geteuid() == 0 and "unshare" in ran.stderr:
        pytest.skip(f"user namespaces are not available here: {ran.stderr.strip()}")
    assert ran.returncode == 0, ran.stderr
    statuses, refused, listed = ran.stdout.splitlines()
    assert statuses == "[('manual', None), ('confirmed', 0.7), ('auto', 1.0)]"  # upgraded, in memory
    assert refused.startswith("refused: project 'old' is read-only") and "damaged" not in refused
    assert listed == "listed: [('old', None, 1)]"  # listed, not reported as damaged
    assert _file_state(path) == before  # the file was not touched
    assert open_project("old", root).target("de").links[0].status == MANUAL  # writable again: upgraded on disk
    assert _file_state(path)[0] == SCHEMA_VERSION


def test_list_projects_counts_links_and_review_status(project: Project, root: Path, en: Document) -> None:
    confirm(project, "de", [0, 1, 2])
    flag(project, "de", 4, "x")
    create_project("another", en, root)
    (root / "exports").mkdir()  # not a project: no project file
    (root / "notes.txt").write_text("x")
    summaries = list_projects(root)
    assert [s.name for s in summaries] == ["another", "kd"]
    kd = summaries[1]
    assert (kd.source_lang, kd.target_keys, kd.revision, kd.error) == ("en", ["de"], 3, None)
    assert (kd.targets[0].links, kd.targets[0].confirmed, kd.targets[0].flagged) == (26, 3, 1)
    assert kd.modified.endswith("Z") and summaries[0].targets == ()


def test_listing_again_rechecks_only_projects_changed_since(
    project: Project, root: Path, en: Document, monkeypatch
) -> None:
    from workbench.projects import store

    create_project("another", en, root)
    list_projects(root)
    checked: list[str] = []
    summary = store._summary
    monkeypatch.setattr(store, "_summary", lambda name, path: checked.append(name) or summary(name, path))
    assert [s.revision for s in list_projects(root)] == [0, 1] and checked == []  # nothing changed: no file read
    confirm(project, "de", 0)
    kd = list_projects(root)[1]
    assert checked == ["kd"] and (kd.revision, kd.targets[0].confirmed) == (2, 1)
    with sqlite3.connect(project.path) as db:  # another program writes into it
        db.execute("PRAGMA user_version = 99")
    assert "newer" in (list_projects(root)[1].error or "") and checked == ["kd", "kd"]


# --------------------------------------------------------------------------------------------- corpora


def test_project_to_corpus_filters(project: Project) -> None:
    split_link(project, "de", 6, 1, 1)  # a 0-1 link at 7, manual
    unconfirm(project, "de", [6, 7])
    confirm(project, "de", [0, 1])
    flag(project, "de", 2, "tense")
    full = project_to_corpus(project, "de")
    assert (full.source_lang, full.target_lang, full.name, len(full.units)) == ("en", "de", "kd", 27)
    unit = full.units[6]
    assert (
        unit.source_ids == ("p3s3",)
        and unit.target_ids == ("p3s3",)
        and unit.source_segments == (project.source.sentence("p3s3").text,)
    )
    assert full.units[7].source_segments == () and full.units[7].target_ids == ("p3s4",)
    assert full.units[2].status == FLAGGED and full.units[2].note == "tense" and full.units[2].changed.endswith("Z")
    assert [u.source_ids[0] for u in project_to_corpus(project, "de", confirmed_only=True).units] == ["p1s1", "p1s2"]
    paired = project_to_corpus(project, "de", drop_unpaired=True).units
    assert len(paired) == 26
    # Units carry the link's number as people see it (from 1), also when a filter leaves links out before them.
    assert [u.link_number for u in full.units] == list(range(1, 28))
    assert [u.link_number for u in paired[6:8]] == [7, 9]  # link 8 (index 7) is the 0-1 link, left out
    # Confidences as the gold file gives them are all 1.0: lower a few by importing a project with scores.
    scored = project_from_corpus(
        "scored",
        ParallelCorpus("en", "de", [_unit("a", "x", 0.9), _unit("b", "y", 0.2, CONFIRMED), _unit("c", "z", 0.4)]),
        project.path.parent.parent,
    )
    kept = project_to_corpus(scored, "de", min_confidence=0.5).units
    assert [u.source for u in kept] == ["a", "b"]  # confirmed links pass whatever their score


def _unit(source: str, target: str, confidence: float | None = None, status: str = AUTO) -> TranslationUnit:
    return TranslationUnit((source,), (target,), confidence=confidence, status=status)


def _doc(lines: list[str], lang: str) -> Document:
    return document_from_text("\n".join(lines) + "\n", lang, presplit=True)


def test_multilingual_corpus_groups_the_source_as_coarsely_as_every_target_needs(tmp_path: Path) -> None:
    source = _doc(["S1", "S2", "S3", "S4", "S5"], "en")
    p = create_project("multi", source, tmp_path)
    # de: boundaries after S1, S3 and S4; fr: after S2, S3 and S4 (and an extra sentence, F3, after S3).
    add_target(
        p, _doc(["D1", "D2", "D3", "D4"], "de"), None, beads=read_beads(["[0]:[0]", "[1,2]:[1]", "[3]:[2]", "[4]:[3]"])
    )
    fr_beads = read_beads(["[0,1]:[0]", "[2]:[1]", "[]:[2]", "[3]:[3]", "[4]:[4]"])
    add_target(p, _doc(["F1", "F2", "F3", "F4", "F5"], "fr"), None, beads=fr_beads)
    assert source_spans(p) == [(0, 3), (3, 4), (4, 5)]
    assert source_spans(p, ["de"]) == [(0, 1), (1, 3), (3, 4), (4, 5)]
    corpus = project_to_multilingual(p)
    assert (corpus.source_lang, corpus.target_langs) == ("en", ["de", "fr"])
    assert [(u.source, u.targets) for u in corpus.units] == [
        ("S1 S2 S3", {"de": "D1 D2", "fr": "F1 F2 F3"}),
        ("S4", {"de": "D3", "fr": "F4"}),
        ("S5", {"de": "D4", "fr": "F5"}),
    ]
    assert corpus.units[0].source_ids == ("p1s1", "p1s2", "p1s3")
    confirm(p, "de", [2, 3])
    confirm(p, "fr", [3])
    only = project_to_multilingual(p, confirmed_only=True)
    assert [(u.source, u.targets) for u in only.units] == [("S4", {"de": "D3", "fr": "F4"}), ("S5", {"de": "D4"})]
    assert [u.source for u in project_to_multilingual(p, confirmed_only=True, drop_unpaired=True).units] == ["S4"]
    add_target(
        p, _doc(["E1", "E2", "E3", "E4", "E5"], "fr"), None, beads=read_beads([f"[{k}]:[{k}]" for k in range(5)])
    )
    with pytest.raises(CorpusError, match="both in fr"):
        project_to_multilingual(p)
    assert len(project_to_multilingual(p, ["fr-2"]).units) == 5


def test_a_corpus_becomes_a_project_and_a_target_again(project: Project, root: Path) -> None:
    confirm(project, "de", [0, 1])
    flag(project, "de", 5, "name spelled differently")
    merge_links(project, "de", 2, 3)  # a manual link, made by hand and not approved
    corpus = project_to_corpus(project, "de")
    copy_ = project_from_corpus("copy", corpus, root)
    assert copy_.source.ids() == project.source.ids() and copy_.source.texts() == project.source.texts()
    assert [s.paragraph for s in copy_.source.sentences] == [s.paragraph for s in project.source.sentences]
    links, original = copy_.target("de").links, project.target("de").links
    assert [(x.src, x.tgt, x.status, x.note, x.changed) for x in links] == [
        (x.src, x.tgt, x.status, x.note, x.changed) for x in original
    ]
    assert (links[2].status, links[2].confidence) == (MANUAL, None)
    added = add_target_from_corpus(project, corpus, "de-copy")
    assert [(x.src, x.tgt, x.status) for x in added.links] == [(x.src, x.tgt, x.status) for x in original]
    # Through the files other tools read (n-m sentences joined in some), a manual link stays manual and unscored.
    for fmt in ("tmx", "xliff", "xliff2", "tsv", "jsonl"):
        data, filename, _ = corpus_to_bytes(corpus, fmt)
        (root / filename).write_bytes(data)
        via = project_from_corpus(f"via-{fmt}", read_corpus(root / filename), root).target("de").links
        assert [(x.status, x.confidence, x.note) for x in via] == [(x.status, x.confidence, x.note) for x in original]
    # units without ids get fresh ones
    bare = ParallelCorpus("en", "pt", [_unit("One.", "Um."), TranslationUnit(("Two.", "Three."), ("Dois e três.",))])
    plain = project_from_corpus("plain", bare, root)
    assert plain.source.ids() == ["p1s1", "p1s2", "p1s3"] and ids(plain, "pt") == [
        (("p1s1",), ("p1s1",)),
        (("p1s2", "p1s3"), ("p1s2",)),
    ]
    # a corpus whose source is not the project's is refused, and nothing changes
    revision = project.revision
    other = ParallelCorpus("en", "de", [*corpus.units[:3], _unit("Not in the article.", "Nicht.")])
    with pytest.raises(CorpusError, match="source"):
        add_target_from_corpus(project, other)
    assert project.revision == revision and reloaded(project).revision == revision


# --------------------------------------------------------------------------------------------- command line


def test_cli_new_list_show_delete(tmp_path: Path, e5_folder: Path, en: Document, de: Document) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    # the converted model and its ONNX export (the default route) as set-up made them, with a cache of our own
    (cache / "models").symlink_to(e5_folder.parent, target_is_directory=True)
    env = {**os.environ, "WORKBENCH_ALIGNMENTS": str(tmp_path / "alignments"), "WORKBENCH_CACHE": str(cache)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "workbench.cli", "project", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            stdin=subprocess.DEVNULL,  # nobody to answer a question
        )

    made = run(
        "new",
        "kd",
        "--source",
        "kosovo-dialogue",
        "--from",
        "en",
        "--target",
        "kosovo-dialogue.de",
        "--lang",
        "de",
        "--quiet",
    )
    assert made.returncode == 0, made.stderr
    assert "target de (de, 28 sentences): 26 links" in made.stdout
    assert (cache / "embeddings.sqlite").exists()
    (tmp_path / "alignments" / "broken").mkdir()
    (tmp_path / "alignments" / "broken" / PROJECT_FILE).write_bytes(b"not a database" * 100)
    listed = run("list")
    assert (
        listed.returncode == 0 and "de 26 links, 0 confirmed, 0 flagged, 26 to review" in listed.stdout.splitlines()[1]
    )
    assert listed.stdout.startswith("broken  UNREADABLE: project 'broken' cannot be opened")
    shown = run("show", "kd", "--lang", "de")
    rows = [line.split() for line in shown.stdout.splitlines() if line[:4].strip().isdigit()]
    assert len(rows) == 26 and rows[6][:2] == ["7", "1-2"] and all(0 <= float(r[2]) <= 1 for r in rows)
    assert rows[0][0] == "1"  # links are numbered from 1 for people
    saved = open_project("kd", tmp_path / "alignments")
    assert ids(saved) == gold_ids(en, de)  # the aligner gets the seed exactly right
    for args in (
        ("show", "missing"),
        ("show", "kd", "--lang", "fr"),
        ("new", "../escape", "--source", "kosovo-dialogue"),
    ):
        failed = run(*args)
        assert failed.returncode == 2 and failed.stderr.startswith("workbench: error:"), failed.stderr
        assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr
    assert run("delete", "kd").returncode == 2  # not without --yes when nobody can be asked
    assert run("delete", "kd", "--yes").returncode == 0
    assert run("delete", "broken", "--yes").returncode == 0  # a damaged project can be deleted
    assert "no projects" in run("list").stdout


def test_exports_tag_the_target_language_with_the_variant_its_text_reads_as(tmp_path: Path) -> None:
    source = document_from_text("The team took the bus.\n\nThe project is a fact.", "en")
    european = document_from_text("A equipa apanhou o autocarro.\n\nO projecto é um facto.", "pt")
    brazilian = document_from_text("A equipe pegou o ônibus.\n\nO projeto é um fato.", "pt")
    project = create_project("variants", source, tmp_path)
    add_target(project, european, "pt", beads=[Bead((0,), (0,)), Bead((1,), (1,))])
    add_target(project, brazilian, "br", beads=[Bead((0,), (0,)), Bead((1,), (1,))])
    assert project_to_corpus(project, "pt", tag_variant=True).target_lang == "pt-PT"
    assert project_to_corpus(project, "br", tag_variant=True).target_lang == "pt-BR"
    assert project_to_corpus(project, "pt", tag_variant=False).target_lang == "pt"  # the project's own code


def test_exports_tag_the_variant_in_language_fields_only_and_import_back_under_the_same_key(tmp_path: Path) -> None:
    """The variant goes into xml:lang / trgLang / the JSONL lang fields by default; file names stay by target key,
    and an import of the export gives back the key ``pt`` (the tag kept as the side's language)."""
    source = document_from_text("The team took the bus.\n\nThe project is a fact.", "en")
    european = document_from_text("A equipa apanhou o autocarro.\n\nO projecto é um facto.", "pt")
    brazilian = document_from_text("A equipe pegou o ônibus.\n\nO projeto é um fato.", "pt")
    project = create_project("variants", source, tmp_path)
    add_target(project, european, "pt", beads=[Bead((0,), (0,)), Bead((1,), (1,))])
    add_target(project, brazilian, "br", beads=[Bead((0,), (0,)), Bead((1,), (1,))])
    fields = {"tmx": 'xml:lang="pt-PT"', "xliff": 'target-language="pt-PT"', "xliff2": 'trgLang="pt-PT"'}
    fields["jsonl"] = '"pt-PT"'
    for fmt, field in fields.items():
        export = export_project(project, ["pt"], fmt)
        assert export.file_name.startswith("variants.en-pt.") and "PT" not in export.file_name
        assert field in export.data.decode(), fmt
        (paths,) = [save_export(export, folder=tmp_path)]
        back = project_from_corpus(f"back-{fmt}", read_corpus(paths[0]), tmp_path)
        assert list(back.targets) == ["pt"] and back.target("pt").lang == "pt-PT"  # the key as before, variant kept
        assert back.target("pt").side.texts() == project.target("pt").side.texts()
        added = add_target_from_corpus(back, read_corpus(paths[0]))
        assert added.key == "pt-2"  # the next free key of the base language, as before variants were tagged
    # Moses has no language field and names its files by language: the project's codes, no variant.
    moses = export_project(project, ["pt"], "moses")
    assert [name for name, _ in moses.parts] == ["variants.en-pt.en", "variants.en-pt.pt"]
    # A multilingual TMX tags each target, so two Portuguese targets of different variants are told apart.
    multi = export_project(project, ["pt", "br"], "tmx-multi")
    assert multi.file_name == "variants.en-pt-br.tmx"
    assert 'xml:lang="pt-PT"' in multi.data.decode() and 'xml:lang="pt-BR"' in multi.data.decode()
