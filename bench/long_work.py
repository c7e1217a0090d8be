"""Where the time of a long alignment goes, and how the estimate (workbench.alignment.estimate) compares.

Run: ``.venv/bin/python -m bench.long_work [first] [second] [real] [--sentences N]``. Parts:
  first   the first pass on N synthetic sentence vectors a side (384 dimensions, like e5-small), against a noisy
          copy and against a shuffled copy, split into its steps (search band, alignment, open-ending pass)
  second  the second pass on the same shuffled copy (N // 4 a side): how many span texts it embeds, their
          characters, and the window solver's own time (the spans get random vectors, which cost nothing here)
  real    textberg_dev end to end with e5-small and a cold cache: the estimate made before, the time taken
Embedding a 180,000-sentence book is not run here (hours on 2 cores); its figures follow from the rates measured.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.gold_sets import textberg
from workbench.alignment import AlignParams, align_sentences
from workbench.alignment.aligner import align_embeddings_with_statistics
from workbench.alignment.estimate import AlignmentProgress, estimate_alignment
from workbench.alignment.refinement import refine_alignment
from workbench.embedding import CachedEmbedder, EmbeddingCache, load_embedder
from workbench.embedding.base import Embedder


class RandomEmbedder(Embedder):
    """Random unit vectors at no cost: times what the second pass does besides embedding."""

    name = "random"
    dim = 384
    batch_size = 4096

    def _encode(self, texts):
        return np.random.default_rng(len(texts)).normal(size=(len(texts), self.dim)).astype(np.float32)


def synthetic(n: int, shuffled: bool, seed: int = 0):
    """Source vectors and a target: a noisy copy with 1% extra sentences (as bench/speed.py), or a shuffled copy."""
    rng = np.random.default_rng(seed)
    s = rng.normal(size=(n, 384)).astype(np.float32)
    ls = rng.integers(20, 200, size=n)
    if shuffled:
        order = rng.permutation(n)
        t, lt = s[order], ls[order]
    else:
        t = s + 0.5 * rng.normal(size=(n, 384)).astype(np.float32)
        extra = np.sort(rng.choice(n, size=n // 100, replace=False))
        t = np.insert(t, extra, rng.normal(size=(len(extra), 384)).astype(np.float32), axis=0)
        lt = np.insert(ls, extra, 100)
    return s / np.linalg.norm(s, axis=1, keepdims=True), t / np.linalg.norm(t, axis=1, keepdims=True), ls, lt


def first_pass(n: int) -> None:
    for shuffled in (False, True):
        s, t, ls, lt = synthetic(n, shuffled)
        marks: list[float] = []
        started = time.perf_counter()
        align_embeddings_with_statistics(s, t, ls, lt, progress=lambda _d, _t, m=marks: m.append(time.perf_counter()))
        total = time.perf_counter() - started
        steps = np.diff([started, *marks[1:]])
        label = "shuffled copy" if shuffled else "noisy copy"
        print(
            f"first  {n}x{len(t)} {label:13s} {total:6.1f} s: band {steps[0]:.1f}, alignment {steps[1]:.1f}, "
            f"open-ending pass {steps[2]:.1f} ({total / (n + len(t)) * 1e3:.2f} ms a sentence)",
            flush=True,
        )


def second_pass(n: int) -> None:
    s, t, ls, lt = synthetic(n, shuffled=True)
    src = ["x" * int(k) for k in ls]
    tgt = ["y" * int(k) for k in lt]
    params = AlignParams()
    beads, stats = align_embeddings_with_statistics(s, t, ls, lt, params)
    doubtful = sum(1 for b in beads if not b.src or not b.tgt or b.confidence < 0.8)
    counted: list[int] = []
    embedder = RandomEmbedder()
    original = embedder.encode

    def encode(texts, progress=None):
        counted.append(sum(len(x) for x in texts))
        return original(texts, progress)

    embedder.encode = encode  # type: ignore[method-assign]
    started = time.perf_counter()
    _, spans = refine_alignment(beads, src, tgt, s, t, embedder, stats, params)
    seconds = time.perf_counter() - started
    chars = sum(counted)
    sentence_chars = int(ls.sum() + lt.sum())
    print(
        f"second {n}x{n} shuffled copy: {doubtful}/{len(beads)} links doubtful, {spans} span texts "
        f"({spans / (2 * n):.2f} a sentence), {chars:,} characters ({chars / sentence_chars:.1f}x the sentences'), "
        f"window solver {seconds:.1f} s ({seconds / max(spans, 1) * 1e3:.2f} ms a span)",
        flush=True,
    )


def real() -> None:
    doc = textberg().docs[0]
    with tempfile.TemporaryDirectory() as tmp:
        embedder = CachedEmbedder(
            load_embedder("e5-small", threads=2, use_cache=False), EmbeddingCache(Path(tmp) / "e.sqlite")
        )
        for how in ("recorded", "measured"):
            estimate = estimate_alignment(doc.src, doc.tgt, embedder, measure=how == "measured")
            print(f"real   textberg_dev {len(doc.src)}x{len(doc.tgt)}, {how} rate: {estimate.describe()}", flush=True)
        print(f"real   {timed_alignment(doc.src, doc.tgt, embedder, estimate)}", flush=True)


def timed_alignment(src: list[str], tgt: list[str], embedder, estimate) -> str:
    """Align with the estimate's progress tracker; one line: the time taken against the estimate, by stage."""
    tracker = AlignmentProgress(estimate, embedder.name)
    stamps: dict[str, float] = {}
    tracker.on_change = lambda t: stamps.setdefault(
        "aligned" if t.stage == "aligning" and t.done == t.total else t.stage, time.perf_counter()
    )
    started = time.perf_counter()
    alignment = align_sentences(src, tgt, embedder, stages=tracker)
    took = time.perf_counter() - started
    return (
        f"took {took:.1f} s against {estimate.seconds:.1f} s estimated: embedding "
        f"{stamps['aligning'] - started:.1f} s, first pass {stamps['aligned'] - stamps['aligning']:.1f} s, "
        f"second pass {started + took - stamps['aligned']:.1f} s "
        f"({alignment.signature['span_texts_embedded']} span texts)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("parts", nargs="*", default=["first", "second", "real"])
    parser.add_argument("--sentences", type=int, default=20_000, help="synthetic sentences a side (first pass)")
    args = parser.parse_args()
    if "first" in args.parts:
        first_pass(args.sentences)
    if "second" in args.parts:
        second_pass(args.sentences // 4)
    if "real" in args.parts:
        real()


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
