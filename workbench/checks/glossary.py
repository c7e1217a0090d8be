"""A user's glossary: which target term must render a source term.

The glossary is a CSV file of ``source term, target term`` rows (comma, semicolon or tab separated; a header row
and ``#`` comment lines are allowed). A source term listed twice accepts either target term. A link breaks the
glossary when its source has the term (any case, as whole words) and its target has none of the target terms.
Target terms may take an inflectional ending (Sicherheitsrat -> Sicherheitsrats), as translations need them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from workbench.checks.base import CheckContext, Finding, GlossaryEntry, is_paired
from workbench.checks.text import fold, term_pattern, word_set
from workbench.errors import InputError
from workbench.reading import decode_bytes, read_text_file

_HEADER_WORDS = word_set("source target source_term target_term term translation src tgt") | {
    "source term",
    "target term",
}


def glossary_from_pairs(pairs: Iterable[tuple[str, str]] | Mapping[str, str]) -> list[GlossaryEntry]:
    """Entries from (source term, target term) pairs; repeated source terms collect their target terms."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    merged: dict[str, tuple[str, list[str]]] = {}
    for source, target in items:
        source, target = " ".join(source.split()), " ".join(target.split())
        if not source or not target:
            raise InputError(f"Glossary entry {source!r} -> {target!r}: both terms must be given.")
        entry = merged.setdefault(fold(source), (source, []))
        if target not in entry[1]:
            entry[1].append(target)
    return [GlossaryEntry(source, tuple(targets)) for source, targets in merged.values()]


def load_glossary(
    path: str | Path, source_lang: str | None = None, target_lang: str | None = None
) -> list[GlossaryEntry]:
    """Read a glossary CSV; every problem is an :class:`InputError` naming the file and line.

    A first row naming the columns ("source,target", or the two language codes when given) is skipped.
    """
    text, _ = read_text_file(path)
    return parse_glossary(text, str(path), source_lang, target_lang)


def glossary_from_bytes(
    data: bytes, name: str, source_lang: str | None = None, target_lang: str | None = None
) -> list[GlossaryEntry]:
    """:func:`load_glossary` for an upload held in memory (no temporary file); ``name`` names it in messages."""
    text, _ = decode_bytes(data, name=name)
    return parse_glossary(text, name, source_lang, target_lang)


def parse_glossary(
    text: str, path: str, source_lang: str | None = None, target_lang: str | None = None
) -> list[GlossaryEntry]:
    """The entries of a glossary's decoded ``text``; ``path`` names it in messages (see :func:`load_glossary`)."""
    lines = text.splitlines()
    delimiter = _delimiter([line for line in lines if line.strip() and not line.lstrip().startswith("#")])
    headers = set(_HEADER_WORDS)
    if source_lang and target_lang:
        headers |= {source_lang.casefold(), target_lang.casefold()}
    pairs: list[tuple[str, str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for row in reader:
        number = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) < 2 or not cells[1]:
            raise InputError(
                f"{path}, line {number}: expected two columns, a source term and its target term "
                f"(separated by a comma, semicolon or tab), found {cells!r}."
            )
        if not cells[0]:
            raise InputError(f"{path}, line {number}: the source term is empty.")
        if not pairs and number == _first_row(lines) and {cells[0].casefold(), cells[1].casefold()} <= headers:
            continue
        pairs.append((cells[0], cells[1]))
    if not pairs:
        raise InputError(f"{path} has no glossary entries: write one 'source term,target term' pair a line.")
    return glossary_from_pairs(pairs)


def _delimiter(rows: list[str]) -> str:
    """The separator found on every one of the first rows: tab, then semicolon, then comma (a term may hold one).

    Chosen by this rule rather than csv.Sniffer, whose guesses on a few short rows are hard to predict.
    """
    sample = rows[:50]
    for candidate in ("\t", ";", ","):
        if sample and all(candidate in row for row in sample):
            return candidate
    return ","


def _first_row(lines: list[str]) -> int:
    """Line number of the first line that is neither blank nor a comment."""
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            return number
    return 0


def check_glossary(context: CheckContext) -> Iterator[Finding]:
    """Flag links whose source uses a glossary term and whose target uses none of its renderings."""
    if not context.glossary:
        return
    compiled = [
        (entry, term_pattern(fold(entry.source)), [term_pattern(fold(t), allow_suffix=True) for t in entry.targets])
        for entry in context.glossary
    ]
    for index, unit in enumerate(context.units):
        if not is_paired(unit):
            continue
        source, target = fold(unit.source), fold(unit.target)
        for entry, source_pattern, target_patterns in compiled:
            if not source_pattern.search(source) or any(p.search(target) for p in target_patterns):
                continue
            expected = " or ".join(f"“{t}”" for t in entry.targets)
            yield Finding(
                "glossary",
                "error",
                f"The glossary renders “{entry.source}” as {expected}, but the target has none of them.",
                index,
                {"source_term": entry.source, "target_terms": list(entry.targets)},
            )
