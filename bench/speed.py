"""Speed and memory: embedding throughput, alignment time without embedding, and end to end.

Run: ``.venv/bin/python -m bench.speed``. Parts:
  embed   sentences per second of each embedder on 1,000 real sentences (bible en, no cache)
  align   alignment time and peak traced memory, embeddings given: textberg_dev and synthetic 1k/5k/20k pairs
  e2e     textberg_dev and bible_en_zh from text to links with a cold cache (embed every sentence once + align)
Timings are wall seconds on whatever machine runs this; bench/RESULTS.md records which.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from bench.gold_sets import bible, open_flags, textberg
from workbench.alignment import align_embeddings, align_sentences
from workbench.embedding import CachedEmbedder, EmbeddingCache, load_embedder


def embed_speed(names: list[str]) -> None:
    sentences = bible().docs[0].src[:1000]
    for name in names:
        embedder = load_embedder(name, use_cache=False, threads=2)
        embedder.encode(sentences[:32])  # warm-up: first-call allocations and thread pools
        started = time.perf_counter()
        embedder.encode(sentences)
        seconds = time.perf_counter() - started
        print(f"embed  {name:12s} {len(sentences) / seconds:7.1f} sentences/s  ({seconds:.1f} s for 1,000)", flush=True)


def align_speed() -> None:
    doc = textberg().docs[0]
    embedder = load_embedder("e5-small", threads=2)
    src, tgt = embedder.encode(doc.src), embedder.encode(doc.tgt)
    _timed(
        "textberg_dev 468x554",
        lambda: align_embeddings(src, tgt, [len(s) for s in doc.src], [len(t) for t in doc.tgt], **open_flags(doc)),
    )
    rng = np.random.default_rng(0)
    for n in (1_000, 5_000, 20_000):
        # Target = noisy copy of source with 1% extra sentences; 384 dimensions like e5-small.
        s = rng.normal(size=(n, 384)).astype(np.float32)
        t = s + 0.5 * rng.normal(size=(n, 384)).astype(np.float32)
        extra = np.sort(rng.choice(n, size=n // 100, replace=False))
        t = np.insert(t, extra, rng.normal(size=(len(extra), 384)).astype(np.float32), axis=0)
        ls = rng.integers(20, 200, size=n)
        lt = np.insert(ls, extra, 100)
        _timed(f"synthetic {n}x{len(t)}", lambda s=s, t=t, ls=ls, lt=lt: align_embeddings(s, t, ls, lt))


def _timed(label: str, run) -> None:
    """Time a run, then run it again under tracemalloc for its peak memory (tracing slows numpy's allocations
    about 2.5x, so one run cannot give both)."""
    started = time.perf_counter()
    beads = run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"align  {label:26s} {seconds:7.2f} s  peak {peak:6.0f} MB  {len(beads)} links", flush=True)


def end_to_end(sets: list[str]) -> None:
    for gold_set in [g for g in (textberg(), bible()) if g.name in sets]:
        doc = gold_set.docs[0]
        with tempfile.TemporaryDirectory() as tmp:
            # A cold embedding cache of its own; the converted model is the user's.
            embedder = CachedEmbedder(
                load_embedder("e5-small", threads=2, use_cache=False), EmbeddingCache(Path(tmp) / "e.sqlite")
            )
            started, cpu = time.perf_counter(), time.process_time()
            alignment = align_sentences(doc.src, doc.tgt, embedder)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            started = time.perf_counter()
            align_sentences(doc.src, doc.tgt, embedder)  # warm cache: what a realign after review costs
            warm = time.perf_counter() - started
        print(
            f"e2e    {gold_set.name:14s} {len(doc.src)}x{len(doc.tgt)}: {seconds:7.1f} s cold ({cpu:.0f} CPU s; "
            f"{len(doc.src) + len(doc.tgt)} sentences + {alignment.signature['span_texts_embedded']} spans embedded), "
            f"{warm:.1f} s with a warm cache, "
            f"{len(alignment.beads)} links",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("parts", nargs="*", default=["embed", "align", "e2e"])
    parser.add_argument("--e2e-set", action="append", help="textberg_dev and/or bible_en_zh (default both)")
    args = parser.parse_args()
    if "embed" in args.parts:
        embed_speed(["e5-small", "use", "e5-small+use"])
    if "align" in args.parts:
        align_speed()
    if "e2e" in args.parts:
        end_to_end(args.e2e_set or ["textberg_dev", "bible_en_zh"])


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
