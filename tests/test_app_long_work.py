"""The app asks before work estimated to take long, with the estimate, and starts it only when told to.

``WORKBENCH_CONFIRM_SECONDS=0`` makes every alignment "long", so a small real one shows the question.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_app import app_cache, button, errors, given_project, root, start, title  # noqa: F401 (fixtures)

from workbench.app.state import CONFIRM_ENV
from workbench.documents import load_document
from workbench.projects import create_project, open_project


@pytest.fixture
def always_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIRM_ENV, "0")


def warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def test_adding_a_translation_asks_first_then_aligns(root: Path, always_ask: None) -> None:  # noqa: F811
    create_project("asked", load_document("kosovo-dialogue"), root)
    at = start(project="asked", page="translate")
    at.segmented_control(key="existing_from").set_value("Seed document").run()
    button(at, "Align and add").click().run()
    (question,) = [w for w in warnings(at) if "Start now?" in w]
    assert question.startswith("Aligning kosovo-dialogue.de (28 sentences) will take about")
    assert "sentences" in question and "characters/s" in question
    assert not open_project("asked", root).targets  # nothing started yet
    button(at, "Start anyway").click().run()
    assert not at.exception and not errors(at), errors(at)
    assert title(at) == "Review"
    assert len(open_project("asked", root).target("de").links) >= 20


def test_translating_asks_first_and_cancel_does_nothing(root: Path, always_ask: None) -> None:  # noqa: F811
    create_project("cancelled", load_document("kosovo-dialogue"), root)
    at = start(project="cancelled", page="translate")
    at.multiselect(key="translate_langs").set_value(["pt"]).run()
    button(at, "Translate and align").click().run()
    assert any(w.startswith("Aligning the translation into pt will take about") for w in warnings(at)), warnings(at)
    button(at, "Cancel").click().run()
    assert not any("Start now?" in w for w in warnings(at)) and not at.exception
    assert not open_project("cancelled", root).targets


def test_translating_into_two_languages_asks_with_each_languages_time(root: Path, always_ask: None) -> None:  # noqa: F811
    """Each language is estimated as the embedder that will read it; the question gives the sum, and each time once
    with the languages that take it."""
    create_project("two-asked", load_document("kosovo-dialogue"), root)
    at = start(project="two-asked", page="translate")
    at.multiselect(key="translate_langs").set_value(["es", "pt"]).run()
    button(at, "Translate and align").click().run()
    (question,) = [w for w in warnings(at) if "Start now?" in w]
    assert question.startswith("Aligning the translations will take about"), question
    # Both are read by e5 alone, from the same source: one time, named once.
    assert re.search(r"\(es, pt about [^;()]+ each\), after them", question), question
    button(at, "Cancel").click().run()
    assert not open_project("two-asked", root).targets


def test_realign_asks_first(root: Path, always_ask: None) -> None:  # noqa: F811
    name = given_project(root, "realign-asked", n=6)
    at = start(project=name, page="review")
    button(at, "Realign").click().run()
    assert any(w.startswith("Realigning pt will take about") for w in warnings(at)), warnings(at)
    assert open_project(name, root).history[-1].op != "realign"
    button(at, "Start anyway").click().run()
    assert not at.exception and not errors(at), errors(at)
    assert any(s.value.startswith("Realigned in") for s in at.success)
    assert open_project(name, root).history[-1].op == "realign"


def test_short_work_does_not_ask(root: Path) -> None:  # noqa: F811
    """Under the default threshold (three minutes) a small realign starts at once."""
    name = given_project(root, "realign-short", n=6)
    at = start(project=name, page="review")
    button(at, "Realign").click().run()
    assert not any("Start now?" in w for w in warnings(at))
    assert open_project(name, root).history[-1].op == "realign"
