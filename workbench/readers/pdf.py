"""PDF (.pdf) with pypdf: the text layer of each page, paragraphs rebuilt from its line breaks.

A PDF stores lines, not paragraphs. A paragraph ends at a blank line, or where a line ends a sentence (``.``,
``?``, ``!``, ``:``, a closing quote) well short of the page's usual line length; other lines are joined, and a
word hyphenated at a line's end is joined without the hyphen when the next line goes on in lower case. Pages
are read in order and a paragraph may run from one page onto the next (a page that ends mid-sentence); a line
that is only a page number (``12``, ``Page 3 of 9``) is dropped. Title and language come from the
document information and the catalog's ``/Lang``. An encrypted PDF is opened when it has no user password (many
only restrict printing); a PDF without a text layer (a scan) is refused with a message, never an empty document.
Lost: headings (they become short paragraphs), tables (their cells become lines), footnotes' place, the order
of columns where the file stores them oddly.
"""

from __future__ import annotations

import logging
import re
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from workbench.documents import Block, Extracted
from workbench.errors import InputError
from workbench.readers.safety import expect

_SENTENCE_END = re.compile(r"""[.!?:;…"'”»)\]]$""")
_PAGE_NUMBER = re.compile(r"^\s*(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
#: A line shorter than this share of the page's longest line, ending a sentence, ends its paragraph.
_SHORT_LINE = 0.8


def read(data: bytes, name: str) -> Extracted:
    """The paragraphs of a PDF's text layer, with its title and declared language."""
    expect(data, name, "pdf")
    # pypdf logs what it repairs in a damaged file (warnings and errors): the user gets our one line instead
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        return _read(data, name)
    finally:
        pypdf_log.setLevel(level)


def _read(data: bytes, name: str) -> Extracted:
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name} is encrypted with a password; save a copy without it, then open that.")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        lang = reader.trailer["/Root"].get("/Lang")
    except InputError:
        raise
    except FileNotDecryptedError:
        raise InputError(f"{name} is encrypted with a password; save a copy without it, then open that.") from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"{name} is a damaged PDF ({exc}); re-save or re-export it.") from None
    except Exception as exc:  # pypdf has many internal errors on broken files; none should escape as a traceback
        raise InputError(f"{name} is a damaged PDF ({type(exc).__name__}); re-save or re-export it.") from None
    lines: list[str | None] = []
    for page in pages:
        lines.extend(line.strip() for line in page.split("\n") if not _PAGE_NUMBER.match(line))
        lines.append(None)  # a page break
    if not any(lines):
        raise InputError(
            f"{name} has no text layer ({len(pages)} page(s) of images, e.g. a scan): run OCR on it first "
            "(e.g. ocrmypdf) or open the original document."
        )
    blocks = [Block(text) for text in rebuild_paragraphs(lines)]
    title = str(info.title).strip() if info is not None and info.title else None
    return Extracted(blocks=blocks, title=title or None, lang=str(lang) if lang else None)


def rebuild_paragraphs(lines: list[str | None]) -> list[str]:
    """Join a PDF's lines into paragraphs (see the module's docstring for the rule); None is a page break."""
    longest = max((len(line) for line in lines if line), default=0)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if line is None:  # a page break ends a paragraph only where its last line ended a sentence
            if current and _SENTENCE_END.search(current):
                paragraphs.append(current)
                current = ""
            continue
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current.endswith("-") and line[:1].islower() and current[-2:-1].isalpha():
            current = current[:-1] + line
        else:
            current = f"{current} {line}" if current else line
        if _SENTENCE_END.search(line) and len(line) < _SHORT_LINE * longest:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs
