"""Where the workbench keeps what it makes: converted models and caches, projects and exports.

Read once by the command line and the app and passed down explicitly; library functions take paths as
arguments instead of consulting the environment themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_cache_dir() -> Path:
    """``$WORKBENCH_CACHE`` if set, else ``~/.cache/workbench``: converted models and the embedding cache."""
    env = os.environ.get("WORKBENCH_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "workbench"


def default_models_dir() -> Path:
    """``$WORKBENCH_MODELS`` if set, else ``$XDG_DATA_HOME/workbench/models`` (``~/.local/share/...``): translation
    models a user installed. Data, not cache: deleting it loses what the user installed by hand."""
    env = os.environ.get("WORKBENCH_MODELS")
    if env:
        return Path(env).expanduser()
    data = os.environ.get("XDG_DATA_HOME")
    return (Path(data).expanduser() if data else Path.home() / ".local" / "share") / "workbench" / "models"


def default_alignments_dir() -> Path:
    """``$WORKBENCH_ALIGNMENTS`` if set, else ``alignments/`` in the project checkout: saved projects and exports."""
    env = os.environ.get("WORKBENCH_ALIGNMENTS")
    return Path(env).expanduser() if env else PROJECT_ROOT / "alignments"
