"""Fit the confidence calibration (``AlignParams.confidence``) on the development sets.

Logistic regression of "this link is exactly a gold link" on the link's score, separately for links and skips.
Run: ``.venv/bin/python bench/calibrate.py``; copy the printed slopes and centres into AlignParams.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gold_sets import open_flags, parice, textberg

from workbench.alignment import aligner
from workbench.embedding import load_embedder


def main() -> None:
    embedder = load_embedder("e5-small")
    params = aligner.AlignParams()
    scores, correct, is_link = [], [], []
    for gold_set in (textberg(), parice()):
        for doc in gold_set.docs:
            flags = open_flags(doc)
            src = aligner._make_side(embedder.encode(doc.src), [len(x) for x in doc.src], flags["src_open"])
            tgt = aligner._make_side(embedder.encode(doc.tgt), [len(x) for x in doc.tgt], flags["tgt_open"])
            lo, hi = aligner._search_band(src, tgt, params)
            # The statistics the aligner learns, the open-end cost included; then its final DP's link scores.
            _, stats = aligner.align_embeddings_with_statistics(
                src.vectors, tgt.vectors, src.lengths, tgt.lengths, params, **flags
            )
            gold = {(b.src, b.tgt) for b in doc.gold}
            for i0, i1, j0, j1, score in aligner._dp(src, tgt, lo, hi, stats, params):
                scores.append(score)
                correct.append((tuple(range(i0, i1)), tuple(range(j0, j1))) in gold)
                is_link.append(i1 > i0 and j1 > j0)
    x, y, links = np.array(scores), np.array(correct), np.array(is_link)
    for name, mask in (("links", links), ("skips", ~links)):
        model = LogisticRegression().fit(x[mask, None], y[mask])
        slope = float(model.coef_[0][0])
        centre = -float(model.intercept_[0]) / slope
        print(f"{name}: n={mask.sum()} exact={y[mask].mean():.3f} slope={slope:.3f} centre={centre:.3f}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
