"""The SQLite file under the workbench's caches (embeddings, translations): one way to open it and look keys up.

SQLite gives atomic writes, safe concurrent readers (the app and the command line at once) and one file to
delete, with no server. A cache is shared by threads (the app runs each rerun in a new one), so the connection
is not bound to its creating thread and a lock keeps calls one at a time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

_MAX_PARAMETERS = 500  # SQLite limits the number of bound parameters in one statement


class CacheStore:
    """An SQLite cache file with its schema, usable from any thread."""

    def __init__(self, path: Path, schema: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self.lock = threading.Lock()
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(schema)
        self.db.commit()

    def select_in(self, sql: str, fixed: Sequence[Any], keys: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` (ending in ``IN ({marks})``) for ``keys``, in chunks SQLite accepts; hold the lock."""
        for start in range(0, len(keys), _MAX_PARAMETERS):
            chunk = list(keys[start : start + _MAX_PARAMETERS])
            yield from self.db.execute(sql.format(marks=",".join("?" * len(chunk))), [*fixed, *chunk])

    def put(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.lock, self.db:
            self.db.executemany(sql, rows)

    def close(self) -> None:
        self.db.close()
