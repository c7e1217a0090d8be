"""An on-disk translation cache keyed by engine, model, version, language pair and text.

Translating the same document into a language again (another project, a re-run after a crash, the app's second
tab) costs nothing. The file is a :class:`~workbench.cache_store.CacheStore` (SQLite), as the embedding cache's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from workbench.cache_store import CacheStore
from workbench.translation.base import EngineInfo

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key BLOB PRIMARY KEY,
    translation TEXT NOT NULL
) WITHOUT ROWID
"""


class TranslationCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._store = CacheStore(path, _SCHEMA)

    def get_many(self, info: EngineInfo, src: str, tgt: str, texts: Sequence[str]) -> dict[int, str]:
        """Cached translations by position in ``texts``."""
        keys = [_key(info, src, tgt, t) for t in texts]
        sql = "SELECT key, translation FROM translations WHERE key IN ({marks})"
        with self._store.lock:
            by_key = dict(self._store.select_in(sql, [], list(dict.fromkeys(keys))))
        return {k: by_key[key] for k, key in enumerate(keys) if key in by_key}

    def put_many(self, info: EngineInfo, src: str, tgt: str, texts: Sequence[str], translations: Sequence[str]) -> None:
        rows = [(_key(info, src, tgt, t), out) for t, out in zip(texts, translations, strict=True)]
        self._store.put("INSERT OR REPLACE INTO translations VALUES (?, ?)", rows)

    def close(self) -> None:
        self._store.close()


def _key(info: EngineInfo, src: str, tgt: str, text: str) -> bytes:
    material = "\x1f".join([info.engine, info.model, info.version, src, tgt, text])
    return hashlib.sha256(material.encode("utf-8")).digest()
