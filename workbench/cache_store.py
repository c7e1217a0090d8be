"""The SQLite file under the workbench's caches (embeddings, translations): one way to open it and look keys up.

SQLite gives atomic writes, safe concurrent readers (the app and the command line at once) and one file to
delete, with no server. A cache is shared by threads (the app runs each rerun in a new one), so the connection
is not bound to its creating thread and a lock keeps calls one at a time.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_MAX_PARAMETERS = 500  # SQLite limits the number of bound parameters in one statement


class CacheStore:
    """An SQLite cache file with its schema, usable from any thread.

    A cache only saves time, so it never stops the work it speeds up: a file that cannot be opened (a read-only
    or full disk, a damaged file) is replaced by a cache in memory for this run, and a write the disk refuses
    is skipped; both say so once, as a warning, and what was computed is still returned.
    """

    def __init__(self, path: Path, schema: str) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.problem: str | None = None  # why the file is not being used, once it is not
        self.writes_refused = False  # a write failed: later ones would too (a full disk), so they are skipped
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = _open(str(path), schema)
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)
            self.db = _open(":memory:", schema)

    def select_in(self, sql: str, fixed: Sequence[Any], keys: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` (ending in ``IN ({marks})``) for ``keys``, in chunks SQLite accepts; hold the lock.
        A read SQLite refuses ends the rows early: the rest are misses, computed again."""
        try:
            for start in range(0, len(keys), _MAX_PARAMETERS):
                chunk = list(keys[start : start + _MAX_PARAMETERS])
                yield from self.db.execute(sql.format(marks=",".join("?" * len(chunk))), [*fixed, *chunk])
        except sqlite3.Error as exc:
            self._give_up(exc)

    def put(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.lock:
            if self.writes_refused:
                return
            try:
                with self.db:
                    self.db.executemany(sql, rows)
            except sqlite3.Error as exc:  # rolled back by the context manager: the file stays as it was
                self.writes_refused = True
                self._give_up(exc)

    def _give_up(self, exc: BaseException) -> None:
        if self.problem is None:
            self.problem = str(exc) or type(exc).__name__
            log.warning(
                "the cache %s cannot be used (%s); going on without keeping results in it.", self.path, self.problem
            )

    def close(self) -> None:
        self.db.close()


def _open(where: str, schema: str) -> sqlite3.Connection:
    db = sqlite3.connect(where, timeout=30, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(schema)
        db.commit()
    except BaseException:
        db.close()
        raise
    return db
