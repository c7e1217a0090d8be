"""An on-disk embedding cache keyed by embedder name and text.

Realigning after a reviewer edits one sentence must embed that sentence only. The file is a
:class:`~workbench.cache_store.CacheStore` (SQLite).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from workbench.cache_store import CacheStore
from workbench.embedding.base import Embedder, Progress

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    text_hash BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID
"""


class EmbeddingCache:
    """Vectors stored as float32 bytes under (embedder name, sha256 of the text)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store = CacheStore(path, _SCHEMA)

    def get_many(self, model: str, texts: Sequence[str], dim: int) -> dict[int, np.ndarray]:
        """Cached vectors by position in ``texts``."""
        positions: dict[bytes, list[int]] = {}
        for k, text in enumerate(texts):
            positions.setdefault(_hash(text), []).append(k)
        found: dict[int, np.ndarray] = {}
        sql = "SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})"
        with self._store.lock:
            for text_hash, blob in self._store.select_in(sql, [model], list(positions)):
                vector = np.frombuffer(blob, dtype=np.float32)
                if len(vector) == dim:
                    for k in positions[text_hash]:
                        found[k] = vector
        return found

    def held(self, model: str, texts: Sequence[str]) -> set[str]:
        """The texts the cache holds a vector for; reads hashes only, so an estimate can ask about a whole book."""
        by_hash = {_hash(t): t for t in texts}
        sql = "SELECT text_hash FROM embeddings WHERE model = ? AND text_hash IN ({marks})"
        with self._store.lock:
            return {by_hash[row[0]] for row in self._store.select_in(sql, [model], list(by_hash))}

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (model, _hash(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors, strict=True)
        ]
        self._store.put("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        self._store.close()


class CachedEmbedder(Embedder):
    """Wraps an embedder so that only texts it has not seen before are embedded."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.dim = inner.dim
        self.batch_size = inner.batch_size
        self.last_misses = 0

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner._encode(texts)

    def for_languages(self, src_lang: str | None, tgt_lang: str | None) -> Embedder:
        chosen = self.inner.for_languages(src_lang, tgt_lang)
        return self if chosen is self.inner else CachedEmbedder(chosen, self.cache)

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        found = self.cache.get_many(self.name, texts, self.dim)
        missing = sorted({t: None for k, t in enumerate(texts) if k not in found})  # unique, deterministic order
        self.last_misses = len(missing)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if missing:
            fresh = self.inner.encode(missing, progress=progress)
            self.cache.put_many(self.name, missing, fresh)
            by_text = dict(zip(missing, fresh, strict=True))
            for k, t in enumerate(texts):
                if k not in found:
                    out[k] = by_text[t]
        elif progress:
            progress(len(texts), len(texts))
        for k, vector in found.items():
            out[k] = vector
        return out


def _hash(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()
