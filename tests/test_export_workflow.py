"""One export workflow under both faces: for the same project, the command line's file and the app's download
(and its save) have the same name and the same bytes, in every format. Real project files, the real CLI entry
point and the real app page through Streamlit's AppTest; the links are given, so no model aligns anything."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbench.alignment.beads import Bead
from workbench.app.review_signals import ROUND_TRIP_ENV
from workbench.cli import main as cli_main
from workbench.documents import document_from_text
from workbench.errors import InputError, WorkbenchError
from workbench.formats import FORMATS
from workbench.projects import add_target, confirm, create_project, open_project
from workbench.workflows.export import MULTILINGUAL, export_file_name, export_project, save_export

MAIN = Path(__file__).resolve().parent.parent / "workbench" / "app" / "main.py"
N = 6


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with three targets (Portuguese twice: keys pt and pt-2; German), one link approved, XML-special
    text."""
    folder = tmp_path / "alignments"
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(folder))
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv(ROUND_TRIP_ENV, "off")
    source = document_from_text("\n\n".join(f"Sentence {k} <b> & co." for k in range(N)), "en", name="src")
    project = create_project("same", source, folder)
    for key, lang, word in (("pt", "pt", "Frase"), ("pt-2", "pt", "Oração"), ("de", "de", "Satz")):
        target = document_from_text("\n\n".join(f"{word} {k} <b> & Co." for k in range(N)), lang, name=key)
        beads = [Bead((k,), (k,), 0.5 + k / 20) for k in range(N)]
        add_target(project, target, key, beads=beads)
    confirm(project, "pt", 0)
    return folder


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[bytes, str | None, str]]]:
    """Every file a download button offers, as (bytes, file name, MIME type)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen: list[tuple[bytes, str | None, str]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes):
            seen.append((path_or_data, filename, mimetype))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    yield seen


def cli_export(root: Path, *args: str) -> dict[str, bytes]:
    """What ``workbench export`` writes with ``args`` where it writes by default (the project's folder): file
    name -> bytes; the files are removed again, so the app's save that follows starts from the same folder."""
    before = set((root / "same").iterdir())
    assert cli_main(["export", "same", *args]) == 0
    written = sorted(set((root / "same").iterdir()) - before)
    files = {path.name: path.read_bytes() for path in written}
    for path in written:
        path.unlink()
    return files


def test_the_cli_and_the_app_export_the_same_file_name_and_bytes(root: Path, downloads: list) -> None:
    at = AppTest.from_file(str(MAIN), default_timeout=180)
    at.query_params["project"] = "same"
    at.run()
    at.switch_page("views/export.py").run()
    assert not at.exception, at.exception
    for fmt in [*FORMATS, MULTILINGUAL]:
        downloads.clear()
        at.selectbox(key="export_format").set_value(fmt).run()
        if fmt == MULTILINGUAL:
            at.multiselect(key="export_targets").set_value(["pt", "de"]).run()
        else:
            at.selectbox(key="export_target").set_value("pt").run()
        assert not at.exception and not at.error, (fmt, [e.value for e in at.error])
        data, file_name, mime = downloads[-1]
        args = ["--lang", "pt", "--lang", "de", "--format", "tmx"] if fmt == MULTILINGUAL else ["--format", fmt]
        if fmt != MULTILINGUAL:
            args = ["--lang", "pt", *args]
        files = cli_export(root, *args)
        if fmt == "moses":  # two plain files from the CLI; the app's download is a zip of those same two files
            assert file_name == "same.en-pt.zip" and mime == "application/zip"
            members = zipfile.ZipFile(io.BytesIO(data))
            assert {name: members.read(name) for name in members.namelist()} == files
            assert sorted(files) == ["same.en-pt.en", "same.en-pt.pt"]
        else:
            assert files == {file_name: data}, fmt
        # The app's "save beside the project" writes what the CLI writes, under the same names.
        next(b for b in at.button if b.label.startswith("Save into")).click().run()
        assert {name: (root / "same" / name).read_bytes() for name in files} == files
        for name in files:
            (root / "same" / name).unlink()
    assert sorted(files) == ["same.en-pt-de.tmx"]


def test_one_naming_rule_and_one_clear_error(root: Path, tmp_path: Path) -> None:
    project = open_project("same", root)
    assert export_file_name(project, ["pt-2"], "tsv") == "same.en-pt-2.tsv"  # the key: two targets, two names
    assert export_file_name(project, ["pt"], "xliff2") == "same.en-pt.xlf"
    assert export_file_name(project, ["pt"], MULTILINGUAL) == "same.en-pt.tmx"
    made = export_project(project, ["pt"], "jsonl", confirmed_only=True)
    assert made.units == 1 and made.mime_type == "application/jsonl"
    with pytest.raises(InputError, match="multilingual TMX"):
        export_project(project, ["pt", "de"], "tsv")
    out = tmp_path / "x.jsonl"
    assert save_export(made, out) == [out] and out.read_bytes() == made.data
    with pytest.raises(WorkbenchError, match="already a file"):
        save_export(made, out, replace=False)  # refused: the file exists, and it is left as it was
    assert out.read_bytes() == made.data
