"""Paragraph ends (``AlignParams.paragraph_end``) on the development gold sets, which keep no paragraphs: each
document is given paragraphs ending at gold link boundaries every 3 to 10 links, and aligned

* ``kept``: with the same paragraphs on both sides (a machine translation, most human ones);
* ``moved``: with a fifth of the translation's paragraph ends moved to other sentences (a translator who joins and
  splits paragraphs);
* ``random``: with paragraph ends at random on each side, independently (the control: nothing should be learnt);

beside ``none`` (no paragraphs, the pre-split input the gold sets are scored with). Strict F1 per set and mode for
each value of the cost, then the value each set's fold chooses on the other sets (mean of kept and moved).

.venv/bin/python -m bench.paragraphs [--values 0.5,1.0,2.0] [--sets a,b] [--modes none,kept,moved,random]
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

from bench.gold_sets import GoldDoc, all_sets, merge_to_groups
from bench.loso import embedder_for
from workbench.alignment import AlignParams, align_sentences
from workbench.alignment.evaluation import score_alignments


def paragraph_numbers(ends: np.ndarray) -> list[int]:
    """Each sentence's paragraph number from the flags of the sentences that end one."""
    return [int(k) for k in np.concatenate([[0], np.cumsum(ends[:-1])])]


def marked(doc: GoldDoc, mode: str, rng: np.random.Generator) -> tuple[list[int] | None, list[int] | None]:
    """The two sides' paragraph numbers for ``mode`` (None, None for ``none``)."""
    if mode == "none":
        return None, None
    src_ends, tgt_ends = np.zeros(len(doc.src), bool), np.zeros(len(doc.tgt), bool)
    if mode == "random":
        src_ends[rng.random(len(doc.src)) < 0.15] = True
        tgt_ends[rng.random(len(doc.tgt)) < 0.15] = True
    else:
        since, every = 0, rng.integers(3, 11)
        for link in doc.gold:
            since += 1
            if link.src and link.tgt and since >= every:
                src_ends[link.src[-1]] = tgt_ends[link.tgt[-1]] = True
                since, every = 0, rng.integers(3, 11)
        if mode == "moved":
            ends = np.nonzero(tgt_ends)[0]
            moved = rng.choice(ends, size=len(ends) // 5, replace=False)
            tgt_ends[moved] = False
            tgt_ends[rng.choice(len(doc.tgt), size=len(moved), replace=False)] = True
    src_ends[-1] = tgt_ends[-1] = True
    return paragraph_numbers(src_ends), paragraph_numbers(tgt_ends)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", default="0.5,1.0,2.0")
    parser.add_argument("--sets", default="textberg_dev,parice_en_is,bible_en_zh,mac_dev_zh_en")
    parser.add_argument("--modes", default="none,kept,moved,random")
    parser.add_argument("--embedder", default="e5-small")
    args = parser.parse_args()
    embedder = embedder_for(args.embedder)
    values = [float(v) for v in args.values.split(",")]
    modes = args.modes.split(",")
    table: dict[tuple[str, float, str], float] = {}
    for gold_set in all_sets():
        if gold_set.name not in args.sets.split(","):
            continue
        languages = (gold_set.src_lang, gold_set.tgt_lang)
        for value in values:
            params = replace(AlignParams(), paragraph_end=value)
            cells = []
            for mode in modes:
                rng = np.random.default_rng(7)  # the same paragraphs for every value
                golds, systems = [], []
                for doc in gold_set.docs:
                    paragraphs = marked(doc, mode, rng)
                    beads = align_sentences(
                        doc.src, doc.tgt, embedder, params, languages=languages, paragraphs=paragraphs
                    ).beads
                    golds.append(doc.gold)
                    systems.append(merge_to_groups(beads, doc) if doc.src_groups else beads)
                table[gold_set.name, value, mode] = score_alignments(golds, systems).strict_f1
                cells.append(f"{mode} {table[gold_set.name, value, mode]:.4f}")
            print(f"{gold_set.name} paragraph_end={value}: " + " | ".join(cells), flush=True)
    names = sorted({name for name, _, _ in table})
    if {"kept", "moved"} <= set(modes) and len(names) > 1:

        def mean(name: str, value: float) -> float:
            return (table[name, value, "kept"] + table[name, value, "moved"]) / 2

        for held in names:
            chosen = max(values, key=lambda v: sum(mean(n, v) for n in names if n != held))
            print(f"fold {held}: chooses {chosen}, kept {table[held, chosen, 'kept']:.4f}, "
                  f"moved {table[held, chosen, 'moved']:.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
