"""OpenDocument text (.odt) with odfpy: headings (with their outline level), paragraphs, list items, table cells.

The body is walked in order; a paragraph inside a list item is a ``list-item`` block, inside a table cell a
``table-cell`` block (a cell's paragraphs joined). Title and language come from the document's metadata
(``dc:title``, ``dc:language``). Lost: styles, notes, frames, images, tracked changes.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from odf import teletype
from odf.namespaces import DCNS, TABLENS, TEXTNS
from odf.opendocument import load

from workbench.documents import Block, Extracted
from workbench.errors import InputError
from workbench.readers.safety import expect


def read(data: bytes, name: str) -> Extracted:
    """The blocks of an .odt, with its title and declared language."""
    expect(data, name, "odt")
    try:
        protected = _encrypted(data)
    except Exception:  # a damaged member (bad CRC, bad deflate data): zipfile's errors vary
        raise InputError(f"{name} is damaged: a part of it cannot be unpacked; re-save it.") from None
    if protected:
        raise InputError(f"{name} is password-protected (encrypted); save a copy without the password, then open that.")
    try:
        document = load(BytesIO(data))
    except Exception as exc:  # odfpy raises KeyError, XML errors ... for a damaged package
        raise InputError(f"{name} is a damaged OpenDocument file ({type(exc).__name__}); re-save it.") from None
    blocks: list[Block] = []
    _walk(document.text, "paragraph", blocks)
    return Extracted(blocks=blocks, title=_meta(document, "title"), lang=_meta(document, "language"))


def _encrypted(data: bytes) -> bool:
    """An ODF package with a password lists ``encryption-data`` for its parts in the manifest."""
    with zipfile.ZipFile(BytesIO(data)) as archive:  # already checked: sizes and members are sound
        try:
            info = archive.getinfo("META-INF/manifest.xml")
        except KeyError:
            return False
        return info.file_size < 1024 * 1024 and b"encryption-data" in archive.read(info)


def _walk(element, kind: str, blocks: list[Block]) -> None:
    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None:
            continue
        if qname == (TEXTNS, "h"):
            level = int(child.getAttrNS(TEXTNS, "outline-level") or 1)
            blocks.append(Block(teletype.extractText(child), "heading", level))
        elif qname == (TEXTNS, "p"):
            blocks.append(Block(teletype.extractText(child), kind))
        elif qname == (TEXTNS, "list-item"):
            _walk(child, "list-item", blocks)
        elif qname == (TABLENS, "table-cell"):
            texts = [teletype.extractText(p) for p in child.childNodes if getattr(p, "qname", None) == (TEXTNS, "p")]
            blocks.append(Block(" ".join(texts), "table-cell"))
        else:  # lists, sections, tables and their rows: containers
            _walk(child, kind, blocks)


def _meta(document, field: str) -> str | None:
    for element in document.meta.childNodes:
        if getattr(element, "qname", None) == (DCNS, field):
            text = teletype.extractText(element).strip()
            return text or None
    return None
