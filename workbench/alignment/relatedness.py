"""Whether two texts are translations of each other at all, judged from their alignment.

The aligner always finds a path, and its confidences are relative (a link is sure when no other way of cutting its
stretch comes close; its score is measured in the document's own margin scale), so two unrelated texts still get
links, many of them confident. What an unrelated pair lacks is links far above chance: in a translation a good share
of the 1-1 links pair sentences more alike than 99% of the pairs that are not partners; between unrelated texts
almost none do, since a link is then only the best of a few strangers. Measured on the development sets with e5-small
(bench/RESULTS.md, "Texts that are not translations of each other"): 19% to 66% of links in real pairs, 0% to 7%
when a document is aligned with another document's translation (with USE 6% to 76% and 0% to 8%: one short en-is
subtitle file, a pair USE barely knows, falls under the threshold).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.alignment.beads import Bead

#: Below this share of links far above chance, the texts do not look like translations of each other.
RELATED_SHARE = 0.1
#: Texts with fewer sentences than this on a side say too little either way.
MIN_SENTENCES = 20
#: Pairs sampled for the chance level, and how far (in target sentences) from a source sentence's partner a pair
#: must lie to count as not partners.
SAMPLE = 4000
AWAY = 3


def relatedness(beads: Sequence[Bead], src_vectors: np.ndarray, tgt_vectors: np.ndarray) -> float | None:
    """The share of links that are 1-1 links whose sentences are more alike than 99% of non-partner pairs of the
    two texts; None when a side has fewer than MIN_SENTENCES sentences. Deterministic (a fixed sample)."""
    links = [b for b in beads if b.src and b.tgt]
    if min(len(src_vectors), len(tgt_vectors)) < MIN_SENTENCES or not links:
        return None
    src_vectors = src_vectors / np.maximum(np.linalg.norm(src_vectors, axis=1, keepdims=True), 1e-12)
    tgt_vectors = tgt_vectors / np.maximum(np.linalg.norm(tgt_vectors, axis=1, keepdims=True), 1e-12)
    n, m = len(src_vectors), len(tgt_vectors)
    # Where each source sentence's partner lies: its link's first target, or the last one before it.
    partner = np.zeros(n, dtype=int)
    for bead in beads:
        for i in bead.src:
            partner[i] = bead.tgt[0] if bead.tgt else -1
    known = partner >= 0
    partner = np.where(known, partner, np.maximum.accumulate(np.where(known, partner, 0)))
    rng = np.random.default_rng(0)
    rows, cols = rng.integers(0, n, SAMPLE), rng.integers(0, m, SAMPLE)
    apart = np.abs(cols - partner[rows]) > AWAY
    if apart.sum() < 100:
        return None
    rows, cols = rows[apart], cols[apart]
    chance = np.einsum("kd,kd->k", src_vectors[rows], tgt_vectors[cols])
    level = float(np.quantile(chance, 0.99))
    ones = np.array([(b.src[0], b.tgt[0]) for b in links if len(b.src) == 1 and len(b.tgt) == 1])
    if not len(ones):
        return 0.0
    cosines = np.einsum("kd,kd->k", src_vectors[ones[:, 0]], tgt_vectors[ones[:, 1]])
    return float(np.sum(cosines > level)) / len(links)


def unrelated_warning(share: float | None) -> str | None:
    """What to tell the user when the texts do not look like translations of each other (None when they do)."""
    if share is None or share >= RELATED_SHARE:
        return None
    return (
        f"These two texts do not look like translations of each other: only {share:.0%} of the links pair sentences "
        f"more alike than chance (a translation has {RELATED_SHARE:.0%} or more). The links and their confidences "
        "mean little; check that the two files belong together (the right chapter, the right language)."
    )
