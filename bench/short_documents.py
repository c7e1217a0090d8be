"""The aligner on short documents: each development document cut at gold link boundaries into pieces of about N
source sentences, each piece aligned alone, strict F1 pooled, beside the same links of the whole document aligned
at once (restricted to each piece).

Why: Text+Berg's held-out documents run ~140 sentences, textberg_dev is one of 468. A short document gets no
coarse pass (``AlignParams.direct_cells``) and less of its own statistics, and what the whole document gets right
by those it may not (bench/RESULTS.md, "Blocks left out").

.venv/bin/python -m bench.short_documents [--pieces 140] [--embedder e5-small] [--set NAME ...] [KEY=value ...]
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from bench.gold_sets import GoldDoc, all_sets
from bench.loso import embedder_for
from workbench.alignment import AlignParams, align_sentences
from workbench.alignment.beads import Bead
from workbench.alignment.evaluation import score_alignments


def pieces(doc: GoldDoc, size: int) -> list[tuple[GoldDoc, int, int]]:
    """The document cut at gold link boundaries into pieces of at least ``size`` source sentences (a short tail
    joins the piece before it): each piece as a document of its own, with its first source and target line."""
    groups: list[list[Bead]] = []
    current: list[Bead] = []
    for link in doc.gold:
        current.append(link)
        if sum(len(b.src) for b in current) >= size:
            groups.append(current)
            current = []
    if current:
        if groups and sum(len(b.src) for b in current) < size // 2:
            groups[-1] += current
        else:
            groups.append(current)
    out = []
    for number, group in enumerate(groups):
        src = sorted(i for b in group for i in b.src)
        tgt = sorted(j for b in group for j in b.tgt)
        if not src or not tgt:
            continue
        i0, j0 = src[0], tgt[0]
        gold = [Bead(tuple(i - i0 for i in b.src), tuple(j - j0 for j in b.tgt)) for b in group]
        piece = GoldDoc(f"{doc.name}.{number}", doc.src[i0 : src[-1] + 1], doc.tgt[j0 : tgt[-1] + 1], gold)
        out.append((piece, i0, j0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=140)
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--set", action="append", dest="sets")
    parser.add_argument("settings", nargs="*", help="AlignParams fields, e.g. run_share=1.0")
    args = parser.parse_args()
    params = AlignParams()
    for setting in args.settings:
        key, value = setting.split("=")
        params = replace(params, **{key: type(getattr(params, key))(value)})
    embedder = embedder_for(args.embedder)
    for gold_set in all_sets():
        if (args.sets and gold_set.name not in args.sets) or any(d.src_groups for d in gold_set.docs):
            continue  # bible_en_zh's gold is verse-level: its pieces would need merging (not done here)
        languages = (gold_set.src_lang, gold_set.tgt_lang)
        golds, whole, alone = [], [], []
        for doc in gold_set.docs:
            beads = align_sentences(doc.src, doc.tgt, embedder, params, languages=languages).beads
            for piece, i0, j0 in pieces(doc, args.pieces):
                found = align_sentences(piece.src, piece.tgt, embedder, params, languages=languages).beads
                alone.append(found)
                rows, cols = range(i0, i0 + len(piece.src)), range(j0, j0 + len(piece.tgt))
                whole.append(
                    [
                        Bead(tuple(i - i0 for i in b.src), tuple(j - j0 for j in b.tgt))
                        for b in beads
                        if set(b.src) <= set(rows) and set(b.tgt) <= set(cols)
                    ]
                )
                golds.append(piece.gold)
        as_whole, as_pieces = score_alignments(golds, whole).strict_f1, score_alignments(golds, alone).strict_f1
        print(
            f"{gold_set.name}: {len(golds)} pieces of ~{args.pieces} source sentences; strict F1 whole document "
            f"{as_whole:.4f}, pieces alone {as_pieces:.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
