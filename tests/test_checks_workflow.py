"""One checks workflow under both faces: ``workbench check --csv --html`` and the Spot-check page's downloads are
the same reports, byte for byte, under one naming rule; the limits and check names are read in one place; a
glossary upload is read from memory as a file is. Real project files, the real CLI entry point and the real page
through Streamlit's AppTest; the links are given, so no model aligns anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbench.alignment.beads import Bead
from workbench.app.review_signals import ROUND_TRIP_ENV
from workbench.checks import glossary_from_bytes, load_glossary
from workbench.cli import main as cli_main
from workbench.documents import document_from_text
from workbench.errors import InputError
from workbench.projects import add_target, create_project, open_project
from workbench.workflows.checks import check_kinds, quality_gate, report_names

MAIN = Path(__file__).resolve().parent.parent / "workbench" / "app" / "main.py"
SOURCE = ["The council met on 22 April.", "It sent 3 delegates to Pristina.", "Nobody came late."]
TARGET = ["O conselho reuniu-se a 23 de abril.", "Enviou 3 delegados a Pristina.", "Ninguém chegou tarde."]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Project 'checked': three 1-1 links into Portuguese, the first with its date changed (22 -> 23)."""
    folder = tmp_path / "alignments"
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(folder))
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv(ROUND_TRIP_ENV, "off")
    project = create_project("checked", document_from_text("\n\n".join(SOURCE), "en", name="src"), folder)
    target = document_from_text("\n\n".join(TARGET), "pt", name="pt")
    add_target(project, target, "pt", beads=[Bead((k,), (k,), 0.9) for k in range(3)])
    return folder


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """Every file a download button offers, by file name."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes) and filename:
            seen[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    yield seen


def test_the_cli_and_the_app_make_the_same_reports(root: Path, downloads: dict, tmp_path: Path) -> None:
    kinds = "numbers,untranslated,length_ratio,names,brackets"
    csv_path, html_path = tmp_path / "r.csv", tmp_path / "r.html"
    assert (
        cli_main(
            ["check", "checked", "--lang", "pt", "--kinds", kinds, "--csv", str(csv_path), "--html", str(html_path)]
        )
        == 0
    )
    at = AppTest.from_file(str(MAIN), default_timeout=180)
    at.query_params["project"] = "checked"
    at.run()
    at.switch_page("views/spotcheck.py").run()
    at.multiselect[0].set_value(kinds.split(","))
    next(b for b in at.button if b.label == "Run checks").click().run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric if m.label == "Errors"] == ["1"]  # the changed date
    csv_name, html_name = report_names(open_project("checked", root), "pt")
    assert (csv_name, html_name) == ("checked.pt.checks.csv", "checked.pt.checks.html")
    assert downloads[csv_name] == csv_path.read_bytes() and b"23 de abril" in downloads[csv_name]
    assert downloads[html_name] == html_path.read_bytes()


def test_names_and_limits_are_read_in_one_place() -> None:
    assert check_kinds("numbers, names") == ["numbers", "names"] and check_kinds(None) is None
    with pytest.raises(InputError, match="unknown check 'colour'"):
        check_kinds(["colour"])
    assert quality_gate() is None  # no limits: the checks only report
    assert quality_gate(max_errors=0) is not None
    with pytest.raises(InputError, match="unknown check 'colour'"):
        quality_gate(per_kind={"colour": 1})


def test_a_glossary_upload_reads_as_its_file_does(tmp_path: Path) -> None:
    data = "source,target\nSecurity Council;Conselho de Segurança\n".replace(";", ",").encode("utf-8")
    path = tmp_path / "g.csv"
    path.write_bytes(data)
    assert glossary_from_bytes(data, "g.csv", "en", "pt") == load_glossary(path, "en", "pt")
    with pytest.raises(InputError, match=r"g\.csv, line 2"):
        glossary_from_bytes(b"source,target\nonly one column\n", "g.csv")
