"""Writing files so that a crash or a killed process never leaves half a file: write beside, then rename."""

from __future__ import annotations

import contextlib
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise WorkbenchError(f"Cannot write {path} ({exc.strerror}); check that its folder is writable.") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
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
