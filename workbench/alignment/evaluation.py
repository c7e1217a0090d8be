"""Strict and lax precision, recall and F1 of sentence alignments against gold (Sennrich & Volk 2011).

This is the score Vecalign and Bertalign publish, as defined in ``shared/data/align-gold/README.md``. It is a
set comparison of beads, not a per-item classification, so general metric libraries do not express it; it is
written here in a few lines instead. Counts are pooled over all documents, then P, R and F1 computed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.alignment.beads import Bead

Link = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Score:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in self.__dict__.items()}


@dataclass
class _Counts:
    strict_tp: int = 0
    strict_fp: int = 0
    lax_tp: int = 0
    lax_fp: int = 0

    def add(self, other: _Counts) -> None:
        self.strict_tp += other.strict_tp
        self.strict_fp += other.strict_fp
        self.lax_tp += other.lax_tp
        self.lax_fp += other.lax_fp


def score_alignments(gold: Sequence[Sequence[Bead]], system: Sequence[Sequence[Bead]]) -> Score:
    """Score several documents at once (pooled counts); ``gold[k]`` and ``system[k]`` are one document."""
    if len(gold) != len(system):
        raise ValueError(f"{len(gold)} gold documents but {len(system)} system documents")
    precision_counts, recall_counts = _Counts(), _Counts()
    for gold_doc, system_doc in zip(gold, system, strict=True):
        gold_links = _links(gold_doc)
        system_links = _links(system_doc)
        precision_counts.add(_match(reference=gold_links, candidates=system_links))
        recall_counts.add(_match(reference=_without_skips(system_links), candidates=_without_skips(gold_links)))
    sp, lp = _ratio(precision_counts)
    sr, lr = _ratio(recall_counts)
    return Score(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


def _links(beads: Sequence[Bead]) -> list[Link]:
    return [(tuple(b.src), tuple(b.tgt)) for b in beads if b.src or b.tgt]


def _without_skips(links: list[Link]) -> list[Link]:
    return [link for link in links if link[0] and link[1]]


def _match(reference: list[Link], candidates: list[Link]) -> _Counts:
    exact = set(reference)
    targets_of_source: dict[int, set[int]] = {}
    for src, tgt in reference:
        for i in src:
            targets_of_source.setdefault(i, set()).update(tgt)
    counts = _Counts()
    for src, tgt in candidates:
        if (src, tgt) in exact:
            counts.strict_tp += 1
            counts.lax_tp += 1
            continue
        counts.strict_fp += 1
        reachable = set().union(*(targets_of_source.get(i, set()) for i in src)) if src else set()
        if reachable & set(tgt):
            counts.lax_tp += 1
        else:
            counts.lax_fp += 1
    return counts


def _ratio(c: _Counts) -> tuple[float, float]:
    strict = c.strict_tp / (c.strict_tp + c.strict_fp) if c.strict_tp + c.strict_fp else 0.0
    lax = c.lax_tp / (c.lax_tp + c.lax_fp) if c.lax_tp + c.lax_fp else 0.0
    return strict, lax


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
