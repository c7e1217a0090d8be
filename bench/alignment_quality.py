"""Strict and lax P/R/F1 of `workbench` alignments on every development gold set, for each embedder.

Run: ``.venv/bin/python -m bench.alignment_quality [--embedder e5-small --embedder use ...]``.
Embeddings go through the on-disk cache (they do not change the score); alignment time is printed apart.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from bench.gold_sets import all_sets, merge_to_groups, open_flags
from workbench.alignment import AlignParams, align_embeddings
from workbench.alignment.evaluation import score_alignments
from workbench.embedding import load_embedder
from workbench.embedding.cache import CachedEmbedder, EmbeddingCache
from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME, ensure_default_model
from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder
from workbench.paths import default_cache_dir


def embedder_for(name: str):
    if name == "e5-small-query":  # the same model with e5's "query: " prefix, to decide whether to use it
        folder = ensure_default_model(default_cache_dir() / "models")
        inner = SentenceTransformerEmbedder(folder, name=DEFAULT_MODEL_NAME, prefix="query: ", threads=2)
        return CachedEmbedder(inner, EmbeddingCache(default_cache_dir() / "embeddings.sqlite"))
    return load_embedder(name, threads=2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", action="append")
    args = parser.parse_args()
    params = AlignParams()
    print("| set | embedder | strict P | strict R | strict F1 | lax P | lax R | lax F1 | align s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.embedder or ["e5-small", "e5-small-query", "use"]:
        embedder = embedder_for(name)
        for gold_set in all_sets():
            golds, systems, seconds = [], [], 0.0
            for doc in gold_set.docs:
                src, tgt = embedder.encode(doc.src), embedder.encode(doc.tgt)
                started = time.perf_counter()
                beads = align_embeddings(
                    src, tgt, [len(s) for s in doc.src], [len(t) for t in doc.tgt], params, **open_flags(doc)
                )
                seconds += time.perf_counter() - started
                golds.append(doc.gold)
                systems.append(merge_to_groups(beads, doc) if doc.src_groups else beads)
            s = score_alignments(golds, systems)
            print(
                f"| {gold_set.name} | {name} | {s.strict_precision:.3f} | {s.strict_recall:.3f} | {s.strict_f1:.3f} "
                f"| {s.lax_precision:.3f} | {s.lax_recall:.3f} | {s.lax_f1:.3f} | {seconds:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
