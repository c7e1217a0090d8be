"""Installing a converted folder atomically, and knowing whether an installed one is current.

A folder is assembled in a hidden sibling (``.NAME.partial-PID-…``) and renamed into place, so loaders never see
half a model; folders left by killed conversions are removed by the next one. A marker file records what the
folder was made from (converter version, source sha256, Unicode version): any change means it is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import shutil
import unicodedata
import uuid

# Bump whenever the written folder would change for the same source file, so cached conversions are redone.
CONVERTER_VERSION = "1"
MARKER_FILE = "workbench_conversion.json"


def remove_abandoned_siblings(dest: pathlib.Path) -> None:
    """Delete temporary folders left by conversions that were killed (their process no longer exists).

    Each holds up to half a gigabyte; ones whose process is still running belong to a live conversion.
    """
    prefix = f".{dest.name}."
    for sibling in dest.parent.iterdir():
        if not sibling.name.startswith(prefix) or not sibling.is_dir() or sibling.is_symlink():
            continue
        kind, _, rest = sibling.name[len(prefix) :].partition("-")
        pid = rest.partition("-")[0]
        if kind in ("partial", "old") and pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(sibling, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists but belongs to someone else
        return True
    return True


def move_into_place(tmp: pathlib.Path, dest: pathlib.Path) -> None:
    """``os.replace`` cannot overwrite a non-empty directory, so an old folder is first moved aside."""
    try:
        os.replace(tmp, dest)
        return
    except OSError:
        if not dest.exists():
            raise
    old = dest.parent / f".{dest.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    with contextlib.suppress(FileNotFoundError):  # another process may have just done the same
        os.replace(dest, old)
    try:
        os.replace(tmp, dest)
    except OSError:
        if not dest.exists():  # nothing usable is in place: surface the failure
            raise
        shutil.rmtree(tmp, ignore_errors=True)  # a concurrent conversion of the same source won the race
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            old.unlink()


REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "modules.json",
    "1_Pooling/config.json",
    "config_sentence_transformers.json",
    MARKER_FILE,
)


def conversion_identity(source_sha256: str) -> dict[str, str]:
    """What a converted folder depends on; any change means the cached folder must be rebuilt."""
    return {
        "converter_version": CONVERTER_VERSION,
        "source_sha256": source_sha256,
        # The grapheme-extender table comes from this Python's unicodedata (see tokenizer._grapheme_extenders).
        "unicode_version": unicodedata.unidata_version,
    }


def recorded_identity(folder: pathlib.Path) -> dict[str, str] | None:
    """The identity stored in a complete converted folder, or None when the folder is missing or partial."""
    try:
        recorded = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(recorded, dict) or not all((folder / name).is_file() for name in REQUIRED_FILES):
        return None
    return recorded
