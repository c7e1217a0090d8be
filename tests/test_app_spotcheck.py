"""The Spot-check page through AppTest: the seed in Portuguese with one number changed by hand is found, the
reviewer jumps to it in Review, and an audit verdict given on the page is saved in the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app import app_cache, button, editor, root, start, title  # noqa: F401 (fixtures)

from workbench.documents import load_document
from workbench.projects import add_target, create_project, edit_sentence, open_project
from workbench.projects.audit import load_audit
from workbench.translation.bergamot import BergamotEngine
from workbench.translation.documents import translate_document
from workbench.translation.router import Router


@pytest.fixture
def changed(root: Path, e5) -> int:  # noqa: F811
    """Project 'kos' (seed -> pt by Bergamot, aligned); returns the link whose "22 de abril" became "23"."""
    source = load_document("kosovo-dialogue")
    project = create_project("kos", source, root)
    add_target(project, translate_document(source, Router([BergamotEngine()]).route("en", "pt")).document, "pt", e5)
    sentence = next(s for s in project.target("pt").side.sentences if "22 de abril" in s.text)
    edit_sentence(project, "pt", sentence.id, sentence.text.replace("22 de abril", "23 de abril"))
    return project.target("pt").link_of("target", sentence.id)


def test_checks_find_the_changed_number_and_lead_to_it_in_review(root: Path, changed: int) -> None:  # noqa: F811
    at = start("kos", "spotcheck")
    button(at, "Run checks").click().run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric if m.label == "Errors"] == ["1"]
    table = at.dataframe[0].value
    # numbered from 1, as Review; the changed number is the only error or warning, the other rows are notes
    # (Bergamot's pt-PT text has two Brazilian words: the variant check's)
    rows = list(zip(table["link"], table["severity"], table["kind"], strict=True))
    assert [(link, kind) for link, severity, kind in rows if severity != "info"] == [(changed + 1, "numbers")]
    assert {kind for _, severity, kind in rows if severity == "info"} <= {"variant", "negation"}
    assert str(changed + 1) in at.selectbox(key="spotcheck-link-pt").options  # shown numbered from 1
    at.selectbox(key="spotcheck-link-pt").set_value(changed).run()  # the option is the link's index
    button(at, "Review this link").click().run()
    assert not at.exception, at.exception
    assert title(at) == "Review" and at.session_state["link"] == changed
    data = editor(at)  # the review editor is told to open on that link, which holds the changed number
    assert (data["key"], data["start"], data["focus"]["index"]) == ("pt", changed, changed)
    assert any("23 de abril" in text for _, text in data["rows"][changed]["cells"][1])


def test_an_audit_verdict_is_saved_in_the_project(root: Path, changed: int) -> None:  # noqa: F811
    at = start("kos", "spotcheck")
    at.number_input(key="audit-size-pt").set_value(3).run()
    button(at, "Draw a new sample").click().run()
    assert not at.exception, at.exception
    drawn = load_audit(open_project("kos", root), "pt")
    assert len(drawn.items) == 3 and all(i.passed is None for i in drawn.items)
    first = drawn.items[0].link_index
    at.radio(key=f"audit-verdict-pt-{first}").set_value("fail")
    at.selectbox(key=f"audit-category-pt-{first}").set_value("omission")
    at.text_input(key=f"audit-comment-pt-{first}").input("a clause is missing")
    save = [b for b in at.button if b.label == "Save verdict"]
    save[0].click().run()
    assert not at.exception, at.exception
    judged = load_audit(open_project("kos", root), "pt")
    verdict = next(i for i in judged.items if i.link_index == first)
    assert (verdict.passed, verdict.category, verdict.comment) == (False, "omission", "a clause is missing")
    assert [m.value for m in at.metric if m.label == "Judged"] == ["1 / 3"]
