"""EPUB (.epub) with ebooklib: the chapters in reading (spine) order, each read as HTML.

Each chapter's headings, paragraphs, list items and table cells are blocks (:mod:`workbench.readers.html`), one
chapter after another; a chapter's title is its first heading. Title and language come from the book's Dublin
Core metadata. Lost: images, footnote links, the table of contents (the chapters are read in spine order, which
is the book's own), styles; DRM-protected books cannot be read (their chapters are encrypted).
"""

from __future__ import annotations

import warnings
from io import BytesIO

import ebooklib
from ebooklib import epub

from workbench.documents import Block, Extracted
from workbench.errors import InputError
from workbench.readers.html import extract_html
from workbench.readers.safety import expect


def read(data: bytes, name: str) -> Extracted:
    """Every chapter's blocks in spine order, with the book's title and language."""
    expect(data, name, "epub")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about options it will change some day
            book = epub.read_epub(BytesIO(data), options={"ignore_ncx": True})
    except Exception as exc:  # ebooklib raises EpubException, KeyError, XML errors ... for a damaged book
        raise InputError(f"{name} is a damaged EPUB ({type(exc).__name__}); re-save it.") from None
    if any(item.get_name() == "META-INF/encryption.xml" for item in book.get_items()):
        raise InputError(f"{name} is protected (DRM-encrypted); open a copy without DRM.")
    blocks: list[Block] = []
    chapters = 0
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        chapter = extract_html(item.get_content(), f"{name}: {item.get_name()}")
        if chapter.blocks:
            chapters += 1
            blocks.extend(chapter.blocks)
    return Extracted(
        blocks=blocks,
        title=_first(book, "title"),
        lang=_first(book, "language"),
        metadata={"chapters": chapters},
    )


def _first(book: epub.EpubBook, field: str) -> str | None:
    values = book.get_metadata("DC", field)
    return str(values[0][0]).strip() or None if values else None
