"""Writing a translation back: subtitles on the source's times, a Word file with the source's styles.

The source files are made with the formats' own libraries, read with the readers, "translated" by links whose
target text is recognisable, written back, and reopened with the same libraries.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pysrt
import pytest
import webvtt
from docx.shared import Pt

from workbench.documents import Document, load_document
from workbench.errors import InputError
from workbench.writers import texts_by_block
from workbench.writers.docx import export_docx
from workbench.writers.subtitles import export_srt, export_vtt

SRT = """1
00:00:01,000 --> 00:00:02,500
Hello there.
How are you?

2
00:00:03,000 --> 00:00:04,250
Fine, thanks.

3
00:01:05,000 --> 00:01:06,200
Good bye.
"""

GERMAN = {"Hello there.": "Hallo.", "How are you?": "Wie geht es dir?", "Fine, thanks.": "Gut, danke."}


def _links(doc: Document) -> list[tuple[list[int], str]]:
    """1-1 links with a German text where one is known; the last sentence left untranslated (1-0)."""
    return [([s.index], GERMAN.get(s.text, "")) for s in doc.sentences]


def test_srt_and_vtt_carry_the_target_text_on_the_source_times(tmp_path: Path) -> None:
    path = tmp_path / "episode.srt"
    path.write_text(SRT, encoding="utf-8")
    source = load_document(path, "en")
    texts = texts_by_block(source, _links(source), "de")
    assert texts == ["Hallo. Wie geht es dir?", "Gut, danke.", ""]

    srt = pysrt.from_string(export_srt(source, texts).decode("utf-8"))
    assert [(item.index, item.start.ordinal, item.end.ordinal, item.text) for item in srt] == [
        (1, 1000, 2500, "Hallo. Wie geht es dir?"),
        (2, 3000, 4250, "Gut, danke."),
    ]  # the untranslated cue is left out, not shown empty

    data = export_vtt(source, texts, "de").decode("utf-8")
    assert data.startswith("WEBVTT")
    back = load_document_from(tmp_path / "episode.de.vtt", data)
    assert back.lang == "de"
    assert [(p.cue, back.text[p.start : p.end]) for p in back.paragraphs] == [
        ((1.0, 2.5), "Hallo. Wie geht es dir?"),
        ((3.0, 4.25), "Gut, danke."),
    ]
    assert [c.start for c in webvtt.from_string(data).captions] == ["00:00:01.000", "00:00:03.000"]


def load_document_from(path: Path, text: str) -> Document:
    path.write_text(text, encoding="utf-8")
    return load_document(path)


def test_a_link_over_two_cues_plays_in_the_first_and_added_text_joins_the_one_before(tmp_path: Path) -> None:
    path = tmp_path / "episode.srt"
    path.write_text(SRT, encoding="utf-8")
    source = load_document(path, "en")
    links = [([0, 1, 2], "Alles in einem."), ([], "Hinzugefügt."), ([3], "Tschüss.")]
    assert texts_by_block(source, links) == ["Alles in einem. Hinzugefügt.", "", "Tschüss."]
    long = texts_by_block(source, [([0], "Ein sehr langer Untertitel, der auf zwei Zeilen umbrochen wird.")])
    assert export_srt(source, long).decode("utf-8").splitlines()[2:4] == [
        "Ein sehr langer Untertitel, der auf zwei",
        "Zeilen umbrochen wird.",
    ]


def test_subtitles_need_a_source_with_times(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Just text.\n", encoding="utf-8")
    source = load_document(path, "en")
    with pytest.raises(InputError, match="not a subtitle file"):
        export_srt(source, ["Nur Text."])


def _source_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Results", level=1)
    paragraph = document.add_paragraph()
    run = paragraph.add_run("Sales rose in June.")
    run.bold = True
    run.font.size = Pt(14)
    paragraph.add_run(" Costs fell.")
    document.add_paragraph("First point", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Region"
    table.cell(0, 1).text = "Total"
    document.save(path)
    return path


def test_a_translated_docx_keeps_the_source_styles(tmp_path: Path) -> None:
    path = _source_docx(tmp_path / "report.docx")
    source = load_document(path, "en")
    german = ["Ergebnisse", "Der Umsatz stieg im Juni. Die Kosten fielen.", "Erster Punkt", "Region", "Summe"]
    out = docx.Document(io.BytesIO(export_docx(path.read_bytes(), source, german, "de")))
    paragraphs = [(p.style.name, p.text) for p in out.paragraphs]
    assert paragraphs == [
        ("Heading 1", "Ergebnisse"),
        ("Normal", "Der Umsatz stieg im Juni. Die Kosten fielen."),
        ("List Bullet", "Erster Punkt"),
    ]
    first_run = out.paragraphs[1].runs[0]
    assert first_run.bold and first_run.font.size == Pt(14)  # the first run's formatting carries the text
    assert [c.text for c in out.tables[0].rows[0].cells] == ["Region", "Summe"]
    assert out.core_properties.language == "de"
    reread = tmp_path / "report.de.docx"
    reread.write_bytes(export_docx(path.read_bytes(), source, german, "de"))
    assert [p.kind for p in load_document(reread).paragraphs] == [p.kind for p in source.paragraphs]


def test_a_translated_docx_refuses_another_source_file(tmp_path: Path) -> None:
    path = _source_docx(tmp_path / "report.docx")
    source = load_document(path, "en")
    other = docx.Document()
    other.add_paragraph("Only one paragraph.")
    buffer = io.BytesIO()
    other.save(buffer)
    with pytest.raises(InputError, match="give the same source file"):
        export_docx(buffer.getvalue(), source, ["x"] * len(source.paragraphs))
