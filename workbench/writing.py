"""Writing files so that a crash or a killed process never leaves half a file: write beside, then rename."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from pathlib import Path

from workbench.errors import WorkbenchError


def write_bytes_atomic(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write ``data`` to a temporary file in ``path``'s folder, flush it to disk, and rename it over ``path``.

    The folder is created if missing; an existing file keeps its permissions. OS errors become one-line
    :class:`WorkbenchError` messages, and the old file stays as it was. With ``replace=False`` an existing
    ``path`` (a file, a symbolic link, anything) is refused before anything is written, and the new file is
    linked into place only if the name is still free then, so a file made meanwhile is not replaced either. A
    replaced symbolic link is replaced itself: nothing is ever written through it.
    """
    path = Path(path)
    if not replace:
        refuse_existing(path)
    prefix = f".{path.name}."
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(path.parent, prefix, ".tmp")  # what a killed write of this file left behind
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        while True:
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
            if lock_new_file(descriptor, Path(temporary)):  # held until the end: others' cleanup leaves it alone
                break
            os.close(descriptor)
    except OSError as exc:
        raise WorkbenchError(f"Cannot write {path} ({exc.strerror}); check that its folder is writable.") from None
    handle = os.fdopen(descriptor, "wb")
    try:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if replace:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # atomic, and fails if the name was taken meanwhile
            except FileExistsError:
                refuse_existing(path)
                raise
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise WorkbenchError(f"Cannot write {path} ({exc.strerror}); check the disk and permissions.") from None
        raise
    finally:
        handle.close()


def lock_new_file(descriptor: int, path: Path) -> bool:
    """Lock a temporary file just made (``flock``, exclusive) and say whether ``path`` still names it: a cleanup in
    another process may have taken it for a leftover between its making and the lock, and removed it (then make
    another)."""
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False


def remove_abandoned(folder: Path, prefix: str, suffix: str, middle: int = 8) -> list[Path]:
    """Remove the files named ``<prefix><middle random characters><suffix>`` in ``folder`` (what ``mkstemp`` or a
    uuid makes, nothing a person names) that no live process holds locked (``flock``): the temporary files of
    writes whose process was killed. Returns those removed."""
    removed: list[Path] = []
    size = len(prefix) + middle + len(suffix)
    try:
        candidates = [
            p for p in folder.iterdir() if len(p.name) == size and p.name.startswith(prefix) and p.name.endswith(suffix)
        ]
    except OSError:
        return removed
    for candidate in candidates:
        try:
            guard = os.open(candidate, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
            candidate.unlink()
        except OSError:
            continue  # a live process is still writing it (or it is already gone)
        finally:
            os.close(guard)
        removed.append(candidate)
    return removed


def write_text_atomic(path: Path, text: str, *, replace: bool = True) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), replace=replace)


def refuse_existing(path: Path) -> None:
    """Refuse a path that exists in any form (a dangling symbolic link included), saying how to go on."""
    if path.is_symlink():
        raise WorkbenchError(
            f"{path} is a symbolic link (to {os.readlink(path)}); nothing was written through it. Choose another "
            "file, or pass --force to replace the link itself."
        )
    if os.path.lexists(path):
        what = "a folder" if path.is_dir() else "a file"
        raise WorkbenchError(f"{path} is already {what}; nothing was replaced. Choose another name, or pass --force.")
