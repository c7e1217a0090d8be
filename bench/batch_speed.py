"""Batch throughput: document pairs made from the development sets, aligned by 1 and 2 local workers and on a local
Ray cluster with 2 CPUs; documents per minute, sentences per second, and where the time goes.

Run: ``.venv/bin/python -m bench.batch_speed --docs 200`` (the issue's figure; ``--docs 24`` for a quick look,
``--configs local1,ray2`` for some). Documents are cut from the gold sets where a gold link ends on both sides, about
``--sentences`` source sentences each, taken in turn from textberg (de-fr), ParIce (en-is), the Bible (en-zh) and
MAC (zh-en), one sentence a line (``presplit``), with the default embedder and refinement.

Time shares are of the workers' summed time (model loading, reading, embedding, alignment); on more than one worker
they add up to more than the wall time. Timings are wall seconds on whatever machine runs this; bench/RESULTS.md
records which and how busy it was.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import tempfile
import time
from pathlib import Path

from bench.gold_sets import GoldDoc, all_sets
from workbench.batch import BatchOptions, LocalExecutor, RayExecutor, read_manifest, run_batch


def pieces(doc: GoldDoc, size: int) -> list[tuple[list[str], list[str]]]:
    """``doc`` cut after the gold link that brings a piece to ``size`` source sentences (and at least one target)."""
    out: list[tuple[list[str], list[str]]] = []
    src_ids: list[int] = []
    tgt_ids: list[int] = []
    for bead in doc.gold:
        src_ids += bead.src
        tgt_ids += bead.tgt
        if len(src_ids) >= size and tgt_ids:
            out.append(([doc.src[i] for i in src_ids], [doc.tgt[j] for j in tgt_ids]))
            src_ids, tgt_ids = [], []
    return out


def make_manifest(folder: Path, count: int, size: int) -> Path:
    """``count`` document pairs written under ``folder``, the sets taken in turn; returns the TSV manifest."""
    streams = []
    for gold_set in all_sets():
        chunks = (piece for doc in gold_set.docs for piece in pieces(doc, size))
        streams.append((gold_set, chunks))
    rows = ["id\tsource\ttarget\tsrc_lang\ttgt_lang"]
    live = list(streams)
    for number in itertools.count():
        if len(rows) > count or not live:
            break
        gold_set, chunks = live[number % len(live)]
        piece = next(chunks, None)
        if piece is None:
            live.remove((gold_set, chunks))
            continue
        doc_id = f"{gold_set.name}-{len(rows):04d}"
        for side, lines in (("src", piece[0]), ("tgt", piece[1])):
            (folder / f"{doc_id}.{side}").write_text("\n".join(lines) + "\n", encoding="utf-8")
        rows.append(f"{doc_id}\t{doc_id}.src\t{doc_id}.tgt\t{gold_set.src_lang}\t{gold_set.tgt_lang}")
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def measure(config: str, manifest: Path, out: Path, device: str | None = None) -> dict[str, object]:
    pairs = read_manifest(manifest)
    load_before = os.getloadavg()[0]
    if config.startswith("local"):
        executor = LocalExecutor(int(config.removeprefix("local")), device=device)
    else:
        executor = RayExecutor("local", num_cpus=int(config.removeprefix("ray")), device=device)
    report = run_batch(pairs, out, executor, BatchOptions(presplit=True))
    if config.startswith("ray"):
        import ray

        ray.shutdown()
    busy = sum(report.seconds.values()) or 1.0
    return {
        "config": config,
        "executor": executor.describe(),
        "documents": report.aligned,
        "failed": len(report.failed),
        "sentences": report.sentences,
        "wall_s": round(report.wall_seconds, 1),
        "docs_per_min": round(report.aligned / report.wall_seconds * 60, 1),
        "sentences_per_s": round(report.sentences / report.wall_seconds, 1),
        "shares": {part: round(seconds / busy, 3) for part, seconds in sorted(report.seconds.items())},
        "worker_s": round(busy, 1),
        # How busy the machine was (1-minute load average before and after): the figures are only as good as that.
        "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "cores": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=20, help="source sentences a document, about")
    parser.add_argument("--configs", default="local1,local2,ray2")
    parser.add_argument("--device", default=None, help="cpu, cuda or auto (default: cpu locally, auto on Ray)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        manifest = make_manifest(root / "docs", args.docs, args.sentences)
        for config in args.configs.split(","):
            started = time.perf_counter()
            result = measure(config, manifest, root / f"out-{config}", args.device)
            result["total_s"] = round(time.perf_counter() - started, 1)
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
