"""Readers for the documents translators are handed: Word, OpenDocument, HTML, subtitles, EPUB and PDF.

One module a format, each turning a file's bytes into :class:`~workbench.documents.Extracted` blocks (headings,
paragraphs, list items, table cells, cues) with the title and language the file declares; the document model
(:func:`workbench.documents.document_from_blocks`) segments them. Every reader runs the checks in
:mod:`workbench.readers.safety` first, so a corrupt, encrypted or disguised file or a zip bomb is one
:class:`~workbench.errors.InputError` line, never a library's traceback.

========  ======================================================================================================
suffix    keeps / loses
========  ======================================================================================================
.docx     headings (with level), paragraphs, list items, table cells, title, language; loses formatting, notes,
          headers and footers, text boxes, images
.odt      the same as .docx (headings, paragraphs, list items, table cells, title, language)
.html     the main text (nav, header, footer, aside, scripts and forms dropped), headings, paragraphs, list items,
.htm      table cells, ``<title>``, ``<html lang>``; loses links, emphasis, images
.srt      one block a cue with its times (seconds); loses styling tags and positions
.vtt      as .srt; loses cue settings, styles, regions and notes
.epub     chapters in spine order, each read as HTML; title and language from its metadata; loses images, notes
.pdf      the text layer, paragraphs rebuilt from line breaks, title and language; loses headings, tables
          (their cells become lines), columns' order where the PDF stores it oddly; no text layer is an error
========  ======================================================================================================

``.po``/``.pot`` are not documents but translations already paired: :mod:`workbench.formats.po` opens them as an
aligned corpus.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from workbench.documents import Extracted

#: Suffix -> module in this package whose ``read(data, name)`` opens it.
READERS: dict[str, str] = {
    ".docx": "docx",
    ".odt": "odt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".srt": "subtitles",
    ".vtt": "subtitles",
    ".epub": "epub",
    ".pdf": "pdf",
}

#: Every suffix a document may have: the readers' and plain text's.
DOCUMENT_SUFFIXES: tuple[str, ...] = (".txt", ".md", *READERS)


def reader_for(name: str | Path) -> Callable[[bytes, str], Extracted] | None:
    """The reader for a file name's suffix, None for plain text (and anything else read as text)."""
    module = READERS.get(Path(name).suffix.lower())
    if module is None:
        return None
    return importlib.import_module(f"workbench.readers.{module}").read


def read_blocks(data: bytes, name: str) -> Extracted:
    """Read a file's bytes with the reader its name's suffix calls for; every failure is one InputError."""
    reader = reader_for(name)
    if reader is None:
        raise ValueError(f"no reader for {name}")
    return reader(data, name)


def text_for_language_guess(data: bytes, name: str, limit: int = 20_000) -> tuple[str, str | None]:
    """``(the first `limit` characters of text, the declared language)``: what an upload page needs to propose a
    language before the document is segmented (the text feeds a language identifier when nothing is declared)."""
    extracted = read_blocks(data, name)
    text = "\n\n".join(block.text for block in extracted.blocks)[:limit]
    return text, extracted.lang
