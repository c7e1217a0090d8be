"""Speed and alignment quality of each route to the default embedder (issue 13, point 3).

Run: ``.venv/bin/python -m bench.embedding_routes speed`` (sentences per second on 2 threads, the same 1,000
sentences for every route, each route run twice and the better kept) and ``.venv/bin/python
bench/embedding_routes.py quality`` (strict F1 of each route on the four development gold sets with the same aligner
code in one run: the first pass as in bench/alignment_quality.py, and the full default ``align_sentences``).
Quality embeds through the on-disk cache (keyed by each route's own name, so no route is served another's vectors).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from bench.gold_sets import all_sets, merge_to_groups, open_flags
from workbench.alignment import AlignParams, align_embeddings, align_sentences
from workbench.alignment.evaluation import score_alignments
from workbench.embedding import load_embedder

E5_ROUTES = ["e5-small-torch", "e5-small-onnx", "e5-small-int8"]
SPEED_ROUTES = [*E5_ROUTES, "use"]
PER_SIDE = 125  # sentences from each side of each of the four sets: 1,000 in eight languages and three scripts


def speed_sentences() -> list[str]:
    """1,000 real sentences: the first 125 of each side of each development set (de, fr, en, is, en, zh, zh, en)."""
    texts: list[str] = []
    for gold_set in all_sets():
        for side in ("src", "tgt"):
            lines = [t for doc in gold_set.docs for t in getattr(doc, side) if t.strip()]
            texts += lines[:PER_SIDE]
    return texts


def run_speed(routes: list[str], threads: int) -> None:
    texts = speed_sentences()
    print(f"{len(texts)} sentences, {threads} threads, each route twice, the better run kept\n")
    print("| route | embedder name | load s | sentences/s (best of 2) | other run | CPU s of the best run |")
    print("|---|---|---|---|---|---|")
    for route in routes:
        started = time.perf_counter()
        embedder = load_embedder(route, threads=threads, use_cache=False)
        load_s = time.perf_counter() - started
        embedder.encode(texts[:8])  # first call allocates; not part of the steady rate
        runs = []  # (sentences per second, CPU seconds): CPU time says more than wall time on a shared machine
        for _ in range(2):
            started, cpu = time.perf_counter(), time.process_time()
            embedder.encode(texts)
            runs.append((len(texts) / (time.perf_counter() - started), time.process_time() - cpu))
        best, other = max(runs), min(runs)
        print(
            f"| {route} | {embedder.name} | {load_s:.1f} | {best[0]:.1f} | {other[0]:.1f} | {best[1]:.1f} |",
            flush=True,
        )


def run_quality(routes: list[str], set_names: list[str] | None) -> None:
    params = AlignParams()
    # Smallest sets first, each set for every route before the next: a run cut short still compares routes.
    sets = sorted(
        (s for s in all_sets() if not set_names or s.name in set_names),
        key=lambda s: sum(len(d.src) + len(d.tgt) for d in s.docs),
    )
    rows: dict[tuple[str, str], tuple[float, float]] = {}
    embedders = {route: load_embedder(route, threads=2) for route in routes}
    print("| set | route | first pass strict F1 | full default strict F1 | embed+align s |")
    print("|---|---|---|---|---|")
    for gold_set in sets:
        for route, embedder in embedders.items():
            started = time.perf_counter()
            golds, first, full = [], [], []
            for doc in gold_set.docs:
                src, tgt = embedder.encode(doc.src), embedder.encode(doc.tgt)
                beads = align_embeddings(
                    src, tgt, [len(s) for s in doc.src], [len(t) for t in doc.tgt], params, **open_flags(doc)
                )
                whole = align_sentences(doc.src, doc.tgt, embedder, params).beads
                golds.append(doc.gold)
                first.append(merge_to_groups(beads, doc) if doc.src_groups else beads)
                full.append(merge_to_groups(whole, doc) if doc.src_groups else whole)
            f1_first = score_alignments(golds, first).strict_f1
            f1_full = score_alignments(golds, full).strict_f1
            rows[(gold_set.name, route)] = (f1_first, f1_full)
            print(
                f"| {gold_set.name} | {route} | {f1_first:.4f} | {f1_full:.4f} | {time.perf_counter() - started:.0f} |",
                flush=True,
            )
    if routes[0] != "e5-small-torch":
        return
    print("\nLoss against e5-small-torch (positive: the route is worse), first pass / full default:\n")
    print("| set | " + " | ".join(routes[1:]) + " |")
    print("|---|" + "---|" * len(routes[1:]))
    for gold_set in sets:
        base = rows[(gold_set.name, routes[0])]
        cells = []
        for route in routes[1:]:
            got = rows[(gold_set.name, route)]
            cells.append(f"{base[0] - got[0]:+.4f} / {base[1] - got[1]:+.4f}")
        print(f"| {gold_set.name} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["speed", "quality"])
    parser.add_argument("--route", action="append", help="embedder names (default: all routes)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--set", action="append", help="development set names for quality (default: all four)")
    args = parser.parse_args()
    if args.what == "speed":
        run_speed(args.route or SPEED_ROUTES, args.threads)
    else:
        run_quality(args.route or E5_ROUTES, args.set)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
