"""Readers of the files translators are handed, on small real files each test makes with the format's library.

Each format's structure (headings, list items, table cells, cues, chapters) must come through as blocks, with the
title and language the file declares; bad files (a zip bomb, a lying extension, a damaged, encrypted or empty
file, a PDF with no text layer) must be one InputError line.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from ebooklib import epub
from fpdf import FPDF
from odf import dc
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P

from workbench.documents import Document, document_from_bytes, load_document
from workbench.errors import InputError
from workbench.formats import guess_format, read_corpus
from workbench.readers import DOCUMENT_SUFFIXES, READERS, reader_for, text_for_language_guess
from workbench.readers.pdf import rebuild_paragraphs
from workbench.readers.safety import MAX_UNPACKED_BYTES, check_zip


def blocks(doc: Document) -> list[tuple[str, int, str]]:
    """``(kind, level, text)`` of every block, the way a test reads structure."""
    return [(p.kind, p.level, doc.text[p.start : p.end]) for p in doc.paragraphs]


# --- the files --------------------------------------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Quarterly report"
    document.add_heading("Results", level=1)
    document.add_paragraph("Sales rose in June. Costs fell.")
    document.add_paragraph("First point", style="List Bullet")
    document.add_paragraph("Second point", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Region", (0, 1): "Total", (1, 0): "North", (1, 1): "12"}.items():
        table.cell(r, c).text = text
    document.add_heading("Outlook", level=2)
    document.add_paragraph("We expect growth.")
    document.save(path)
    return path


def make_odt(path: Path) -> Path:
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Ein Bericht"))
    document.meta.addElement(dc.Language(text="de-DE"))
    document.text.addElement(H(outlinelevel=1, text="Ergebnisse"))
    document.text.addElement(P(text="Der Umsatz stieg im Mai. Die Kosten fielen."))
    items = List()
    item = ListItem()
    item.addElement(P(text="Erster Punkt"))
    items.addElement(item)
    document.text.addElement(items)
    table = Table()
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    row = TableRow()
    for text in ("Region", "Summe"):
        cell = TableCell()
        cell.addElement(P(text=text))
        row.addElement(cell)
    table.addElement(row)
    document.text.addElement(table)
    document.save(str(path))
    return path


PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Le rapport</title><script>var menu = 1;</script></head>
<body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/contact">Contact</a></li></ul></nav>
<header><p>Bannière du site</p></header>
<main>
  <h1>Résultats du <em>trimestre</em></h1>
  <p>Les ventes ont augmenté en mai. Les coûts ont baissé.</p>
  <ul><li>Premier point</li><li>Second <b>point</b></li></ul>
  <table><tr><th>Région</th><td>Nord</td></tr></table>
</main>
<aside>Articles liés</aside>
<footer><p>© 2024 Tous droits réservés</p></footer>
</body></html>
"""

SRT = """1
00:00:01,000 --> 00:00:02,500
Hello there.
How are you?

2
00:00:03,000 --> 00:00:04,250
<i>Fine</i>, thanks.

3
00:00:05,000 --> 00:00:06,200
Good bye.
"""

VTT = """WEBVTT
Kind: captions
Language: en

00:00:01.000 --> 00:00:02.500
<v Ann>Hello there.

intro
00:00:03.000 --> 00:00:04.750 align:start
Fine, thanks.
"""

PO = r"""# German translation.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: de\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: src/main.c:10
msgid "Open file"
msgstr "Datei öffnen"

# a translator's note
#, fuzzy
msgctxt "menu"
msgid "Save"
msgstr "Sichern"

msgid "One file"
msgid_plural "%d files"
msgstr[0] "Eine Datei"
msgstr[1] "%d Dateien"

msgid "Not yet"
msgstr ""

#~ msgid "Old"
#~ msgstr "Alt"
"""


def make_epub(path: Path) -> Path:
    book = epub.EpubBook()
    book.set_identifier("test-book")
    book.set_title("Two Chapters")
    book.set_language("en")
    one = epub.EpubHtml(title="One", file_name="one.xhtml", lang="en")
    one.content = "<h1>Chapter One</h1><p>It begins here. Then it goes on.</p>"
    two = epub.EpubHtml(title="Two", file_name="two.xhtml", lang="en")
    two.content = "<h1>Chapter Two</h1><p>It ends here.</p>"
    book.add_item(two)  # added out of order: the spine, not the manifest, is the reading order
    book.add_item(one)
    book.toc = [one, two]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", one, two]
    epub.write_epub(str(path), book)
    return path


LONG = (
    "This is the first paragraph of the report and it is long enough to wrap over more than one line on the "
    "page, as paragraphs in real reports do. It ends here."
)


class NumberedPDF(FPDF):
    """Pages with a "Page N" footer, as reports have."""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, f"Page {self.page_no()}", align="C")


def make_pdf(path: Path, *, text: bool = True, password: str | None = None) -> Path:
    pdf = NumberedPDF()
    pdf.set_title("The report")
    pdf.set_lang("en-GB")
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    if text:
        pdf.multi_cell(0, 6, LONG)
        pdf.ln(6)
        pdf.multi_cell(0, 6, "A second paragraph follows. It is short.")
        pdf.ln(6)
        pdf.multi_cell(0, 6, "The last one runs over the")
        pdf.add_page()
        pdf.multi_cell(0, 6, "page break and ends there.")
    pdf.output(str(path))
    return path


# --- structure and metadata ---------------------------------------------------------------------------------------


def test_docx_keeps_headings_list_items_and_table_cells_as_blocks(tmp_path: Path) -> None:
    doc = load_document(make_docx(tmp_path / "report.docx"), "en")
    assert blocks(doc) == [
        ("heading", 1, "Results"),
        ("paragraph", 0, "Sales rose in June. Costs fell."),
        ("list-item", 0, "First point"),
        ("list-item", 0, "Second point"),
        ("table-cell", 0, "Region"),
        ("table-cell", 0, "Total"),
        ("table-cell", 0, "North"),
        ("table-cell", 0, "12"),
        ("heading", 2, "Outlook"),
        ("paragraph", 0, "We expect growth."),
    ]
    assert doc.title == "Quarterly report" and doc.name == "report"
    assert [s.text for s in doc.paragraphs[1].sentences] == ["Sales rose in June.", "Costs fell."]
    assert all(doc.text[s.start : s.end] == s.text for s in doc.sentences)
    # python-docx's template declares en-US in its styles: kept as declared, the language given wins
    assert doc.metadata["declared_lang"] == "en-US" and doc.lang == "en"
    assert load_document(tmp_path / "report.docx").lang == "en"  # none given: the declared one, without region


def test_odt_keeps_structure_title_and_language(tmp_path: Path) -> None:
    doc = load_document(make_odt(tmp_path / "bericht.odt"))
    assert blocks(doc) == [
        ("heading", 1, "Ergebnisse"),
        ("paragraph", 0, "Der Umsatz stieg im Mai. Die Kosten fielen."),
        ("list-item", 0, "Erster Punkt"),
        ("table-cell", 0, "Region"),
        ("table-cell", 0, "Summe"),
    ]
    assert (doc.title, doc.lang, len(doc.sentences)) == ("Ein Bericht", "de", 6)


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_reads_the_main_text_without_menu_banner_and_footer(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"page{suffix}"
    path.write_text(PAGE, encoding="utf-8")
    doc = load_document(path)
    assert blocks(doc) == [
        ("heading", 1, "Résultats du trimestre"),
        ("paragraph", 0, "Les ventes ont augmenté en mai. Les coûts ont baissé."),
        ("list-item", 0, "Premier point"),
        ("list-item", 0, "Second point"),
        ("table-cell", 0, "Région"),
        ("table-cell", 0, "Nord"),
    ]
    assert (doc.title, doc.lang) == ("Le rapport", "fr")
    for left_out in ("Accueil", "Contact", "Bannière", "Articles liés", "droits", "menu"):
        assert left_out not in doc.text


def test_html_without_main_reads_the_body(tmp_path: Path) -> None:
    path = tmp_path / "plain.htm"
    path.write_bytes(b"<html><body><h2>Notes</h2><div>Loose text.<p>A paragraph.</p></div></body></html>")
    doc = load_document(path, "en")
    assert blocks(doc) == [("heading", 2, "Notes"), ("paragraph", 0, "Loose text."), ("paragraph", 0, "A paragraph.")]
    assert doc.title is None  # no <title> and no h1: an h2 is a section's heading, not the page's title


def test_srt_makes_one_block_a_cue_with_its_times_on_every_sentence(tmp_path: Path) -> None:
    path = tmp_path / "episode.srt"
    path.write_text(SRT, encoding="utf-8")
    doc = load_document(path, "en")
    assert [(p.kind, p.cue, doc.text[p.start : p.end]) for p in doc.paragraphs] == [
        ("cue", (1.0, 2.5), "Hello there. How are you?"),
        ("cue", (3.0, 4.25), "Fine, thanks."),
        ("cue", (5.0, 6.2), "Good bye."),
    ]
    assert [(s.text, doc.cue_of(s)) for s in doc.sentences] == [
        ("Hello there.", (1.0, 2.5)),
        ("How are you?", (1.0, 2.5)),
        ("Fine, thanks.", (3.0, 4.25)),
        ("Good bye.", (5.0, 6.2)),
    ]
    with pytest.raises(InputError, match="say which language"):
        load_document(path)  # SubRip declares no language


def test_vtt_keeps_milliseconds_and_its_language_header(tmp_path: Path) -> None:
    path = tmp_path / "talk.vtt"
    path.write_text(VTT, encoding="utf-8")
    doc = load_document(path)
    assert doc.lang == "en"
    assert [(p.cue, doc.text[p.start : p.end]) for p in doc.paragraphs] == [
        ((1.0, 2.5), "Hello there."),
        ((3.0, 4.75), "Fine, thanks."),
    ]


def test_po_opens_as_an_aligned_corpus(tmp_path: Path) -> None:
    path = tmp_path / "app.po"
    path.write_text(PO, encoding="utf-8")
    assert guess_format(path) == "po" and guess_format("template.pot") == "po"
    corpus = read_corpus(path)
    assert (corpus.source_lang, corpus.target_lang) == ("en", "de")
    assert [(u.source_segments, u.target_segments, u.status, u.note) for u in corpus.units] == [
        (("Open file",), ("Datei öffnen",), "auto", ""),
        (("Save",), ("Sichern",), "flagged", "fuzzy; context: menu; a translator's note"),
        (("One file", "%d files"), ("Eine Datei", "%d Dateien"), "auto", ""),
        (("Not yet",), (), "auto", ""),
    ]  # the header and the obsolete entry are left out


def test_pot_without_a_language_needs_one(tmp_path: Path) -> None:
    path = tmp_path / "messages.pot"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=CHARSET\\n"\n\nmsgid "Hi"\nmsgstr ""\n')
    with pytest.raises(InputError, match="does not say its language"):
        read_corpus(path)
    corpus = read_corpus(path, target_lang="pt-BR")
    assert corpus.target_lang == "pt-BR" and corpus.units[0].target_segments == ()
    named = tmp_path / "pt_BR.po"
    named.write_bytes(path.read_bytes())
    assert read_corpus(named).target_lang == "pt-BR"  # the file name says it
    broken = tmp_path / "broken.po"
    broken.write_text('msgid "Hi"\nmsgstr "Oi"\nthis is not po\n')
    with pytest.raises(InputError, match="not a valid PO file"):
        read_corpus(broken, target_lang="pt")


def test_epub_reads_chapters_in_spine_order(tmp_path: Path) -> None:
    doc = load_document(make_epub(tmp_path / "book.epub"))
    assert blocks(doc) == [
        ("heading", 1, "Chapter One"),
        ("paragraph", 0, "It begins here. Then it goes on."),
        ("heading", 1, "Chapter Two"),
        ("paragraph", 0, "It ends here."),
    ]
    assert (doc.title, doc.lang, doc.metadata["chapters"]) == ("Two Chapters", "en", 2)


def test_pdf_rebuilds_paragraphs_from_its_lines(tmp_path: Path) -> None:
    doc = load_document(make_pdf(tmp_path / "report.pdf"))
    assert [doc.text[p.start : p.end] for p in doc.paragraphs] == [
        LONG,
        "A second paragraph follows. It is short.",
        "The last one runs over the page break and ends there.",
    ]  # the "Page 1" and "Page 2" footers are dropped
    assert (doc.title, doc.lang, doc.metadata["declared_lang"]) == ("The report", "en", "en-GB")
    assert doc.sentences[-2].text == "It is short."


def test_pdf_lines_join_hyphenated_words_and_stop_at_short_sentence_ends() -> None:
    lines = ["The translation of tech-", "nical documents is a long", "and careful job.", "", "Next one.", "Title"]
    assert rebuild_paragraphs(lines) == [
        "The translation of technical documents is a long and careful job.",
        "Next one.",
        "Title",
    ]
    assert rebuild_paragraphs(["A well-", "Known name"]) == ["A well- Known name"]  # capital next: a real hyphen
    # a page that ends mid-sentence goes on on the next page; one that ends a sentence ends its paragraph
    assert rebuild_paragraphs(["It runs over the", None, "page break.", None, "A new page."]) == [
        "It runs over the page break.",
        "A new page.",
    ]


def test_pdf_without_a_text_layer_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"has no text layer .*OCR"):
        load_document(make_pdf(tmp_path / "scan.pdf", text=False), "en")


def test_pdf_with_a_user_password_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="encrypted with a password"):
        load_document(make_pdf(tmp_path / "locked.pdf", password="secret"), "en")


# --- bad files ----------------------------------------------------------------------------------------------------


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("maker,suffix", [(make_docx, ".docx"), (make_odt, ".odt"), (make_epub, ".epub")])
def test_a_zip_bomb_is_refused_before_unpacking(tmp_path: Path, maker, suffix: str) -> None:
    real = maker(tmp_path / f"real{suffix}").read_bytes()
    bomb = tmp_path / f"bomb{suffix}"
    bomb.write_bytes(_with_member(real, "word/media/zeros.bin", bytes(50 * 1024 * 1024)))
    assert bomb.stat().st_size < 200_000  # 50 MB of zeros packs into a few dozen KB
    with pytest.raises(InputError, match="refused as a zip bomb"):
        load_document(bomb, "en")


def test_a_zip_that_declares_too_much_is_refused_from_its_directory(tmp_path: Path) -> None:
    """The total of the sizes the members declare is checked before anything is read: no byte is inflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    data = bytearray(buffer.getvalue())
    # Declare a size in the central directory beyond the cap without writing it (stored, so no ratio to judge).
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (MAX_UNPACKED_BYTES + 1).to_bytes(4, "little")
    with pytest.raises(InputError, match=r"would unpack to .* zip bomb"):
        check_zip(bytes(data), "huge.docx")


@pytest.mark.parametrize(
    "name,make,message",
    [
        ("report.docx", lambda p: make_pdf(p.with_suffix(".pdf")), r"named like a Word document .* but is a PDF"),
        ("report.pdf", lambda p: make_docx(p.with_suffix(".docx")), r"named like a PDF .* but is a Word document"),
        ("notes.odt", lambda p: make_epub(p.with_suffix(".epub")), r"named like an OpenDocument .* but is an EPUB"),
        ("page.html", lambda p: make_docx(p.with_suffix(".docx")), r"named like an HTML page but is a Word document"),
        ("film.srt", lambda p: make_pdf(p.with_suffix(".pdf")), r"named like SubRip .* but is a PDF"),
        ("book.epub", lambda p: _text(p.with_suffix(".txt")), r"is not an EPUB book .* damaged or misnamed"),
        ("talk.vtt", lambda p: _text(p.with_suffix(".txt")), r"is not WebVTT"),
        ("film.srt", lambda p: _text(p.with_suffix(".txt")), r"not valid SubRip|holds no subtitles"),
    ],
)
def test_a_file_whose_extension_lies_is_named_for_what_it_is(tmp_path: Path, name: str, make, message: str) -> None:
    real = make(tmp_path / "real")
    path = tmp_path / name
    path.write_bytes(real.read_bytes())
    with pytest.raises(InputError, match=message):
        load_document(path, "en")


def _text(path: Path) -> Path:
    path.write_text("Just some plain text.\nNothing more.\n", encoding="utf-8")
    return path


def test_damaged_encrypted_and_empty_files_are_one_line(tmp_path: Path) -> None:
    cut = tmp_path / "cut.docx"
    cut.write_bytes(make_docx(tmp_path / "whole.docx").read_bytes()[:3000])
    ole = tmp_path / "locked.docx"  # Office encrypts a .docx into an OLE compound file
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    empty = tmp_path / "empty.odt"
    empty.write_bytes(b"")
    expected = {
        cut: "is damaged",
        ole: "password-protected \\(encrypted\\) or an old .doc",
        broken: "damaged PDF",
        empty: "is empty",
    }
    for path, message in expected.items():
        with pytest.raises(InputError, match=message) as caught:
            load_document(path, "en")
        assert "\n" not in str(caught.value)


def test_registry_names_a_reader_for_every_suffix_and_uploads_read_from_bytes(tmp_path: Path) -> None:
    assert set(DOCUMENT_SUFFIXES) >= {".txt", ".md", *READERS}
    for suffix in READERS:
        assert callable(reader_for(f"x{suffix.upper()}"))
    assert reader_for("notes.txt") is None
    data = make_docx(tmp_path / "up.docx").read_bytes()
    doc = document_from_bytes(data, "en", "up.docx")  # what an upload has: bytes and a name
    assert doc.paragraphs[0].kind == "heading" and doc.name == "up"
    assert text_for_language_guess(data, "up.docx") == (
        "Results\n\nSales rose in June. Costs fell.\n\nFirst point\n\nSecond point\n\nRegion\n\nTotal\n\nNorth"
        "\n\n12\n\nOutlook\n\nWe expect growth.",
        "en-US",
    )
    presplit = document_from_bytes(data, "en", "up.docx", presplit=True)
    assert [s.text for s in presplit.paragraphs[1].sentences] == ["Sales rose in June. Costs fell."]


def test_the_cli_segments_a_word_document(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "report.docx")
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "segment", str(path), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == ["Results", "Sales rose in June.", "Costs fell."]


def test_html_drops_furniture_that_plain_divs_name_by_class_or_id(tmp_path: Path) -> None:
    path = tmp_path / "old-site.html"
    path.write_text(
        '<html lang="en"><body><div id="navbar"><a href="/">Home</a> | <a href="/about">About</a></div>'
        '<div class="content"><h1>News</h1><p>The bridge reopened today.</p>'
        '<p class="footnote">Updated at noon.</p></div>'
        '<div class="site-footer">Copyright 2024</div><div class="sidebar"><p>Popular posts</p></div></body></html>',
        encoding="utf-8",
    )
    doc = load_document(path)
    assert [doc.text[p.start : p.end] for p in doc.paragraphs] == [
        "News",
        "The bridge reopened today.",
        "Updated at noon.",
    ]


def test_protected_odt_and_epub_are_named_so(tmp_path: Path) -> None:
    odt = make_odt(tmp_path / "real.odt").read_bytes()
    locked = tmp_path / "locked.odt"
    with zipfile.ZipFile(io.BytesIO(odt)) as archive:
        manifest = archive.read("META-INF/manifest.xml")
    locked.write_bytes(
        _replace_member(
            odt,
            "META-INF/manifest.xml",
            manifest.replace(b"</manifest:manifest>", b"<manifest:encryption-data/></manifest:manifest>"),
        )
    )
    with pytest.raises(InputError, match="password-protected"):
        load_document(locked, "de")
    book = make_epub(tmp_path / "real.epub").read_bytes()
    fonts_only = (
        '<encryption><EncryptedData><CipherData><CipherReference URI="EPUB/font.otf"/></CipherData>'
        "</EncryptedData></encryption>"
    )
    ok = tmp_path / "fonts.epub"
    ok.write_bytes(_with_member(book, "META-INF/encryption.xml", fonts_only.encode()))
    assert load_document(ok).title == "Two Chapters"  # obfuscated fonts do not stop the text
    drm = tmp_path / "drm.epub"
    drm.write_bytes(_with_member(book, "META-INF/encryption.xml", fonts_only.replace("font.otf", "one.xhtml").encode()))
    with pytest.raises(InputError, match="protected \\(DRM\\)"):
        load_document(drm)


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            archive.writestr(info, content if info.filename == name else source.read(info))
    return buffer.getvalue()


def test_damaged_copies_of_every_format_raise_only_input_errors(tmp_path: Path) -> None:
    """Cut and bit-flipped copies (seeded): whatever a library trips on comes out as the one-line InputError."""
    import random

    page, subtitles, captions = tmp_path / "p.html", tmp_path / "s.srt", tmp_path / "v.vtt"
    page.write_text(PAGE, encoding="utf-8")
    subtitles.write_text(SRT, encoding="utf-8")
    captions.write_text(VTT, encoding="utf-8")
    files = [
        make_docx(tmp_path / "d.docx"),
        make_odt(tmp_path / "o.odt"),
        make_epub(tmp_path / "e.epub"),
        make_pdf(tmp_path / "f.pdf"),
        page,
        subtitles,
        captions,
    ]
    rng = random.Random(16)
    for path in files:
        data = path.read_bytes()
        for trial in range(24):
            damaged = bytearray(data[: rng.randrange(1, len(data))] if trial % 3 == 0 else data)
            for _ in range(0 if trial % 3 == 0 else rng.randrange(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            try:
                document_from_bytes(bytes(damaged), "en", path.name)
            except InputError as exc:
                assert "\n" not in str(exc)


def test_a_word_file_saved_as_txt_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(make_docx(tmp_path / "report.docx").read_bytes())
    with pytest.raises(InputError, match=r"binary file: it is a Word document \(\.docx\), not plain text"):
        load_document(path, "en")


def test_pdf_headings_are_lines_in_a_larger_font_with_their_level(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=20)
    pdf.multi_cell(0, 10, "Annual report")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 6, "The year went well for the company and its workers across the country. It rained.")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", size=16)
    pdf.multi_cell(0, 8, "Results of the year")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 6, "Sales grew by ten per cent.")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=16)
    pdf.multi_cell(0, 8, "A larger line that ends a sentence is no heading.")
    pdf.ln(2)
    pdf.output(str(tmp_path / "annual.pdf"))
    doc = load_document(tmp_path / "annual.pdf", "en")
    kinds = [(p.kind, p.level, doc.text[p.start : p.end]) for p in doc.paragraphs]
    assert kinds == [
        ("heading", 1, "Annual report"),
        ("paragraph", 0, "The year went well for the company and its workers across the country. It rained."),
        ("heading", 2, "Results of the year"),
        ("paragraph", 0, "Sales grew by ten per cent."),
        ("paragraph", 0, "A larger line that ends a sentence is no heading."),
    ]
    assert all(p.kind == "paragraph" for p in load_document(make_pdf(tmp_path / "plain.pdf")).paragraphs)
