"""EPUB (.epub) with ebooklib: the chapters in reading (spine) order, each read as HTML.

Each chapter's headings, paragraphs, list items and table cells are blocks (:mod:`workbench.readers.html`), one
chapter after another; a chapter's title is its first heading. Title and language come from the book's Dublin
Core metadata. Lost: images, footnote links, the table of contents (the chapters are read in spine order, which
is the book's own), styles; DRM-protected books cannot be read (their chapters are encrypted).
"""

from __future__ import annotations

import re
import warnings
import zipfile
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
        protected = _chapters_encrypted(data)
    except Exception:  # a damaged member (bad CRC, bad deflate data): zipfile's errors vary
        raise InputError(f"{name} is damaged: a part of it cannot be unpacked; re-save it.") from None
    if protected:
        raise InputError(f"{name} is protected (DRM): its chapters are encrypted; open a copy without DRM.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about options it will change some day
            book = epub.read_epub(BytesIO(data), options={"ignore_ncx": True})
    except Exception as exc:  # ebooklib raises EpubException, KeyError, XML errors ... for a damaged book
        raise InputError(f"{name} is a damaged EPUB ({type(exc).__name__}); re-save it.") from None
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


def _chapters_encrypted(data: bytes) -> bool:
    """Whether ``META-INF/encryption.xml`` encrypts a chapter (DRM), not only fonts (which obfuscation allows)."""
    with zipfile.ZipFile(BytesIO(data)) as archive:  # already checked: sizes and members are sound
        try:
            info = archive.getinfo("META-INF/encryption.xml")
        except KeyError:
            return False
        if info.file_size > 1024 * 1024:
            return True
        listing = archive.read(info).decode("utf-8", "replace")
    return re.search(r"""URI=["'][^"']+\.(?:x?html?|xml)["']""", listing, re.IGNORECASE) is not None


def _first(book: epub.EpubBook, field: str) -> str | None:
    values = book.get_metadata("DC", field)
    return str(values[0][0]).strip() or None if values else None
