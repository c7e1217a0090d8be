"""PDF (.pdf) with pypdf: the text layer of each page, paragraphs rebuilt from its line breaks.

A PDF stores lines, not paragraphs. A paragraph ends at a blank line, or where a line ends a sentence (``.``,
``?``, ``!``, ``:``, a closing quote) well short of the page's usual line length; other lines are joined, and a
word hyphenated at a line's end is joined without the hyphen when the next line goes on in lower case. Pages
are read in order and a paragraph may run from one page onto the next (a page that ends mid-sentence); a line
that is only a page number (``12``, ``Page 3 of 9``) is dropped. Title and language come from the
document information and the catalog's ``/Lang``. An encrypted PDF is opened when it has no user password (many
only restrict printing); a PDF without a text layer (a scan) is refused with a message, never an empty document.
Headings are lines set in a larger font than the body (the size most of the text is in, from the sizes pypdf
reports for each piece of text), short and not ending a sentence: each is a block of its own, its level by
size (the largest is 1), a heading over two lines one block. Lost: tables (their cells become lines),
footnotes' place, the order of columns where the file stores them oddly, headings set in the body's size (bold
alone: they become short paragraphs).
"""

from __future__ import annotations

import logging
import re
from io import BytesIO

from pypdf import PageObject, PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from workbench.documents import Block, Extracted
from workbench.errors import InputError
from workbench.readers.safety import expect

_SENTENCE_END = re.compile(r"""[.!?:;…"'”»)\]]$""")
_PAGE_NUMBER = re.compile(r"^\s*(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
#: A line shorter than this share of the page's longest line, ending a sentence, ends its paragraph.
_SHORT_LINE = 0.8
#: A line set at least this many times the body's font size may be a heading; one longer than _HEADING_CHARS
#: characters, or ending a sentence, is not (a larger-type introduction, a pull quote).
_HEADING_RATIO = 1.15
_HEADING_CHARS = 150


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
        pages = [_page_lines(page) for page in reader.pages]
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
    lines: list[tuple[str, float] | None] = []
    for page in pages:
        lines.extend((line.strip(), size) for line, size in page if not _PAGE_NUMBER.match(line))
        lines.append(None)  # a page break
    if not any(line and line[0] for line in lines):
        raise InputError(
            f"{name} has no text layer ({len(pages)} page(s) of images, e.g. a scan): run OCR on it first "
            "(e.g. ocrmypdf) or open the original document."
        )
    blocks = _blocks(lines)
    title = str(info.title).strip() if info is not None and info.title else None
    return Extracted(blocks=blocks, title=title or None, lang=str(lang) if lang else None)


def _page_lines(page: PageObject) -> list[tuple[str, float]]:
    """A page's lines of text, each with the largest font size its text is set in (0 where pypdf's pieces of
    text cannot be matched to its lines: then no line of the page is taken for a heading)."""
    pieces: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        scale = abs(tm[3] * cm[3]) if tm and cm and tm[3] and cm[3] else 1.0  # a size set through the matrix
        pieces.append((text, float(size or 0) * scale))

    text = page.extract_text(visitor_text=visit) or ""
    sized: list[tuple[str, float]] = [("", 0.0)]
    for piece, size in pieces:
        for k, part in enumerate(piece.split("\n")):
            if k:
                sized.append(("", 0.0))
            line, largest = sized[-1]
            sized[-1] = (line + part, max(largest, size) if part.strip() else largest)
    lines = text.split("\n")
    if [line.strip() for line, _ in sized] != [line.strip() for line in lines]:
        return [(line, 0.0) for line in lines]
    return [(line, size) for line, (_, size) in zip(lines, sized, strict=True)]


def _blocks(lines: list[tuple[str, float] | None]) -> list[Block]:
    """Headings (see the module's docstring) as blocks of their own; the lines between them as paragraphs."""
    weight: dict[float, int] = {}
    for line in lines:
        if line and line[0]:
            weight[round(line[1], 1)] = weight.get(round(line[1], 1), 0) + len(line[0])
    body = max(weight, key=weight.__getitem__, default=0.0)
    heading_sizes = sorted({size for size in weight if body and size >= _HEADING_RATIO * body}, reverse=True)
    is_heading = [
        bool(line and line[0] and round(line[1], 1) in heading_sizes and _looks_like_heading(line[0])) for line in lines
    ]
    # The page's usual line length, as rebuild_paragraphs would measure it on the whole text: from body lines.
    longest = max((len(line[0]) for line, h in zip(lines, is_heading, strict=True) if line and not h), default=0)
    blocks: list[Block] = []
    run: list[str | None] = []
    after_heading = False  # the line before was a heading: one of the same size goes on with it
    for line, heading in zip(lines, is_heading, strict=True):
        if heading and line:
            blocks.extend(Block(text) for text in rebuild_paragraphs(run, longest))
            run = []
            level = heading_sizes.index(round(line[1], 1)) + 1
            if after_heading and blocks[-1].level == level:
                blocks[-1] = Block(f"{blocks[-1].text} {line[0]}", "heading", level)  # a heading over two lines
            else:
                blocks.append(Block(line[0], "heading", level))
            after_heading = True
            continue
        after_heading = after_heading and line is None  # a page break between two heading lines keeps them one
        run.append(line[0] if line else None)
    blocks.extend(Block(text) for text in rebuild_paragraphs(run, longest))
    return blocks


def _looks_like_heading(text: str) -> bool:
    return len(text) <= _HEADING_CHARS and not re.search(r"[.!?;,]$", text)


def rebuild_paragraphs(lines: list[str | None], longest: int | None = None) -> list[str]:
    """Join a PDF's lines into paragraphs (see the module's docstring for the rule); None is a page break.
    ``longest``: the usual line length, when ``lines`` are a part of the text (a section between headings)."""
    if longest is None:
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
