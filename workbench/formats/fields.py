"""How a unit's fields become strings and back, the same way in every format that writes them as text.

Every format needs the same few decisions, so they are made here once:

- ids are joined by single spaces (sentence ids such as ``p3s2`` never hold one, and a space-separated list
  reads well in a spreadsheet); an id that is empty or holds whitespace is refused at export, not mangled;
- a confidence is written with ``repr`` so that a float comes back bit for bit, and must be finite;
- a status is one of :data:`~workbench.formats.units.STATUSES`;
- a unit's id in formats that have one is its link number when it has one, else its 1-based place
  (:func:`unit_ids`), unique in the file;
- a side's text is the join of its segments; reading a format that keeps only the join gives one segment, or
  none for an empty side, so a 0-1 or 1-0 unit stays one.

Every check raises :class:`~workbench.errors.InputError` naming the unit (1-based, in corpus order) and saying
what to do, because a message like "ValueError: All strings must be XML compatible" helps nobody.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from workbench.errors import InputError
from workbench.formats.units import STATUSES, ParallelCorpus, TranslationUnit
from workbench.language_tags import TAG_RE, base_language, is_tag, normalise_tag, tag_key

#: A language tag as it may appear in a file name and an ``xml:lang`` (:mod:`workbench.language_tags`).
LANG_RE = TAG_RE

# Lone surrogates can sit in a Python string (e.g. text decoded with surrogateescape) but no UTF-8 file holds them.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Characters XML 1.0 forbids even as character references: C0 controls other than tab, LF and CR, U+FFFE/U+FFFF.
XML_ILLEGAL_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def describe_char(char: str) -> str:
    """``U+000B`` style name of a character, so messages show invisible ones."""
    return f"U+{ord(char):04X}"


def check_lang(lang: str, role: str) -> str:
    """``lang`` in its one spelling (``zh_Hant`` -> ``zh-Hant``) if it is a usable language tag, else refuse it."""
    if not is_tag(lang):
        raise InputError(
            f"The {role} language {lang!r} is not a language tag; use a code such as 'en', 'de' or 'pt-BR'."
        )
    return normalise_tag(lang)


def check_corpus(
    corpus: ParallelCorpus, fmt: str, *, space_free_ids: bool = True, xml_texts: bool = False, xml_fields: bool = False
) -> None:
    """Refuse, before anything is written, a corpus that ``fmt`` cannot carry faithfully.

    ``xml_texts``/``xml_fields``: the sentences / the note, ids and time go into XML as plain text, where the
    characters XML 1.0 forbids cannot be written at all (XLIFF 2.0 passes ``xml_texts=False``: it writes them
    as ``<cp>`` elements).
    """
    check_lang(corpus.source_lang, "source")
    check_lang(corpus.target_lang, "target")
    check_text(corpus.name, "The corpus name", fmt, xml=xml_fields)
    for number, unit in enumerate(corpus.units, start=1):
        check_unit(unit, number, fmt, space_free_ids=space_free_ids, xml_texts=xml_texts, xml_fields=xml_fields)


def check_unit(
    unit: TranslationUnit, number: int, fmt: str, *, space_free_ids: bool, xml_texts: bool, xml_fields: bool
) -> None:
    """Refuse one unit that ``fmt`` cannot carry; ``number`` is its 1-based place, for the message."""
    where = f"Unit {number}"
    if unit.status not in STATUSES:
        raise InputError(f"{where}: status {unit.status!r} is not one of {', '.join(STATUSES)}; fix it before export.")
    link = unit.link_number
    if link is not None and (isinstance(link, bool) or not isinstance(link, int) or link < 1):
        raise InputError(f"{where}: link number {link!r} is not a whole number from 1; fix it before export.")
    confidence = unit.confidence
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float) or not math.isfinite(confidence)
    ):
        raise InputError(f"{where}: confidence {confidence!r} is not a finite number; set it to a number or None.")
    for side, ids in (("source", unit.source_ids), ("target", unit.target_ids)):
        for sentence_id in ids:
            if not isinstance(sentence_id, str) or not sentence_id:
                raise InputError(f"{where}: {side} id {sentence_id!r} is empty or not text; give every id a name.")
            if space_free_ids and any(c.isspace() for c in sentence_id):
                raise InputError(
                    f"{where}: {side} id {sentence_id!r} holds whitespace, which {fmt} uses to separate ids; "
                    "rename it (e.g. with '_') or export as JSONL."
                )
    fields: list[tuple[str, str, bool]] = [
        *((f"source sentence {k}", text, xml_texts) for k, text in enumerate(unit.source_segments, start=1)),
        *((f"target sentence {k}", text, xml_texts) for k, text in enumerate(unit.target_segments, start=1)),
        ("note", unit.note, xml_fields),
        ("change time", unit.changed or "", xml_fields),
        *(("source id", i, xml_fields) for i in unit.source_ids),
        *(("target id", i, xml_fields) for i in unit.target_ids),
    ]
    for label, text, xml in fields:
        check_text(text, f"{where}: the {label}", fmt, xml=xml)


def unit_ids(units: Sequence[TranslationUnit]) -> list[str]:
    """The id each unit is written with: its link number (what people see in the project), else its 1-based place.

    Refuses ids that repeat (units from two targets mixed, say), which formats with unit ids do not allow.
    """
    ids: list[str] = []
    seen: dict[str, int] = {}
    for number, unit in enumerate(units, start=1):
        unit_id = str(number if unit.link_number is None else unit.link_number)
        if unit_id in seen:
            raise InputError(
                f"Unit {number}: its id {unit_id} is also unit {seen[unit_id]}'s; a file's unit ids must differ, so "
                "export one target's links at a time."
            )
        seen[unit_id] = number
        ids.append(unit_id)
    return ids


def parse_link_number(text: str | None, where: str) -> int | None:
    """Read a link number written by an export (a whole number from 1); empty means none."""
    if text is None or not text.strip():
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise InputError(f"{where}: link number {text.strip()[:40]!r} is not a whole number from 1; correct it.")
    return int(text)


def check_text(text: str, what: str, fmt: str, *, xml: bool) -> None:
    """Refuse a string no UTF-8 file can hold, or (``xml``) one XML 1.0 cannot; ``what`` names it in the message."""
    if not isinstance(text, str):
        raise InputError(f"{what} is {type(text).__name__}, not text; fix it before export.")
    if match := _SURROGATE_RE.search(text):
        raise InputError(
            f"{what} holds an unpaired surrogate {describe_char(match.group())} at character {match.start() + 1}, "
            "which no UTF-8 file can hold; the text was mis-decoded, so read its document again."
        )
    if xml and (match := XML_ILLEGAL_RE.search(text)):
        raise InputError(
            f"{what} holds the control character {describe_char(match.group())} at character {match.start() + 1}, "
            f"which XML 1.0 cannot carry in {fmt}; remove or replace it, or export as XLIFF 2.0, JSONL or TSV, "
            "which carry it."
        )


def join_ids(ids: Iterable[str]) -> str:
    """Ids as one space-separated string (checked by :func:`check_unit` to hold no spaces)."""
    return " ".join(ids)


def split_ids(text: str | None) -> tuple[str, ...]:
    """The inverse of :func:`join_ids`; any run of whitespace separates, so hand-edited lists read too."""
    return tuple(text.split()) if text else ()


def format_confidence(confidence: float | None) -> str:
    """A confidence as text that reads back to the same float; empty for none."""
    return "" if confidence is None else repr(float(confidence))


def unit_fields(unit: TranslationUnit, *, status: bool = True) -> dict[str, str]:
    """A unit's own fields besides its texts, as the XML formats write them (TMX props, XLIFF attributes in the
    workbench namespace), in that order, empty ones left out; ``status=False`` for XLIFF, which has its own
    attribute for it."""
    values = {
        "confidence": format_confidence(unit.confidence),
        "status": unit.status if status else "",
        "source-ids": join_ids(unit.source_ids),
        "target-ids": join_ids(unit.target_ids),
        "changed": unit.changed or "",
        "link-number": "" if unit.link_number is None else str(unit.link_number),
    }
    return {name: value for name, value in values.items() if value}


def parse_confidence(text: str | None, where: str) -> float | None:
    """Read a confidence written by :func:`format_confidence` (or by hand); empty means none."""
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(
            f"{where}: confidence {text.strip()[:40]!r} is not a number; write e.g. 0.87 or leave it empty."
        )
    if not 0 <= value <= 1:  # a confidence is a share: 7 would show as 7.00 and sort above every real one
        raise InputError(f"{where}: confidence {text.strip()[:40]!r} is outside 0 to 1; write e.g. 0.87.")
    return value


def parse_status(text: str | None, where: str) -> str:
    """Read a status; empty means the default ``auto``."""
    if text is None or not text.strip():
        return "auto"
    status = text.strip().lower()
    if status not in STATUSES:
        raise InputError(f"{where}: status {text.strip()[:40]!r} is not one of {', '.join(STATUSES)}; correct it.")
    return status


def segments_from_text(text: str | None) -> tuple[str, ...]:
    """A side read from a format that keeps only the joined text: one segment, or none when empty."""
    return (text,) if text else ()


def joined(unit: TranslationUnit) -> TranslationUnit:
    """``unit`` as a format that keeps only the joined text gives it back (the n-m inner structure folded)."""
    return TranslationUnit(
        source_segments=segments_from_text(unit.source),
        target_segments=segments_from_text(unit.target),
        source_ids=unit.source_ids,
        target_ids=unit.target_ids,
        confidence=unit.confidence,
        status=unit.status,
        note=unit.note,
        changed=unit.changed,
        link_number=unit.link_number,
    )


def normalise_lang(lang: str) -> str:
    """A language tag in the form used to compare tags (``pt_BR`` and ``PT-br`` are the same language)."""
    return tag_key(lang)


def pick_lang(asked: str | None, present: dict[str, str], role: str, where: str) -> str | None:
    """The file's spelling of the language asked for, from ``present`` (normalised tag -> spelling).

    An exact match wins; else the one language sharing the asked one's base (``de`` finds ``de-DE`` when it
    is the only German). None when nothing was asked; an error listing the languages when nothing matches.
    """
    if asked is None:
        return None
    key = normalise_lang(asked)
    if key in present:
        return present[key]
    base = base_language(key)
    matches = [lang for norm, lang in present.items() if base_language(norm) == base]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(present.values()) or "no languages"
    raise InputError(f"{where} has no {role} language {asked!r}; it holds {listed}. Pass one of those.")


def decode_utf8(data: bytes, where: str) -> str:
    """``data`` as UTF-8 text (a BOM is dropped); an error names the line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{where}, line {line}: not UTF-8 text; re-save the file as UTF-8.") from None
