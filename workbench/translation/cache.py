"""An on-disk translation cache keyed by engine, model, version, language pair and text.

Translating the same document into a language again (another project, a re-run after a crash, the app's second
tab) costs nothing. SQLite for the same reasons as the embedding cache: atomic writes, concurrent readers, one
file, no server.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from workbench.translation.base import EngineInfo

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key BLOB PRIMARY KEY,
    translation TEXT NOT NULL
) WITHOUT ROWID
"""


class TranslationCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Usable from any thread (the app runs each rerun in a new one); the lock keeps calls one at a time.
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    def get_many(self, info: EngineInfo, src: str, tgt: str, texts: Sequence[str]) -> dict[int, str]:
        """Cached translations by position in ``texts``."""
        keys = [_key(info, src, tgt, t) for t in texts]
        with self._lock:
            return self._lookup(keys)

    def _lookup(self, keys: list[bytes]) -> dict[int, str]:
        by_key: dict[bytes, str] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):  # SQLite limits the number of bound parameters
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, translation FROM translations WHERE key IN ({marks})", chunk)
            by_key.update(dict(rows))
        return {k: by_key[key] for k, key in enumerate(keys) if key in by_key}

    def put_many(self, info: EngineInfo, src: str, tgt: str, texts: Sequence[str], translations: Sequence[str]) -> None:
        rows = [(_key(info, src, tgt, t), out) for t, out in zip(texts, translations, strict=True)]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?)", rows)

    def close(self) -> None:
        self._db.close()


def _key(info: EngineInfo, src: str, tgt: str, text: str) -> bytes:
    material = "\x1f".join([info.engine, info.model, info.version, src, tgt, text])
    return hashlib.sha256(material.encode("utf-8")).digest()
