"""JSON Lines: the lossless format, one JSON object a line, for scripts and for moving a corpus between projects.

Line 1 is a header object saying what the file is and which languages it pairs::

    {"format": "workbench-corpus", "version": 1, "source_lang": "en", "target_lang": "de", "name": "...",
     "creationtool": "workbench", "creationtoolversion": "0.1.0"}

(a header rather than languages on every line: the pair is the corpus's, and a line cannot then disagree with
its neighbours). Every following line is one unit with every field of
:class:`~workbench.formats.units.TranslationUnit`, segments and ids as lists::

    {"source_segments": [...], "target_segments": [...], "source_ids": [...], "target_ids": [...],
     "confidence": 0.87, "status": "confirmed", "note": "", "changed": "2026-11-27T06:43:33+00:00",
     "link_number": 13}

Strings are written unescaped (``ensure_ascii=False``) so the file reads as text; JSON escapes the control
characters, and lines are split on ``\\n`` only, so U+2028 inside a sentence is safe. Nothing is lost.
On import a unit line may give ``"source"``/``"target"`` strings instead of segment lists (handy by hand),
and any field but the texts may be left out.
"""

from __future__ import annotations

import json
import math
from typing import Any

import workbench
from workbench.errors import InputError
from workbench.formats.fields import check_corpus, check_lang, decode_utf8, normalise_lang, segments_from_text
from workbench.formats.units import STATUSES, ParallelCorpus, TranslationUnit
from workbench.language_tags import base_language

FORMAT_NAME = "workbench-corpus"
FORMAT_VERSION = 1


def export_jsonl(corpus: ParallelCorpus) -> bytes:
    """The corpus as JSON Lines: the header line, then one line a unit."""
    check_corpus(corpus, "JSONL", space_free_ids=False)
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "source_lang": corpus.source_lang,
        "target_lang": corpus.target_lang,
        "name": corpus.name,
        "creationtool": "workbench",
        "creationtoolversion": workbench.__version__,
    }
    lines = [_dumps(header)]
    for unit in corpus.units:
        record = {
            "source_segments": list(unit.source_segments),
            "target_segments": list(unit.target_segments),
            "source_ids": list(unit.source_ids),
            "target_ids": list(unit.target_ids),
            "confidence": unit.confidence,
            "status": unit.status,
            "note": unit.note,
            "changed": unit.changed,
            "link_number": unit.link_number,
        }
        lines.append(_dumps(record))
    return "".join(line + "\n" for line in lines).encode("utf-8")


def import_jsonl(
    data: bytes,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    where: str = "The JSONL file",
) -> ParallelCorpus:
    """Read a file written by :func:`export_jsonl`; languages given must match the header's."""
    lines = decode_utf8(data, where).split("\n")
    header = _loads(lines[0], 1, where) if lines[0].strip() else None
    if not isinstance(header, dict) or not all(isinstance(header.get(k), str) for k in ("source_lang", "target_lang")):
        raise InputError(
            f"{where}, line 1: not a corpus header (a JSON object with source_lang and target_lang); "
            "the file was not written by this tool or lost its first line."
        )
    if header.get("format", FORMAT_NAME) != FORMAT_NAME or header.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        raise InputError(
            f"{where}, line 1: format {header.get('format')!r} version {header.get('version')!r}; this tool reads "
            f"{FORMAT_NAME!r} version {FORMAT_VERSION}. Export it again with this version."
        )
    src = check_lang(header["source_lang"], "source")
    tgt = check_lang(header["target_lang"], "target")
    for asked, present, role in ((source_lang, src, "source"), (target_lang, tgt, "target")):
        # As TMX and XLIFF read a pair: 'pt' finds the file's 'pt-PT' (exports tag the variant in this field).
        if asked is not None and base_language(normalise_lang(asked)) != base_language(normalise_lang(present)):
            raise InputError(f"{where} pairs {src}-{tgt}; its {role} language is {present!r}, not {asked!r}.")
    units = [
        _unit(_loads(line, number, where), f"{where}, line {number}")
        for number, line in enumerate(lines[1:], start=2)
        if line.strip()
    ]
    name = header.get("name") if isinstance(header.get("name"), str) else ""
    return ParallelCorpus(source_lang=src, target_lang=tgt, units=units, name=name)


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, allow_nan=False)


def _loads(line: str, number: int, where: str) -> Any:
    try:
        return json.loads(line)
    except RecursionError:  # Python's parser recurses once a level: a hostile line nests 100,000 deep
        raise InputError(
            f"{where}, line {number}: JSON nested too deeply to be a unit (a unit is one flat object)."
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}, line {number}: not valid JSON ({exc.msg}, column {exc.colno}); the line may be cut off. "
            "Fix or remove it."
        ) from None


def _unit(record: Any, place: str) -> TranslationUnit:
    """One unit line as a unit, every field's type checked."""
    if not isinstance(record, dict):
        raise InputError(f"{place}: a unit must be a JSON object, not {type(record).__name__}.")

    def strings(key: str, fallback: str | None = None) -> tuple[str, ...]:
        value = record.get(key)
        if value is None and fallback is not None and record.get(fallback) is not None:
            if not isinstance(record[fallback], str):  # never a unit quietly without its text
                raise InputError(
                    f"{place}: {fallback} must be a string, not {type(record[fallback]).__name__}; "
                    "the file was not imported."
                )
            return segments_from_text(record[fallback])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise InputError(f"{place}: {key} must be a list of strings.")
        return tuple(value)

    def optional_string(key: str) -> str | None:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{place}: {key} must be a string or null, not {type(value).__name__}.")
        return value

    if not any(key in record for key in ("source_segments", "target_segments", "source", "target")):
        raise InputError(f"{place}: the unit has no source_segments or target_segments; add its texts.")
    confidence = record.get("confidence")
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float) or not math.isfinite(confidence)
    ):
        raise InputError(f"{place}: confidence must be a number or null, not {confidence!r}.")
    if confidence is not None and not 0 <= confidence <= 1:
        raise InputError(f"{place}: confidence {confidence!r} is outside 0 to 1; write e.g. 0.87 or null.")
    link_number = record.get("link_number")
    if link_number is not None and (
        isinstance(link_number, bool) or not isinstance(link_number, int) or link_number < 1
    ):
        raise InputError(f"{place}: link_number must be a whole number from 1 or null, not {link_number!r}.")
    status = record.get("status") or "auto"
    if status not in STATUSES:
        raise InputError(f"{place}: status {status!r} is not one of {', '.join(STATUSES)}; correct it.")
    return TranslationUnit(
        source_segments=strings("source_segments", "source"),
        target_segments=strings("target_segments", "target"),
        source_ids=strings("source_ids"),
        target_ids=strings("target_ids"),
        confidence=None if confidence is None else float(confidence),
        status=status,
        note=optional_string("note") or "",
        changed=optional_string("changed"),
        link_number=link_number,
    )
