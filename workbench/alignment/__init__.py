"""Sentence alignment: documents (or sentence lists) in, links with confidences out.

``align_sentences`` embeds both sides (through the cache, so realigning after an edit embeds only what
changed) and runs the aligner of :mod:`workbench.alignment.aligner`. Every result carries a signature saying
which embedder and settings made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from workbench import __version__
from workbench.alignment.aligner import AlignParams, align_embeddings, align_embeddings_with_statistics, ends_open
from workbench.alignment.beads import Bead, source_skips_first
from workbench.alignment.refinement import refine_alignment
from workbench.documents import Document
from workbench.embedding.base import Embedder, Progress


@dataclass
class Alignment:
    """Links covering every source and target sentence once, in order, and how they were made."""

    beads: list[Bead]
    signature: dict[str, Any] = field(default_factory=dict)


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    embedder: Embedder,
    params: AlignParams | None = None,
    fixed: Sequence[Bead] = (),
    progress: Progress | None = None,
    refine: bool = True,
) -> Alignment:
    """Align two lists of sentences. ``progress(done, total)`` counts sentences embedded.

    ``refine`` re-decides doubtful stretches with real embeddings of multi-sentence spans
    (:mod:`workbench.alignment.refinement`): better links for a little more embedding.
    """
    params = params or AlignParams()
    total = len(src) + len(tgt)

    def side_progress(offset: int):
        return (lambda done, _n: progress(offset + done, total)) if progress else None

    src_vectors = embedder.encode(list(src), progress=side_progress(0))
    tgt_vectors = embedder.encode(list(tgt), progress=side_progress(len(src)))
    src_lengths, tgt_lengths = [len(s) for s in src], [len(t) for t in tgt]
    beads, stats = align_embeddings_with_statistics(
        src_vectors,
        tgt_vectors,
        src_lengths,
        tgt_lengths,
        params,
        fixed,
        src_open=ends_open(src),
        tgt_open=ends_open(tgt),
    )
    extra = 0
    if refine and stats is not None:
        beads, extra = refine_alignment(beads, src, tgt, src_vectors, tgt_vectors, embedder, stats, params, fixed)
    signature = {
        "aligner": f"workbench {__version__}",
        "embedder": embedder.name,
        "params": asdict(params),
        "refined": refine,
        "span_texts_embedded": extra,
    }
    return Alignment(source_skips_first(beads), signature)


def align_documents(
    src: Document,
    tgt: Document,
    embedder: Embedder,
    params: AlignParams | None = None,
    fixed: Sequence[Bead] = (),
    progress: Progress | None = None,
    refine: bool = True,
) -> Alignment:
    """Align two segmented documents (ids are positions in ``Document.sentences``)."""
    alignment = align_sentences(src.sentence_texts(), tgt.sentence_texts(), embedder, params, fixed, progress, refine)
    alignment.signature.update({"src_lang": src.lang, "tgt_lang": tgt.lang})
    return alignment


__all__ = ["AlignParams", "Alignment", "Bead", "align_documents", "align_embeddings", "align_sentences"]
