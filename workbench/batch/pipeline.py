"""One document pair through the pipeline: read and segment both sides, align, and turn the links into rows.

This is what every executor runs (in the main process, a worker process or a Ray task): it calls the public
alignment functions only, and turns any failure into a result with its reason, so one bad document never stops
the others.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.batch.manifest import DocumentPair
from workbench.embedding.base import Embedder, Progress
from workbench.errors import WorkbenchError

#: Confidences are stored rounded: a resumed run, whose worker may have other threads or batch neighbours, must
#: write the same bytes as an uninterrupted one, and the fifth decimal means nothing to a reviewer.
CONFIDENCE_DECIMALS = 4


@dataclass(frozen=True)
class BatchOptions:
    """How every document of a batch is aligned; recorded in the output folder so a resume cannot mix settings."""

    embedder: str = "e5-small"
    presplit: bool = False
    refine: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"embedder": self.embedder, "presplit": self.presplit, "refine": self.refine}


@dataclass
class PairResult:
    """A document's links (``rows``) and summary, or the reason it failed (``error``), and where time went."""

    id: str
    src_lang: str | None
    tgt_lang: str | None
    rows: list[dict[str, Any]] = field(default_factory=list)
    src_sentences: int = 0
    tgt_sentences: int = 0
    error: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    embedder: str = ""  # the model and route that made the links (the marker keeps it)
    relatedness: float | None = None  # share of links far above chance (workbench.alignment.relatedness)
    src_texts: list[str] = field(default_factory=list)  # the sentences the links' ids name, to open a document
    tgt_texts: list[str] = field(default_factory=list)  # in Review as a project

    @property
    def sentences(self) -> int:
        return self.src_sentences + self.tgt_sentences


class TimedEmbedder(Embedder):
    """Passes every call through to ``inner`` and adds up the seconds spent embedding (for the time shares)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.batch_size = inner.batch_size
        self.seconds = 0.0

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner._encode(texts)

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.encode(texts, progress=progress)
        finally:
            self.seconds += time.perf_counter() - started


def align_pair(pair: DocumentPair, embedder: Embedder, options: BatchOptions) -> PairResult:
    """Align one pair; never raises for a bad document (the result carries the reason instead)."""
    from workbench.alignment import align_documents
    from workbench.documents import load_document, sentence_joiner

    result = PairResult(pair.id, pair.src_lang, pair.tgt_lang, embedder=embedder.name)
    started = time.perf_counter()
    try:
        src = load_document(pair.source, pair.src_lang, presplit=options.presplit)
        tgt = load_document(pair.target, pair.tgt_lang, presplit=options.presplit)
        result.src_lang, result.tgt_lang = src.lang, tgt.lang
        # The model that reads this pair (the default adds a second one for Chinese), timed and named as such.
        timed = TimedEmbedder(embedder.for_languages(src.lang, tgt.lang))
        result.embedder = timed.name
        read = time.perf_counter()
        src_texts, tgt_texts = src.sentence_texts(), tgt.sentence_texts()
        if not src_texts or not tgt_texts:
            empty = "source" if not src_texts else "target"
            raise WorkbenchError(f"the {empty} has no sentences.")
        alignment = align_documents(src, tgt, timed, refine=options.refine)
    except WorkbenchError as exc:
        result.error = " ".join(str(exc).split())
        return result
    except Exception as exc:  # an unforeseen failure is still one document's, reported with its type
        result.error = f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())}"
        return result
    done = time.perf_counter()
    result.src_sentences, result.tgt_sentences = len(src_texts), len(tgt_texts)
    result.relatedness = alignment.signature["relatedness"]
    result.src_texts, result.tgt_texts = src_texts, tgt_texts
    src_join, tgt_join = sentence_joiner(src.lang), sentence_joiner(tgt.lang)
    result.rows = [
        {
            "doc": pair.id,
            "link": number,
            "src_lang": src.lang,
            "tgt_lang": tgt.lang,
            "type": bead.kind,
            "src": list(bead.src),
            "tgt": list(bead.tgt),
            "confidence": round(float(bead.confidence), CONFIDENCE_DECIMALS),
            "status": "auto",  # as in projects: made by the aligner, not reviewed (workbench batch update)
            "src_text": src_join.join(src_texts[i] for i in bead.src),
            "tgt_text": tgt_join.join(tgt_texts[j] for j in bead.tgt),
        }
        for number, bead in enumerate(alignment.beads, 1)
    ]
    result.seconds = {
        "read": read - started,
        "embedding": timed.seconds,
        "alignment": done - read - timed.seconds,
    }
    return result
