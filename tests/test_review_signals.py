"""The Review page's background signals: the quality checks in a worker process, the round trip in a thread,
with the real engines (Bergamot translates the Portuguese back to English)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from workbench.alignment.beads import Bead
from workbench.app.review_signals import ROUND_TRIP_ENV, ReviewSignals, Signals
from workbench.documents import document_from_text
from workbench.projects import Project, add_target, create_project, edit_sentence
from workbench.translation.cache import TranslationCache
from workbench.translation.router import Router

SOURCE = (
    "The council met on Tuesday to discuss the budget.\n\n"
    "Several members asked for more time to read the proposal.\n\n"
    "In the afternoon, the chair presented a new plan for transport."
)
TARGET = (
    "O conselho reuniu-se na terça-feira para discutir o orçamento.\n\n"
    "Vários membros pediram mais tempo para ler a proposta.\n\n"
    "À tarde, o presidente apresentou um novo plano para os transportes."
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    made = create_project("signals", document_from_text(SOURCE, "en"), tmp_path)
    add_target(made, document_from_text(TARGET, "pt"), "pt", beads=[Bead((k,), (k,), 0.9) for k in range(3)])
    return made


def wait(jobs: ReviewSignals, project: Project, until: str, timeout: float = 180) -> Signals:
    """Poll as the page does, starting jobs as it does, until the signals are no longer pending."""
    deadline = time.monotonic() + timeout
    while True:
        jobs.start(project, "pt")
        signals = jobs.signals(project, "pt")
        if not signals.pending and until in signals.round_trip:
            return signals
        assert time.monotonic() < deadline, f"still pending: {signals}"
        time.sleep(0.2)


def test_round_trip_and_checks_run_in_the_background(project: Project, tmp_path: Path) -> None:
    jobs = ReviewSignals(Router, lambda: TranslationCache(tmp_path / "translations.sqlite"))
    first = jobs.signals(project, "pt")
    assert first.items == [None, None, None] and first.pending  # nothing known yet: the page does not wait
    done = wait(jobs, project, "Round trip by")
    assert all(q is not None and q.band == "good" for q in done.items)
    assert all(q is not None and q.chrf is not None and q.chrf > 40 for q in done.items)  # chrF of the round trip

    # After an edit, until the checks catch up, every link keeps its last signal (links are known by their
    # sentences' ids, which a text edit keeps); then the edited link's is made again.
    edit_sentence(
        project, "pt", project.target("pt").side.sentences[1].id, "Vários membros asked for additional time to read."
    )
    now = jobs.signals(project, "pt")
    assert now.checking and now.items[0] == done.items[0] and now.items[1] == done.items[1]
    after = wait(jobs, project, "Round trip by")
    assert after.items[1] is not None and after.items[1].band != "good"  # English words left in
    assert after.items[1].chrf is not None  # the round trip caught up with the edit (the rest from its cache)
    assert after.version != done.version


def test_round_trip_off_says_so(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ROUND_TRIP_ENV, "off")
    jobs = ReviewSignals(Router, lambda: TranslationCache(tmp_path / "translations.sqlite"))
    signals = wait(jobs, project, "Round trip off")
    assert all(q is not None and q.chrf is None for q in signals.items)


def test_after_an_edit_the_signals_are_pending_until_the_round_trip_catches_up(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks after an edit are quick and the round trip over the edited text can be slow: until it is back,
    the signals say it is running, so the page does not take the edited link's missing chrF as final."""
    from workbench.app import review_signals

    calls = []
    real = review_signals.back_translate

    def slow_after_the_first(*args, **kwargs):
        calls.append(time.monotonic())
        if len(calls) > 1:
            time.sleep(3.0)  # a slow engine: the checks made meanwhile finish long before
        return real(*args, **kwargs)

    monkeypatch.setattr(review_signals, "back_translate", slow_after_the_first)
    jobs = ReviewSignals(Router, lambda: TranslationCache(tmp_path / "translations.sqlite"))
    wait(jobs, project, "Round trip by")
    edit_sentence(
        project, "pt", project.target("pt").side.sentences[1].id, "Vários membros asked for additional time to read."
    )
    jobs.start(project, "pt")
    time.sleep(1.5)  # the checks of the edit are done; the round trip is not
    assert jobs.signals(project, "pt").pending
    after = wait(jobs, project, "Round trip by")
    assert len(calls) == 2 and after.items[1] is not None and after.items[1].chrf is not None
