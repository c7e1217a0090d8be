"""A translated Word file: the source .docx with each block's text replaced, everything else kept.

The source is reopened and walked as the reader walked it (:func:`workbench.readers.docx.walk`), so block n of
the document is block n of the file. Each paragraph keeps its style (headings stay headings, list items keep
their numbering), its properties and its first run's character formatting (font, bold, italic), which the whole
new text takes; its runs, links and fields are replaced by that one run. A table cell's text goes into its first
paragraph and its other paragraphs are emptied. Headers, footers, images and section settings are untouched
(they stay in the source language: the reader does not read them). Lost: formatting that changed inside a
paragraph (one bold word), links.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from io import BytesIO

from docx.text.paragraph import Paragraph

from workbench.documents import Document
from workbench.errors import InputError
from workbench.readers.docx import open_docx, walk


def export_docx(source_data: bytes, source: Document, texts: Sequence[str], target_lang: str | None = None) -> bytes:
    """The source file's bytes with ``texts`` (one a block of ``source``) in place of its blocks' texts."""
    document = open_docx(source_data, source.name)
    blocks = [(block, paragraphs) for block, paragraphs in walk(document) if block.text.split()]
    if len(blocks) != len(source.paragraphs) or len(texts) != len(blocks):
        raise InputError(
            f"{source.name}: the Word file has {len(blocks)} blocks of text but the document {len(source.paragraphs)} "
            f"and the translation {len(texts)}; give the same source file the document was read from."
        )
    for (_block, paragraphs), text in zip(blocks, texts, strict=True):
        _replace(paragraphs[0], text)
        for extra in paragraphs[1:]:
            _replace(extra, "")
    if target_lang:
        document.core_properties.language = target_lang
    out = BytesIO()
    document.save(out)
    return out.getvalue()


#: What holds a paragraph's text: runs, and runs inside links, fields, insertions, content controls.
_TEXT_HOLDERS = "./w:r|./w:hyperlink|./w:ins|./w:del|./w:smartTag|./w:fldSimple|./w:sdt"


def _replace(paragraph: Paragraph, text: str) -> None:
    """Every run (links and fields too) out, one run with the first run's character formatting in."""
    runs = paragraph.runs
    formatting = deepcopy(runs[0]._r.rPr) if runs and runs[0]._r.rPr is not None else None
    for element in paragraph._p.xpath(_TEXT_HOLDERS):
        paragraph._p.remove(element)
    if text:
        run = paragraph.add_run(text)
        if formatting is not None:
            run._r.insert(0, formatting)
