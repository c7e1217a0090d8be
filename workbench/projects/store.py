"""Projects on disk: ``<root>/<name>/project.sqlite``, one SQLite file a project, saved at every edit.

Why SQLite: a transaction is atomic (a process killed in the middle of a save leaves the file as it was before
that save, never half of it), write-ahead logging (WAL) lets the app, a second tab and the command line read
while one of them writes, a project is one file to copy or delete (SQLite's ``-wal``/``-shm`` companions exist
only while it is open), and it comes with Python: no server, no dependency.

Why a save per edit: the app saves each change as it is made, so a closed tab or a crash loses at most the edit
in flight, and each save writes only the rows its patch touches (one transaction, a few rows).

Two writers never overwrite each other silently: a project in memory carries the revision it was loaded at,
every save checks it against the file's inside the write transaction and bumps it, and a save from a stale copy
raises :class:`~workbench.errors.ConflictError`. The edit log (table ``edits``) keeps every edit's patch, so
undo and redo work after a reload. ``PRAGMA user_version`` is the format version: a file from a newer workbench
is refused rather than misread; ``PRAGMA application_id`` tells a project file from any other SQLite file.

A file in an older format is upgraded the first time it is opened (listed, loaded or saved), by one small step
function a version (:data:`MIGRATIONS`), all in one write transaction: a failure or a kill leaves the file as it
was, and two processes opening it at once upgrade it once. The revision is not bumped: an upgrade changes how
things are stored, not what the reviewer sees, so it conflicts with no copy loaded by this version.

A project whose file or folder cannot be written (a read-only share, a backup) still opens, read-only: SQLite reads
it as immutable when it cannot even make its write-ahead-log index there, an old format is upgraded in a copy in
memory instead of on disk, and any save raises :class:`~workbench.projects.errors.ReadOnlyProjectError` saying
so (never "damaged"). Reading as immutable assumes nobody writes the file meanwhile, which a folder nobody can
write makes likely.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.documents import Document
from workbench.errors import ConflictError, WorkbenchError
from workbench.projects.errors import (
    CorruptProjectError,
    DiskFullError,
    EditError,
    ProjectAccessError,
    ProjectBusyError,
    ProjectExistsError,
    ProjectNameError,
    ProjectNotFoundError,
    ReadOnlyProjectError,
    SchemaVersionError,
)
from workbench.projects.model import (
    SOURCE,
    STATUSES,
    HistoryEntry,
    Project,
    ProjectSentence,
    Side,
    TargetAlignment,
    jsonable,
    utc_now,
)
from workbench.projects.patches import (
    AUDIT,
    LINKS,
    SENTENCES,
    SIDE,
    Patch,
    Step,
    apply_patch,
    invert,
    link_from_row,
    patch_from_json,
    patch_to_json,
    side_record,
)
from workbench.writing import lock_new_file, remove_abandoned

PROJECT_FILE = "project.sqlite"
SCHEMA_VERSION = 4
APPLICATION_ID = 0x57424E50  # "WBNP": a workbench project, whatever the file is called

#: A target's sampled audit (workbench.projects.audit): which links were drawn and the reviewer's verdicts. A verdict
#: names its link by the link's sentence ids (``link_key``), never by a position that shifts with edits elsewhere.
#: Judging changes no link: these tables are outside the revision and the edit history, but a patch that removes
#: a target carries its rows (an ``audit`` step), so undo restores them and no later target inherits them.
_AUDIT_SCHEMA = """
CREATE TABLE audit_samples (
    target TEXT PRIMARY KEY REFERENCES sides(key),
    seed INTEGER NOT NULL,
    size INTEGER NOT NULL,              -- links asked for
    drawn TEXT NOT NULL                 -- ISO 8601 UTC
);
CREATE TABLE audit_items (
    target TEXT NOT NULL REFERENCES audit_samples(target),
    link_key TEXT NOT NULL,             -- the link's source ids, '|', its target ids
    position INTEGER NOT NULL,          -- order in the sample
    passed INTEGER,                     -- NULL: drawn, not judged yet
    category TEXT,
    comment TEXT NOT NULL DEFAULT '',
    judged TEXT,
    PRIMARY KEY (target, link_key)
);
"""

#: What a project keeps of the file its source was read from (version 4), so a translation can go back out in
#: that file's form (workbench.writers: subtitles on the source's times, a Word file with its styles): the block
#: kind, heading level and cue times of each source paragraph, and the file's bytes where a writer rewrites the
#: file itself (.docx). One row or none (a source from plain text, or a project made before version 4). Written
#: once, when the project is made: no edit changes which block a source sentence is in.
_SOURCE_FILE_SCHEMA = """
CREATE TABLE source_file (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,                 -- the file's name as it was read ('talk.srt')
    blocks TEXT NOT NULL,               -- JSON list, one [kind, level, cue start, cue end] a source paragraph
    data BLOB                           -- the file's bytes where a writer needs them (.docx), else NULL
);
"""

SCHEMA = (
    """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,               -- name, created, modified, revision, written_by
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE sides (
    key TEXT PRIMARY KEY,               -- 'source' or a target key ('de', 'pt-2')
    position INTEGER NOT NULL,          -- 0 for the source, then targets in the order they were added
    name TEXT NOT NULL,                 -- the document's name
    lang TEXT NOT NULL,
    title TEXT,
    metadata TEXT NOT NULL,             -- JSON object: the document's front matter
    signature TEXT NOT NULL             -- JSON object: how the links were made ('{}' for the source)
);
CREATE TABLE sentences (
    side TEXT NOT NULL REFERENCES sides(key),
    position INTEGER NOT NULL,          -- 0..n-1 in reading order; ids never change, positions shift
    id TEXT NOT NULL,                   -- stable id: 'p3s2', 'p3s2.2' after a split
    paragraph INTEGER NOT NULL,         -- 0-based paragraph of the document
    text TEXT NOT NULL,
    PRIMARY KEY (side, id)
);
CREATE INDEX sentences_order ON sentences (side, position);
CREATE TABLE links (
    target TEXT NOT NULL REFERENCES sides(key),
    position INTEGER NOT NULL,          -- 0..n-1: links cover both sides in order
    src TEXT NOT NULL,                  -- JSON list of source sentence ids
    tgt TEXT NOT NULL,                  -- JSON list of target sentence ids
    confidence REAL,                    -- NULL: imported without one
    status TEXT NOT NULL CHECK (status IN ('auto', 'manual', 'confirmed', 'flagged')),
    note TEXT NOT NULL DEFAULT '',
    changed TEXT NOT NULL               -- ISO 8601 UTC of the link's last change
);
CREATE INDEX links_order ON links (target, position);
CREATE TABLE edits (
    seq INTEGER PRIMARY KEY,            -- order of the edits
    revision INTEGER NOT NULL,          -- the project's revision this edit made
    op TEXT NOT NULL,                   -- merge_links, split_sentence, ...
    args TEXT NOT NULL,                 -- JSON object: the operation's arguments
    summary TEXT NOT NULL,              -- what the app lists: 'merge links 4 and 5 of de'
    patch TEXT NOT NULL,                -- JSON list of steps (workbench.projects.patches)
    state TEXT NOT NULL CHECK (state IN ('done', 'undone', 'discarded')),
    at TEXT NOT NULL
);
"""
    + _AUDIT_SCHEMA
    + _SOURCE_FILE_SCHEMA
)

# Names Windows gives to devices: a folder so named cannot be made or copied there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{k}" for k in range(1, 10)), *(f"lpt{k}" for k in range(1, 10))}
_NAME = re.compile(r"[^\W_][\w.-]{0,99}")
#: A name's limit in bytes: a folder name, and export files named after the project with its languages after it,
#: must fit the 255 bytes most file systems allow.
MAX_NAME_BYTES = 100
_MAX_FILE_NAME_BYTES = 255


# --------------------------------------------------------------------------------------------- names, paths


def check_project_name(name: str, *, new: bool = True) -> str:
    """A project name is one folder name inside the alignments folder, nothing that could lead out of it.

    A new name is at most :data:`MAX_NAME_BYTES` bytes; an existing project's, at most what a file system holds
    (255 bytes), so that a project made before the byte limit still opens."""
    if not isinstance(name, str) or not name.strip():
        raise ProjectNameError("a project needs a name, e.g. 'kosovo-dialogue'.")
    if "/" in name or "\\" in name or "\x00" in name:
        raise ProjectNameError(f"project name {name!r} holds a path separator: a name is one folder, e.g. 'my-text'.")
    if name.startswith("."):
        raise ProjectNameError(
            f"project name {name!r} starts with a dot: '.' and '..' are not names, and a dot-name hides."
        )
    size = len(name.encode("utf-8"))
    if size > (MAX_NAME_BYTES if new else _MAX_FILE_NAME_BYTES):  # the folder, and exports named after it, must fit
        raise ProjectNameError(
            f"project name {name[:20]!r}... is {size} bytes long in UTF-8; the limit is {MAX_NAME_BYTES} bytes (100 "
            "Latin letters, about 33 Chinese or Japanese characters). Choose a shorter name."
        )
    if not _NAME.fullmatch(name) or name.endswith("."):
        raise ProjectNameError(
            f"project name {name!r} is not allowed: start with a letter or digit and use letters, digits, '-', '_' "
            "and '.' (up to 100 characters, no dot at the end)."
        )
    if name.split(".")[0].lower() in _RESERVED:
        raise ProjectNameError(f"project name {name!r} is reserved for a device on Windows; choose another.")
    return name


def project_dir(name: str, root: Path | None = None, *, new: bool = False) -> Path:
    """``<root>/<name>``, refused unless it lies directly inside ``root`` (a symlink out of it included); ``new``:
    for a project about to be made (its name's stricter byte limit)."""
    from workbench.paths import default_alignments_dir

    check_project_name(name, new=new)
    base = Path(root) if root is not None else default_alignments_dir()
    folder = base / name
    if folder.resolve().parent != base.resolve():
        raise ProjectNameError(f"project {name!r} would lie outside {base}; projects live directly inside it.")
    return folder


# --------------------------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class TargetSummary:
    """A target's counts in the project list: ``confirmed`` is approved links, ``manual`` links made by hand and
    not approved yet, ``to_review`` every link neither approved nor flagged (auto and manual)."""

    key: str
    lang: str
    links: int
    confirmed: int
    flagged: int
    manual: int = 0

    @property
    def to_review(self) -> int:
        return self.links - self.confirmed - self.flagged


@dataclass(frozen=True)
class ProjectSummary:
    """One line of the project list; ``error`` says why a project cannot be opened (the others still list)."""

    name: str
    path: Path
    source_lang: str = ""
    title: str | None = None
    targets: tuple[TargetSummary, ...] = ()
    modified: str = ""
    revision: int = 0
    error: str | None = None

    @property
    def target_keys(self) -> list[str]:
        return [t.key for t in self.targets]


def list_projects(root: Path | None = None) -> list[ProjectSummary]:
    """Every project under ``root`` by name, with counts; a damaged one is listed with its ``error``."""
    from workbench.paths import default_alignments_dir

    base = Path(root) if root is not None else default_alignments_dir()
    if not base.is_dir():
        return []
    _remove_abandoned(base)
    out = []
    for name in _project_names(base):
        path = base / name / PROJECT_FILE
        try:
            project_dir(name, base)  # what open_project would refuse (a bad name, a link out) is listed as such
            out.append(_summary_unless_unchanged(name, path))
        except WorkbenchError as exc:
            out.append(ProjectSummary(name, path, error=str(exc)))
        except (ValueError, TypeError, KeyError, IndexError, OSError, sqlite3.Error) as exc:
            # Whatever one file holds, it is listed with its error and never hides the others.
            out.append(ProjectSummary(name, path, error=f"cannot be read ({type(exc).__name__}: {exc})"))
    return out


def _remove_abandoned(base: Path) -> None:
    """Remove the temporary files of project creations that were killed, in every folder of ``base``, and a
    folder left holding nothing else (a new project's folder whose first file never got into place)."""
    try:
        folders = [p for p in base.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        return
    for folder in folders:
        if remove_stale_temporaries(folder) and not (folder / PROJECT_FILE).exists():
            with suppress(OSError):
                folder.rmdir()  # only if empty


def _project_names(base: Path) -> list[str]:
    """Folders of ``base`` holding a project file (exports and other files may share the folder)."""
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / PROJECT_FILE).is_file())


#: Summaries of project files as they were at a given state on disk: the app lists projects at every rerun of
#: its Open page, and a summary runs SQLite's quick_check over the whole file (~35 ms for 10,000 sentences).
_SUMMARIES: dict[Path, tuple[tuple[Any, ...], ProjectSummary]] = {}


def _file_state(path: Path) -> tuple[Any, ...]:
    """What changes when anything writes the project: the file's and its write-ahead log's size and times."""
    state: list[Any] = []
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            st = file.stat()
        except FileNotFoundError:
            state.append(None)
        else:
            state.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(state)


def _summary_unless_unchanged(name: str, path: Path) -> ProjectSummary:
    """:func:`_summary`, reused while the file is as it was; a damaged file is checked again every time."""
    state = _file_state(path)
    known = _SUMMARIES.get(path)
    if known and known[0] == state and known[1].name == name:
        return known[1]
    summary = _summary(name, path)
    if len(_SUMMARIES) > 1000:
        _SUMMARIES.clear()
    _SUMMARIES[path] = (state, summary)
    return summary


def _summary(name: str, path: Path) -> ProjectSummary:
    with _reading(name, path) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        sides = db.execute("SELECT key, lang, title FROM sides ORDER BY position").fetchall()
        counts = {
            key: (total, confirmed or 0, flagged or 0, manual or 0)
            for key, total, confirmed, flagged, manual in db.execute(
                "SELECT target, COUNT(*), SUM(status = 'confirmed'), SUM(status = 'flagged'), SUM(status = 'manual') "
                "FROM links GROUP BY target"
            )
        }
        (problem,) = db.execute("PRAGMA quick_check(1)").fetchone()
    if problem != "ok":
        raise _damaged(name, path, problem)
    source = [s for s in sides if s[0] == SOURCE]
    if not source or "revision" not in meta:
        raise _damaged(name, path, "it has no source side or no revision")
    targets = tuple(
        TargetSummary(key, lang, *counts.get(key, (0, 0, 0, 0))) for key, lang, _title in sides if key != SOURCE
    )
    try:
        revision = int(meta["revision"])
    except ValueError:
        raise _damaged(name, path, f"its revision {meta['revision']!r} is not a number") from None
    return ProjectSummary(name, path, source[0][1], source[0][2], targets, meta.get("modified", ""), revision)


# --------------------------------------------------------------------------------------------- create, open, delete


@dataclass(frozen=True)
class SourceFile:
    """What a project keeps of its source's file: its name, each source paragraph's ``(kind, level, cue)``, and
    the file's bytes when a writer needs them (None otherwise)."""

    name: str
    blocks: tuple[tuple[str, int, tuple[float, float] | None], ...]
    data: bytes | None = None

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


def source_file_of(document: Document) -> SourceFile | None:
    """The :class:`SourceFile` of a document read from a file a writer can write back (None for any other)."""
    if document.source_file is None:
        return None
    name, data = document.source_file
    blocks = tuple((p.kind, p.level, p.cue) for p in document.paragraphs)
    return SourceFile(name, blocks, data if Path(name).suffix.lower() == ".docx" else None)


def load_source_file(project: Project) -> SourceFile | None:
    """The project's :class:`SourceFile`, None when its source did not come from such a file."""
    with _reading(project.name, project.path) as db:
        row = db.execute("SELECT name, blocks, data FROM source_file").fetchone()
    if row is None:
        return None
    name, blocks, data = row
    kept = tuple(
        (kind, int(level), None if a is None else (float(a), float(b))) for kind, level, a, b in json.loads(blocks)
    )
    return SourceFile(name, kept, data)


def side_from_document(key: str, document: Document) -> Side:
    """A side as a project keeps it: the document's sentences with their ids and paragraphs, and its metadata."""
    sentences = [ProjectSentence(s.id, s.paragraph, s.text) for s in document.sentences]
    return Side(key, document.name, document.lang, document.title, jsonable(document.metadata), sentences)


def create_project(name: str, source: Document, root: Path | None = None) -> Project:
    """A new project holding the source document, saved under ``<root>/<name>/``; add targets next. A source read
    from a subtitle or Word file keeps what exporting back to that format needs (:class:`SourceFile`)."""
    return create_from_sides(name, side_from_document(SOURCE, source), [], root, source_file=source_file_of(source))


def create_from_sides(
    name: str,
    source: Side,
    targets: Sequence[TargetAlignment],
    root: Path | None,
    *,
    source_file: SourceFile | None = None,
) -> Project:
    """Write a complete first state into a new project file, all at once (importing a corpus makes one so).

    The file is built under a temporary name and linked into place only when complete, so a project that is
    half created never appears, and two processes creating the same name cannot both succeed.
    """
    folder = project_dir(name, root, new=True)
    path = folder / PROJECT_FILE
    if path.exists():
        raise ProjectExistsError(
            f"there is already a project named {name!r} (in {folder.parent}); choose another name."
        )
    now = utc_now()
    project = Project(name, path, source, {t.key: t for t in targets}, 0, now, now, [])
    problem = _inconsistency(project)
    if problem:
        raise EditError(f"cannot create project {name!r}: {problem}.")
    made_folder = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(folder)
        _write_new(project, folder, source_file)
    except BaseException as exc:
        if made_folder:
            with suppress(OSError):
                folder.rmdir()  # only if empty: a folder someone else filled meanwhile stays
        if isinstance(exc, sqlite3.Error):
            raise _creating_error(name, folder, exc) from None
        if isinstance(exc, OSError):
            raise _creating_error(name, folder, exc) from None
        raise
    return project


def _write_new(project: Project, folder: Path, source_file: SourceFile | None = None) -> None:
    """Build the project's file under a temporary name, then link it into place (see :func:`create_from_sides`).

    The temporary file is locked (``flock``) while it is built, so that :func:`remove_stale_temporaries` in
    another process removes only the leftovers of a process that died, never a file still being written.
    """
    path = folder / PROJECT_FILE
    while True:
        tmp = folder / f"{_TMP_PREFIX}{uuid.uuid4().hex}{_TMP_SUFFIX}"
        guard = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        if lock_new_file(guard, tmp):
            break
        os.close(guard)  # removed by another process's cleanup before it was locked: make another
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")  # recorded in the file: every later connection uses WAL
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.executescript(SCHEMA)  # a temporary file: nobody sees it before it is complete
            db.execute("BEGIN")
            now = project.created
            meta = {"name": project.name, "created": now, "modified": now, "revision": "0", "written_by": __version__}
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            _insert_side(db, SOURCE, _source_record(project.source))
            _insert_rows(db, SENTENCES, SOURCE, 0, project.source.sentences)
            for target in project.targets.values():
                _insert_side(db, target.key, side_record(target))
                _insert_rows(db, SENTENCES, target.key, 0, target.side.sentences)
                _insert_rows(db, LINKS, target.key, 0, target.links)
            if source_file is not None:
                blocks = [[kind, level, *(cue or (None, None))] for kind, level, cue in source_file.blocks]
                db.execute(
                    "INSERT INTO source_file (id, name, blocks, data) VALUES (1, ?, ?, ?)",
                    (source_file.name, json.dumps(blocks), source_file.data),
                )
            db.execute("COMMIT")
        finally:
            db.close()
        try:
            os.link(tmp, path)  # fails if the name was taken meanwhile: never replace someone's project
        except FileExistsError:
            raise ProjectExistsError(
                f"project {project.name!r} was just created by someone else; choose another name."
            ) from None
    finally:
        _unlink_quietly(tmp)
        os.close(guard)  # after SQLite closed the file: closing it earlier would drop SQLite's own locks


_TMP_PREFIX = f".{PROJECT_FILE}."
_TMP_SUFFIX = ".tmp"


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove what a process killed while creating a project left in ``folder``: ``.project.sqlite.<id>.tmp``
    files (and their ``-wal``/``-shm``/``-journal``) that no live process holds locked. Returns those removed."""
    removed = remove_abandoned(folder, _TMP_PREFIX, _TMP_SUFFIX, middle=32)  # a uuid's 32 hex digits
    for tmp in removed:
        _unlink_quietly(tmp)
    return removed


def _creating_error(name: str, folder: Path, exc: sqlite3.Error | OSError) -> WorkbenchError:
    """Why a new project could not be made, as the user's error (no project was left behind)."""
    full = (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)) or (
        isinstance(exc, sqlite3.Error) and _write_refused(exc)
    )
    if full:
        return DiskFullError(
            f"cannot create project {name!r}: the disk holding {folder.parent} is full (or a quota or file-size "
            "limit refused the write). Free some space and try again; nothing was made."
        )
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyProjectError(
            f"cannot create project {name!r}: {folder.parent} cannot be written ({exc.strerror}). Choose a writable "
            "alignments folder (WORKBENCH_ALIGNMENTS); nothing was made."
        )
    if isinstance(exc, sqlite3.Error) and _read_only(exc):
        return ReadOnlyProjectError(
            f"cannot create project {name!r}: {folder} cannot be written. Choose a writable alignments folder "
            "(WORKBENCH_ALIGNMENTS); nothing was made."
        )
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return WorkbenchError(f"cannot create project {name!r} in {folder.parent} ({reason}); nothing was made.")


def open_project(name: str, root: Path | None = None) -> Project:
    """Load a project; a damaged file or one from a newer workbench raises an error naming the project."""
    folder = project_dir(name, root)
    path = folder / PROJECT_FILE
    if not path.is_file():
        known = ", ".join(_project_names(folder.parent)) or "none"
        raise ProjectNotFoundError(f"there is no project named {name!r} in {folder.parent} (projects: {known}).")
    with _reading(name, path) as db:
        try:
            project = _load(db, name, path)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            raise _damaged(name, path, f"unexpected contents ({type(exc).__name__}: {exc})") from None
    problem = _inconsistency(project)
    if problem:
        raise _damaged(name, path, problem)
    return project


def delete_project(name: str, root: Path | None = None) -> None:
    """Remove the project's folder and everything in it (a damaged project can be deleted too)."""
    folder = project_dir(name, root)
    if not (folder / PROJECT_FILE).is_file():
        raise ProjectNotFoundError(f"there is no project named {name!r} in {folder.parent}.")
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        gone = "" if (folder / PROJECT_FILE).exists() else " (the project file itself is gone)"
        raise ReadOnlyProjectError(
            f"project {name!r} could not be deleted: {exc.filename or folder} cannot be removed ({exc.strerror})"
            f"{gone}. Check the folder's permissions."
        ) from None


# --------------------------------------------------------------------------------------------- saving edits


def save_edit(project: Project, op: str, args: dict[str, Any], summary: str, patch: Patch) -> HistoryEntry | None:
    """Apply ``patch`` to the project and its file in one transaction, logged for undo; None if it is empty.

    The file's revision must still be the project's: otherwise :class:`ConflictError` and nothing changes,
    in memory or on disk. Undone edits waiting for redo are discarded (kept in the log, marked so).
    """
    if not patch:
        return None
    now = utc_now()
    revision = project.revision + 1
    with _saving(project, patch) as db:
        patch = _with_audits(db, patch)
        _write_steps(db, patch)
        db.execute("UPDATE edits SET state = 'discarded' WHERE state = 'undone'")
        cursor = db.execute(
            "INSERT INTO edits (revision, op, args, summary, patch, state, at) VALUES (?, ?, ?, ?, ?, 'done', ?)",
            (revision, op, json.dumps(args, ensure_ascii=False), summary, patch_to_json(patch), now),
        )
        seq = int(cursor.lastrowid or 0)
        _set_revision(db, revision, now)
    entry = HistoryEntry(seq, op, summary, now)
    project.history = [h for h in project.history if not h.undone] + [entry]
    project.revision, project.modified = revision, now
    return entry


def step_history(project: Project, *, redo: bool) -> HistoryEntry:
    """Undo the latest done edit, or redo the earliest undone one; saved like any edit (revision checked)."""
    entry = project.next_redo() if redo else project.next_undo()
    if entry is None:
        raise EditError(f"there is nothing to {'redo' if redo else 'undo'} in project {project.name!r}.")
    now = utc_now()
    revision = project.revision + 1
    with _reading(project.name, project.path) as db:
        row = db.execute("SELECT patch, state FROM edits WHERE seq = ?", (entry.seq,)).fetchone()
    expected = "undone" if redo else "done"
    if row is None or row[1] != expected:
        raise ConflictError(
            f"project {project.name!r}: its history changed elsewhere (another tab or process). "
            "Reload the project; nothing was changed."
        )
    try:
        patch = patch_from_json(row[0])
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise _damaged(project.name, project.path, f"edit {entry.seq} in its history cannot be read ({exc})") from None
    patch = patch if redo else invert(patch)
    with _saving(project, patch) as db:
        patch = _with_audits(db, patch)
        _write_steps(db, patch)
        # The log keeps the audit rows as they were when this step removed a target, so the next step back
        # restores them.
        logged = patch_to_json(patch if redo else invert(patch))
        db.execute(
            "UPDATE edits SET state = ?, patch = ? WHERE seq = ?", ("done" if redo else "undone", logged, entry.seq)
        )
        _set_revision(db, revision, now)
    changed = HistoryEntry(entry.seq, entry.op, entry.summary, entry.at, undone=not redo)
    project.history = [changed if h.seq == entry.seq else h for h in project.history]
    project.revision, project.modified = revision, now
    return changed


@contextmanager
def _saving(project: Project, patch: Patch) -> Iterator[sqlite3.Connection]:
    """A write transaction on an unchanged file with ``patch`` applied in memory; all undone if anything fails.

    ``BEGIN IMMEDIATE`` takes the write lock before the revision is read, so check and write are one step for
    every process; memory is changed first (a patch that does not fit fails before the file is touched) and
    put back if the transaction does not commit.
    """
    with _connection(project.name, project.path) as db:
        db.execute("BEGIN IMMEDIATE")
        applied = False
        try:
            (current,) = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
            if int(current) != project.revision:
                raise ConflictError(
                    f"project {project.name!r} was changed elsewhere (another tab, window or process) since this copy "
                    f"was loaded: the file is at revision {current}, this copy at {project.revision}. Reload the "
                    "project and make the change again; nothing was saved."
                )
            apply_patch(project, patch)
            applied = True
            yield db
            db.execute("COMMIT")
        except BaseException:
            with suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            if applied:
                apply_patch(project, invert(patch))
            raise


def _set_revision(db: sqlite3.Connection, revision: int, now: str) -> None:
    db.executemany("UPDATE meta SET value = ? WHERE key = ?", [(str(revision), "revision"), (now, "modified")])


def _with_audits(db: sqlite3.Connection, patch: Patch) -> Patch:
    """``patch`` with, before each side it deletes, an ``audit`` step holding that target's audit rows as the file
    has them now (a logged one may be out of date: verdicts given after an undo); restoring steps are kept."""
    out: Patch = []
    for step in patch:
        if step.kind == AUDIT and step.new is None:
            continue  # read again below, from the file
        if step.kind == SIDE and step.new is None:
            rows = _audit_rows(db, step.key)
            if rows is not None:
                out.append(Step(AUDIT, step.key, 0, rows, None))
        out.append(step)
    return out


def _write_steps(db: sqlite3.Connection, patch: Patch) -> None:
    for step in patch:
        if step.kind == AUDIT:
            _write_audit(db, step.key, step.new)
            continue
        if step.kind == SIDE:
            if step.new is None:
                db.execute("DELETE FROM sides WHERE key = ?", (step.key,))
            elif step.old is None:
                _insert_side(db, step.key, step.new)
            else:
                db.execute(
                    "UPDATE sides SET name = ?, lang = ?, title = ?, metadata = ?, signature = ? WHERE key = ?",
                    (*_side_values(step.new)[1:], step.key),
                )
            continue
        table, column = _TABLES[step.kind]
        removed, added = len(step.old), len(step.new)
        cursor = db.execute(
            f"DELETE FROM {table} WHERE {column} = ? AND position >= ? AND position < ?",
            (step.key, step.start, step.start + removed),
        )
        if cursor.rowcount != removed:
            raise CorruptProjectError(f"the saved {step.kind} of {step.key!r} do not match the project; reload it.")
        if added != removed:
            db.execute(
                f"UPDATE {table} SET position = position + ? WHERE {column} = ? AND position >= ?",
                (added - removed, step.key, step.start + removed),
            )
        _insert_rows(db, step.kind, step.key, step.start, step.new)


_TABLES = {SENTENCES: ("sentences", "side"), LINKS: ("links", "target")}


def _insert_rows(db: sqlite3.Connection, kind: str, key: str, start: int, rows: Sequence[Any]) -> None:
    if kind == SENTENCES:
        db.executemany(
            "INSERT INTO sentences (side, position, id, paragraph, text) VALUES (?, ?, ?, ?, ?)",
            [(key, start + k, s.id, s.paragraph, s.text) for k, s in enumerate(rows)],
        )
    else:
        db.executemany(
            "INSERT INTO links (target, position, src, tgt, confidence, status, note, changed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (key, start + k, json.dumps(x.src), json.dumps(x.tgt), x.confidence, x.status, x.note, x.changed)
                for k, x in enumerate(rows)
            ],
        )


def _side_values(record: dict[str, Any]) -> tuple[Any, ...]:
    return (
        record["position"],
        record["name"],
        record["lang"],
        record["title"],
        json.dumps(record["metadata"], ensure_ascii=False),
        json.dumps(record["signature"], ensure_ascii=False),
    )


def _insert_side(db: sqlite3.Connection, key: str, record: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO sides (key, position, name, lang, title, metadata, signature) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (key, *_side_values(record)),
    )


def _source_record(side: Side) -> dict[str, Any]:
    return {
        "name": side.name,
        "lang": side.lang,
        "title": side.title,
        "metadata": side.metadata,
        "signature": {},
        "position": 0,
    }


# --------------------------------------------------------------------------------------------- audits


@dataclass(frozen=True)
class AuditRow:
    """One drawn link of a target's audit sample, as saved; ``passed`` None until judged."""

    link_key: str
    passed: bool | None
    category: str | None
    comment: str


def _audit_rows(db: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """A target's audit as an ``audit`` step holds it (JSON-ready), or None if it has none."""
    sample = db.execute("SELECT seed, size, drawn FROM audit_samples WHERE target = ?", (key,)).fetchone()
    if sample is None:
        return None
    items = db.execute(
        "SELECT link_key, position, passed, category, comment, judged FROM audit_items WHERE target = ? "
        "ORDER BY position",
        (key,),
    ).fetchall()
    return {"sample": list(sample), "items": [list(row) for row in items]}


def _write_audit(db: sqlite3.Connection, key: str, rows: dict[str, Any] | None) -> None:
    """Replace a target's audit by ``rows`` (None: remove it)."""
    db.execute("DELETE FROM audit_items WHERE target = ?", (key,))
    db.execute("DELETE FROM audit_samples WHERE target = ?", (key,))
    if rows is None:
        return
    db.execute("INSERT INTO audit_samples (target, seed, size, drawn) VALUES (?, ?, ?, ?)", (key, *rows["sample"]))
    db.executemany(
        "INSERT INTO audit_items (target, link_key, position, passed, category, comment, judged) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(key, *row) for row in rows["items"]],
    )


def _target_saved(db: sqlite3.Connection, project: Project, key: str) -> None:
    """Refuse to write an audit for a target the file no longer has (removed in another tab or process)."""
    if key == SOURCE or db.execute("SELECT 1 FROM sides WHERE key = ?", (key,)).fetchone() is None:
        raise ConflictError(
            f"project {project.name!r} has no target {key!r} any more (it was removed elsewhere). Reload the project; "
            "nothing was saved."
        )


def save_audit_sample(project: Project, key: str, seed: int, size: int, link_keys: Sequence[str]) -> None:
    """Save a new audit sample of target ``key`` (the links drawn, in order), replacing any earlier one."""
    with _connection(project.name, project.path) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            _target_saved(db, project, key)
            items = [[link, k, None, None, "", None] for k, link in enumerate(link_keys)]
            _write_audit(db, key, {"sample": [seed, size, utc_now()], "items": items})
            db.execute("COMMIT")
        except BaseException:
            with suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise


def save_audit_verdict(
    project: Project, key: str, link_key: str, passed: bool, category: str | None, comment: str
) -> bool:
    """Save a verdict on one drawn link of target ``key``; False (nothing saved) if the sample does not hold it."""
    with _connection(project.name, project.path) as db:
        cursor = db.execute(
            "UPDATE audit_items SET passed = ?, category = ?, comment = ?, judged = ? "
            "WHERE target = ? AND link_key = ?",
            (int(passed), None if passed else category, comment, utc_now(), key, link_key),
        )
        return cursor.rowcount == 1


def load_audit_rows(project: Project, key: str) -> tuple[int | None, list[AuditRow]]:
    """Target ``key``'s audit seed (None: no sample drawn) and its drawn links in sample order."""
    with _reading(project.name, project.path) as db:
        rows = _audit_rows(db, key)
    if rows is None:
        return None, []
    items = [
        AuditRow(link, None if passed is None else bool(passed), category, comment)
        for link, _position, passed, category, comment, _judged in rows["items"]
    ]
    return int(rows["sample"][0]), items


# --------------------------------------------------------------------------------------------- format upgrades


def _upgraded(db: sqlite3.Connection) -> sqlite3.Connection:
    """``db`` with its file upgraded to :data:`SCHEMA_VERSION`; where the file cannot be written, a copy in memory,
    upgraded there, that refuses writes (so a save fails as read-only instead of being lost silently)."""
    try:
        _migrate(db)
        return db
    except sqlite3.OperationalError as exc:
        if not _read_only(exc):
            raise
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db.backup(memory)
        _migrate(memory)
        memory.execute("PRAGMA query_only=ON")
    except BaseException:
        memory.close()
        raise
    db.close()
    return memory


def _migrate(db: sqlite3.Connection) -> None:
    """Run the steps from the file's version to :data:`SCHEMA_VERSION` in one write transaction: all or nothing."""
    db.execute("BEGIN IMMEDIATE")  # the write lock first: two processes opening an old file upgrade it once
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version < SCHEMA_VERSION:
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](db)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")  # in the transaction: written with the rest or not
        db.execute("COMMIT")
    except BaseException:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise


# Version 2's links table, frozen here for the 1 -> 2 step (SCHEMA may change it in later versions; a test checks
# that a file upgraded today has the same table as a new one).
_LINKS_V2 = """
CREATE TABLE links (
    target TEXT NOT NULL REFERENCES sides(key),
    position INTEGER NOT NULL,          -- 0..n-1: links cover both sides in order
    src TEXT NOT NULL,                  -- JSON list of source sentence ids
    tgt TEXT NOT NULL,                  -- JSON list of target sentence ids
    confidence REAL,                    -- NULL: imported without one
    status TEXT NOT NULL CHECK (status IN ('auto', 'manual', 'confirmed', 'flagged')),
    note TEXT NOT NULL DEFAULT '',
    changed TEXT NOT NULL               -- ISO 8601 UTC of the link's last change
);
CREATE INDEX links_order ON links (target, position);
"""


def _v1_hand_made(status: str, confidence: float | None) -> bool:
    """Whether a version-1 link was built by a reviewer's hand: version 1 saved merged, split, moved and unlinked
    links as confirmed with confidence 1.0, and confirming never set a confidence, so that is what they look like.
    (A link that had an aligner's or an import's confidence of exactly 1.0 and was confirmed looks the same; it
    becomes manual too: kept by realign, and one approval away from confirmed again.)"""
    return status == "confirmed" and confidence == 1.0


def _v1_link_row(row: list[Any]) -> list[Any]:
    """A link row as patches store it (src, tgt, confidence, status, note, changed), in version 2's terms."""
    src, tgt, confidence, status, note, changed = row
    if _v1_hand_made(status, confidence):
        return [src, tgt, None, "manual", note, changed]
    return list(row)


def _migrate_1_to_2(db: sqlite3.Connection) -> None:
    """Version 2 adds the status ``manual``: hand-made links become manual with no confidence, in the links table
    (rebuilt, since SQLite cannot alter a CHECK constraint) and in every patch of the edit log, so undoing or
    redoing an edit made before the upgrade puts back what the table now holds."""
    db.create_function("v1_hand_made", 2, _v1_hand_made, deterministic=True)
    db.execute("ALTER TABLE links RENAME TO links_v1")
    db.execute("DROP INDEX links_order")
    for statement in _LINKS_V2.split(";"):  # one by one: executescript would commit the transaction
        if statement.strip():
            db.execute(statement)
    db.execute(
        "INSERT INTO links (target, position, src, tgt, confidence, status, note, changed) "
        "SELECT target, position, src, tgt, "
        "CASE WHEN v1_hand_made(status, confidence) THEN NULL ELSE confidence END, "
        "CASE WHEN v1_hand_made(status, confidence) THEN 'manual' ELSE status END, "
        "note, changed FROM links_v1 ORDER BY target, position"
    )
    db.execute("DROP TABLE links_v1")
    updates = []
    for seq, text in db.execute("SELECT seq, patch FROM edits").fetchall():
        steps = json.loads(text)
        for step in steps:
            if step["kind"] == LINKS:
                for side in ("old", "new"):
                    step[side] = [_v1_link_row(row) for row in step[side]]
        upgraded = json.dumps(steps, ensure_ascii=False, separators=(",", ":"))
        if upgraded != text:
            updates.append((upgraded, seq))
    db.executemany("UPDATE edits SET patch = ? WHERE seq = ?", updates)


def _migrate_2_to_3(db: sqlite3.Connection) -> None:
    """Version 3 puts the audit tables in the schema. Version 2 made them on first use, outside it, and left a
    removed target's rows behind, where a new target under the same key inherited them. A sample drawn since its
    target was last added stays; an older one belonged to a target removed since, and moves into the edit that
    removed it (as the ``audit`` step version 3 writes there), so undoing that removal still brings it back."""
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    old = [name for name in ("audit_samples", "audit_items") if name in tables]
    for name in old:
        db.execute(f"ALTER TABLE {name} RENAME TO {name}_v2")
    for statement in _AUDIT_SCHEMA.split(";"):  # one by one: executescript would commit the transaction
        if statement.strip():
            db.execute(statement)
    if "audit_samples" in old:
        added = _last_added(db)
        for key, seed, size, drawn in db.execute("SELECT target, seed, size, drawn FROM audit_samples_v2").fetchall():
            items = []
            if "audit_items" in old:
                items = db.execute(
                    "SELECT link_key, position, passed, category, comment, judged FROM audit_items_v2 "
                    "WHERE target = ? ORDER BY position",
                    (key,),
                ).fetchall()
            rows = {"sample": [seed, size, drawn], "items": [list(item) for item in items]}
            if key in added and drawn >= added[key]:
                _write_audit(db, key, rows)
            else:
                _keep_in_removal(db, key, drawn, rows)
    for name in old:
        db.execute(f"DROP TABLE {name}_v2")


def _migrate_3_to_4(db: sqlite3.Connection) -> None:
    """Version 4 adds the source file's table; a project made before it has no row (its source's blocks and file
    were not kept), so it exports to the corpus formats only."""
    # IF NOT EXISTS: a file a later version wrote and an older one's step relabelled (tests make old files so).
    db.execute(_SOURCE_FILE_SCHEMA.strip().rstrip(";").replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))


def _keep_in_removal(db: sqlite3.Connection, key: str, drawn: str, rows: dict[str, Any]) -> None:
    """Put a removed target's audit into the first edit in force that removed ``key`` after the sample was drawn
    (none: it cannot come back, and is dropped)."""
    for seq, text in db.execute("SELECT seq, patch FROM edits WHERE state = 'done' AND at >= ? ORDER BY seq", (drawn,)):
        steps = json.loads(text)
        at = next(
            (k for k, step in enumerate(steps) if step["kind"] == SIDE and step["key"] == key and step["new"] is None),
            None,
        )
        if at is not None:
            steps.insert(at, {"kind": AUDIT, "key": key, "start": 0, "old": rows, "new": None})
            db.execute(
                "UPDATE edits SET patch = ? WHERE seq = ?",
                (json.dumps(steps, ensure_ascii=False, separators=(",", ":")), seq),
            )
            return


def _last_added(db: sqlite3.Connection) -> dict[str, str]:
    """Each target the file holds, with when the latest edit in force that created it was made ('' if none did:
    made with the project, or brought back by undoing a removal, whose time is not kept)."""
    added = {key: "" for (key,) in db.execute("SELECT key FROM sides WHERE key != ?", (SOURCE,))}
    for text, at in db.execute("SELECT patch, at FROM edits WHERE state = 'done' ORDER BY seq"):
        for step in json.loads(text):
            if step["kind"] == SIDE and step["old"] is None and step["key"] in added:
                added[step["key"]] = at
    return added


#: How a file of version ``k`` becomes version ``k + 1``: run in order inside one transaction by :func:`_migrate`.
#: A later format adds its step here and bumps :data:`SCHEMA_VERSION`.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}


# --------------------------------------------------------------------------------------------- reading


@contextmanager
def _connection(name: str, path: Path) -> Iterator[sqlite3.Connection]:
    """An open project file, its format checked (and upgraded); SQLite's errors become errors naming the project."""
    if not path.is_file():  # never let SQLite create an empty file where a project was deleted
        raise ProjectNotFoundError(f"project {name!r} no longer exists ({path} is gone); it was deleted elsewhere.")
    if path.is_symlink():  # a save would write through the link into a file outside the alignments folder
        raise ProjectAccessError(
            f"project {name!r}: {path} is a symbolic link (to {os.readlink(path)}), and a project file must be a "
            "plain file in its folder. Replace the link with a copy of the file it points to; nothing was opened."
        )
    try:
        db, app_id, version = _open_file(path)
    except sqlite3.Error as exc:
        raise _classified(name, path, exc) from None
    try:
        if app_id != APPLICATION_ID:
            raise _damaged(name, path, "it is an SQLite file but not a workbench project")
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"project {name!r} was saved by a newer workbench (format version {version}; this one reads up to "
                f"{SCHEMA_VERSION}). Upgrade the workbench to open it; the file was left as it is."
            )
        if version < 1:
            raise _damaged(name, path, f"its format version {version} is unknown")
        if version < SCHEMA_VERSION:
            try:
                db = _upgraded(db)
            except (ValueError, KeyError, TypeError, IndexError) as exc:  # contents the upgrade cannot read
                raise _damaged(
                    name,
                    path,
                    f"it could not be upgraded from format version {version} ({type(exc).__name__}: {exc}); "
                    "the file was left as it is",
                ) from None
        yield db
    except sqlite3.Error as exc:
        raise _classified(name, path, exc) from None
    finally:
        db.close()


def _open_file(path: Path) -> tuple[sqlite3.Connection, int, int]:
    """A connection to the project file with its application id and format version, read as immutable where the
    file or its folder cannot be written (SQLite cannot make the write-ahead log's index beside it, and says
    "readonly" at the first pragma or read); every save on such a connection is refused as read-only."""
    db = None
    try:
        db = _connect(path)
        return db, *_format(db)
    except sqlite3.OperationalError as exc:
        if db is not None:
            db.close()
        if not _read_only(exc):
            raise
    db = _connect(path, immutable=True)
    try:
        return db, *_format(db)
    except BaseException:
        db.close()
        raise


def _connect(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A connection to an existing project file (never creating one); ``immutable`` reads a file nobody can write."""
    mode = "ro&immutable=1" if immutable else "rw"
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=10, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=FULL")  # a save the app reported survives a power cut too
    except BaseException:
        db.close()
        raise
    return db


def _format(db: sqlite3.Connection) -> tuple[int, int]:
    """The file's application id and format version (the first read of the file)."""
    (app_id,) = db.execute("PRAGMA application_id").fetchone()
    (version,) = db.execute("PRAGMA user_version").fetchone()
    return int(app_id), int(version)


def _read_only(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused because the file or its folder cannot be written (not because it is damaged)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_READONLY
    return "readonly" in str(exc)


@contextmanager
def _reading(name: str, path: Path) -> Iterator[sqlite3.Connection]:
    """A read transaction: every SELECT inside sees the same saved state, whatever other writers do."""
    with _connection(name, path) as db:
        db.execute("BEGIN")
        try:
            yield db
        finally:
            with suppress(sqlite3.Error):
                db.execute("ROLLBACK")


def _load(db: sqlite3.Connection, name: str, path: Path) -> Project:
    meta = dict(db.execute("SELECT key, value FROM meta"))
    sides: dict[str, Side] = {}
    records: dict[str, tuple[int, dict[str, Any]]] = {}
    for key, position, doc_name, lang, title, metadata, signature in db.execute(
        "SELECT key, position, name, lang, title, metadata, signature FROM sides ORDER BY position, key"
    ):
        sides[key] = Side(key, doc_name, lang, title, json.loads(metadata))
        records[key] = (position, json.loads(signature))
    if SOURCE not in sides:
        raise ValueError("there is no source side")
    for key, k, sid, paragraph, text in db.execute(
        "SELECT side, position, id, paragraph, text FROM sentences ORDER BY side, position"
    ):
        side = sides[key]
        if k != len(side.sentences):
            raise ValueError(f"sentence positions of {key!r} are not 0..n-1")
        side.sentences.append(ProjectSentence(sid, paragraph, text))
    targets = {
        key: TargetAlignment(key, side, [], records[key][1], records[key][0])
        for key, side in sides.items()
        if key != SOURCE
    }
    for key, k, src, tgt, confidence, status, note, changed in db.execute(
        "SELECT target, position, src, tgt, confidence, status, note, changed FROM links ORDER BY target, position"
    ):
        target = targets[key]
        if k != len(target.links):
            raise ValueError(f"link positions of {key!r} are not 0..n-1")
        target.links.append(link_from_row([json.loads(src), json.loads(tgt), confidence, status, note, changed]))
    history = [
        HistoryEntry(seq, op, summary, at, state == "undone")
        for seq, op, summary, at, state in db.execute(
            "SELECT seq, op, summary, at, state FROM edits WHERE state != 'discarded' ORDER BY seq"
        )
    ]
    return Project(
        name=name,
        path=path,
        source=sides[SOURCE],
        targets=targets,
        revision=int(meta["revision"]),
        created=meta.get("created", ""),
        modified=meta.get("modified", ""),
        history=history,
    )


def _inconsistency(project: Project) -> str | None:
    """What is wrong with a project's contents (links that do not cover both sides in order ...), or None."""
    if not project.source.sentences:
        return "the source side has no sentences"
    for target in project.targets.values():
        for side in (project.source, target.side):
            if len(set(side.ids())) != len(side.sentences):
                return f"the {side.describe()} has two sentences with one id"
        src = [sid for link in target.links for sid in link.src]
        tgt = [sid for link in target.links for sid in link.tgt]
        if src != project.source.ids():
            return f"the links of target {target.key!r} do not cover the source sentences once, in order"
        if tgt != target.side.ids():
            return f"the links of target {target.key!r} do not cover its sentences once, in order"
        for k, link in enumerate(target.links):
            if not link.src and not link.tgt:
                return f"link {k} of target {target.key!r} is empty"
            if link.status not in STATUSES:
                return f"link {k} of target {target.key!r} has an unknown status {link.status!r}"
    history = project.history
    if any(a.undone and not b.undone for a, b in itertools.pairwise(history)):
        return "its history has a done edit after an undone one"
    return None


def _classified(name: str, path: Path, exc: sqlite3.Error) -> WorkbenchError:
    """SQLite's error as the user's error, by its cause: only a file SQLite finds malformed is "damaged".

    A full disk, a read-only folder, a lock held by another process, a file that vanished or cannot be opened and
    a disk's read error all leave a healthy file healthy: their messages say what to do and never suggest deleting.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    if _write_refused(exc):
        return DiskFullError(
            f"project {name!r}: the disk holding {path.parent} is full (or a quota or file-size limit refused the "
            "write), so nothing was saved: the project is as it was before this change. Free some space and try "
            "again."
        )
    if _read_only(exc):
        return ReadOnlyProjectError(
            f"project {name!r} is read-only: {path} or its folder cannot be written, so it can be read and "
            "exported but not changed. Copy the project's folder somewhere writable to edit it."
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or (
        primary is None and ("locked" in str(exc) or "busy" in str(exc))
    ):
        return ProjectBusyError(f"project {name!r} is busy: another process is saving it. Try again.")
    if primary == sqlite3.SQLITE_CANTOPEN:
        state = "is gone" if not path.exists() else "cannot be opened (check its and its folder's permissions)"
        return ProjectAccessError(f"project {name!r}: {path} {state}; nothing was changed.")
    if primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH, sqlite3.SQLITE_NOLFS):
        return ProjectAccessError(
            f"project {name!r}: {path} could not be read or written ({exc}); this is the disk or the system, not "
            "the project. Check the disk and try again; nothing was changed."
        )
    return _damaged(name, path, str(exc))


#: SQLite's codes for a write the system refused: ENOSPC is SQLITE_FULL, but EFBIG (a file-size limit) and EDQUOT
#: (a quota) come back as a failed write, fsync or truncate.
_WRITE_REFUSED = {
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_IOERR_WRITE,
    sqlite3.SQLITE_IOERR_FSYNC,
    sqlite3.SQLITE_IOERR_TRUNCATE,
}


def _write_refused(exc: sqlite3.Error) -> bool:
    """Whether SQLite failed because the disk (or a limit) refused to take more bytes: nothing was written."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return "full" in str(exc)
    return code in _WRITE_REFUSED or code & 0xFF == sqlite3.SQLITE_FULL


def _damaged(name: str, path: Path, what: str) -> CorruptProjectError:
    return CorruptProjectError(
        f"project {name!r} cannot be opened: {path} is damaged ({what}). Restore it from a backup, or delete the "
        f"project ('workbench project delete {name}'); other projects are not affected."
    )


def _unlink_quietly(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(OSError):
            Path(f"{path}{suffix}").unlink()


__all__ = [
    "APPLICATION_ID",
    "PROJECT_FILE",
    "SCHEMA",
    "SCHEMA_VERSION",
    "AuditRow",
    "ProjectSummary",
    "SourceFile",
    "Step",
    "TargetSummary",
    "check_project_name",
    "create_from_sides",
    "create_project",
    "delete_project",
    "list_projects",
    "load_audit_rows",
    "load_source_file",
    "open_project",
    "project_dir",
    "save_audit_sample",
    "save_audit_verdict",
    "save_edit",
    "side_from_document",
    "source_file_of",
    "step_history",
]
