"""Moses parallel text: two plain files, line k of one the translation of line k of the other.

The corpus format of MT training (Moses, OPUS, fairseq, Marian): ``NAME.<src>`` and ``NAME.<tgt>``, UTF-8, one
unit a line. It carries the joined texts and nothing else: ids, confidence, status, note, time and the sentences
of an n-m unit are lost. An empty side is an empty line, so 0-1 and 1-0 units keep the lines paired.

A line break inside a sentence would shift every line after it, so **export replaces each line break by one
space**: ``\\r\\n``, ``\\n``, ``\\r`` and the other breaks ``str.splitlines`` knows (``\\v``, ``\\f``,
``\\x1c``-``\\x1e``, ``\\x85``, U+2028, U+2029), because line-based tools split on some of them. That is a
deliberate loss: training tools take the lines as they are, and an escape such as ``\\n`` would be learnt as
text. Tabs are kept; they are ordinary characters inside a line. Import splits on ``\\n`` only and drops the
``\\r`` of CRLF files; a line pair empty on both sides is skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.errors import InputError
from workbench.formats.fields import check_corpus, check_lang, decode_utf8, segments_from_text
from workbench.formats.units import ParallelCorpus, TranslationUnit

LINE_BREAK_RE = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def flatten(text: str) -> str:
    """``text`` on one line: every line break becomes a space (what Moses export does to a sentence)."""
    return LINE_BREAK_RE.sub(" ", text)


def export_moses(corpus: ParallelCorpus) -> tuple[bytes, bytes]:
    """The source file's and the target file's bytes: one unit a line, each line ending in ``\\n``."""
    check_corpus(corpus, "Moses", space_free_ids=False)
    if corpus.source_lang.lower() == corpus.target_lang.lower():
        raise InputError(
            f"Source and target are both {corpus.source_lang!r}; Moses names its files by language, "
            "so they would overwrite each other. Give the sides different languages."
        )
    source = "".join(flatten(unit.source) + "\n" for unit in corpus.units)
    target = "".join(flatten(unit.target) + "\n" for unit in corpus.units)
    return source.encode("utf-8"), target.encode("utf-8")


def moses_paths(path: str | Path, source_lang: str, target_lang: str) -> tuple[Path, Path]:
    """The two files for ``path``: ``path.<src>`` and ``path.<tgt>``; a ``path`` already ending in ``.<src>``
    names the source file itself."""
    path = Path(path)
    check_lang(source_lang, "source")
    check_lang(target_lang, "target")
    stem = path.with_suffix("") if path.suffix == f".{source_lang}" else path
    return stem.with_name(f"{stem.name}.{source_lang}"), stem.with_name(f"{stem.name}.{target_lang}")


def import_moses(
    source_data: bytes,
    target_data: bytes,
    *,
    source_lang: str,
    target_lang: str,
    source_where: str = "The source file",
    target_where: str = "The target file",
    name: str = "",
) -> ParallelCorpus:
    """Pair the lines of the two files into units; files of different lengths are refused."""
    check_lang(source_lang, "source")
    check_lang(target_lang, "target")
    sources = _lines(decode_utf8(source_data, source_where))
    targets = _lines(decode_utf8(target_data, target_where))
    if len(sources) != len(targets):
        raise InputError(
            f"{source_where} has {len(sources)} lines but {target_where} has {len(targets)}; in Moses format line k "
            "of one must translate line k of the other. Check that these two files belong together."
        )
    units = [
        TranslationUnit(segments_from_text(source), segments_from_text(target))
        for source, target in zip(sources, targets, strict=True)
        if source or target
    ]
    return ParallelCorpus(source_lang=source_lang, target_lang=target_lang, units=units, name=name)


def _lines(text: str) -> list[str]:
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    return lines
