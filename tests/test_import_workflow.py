"""One import workflow under both faces: the same corpus file imported by ``workbench import`` and uploaded on the
Open page becomes the same project (name, sentences, links with their status, confidence and note), and what is
left out is said once. Real files, the real CLI entry point and the real page through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbench.app.review_signals import ROUND_TRIP_ENV
from workbench.cli import main as cli_main
from workbench.errors import WorkbenchError
from workbench.formats import ParallelCorpus, TranslationUnit
from workbench.formats.tmx import export_tmx
from workbench.projects import Project, open_project
from workbench.workflows.imports import import_corpus, project_name_for

MAIN = Path(__file__).resolve().parent.parent / "workbench" / "app" / "main.py"


def corpus() -> ParallelCorpus:
    """Named 'other' inside, so the file's name ('greetings...') is what names the project on both faces."""
    units = [
        TranslationUnit(("Good morning.",), ("Guten Morgen.",), confidence=0.9, status="confirmed"),
        TranslationUnit(("It rains.",), ("Es regnet.",), confidence=0.4, status="flagged", note="check"),
        TranslationUnit(("Bye.",), ("Tschüss.",), confidence=0.7),
    ]
    return ParallelCorpus("en", "de", units, name="other")


def content(project: Project) -> tuple:
    target = project.target("de")
    links = [(x.src, x.tgt, x.status, x.confidence, x.note) for x in target.links]
    return project.name, project.source.texts(), target.side.texts(), links


def test_the_cli_and_the_app_import_a_corpus_file_as_the_same_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv(ROUND_TRIP_ENV, "off")
    data = export_tmx(corpus())
    path = tmp_path / "greetings.en-de.tmx"
    path.write_bytes(data)
    by_cli, by_app = tmp_path / "cli", tmp_path / "app"
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(by_cli))
    assert cli_main(["import", str(path)]) == 0
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(by_app))
    at = AppTest.from_file(str(MAIN), default_timeout=180)
    at.run()
    at.segmented_control(key="open_source").set_value("Upload a file").run()
    at.file_uploader[0].set_value((path.name, data, "application/xml")).run()
    next(b for b in at.button if b.label == "Create project to review").click().run()
    assert not at.exception, at.exception
    made = content(open_project("greetings", by_cli))
    assert made == content(open_project("greetings", by_app))
    assert made[3][1] == (("p1s2",), ("p1s2",), "flagged", 0.4, "check")


def test_one_naming_rule_and_nothing_to_review_refused(tmp_path: Path) -> None:
    assert project_name_for("kos.en-pt.tmx") == "kos" and project_name_for("/x/kos.en-pt.tmx", {"kos"}) == "kos-2"
    empty = ParallelCorpus("en", "de", [], name="empty")
    with pytest.raises(WorkbenchError, match="no translation units"):
        import_corpus(empty, "e", tmp_path)
    assert not (tmp_path / "e").exists()  # nothing made
