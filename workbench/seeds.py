"""The documents the workbench ships with, opened by name (``kosovo-dialogue``) as well as by path."""

from __future__ import annotations

from pathlib import Path

from workbench.errors import InputError

#: The shipped seed documents live beside the package in the project checkout.
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

DEFAULT_SEED = "kosovo-dialogue"


def list_seeds() -> list[str]:
    """Names of the shipped seed documents."""
    if not SEEDS_DIR.is_dir():
        return []
    return sorted(p.stem for p in SEEDS_DIR.iterdir() if p.suffix in {".txt", ".md"})


def seed_path(name: str) -> Path:
    """Path of a seed by name; raises :class:`InputError` listing the seeds there are."""
    for suffix in (".txt", ".md"):
        candidate = SEEDS_DIR / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    known = ", ".join(list_seeds()) or "none"
    raise InputError(f"no file or seed document named '{name}' (seeds: {known}).")


def resolve_document_path(source: str | Path) -> Path:
    """A path that exists wins; otherwise the name of a seed; otherwise a clear error."""
    path = Path(source)
    if path.exists():
        return path
    if len(path.parts) == 1 and path.suffix.lower() not in {".txt", ".md"}:
        return seed_path(str(source))
    raise InputError(f"{source}: no such file.")
