"""Translating a segmented document paragraph by paragraph into a target document of its own.

Engines may merge or split sentences, so the target is written as text (paragraphs kept, title translated,
front matter saying how it was made) and segmented again in the target language; the aligner links it to the
source afterwards. Sentences are never assumed to correspond 1-1.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.documents import Document, document_from_text, render_document, sentence_joiner
from workbench.translation.base import Progress
from workbench.translation.cache import TranslationCache
from workbench.translation.router import Route

_CARRIED_METADATA = ("source", "author", "date")


@dataclass
class TranslatedDocument:
    document: Document
    text: str  # what is written to DIR/<name>.<lang>.txt; reads back as the same document
    route: Route


def translate_document(
    doc: Document, route: Route, cache: TranslationCache | None = None, progress: Progress | None = None
) -> TranslatedDocument:
    """Translate ``doc`` (its title and every sentence) along ``route``; ``progress(done, total)`` in sentences."""
    if route.src != doc.lang:
        raise ValueError(f"route translates {route.src}, the document is in {doc.lang}")
    sentences = doc.sentence_texts()
    with_title = [*sentences, doc.title] if doc.title else sentences
    translated = route.translate(with_title, progress=progress, cache=cache)
    title = translated[-1] if doc.title else None
    joiner = sentence_joiner(route.tgt)
    paragraphs = []
    for paragraph in doc.paragraphs:
        parts = [translated[s.index] for s in paragraph.sentences if translated[s.index].strip()]
        # An engine that returns nothing for a whole paragraph would make it vanish and shift every later one.
        paragraphs.append(joiner.join(parts) if parts else "…")
    metadata = {k: doc.metadata[k] for k in _CARRIED_METADATA if k in doc.metadata}
    metadata.update(
        {
            "translated_from": doc.name,
            "source_lang": doc.lang,
            "translation": route.describe(),
        }
    )
    text = render_document(paragraphs, route.tgt, title, metadata)
    target = document_from_text(text, route.tgt, name=f"{doc.name}.{route.tgt}")
    return TranslatedDocument(target, text, route)
