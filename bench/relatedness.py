"""How far the relatedness share (workbench.alignment.relatedness) tells a translation from a text that is not one.

Every development document (bible_en_zh aside: one document) is aligned with its own translation and, as a stand-in
for a user who picked the wrong file, with the next document's translation (cut to twice its length); the share of
links far above chance is printed for both. A threshold must separate the two columns.

.venv/bin/python -m bench.relatedness [--embedder e5-small-torch]
"""

from __future__ import annotations

import argparse

import numpy as np

from bench.gold_sets import all_sets
from bench.loso import embedder_for
from workbench.alignment import align_sentences
from workbench.alignment.relatedness import RELATED_SHARE, relatedness


def share(src: list[str], tgt: list[str], embedder) -> float | None:
    beads = align_sentences(src, tgt, embedder, refine=False).beads
    return relatedness(beads, embedder.encode(src), embedder.encode(tgt))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small-torch")
    args = parser.parse_args()
    embedder = embedder_for(args.embedder)
    docs = [(g.name, d) for g in all_sets() if g.name != "bible_en_zh" for d in g.docs]
    real, wrong = [], []
    print("| document | with its translation | with the next document's |\n|---|---|---|")
    for k, (name, doc) in enumerate(docs):
        other_name, other = docs[(k + 1) % len(docs)]
        a = share(doc.src, doc.tgt, embedder)
        b = share(doc.src, other.tgt[: max(2 * len(doc.src), 10)], embedder)
        real += [a] if a is not None else []
        wrong += [b] if b is not None else []
        shown = ["too short to tell" if x is None else f"{x:.2f}" for x in (a, b)]
        print(f"| {name} {doc.name} | {shown[0]} | {shown[1]} ({other_name} {other.name}) |")
    print(
        f"translations {min(real):.2f} to {max(real):.2f}; other texts {min(wrong):.2f} to {max(wrong):.2f}; "
        f"threshold {RELATED_SHARE}: {sum(x < RELATED_SHARE for x in real)} translations and "
        f"{sum(x >= RELATED_SHARE for x in wrong)} other texts on the wrong side"
    )


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
