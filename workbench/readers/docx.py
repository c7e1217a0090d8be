"""Word (.docx) with python-docx: the body in order, headings, list items and table cells as their own blocks.

The heading level comes from the paragraph style (``Heading 2``; ``Title`` is level 0); a list item is a paragraph
with numbering (``w:numPr``, on it or its style) or a ``List ...`` style. A merged table cell is read once. The
language is the core properties' (rarely set), else the default language of the document's styles, which is where
Word keeps it. Lost: run formatting, footnotes, comments, headers and footers, text boxes, images.
"""

from __future__ import annotations

import re
from io import BytesIO

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from workbench.documents import Block, Extracted
from workbench.errors import InputError
from workbench.readers.safety import expect

_HEADING = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def read(data: bytes, name: str) -> Extracted:
    """The blocks of a .docx, with its title and declared language."""
    document = open_docx(data, name)
    blocks = [block for block, _paragraphs in walk(document)]
    title = document.core_properties.title or None
    return Extracted(blocks=blocks, title=title, lang=document.core_properties.language or _styles_language(document))


def open_docx(data: bytes, name: str) -> docx.document.Document:
    """The checked, opened document (the writer reopens the source this way to put a translation in it)."""
    expect(data, name, "docx")
    try:
        return docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors ... for a damaged package
        raise InputError(f"{name} is a damaged Word document ({type(exc).__name__}); re-save it in Word.") from None


def walk(document: docx.document.Document) -> list[tuple[Block, list[Paragraph]]]:
    """Every block in reading order with the Word paragraphs it came from (a table cell's are several)."""
    found: list[tuple[Block, list[Paragraph]]] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            found.append((_paragraph_block(item), [item]))
        elif isinstance(item, Table):
            found.extend(_table_blocks(item))
    return found


def _paragraph_block(paragraph: Paragraph) -> Block:
    style = paragraph.style.name if paragraph.style is not None else ""
    match = _HEADING.match(style or "")
    if match:
        return Block(paragraph.text, "heading", int(match.group(1)))
    if style == "Title":
        return Block(paragraph.text, "heading", 0)
    if _numbered(paragraph) or (style or "").startswith("List"):
        return Block(paragraph.text, "list-item")
    return Block(paragraph.text)


def _numbered(paragraph: Paragraph) -> bool:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    style = paragraph.style
    return style is not None and style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None


def _table_blocks(table: Table) -> list[tuple[Block, list[Paragraph]]]:
    seen: list[object] = []  # the cells' XML elements, held so that lxml keeps one proxy for each
    blocks: list[tuple[Block, list[Paragraph]]] = []
    for row in table.rows:
        for cell in row.cells:
            if any(cell._tc is other for other in seen):  # a merged cell appears once per grid column it spans
                continue
            seen.append(cell._tc)
            for inner in cell.tables:
                blocks.extend(_table_blocks(inner))
            paragraphs = list(cell.paragraphs)
            blocks.append((Block(" ".join(p.text for p in paragraphs), "table-cell"), paragraphs))
    return blocks


def _styles_language(document: docx.document.Document) -> str | None:
    found = document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    return str(found[0]) if found else None
