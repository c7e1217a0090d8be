"""The alignment model: what a link and a skip score, what a document's statistics are, and what a confidence means.

Both passes (:mod:`workbench.alignment.aligner`, the banded search; :mod:`workbench.alignment.refinement`, the
second pass over doubtful stretches) score with these functions and nothing else, so a change to the model reaches
both. Every setting here is chosen leave-one-set-out over the development gold sets (``python -m bench.loso``,
``python -m bench.calibrate``; figures in bench/RESULTS.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbench.alignment.beads import Bead


@dataclass(frozen=True)
class AlignParams:
    """Tunable settings, chosen leave-one-set-out over the four development gold sets (bench/loso.py; the figures
    and each set's held-out fold are in bench/RESULTS.md).

    Scores are in units of the document's typical true-pair margin, so they mean the same for every embedder.
    """

    max_bead: int = 7
    """Largest n-m link, counted as n + m sentences (7 allows 1-5, 2-5, 3-4, 4-3, 5-2 and 5-1 within max_side)."""
    max_side: int = 5
    """Most sentences on one side of a link. 4 until the sixth session: the novels' gold has 14 links of 2,489 with
    five or more sentences on a side, which the aligner then cut into a 1-4 link and a skip; 5 (every span embedded
    for real in the second pass) gained 0.008 on textberg_dev and 0.005 on mac_dev_zh_en and lost nowhere; 6 traded
    0.001 on textberg_dev for 0.001 on the novels (bench/RESULTS.md, "Links of five sentences a side")."""
    skip: float = -1.5
    """Score of leaving out one finished sentence (a 0-1 or 1-0 link) at least ``short_line`` times its side's median
    length. Translators rarely drop a whole sentence; a sentence without a partner is usually part of a 1-n link."""
    skip_unfinished: float = -0.45
    """The same for a line that does not end with a sentence's final mark (:func:`ends_unfinished`): captions,
    headings, page furniture and OCR debris, which one version often lacks (32 of Text+Berg's 41 omissions, 15% of
    its unfinished lines against 1% of the others)."""
    run_share: float = 0.5
    """Share of its skip cost an unfinished line (:func:`ends_unfinished`) pays when the line before it on its side
    is left out too: a block of captions or scanning debris that one version lacks is one omission, not many. Priced
    line by line, textberg_dev's 36 caption lines cost more to leave out than to link German sentences to them;
    the whole document escaped that only because its coarse pass (pairs of lines, half the skips) kept the path
    right, which a short document, aligned without one, does not get: cut into pieces of about 140 and 70 source
    sentences (Text+Berg's held-out documents are that long), textberg_dev scored 0.870 and 0.865 against 0.888
    whole. At 0.5: 0.880 and 0.880 (0.3 the same); the whole document loses one link (0.8846), parice_en_is,
    bible_en_zh and mac_dev_zh_en keep every link, whole and in pieces. Finished sentences pay in full: a run of
    them is a translation cut up, and the novels lost links when they did not (bench/RESULTS.md, "Blocks left
    out")."""
    short_line: float = 0.5
    """Below this share of its side's median length, leaving a line out costs less in proportion, down to nothing
    for an empty line: a stray fragment or an interjection is what a translation most often lacks."""
    link_score: float = 2.5
    """Score of the document's median 1-1 link: the margin scale is measured on the first pass's 1-1 links so that
    this is so (0: keep the k-NN scale)."""
    merge_penalty: float = 0.3
    """Cost of each sentence beyond the first on a side of a link, so that 1-1 wins ties."""
    open_end: float = 0.2
    """Most a link (or a skip) costs for ending right after a sentence that ends open (';', ':', ',' ...).

    How much of it applies is learnt from each document (``_open_end_cost`` in :mod:`workbench.alignment.aligner`):
    where its splitter cut clauses that the other language keeps together (Text+Berg's semicolons), links should not
    end there; where such lines are units of their own (Bible verses ending in a comma), nothing is charged."""
    quote_end: float = 2.0
    """Most a link costs for ending after a line that ends with a quotation mark on one side only (:func:`ends_quoted`).

    How much of it applies is learnt from each document (``_boundary_cost`` in :mod:`workbench.alignment.aligner`):
    where both versions close their quotations where the other does (dialogue in fiction), a link rarely ends
    inside a quotation on one side only; where quotation marks seldom end a line, nothing is charged. The novels'
    gold links end so on one side only 4.5% of the time, the aligner's wrong links 23.5%: a closing line of dialogue
    ("'Hurry!'") went to the next sentence. Chosen on the novels (the other sets have almost no quoted line endings
    and keep every link at every value): strict F1 0.8493 -> 0.8759 with e5, 0.8587 -> 0.8809 with USE; held out a
    novel at a time, each gains (bench/RESULTS.md, "Where a quotation ends")."""
    paragraph_end: float = 1.0
    """Most a link costs for ending a paragraph on one side only, where the document says paragraphs (a
    :class:`~workbench.documents.Document`, a project's sides; pre-split lines have none).

    How much of it applies is learnt from each document exactly as the quotation cost is
    (``_boundary_cost`` in :mod:`workbench.alignment.aligner`): where the two versions keep the same paragraphs (a
    machine translation, most human ones) a link almost never ends a paragraph on one side only; where paragraph
    ends fall independently, nothing is charged. No development gold set keeps paragraphs, so it was chosen on them
    with paragraphs marked at gold link boundaries every 3-10 links, kept alike on both sides and with a fifth of the
    translation's moved elsewhere (a translator who joins and splits paragraphs): leave-one-set-out over 0.5, 1.0
    and 2.0, every fold chose 1.0 (kept: +0.002 to +0.005 strict F1 on three sets, none lost; moved: the novels
    +0.005, the rest within 0.0001; 2.0 lost up to 0.008 where paragraphs moved). bench/RESULTS.md, "Paragraphs"."""
    number_mismatch: float = 2.0
    """Most a link costs where its numbers (runs of digits, :func:`number_marks`) sit on one side of it only: all of
    it where every number it holds is on one side only, in proportion below that (:func:`numbers_apart`).

    How much of it applies is learnt from each document (``_number_cost`` in :mod:`workbench.alignment.aligner`):
    where the translation keeps the original's numbers (dates, heights, references), a link whose two sides hold
    different numbers is probably cut in the wrong place, or joins what belongs apart; where the two sides' numbers
    agree no better than chance (numbers written out in words, another numeral script), nothing is charged.
    textberg_dev, a yearbook chronicle full of dates, heights and references, 0.8846 -> 0.8982 strict F1; cut into
    pieces of ~140 and ~70 source sentences (Text+Berg's held-out documents' length) 0.8798 -> 0.8922 and 0.8912.
    The other development sets hold few numbers (the novels and the Bible write them in words or in Chinese
    numerals) and keep every link at every weight, so the weight was chosen on textberg_dev alone: 2.0 was best or
    next to best whole and in both piece sizes (1.0 to 3.0 all gain), and chosen leave-one-piece-out over its seven
    pieces of ~70 it scores 0.8926 (bench/RESULTS.md, "numbers kept together")."""
    size_exponent: float = 0.0
    """A link's margin counts ((n + m) / 2) ** size_exponent times (0: every link once, whatever its size)."""
    contrast: float = 1.0
    """Share of the margin taken against the sentences just outside the link (the rest: k-NN background).

    A link whose source also resembles the target sentence next to it is probably cut in the wrong place;
    this contrast is what puts boundaries right."""
    neighbours: int = 4
    """k of the k-nearest-neighbour background that sets the margin scale."""
    band: int = 16
    """Half-width, in sentences, of the band searched around the coarser level's path."""
    direct_cells: int = 160_000
    """Align without a coarse pass while n x m is at most this."""
    temperature: float = 0.2
    """Of the link posteriors (``_link_posteriors`` in :mod:`workbench.alignment.aligner`): paths are weighted by
    exp(score / temperature)."""
    confidence: tuple[float, float, float, float, float, float] = (0.368, 0.393, -0.773, 0.334, 0.715, -1.182)
    """Logistic calibration of confidences (:func:`link_confidence`), fitted on the development sets
    (bench/calibrate.py): weights of the posterior's log odds and of the score, and a constant, for links, then
    for skips. It makes a confidence read as the chance that the link is exactly right. The second pass decides
    which links are doubtful by it; a link's confidence as the reviewer sees it also weighs its neighbours
    (``neighbour_confidence``)."""
    neighbour_confidence: tuple[float, float, float, float] = (0.131, 0.529, 3.324, -2.206)
    """A link's final confidence (:func:`settle_confidences`): a logistic of its posterior's log odds, its score, the
    confidence (as ``confidence`` gives it) of the weaker of the two links beside it, and a constant. Wrong links come
    in runs: a boundary in the wrong place breaks the links on both sides of it, and a link cut finer than the
    translation's unit sits beside another piece of that unit, itself doubtful. So a link beside a doubtful one is
    less sure than its own evidence says, and a reviewer can accept more of the top unread (bench/RESULTS.md,
    "Confidence that weighs the neighbours"). Fitted on the three development sets whose gold judges single links,
    over ``confidence`` as it stands (bench/calibrate.py, which also reports each set's held-out fold)."""


@dataclass(frozen=True)
class DocumentStatistics:
    """What the aligner learnt about a document: per-sentence neighbourhood background and best cosine, the margin
    scale, the length ratio and what open endings cost. The second pass scores links with the same figures."""

    bg_src: np.ndarray
    bg_tgt: np.ndarray
    best_src: np.ndarray
    best_tgt: np.ndarray
    scale: float
    length_ratio: float
    length_smoothing: float
    """Added to both span lengths before their ratio is taken: short sentences have noisy ratios."""
    open_end_cost: float = 0.0
    """What ending a link after an open sentence costs in this document (see AlignParams.open_end)."""
    quote_cost: float = 0.0
    """What ending a link after a quoted line on one side only costs in this document (see AlignParams.quote_end)."""
    paragraph_cost: float = 0.0
    """What ending a paragraph on one side of a link only costs in this document (see AlignParams.paragraph_end)."""
    number_cost: float = 0.0
    """What a link whose numbers all sit on one side of it costs in this document (see AlignParams.number_mismatch)."""
    typical_src: float = 1.0
    """Median sentence length of each side, against which a skip's line counts as short (AlignParams.short_line)."""
    typical_tgt: float = 1.0

    @property
    def skip_score_src(self) -> np.ndarray:
        """A 1-0 link's score, for its confidence: minus its sentence's best margin nearby, in margin units."""
        return -(self.best_src - self.bg_src) / self.scale

    @property
    def skip_score_tgt(self) -> np.ndarray:
        return -(self.best_tgt - self.bg_tgt) / self.scale


def bead_types(params: AlignParams) -> list[tuple[int, int]]:
    """(source count, target count) of every allowed link; skips first, then by size."""
    types = [(1, 0), (0, 1)]
    for total in range(2, params.max_bead + 1):
        for a in range(1, min(params.max_side, total - 1) + 1):
            b = total - a
            if 1 <= b <= params.max_side:
                types.append((a, b))
    return types


#: Endings after which a text goes on: whoever split the text cut a clause there, and the other language often
#: keeps the clauses together. In textberg_dev and parice_en_is such lines sit inside a link 54% (';', ':') and 71%
#: (',') of the time, against 3-15% for lines ending with a full stop; in bible_en_zh a comma line ends its verse.
#: Which holds is learnt per document (``_open_end_cost`` in :mod:`workbench.alignment.aligner`).
OPEN_ENDINGS = frozenset(";:,\uff1b\uff1a\uff0c\u3001")


def ends_open(sentences: Sequence[str]) -> np.ndarray:
    """1.0 for each sentence that ends with an open ending (:data:`OPEN_ENDINGS`), else 0.0."""
    return _ends_with(sentences, OPEN_ENDINGS)


def _ends_with(sentences: Sequence[str], marks: frozenset[str]) -> np.ndarray:
    """1.0 for each line whose last character, spaces aside, is one of ``marks``, else 0.0."""
    return np.array([float(s.rstrip()[-1:] in marks) if s.strip() else 0.0 for s in sentences])


#: Marks that end a sentence (Latin, CJK full-width, Devanagari, Arabic, Ethiopic), and the closers that may follow
#: them ('He left."', '“走吧。”').
FINAL_MARKS = frozenset(".!?\u2026\u3002\uff01\uff1f\uff0e\u0964\u0965\u061f\u06d4\u1362")
CLOSERS = "\"'\u201d\u2019\u00bb\u300d\u300f\uff09)]\u3011 "


def ends_unfinished(sentences: Sequence[str]) -> np.ndarray:
    """1.0 for each line that does not end with a sentence's final mark (captions, headings, fragments), else 0.0."""
    out = []
    for s in sentences:
        core = s.rstrip().rstrip(CLOSERS)
        out.append(float(not core or core[-1] not in FINAL_MARKS))
    return np.array(out)


#: Quotation marks, opening and closing, of the scripts the aligner meets: a line that ends with one ends a quotation
#: (or, rarely, opens one), and the other version's line that ends the same stretch of text usually ends with one too.
QUOTATION_MARKS = frozenset(
    "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a\u300c\u300d\u300e\u300f\uff02\uff07"
)


def ends_quoted(sentences: Sequence[str]) -> np.ndarray:
    """1.0 for each line whose last character (spaces aside) is a quotation mark, else 0.0."""
    return _ends_with(sentences, QUOTATION_MARKS)


#: A run of digits, with the thousands separators of the languages that use them ("1'000", "8.848", "8,848",
#: "8\u202f848"): a separator followed by exactly three digits joins them. Anything else separates numbers, so that
#: a date written "12.7.1956" on one side and "12 juillet 1956" on the other shares two of its three, and a decimal
#: "8839,8" matches "8839.8".
_NUMBER = re.compile(r"\d+(?:[.,'\u2019\u202f\u00a0]\d{3}(?!\d))*")


def number_marks(sentences: Sequence[str]) -> np.ndarray:
    """Each sentence's numbers as a 64-bit set (uint64): each number (:data:`_NUMBER`), its thousands separators
    dropped and read as its value in any script's digits, sets one bit chosen by a stable hash. A link's two
    sides hold the same numbers where their spans' sets (OR over the span) are equal; the bits they differ in count
    the numbers one side lacks. Two numbers may share a bit (1 in 64): they then count as one, which errs towards
    charging less."""
    out = np.zeros(len(sentences), dtype=np.uint64)
    for k, sentence in enumerate(sentences):
        bits = 0
        for found in _NUMBER.findall(sentence):
            # Any script's digits as ASCII, without leading zeros (int() would refuse a run of thousands of digits).
            value = "".join(str(unicodedata.decimal(c)) for c in found if c.isdecimal()).lstrip("0") or "0"
            bits |= 1 << (zlib.crc32(value.encode()) % 64)
        out[k] = bits
    return out


def numbers_apart(src_numbers: np.ndarray | int, tgt_numbers: np.ndarray | int) -> np.ndarray | float:
    """What a link's two number sets (:func:`number_marks`, OR over each span) disagree by: the share of the numbers
    they hold between them that one side holds and the other lacks (0 where they hold none). A share rather than a
    count, so that a long link with many numbers and one converted unit ("60 ft", "19,29 m") pays little, and one
    whose numbers all sit across its boundary pays in full: counted, textberg_dev gained less (0.895 against 0.898
    at the best weight of each) and lost more in pieces (bench/RESULTS.md, "numbers kept together")."""
    apart = np.bitwise_count(np.bitwise_xor(src_numbers, tgt_numbers)).astype(np.float64)
    return apart / np.maximum(np.bitwise_count(np.bitwise_or(src_numbers, tgt_numbers)), 1)


def paragraph_ends(paragraphs: Sequence[int] | None, count: int) -> np.ndarray | None:
    """1.0 for each sentence that is the last of its paragraph (paragraph numbers given per sentence), else 0.0;
    None where none are given. A side in one paragraph (pre-split lines) has no ends to learn from: None too."""
    if paragraphs is None:
        return None
    numbers = np.asarray(paragraphs)
    if len(numbers) != count:
        raise ValueError(f"{count} sentences but {len(numbers)} paragraph numbers")
    if count == 0 or numbers.min() == numbers.max():
        return None
    return np.append(numbers[1:] != numbers[:-1], True).astype(float)


def skip_costs(
    open_end: np.ndarray,
    unended: np.ndarray,
    lengths: np.ndarray,
    typical_length: float,
    stats: DocumentStatistics,
    params: AlignParams,
) -> np.ndarray:
    """Score of leaving each sentence of one side unlinked: dear for a finished sentence, cheaper for an unfinished
    line, in proportion to length for short ones; a skip also ends where its sentence ends (the open-end cost).

    Chosen leave-one-set-out (bench/RESULTS.md): one fixed skip cost either left Text+Berg's captions and OCR debris
    linked (dear) or cut the novels' 1-n links into a 1-1 link and a skip (cheap)."""
    full = np.where(np.asarray(unended, dtype=float) > 0, params.skip_unfinished, params.skip)
    share = np.minimum(np.asarray(lengths, dtype=float) / max(params.short_line * typical_length, 1.0), 1.0)
    return full * share - stats.open_end_cost * np.asarray(open_end, dtype=float)


def run_shares(unended: np.ndarray, params: AlignParams) -> np.ndarray:
    """What share of its skip cost each line pays when the line before it on its side is left out too
    (``AlignParams.run_share`` for an unfinished line, all of it for a finished sentence); both passes price runs of
    skips with this."""
    return np.where(np.asarray(unended, dtype=float) > 0, params.run_share, 1.0)


def link_gain(
    cosine: np.ndarray | float,
    around: np.ndarray | float,
    knn: np.ndarray | float,
    src_length: np.ndarray | float,
    tgt_length: np.ndarray | float,
    sentences: int,
    open_ends: np.ndarray | float,
    quote_mismatch: np.ndarray | float,
    paragraph_mismatch: np.ndarray | float,
    stats: DocumentStatistics,
    params: AlignParams,
    number_mismatch: np.ndarray | float = 0.0,
) -> np.ndarray | float:
    """Score of an n-m link in the DP, in margin units; both passes score links with this one formula.

    ``cosine`` is the similarity of the link's two spans, ``around`` the mean similarity of each span with the
    sentences just outside the other (a link cut in the wrong place resembles its neighbours), ``knn`` the spans'
    k-NN background, ``src_length``/``tgt_length`` the spans' lengths, ``sentences`` n + m and ``open_ends`` how
    many of the spans' last sentences end open (0, 1 or 2: a link rarely ends there), ``quote_mismatch`` 1 where one
    span's last line ends with a quotation mark and the other's does not, ``paragraph_mismatch`` 1 where one span's
    last sentence ends a paragraph and the other's does not, ``number_mismatch`` the share of the link's numbers one
    span holds and the other does not (:func:`numbers_apart`). Works on numpy
    arrays (first pass, every cell of the band at once) and on floats (second pass, one link at a time).
    """
    background = params.contrast * around + (1 - params.contrast) * knn
    margin = (cosine - background) / stats.scale
    # Length agreement in (0, 1]: log2(1 + shorter / longer), after the document's own length ratio.
    smooth = stats.length_smoothing
    deviation = np.log((tgt_length + smooth) / (src_length * stats.length_ratio + smooth))
    size = (0.5 * sentences) ** params.size_exponent
    return (
        size * margin * np.log2(1 + np.exp(-np.abs(deviation)))
        - params.merge_penalty * (sentences - 2)
        - stats.open_end_cost * open_ends
        - stats.quote_cost * quote_mismatch
        - stats.paragraph_cost * paragraph_mismatch
        - stats.number_cost * number_mismatch
    )


#: Posteriors are taken between this and 1 minus it: a link with no rival at all has log odds of about 21.
POSTERIOR_FLOOR = 1e-9


def link_confidence(posterior: float, score: float, is_link: bool, params: AlignParams) -> float:
    """The chance that a link is exactly right: a logistic of its posterior's log odds (how far it beats the
    other paths through its place) and of its score (how good it is in itself; a skip scores high when its
    sentence has no good partner nearby), fitted on the development sets (bench/calibrate.py).

    Both passes compute confidences here, so that they mean the same thing whichever pass made the link."""
    weights = params.confidence[:3] if is_link else params.confidence[3:]
    return round(logistic(weights[0] * log_odds(posterior) + weights[1] * score + weights[2]), 4)


def link_evidence(posterior: float, score: float, params: AlignParams) -> float:
    """The part of a link's final log odds that is its own (:func:`settle_confidences` adds its neighbours')."""
    weights = params.neighbour_confidence
    return weights[0] * log_odds(posterior) + weights[1] * score + weights[3]


def log_odds(posterior: float) -> float:
    """log(p / (1 - p)) of a posterior taken between POSTERIOR_FLOOR and 1 minus it."""
    p = min(max(posterior, POSTERIOR_FLOOR), 1 - POSTERIOR_FLOOR)
    return math.log(p / (1 - p))


def settle_confidences(beads: Sequence[Bead], params: AlignParams, fixed: Sequence[Bead] = ()) -> list[Bead]:
    """Each link's final confidence: its own evidence and the confidence of the weaker link beside it (skips and
    links given as fixed keep theirs; a fixed link beside one counts as sure: a reviewer approved or made it). Done
    once the links are final, since which links the second pass re-decides is chosen on the confidences before."""
    weight = params.neighbour_confidence[2]
    kept = set(fixed)
    around = [1.0 if bead in kept else bead.confidence for bead in beads]
    out = []
    for k, bead in enumerate(beads):
        if bead.evidence is None:
            out.append(bead)
            continue
        weaker = min((around[x] for x in (k - 1, k + 1) if 0 <= x < len(beads)), default=1.0)
        out.append(Bead(bead.src, bead.tgt, round(logistic(bead.evidence + weight * weaker), 4)))
    return out


def logistic(x: float) -> float:
    """1 / (1 + e^-x), clipped so that no input overflows."""
    return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))
