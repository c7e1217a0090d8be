"""TSV: one unit a row under a header row, for spreadsheets, pandas and shell scripts.

Columns (:data:`COLUMNS`): source, target, confidence, status, note, source_ids (space-separated),
target_ids. Rows are written by the csv module in its ``excel-tab`` dialect (rows end in ``\\n``): a field
holding a tab, a line break or a double quote is put in double quotes with its quotes doubled, so every text
comes back exactly and spreadsheets split the columns right.

Carries the joined texts, ids, confidence, status and note. Loses the sentences of an n-m unit (joined by a
space), the change time, the link number, and the languages and corpus name, which TSV has no place for: the
caller passes them
(``read_corpus`` takes them from a file name like ``NAME.en-de.tsv`` when not given).

Import reads two kinds of file. One whose first line names known columns (any order; source and target
required) is read with the same quoting. Anything else is read as a plain two-column TSV as other tools write
it (OPUS, Tatoeba): ``source<TAB>target`` a line, no quoting at all, so a quote is just a character.
"""

from __future__ import annotations

import csv
import io

from workbench.errors import InputError
from workbench.formats.fields import (
    check_corpus,
    check_lang,
    decode_utf8,
    format_confidence,
    join_ids,
    parse_confidence,
    parse_status,
    segments_from_text,
    split_ids,
)
from workbench.formats.units import ParallelCorpus, TranslationUnit

COLUMNS = ("source", "target", "confidence", "status", "note", "source_ids", "target_ids")


def export_tsv(corpus: ParallelCorpus) -> bytes:
    """The corpus as UTF-8 TSV with a header row."""
    check_corpus(corpus, "TSV")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel-tab", lineterminator="\n")
    writer.writerow(COLUMNS)
    for unit in corpus.units:
        writer.writerow(
            [
                unit.source,
                unit.target,
                format_confidence(unit.confidence),
                unit.status,
                unit.note,
                join_ids(unit.source_ids),
                join_ids(unit.target_ids),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def import_tsv(
    data: bytes, *, source_lang: str, target_lang: str, where: str = "The TSV file", name: str = ""
) -> ParallelCorpus:
    """Read a TSV with our header row, or a plain two-column one; ``where`` names the file in errors."""
    check_lang(source_lang, "source")
    check_lang(target_lang, "target")
    text = decode_utf8(data, where)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    header = [cell.strip().lower() for cell in first_line.split("\t")]
    if "source" in header and "target" in header and set(header) <= set(COLUMNS) and len(set(header)) == len(header):
        units = _read_with_header(text, header, where)
    else:
        units = _read_plain(text, where)
    return ParallelCorpus(source_lang=source_lang, target_lang=target_lang, units=units, name=name)


def _read_with_header(text: str, header: list[str], where: str) -> list[TranslationUnit]:
    reader = csv.reader(io.StringIO(text, newline=""), dialect="excel-tab", strict=True)
    units: list[TranslationUnit] = []
    first_line = 1
    try:
        next(reader)  # the header, already read
        first_line = reader.line_num + 1
        for row in reader:
            place = f"{where}, line {first_line}"
            first_line = reader.line_num + 1
            if not row:
                continue
            if len(row) != len(header):
                raise InputError(
                    f"{place}: {len(row)} fields where the header has {len(header)}; a tab or quote in a text may "
                    "have lost its quoting. Quote such fields, or save from a spreadsheet as tab-separated text."
                )
            cells = dict(zip(header, row, strict=True))
            units.append(
                TranslationUnit(
                    source_segments=segments_from_text(cells["source"]),
                    target_segments=segments_from_text(cells["target"]),
                    source_ids=split_ids(cells.get("source_ids")),
                    target_ids=split_ids(cells.get("target_ids")),
                    confidence=parse_confidence(cells.get("confidence"), place),
                    status=parse_status(cells.get("status"), place),
                    note=cells.get("note", ""),
                )
            )
    except csv.Error as exc:
        raise InputError(
            f"{where}, line {first_line}: {exc}; a quoted field that is never closed swallows the rest of the "
            "file (it may be truncated). Close the quote or export the file again."
        ) from None
    return units


def _read_plain(text: str, where: str) -> list[TranslationUnit]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    units: list[TranslationUnit] = []
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            raise InputError(
                f"{where}, line {number}: {len(cells)} tab-separated fields; a TSV without our header row must "
                f"have exactly two (source, target). Add the header ({', '.join(COLUMNS)}) or fix the line."
            )
        units.append(TranslationUnit(segments_from_text(cells[0]), segments_from_text(cells[1])))
    return units
