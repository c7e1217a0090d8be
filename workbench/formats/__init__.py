"""Exporting aligned corpora to the files other tools read, and importing them back.

One module a format (``tmx``, ``xliff``, ``tsv``, ``moses``, ``jsonl``), each turning a
:class:`~workbench.formats.units.ParallelCorpus` into bytes and back, so each can be tested alone and the app can
offer a download without touching the disk. This module adds what every caller needs around them: choosing the
format by name or file suffix, atomic writes, the download's file name and MIME type, and the export filters.

What each format carries (everything else it drops, on purpose and documented in its module):

========  =================================================================================================
tmx       texts (n-m joined), ids, confidence, status, note, change time, link number, name; refuses XML-illegal
          controls
xliff     XLIFF 1.2: as TMX; the status also as the standard ``state``
xliff2    XLIFF 2.0: everything, n-m sentences as separate ``<segment>``s, XML-illegal controls as ``<cp>``
tsv       texts (n-m joined), ids, confidence, status, note; no time, no link number, no name, no languages
moses     texts only (n-m joined), line breaks inside a sentence become spaces
jsonl     everything, exactly
========  =================================================================================================

Read only: ``po`` (gettext ``.po``/``.pot``, see :mod:`workbench.formats.po`): msgid/msgstr pairs, fuzzy entries
flagged, context and translator comments as the note.
"""

from __future__ import annotations

import glob
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from workbench.errors import InputError
from workbench.formats.fields import LANG_RE, check_lang
from workbench.formats.jsonl import export_jsonl, import_jsonl
from workbench.formats.moses import export_moses, import_moses, moses_paths
from workbench.formats.po import import_po
from workbench.formats.tmx import export_multilingual_tmx, export_tmx, import_tmx
from workbench.formats.tsv import export_tsv, import_tsv
from workbench.formats.units import MultilingualCorpus, MultilingualUnit, ParallelCorpus, TranslationUnit
from workbench.formats.xliff import export_xliff, import_xliff
from workbench.writing import refuse_existing, write_bytes_atomic

__all__ = [
    "CORPUS_SUFFIXES",
    "FILE_SUFFIXES",
    "FORMATS",
    "MIME_TYPES",
    "READ_ONLY_FORMATS",
    "SUFFIX_FORMATS",
    "MultilingualCorpus",
    "MultilingualUnit",
    "ParallelCorpus",
    "TranslationUnit",
    "corpus_to_bytes",
    "export_corpus",
    "filter_units",
    "guess_format",
    "read_corpus",
    "read_corpus_bytes",
    "write_corpus",
    "write_multilingual_tmx",
]

#: Format names, each with the label a menu shows.
FORMATS: dict[str, str] = {
    "tmx": "TMX 1.4b",
    "xliff": "XLIFF 1.2",
    "xliff2": "XLIFF 2.0",
    "tsv": "TSV (tab-separated, header row)",
    "moses": "Moses parallel text (two files)",
    "jsonl": "JSON Lines (every field)",
}

#: Formats read but never written, each with its label: gettext catalogues are handed out to translators; a
#: reviewed one goes back out as TMX or XLIFF, which every localisation tool imports.
READ_ONLY_FORMATS: dict[str, str] = {"po": "Gettext PO/POT (msgid/msgstr pairs)"}

#: The suffix a file of each format gets. Moses has none of its own: its two files take the languages as
#: suffixes (``NAME.en``, ``NAME.de``), and its download is a zip of them.
FILE_SUFFIXES: dict[str, str] = {
    "tmx": ".tmx",
    "xliff": ".xlf",
    "xliff2": ".xlf",
    "tsv": ".tsv",
    "moses": "",
    "jsonl": ".jsonl",
}

#: MIME type of each format's download (Moses: the zip).
MIME_TYPES: dict[str, str] = {
    "tmx": "application/x-tmx+xml",
    "xliff": "application/x-xliff+xml",
    "xliff2": "application/xliff+xml",
    "tsv": "text/tab-separated-values",
    "moses": "application/zip",
    "jsonl": "application/jsonl",
}

#: Corpus files above this size are refused before reading: 200 MB of TMX is about a million units, far more
#: than a review project holds; split larger corpora.
MAX_CORPUS_BYTES = 200 * 1024 * 1024

#: The one table of corpus file suffixes and the format each means, for every face (the command line's import,
#: the app's upload, :func:`read_corpus`); a language-like suffix (``.en``) besides means a Moses file.
SUFFIX_FORMATS: dict[str, str] = {
    ".tmx": "tmx",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".po": "po",
    ".pot": "po",
}
# Short suffixes that look like language codes but name file types.
#: Corpus suffixes in the order menus list them.
CORPUS_SUFFIXES: tuple[str, ...] = tuple(SUFFIX_FORMATS)
_NOT_LANGUAGES = frozenset({"txt", "xml", "csv", "tab", "json", "md", "zip", "doc", "pdf", "gz", "bz2", "xz", "po"})
# ``NAME.en-de.tsv``: the pair in a file name, as corpus_to_bytes names downloads (plain two-part codes only).
_PAIR_IN_NAME_RE = re.compile(r"^(?:(?P<name>.+)\.)?(?P<src>[A-Za-z]{2,3})-(?P<tgt>[A-Za-z]{2,3})$")
_UNSAFE_NAME_RE = re.compile(r"[^\w.-]+")


def filter_units(
    units: Iterable[TranslationUnit],
    confirmed_only: bool = False,
    min_confidence: float | None = None,
    drop_unpaired: bool = False,
) -> list[TranslationUnit]:
    """The units an export keeps, in order.

    ``confirmed_only``: only units a reviewer confirmed (approved; a manual unit, made by hand but not approved,
    is left out). ``min_confidence``: units whose confidence reaches it; a confirmed unit always passes (a
    reviewer's word outranks the aligner's score), an unconfirmed one without a confidence (a manual one) never
    does. ``drop_unpaired``: leave out units with an empty side (0-n and n-0 links), which
    training corpora do not want.
    """
    kept: list[TranslationUnit] = []
    for unit in units:
        if confirmed_only and unit.status != "confirmed":
            continue
        if (
            min_confidence is not None
            and unit.status != "confirmed"
            and (unit.confidence is None or unit.confidence < min_confidence)
        ):
            continue
        if drop_unpaired and (not unit.source.strip() or not unit.target.strip()):
            continue
        kept.append(unit)
    return kept


def export_corpus(corpus: ParallelCorpus, fmt: str) -> bytes:
    """The file of a one-file format as bytes (for Moses, use :func:`write_corpus` or :func:`corpus_to_bytes`)."""
    fmt = _check_format(fmt)
    if fmt == "tmx":
        return export_tmx(corpus)
    if fmt in ("xliff", "xliff2"):
        return export_xliff(corpus, version="1.2" if fmt == "xliff" else "2.0")
    if fmt == "tsv":
        return export_tsv(corpus)
    if fmt == "jsonl":
        return export_jsonl(corpus)
    raise InputError("Moses writes two files; use write_corpus or corpus_to_bytes for it.")


def write_corpus(corpus: ParallelCorpus, fmt: str, path: str | Path, *, replace: bool = True) -> list[Path]:
    """Write ``corpus`` in ``fmt`` to ``path`` and return the files written; ``replace=False`` refuses, before
    writing any, if one of the files exists (the command line's export does so unless ``--force``).

    Moses writes ``path.<src>`` and ``path.<tgt>`` (a ``path`` ending in ``.<src>`` is the source file itself).
    The whole export is made in memory first, so a corpus the format refuses writes nothing; each file is then
    written to a temporary file in its folder and moved into place, so a reader never sees half a file.
    """
    fmt = _check_format(fmt)
    path = Path(path)
    if fmt == "moses":
        source_bytes, target_bytes = export_moses(corpus)
        source_path, target_path = moses_paths(path, corpus.source_lang, corpus.target_lang)
        outputs = [(source_path, source_bytes), (target_path, target_bytes)]
    else:
        outputs = [(path, export_corpus(corpus, fmt))]
    if not replace:  # both Moses files checked before either is written: never half an export
        for file_path, _ in outputs:
            refuse_existing(file_path)
    for file_path, data in outputs:
        write_bytes_atomic(file_path, data, replace=replace)
    return [file_path for file_path, _ in outputs]


def write_multilingual_tmx(corpus: MultilingualCorpus, path: str | Path, *, replace: bool = True) -> Path:
    """Write a multilingual TMX (one ``<tu>`` a source span, one ``<tuv>`` a language) atomically."""
    path = Path(path)
    write_bytes_atomic(path, export_multilingual_tmx(corpus), replace=replace)
    return path


def corpus_to_bytes(corpus: ParallelCorpus, fmt: str) -> tuple[bytes, str, str]:
    """``(data, file name, MIME type)`` for a browser download; Moses comes as a zip of its two files.

    The name is ``NAME.<src>-<tgt><suffix>`` (``kosovo-dialogue.en-de.tmx``), which :func:`read_corpus` reads
    the languages back from for TSV.
    """
    fmt = _check_format(fmt)
    base = _UNSAFE_NAME_RE.sub("_", corpus.name).strip("._") or "corpus"
    check_lang(corpus.source_lang, "source")
    check_lang(corpus.target_lang, "target")
    stem = f"{base}.{corpus.source_lang}-{corpus.target_lang}"
    if fmt != "moses":
        return export_corpus(corpus, fmt), stem + FILE_SUFFIXES[fmt], MIME_TYPES[fmt]
    source_bytes, target_bytes = export_moses(corpus)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for lang, data in ((corpus.source_lang, source_bytes), (corpus.target_lang, target_bytes)):
            info = zipfile.ZipInfo(f"{base}.{lang}", date_time=(1980, 1, 1, 0, 0, 0))  # same bytes every time
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue(), stem + ".zip", MIME_TYPES["moses"]


def guess_format(path: str | Path) -> str:
    """The format a file's suffix names: ``.tmx``, ``.xlf``/``.xliff`` (either version), ``.tsv``, ``.jsonl``,
    or a language code (``.en``) for a Moses file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[suffix]
    code = suffix[1:]
    if code and code not in _NOT_LANGUAGES and LANG_RE.fullmatch(code) and len(code.split("-")[0]) <= 3:
        return "moses"
    raise InputError(
        f"Cannot tell the format of {path.name} from its suffix; name it {', '.join(CORPUS_SUFFIXES)} or "
        f".<language> (Moses), or pass the format (one of {', '.join([*FORMATS, *READ_ONLY_FORMATS])})."
    )


def read_corpus(
    path: str | Path,
    fmt: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    target_path: str | Path | None = None,
) -> ParallelCorpus:
    """Read a corpus file; the format is guessed from the suffix when not given.

    TMX and XLIFF name their languages (``source_lang``/``target_lang`` pick a pair from a multilingual file).
    TSV does not: pass them, or name the file ``NAME.<src>-<tgt>.tsv``. Moses: ``path`` is the source file
    (``NAME.<src>``); the target is ``target_path``, else ``NAME.<target_lang>``, else the one other
    ``NAME.<lang>`` file beside it. Anything unreadable raises :class:`InputError`.
    """
    path = Path(path)
    fmt = _check_read_format(fmt) if fmt is not None else guess_format(path)
    if fmt == "moses":
        return _read_moses(path, source_lang, target_lang, target_path)
    return _parse(_read_bytes(path), fmt, path.name, str(path), source_lang, target_lang)


def read_corpus_bytes(
    data: bytes | BinaryIO,
    name: str,
    fmt: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> ParallelCorpus:
    """:func:`read_corpus` for a file held in memory (an upload) or a binary stream: ``name`` gives the format by
    its suffix (unless ``fmt`` does), TSV's languages as ``NAME.<src>-<tgt>.tsv`` does, and names the file in
    messages. Moses, two files, is read from paths only."""
    fmt = _check_read_format(fmt) if fmt is not None else guess_format(name)
    if fmt == "moses":
        raise InputError(f"{name}: a Moses corpus is two files; read it with read_corpus from its path.")
    if not isinstance(data, bytes | bytearray):
        from workbench.reading import read_stream_bytes

        data = read_stream_bytes(data, name, MAX_CORPUS_BYTES)
    if len(data) > MAX_CORPUS_BYTES:
        raise InputError(
            f"{name} is {len(data) / 1e6:.0f} MB; the limit is {MAX_CORPUS_BYTES / 1e6:.0f} MB. Split the corpus."
        )
    return _parse(data, fmt, Path(name).name, name, source_lang, target_lang)


def _parse(
    data: bytes, fmt: str, file_name: str, where: str, source_lang: str | None, target_lang: str | None
) -> ParallelCorpus:
    """A one-file corpus from its bytes; ``file_name`` may carry TSV's languages and the corpus name."""
    path = Path(file_name)
    if fmt == "tmx":
        return import_tmx(data, source_lang=source_lang, target_lang=target_lang, where=where)
    if fmt in ("xliff", "xliff2"):
        return import_xliff(data, source_lang=source_lang, target_lang=target_lang, where=where)
    if fmt == "jsonl":
        return import_jsonl(data, source_lang=source_lang, target_lang=target_lang, where=where)
    if fmt == "po":
        stem = path.name[: -len(path.suffix)] if path.suffix else path.name
        return import_po(data, source_lang=source_lang, target_lang=target_lang, where=where, name=stem)
    name, file_src, file_tgt = _pair_from_name(path)
    src, tgt = source_lang or file_src, target_lang or file_tgt
    if not src or not tgt:
        raise InputError(
            f"{where} is TSV, which does not say its languages; pass source_lang and target_lang, "
            "or name the file NAME.<src>-<tgt>.tsv (e.g. corpus.en-de.tsv)."
        )
    return import_tsv(data, source_lang=src, target_lang=tgt, where=where, name=name)


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"Unknown corpus format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return fmt


def _check_read_format(fmt: str) -> str:
    """A format :func:`read_corpus` reads: the written ones and the read-only ones (PO)."""
    return fmt if fmt in READ_ONLY_FORMATS else _check_format(fmt)


def _pair_from_name(path: Path) -> tuple[str, str | None, str | None]:
    """``(name, src, tgt)`` from ``NAME.en-de.tsv``; languages None when the name does not carry them."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    match = _PAIR_IN_NAME_RE.match(stem)
    if match is None:
        return stem, None, None
    return match["name"] or "", match["src"], match["tgt"]


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if not path.is_file():
        raise InputError(f"{path} is not a file; give a corpus file.")
    size = path.stat().st_size
    if size > MAX_CORPUS_BYTES:
        raise InputError(
            f"{path} is {size / 1e6:.0f} MB; the limit is {MAX_CORPUS_BYTES / 1e6:.0f} MB. Split the corpus."
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror}); check its permissions.") from None


def _read_moses(
    path: Path, source_lang: str | None, target_lang: str | None, target_path: str | Path | None
) -> ParallelCorpus:
    src = source_lang or path.suffix[1:]
    if not src:
        raise InputError(f"{path} has no language suffix; pass source_lang (Moses files are named NAME.<lang>).")
    check_lang(src, "source")
    source_data = _read_bytes(path)
    stem = path.with_suffix("") if path.suffix else path
    if target_path is not None:
        target = Path(target_path)
        tgt = target_lang or target.suffix[1:]
    elif target_lang is not None:
        tgt = target_lang
        target = stem.with_name(f"{stem.name}.{target_lang}")
    else:
        candidates = sorted(
            other
            for other in stem.parent.glob(f"{glob.escape(stem.name)}.*")
            if other != path
            and other.is_file()
            and other.name.count(".") == stem.name.count(".") + 1
            and _guess_or_none(other) == "moses"
        )
        if len(candidates) != 1:
            found = ", ".join(c.name for c in candidates) or "none"
            raise InputError(
                f"Cannot tell which file translates {path.name} (candidates: {found}); pass target_lang or target_path."
            )
        target = candidates[0]
        tgt = target.suffix[1:]
    check_lang(tgt, "target")
    if not target.is_file():
        raise InputError(
            f"{target}: no such file; a Moses corpus needs the target file beside the source, named "
            f"{stem.name}.<language>. Pass target_path if it is elsewhere."
        )
    return import_moses(
        source_data,
        _read_bytes(target),
        source_lang=src,
        target_lang=tgt,
        source_where=str(path),
        target_where=str(target),
        name=stem.name,
    )


def _guess_or_none(path: Path) -> str | None:
    """:func:`guess_format`, with None for a suffix that names no format."""
    try:
        return guess_format(path)
    except InputError:
        return None
