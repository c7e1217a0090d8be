"""Monotone sentence alignment by cross-lingual embedding similarity.

Design (our own, after reading Bertalign, Vecalign and the margin literature):

* **Embed each sentence once.** Bertalign and Vecalign embed every concatenation of up to four consecutive
  sentences, which is nearly all their running time. With mean pooling, the embedding of a concatenation is
  close to the length-weighted mean of its sentences' embeddings, so we score a multi-sentence span from the
  sentences' own vectors: the cosine of two spans is a ratio of a *box sum* over the weighted sentence
  similarity matrix and two span norms. With row-wise prefix sums each bead score costs O(1).
* **Margin, not raw cosine.** Cosines of one model live in a narrow, model-specific range (e5: ~0.92 for a
  translation, ~0.77 for a stranger). Each score is the span cosine minus the mean of the sentences'
  k nearest neighbours in the search band, divided by the document's typical true-pair margin, so the skip and
  merge parameters mean the same thing for every embedder and language pair.
* **Linear cost.** A recursive coarse-to-fine pass (Vecalign's idea): sentences are merged pairwise until the
  problem is small, aligned there in full, and each finer level searches only a band around the coarser path.
* **Length-aware.** A Gale-Church-like penalty on the log ratio of span lengths against the document's ratio.
* **Open endings.** Lines ending with ';', ':' or ',' are clauses someone cut; where a document's first
  alignment shows them sitting inside links, it is aligned again with links discouraged from ending there.
* **Numbers.** Where a document's two versions keep each other's numbers (dates, heights, references), a link
  whose numbers sit on one side only is cut in the wrong place; each sentence's numbers are a 64-bit set, so a
  span's are an OR and a link's disagreement a popcount, computed in bulk like everything else here.
* **Fixed links.** Links a reviewer fixed are kept as they are; the stretches between them are aligned on
  their own, with neighbourhood statistics taken from the whole document.
* **Confidence from the alternatives.** A link's confidence rests on its posterior among all paths through the band
  (forward-backward over the DP's own link scores): a link is sure when no other way of cutting that stretch comes
  close, whatever its raw score. Both passes compute it with one calibrated formula (:func:`link_confidence`).
* **Deterministic.** Only numpy arithmetic; ties break by bead type order.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from workbench.alignment.beads import Bead, source_skips_first
from workbench.alignment.model import (
    AlignParams,
    DocumentStatistics,
    bead_types,
    link_confidence,
    link_evidence,
    link_gain,
    numbers_apart,
    run_shares,
    settle_confidences,
    skip_costs,
)
from workbench.errors import AlignmentError

NEG = -1e30


@dataclass(frozen=True)
class _Side:
    """One side at one resolution: unit-norm vectors and their weights (lengths in characters)."""

    vectors: np.ndarray  # (n, d) float32, unit rows
    weights: np.ndarray  # (n,) float64
    lengths: np.ndarray  # (n,) float64
    open_end: np.ndarray  # (n,) float64, 1.0 where the sentence ends open (see ends_open)
    unended: np.ndarray  # (n,) float64, 1.0 where the line ends without a sentence's final mark (see ends_unfinished)
    quoted: np.ndarray  # (n,) float64, 1.0 where the line ends with a quotation mark (see ends_quoted)
    para_end: np.ndarray  # (n,) float64, 1.0 where the sentence ends its paragraph (none known: all 0)
    numbers: np.ndarray  # (n,) uint64, the sentence's numbers as a set of bits (see number_marks; none: 0)

    @property
    def size(self) -> int:
        return len(self.weights)


def align_embeddings(
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    src_lengths: Sequence[float],
    tgt_lengths: Sequence[float],
    params: AlignParams | None = None,
    fixed: Sequence[Bead] = (),
    *,
    src_open: Sequence[bool] | None = None,
    tgt_open: Sequence[bool] | None = None,
    src_unended: Sequence[bool] | None = None,
    tgt_unended: Sequence[bool] | None = None,
    src_quoted: Sequence[bool] | None = None,
    tgt_quoted: Sequence[bool] | None = None,
    src_para_end: Sequence[bool] | None = None,
    tgt_para_end: Sequence[bool] | None = None,
    src_numbers: np.ndarray | None = None,
    tgt_numbers: np.ndarray | None = None,
) -> list[Bead]:
    """Align two sequences of sentence embeddings; return beads covering every sentence once, in order.

    ``src_lengths``/``tgt_lengths`` are sentence lengths (characters); they weight spans and drive the length
    penalty. ``fixed`` links are returned unchanged (confidence kept) and the rest is aligned around them. The
    first pass alone: its links' confidences settled as :func:`workbench.alignment.align_sentences` settles them.
    """
    beads = align_embeddings_with_statistics(
        src_vectors,
        tgt_vectors,
        src_lengths,
        tgt_lengths,
        params,
        fixed,
        src_open=src_open,
        tgt_open=tgt_open,
        src_unended=src_unended,
        tgt_unended=tgt_unended,
        src_quoted=src_quoted,
        tgt_quoted=tgt_quoted,
        src_para_end=src_para_end,
        tgt_para_end=tgt_para_end,
        src_numbers=src_numbers,
        tgt_numbers=tgt_numbers,
    )[0]
    return settle_confidences(beads, params or AlignParams(), fixed)


def align_embeddings_with_statistics(
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    src_lengths: Sequence[float],
    tgt_lengths: Sequence[float],
    params: AlignParams | None = None,
    fixed: Sequence[Bead] = (),
    *,
    src_open: Sequence[bool] | None = None,
    tgt_open: Sequence[bool] | None = None,
    src_unended: Sequence[bool] | None = None,
    tgt_unended: Sequence[bool] | None = None,
    src_quoted: Sequence[bool] | None = None,
    tgt_quoted: Sequence[bool] | None = None,
    src_para_end: Sequence[bool] | None = None,
    tgt_para_end: Sequence[bool] | None = None,
    src_numbers: np.ndarray | None = None,
    tgt_numbers: np.ndarray | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Bead], DocumentStatistics | None]:
    """:func:`align_embeddings`, plus the document's statistics (None when a side is empty).

    A second pass that scores links the same way needs them; returning them saves computing them twice.
    ``progress(done, 3)`` after the search band, the alignment and the open-ending pass (a long document's
    first pass takes minutes; the caller shows how far it is).
    """
    params = params or AlignParams()
    src = _make_side(src_vectors, src_lengths, src_open, src_unended, src_quoted, src_para_end, src_numbers)
    tgt = _make_side(tgt_vectors, tgt_lengths, tgt_open, tgt_unended, tgt_quoted, tgt_para_end, tgt_numbers)
    fixed = _check_fixed(fixed, src.size, tgt.size)
    if src.size == 0 or tgt.size == 0:
        return _skips(0, src.size, 0, tgt.size, confidence=1.0), None

    report = progress or (lambda _done, _total: None)
    report(0, 3)
    lo, hi = _search_band(src, tgt, params)
    stats = _statistics(src, tgt, lo, hi, params)
    report(1, 3)
    # A first alignment, without posteriors (only its links are used), teaches the document's open-end cost and
    # margin scale; the final one is made with them.
    draft = _align_with(src, tgt, stats, params, fixed, lo, hi, posteriors=False)
    report(2, 3)
    stats = replace(
        stats,
        open_end_cost=_open_end_cost(draft, src.open_end, tgt.open_end, params),
        quote_cost=_boundary_cost(draft, src.quoted, tgt.quoted, params.quote_end),
        paragraph_cost=_boundary_cost(draft, src.para_end, tgt.para_end, params.paragraph_end),
        number_cost=_number_cost(draft, src.numbers, tgt.numbers, params.number_mismatch),
        scale=_link_scale(draft, src, tgt, stats, params),
    )
    beads = _align_with(src, tgt, stats, params, fixed, lo, hi)
    report(3, 3)
    return source_skips_first(beads), stats


def _link_scale(beads: list[Bead], src: _Side, tgt: _Side, stats: DocumentStatistics, params: AlignParams) -> float:
    """The margin scale that gives this document's typical 1-1 link the score ``params.link_score``.

    The first scale (the median k-NN margin of a sentence's best partner) runs small where a translation joins and
    splits sentences freely, since a sentence's neighbours then share its partner: the novels' true 1-1 links
    scored 4.3 against Text+Berg's 2.3, so a skip or a merge, priced in the same units, cost half as much there.
    Measuring the scale on the links themselves puts every document's costs in the same units."""
    if params.link_score <= 0:
        return stats.scale
    pairs = np.array([(b.src[0], b.tgt[0]) for b in beads if len(b.src) == 1 and len(b.tgt) == 1])
    if len(pairs) < 8:
        return stats.scale
    i, j = pairs[:, 0], pairs[:, 1]
    cos = np.einsum("kd,kd->k", src.vectors[i], tgt.vectors[j])
    around = []
    for other, rows, cols in (
        (tgt.vectors, src.vectors[i], j - 1),
        (tgt.vectors, src.vectors[i], j + 1),
        (src.vectors, tgt.vectors[j], i - 1),
        (src.vectors, tgt.vectors[j], i + 1),
    ):
        ok = (cols >= 0) & (cols < len(other))
        around.append(np.where(ok, np.einsum("kd,kd->k", rows, other[np.clip(cols, 0, len(other) - 1)]), np.nan))
    background = np.nanmean(np.vstack(around), axis=0)
    margins = cos - np.nan_to_num(background, nan=float(np.nanmean(background)))
    typical = float(np.median(margins))
    if typical <= 0:
        return stats.scale
    return typical / params.link_score


def _open_end_cost(beads: list[Bead], src_open: np.ndarray, tgt_open: np.ndarray, params: AlignParams) -> float:
    """How strongly this document's open sentences sit inside links, from an alignment made without the cost.

    The log odds ratio of "inside a link" between open and other sentences, shrunk towards no difference (two
    pseudo-sentences that behave like the others), scaled so that 2 nats (open sentences inside links seven times
    as often) or more charge the whole ``params.open_end``; none where open sentences end links as often as others.
    """
    counts = np.zeros((2, 2))  # [ends open][inside a link]
    for bead in beads:
        for ids, opens in ((bead.src, src_open), (bead.tgt, tgt_open)):
            for k, i in enumerate(ids):
                counts[int(opens[i]), int(k < len(ids) - 1)] += 1
    if counts[1].sum() == 0 or params.open_end <= 0:
        return 0.0
    closed = (counts[0] + 0.5) / (counts[0].sum() + 1.0)
    opened = counts[1] + 2.0 * closed
    log_odds = math.log(opened[1] / opened[0]) - math.log(closed[1] / closed[0])
    return params.open_end * float(np.clip(log_odds / 2.0, 0.0, 1.0))


def _boundary_cost(beads: list[Bead], src_flags: np.ndarray, tgt_flags: np.ndarray, most: float) -> float:
    """How closely this document's two versions end a kind of stretch together (a quotation, a paragraph), from an
    alignment made without the cost: the log of how many links would end such a stretch on one side only if the two
    sides' flags fell independently, over how many do (one pseudo-link of each added, so that a document with few
    flags learns nothing). Nothing is charged up to half a nat (what chance gives a short document whose flags fall
    independently), all of ``most`` from 2 nats (seven times fewer) on."""
    ends = np.array([(src_flags[b.src[-1]], tgt_flags[b.tgt[-1]]) for b in beads if b.src and b.tgt])
    if most <= 0 or len(ends) == 0:
        return 0.0
    p_src, p_tgt = ends.mean(axis=0)
    expected = len(ends) * (p_src * (1 - p_tgt) + (1 - p_src) * p_tgt)
    observed = float(np.sum(ends[:, 0] != ends[:, 1]))
    return _learnt(expected, observed, most)


def _learnt(expected: float, observed: float, most: float) -> float:
    """How much of ``most`` a document charges for a disagreement seen ``observed`` times in its draft links where
    chance would give ``expected``: nothing up to half a nat of log ratio (one pseudo-count each, so that a
    document with few cases learns nothing), all of it from 2 nats (seven times fewer) on."""
    log_ratio = math.log((expected + 1.0) / (observed + 1.0))
    return most * float(np.clip((log_ratio - 0.5) / 1.5, 0.0, 1.0))


def _number_cost(beads: list[Bead], src_numbers: np.ndarray, tgt_numbers: np.ndarray, most: float) -> float:
    """How closely this document's two versions keep each other's numbers, from an alignment made without the
    cost: the numbers its links hold on one side only, against those they would hold if each source span were
    paired with the target spans of the next few links (what a link cut in the wrong place meets)."""
    links = [b for b in beads if b.src and b.tgt]
    if most <= 0 or len(links) < 2:
        return 0.0
    src_sets = np.array([np.bitwise_or.reduce(src_numbers[list(b.src)]) for b in links], dtype=np.uint64)
    tgt_sets = np.array([np.bitwise_or.reduce(tgt_numbers[list(b.tgt)]) for b in links], dtype=np.uint64)
    observed = float(np.sum(numbers_apart(src_sets, tgt_sets)))
    shifts = range(1, min(4, len(links)))
    expected = float(np.mean([np.sum(numbers_apart(src_sets, np.roll(tgt_sets, d))) for d in shifts]))
    return _learnt(expected, observed, most)


def _align_with(
    src: _Side,
    tgt: _Side,
    stats: DocumentStatistics,
    params: AlignParams,
    fixed: list[Bead],
    lo: np.ndarray,
    hi: np.ndarray,
    posteriors: bool = True,
) -> list[Bead]:
    """Fixed links with both sides split the problem into stretches; fixed 0-1 and 1-0 links only pin their
    sentences as unlinked, wherever the path passes them. Without ``posteriors`` the links' confidences mean
    nothing (a draft)."""
    pinned_src = np.zeros(src.size, dtype=bool)
    pinned_tgt = np.zeros(tgt.size, dtype=bool)
    pinned_by: dict[tuple[str, int], Bead] = {}
    for bead in fixed:
        if not bead.tgt:
            pinned_src[list(bead.src)] = True
            pinned_by.update({("s", i): bead for i in bead.src})
        elif not bead.src:
            pinned_tgt[list(bead.tgt)] = True
            pinned_by.update({("t", j): bead for j in bead.tgt})
    anchors = [b for b in fixed if b.src and b.tgt]
    if not anchors:
        path = _dp(src, tgt, lo, hi, stats, params, pinned_src, pinned_tgt, posteriors=posteriors)
        return _restore_pinned(_to_beads(path, params), pinned_by)

    beads: list[Bead] = []
    i = j = 0
    for link in [*anchors, None]:
        i_end, j_end = (link.src[0], link.tgt[0]) if link else (src.size, tgt.size)
        beads.extend(
            _align_stretch(src, tgt, stats, params, (i, i_end), (j, j_end), pinned_src, pinned_tgt, posteriors)
        )
        if link is not None:
            beads.append(link)
            i, j = link.src[-1] + 1, link.tgt[-1] + 1
    return _restore_pinned(beads, pinned_by)


# --------------------------------------------------------------------------------------------------------------
# Fixed links and stretches


def _check_fixed(fixed: Sequence[Bead], n: int, m: int) -> list[Bead]:
    """Fixed links must name consecutive sentences in range, and must not cross or overlap each other."""
    ordered = sorted(fixed, key=lambda b: (b.src[0] if b.src else -1, b.tgt[0] if b.tgt else -1))
    for bead in ordered:
        if not bead.src and not bead.tgt:
            raise AlignmentError("a fixed link must name at least one sentence.")
        for ids, size, side in ((bead.src, n, "source"), (bead.tgt, m, "target")):
            if ids and (list(ids) != list(range(ids[0], ids[0] + len(ids))) or ids[0] < 0 or ids[-1] >= size):
                raise AlignmentError(
                    f"fixed link {list(bead.src)}:{list(bead.tgt)} has {side} ids that are not consecutive "
                    f"sentences of the document (0..{size - 1})."
                )
    for side in ("src", "tgt"):
        used = sorted((getattr(b, side)[0], getattr(b, side)[-1]) for b in ordered if getattr(b, side))
        for (_, end), (begin, _) in itertools.pairwise(used):
            if begin <= end:
                raise AlignmentError("two fixed links share a sentence; each sentence can be in one link only.")
    anchors = [b for b in ordered if b.src and b.tgt]
    for before, after in itertools.pairwise(anchors):
        if after.tgt[0] <= before.tgt[-1]:
            raise AlignmentError(
                f"fixed links {list(before.src)}:{list(before.tgt)} and {list(after.src)}:{list(after.tgt)} "
                "cross; links must keep both texts in order."
            )
    return ordered


def _restore_pinned(beads: list[Bead], pinned_by: dict[tuple[str, int], Bead]) -> list[Bead]:
    """Put each fixed 0-n/n-0 link back as given, at the place of its first sentence."""
    if not pinned_by:
        return beads
    out: list[Bead] = []
    placed: set[int] = set()
    for bead in beads:
        key = (
            ("s", bead.src[0])
            if bead.src and not bead.tgt
            else ("t", bead.tgt[0])
            if bead.tgt and not bead.src
            else None
        )
        fixed = pinned_by.get(key) if key else None
        if fixed is None:
            out.append(bead)
        elif id(fixed) not in placed:
            placed.add(id(fixed))
            out.append(fixed)
    return out


def _align_stretch(
    src: _Side,
    tgt: _Side,
    stats: DocumentStatistics,
    params: AlignParams,
    rows: tuple[int, int],
    cols: tuple[int, int],
    pinned_src: np.ndarray,
    pinned_tgt: np.ndarray,
    posteriors: bool = True,
) -> list[Bead]:
    (i0, i1), (j0, j1) = rows, cols
    if i1 < i0 or j1 < j0:
        raise AlignmentError("fixed links leave no room between them; check their order.")
    if i1 == i0 or j1 == j0:
        return _skips(i0, i1, j0, j1, confidence=1.0)
    sub_src, sub_tgt = _slice(src, i0, i1), _slice(tgt, j0, j1)
    sub_stats = replace(
        stats,
        bg_src=stats.bg_src[i0:i1],
        bg_tgt=stats.bg_tgt[j0:j1],
        best_src=stats.best_src[i0:i1],
        best_tgt=stats.best_tgt[j0:j1],
    )
    lo, hi = _search_band(sub_src, sub_tgt, params)
    path = _dp(sub_src, sub_tgt, lo, hi, sub_stats, params, pinned_src[i0:i1], pinned_tgt[j0:j1], posteriors=posteriors)
    beads = _to_beads(path, params)
    return [replace(b, src=tuple(i + i0 for i in b.src), tgt=tuple(j + j0 for j in b.tgt)) for b in beads]


def _slice(side: _Side, start: int, end: int) -> _Side:
    return _Side(*(getattr(side, f.name)[start:end] for f in fields(_Side)))


def _skips(i0: int, i1: int, j0: int, j1: int, confidence: float) -> list[Bead]:
    return [Bead((i,), (), confidence) for i in range(i0, i1)] + [Bead((), (j,), confidence) for j in range(j0, j1)]


# --------------------------------------------------------------------------------------------------------------
# Sides, resolutions and the search band


def _make_side(
    vectors: np.ndarray,
    lengths: Sequence[float],
    open_end: Sequence[bool] | None = None,
    unended: Sequence[bool] | None = None,
    quoted: Sequence[bool] | None = None,
    para_end: Sequence[bool] | None = None,
    numbers: np.ndarray | None = None,
) -> _Side:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 and vectors.size == 0:
        vectors = vectors.reshape(0, 1)
    lengths_arr = np.asarray(lengths, dtype=np.float64).reshape(-1)
    if len(lengths_arr) != len(vectors):
        raise ValueError(f"{len(vectors)} vectors but {len(lengths_arr)} lengths")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else np.ones((0, 1))
    unit = vectors / np.maximum(norms, 1e-12)
    # Weight by length (a proxy for token count, which is what mean pooling averages over), floored so
    # that an empty line still counts a little.
    weights = np.maximum(lengths_arr, 1.0)
    flags = []
    for given, what in (
        (open_end, "open-end"),
        (unended, "line-ending"),
        (quoted, "quotation"),
        (para_end, "paragraph"),
    ):
        flag = np.zeros(len(lengths_arr)) if given is None else np.asarray(given, dtype=np.float64).reshape(-1)
        if len(flag) != len(lengths_arr):
            raise ValueError(f"{len(lengths_arr)} sentences but {len(flag)} {what} flags")
        flags.append(flag)
    marks = np.zeros(len(lengths_arr), dtype=np.uint64) if numbers is None else np.asarray(numbers, dtype=np.uint64)
    if len(marks) != len(lengths_arr):
        raise ValueError(f"{len(lengths_arr)} sentences but {len(marks)} number sets")
    return _Side(unit.astype(np.float32), weights, lengths_arr, *flags, marks)


def _halve(side: _Side) -> _Side:
    """Merge sentences pairwise (length-weighted mean, re-normalised): the next coarser resolution."""
    n = side.size
    pairs = n // 2
    weighted = side.vectors * side.weights[:, None].astype(np.float32)
    merged = weighted[: 2 * pairs : 2] + weighted[1 : 2 * pairs : 2]
    weights = side.weights[: 2 * pairs : 2] + side.weights[1 : 2 * pairs : 2]
    lengths = side.lengths[: 2 * pairs : 2] + side.lengths[1 : 2 * pairs : 2]
    # A pair ends where its second sentence ends.
    flags = (side.open_end, side.unended, side.quoted, side.para_end)
    ends = [flag[1 : 2 * pairs : 2] for flag in flags]
    numbers = side.numbers[: 2 * pairs : 2] | side.numbers[1 : 2 * pairs : 2]  # a pair holds both sentences' numbers
    if n % 2:
        merged = np.vstack([merged, weighted[-1:]])
        weights = np.append(weights, side.weights[-1])
        lengths = np.append(lengths, side.lengths[-1])
        ends = [np.append(end, flag[-1]) for end, flag in zip(ends, flags, strict=True)]
        numbers = np.append(numbers, side.numbers[-1])
    norms = np.linalg.norm(merged, axis=1, keepdims=True)
    return _Side((merged / np.maximum(norms, 1e-12)).astype(np.float32), weights, lengths, *ends, numbers)


def _search_band(src: _Side, tgt: _Side, params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """For each DP row 0..n, the half-open range of DP columns to search (monotone in the row)."""
    n, m = src.size, tgt.size
    if n * m <= params.direct_cells or n < 4 or m < 4:
        return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64)
    coarse_src, coarse_tgt = _halve(src), _halve(tgt)
    lo_c, hi_c = _search_band(coarse_src, coarse_tgt, params)
    stats_c = _statistics(coarse_src, coarse_tgt, lo_c, hi_c, params)
    path = _dp(coarse_src, coarse_tgt, lo_c, hi_c, stats_c, params)
    return _project(path, n, m, params.band)


def _project(path: list[tuple[int, int, int, int, float]], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Map a coarse path (beads as i0, i1, j0, j1) to a band of fine rows, widened by ``width``."""
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for i0, i1, j0, j1, *_ in path:
        r0, r1 = min(2 * i0, n), min(2 * i1, n)
        c0, c1 = min(2 * j0, m), min(2 * j1, m)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], c0 - width)
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], c1 + width + 1)
    lo = np.clip(lo, 0, m)
    hi = np.clip(hi, 1, m + 1)
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # widen to make both bounds non-decreasing
    hi = np.maximum.accumulate(hi)
    lo[0] = 0
    hi[-1] = m + 1
    return lo, hi


# --------------------------------------------------------------------------------------------------------------
# Similarities in the band


def _sentence_band(src: _Side, tgt: _Side, lo: np.ndarray, hi: np.ndarray, reach: int) -> tuple[np.ndarray, np.ndarray]:
    """Cosines of each source sentence with the target sentences its links can reach.

    Returns ``(start, cos)``: ``cos[i, k]`` is the cosine of source i and target ``start[i] + k`` (NaN past
    the band's end).
    """
    n, m = src.size, tgt.size
    # Links ending at rows i+1..i+reach cover sentence i; one more on each side for their neighbours.
    start = np.maximum(lo[:n] - reach - 1, 0)
    stop = np.minimum(hi[np.minimum(np.arange(n) + reach + 1, n)], m)
    stop = np.maximum(stop, start)
    width = int((stop - start).max()) if n else 0
    cos = np.full((n, max(width, 1)), np.nan, dtype=np.float32)
    chunk = max(1, 4_000_000 // max(1, width * src.vectors.shape[1]))
    offsets = np.arange(width)
    for c0 in range(0, n, chunk):
        c1 = min(n, c0 + chunk)
        idx = start[c0:c1, None] + offsets[None, :]
        valid = idx < stop[c0:c1, None]
        gathered = tgt.vectors[np.minimum(idx, m - 1)]
        block = np.einsum("nd,nkd->nk", src.vectors[c0:c1], gathered)
        cos[c0:c1, :width] = np.where(valid, block, np.nan)
    return start, cos


def _statistics(src: _Side, tgt: _Side, lo: np.ndarray, hi: np.ndarray, params: AlignParams) -> DocumentStatistics:
    """Per-sentence neighbourhood background (k-NN mean cosine) and the document's margin scale."""
    start, cos = _sentence_band(src, tgt, lo, hi, reach=1)
    k = params.neighbours
    filled = np.where(np.isnan(cos), -np.inf, cos)
    top = -np.sort(-filled, axis=1)[:, :k]
    top = np.where(np.isinf(top), np.nan, top)
    bg_src = np.nan_to_num(np.nanmean(top, axis=1), nan=0.0)
    best_src = np.nan_to_num(top[:, 0], nan=0.0, neginf=0.0)

    # Target side: the same cosines grouped by target sentence.
    rows, cols = np.nonzero(~np.isnan(cos))
    tgt_ids = start[rows] + cols
    values = cos[rows, cols]
    order = np.lexsort((-values, tgt_ids))
    tgt_sorted, val_sorted = tgt_ids[order], values[order]
    first = np.searchsorted(tgt_sorted, np.arange(tgt.size), side="left")
    rank = np.arange(len(tgt_sorted)) - first[tgt_sorted]
    top_k = rank < k
    sums = np.bincount(tgt_sorted[top_k], weights=val_sorted[top_k], minlength=tgt.size)
    counts = np.bincount(tgt_sorted[top_k], minlength=tgt.size)
    bg_tgt = np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
    best_tgt = np.zeros(tgt.size)
    best_tgt[tgt_sorted[rank == 0]] = val_sorted[rank == 0]
    margins = np.concatenate([best_src - bg_src, best_tgt - bg_tgt])
    scale = float(np.median(margins)) if len(margins) else 0.0
    scale = max(scale, 1e-3)
    ratio = float(tgt.lengths.sum() + 1.0) / float(src.lengths.sum() + 1.0)
    smoothing = 0.1 * float(np.mean(np.concatenate([src.lengths, tgt.lengths]))) + 1.0
    typical_src = float(np.median(src.lengths)) if src.size else 1.0
    typical_tgt = float(np.median(tgt.lengths)) if tgt.size else 1.0
    return DocumentStatistics(
        bg_src, bg_tgt, best_src, best_tgt, scale, ratio, smoothing, typical_src=typical_src, typical_tgt=typical_tgt
    )


# --------------------------------------------------------------------------------------------------------------
# Dynamic programming in the band


def _span_table(side: _Side, max_len: int) -> tuple[np.ndarray, np.ndarray]:
    """For each span length a and start s: norm of the weighted vector sum, and summed length."""
    n = side.size
    weighted = side.vectors.astype(np.float64) * side.weights[:, None]
    prefix = np.vstack([np.zeros((1, weighted.shape[1])), np.cumsum(weighted, axis=0)])
    prefix_l = np.concatenate([[0.0], np.cumsum(side.lengths)])
    norms = np.ones((max_len + 1, n + 1))
    lsum = np.zeros((max_len + 1, n + 1))
    for a in range(1, max_len + 1):
        count = max(n - a + 1, 0)
        if count:
            norms[a, :count] = np.linalg.norm(prefix[a : a + count] - prefix[:count], axis=1)
            lsum[a, :count] = prefix_l[a : a + count] - prefix_l[:count]
    return np.maximum(norms, 1e-12), lsum


def _number_table(numbers: np.ndarray, max_len: int) -> np.ndarray:
    """The numbers of each span (length a, start s) as one set of bits: the OR of its sentences'."""
    n = len(numbers)
    table = np.zeros((max_len + 1, n + 1), dtype=np.uint64)
    for a in range(1, max_len + 1):
        count = max(n - a + 1, 0)
        if count:
            table[a, :count] = table[a - 1, :count] | numbers[a - 1 : a - 1 + count]
    return table


def _bg_table(bg: np.ndarray, max_len: int) -> np.ndarray:
    """Mean background of each span (length a, start s)."""
    n = len(bg)
    prefix = np.concatenate([[0.0], np.cumsum(bg)])
    table = np.zeros((max_len + 1, n + 1))
    for a in range(1, max_len + 1):
        count = max(n - a + 1, 0)
        if count:
            table[a, :count] = (prefix[a : a + count] - prefix[:count]) / a
    return table


def _link_gains(
    src: _Side,
    tgt: _Side,
    lo: np.ndarray,
    hi: np.ndarray,
    stats: DocumentStatistics,
    params: AlignParams,
    pinned_src: np.ndarray,
    pinned_tgt: np.ndarray,
) -> np.ndarray:
    """Score of every n-m link (n, m >= 1) ending at every cell of the band, computed in bulk.

    ``gains[t, r, k]`` is the score of a link of type ``types[t]`` ending at row r, column ``lo[r] + k``
    (NEG where it cannot end there). Whole-array numpy work: the row loop of the DP only adds and compares.
    """
    n, m = src.size, tgt.size
    types = bead_types(params)
    reach = params.max_side
    start, cos = _sentence_band(src, tgt, lo, hi, reach)
    width = cos.shape[1]
    # prefix[i, k] = sum of w_i w_j cos(i, j) over start[i] <= j < start[i] + k: a span's box sum is a difference.
    tgt_weights = tgt.weights[np.minimum(start[:, None] + np.arange(width)[None, :], m - 1)]
    weighted = np.nan_to_num(cos, nan=0.0).astype(np.float64) * src.weights[:, None] * tgt_weights
    prefix = np.zeros((n + 1, width + 1))  # one spare row so that row index n is harmless
    np.cumsum(weighted, axis=1, out=prefix[:n, 1:])
    start = np.append(start, 0)

    src_norm, src_len = _span_table(src, reach)
    tgt_norm, tgt_len = _span_table(tgt, reach)
    src_bg = _bg_table(stats.bg_src, reach)
    tgt_bg = _bg_table(stats.bg_tgt, reach)
    src_numbers = _number_table(src.numbers, reach)
    tgt_numbers = _number_table(tgt.numbers, reach)
    pinned_src_before = np.concatenate([[0], np.cumsum(pinned_src)])
    pinned_tgt_before = np.concatenate([[0], np.cumsum(pinned_tgt)])

    band_w = int((hi - lo).max())
    rows = np.arange(n + 1)
    j = lo[:, None] + np.arange(band_w)[None, :]  # (n + 1, band_w) absolute column of each cell
    in_band = j < hi[:, None]
    gains = np.full((len(types), n + 1, band_w), NEG, dtype=np.float32)

    def box(row: np.ndarray, col_hi: np.ndarray, col_lo: np.ndarray) -> np.ndarray:
        """Sum of weighted cosines of source sentence ``row`` with targets [col_lo, col_hi)."""
        base = start[row][:, None]
        return (
            prefix[row[:, None], np.clip(col_hi - base, 0, width)]
            - prefix[row[:, None], np.clip(col_lo - base, 0, width)]
        )

    for t, (a, b) in enumerate(types):
        if a == 0 or b == 0 or a > n:
            continue
        r = rows[a:]
        p = r - a
        jj = np.minimum(j[a:], m)  # cells past the band's end are masked below; keep their indices in range
        j0 = np.maximum(jj - b, 0)
        jc = np.minimum(jj, m - 1)
        jl = np.maximum(j0 - 1, 0)
        num = np.zeros(jj.shape)
        u_right = np.zeros(jj.shape)
        u_left = np.zeros(jj.shape)
        for d in range(a):
            i = p + d
            num += box(i, jj, j0)
            u_right += box(i, jc + 1, jj)
            u_left += box(i, j0, jl)
        u_norm = src_norm[a, p][:, None]
        v_norm = tgt_norm[b, j0]
        cosine = num / (u_norm * v_norm)
        # Contrast: how much the source span resembles the target sentences just outside the link, and the
        # target span the source sentences just outside it. A link cut in the wrong place resembles its neighbours.
        total = np.where(jj < m, u_right / (tgt.weights[jc] * u_norm), 0.0)
        count = (jj < m).astype(np.float64)
        total += np.where(j0 >= 1, u_left / (tgt.weights[jl] * u_norm), 0.0)
        count += j0 >= 1
        before = np.maximum(p - 1, 0)
        total += np.where((p >= 1)[:, None], box(before, jj, j0) / (src.weights[before][:, None] * v_norm), 0.0)
        count += (p >= 1)[:, None]
        after = np.minimum(r, n - 1)
        total += np.where((r < n)[:, None], box(after, jj, j0) / (src.weights[after][:, None] * v_norm), 0.0)
        count += (r < n)[:, None]
        knn = 0.5 * (src_bg[a, p][:, None] + tgt_bg[b, j0])
        local = np.where(count > 0, total / np.maximum(count, 1), knn)
        last_t = np.maximum(jj - 1, 0)
        ends = src.open_end[r - 1][:, None] + tgt.open_end[last_t]
        quotes = np.abs(src.quoted[r - 1][:, None] - tgt.quoted[last_t])
        paragraphs = np.abs(src.para_end[r - 1][:, None] - tgt.para_end[last_t])
        numbers = numbers_apart(src_numbers[a, p][:, None], tgt_numbers[b, j0])
        gain = link_gain(
            cosine,
            local,
            knn,
            src_len[a, p][:, None],
            tgt_len[b, j0],
            a + b,
            ends,
            quotes,
            paragraphs,
            stats,
            params,
            numbers,
        )
        valid = (
            in_band[a:]
            & (jj >= b)
            & (pinned_tgt_before[np.minimum(jj, m)] == pinned_tgt_before[j0])
            & (pinned_src_before[r] == pinned_src_before[p])[:, None]
        )
        gains[t, a:] = np.where(valid, gain, NEG)
    return gains


def _path_gains(
    src: _Side,
    tgt: _Side,
    lo: np.ndarray,
    hi: np.ndarray,
    stats: DocumentStatistics,
    params: AlignParams,
    pinned_src: np.ndarray | None = None,
    pinned_tgt: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """What each move of a path scores: ``gains[t, r, k]`` for every link type but 0-1 (whose entries are NEG),
    and ``skip_tgt_before[j]``, the summed score of leaving targets 0..j-1 unlinked (0-1 links run along a row).

    Pinned sentences can only be left unlinked, and doing so costs nothing."""
    n, m = src.size, tgt.size
    pinned_src = np.zeros(n, dtype=bool) if pinned_src is None else pinned_src
    pinned_tgt = np.zeros(m, dtype=bool) if pinned_tgt is None else pinned_tgt
    types = bead_types(params)
    gains = _link_gains(src, tgt, lo, hi, stats, params, pinned_src, pinned_tgt)
    skip_src = skip_costs(src.open_end, src.unended, src.lengths, stats.typical_src, stats, params)
    skip_tgt = skip_costs(tgt.open_end, tgt.unended, tgt.lengths, stats.typical_tgt, stats, params)
    skip_src = np.where(pinned_src, 0.0, skip_src)
    skip_tgt_before = np.concatenate([[0.0], np.cumsum(np.where(pinned_tgt, 0.0, skip_tgt))])
    # 1-0 links score their sentence's skip; stored like any other link so that one gather serves all types.
    gains[types.index((1, 0)), 1:, :] = skip_src[:, None]
    gains[types.index((0, 1)), :, :] = NEG
    return gains, skip_tgt_before


def _dp(
    src: _Side,
    tgt: _Side,
    lo: np.ndarray,
    hi: np.ndarray,
    stats: DocumentStatistics,
    params: AlignParams,
    pinned_src: np.ndarray | None = None,
    pinned_tgt: np.ndarray | None = None,
    posteriors: bool = False,
) -> list[tuple]:
    """Best monotone path from (0, 0) to (n, m) through the band: links as (i0, i1, j0, j1, score).

    A link's score is its gain in the DP; a skip's is its sentence's best margin in the band, negated.

    Row r of the table holds the best score of aligning source[:r] with target[:j] for j in [lo[r], hi[r]).
    The table is padded with NEG on both sides so that every predecessor lookup is a plain slice.
    Pinned sentences can only be left unlinked, and doing so costs nothing.

    An unfinished line left out right after another of its side pays ``params.run_share`` of its skip cost (a block
    of captions one version lacks is one omission), so a cell has three states: reached by a link (or the start),
    by a 1-0 link (``s_table``) or by a 0-1 link; ``mt_table`` holds the best of the first and the last, after
    which a 1-0 link pays in full.
    """
    n, m = src.size, tgt.size
    types = bead_types(params)
    gains, skip_tgt_before = _path_gains(src, tgt, lo, hi, stats, params, pinned_src, pinned_tgt)
    skip_tgt_type = types.index((0, 1))
    skip_src_type = types.index((1, 0))
    share_src, run_tgt_before = _run_shares(src, tgt, skip_tgt_before, params)
    band_w = gains.shape[2]
    pad = band_w + params.max_side + 1
    table = np.full((n + 1, band_w + 2 * pad), NEG)
    s_table = np.full((n + 1, band_w + 2 * pad), NEG)
    mt_table = np.full((n + 1, band_w + 2 * pad), NEG)
    back = np.full((n + 1, band_w), -1, dtype=np.int8)  # the best move into the cell, 0-1 runs apart
    link_back = np.full((n + 1, band_w), -1, dtype=np.int8)  # the best move but a 1-0 link
    # Bits per cell: 1 the best path ends with a 0-1 link; 2 a 0-1 run reaching it goes on from the cell before;
    # 4 the best way in but by a 1-0 link ends with a 0-1 link; 8 a 1-0 run reaching it goes on from the row before.
    how = np.zeros((n + 1, band_w), dtype=np.int8)
    move_a = np.array([a for a, _ in types])
    move_b = np.array([b for _, b in types])
    type_rows = np.arange(len(types))[:, None]
    linking = (move_a > 0) & (move_b > 0)
    columns = np.arange(band_w)
    # Rows before the first full row fetch from row 0 and are masked: a link of a > r sentences cannot end there.
    for r in range(n + 1):
        w = int(hi[r] - lo[r])
        prev = np.maximum(r - move_a, 0)
        offsets = pad + lo[r] - move_b - lo[prev]
        c = table[prev[:, None], offsets[:, None] + columns[:w]] + gains[type_rows, r, columns[:w]]
        if r < params.max_side:
            c[move_a > r] = NEG
        # A 1-0 link pays in full after anything but another 1-0 link, and its line's share after one.
        cost = gains[skip_src_type, r, columns[:w]]
        after_other = mt_table[prev[skip_src_type], offsets[skip_src_type] + columns[:w]] + cost
        in_run = share_src[max(r - 1, 0)] * cost
        after_skip = s_table[prev[skip_src_type], offsets[skip_src_type] + columns[:w]] + in_run
        c[skip_src_type] = np.maximum(after_other, after_skip) if r else NEG
        if r == 0:
            c[skip_tgt_type, 0] = 0.0  # the start: nothing aligned yet
        best_type = c.argmax(axis=0)
        best = c[best_type, columns[:w]]
        link_type = np.where(linking[:, None], c, NEG).argmax(axis=0)
        linked = c[link_type, columns[:w]]
        if r == 0:
            linked = np.where(columns[:w] == 0, 0.0, NEG)
            link_type[0] = skip_tgt_type
        # 0-1 links run along the row: a run from column k to j pays the first skip in full and the rest their
        # shares (d, run_tgt_before): T[j] = max over k < j of best[k] + cost[k] + d[j] - d[k + 1], a running maximum.
        at = np.minimum(lo[r] + columns[:w], m)
        at_next = np.minimum(lo[r] + columns[:w] + 1, m)
        y = best - skip_tgt_before[at] + skip_tgt_before[at_next] - run_tgt_before[at_next]
        running = np.maximum.accumulate(y)
        run = np.concatenate([[NEG], running[:-1]]) + run_tgt_before[at]
        goes_on = np.concatenate([[False], y[:-1] < running[:-1]])  # the run's best start lies further back
        table[r, pad : pad + w] = np.maximum(np.maximum(best, run), NEG)
        s_table[r, pad : pad + w] = np.maximum(c[skip_src_type], NEG)
        mt_table[r, pad : pad + w] = np.maximum(np.maximum(linked, run), NEG)
        back[r, :w] = best_type
        link_back[r, :w] = link_type
        from_s = after_skip > after_other if r else np.zeros(w, dtype=bool)
        how[r, :w] = (run > best) * 1 + goes_on * 2 + (run > linked) * 4 + from_s * 8
        if r == 0:
            back[0, 0] = -1

    if not (lo[n] <= m < hi[n]) or table[n, pad + m - lo[n]] <= NEG / 2:
        raise AlignmentError("no alignment path through the search band (internal error; please report it).")
    path: list[tuple[int, int, int, int, float]] = []
    r, col, state = n, m, "any"
    while r > 0 or col > 0:
        k = col - lo[r]
        bits = int(how[r, k])
        if state == "any":
            state = "run" if bits & 1 else "best"
        elif state == "not 1-0":
            state = "run" if bits & 4 else "link"
        if state == "run":
            a, b = 0, 1
            state = "run" if bits & 2 else "best"
        elif state == "skip":
            a, b = 1, 0
            state = "skip" if bits & 8 else "not 1-0"
        else:
            t = int(back[r, k] if state == "best" else link_back[r, k])
            if t == skip_src_type:
                state = "skip"
                continue
            a, b = types[t]
            state = "any"
        if a and b:
            score = float(gains[t, r, k])
        elif a:
            score = float(stats.skip_score_src[r - 1])
        else:
            score = float(stats.skip_score_tgt[col - 1])
        path.append((r - a, r, col - b, col, score))
        r, col = r - a, col - b
    path.reverse()
    if posteriors:
        chances = _link_posteriors(
            gains, lo, hi, types, skip_tgt_before, path, params.temperature, share_src, run_tgt_before
        )
        return [(*link, float(p)) for link, p in zip(path, chances, strict=True)]
    return path


def _run_shares(
    src: _Side, tgt: _Side, skip_tgt_before: np.ndarray, params: AlignParams
) -> tuple[np.ndarray, np.ndarray]:
    """What share of its skip cost each source line pays right after another skip of its side (``run_share`` for
    an unfinished line, else all of it), and the summed score of leaving targets 0..j-1 unlinked when each pays its
    share that way (``skip_tgt_before`` is the same in full)."""
    share_tgt = run_shares(tgt.unended, params)
    run_tgt_before = np.concatenate([[0.0], np.cumsum(share_tgt * np.diff(skip_tgt_before))])
    return run_shares(src.unended, params), run_tgt_before


def _link_posteriors(
    gains: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    types: list[tuple[int, int]],
    skip_tgt_before: np.ndarray,
    path: list[tuple[int, int, int, int, float]],
    temperature: float,
    share_src: np.ndarray,
    run_tgt_before: np.ndarray,
) -> np.ndarray:
    """Posterior chance of each link of the path among all paths through the band, paths weighted by
    exp(score / temperature): the forward-backward algorithm on the DP's own table of link scores, with the same
    three states as :func:`_dp` (a skip right after a skip of its side pays its share of its cost: ``share_src``,
    ``run_tgt_before``, from :func:`_run_shares`).

    The best path's link score says how good a link is; its posterior says how much better it is than the
    alternatives, which is what decides whether it is right: a fair link with no rival is safe, a good link with
    a rival one sentence over is not.
    """
    n = gains.shape[1] - 1
    m = int(hi[n]) - 1
    band_w = gains.shape[2]
    pad = band_w + max(max(a, b) for a, b in types) + 1
    scaled = gains.astype(np.float64) / temperature
    q_all = skip_tgt_before / temperature  # q[c]: scaled score of leaving targets 0..c-1 unlinked
    # d[c]: the same, each target paying what it pays inside a run of skips
    d_all = run_tgt_before / temperature
    move_a = np.array([a for a, _ in types])
    move_b = np.array([b for _, b in types])
    skip_src_type = types.index((1, 0))
    link_types = np.nonzero((move_a > 0) & (move_b > 0))[0]
    type_rows = link_types[:, None]
    columns = np.arange(band_w)

    def table() -> np.ndarray:
        return np.full((n + 1, band_w + 2 * pad), NEG)

    # Forward: log of the summed weights of paths into a cell ending with a link (or the start), a 1-0 link, a
    # 0-1 link; "before" is all but the 0-1 ending, "not_s" all but the 1-0 ending.
    f_all, f_before, f_run, f_s, f_not_s = table(), table(), table(), table(), table()
    for r in range(n + 1):
        w = int(hi[r] - lo[r])
        prev = np.maximum(r - move_a[link_types], 0)
        offsets = pad + lo[r] - move_b[link_types] - lo[prev]
        c = f_all[prev[:, None], offsets[:, None] + columns[:w]] + scaled[type_rows, r, columns[:w]]
        c[move_a[link_types] > r] = NEG
        linked = np.logaddexp.reduce(c, axis=0)
        if r == 0:
            linked = np.where(columns[:w] == 0, 0.0, NEG)
            skipped = np.full(w, NEG)
        else:
            cost = scaled[skip_src_type, r, columns[:w]]
            at = pad + lo[r] - lo[r - 1] + columns[:w]
            skipped = np.logaddexp(f_not_s[r - 1, at] + cost, f_s[r - 1, at] + share_src[r - 1] * cost)
        before = np.logaddexp(linked, skipped)
        cols, cols_next = np.minimum(lo[r] + columns[:w], m), np.minimum(lo[r] + columns[:w] + 1, m)
        acc = np.logaddexp.accumulate(before - q_all[cols] + q_all[cols_next] - d_all[cols_next])
        run = np.concatenate([[NEG], acc[:-1]]) + d_all[cols]
        f_before[r, pad : pad + w] = before
        f_run[r, pad : pad + w] = run
        f_s[r, pad : pad + w] = skipped
        f_not_s[r, pad : pad + w] = np.logaddexp(linked, run)
        f_all[r, pad : pad + w] = np.logaddexp(before, run)

    # Backward: log of the summed weights of paths from a cell on, by how the cell was reached.
    b_link, b_s, b_run = table(), table(), table()
    for r in range(n, -1, -1):
        w = int(hi[r] - lo[r])
        out = np.full(w, NEG)  # every link (n, m >= 1) out of the cell
        if r == n:
            out[m - lo[n]] = 0.0
        for t in link_types:
            a, b = types[t]
            if r + a > n:
                continue
            dest = lo[r] + columns[:w] + b - lo[r + a]  # band index of the link's end in row r + a
            ok = (dest >= 0) & (dest < hi[r + a] - lo[r + a])
            safe = np.clip(dest, 0, band_w - 1)
            value = scaled[t, r + a, safe] + b_link[r + a, pad + safe]
            out = np.logaddexp(out, np.where(ok, value, NEG))
        down_full = down_share = np.full(w, NEG)
        if r < n:
            dest = lo[r] + columns[:w] - lo[r + 1]
            ok = (dest >= 0) & (dest < hi[r + 1] - lo[r + 1])
            safe = np.clip(dest, 0, band_w - 1)
            cost = scaled[skip_src_type, r + 1, safe]
            down_full = np.where(ok, cost + b_s[r + 1, pad + safe], NEG)
            down_share = np.where(ok, share_src[r] * cost + b_s[r + 1, pad + safe], NEG)
        q = q_all[np.minimum(lo[r] + columns[:w], m)]
        q_next = q_all[np.minimum(lo[r] + columns[:w] + 1, m)]
        d = d_all[np.minimum(lo[r] + columns[:w], m)]
        # b_run[c] = log-sum over k >= c of h[k] + d[k] - d[c] (h: what leaves the cell but a 0-1 link), the
        # targets c..k-1 left out inside a run.
        h = np.logaddexp(out, down_full)
        b_run_row = np.logaddexp.accumulate((h + d)[::-1])[::-1] - d
        # A 0-1 link out of column c pays cost[c] = q[c + 1] - q[c] and arrives in the run state at c + 1.
        right = np.concatenate([b_run_row[1:], [NEG]])
        first = q_next - q + right  # a run starts here, in full
        b_link[r, pad : pad + w] = np.logaddexp(h, first)
        b_s[r, pad : pad + w] = np.logaddexp(np.logaddexp(out, down_share), first)
        b_run[r, pad : pad + w] = b_run_row

    total = f_all[n, pad + m - lo[n]]
    chances = np.empty(len(path))
    for k, (i0, i1, j0, j1, _) in enumerate(path):
        start, end = pad + j0 - lo[i0], pad + j1 - lo[i1]
        if i1 > i0 and j1 > j0:
            t = types.index((i1 - i0, j1 - j0))
            weight = f_all[i0, start] + scaled[t, i1, j1 - lo[i1]] + b_link[i1, end]
        elif i1 > i0:
            cost = scaled[skip_src_type, i1, j1 - lo[i1]]
            weight = np.logaddexp(f_not_s[i0, start] + cost, f_s[i0, start] + share_src[i0] * cost) + b_s[i1, end]
        else:
            cost, in_run = q_all[j1] - q_all[j0], d_all[j1] - d_all[j0]
            weight = np.logaddexp(f_before[i0, start] + cost, f_run[i0, start] + in_run) + b_run[i1, end]
        chances[k] = math.exp(min(weight - total, 0.0))
    return chances


def _to_beads(path: list[tuple], params: AlignParams) -> list[Bead]:
    """Links with their confidences (:func:`link_confidence`); a path without posteriors scores them as 0.5."""
    return [
        Bead(
            tuple(range(i0, i1)),
            tuple(range(j0, j1)),
            link_confidence(posterior[0] if posterior else 0.5, score, i1 > i0 and j1 > j0, params),
            link_evidence(posterior[0] if posterior else 0.5, score, params) if i1 > i0 and j1 > j0 else None,
        )
        for i0, i1, j0, j1, score, *posterior in path
    ]
