"""Back out (issue 16): a project made from a subtitle or Word file exports the translation in that file's form,
on the source's cue times or with the source's paragraph styles, because the project keeps the source's blocks and
file (format version 4; a version-3 project is upgraded and offers the corpus formats only)."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import docx
import pysrt
import pytest
import webvtt

from workbench.alignment.beads import Bead
from workbench.documents import document_from_bytes, document_from_text
from workbench.errors import InputError
from workbench.projects import add_target, create_project, edit_sentence, open_project
from workbench.projects.store import PROJECT_FILE, SCHEMA, SCHEMA_VERSION, load_source_file
from workbench.workflows.export import document_formats, export_formats, export_project, save_export

CUES = [("00:00:01,000", "00:00:02,500", "Good morning."), ("00:00:03,000", "00:00:04,200", "The bus is late.")]
CUES.append(("00:00:05,000", "00:00:07,750", "We walk to work."))
PORTUGUESE = ["Bom dia.", "O autocarro está atrasado.", "Vamos a pé para o trabalho."]


def srt_bytes() -> bytes:
    """An SRT with three cues, made with pysrt as a subtitler's tool would."""
    items = pysrt.SubRipFile()
    for k, (start, end, text) in enumerate(CUES, start=1):
        items.append(pysrt.SubRipItem(k, pysrt.SubRipTime.from_string(start), pysrt.SubRipTime.from_string(end), text))
    out = io.StringIO()
    items.write_into(out, eol="\n")
    return out.getvalue().encode()


def docx_bytes() -> bytes:
    """A Word file with a heading, a body paragraph and a list item, each in its own style."""
    document = docx.Document()
    document.add_heading("Travel report", level=1)
    document.add_paragraph("The bus is late.")
    document.add_paragraph("We walk to work.", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def translated(root: Path, name: str, source_bytes: bytes, file_name: str, texts: list[str]):
    source = document_from_bytes(source_bytes, "en", file_name)
    project = create_project(name, source, root)
    target = document_from_text("\n\n".join(texts), "pt")
    add_target(project, target, "pt", beads=[Bead((k,), (k,)) for k in range(len(texts))])
    return project


def test_a_subtitle_project_exports_srt_and_vtt_with_the_reviewed_text_on_the_source_times(tmp_path: Path) -> None:
    project = translated(tmp_path, "talk", srt_bytes(), "talk.srt", PORTUGUESE)
    assert document_formats(project) == ["srt", "vtt"] and "docx" not in export_formats(project)
    reviewed = project.target("pt").links[1].tgt[0]
    edit_sentence(project, "pt", reviewed, "O autocarro vem tarde.")  # the reviewer's edit goes out
    project = open_project("talk", tmp_path)  # kept on disk, not only in memory
    srt = export_project(project, ["pt"], "srt")
    assert srt.file_name == "talk.en-pt.srt" and srt.mime_type == "application/x-subrip"
    cues = pysrt.from_string(srt.data.decode())
    assert [(str(c.start), str(c.end)) for c in cues] == [(a, b) for a, b, _ in CUES]
    assert [c.text for c in cues] == ["Bom dia.", "O autocarro vem tarde.", "Vamos a pé para o trabalho."]
    vtt = export_project(project, ["pt"], "vtt")
    captions = webvtt.from_buffer(io.StringIO(vtt.data.decode()))
    assert [c.start for c in captions] == ["00:00:01.000", "00:00:03.000", "00:00:05.000"]
    assert captions[2].text == "Vamos a pé para o trabalho."
    (path,) = save_export(srt, folder=tmp_path)
    assert path.name == "talk.en-pt.srt" and path.read_bytes() == srt.data
    # Filters hold here too: a cue whose link is not confirmed is left out, the others keep their times.
    none_confirmed = export_project(project, ["pt"], "srt", confirmed_only=True)
    assert none_confirmed.data.strip() == b""


def test_a_word_project_exports_docx_with_the_source_styles_and_the_target_text(tmp_path: Path) -> None:
    texts = ["Relatório de viagem", "O autocarro está atrasado.", "Vamos a pé para o trabalho."]
    project = translated(tmp_path, "report", docx_bytes(), "report.docx", texts)
    assert document_formats(project) == ["docx"]
    made = export_project(project, ["pt"], "docx")
    assert made.file_name == "report.en-pt.docx"
    out = docx.Document(io.BytesIO(made.data))
    paragraphs = [(p.style.name, p.text) for p in out.paragraphs if p.text]
    assert paragraphs == [("Heading 1", texts[0]), ("Normal", texts[1]), ("List Bullet", texts[2])]
    kept = load_source_file(project)
    assert kept is not None and kept.data and kept.blocks[0][0] == "heading"


def test_a_project_from_text_refuses_document_formats_in_one_clear_line(tmp_path: Path) -> None:
    source = document_from_text("Good morning.\n\nThe bus is late.", "en")
    project = create_project("plain", source, tmp_path)
    add_target(
        project,
        document_from_text("Bom dia.\n\nO autocarro está atrasado.", "pt"),
        "pt",
        beads=[Bead((0,), (0,)), Bead((1,), (1,))],
    )
    assert document_formats(project) == [] and load_source_file(project) is None
    with pytest.raises(InputError, match="cannot be exported as srt: its source was made from text"):
        export_project(project, ["pt"], "srt")


def test_a_version_3_project_is_upgraded_to_keep_source_files_and_still_exports(tmp_path: Path) -> None:
    project = translated(tmp_path, "old", srt_bytes(), "old.srt", PORTUGUESE)
    path = tmp_path / "old" / PROJECT_FILE
    with sqlite3.connect(path) as db:  # what version 3 wrote: the same file without the source_file table
        db.execute("DROP TABLE source_file")
        db.execute("PRAGMA user_version = 3")
    reopened = open_project("old", tmp_path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert db.execute("SELECT count(*) FROM source_file").fetchone()[0] == 0
        upgraded = db.execute("SELECT sql FROM sqlite_master WHERE name = 'source_file'").fetchone()
    with sqlite3.connect(":memory:") as fresh:  # the table as a new file has it
        fresh.executescript(SCHEMA)
        assert upgraded == fresh.execute("SELECT sql FROM sqlite_master WHERE name = 'source_file'").fetchone()
    assert reopened.targets == project.targets
    assert document_formats(reopened) == []  # its file was not kept: the corpus formats only
    assert b"Vamos a p" in export_project(reopened, ["pt"], "tmx").data


def test_translate_writes_a_subtitle_as_a_subtitle_and_a_word_file_as_a_word_file(tmp_path: Path) -> None:
    """``workbench translate`` of an .srt or .docx writes the same form (Bergamot en->pt, offline), not .txt."""
    (tmp_path / "talk.srt").write_bytes(srt_bytes())
    (tmp_path / "report.docx").write_bytes(docx_bytes())
    out = tmp_path / "out"
    for name in ("talk.srt", "report.docx"):
        args = ["translate", str(tmp_path / name), "--from", "en", "--to", "pt", "--engine", "bergamot"]
        result = subprocess.run(
            [sys.executable, "-m", "workbench.cli", *args, "--out", str(out), "--quiet", "--no-cache"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.pt.docx", "talk.pt.srt"]
    cues = pysrt.open(str(out / "talk.pt.srt"))
    assert [(str(c.start), str(c.end)) for c in cues] == [(a, b) for a, b, _ in CUES]
    assert cues[0].text != CUES[0][2] and all(c.text.strip() for c in cues)  # Portuguese text on the same times
    styles = [p.style.name for p in docx.Document(str(out / "report.pt.docx")).paragraphs if p.text]
    assert styles == ["Heading 1", "Normal", "List Bullet"]


def test_workbench_export_offers_srt_for_a_subtitle_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.cli import main

    translated(tmp_path, "talk", srt_bytes(), "talk.srt", PORTUGUESE)
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(tmp_path))
    assert main(["export", "talk", "--format", "srt"]) == 0
    written = Path(capsys.readouterr().out.split()[0])
    assert written == tmp_path / "talk" / "talk.en-pt.srt"
    assert [c.text for c in pysrt.open(str(written))] == PORTUGUESE
    create_project("plain", document_from_text("Good morning.", "en"), tmp_path)
    assert main(["export", "plain", "--format", "docx"]) == 2  # no target, and not from a Word file: one error
    assert capsys.readouterr().err.count("\n") == 1
