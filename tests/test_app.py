"""The Streamlit app page by page, through Streamlit's AppTest: real projects on disk, real engines and model.

Each test drives the app as a user would (widgets set, buttons clicked, pages switched) and then checks what the
page shows and what was saved, by reopening the project from disk with the library.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button, TextArea

from workbench.alignment.beads import Bead
from workbench.app.review_signals import ROUND_TRIP_ENV
from workbench.documents import document_from_text, load_document
from workbench.formats import ParallelCorpus, TranslationUnit
from workbench.formats.tmx import export_tmx, import_tmx
from workbench.projects import (
    CONFIRMED,
    FLAGGED,
    MANUAL,
    add_target,
    confirm,
    create_project,
    merge_links,
    open_project,
)

MAIN = Path(__file__).resolve().parent.parent / "workbench" / "app" / "main.py"


@pytest.fixture(scope="session")
def app_cache(tmp_path_factory: pytest.TempPathFactory, e5_folder: Path) -> Path:
    """A cache folder of the app's own (translations, embeddings) that reuses the converted model."""
    cache = tmp_path_factory.mktemp("app-cache")
    (cache / "models").symlink_to(e5_folder.parent, target_is_directory=True)
    return cache


@pytest.fixture
def root(app_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty alignments folder for this test; the app reads both folders from the environment."""
    folder = tmp_path / "alignments"
    folder.mkdir()
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(folder))
    monkeypatch.setenv("WORKBENCH_CACHE", str(app_cache))
    # The Review page's background round trip would compete for the CPU with every test here;
    # tests/test_review_signals.py runs it for real.
    monkeypatch.setenv(ROUND_TRIP_ENV, "off")
    return folder


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[bytes, str | None]]]:
    """Every file a download button offers in a run, as (bytes, file name): recorded, then stored as usual."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen: list[tuple[bytes, str | None]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes):
            seen.append((path_or_data, filename))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    yield seen


def start(project: str | None = None, page: str | None = None) -> AppTest:
    """The app as a new browser tab: ``?project=`` in the URL, then a page by its file."""
    at = AppTest.from_file(str(MAIN), default_timeout=180)
    if project:
        at.query_params["project"] = project
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str) -> Button:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def text_area(at: AppTest, label: str) -> TextArea:
    matches = [t for t in at.text_area if t.label == label]
    assert matches, f"no text area {label!r}; text areas: {[t.label for t in at.text_area]}"
    return matches[0]


def title(at: AppTest) -> str:
    return at.title[0].value


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def editor(at: AppTest) -> dict[str, Any]:
    """The data the Review page sent its editor in the last run: rows, columns, counts, message, focus."""
    found = at.get("bidi_component")
    assert len(found) == 1, f"{len(found)} review editors on the page"
    data = json.loads(found[0].proto.json)
    if "token" in data:
        # Links rows travel as a splice against the rows sent before (tests/test_review_editor_rows.py checks that
        # the splices add up); the rows the editor holds after this run are the ones the page recorded as sent.
        sent = at.session_state["review_rows_sent"]
        (rows_sent,) = [
            entry["rows"]
            for widget, entry in sent.items()
            if widget.endswith(f"-{data['key']}") and entry["token"] == data["token"]
        ]
        rows = [json.loads(row) for row in rows_sent]
        data["rows"] = [{**row, "i": k} for k, row in enumerate(rows)]
    return data


def editor_sends(at: AppTest, action: dict[str, Any]) -> AppTest:
    """Run the page as after the reviewer acted in the review editor, which sends ``action`` as its "action" event.

    AppTest cannot click inside a components-v2 element, so the event goes in as the browser sends it: a JSON
    trigger value of the component's event widget among the next run's widget states. That uses names AppTest and
    Streamlit keep private (``_tree``, ``_run``, ``_make_trigger_id``); the page's own ``on_action`` callback then
    applies the action, exactly as in the browser.
    """
    element = at.get("bidi_component")[0]
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(element.proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "action", "value": {**action, "nonce": time.time()}}])
    at._run(states)
    assert not at.exception, at.exception
    return at


def message(data: dict[str, Any]) -> tuple[int, str, str]:
    """The message the editor shows beside a link: (0-based link, kind, text)."""
    shown = data["message"]
    assert shown is not None, "no message beside any link"
    return shown["index"], shown["kind"], shown["text"]


def given_project(root: Path, name: str = "given", n: int = 12, seed: int = 0) -> str:
    """A project whose links are given (no aligner): 1-1 links with varied confidences, one 0-1 at the end."""
    source = document_from_text(
        "\n\n".join(f"Source sentence {k} speaks of apples number {k}." for k in range(n)), "en", name="src"
    )
    target = document_from_text(
        "\n\n".join([*(f"Frase {k} fala de maçãs número {k}." for k in range(n)), "Uma frase a mais."]),
        "pt",
        name="tgt",
    )
    confidences = np.random.default_rng(seed).uniform(0.05, 0.99, n)
    beads = [Bead((k,), (k,), float(confidences[k])) for k in range(n)] + [Bead((), (n,), 0.3)]
    project = create_project(name, source, root)
    add_target(project, target, "pt", beads=beads)
    return name


# --------------------------------------------------------------------------------------------- Open


def test_open_seed_in_one_click_and_reload_keeps_it(root: Path) -> None:
    at = start()
    assert title(at) == "Open"
    assert at.selectbox[0].value == "kosovo-dialogue"  # the seed article is ready to use
    assert at.text_input(key=next(t.key for t in at.text_input if t.label == "Source language")).value == "en"
    button(at, "Create project").click().run()
    assert not at.exception and title(at) == "Translate"
    project = open_project("kosovo-dialogue", root)
    assert len(project.source.sentences) == 27 and not project.targets
    assert at.query_params["project"] == "kosovo-dialogue"

    again = start(project="kosovo-dialogue", page="translate")  # a reload: a new session with the same URL
    assert title(again) == "Translate" and "kosovo-dialogue" in at.caption[0].value
    listing = start()
    assert any("kosovo-dialogue" in m.value for m in listing.markdown)  # listed to reopen
    assert listing.text_input(key=next(t.key for t in listing.text_input if t.label == "Project name")).value == (
        "kosovo-dialogue-2"
    )


def test_open_upload_detects_the_language_and_refuses_binary(root: Path) -> None:
    at = start()
    at.segmented_control(key="open_source").set_value("Upload a file").run()
    german = "Die Regierung hat heute ein neues Gesetz beschlossen. Es tritt im Januar in Kraft.\n\nDas ist gut."
    at.file_uploader[0].set_value(("bericht.txt", german.encode(), "text/plain")).run()
    lang = next(t for t in at.text_input if t.label == "Source language")
    assert lang.value == "de"
    assert any("detected" in c.value for c in at.caption)
    button(at, "Create project").click().run()
    project = open_project("bericht", root)
    assert project.source.lang == "de" and len(project.source.sentences) == 3

    bad = start()
    bad.segmented_control(key="open_source").set_value("Upload a file").run()
    bad.file_uploader[0].set_value(("scan.txt", b"%PDF-1.4\x00\x01\x02\x03" * 50, "text/plain")).run()
    assert not bad.exception
    assert any("binary" in e for e in errors(bad)), errors(bad)


def test_open_paste_with_corrected_language(root: Path) -> None:
    at = start()
    at.segmented_control(key="open_source").set_value("Paste text").run()
    at.text_area[0].set_value("Bom dia. O tempo está bom hoje em Lisboa.").run()
    lang = next(t for t in at.text_input if t.label == "Source language")
    assert lang.value in {"pt", "gl"}
    lang.set_value("pt").run()
    button(at, "Create project").click().run()
    assert open_project("pasted", root).source.lang == "pt"


def test_open_tmx_to_review_keeps_statuses(root: Path) -> None:
    corpus = ParallelCorpus(
        "en",
        "de",
        [
            TranslationUnit(("Good morning.",), ("Guten Morgen.",), confidence=0.9, status="confirmed"),
            TranslationUnit(("It rains.",), ("Es regnet.",), confidence=0.4, status="flagged", note="check"),
            TranslationUnit(("Bye.",), ("Tschüss.",), confidence=0.7),
        ],
        name="greetings",
    )
    at = start()
    at.segmented_control(key="open_source").set_value("Upload a file").run()
    at.file_uploader[0].set_value(("greetings.tmx", export_tmx(corpus), "application/xml")).run()
    assert any("3 translation units" in c.value for c in at.caption)
    button(at, "Create project to review").click().run()
    assert not at.exception and title(at) == "Review"
    rows = editor(at)["rows"]
    assert [[text for _, text in r["cells"][1]] for r in rows] == [["Guten Morgen."], ["Es regnet."], ["Tschüss."]]
    assert [(r["s"], r["n"]) for r in rows] == [("confirmed", ""), ("flagged", "check"), ("auto", "")]
    assert [link.status for link in open_project("greetings", root).target("de").links] == [
        "confirmed",
        "flagged",
        "auto",
    ]


def test_open_tsv_asks_for_languages_and_detects_them(root: Path) -> None:
    tsv = "The house is big.\tDas Haus ist groß.\nThe cat sleeps on the sofa.\tDie Katze schläft auf dem Sofa.\n"
    at = start()
    at.segmented_control(key="open_source").set_value("Upload a file").run()
    at.file_uploader[0].set_value(("pairs.tsv", tsv.encode(), "text/tab-separated-values")).run()
    langs = {t.label: t.value for t in at.text_input}
    assert langs["Source language"] == "en" and langs["Target language"] == "de"
    button(at, "Create project to review").click().run()
    project = open_project("pairs", root)
    assert (project.source.lang, project.target("de").lang) == ("en", "de")


def test_open_lists_projects_and_reopens_one(root: Path) -> None:
    name = given_project(root, "listed")
    at = start()
    assert any("listed" in m.value and "pt (0/13 approved" in m.value for m in at.markdown)
    next(b for b in at.button if b.key == "open-project-listed").click().run()
    assert title(at) == "Review" and len(editor(at)["rows"]) == 13
    assert at.query_params["project"] == name


# --------------------------------------------------------------------------------------------- Translate


def test_translate_seed_into_portuguese_aligns_it(root: Path) -> None:
    at = start()
    button(at, "Create project").click().run()
    assert "pt · neural direct · bergamot" in at.multiselect(key="translate_langs").options  # format_func shown
    at.multiselect(key="translate_langs").set_value(["pt"]).run()
    button(at, "Translate and align").click().run()
    assert not at.exception and not errors(at), errors(at)
    assert title(at) == "Review"
    project = open_project("kosovo-dialogue", root)
    target = project.target("pt")
    assert target.side.metadata["translation"].startswith("en->pt by bergamot")
    rows = editor(at)["rows"]
    assert len(rows) == len(target.links) >= 20
    assert all("Kosovo" in " ".join(text for _, text in side) for side in rows[0]["cells"])
    assert {link.status for link in target.links} == {"auto"}


def test_translate_explains_missing_pairs(root: Path) -> None:
    given_project(root, "explain")
    at = start(project="explain", page="translate")
    languages = {option.split(" ·")[0] for option in at.multiselect(key="translate_langs").options}
    assert "de" not in languages and {"es", "pt", "fr"} <= languages
    at.text_input(key="translate_check").set_value("de").run()
    warnings = [w.value for w in at.warning]
    assert any("no offline engine" in w and "argosmodel" in w for w in warnings), warnings
    assert not at.exception


def test_add_an_existing_translation(root: Path) -> None:
    create_project("human", load_document("kosovo-dialogue"), root)
    at = start(project="human", page="translate")
    at.segmented_control(key="existing_from").set_value("Seed document").run()
    assert at.selectbox(key="existing_seed").value == "kosovo-dialogue.de"
    assert next(t for t in at.text_input if t.label == "Its language").value == "de"
    button(at, "Align and add").click().run()
    assert not at.exception and not errors(at), errors(at)
    assert title(at) == "Review"
    target = open_project("human", root).target("de")
    assert target.signature["embedder"] and len(target.links) >= 20


def test_missing_model_and_missing_project_are_messages(root: Path) -> None:
    create_project("nomodel", load_document("kosovo-dialogue"), root)
    at = start(project="nomodel", page="translate")
    at.session_state["embedder_name"] = str(root / "no-such-model")  # as if the chosen model were not installed
    at.segmented_control(key="existing_from").set_value("Seed document").run()
    button(at, "Align and add").click().run()
    assert not at.exception
    assert any("cannot load" in e and "no-such-model" in e for e in errors(at)), errors(at)
    assert not open_project("nomodel", root).targets

    gone = start(project="deleted-meanwhile")  # a bookmark to a project deleted since
    assert not gone.exception and title(gone) == "Open"
    assert any("Could not reopen project 'deleted-meanwhile'" in e for e in errors(gone)), errors(gone)
    assert "project" not in gone.query_params
    gone.switch_page("views/review.py").run()
    assert any("Open a document or a project first" in i.value for i in gone.info)


# --------------------------------------------------------------------------------------------- Review


# The Review page is one components-v2 element, the review editor. AppTest cannot click inside it, so these tests
# read what the page sends the editor (its data: the rows, the message beside a link, where to go) and send
# actions as the browser does (editor_sends): the page's own callback then applies them, as in the browser.


def test_review_editor_gets_every_link_with_its_counts(root: Path) -> None:
    name = given_project(root, "rows")
    at = start(project=name, page="review")
    assert title(at) == "Review" and not errors(at)
    data = editor(at)
    assert (data["mode"], data["key"], data["start"], data["message"], data["focus"]) == ("links", "pt", 0, None, None)
    assert [c["label"] for c in data["columns"]] == ["Source (en)", "pt (pt)"]
    assert [r["i"] for r in data["rows"]] == list(range(13))
    assert data["rows"][7]["cells"] == [
        [["p8s1", "Source sentence 7 speaks of apples number 7."]],
        [["p8s1", "Frase 7 fala de maçãs número 7."]],
    ]
    assert (data["rows"][12]["k"], data["rows"][12]["cells"][0]) == ("0-1", [])
    assert data["counts"] == {"links": 13, "confirmed": 0, "flagged": 0, "todo": 13}
    assert sorted(data["weak"]) == list(range(13))  # every link is still to review


def test_review_edit_confirm_flag_undo_redo(root: Path) -> None:
    name = given_project(root, "edits")
    at = start(project=name, page="review")
    editor_sends(at, {"op": "edit", "index": 0, "side": "pt", "sid": "p1s1", "text": "Frase zero, revista."})
    assert open_project(name, root).target("pt").side.sentence("p1s1").text == "Frase zero, revista."
    data = editor(at)
    assert data["rows"][0]["cells"][1] == [["p1s1", "Frase zero, revista."]]
    assert message(data) == (0, "success", "Saved the new text of pt sentence p1s1.")
    assert data["focus"] is None and data["autofocus"]  # the editor stays where it is, ready for the next key

    editor_sends(at, {"op": "confirm", "index": 0})
    editor_sends(at, {"op": "flag", "index": 3, "note": "odd number"})
    saved = open_project(name, root).target("pt")
    assert saved.links[0].status == CONFIRMED
    assert (saved.links[3].status, saved.links[3].note) == (FLAGGED, "odd number")
    data = editor(at)
    assert message(data) == (3, "info", "Link 4 flagged: odd number")
    assert [r["s"] for r in data["rows"][:4]] == [CONFIRMED, "auto", "auto", FLAGGED]
    assert data["rows"][3]["n"] == "odd number"
    assert data["counts"] == {"links": 13, "confirmed": 1, "flagged": 1, "todo": 11}
    assert 0 not in data["weak"] and 3 not in data["weak"] and len(data["weak"]) == 11
    assert any(c.value == "pt: 1/13 approved, 1 flagged" for c in at.sidebar.caption)

    editor_sends(at, {"op": "undo", "index": 3})
    assert open_project(name, root).target("pt").links[3].status == "auto"
    assert message(editor(at)) == (3, "success", "Undone: flag link 4 of pt.")
    editor_sends(at, {"op": "redo", "index": 3})
    assert open_project(name, root).target("pt").links[3].status == FLAGGED
    assert message(editor(at))[2].startswith("Redone: flag link 4")

    revision = open_project(name, root).revision
    at.run()  # a rerun with no new action: nothing is applied again, and the message was shown once
    assert editor(at)["message"] is None and open_project(name, root).revision == revision


def test_review_merge_split_move_unlink_and_where_the_editor_goes(root: Path) -> None:
    name = given_project(root, "structure")
    at = start(project=name, page="review")
    editor_sends(at, {"op": "merge", "index": 0, "other": -1})  # nothing before link 1
    assert message(editor(at)) == (0, "error", "Link 1 is the first: there is no link to merge it with.")
    assert open_project(name, root).revision == 1

    editor_sends(at, {"op": "merge", "index": 3, "other": 2})  # with the previous link: the editor goes there
    links = open_project(name, root).target("pt").links
    assert (links[2].src, links[2].tgt, links[2].status) == (("p3s1", "p4s1"), ("p3s1", "p4s1"), MANUAL)
    data = editor(at)
    assert data["focus"]["index"] == 2 and at.session_state["link"] == 2
    assert message(data)[:2] == (2, "success") and message(data)[2].startswith("Links 3 and 4 merged into link 3")
    assert (data["rows"][2]["k"], data["rows"][2]["s"], data["rows"][2]["c"]) == ("2-2", MANUAL, None)

    editor_sends(at, {"op": "split", "index": 2, "source_at": 1, "target_at": 1})
    assert [x.kind for x in open_project(name, root).target("pt").links[2:4]] == ["1-1", "1-1"]
    assert editor(at)["focus"] is None  # still on link 3

    editor_sends(at, {"op": "move", "index": 0, "which": "target", "direction": "next"})
    links = open_project(name, root).target("pt").links
    assert (links[0].kind, links[1].kind) == ("1-0", "1-2")
    assert message(editor(at)) == (0, "success", "Moved: move target sentence p1s1 from link 1 to link 2 of pt.")

    editor_sends(at, {"op": "unlink", "index": 1})
    links = open_project(name, root).target("pt").links
    assert [(x.kind, x.status) for x in links[:4]] == [("1-0", MANUAL), ("1-0", MANUAL)] + [("0-1", MANUAL)] * 2
    revision = open_project(name, root).revision
    editor_sends(at, {"op": "unlink", "index": 0})  # a 1-0 links nothing: the library's message, beside it
    assert message(editor(at)) == (0, "error", "link 1 of pt is 1-0: it links nothing already.")
    editor_sends(at, {"op": "split", "index": 2})  # malformed: no cut given
    assert message(editor(at))[:2] == (2, "error") and "cannot read" in message(editor(at))[2]
    editor_sends(at, {"op": "explode", "index": 2})
    assert message(editor(at))[:2] == (2, "error") and "unknown action 'explode'" in message(editor(at))[2]
    assert open_project(name, root).revision == revision and not at.exception and not errors(at)


def test_review_split_and_join_sentences(root: Path) -> None:
    name = given_project(root, "sentences")
    at = start(project=name, page="review")
    text = "Source sentence 0\nspeaks of apples number 0."  # a line break typed in a sentence splits it there
    editor_sends(at, {"op": "edit", "index": 0, "side": "source", "sid": "p1s1", "text": text})
    source = open_project(name, root).source
    assert [s.text for s in source.sentences[:2]] == ["Source sentence 0", "speaks of apples number 0."]
    assert editor(at)["rows"][0]["cells"][0] == [
        ["p1s1", "Source sentence 0"],
        ["p1s1.2", "speaks of apples number 0."],
    ]
    assert message(editor(at)) == (0, "success", "Saved source sentence p1s1, split in 2.")
    editor_sends(at, {"op": "edit", "index": 0, "side": "source", "sid": "p1s1", "text": " \n "})
    assert message(editor(at))[:2] == (0, "error") and "cannot be empty" in message(editor(at))[2]
    editor_sends(at, {"op": "join", "index": 0, "side": "source", "sid": "p1s1"})
    assert open_project(name, root).source.sentences[0].text == "Source sentence 0 speaks of apples number 0."
    assert editor(at)["rows"][0]["cells"][0] == [["p1s1", "Source sentence 0 speaks of apples number 0."]]


def test_review_realign_keeps_confirmed_and_manual_links(root: Path) -> None:
    name = given_project(root, "realign", n=6)
    project = open_project(name, root)
    merge_links(project, "pt", 2, 3)  # a manual 2-2 link the aligner would not make (not approved yet)
    confirm(project, "pt", 4)  # the last 1-1 (p6s1): approved
    at = start(project=name, page="review")
    button(at, "Realign").click().run()
    assert not at.exception and not errors(at), errors(at)
    assert any(s.value.startswith("Realigned in") for s in at.success)
    saved = open_project(name, root)
    links = saved.target("pt").links
    assert (links[2].src, links[2].status, links[2].confidence) == (("p3s1", "p4s1"), MANUAL, None)
    assert (links[4].src, links[4].tgt, links[4].status) == (("p6s1",), ("p6s1",), CONFIRMED)
    signature = saved.target("pt").signature
    assert (signature["kept_manual"], signature["kept_confirmed"]) == (1, 1) and saved.history[-1].op == "realign"
    assert all(link.confidence is not None for link in links if link.status != MANUAL)
    assert [r["s"] for r in editor(at)["rows"]][2:5] == [MANUAL, "auto", CONFIRMED]


def test_review_conflict_with_another_tab_offers_reload(root: Path) -> None:
    name = given_project(root, "conflict")
    at = start(project=name, page="review")
    other = open_project(name, root)  # another tab (or the command line) saves first
    confirm(other, "pt", 5)
    editor_sends(at, {"op": "confirm", "index": 0})
    assert not at.exception
    where, kind, text = message(editor(at))
    assert (where, kind) == (0, "error") and text.startswith("Another tab or process saved this project first")
    assert at.session_state["conflict"] is True
    assert any("changed in another tab or process" in e for e in errors(at))  # the banner, with its Reload
    assert open_project(name, root).target("pt").links[0].status == "auto"  # nothing overwritten
    at.button(key="conflict-reload").click().run()
    assert not any("changed in another tab" in e for e in errors(at)) and at.session_state["conflict"] is False
    editor_sends(at, {"op": "confirm", "index": 0})
    saved = open_project(name, root).target("pt").links
    assert saved[0].status == CONFIRMED and saved[5].status == CONFIRMED
    assert [r["s"] for r in editor(at)["rows"]][:6:5] == [CONFIRMED, CONFIRMED]

    confirm(open_project(name, root), "pt", 7)  # the editor's own reload (key r) reads it again too
    editor_sends(at, {"op": "reload", "index": 7})
    assert message(editor(at)) == (7, "info", "Reloaded the project from disk.")
    assert editor(at)["rows"][7]["s"] == CONFIRMED


def test_review_target_choice_and_all_languages_view(root: Path) -> None:
    name = given_project(root, "multi")
    project = open_project(name, root)
    german = document_from_text(
        "\n\n".join(f"Satz {k} über Äpfel." for k in range(12)), "de", name="de-doc"
    )  # 12 sentences, 1-1 with the source
    add_target(project, german, "de", beads=[Bead((k,), (k,), 0.9) for k in range(12)])
    at = start(project=name, page="review")
    assert editor(at)["key"] == "pt"
    at.selectbox(key="target-select-pt").set_value("de").run()
    data = editor(at)
    assert (data["key"], len(data["rows"]), at.query_params["target"]) == ("de", 12, "de")
    assert data["rows"][0]["cells"][1] == [["p1s1", "Satz 0 über Äpfel."]]

    at.segmented_control(key="review_view").set_value("All languages").run()
    assert not at.exception and at.query_params["view"] == "All languages"
    data = editor(at)
    assert data["mode"] == "all" and [c["label"] for c in data["columns"]] == ["Source (en)", "pt (pt)", "de (de)"]
    assert len(data["rows"]) == 12 and data["rows"][0]["label"] == "s. 1"
    assert data["rows"][0]["cells"][2]["sents"] == [["p1s1", "Satz 0 über Äpfel."]]
    assert data["rows"][11]["cells"][1]["sents"] == [
        ["p12s1", "Frase 11 fala de maçãs número 11."],
        ["p13s1", "Uma frase a mais."],
    ]
    editor_sends(at, {"op": "open", "index": 11, "target": "pt", "link": 12})  # a cell opened: its link, in Links
    data = editor(at)
    assert (data["mode"], data["key"], data["start"], data["focus"]["index"]) == ("links", "pt", 12, 12)
    assert "view" not in at.query_params and at.query_params["target"] == "pt"


def test_large_document_opens_and_edits_without_realigning(root: Path) -> None:
    name = given_project(root, "large", n=2000, seed=7)
    started = time.perf_counter()
    at = start(project=name, page="review")
    opened = time.perf_counter() - started
    rows = editor(at)["rows"]
    assert len(rows) == 2001  # every link sent once: moving and filtering happen in the browser
    started = time.perf_counter()
    editor_sends(at, {"op": "edit", "index": 1960, "side": "pt", "sid": "p1961s1", "text": "Frase revista no fim."})
    edited = time.perf_counter() - started
    project = open_project(name, root)
    assert project.target("pt").side.sentence("p1961s1").text == "Frase revista no fim."
    assert [h.op for h in project.history] == ["add_target", "edit_sentence"]  # no realignment happened
    data = editor(at)
    assert data["rows"][1960]["cells"][1] == [["p1961s1", "Frase revista no fim."]] and message(data)[0] == 1960
    # Aligning 4,000 sentences takes over a minute on two cores; opening and editing take seconds.
    assert opened < 20 and edited < 10, (opened, edited)


# --------------------------------------------------------------------------------------------- Pictures


def test_pictures_draw_the_path_and_the_confidences(root: Path) -> None:
    name = given_project(root, "pictures")
    at = start(project=name, page="pictures")
    assert not at.exception and not errors(at), errors(at)
    images = at.get("image")
    assert len(images) == 2
    assert any("Alignment path" in h.value for h in at.subheader)


# --------------------------------------------------------------------------------------------- Export


def test_export_every_format_with_filters_and_save(root: Path, downloads: list) -> None:
    name = given_project(root, "export")
    project = open_project(name, root)
    confirm(project, "pt", [0, 1])
    at = start(project=name, page="export")
    for fmt in ("tmx", "xliff", "xliff2", "tsv", "moses", "jsonl", "tmx-multi"):
        downloads.clear()
        at.selectbox(key="export_format").set_value(fmt).run()
        assert not at.exception and not errors(at), (fmt, errors(at))
        assert at.get("download_button"), fmt
        data, file_name = downloads[-1]
        assert data and file_name and file_name.startswith("export."), (fmt, file_name)
    at.selectbox(key="export_format").set_value("tmx").run()
    corpus = import_tmx(downloads[-1][0])
    assert len(corpus.units) == 13
    at.checkbox(key="export_confirmed").check().run()
    assert [u.target for u in import_tmx(downloads[-1][0]).units] == [
        "Frase 0 fala de maçãs número 0.",
        "Frase 1 fala de maçãs número 1.",
    ]
    at.checkbox(key="export_confirmed").uncheck().run()
    at.checkbox(key="export_drop").check().run()
    at.slider(key="export_min").set_value(0.5).run()
    kept = import_tmx(downloads[-1][0]).units
    assert all(u.source and u.target for u in kept)
    assert all(u.status == "confirmed" or u.confidence >= 0.5 for u in kept)
    next(b for b in at.button if b.label.startswith("Save into")).click().run()
    assert (root / name / "export.en-pt.tmx").is_file()


def test_an_uploaded_subtitle_file_makes_a_project_that_exports_srt_on_its_times(root: Path, downloads: list) -> None:
    from test_document_export import PORTUGUESE, srt_bytes

    at = start()
    at.segmented_control(key="open_source").set_value("Upload a file").run()
    at.file_uploader[0].set_value(("talk.srt", srt_bytes(), "application/x-subrip")).run()
    next(t for t in at.text_input if t.label == "Source language").set_value("en").run()
    button(at, "Create project").click().run()
    project = open_project("talk", root)
    add_target(
        project, document_from_text("\n\n".join(PORTUGUESE), "pt"), "pt", beads=[Bead((k,), (k,)) for k in range(3)]
    )
    page = start(project="talk", page="export")
    assert [option.split(" ")[0] for option in page.selectbox(key="export_format").options[-2:]] == ["SubRip", "WebVTT"]
    page.selectbox(key="export_format").set_value("srt").run()
    assert not page.exception and not errors(page), errors(page)
    data, file_name = downloads[-1]
    assert file_name == "talk.en-pt.srt" and b"00:00:03,000 --> 00:00:04,200\nO autocarro" in data


# --------------------------------------------------------------------------------------------- Models


def test_models_lists_engines_installs_an_upload_and_picks_the_embedder(root: Path, tmp_path: Path) -> None:
    from bench.tiny_argos import build_copy_argosmodel
    from workbench.translation.argos import ArgosEngine

    at = start(page="models")
    engines = at.dataframe[0].value
    assert list(engines["Engine"]) == ["argos", "opus-mt", "bergamot", "apertium"]
    assert engines["State"][2] == "available"
    before = len(at.dataframe[1].value)

    at.file_uploader(key="argos_upload").set_value(("broken.argosmodel", b"not a zip", "application/zip")).run()
    button(at, "Install broken.argosmodel").click().run()
    assert any("not an Argos package" in e for e in errors(at)) and not at.exception

    package = build_copy_argosmodel(tmp_path, "en", "eo")  # a pair no other engine has: Esperanto
    installed = ArgosEngine().packages_dir / package.stem
    try:
        at.file_uploader(key="argos_upload").set_value((package.name, package.read_bytes(), "application/zip")).run()
        button(at, f"Install {package.name}").click().run()
        assert any("Installed translate-en_eo" in s.value for s in at.success)
        at.run()
        pairs = at.dataframe[1].value
        assert len(pairs) > before and ("en", "eo") in set(zip(pairs["From"], pairs["To"], strict=True))
    finally:
        import shutil

        from workbench.app import state

        shutil.rmtree(installed, ignore_errors=True)
        state.router.clear()

    at.radio(key="embedder_choice").set_value("use").run()
    assert at.session_state["embedder_name"] == "use"
