"""A project's side as a document, so it can be translated as it is now, with the reviewer's edits.

:func:`~workbench.translation.documents.translate_document` takes a segmented document; a project keeps
sentences (with ids, paragraphs and edited texts) instead. This rebuilds the document from them without
segmenting again, so the sentences translated are exactly the project's.
"""

from __future__ import annotations

from workbench.documents import Document, Paragraph, Sentence
from workbench.projects.model import Side


def side_document(side: Side) -> Document:
    """The side's sentences as a document: paragraphs kept, sentences joined by the language's joiner."""
    joiner = side.joiner()
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0
    index = 0
    for number, group in enumerate(side.paragraphs()):
        if parts:
            parts.append("\n\n")
            pos += 2
        start = pos
        sentences = []
        for k, sentence in enumerate(group):
            if k:
                parts.append(joiner)
                pos += len(joiner)
            sentences.append(Sentence(sentence.id, index, number, pos, pos + len(sentence.text), sentence.text))
            parts.append(sentence.text)
            pos += len(sentence.text)
            index += 1
        paragraphs.append(Paragraph(number, start, pos, tuple(sentences)))
    return Document(side.name, side.lang, "".join(parts), paragraphs, side.title, dict(side.metadata))
