"""Which document pairs a batch aligns: a TSV or JSONL manifest, or two folders whose files match by name.

Every row is checked before any work starts, so a typo on line 900 fails the command at once with its line number
instead of after 899 documents. Ids name the output files, so they are restricted to safe file-name characters.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InputError
from workbench.formats.fields import LANG_RE
from workbench.reading import read_text_file

#: A document id becomes a file name in the output folder: letters, digits, '.', '_', '-', not starting with '.'.
ID_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")

#: The manifest's columns (TSV header, JSONL keys); only source and target are required.
COLUMNS = ("id", "source", "target", "src_lang", "tgt_lang")


@dataclass(frozen=True)
class DocumentPair:
    """One document and its translation, with the languages (None: taken from the files' front matter)."""

    id: str
    source: Path
    target: Path
    src_lang: str | None = None
    tgt_lang: str | None = None


def read_manifest(
    manifest: str | Path,
    target_folder: str | Path | None = None,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> list[DocumentPair]:
    """The pairs of a manifest file (``.tsv`` or ``.jsonl``), or of two folders (``manifest`` is the source one).

    ``src_lang``/``tgt_lang`` fill in rows that name no language. Relative paths in a manifest are relative to
    the manifest's folder, so a corpus and its manifest can move together.
    """
    path = Path(manifest)
    if path.is_dir():
        if target_folder is None:
            raise InputError(f"{path} is a folder: give the folder of translations too (SOURCE_DIR TARGET_DIR).")
        pairs = _folder_pairs(path, Path(target_folder), src_lang, tgt_lang)
    else:
        if target_folder is not None:
            raise InputError(f"{path} is a manifest file; a second folder goes only with a folder of sources.")
        text, _encoding = read_text_file(path)
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".json", ".ndjson"):
            rows = _jsonl_rows(text, path)
        elif suffix in (".tsv", ".tab", ".txt"):
            rows = _tsv_rows(text, path)
        else:
            raise InputError(f"{path}: a manifest is a .tsv (header: {', '.join(COLUMNS)}) or a .jsonl file.")
        pairs = [_pair(row, where, path.parent, src_lang, tgt_lang) for where, row in rows]
    if not pairs:
        raise InputError(f"{path} names no document pairs.")
    seen: dict[str, int] = {}
    for number, pair in enumerate(pairs, 1):
        if pair.id in seen:
            raise InputError(
                f"{path}: id {pair.id!r} is used twice (pairs {seen[pair.id]} and {number}); ids name the outputs."
            )
        seen[pair.id] = number
    return pairs


def _jsonl_rows(text: str, path: Path) -> list[tuple[str, dict]]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not JSON ({exc.msg}).") from None
        if not isinstance(row, dict):
            raise InputError(f"{where}: each line is an object with {', '.join(COLUMNS)}.")
        rows.append((where, row))
    return rows


def _tsv_rows(text: str, path: Path) -> list[tuple[str, dict]]:
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    lines = [(number, cells) for number, cells in enumerate(reader, 1) if any(c.strip() for c in cells)]
    if not lines:
        return []
    header = [c.strip().lower() for c in lines[0][1]]
    if "source" not in header or "target" not in header:
        raise InputError(f"{path}: the first line is the header, with at least 'source' and 'target' columns.")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise InputError(f"{path}: unknown column(s) {unknown}; the columns are {', '.join(COLUMNS)}.")
    rows = []
    for number, cells in lines[1:]:
        if len(cells) != len(header):
            raise InputError(f"{path} line {number}: {len(cells)} fields, the header has {len(header)}.")
        rows.append((f"{path} line {number}", dict(zip(header, (c.strip() for c in cells), strict=True))))
    return rows


def _pair(row: dict, where: str, base: Path, src_lang: str | None, tgt_lang: str | None) -> DocumentPair:
    unknown = [k for k in row if k not in COLUMNS]
    if unknown:
        raise InputError(f"{where}: unknown field(s) {unknown}; the fields are {', '.join(COLUMNS)}.")
    for key in ("source", "target"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            raise InputError(f"{where}: '{key}' (a file path) is missing.")
    source, target = base / row["source"], base / row["target"]
    doc_id = row.get("id") or source.stem
    return DocumentPair(
        _check_id(doc_id, where),
        source,
        target,
        _lang(row.get("src_lang") or src_lang, where),
        _lang(row.get("tgt_lang") or tgt_lang, where),
    )


def _folder_pairs(src_dir: Path, tgt_dir: Path, src_lang: str | None, tgt_lang: str | None) -> list[DocumentPair]:
    if not tgt_dir.is_dir():
        raise InputError(f"{tgt_dir} is not a folder of translations.")
    sources = {p.name: p for p in src_dir.iterdir() if p.is_file() and not p.name.startswith(".")}
    targets = {p.name: p for p in tgt_dir.iterdir() if p.is_file() and not p.name.startswith(".")}
    alone = sorted(set(sources) ^ set(targets))
    if alone:
        shown = ", ".join(alone[:5]) + (f" and {len(alone) - 5} more" if len(alone) > 5 else "")
        raise InputError(
            f"{len(alone)} file(s) have no namesake in the other folder ({shown}); the folders pair files by name."
        )
    where = f"{src_dir} / {tgt_dir}"
    return [
        DocumentPair(
            _check_id(Path(name).stem if Path(name).stem else name, f"{where}: {name}"),
            sources[name],
            targets[name],
            _lang(src_lang, where),
            _lang(tgt_lang, where),
        )
        for name in sorted(sources)
    ]


def _check_id(doc_id: object, where: str) -> str:
    if not isinstance(doc_id, str) or not ID_RE.fullmatch(doc_id):
        raise InputError(
            f"{where}: id {str(doc_id)[:40]!r} is not usable as a file name "
            "(letters, digits, '.', '_', '-', up to 100, not starting with '.')."
        )
    return doc_id


def _lang(code: object, where: str) -> str | None:
    if code is None or code == "":
        return None
    if not isinstance(code, str) or not LANG_RE.fullmatch(code) or len(code) > 35:
        raise InputError(f"{where}: {str(code)[:40]!r} is not a language code such as 'en' or 'pt-BR'.")
    return code
