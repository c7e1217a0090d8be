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
from workbench.alignment.aligner import align_embeddings, align_embeddings_with_statistics
from workbench.alignment.beads import Bead, source_skips_first
from workbench.alignment.estimate import (
    ALIGNING,
    EMBEDDING,
    REFINING,
    AlignmentEstimate,
    AlignmentProgress,
    StageProgress,
    embedding_counts,
    estimate_alignment,
)
from workbench.alignment.model import (
    AlignParams,
    ends_open,
    ends_quoted,
    ends_unfinished,
    number_marks,
    paragraph_ends,
    settle_confidences,
)
from workbench.alignment.refinement import refine_alignment
from workbench.alignment.relatedness import relatedness, unrelated_warning
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
    stages: StageProgress | None = None,
    languages: tuple[str | None, str | None] = (None, None),
    paragraphs: tuple[Sequence[int] | None, Sequence[int] | None] = (None, None),
) -> Alignment:
    """Align two lists of sentences. ``progress(done, total)`` counts sentences embedded.

    ``refine`` re-decides doubtful stretches with real embeddings of multi-sentence spans
    (:mod:`workbench.alignment.refinement`): better links for a little more embedding.
    ``stages(stage, done, total)`` follows the whole job: the sentences the embedder reads (cached ones are not
    counted), the first pass's steps, the second pass's span texts; :class:`~workbench.alignment.estimate.
    AlignmentProgress` turns it into a time left. ``languages`` (source, target) are the sides' language tags
    where known: the second pass joins a span's sentences as the language does (else it guesses from the script),
    and the embedder may choose how to read them (:meth:`~workbench.embedding.Embedder.for_languages`).
    ``paragraphs`` (each sentence's paragraph number, both sides or neither) let links learn to end where both
    versions end a paragraph (``AlignParams.paragraph_end``).
    """
    params = params or AlignParams()
    embedder = embedder.for_languages(*languages)  # the default reads a Chinese side with a second model beside it
    total = len(src) + len(tgt)
    # What each side will really embed, so the embedding stage counts work, not cache hits; a target that repeats
    # source sentences (a shuffled copy) finds them cached by the time it is embedded.
    src_new, tgt_new = embedding_counts(embedder, src, tgt) if stages else (0, 0)

    def side_progress(offset: int, fresh: int, stage_offset: int):
        def report(done: int, _n: int) -> None:
            if progress:
                progress(offset + done, total)
            if stages and fresh:
                stages(EMBEDDING, stage_offset + min(done, fresh), src_new + tgt_new)

        return report if progress or stages else None

    if stages:
        stages(EMBEDDING, 0, src_new + tgt_new)
    src_vectors = embedder.encode(list(src), progress=side_progress(0, src_new, 0))
    tgt_vectors = embedder.encode(list(tgt), progress=side_progress(len(src), tgt_new, src_new))
    if stages:
        stages(EMBEDDING, src_new + tgt_new, src_new + tgt_new)
    src_lengths, tgt_lengths = [len(s) for s in src], [len(t) for t in tgt]
    src_para, tgt_para = paragraph_ends(paragraphs[0], len(src)), paragraph_ends(paragraphs[1], len(tgt))
    src_numbers, tgt_numbers = number_marks(src), number_marks(tgt)  # both passes read the same
    if src_para is None or tgt_para is None:  # one side's paragraphs alone say nothing about where links end
        src_para = tgt_para = None
    beads, stats = align_embeddings_with_statistics(
        src_vectors,
        tgt_vectors,
        src_lengths,
        tgt_lengths,
        params,
        fixed,
        src_open=ends_open(src),
        tgt_open=ends_open(tgt),
        src_unended=ends_unfinished(src),
        tgt_unended=ends_unfinished(tgt),
        src_quoted=ends_quoted(src),
        tgt_quoted=ends_quoted(tgt),
        src_para_end=src_para,
        tgt_para_end=tgt_para,
        src_numbers=src_numbers,
        tgt_numbers=tgt_numbers,
        progress=(lambda done, steps: stages(ALIGNING, done, steps)) if stages else None,
    )
    extra = 0
    if refine and stats is not None:
        beads, extra = refine_alignment(
            beads,
            src,
            tgt,
            src_vectors,
            tgt_vectors,
            embedder,
            stats,
            params,
            fixed,
            progress=(lambda done, spans: stages(REFINING, done, spans)) if stages else None,
            languages=languages,
            paragraph_ends=(src_para, tgt_para),
            numbers=(src_numbers, tgt_numbers),
        )
    if stages:
        stages(REFINING, extra, extra)
    beads = settle_confidences(source_skips_first(beads), params, fixed)
    share = relatedness(beads, src_vectors, tgt_vectors)
    signature = {
        "aligner": f"workbench {__version__}",
        "embedder": embedder.name,
        "params": asdict(params),
        "refined": refine,
        "span_texts_embedded": extra,
        # share of links far above chance: under RELATED_SHARE the texts are probably not translations of each other
        "relatedness": None if share is None else round(share, 3),
        # what the document taught the aligner (margin units a link pays for ending there on one side only)
        "learnt": None
        if stats is None
        else {
            "open_end": round(stats.open_end_cost, 3),
            "quotation": round(stats.quote_cost, 3),
            "paragraph": round(stats.paragraph_cost, 3),
            "numbers": round(stats.number_cost, 3),
        },
    }
    return Alignment(beads, signature)


def align_documents(
    src: Document,
    tgt: Document,
    embedder: Embedder,
    params: AlignParams | None = None,
    fixed: Sequence[Bead] = (),
    progress: Progress | None = None,
    refine: bool = True,
    stages: StageProgress | None = None,
) -> Alignment:
    """Align two segmented documents (ids are positions in ``Document.sentences``)."""
    alignment = align_sentences(
        src.sentence_texts(),
        tgt.sentence_texts(),
        embedder,
        params,
        fixed,
        progress,
        refine,
        stages,
        languages=(src.lang, tgt.lang),
        paragraphs=([s.paragraph for s in src.sentences], [s.paragraph for s in tgt.sentences]),
    )
    alignment.signature.update({"src_lang": src.lang, "tgt_lang": tgt.lang})
    return alignment


__all__ = [
    "AlignParams",
    "Alignment",
    "AlignmentEstimate",
    "AlignmentProgress",
    "Bead",
    "StageProgress",
    "align_documents",
    "align_embeddings",
    "align_sentences",
    "estimate_alignment",
    "unrelated_warning",
]
