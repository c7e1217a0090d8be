"""Second pass: re-decide the doubtful stretches of an alignment with real embeddings of multi-sentence spans.

The first pass scores a span of several sentences from its sentences' own vectors. With e5's narrow cosine
range (a translation ~0.92, a stranger ~0.77) the ~1% error of that approximation is as large as the margins
that separate a 1-2 link from a 1-1 link and a skip. Embedding every concatenation, as Bertalign does, costs
about ten times the tokens of the document; instead we embed concatenations only inside small windows around
the links the first pass was unsure of (skips, links of low confidence, and links of four sentences or more, where
its approximation is weakest), and re-solve each window exactly with a small dynamic programme whose corners
stay where the first pass put them. Within a window only the spans of links that could win are embedded: the window
is first solved with the approximate span vectors, and links with no chance there are left out (PRUNE). The
window's answer is not its single best-scoring path but the path with the most links expected right, by their
posteriors among all the window's paths (LINK_AT_LEAST). A span's sentences are joined as its text is written
(:func:`joiner`: no space between Chinese sentences).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from workbench.alignment.beads import Bead
from workbench.alignment.model import (
    AlignParams,
    DocumentStatistics,
    bead_types,
    ends_open,
    ends_quoted,
    ends_unfinished,
    link_confidence,
    link_evidence,
    link_gain,
    number_marks,
    numbers_apart,
    run_shares,
    skip_costs,
)
from workbench.documents import sentence_joiner
from workbench.embedding.base import Embedder, Progress
from workbench.language_tags import UNDETERMINED

#: Links below this confidence are re-decided, whatever their type; so are all 0-1 and 1-0 links. Chosen leave-one-set-
#: out (bench/RESULTS.md, "A document's own scale"): 0.3, 0.5 and 0.65 were scored, and every fold chose 0.65 (span
#: texts embedded a sentence: 0.48 to 0.87, against 0.29 to 0.65 at 0.3).
DOUBT = 0.65
#: A link of at least this many sentences (n + m) is re-decided whatever its confidence: the first pass builds a
#: long span's vector from its sentences' own, and that approximation is where a free translation's 1-3 and 2-2
#: links go wrong (the novels' gold 1-3 links: 92 of 158 found; Bertalign, which embeds every span, 112), and where
#: pairs of short subtitle lines come out as one confident 2-2 link. It replaced a rule that re-decided n-m links
#: holding a line under 25 UTF-8 bytes, which then changed nothing (bench/RESULTS.md).
LARGE_LINK = 4
#: A window never spans more than this many sentences on one side (bounds the extra embedding). 8 wins on
#: textberg_dev (0.893 against 0.888) and loses three of parice_en_is's links (0.948 against 0.955), whose fold
#: chooses it: 6 kept (bench/RESULTS.md, "The links most likely right, not the best path").
MAX_WINDOW = 6
#: A span is embedded only if a link holding it keeps at least this posterior among the window's paths scored with the
#: first pass's approximate span vectors, at PRUNE_TEMPERATURE times the usual temperature. Embedding every span of
#: every window, as before, spent three quarters of the span texts on links no path takes: at 0.01 the four
#: development sets embed 0.12 to 0.25 span texts a sentence instead of 0.45 to 0.81, with the same links' F1 on
#: every set; at 0.05 the novels lost 0.002, at 0.2 0.008 (bench/RESULTS.md, "Pruning the second pass").
PRUNE = 0.01
PRUNE_TEMPERATURE = 1.0
#: The window's answer is the path that maximises the sum, over its links, of each link's posterior minus this: the
#: expected number of right links, less this for each link it makes. The single best-scoring path, as before, left
#: short lines of the novels out by a hair (0.01 to 0.1 of a margin unit) while most of the paths' weight linked
#: them; more generally it can hold links that most of the weight does not (a pair of 1-1 links where a 2-2 link
#: holds more). At 0.5 the path takes a link where that link is more likely right than not: the decision boundary
#: (the "centroid" estimator of maximum-expected-accuracy decoding), not a tuned value. Against the best path it
#: lost on no development set, with e5 or USE; 0.6 and 0.7 gain more on the novels and lose on parice_en_is and
#: bible_en_zh (bench/RESULTS.md, "The links most likely right, not the best path"). It replaced a rule that kept
#: the best path unless it left out a sentence more likely linked than not (USE: textberg_dev 0.001 better,
#: parice_en_is and bible_en_zh worse).
LINK_AT_LEAST = 0.5


def refine_alignment(
    beads: list[Bead],
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    embedder: Embedder,
    stats: DocumentStatistics,
    params: AlignParams,
    fixed: Sequence[Bead] = (),
    progress: Progress | None = None,
    languages: tuple[str | None, str | None] = (None, None),
    paragraph_ends: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
    numbers: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
) -> tuple[list[Bead], int]:
    """Return the refined links and how many span texts were embedded for it; ``progress(done, total)`` counts
    the span texts as they are embedded; ``languages`` (source, target, where known) say how spans are joined;
    ``paragraph_ends`` (1.0 where a sentence ends its paragraph, as the first pass had them) are scored alike, and
    so are ``numbers`` (:func:`number_marks` of each side, as the first pass had them; read from the texts where
    not given)."""
    keep = set(fixed)
    corners = _corners(beads)
    doubtful = [bead not in keep and _doubtful(bead) for bead in beads]
    windows = _windows(beads, corners, doubtful, keep)
    if not windows:
        return beads, 0
    # The multi-sentence spans of every link a window could plausibly take, embedded in one batch.
    singles_s = {(i, i + 1): src_vectors[i] for i in range(len(src_texts))}
    singles_t = {(j, j + 1): tgt_vectors[j] for j in range(len(tgt_texts))}

    def solver_over(exact_s: dict, exact_t: dict, only_embedded: bool) -> _WindowSolver:
        """The draft and the final solver differ only in the span vectors they hold and whether a link needs them."""
        return _WindowSolver(
            exact_s, exact_t, src_vectors, tgt_vectors, src_texts, tgt_texts, stats, params, paragraph_ends,
            only_embedded, numbers,
        )  # fmt: skip

    draft = solver_over(singles_s, singles_t, False)
    spans_s: set[tuple[int, int]] = set()
    spans_t: set[tuple[int, int]] = set()
    for k0, k1 in windows:
        (i0, j0), (i1, j1) = corners[k0], corners[k1]
        for p, r, q, c in draft.plausible_links(i0, i1, j0, j1) | _links(beads[k0:k1], corners[k0]):
            if r - p >= 2:
                spans_s.add((p, r))
            if c - q >= 2:
                spans_t.add((q, c))
    order_s, order_t = sorted(spans_s), sorted(spans_t)
    join_s, join_t = joiner(src_texts, languages[0]), joiner(tgt_texts, languages[1])
    texts = [join_s.join(src_texts[a:b]) for a, b in order_s] + [join_t.join(tgt_texts[a:b]) for a, b in order_t]
    empty = np.zeros((0, src_vectors.shape[1]), dtype=np.float32)
    vectors = embedder.encode(texts, progress=progress) if texts else empty
    exact_s = singles_s | {span: vectors[k] for k, span in enumerate(order_s)}
    exact_t = singles_t | {span: vectors[len(order_s) + k] for k, span in enumerate(order_t)}
    solver = solver_over(exact_s, exact_t, True)
    out: list[Bead] = []
    last = 0
    for k0, k1 in windows:
        out.extend(beads[last:k0])
        (i0, j0), (i1, j1) = corners[k0], corners[k1]
        out.extend(solver.solve(i0, i1, j0, j1))
        last = k1
    out.extend(beads[last:])
    return out, len(texts)


#: Han characters and kana: scripts written without spaces between words or sentences.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def joiner(texts: Sequence[str], lang: str | None = None) -> str:
    """What joins a span's sentences before it is embedded, so that a span reads as the text does: the language's
    own joiner (:func:`workbench.documents.sentence_joiner`: nothing in Chinese and Japanese, else a space) where the
    side's language is known, else a guess by script: nothing where the text is mostly Han characters or kana.

    By script, not by counting spaces: Thai puts a space between sentences and few elsewhere, and a side of short
    subtitle lines may hold few spaces too. Joined so, e5-small gains on both development sets with a Chinese side
    (bible_en_zh 0.9799 -> 0.9810, mac_dev_zh_en 0.8479 -> 0.8493 strict F1) and USE loses a link on each (0.9818 ->
    0.9815, 0.8589 -> 0.8587; bench/RESULTS.md, "Chinese spans joined as Chinese is written"); the sides in other
    scripts are unchanged."""
    if lang and lang != UNDETERMINED:
        return sentence_joiner(lang)
    sample = texts[:: max(1, len(texts) // 2000)]  # a few thousand lines tell the script of a long document
    written = sum(len(t) - t.count(" ") for t in sample)
    return "" if sum(len(_UNSPACED.findall(t)) for t in sample) > 0.5 * written else " "


def _doubtful(bead: Bead) -> bool:
    """A skip, a link of low confidence or a large link (see LARGE_LINK)."""
    return not bead.src or not bead.tgt or bead.confidence < DOUBT or len(bead.src) + len(bead.tgt) >= LARGE_LINK


def _corners(beads: list[Bead]) -> list[tuple[int, int]]:
    """(source, target) position before each link, and after the last: where the path passes between links."""
    corners = [(0, 0)]
    for b in beads:
        i, j = corners[-1]
        corners.append((i + len(b.src), j + len(b.tgt)))
    return corners


def _windows(
    beads: list[Bead], corners: list[tuple[int, int]], doubtful: list[bool], keep: set[Bead]
) -> list[tuple[int, int]]:
    """Half-open ranges of link indices to re-decide: each doubtful link with one neighbour on each side (never a
    fixed one), or with one neighbour where both make the window too large."""

    def small(start: int, stop: int) -> bool:
        return max(corners[stop][0] - corners[start][0], corners[stop][1] - corners[start][1]) <= MAX_WINDOW

    windows: list[tuple[int, int]] = []
    for k in range(len(beads)):
        if not doubtful[k]:
            continue
        start, stop = k, k + 1
        if start > 0 and beads[start - 1] not in keep:
            start -= 1
        if stop < len(beads) and beads[stop] not in keep:
            stop += 1
        if windows and start < windows[-1][1]:
            if small(windows[-1][0], stop):
                windows[-1] = (windows[-1][0], stop)
                continue
            start = windows[-1][1]
        if start < stop and small(start, stop):
            windows.append((start, stop))
        else:  # too large with both neighbours (a long link's region): with the one that fits, if either does
            lo = windows[-1][1] if windows else 0
            for a, b in ((start, k + 1), (k, stop)):
                if lo <= a and b - a > 1 and small(a, b):
                    windows.append((a, b))
                    break
    return windows


def _links(beads: list[Bead], corner: tuple[int, int]) -> set[tuple[int, int, int, int]]:
    """The links (start row, end row, start column, end column) of consecutive beads from a corner."""
    out = set()
    i, j = corner
    for b in beads:
        out.add((i, i + len(b.src), j, j + len(b.tgt)))
        i, j = i + len(b.src), j + len(b.tgt)
    return out


class _WindowSolver:
    """Exact DP over one window; scores links the way the first pass does, with real span vectors."""

    def __init__(
        self,
        exact_s: dict,
        exact_t: dict,
        src_vectors: np.ndarray,
        tgt_vectors: np.ndarray,
        src_texts: Sequence[str],
        tgt_texts: Sequence[str],
        stats: DocumentStatistics,
        params: AlignParams,
        paragraph_ends: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
        only_embedded: bool = False,
        numbers: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
    ) -> None:
        """``only_embedded``: links whose spans were not embedded are not allowed; else they are scored with the first
        pass's approximate span vectors. ``numbers``: each side's number sets, read from the texts where not given."""
        self.exact_s, self.exact_t = exact_s, exact_t
        self.only_embedded = only_embedded
        self.src_vectors, self.tgt_vectors = src_vectors, tgt_vectors
        # Each line's length and ending, as the first pass saw them: links and skips are scored alike in both passes.
        self.src_len = np.array([len(t) for t in src_texts], dtype=float)
        self.tgt_len = np.array([len(t) for t in tgt_texts], dtype=float)
        self.src_open, self.tgt_open = ends_open(src_texts), ends_open(tgt_texts)
        self.src_quoted, self.tgt_quoted = ends_quoted(src_texts), ends_quoted(tgt_texts)
        self.src_numbers, self.tgt_numbers = (
            number_marks(texts) if given is None else given
            for given, texts in zip(numbers, (src_texts, tgt_texts), strict=True)
        )
        self.src_para, self.tgt_para = (
            np.zeros(len(texts)) if given is None else np.asarray(given, dtype=float)
            for given, texts in zip(paragraph_ends, (src_texts, tgt_texts), strict=True)
        )
        unended_src, unended_tgt = ends_unfinished(src_texts), ends_unfinished(tgt_texts)
        self.skip_src = skip_costs(self.src_open, unended_src, self.src_len, stats.typical_src, stats, params)
        self.skip_tgt = skip_costs(self.tgt_open, unended_tgt, self.tgt_len, stats.typical_tgt, stats, params)
        # What a skip right after another of its side pays of its cost, as in the first pass (AlignParams.run_share).
        self.share_src, self.share_tgt = run_shares(unended_src, params), run_shares(unended_tgt, params)
        self.stats, self.params = stats, params

    def gain(self, a0: int, a1: int, b0: int, b1: int) -> float:
        """The first pass's :func:`link_gain`, fed with the spans' real embeddings."""
        u = self._vector(self.exact_s, self.src_vectors, self.src_len, a0, a1)
        v = self._vector(self.exact_t, self.tgt_vectors, self.tgt_len, b0, b1)
        around = []
        if b0 > 0:
            around.append(float(u @ self.tgt_vectors[b0 - 1]))
        if b1 < len(self.tgt_vectors):
            around.append(float(u @ self.tgt_vectors[b1]))
        if a0 > 0:
            around.append(float(v @ self.src_vectors[a0 - 1]))
        if a1 < len(self.src_vectors):
            around.append(float(v @ self.src_vectors[a1]))
        knn = 0.5 * (float(self.stats.bg_src[a0:a1].mean()) + float(self.stats.bg_tgt[b0:b1].mean()))
        return float(
            link_gain(
                float(u @ v),
                sum(around) / len(around) if around else knn,
                knn,
                float(self.src_len[a0:a1].sum()),
                float(self.tgt_len[b0:b1].sum()),
                a1 - a0 + b1 - b0,
                float(self.src_open[a1 - 1] + self.tgt_open[b1 - 1]),
                float(abs(self.src_quoted[a1 - 1] - self.tgt_quoted[b1 - 1])),
                float(abs(self.src_para[a1 - 1] - self.tgt_para[b1 - 1])),
                self.stats,
                self.params,
                float(
                    numbers_apart(
                        np.bitwise_or.reduce(self.src_numbers[a0:a1]), np.bitwise_or.reduce(self.tgt_numbers[b0:b1])
                    )
                ),
            )
        )

    @staticmethod
    def _vector(exact: dict, vectors: np.ndarray, lengths: np.ndarray, a0: int, a1: int) -> np.ndarray:
        """The span's real embedding, or (when it was not embedded) the first pass's length-weighted approximation."""
        if (a0, a1) in exact:
            return exact[(a0, a1)]
        summed = (vectors[a0:a1] * np.maximum(lengths[a0:a1], 1.0)[:, None]).sum(axis=0)
        return summed / max(float(np.linalg.norm(summed)), 1e-12)

    def _allowed(self, p: int, r: int, q: int, c: int) -> bool:
        """Whether a link may be taken: without ``only_embedded`` always, else if its spans were embedded."""
        if not self.only_embedded:
            return True
        return (p, r) in self.exact_s and (q, c) in self.exact_t

    def plausible_links(self, i0: int, i1: int, j0: int, j1: int) -> set[tuple[int, int, int, int]]:
        """Links (p, r, q, c) of the window whose posterior reaches PRUNE at PRUNE_TEMPERATURE times the temperature."""
        moves = self._lattice(i0, i1, j0, j1, self.params.temperature * PRUNE_TEMPERATURE)
        return {(p, r, q, c) for (r, c), into in moves.items() for p, q, _, posterior in into if posterior >= PRUNE}

    def solve(self, i0: int, i1: int, j0: int, j1: int) -> list[Bead]:
        """The links from corner (i0, j0) to (i1, j1) most likely right (LINK_AT_LEAST), each with its posterior
        among the window's paths."""
        moves = self._lattice(i0, i1, j0, j1, self.params.temperature)
        # A second dynamic programme over the same moves, each worth its posterior less LINK_AT_LEAST; a cell keeps
        # its best total and the move into it (start row, start column, end row, end column, gain, posterior).
        best: dict[tuple[int, int], tuple[float, tuple[int, int, int, int, float, float] | None]] = {
            (i0, j0): (0.0, None)
        }
        for (r, c), into in moves.items():
            best[(r, c)] = max(
                (
                    (best[(p, q)][0] + posterior - LINK_AT_LEAST, (p, q, r, c, g, posterior))
                    for p, q, g, posterior in into
                ),
                key=lambda option: option[0],
            )
        path = []
        cell = (i1, j1)
        while (move := best[cell][1]) is not None:
            path.append(move)
            cell = move[:2]
        links: list[Bead] = []
        for p, q, r, c, g, posterior in reversed(path):
            if r > p and c > q:
                score = g
            else:
                # The same skip score as the first pass: minus the sentence's best margin in the search band.
                score = float(self.stats.skip_score_src[p] if r > p else self.stats.skip_score_tgt[q])
            confidence = link_confidence(posterior, score, r > p and c > q, self.params)
            evidence = link_evidence(posterior, score, self.params) if r > p and c > q else None
            links.append(Bead(tuple(range(p, r)), tuple(range(q, c)), confidence, evidence))
        return links

    def _lattice(
        self, i0: int, i1: int, j0: int, j1: int, temperature: float
    ) -> dict[tuple[int, int], list[tuple[int, int, float, float]]]:
        """Every allowed link of the window by its end cell, in the order the cells are reached: (start row, start
        column, gain, posterior), the posterior being the summed weight of the paths through the link over that
        of all the window's paths, each path weighted exp(score / temperature) (forward-backward).

        As in the first pass, an unfinished line left out right after another of its side pays ``run_share`` of
        its skip cost, so paths are followed in three states: a cell reached by a link (or the window's corner),
        by a 1-0 link, by a 0-1 link. A run of skips across the window's corner starts anew at it."""
        types = bead_types(self.params)
        link, src_skip, tgt_skip = 0, 1, 2  # how a cell was reached
        moves: dict[tuple[int, int], list[tuple[int, int, float]]] = {}  # end cell: (start row, start col, gain)
        forward: dict[tuple[int, int], list[float]] = {(i0, j0): [0.0, -math.inf, -math.inf]}

        def reached_by(p: int, q: int, r: int, c: int) -> int:
            """The kind of the move from cell (p, q) to cell (r, c)."""
            return link if p < r and q < c else src_skip if p < r else tgt_skip

        def share(state: int, p: int, q: int) -> float:
            """What a skip of ``state``'s kind from cell (p, q) pays of its cost right after another."""
            return float(self.share_src[p] if state == src_skip else self.share_tgt[q])

        def arrive(state: int, before: list[float], g: float, p: int, q: int) -> float:
            """Log weight of reaching a cell by a move of ``state``'s kind from cell (p, q), reached as ``before``."""
            if state == link:
                return float(np.logaddexp.reduce(before)) + g / temperature
            full = float(np.logaddexp.reduce([x for k, x in enumerate(before) if k != state]))
            return float(np.logaddexp(full + g / temperature, before[state] + share(state, p, q) * g / temperature))

        for r in range(i0, i1 + 1):
            for c in range(j0, j1 + 1):
                if (r, c) == (i0, j0):
                    continue
                into = []
                for a, b in types:
                    p, q = r - a, c - b
                    if p < i0 or q < j0 or (a and b and not self._allowed(p, r, q, c)):
                        continue
                    # A 1-0 or 0-1 link leaves one sentence unlinked.
                    g = self.gain(p, r, q, c) if a and b else float(self.skip_src[p] if a else self.skip_tgt[q])
                    into.append((p, q, g))
                moves[(r, c)] = into
                cell = [-math.inf, -math.inf, -math.inf]
                for p, q, g in into:
                    state = reached_by(p, q, r, c)
                    cell[state] = float(np.logaddexp(cell[state], arrive(state, forward[(p, q)], g, p, q)))
                forward[(r, c)] = cell
        # backward[cell][state]: log of the summed weights of paths from the cell on, having reached it so.
        backward: dict[tuple[int, int], list[float]] = {(i1, j1): [0.0, 0.0, 0.0]}
        for (r, c), into in reversed(list(moves.items())):
            after = backward.get((r, c), [-math.inf] * 3)
            for p, q, g in into:
                state = reached_by(p, q, r, c)
                values = backward.setdefault((p, q), [-math.inf] * 3)
                for came in (link, src_skip, tgt_skip):
                    paid = g if state == link or came != state else share(state, p, q) * g
                    values[came] = float(np.logaddexp(values[came], paid / temperature + after[state]))
        total = float(np.logaddexp.reduce(forward[(i1, j1)]))
        out = {}
        for cell, into in moves.items():
            after = backward.get(cell, [-math.inf] * 3)
            rows = []
            for p, q, g in into:
                state = reached_by(p, q, *cell)
                weight = arrive(state, forward[(p, q)], g, p, q) + after[state]
                rows.append((p, q, g, math.exp(min(weight - total, 0.0))))
            out[cell] = rows
        return out
