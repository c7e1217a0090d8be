"""Numbers and dates that differ between a source and its translation.

Numbers are compared as values, not strings: "90%" and "90 Prozent", "1.5" (English) and "1,5" (German),
"1,000" and "1.000" all agree, while an English "1,000" left as "1,000" in German (which reads as one) does
not. Dates agree when their day and year numbers do and when the month the source names ("April 22") is named
in the target ("22. April", "22 de abril").

Written by hand: the libraries at hand read numbers of one known locale (Babel, not installed) or ignore decimal
conventions altogether (translate-toolkit's pofilter, whose own code says so); a check must read each side in
its language's convention and still make sense of a number written the other way.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from workbench.checks.base import CheckContext, Finding, is_paired
from workbench.checks.text import MONTH_NAMES_EN, MONTHS, fold, fold_word, month_of, word_set
from workbench.language_id import base_language

# Languages writing a decimal comma (and grouping with "." or a space). Everything else writes a decimal point.
DECIMAL_COMMA = word_set(
    "af az be bg bs ca cs da de el es et eu fi fo fr gl hr hu hy id is it ka kk ky lb lt lv mk mn nb nl nn no oc "
    "pl pt ro ru sk sl sq sr sv tr uk uz vi"
)
# Regions that write a decimal point although their language mostly writes a comma.
DECIMAL_POINT_REGIONS = frozenset({"es-mx", "es-us", "es-419", "es-pr", "de-ch", "de-li", "fr-ch", "it-ch"})
# Languages grouping thousands with a plain space ("1 000"); a no-break or thin space groups in every language.
SPACE_GROUPING = word_set("be bg cs et fi fr hu hy ka kk lt lv nb nn no pl ru sk sq sv uk")

# Small numbers are often written as words on one side ("four municipalities", "4 Gemeinden"); a number missing
# on one side is forgiven when the other side has its word. Only forgiveness, so article-like forms are fine.
_NUMBER_WORDS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve",
    "de": "null eins|ein|eine|einen|einem|einer|eines zwei drei vier funf sechs sieben acht neun zehn elf zwolf",
    "fr": "zero un|une deux trois quatre cinq six sept huit neuf dix onze douze",
    "es": "cero uno|una|un dos tres cuatro cinco seis siete ocho nueve diez once doce",
    "pt": "zero um|uma dois|duas tres quatro cinco seis sete oito nove dez onze doze",
    "it": "zero uno|una|un due tre quattro cinque sei sette otto nove dieci undici dodici",
    "nl": "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf",
}
NUMBER_WORDS: dict[str, dict[str, int]] = {
    lang: {form: value for value, forms in enumerate(table.split()) for form in forms.split("|")}
    for lang, table in _NUMBER_WORDS.items()
}

_GROUP_SPACES = "\u00a0\u202f\u2009\u2007"  # no-break, narrow no-break, thin and figure spaces
_DAY_MONTH = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(?:(\d{2,4})(?!\d))?")  # German-style 22.4. / 22.4.2024
_AFTER_NUMBER = re.compile(r"\d(?:st|nd|rd|th|er|e|º|ª|\.)?\s*(?:(?:de|of|the)\s+)*$", re.IGNORECASE)
_BEFORE_NUMBER = re.compile(r"^,?\s*(?:(?:de|del|of|the)\s+)*\d", re.IGNORECASE)


def decimal_comma(lang: str) -> bool:
    """Whether ``lang`` (a code, regions allowed) writes decimals with a comma."""
    code = lang.strip().lower().replace("_", "-")
    return base_language(code) in DECIMAL_COMMA and code not in DECIMAL_POINT_REGIONS


def extract_numbers(text: str, lang: str) -> list[Decimal]:
    """The numeric values written in ``text``, read in the convention of ``lang``, in order of appearance."""
    text = _ascii_digits(text)
    comma = decimal_comma(lang)
    space_groups = base_language(lang) in SPACE_GROUPING
    values: list[Decimal] = []
    position = 0
    # Dates written "22.4." or "22.4.2024" where a point cannot be a decimal mark: read as a decimal, 22.4 would
    # miss the day and month a source's "April 22" has.
    pieces: list[str] = []
    for match in _DAY_MONTH.finditer(text) if comma else ():
        day, month, year = match.groups()
        if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
            continue
        pieces.append(text[position : match.start()])
        values.extend(Decimal(group) for group in (day, month, year) if group)
        position = match.end()
    pieces.append(text[position:])
    separators = r"[.,'’" + _GROUP_SPACES + (" " if space_groups else "") + "]"
    token = re.compile(r"\d+(?:" + separators + r"\d+)*")
    for piece in pieces:
        for match in token.finditer(piece):
            values.extend(_read_number(match.group(), comma))
    return [value.normalize() for value in values]


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digits(text: str) -> str:
    """Any Unicode decimal digit (Arabic-Indic, Devanagari, full-width ...) as its ASCII digit."""
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


def _read_number(token: str, comma: bool) -> Iterator[Decimal]:
    """Read one run of digits and separators; runs that are no single number (``1.2.3``) give their parts."""
    # Space grouping is valid only as 1-3 digits then groups of exactly 3 ("1 000 000"); otherwise the spaces
    # separate numbers ("In 2022 500 people").
    parts = re.split("[ " + _GROUP_SPACES + "]", token)
    if len(parts) > 1 and not (
        re.fullmatch(r"\d{1,3}", parts[0]) and all(re.fullmatch(r"\d{3}(?:[.,]\d+)?", p) for p in parts[1:])
    ):
        for part in parts:
            yield from _read_number(part, comma)
        return
    text = "".join(parts).replace("'", "").replace("’", "")
    if "." in text and "," in text:
        # Both marks: the last one is the decimal separator, the other groups thousands.
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        integer, _, fraction = text.rpartition(decimal_mark)
        yield from _decimal(integer.replace(group_mark, "") + "." + fraction, token)
        return
    mark = "." if "." in text else "," if "," in text else ""
    if not mark:
        yield from _decimal(text, token)
        return
    groups = text.split(mark)
    grouping = bool(re.fullmatch(r"\d{1,3}", groups[0])) and all(len(g) == 3 for g in groups[1:])
    if len(groups) > 2:
        if grouping:
            yield from _decimal("".join(groups), token)
        else:  # dates, section or version numbers: 29.04.2024, 1.2.3
            for group in groups:
                yield from _decimal(group, token)
        return
    is_decimal_mark = (mark == ",") == comma
    if is_decimal_mark or not grouping:
        # The language's own decimal mark, or the other mark where it cannot group thousands ("1.5" in German
        # text, as machine translation often leaves it): a decimal.
        yield from _decimal(groups[0] + "." + groups[1], token)
    else:
        yield from _decimal(groups[0] + groups[1], token)


def _decimal(text: str, original: str) -> Iterator[Decimal]:
    try:
        yield Decimal(text)
    except InvalidOperation:  # pragma: no cover - the token pattern only lets digits and one point through
        raise ValueError(f"cannot read {original!r} as a number") from None


def date_months(text: str, lang: str) -> list[int]:
    """Months named next to a number (a day or a year), the way dates are written: "April 22", "22 de abril"."""
    lang = base_language(lang)
    if lang not in MONTHS:
        return []
    months = []
    for match in re.finditer(r"[^\W\d_]+", text):
        word = match.group()
        if lang == "en" and not word[0].isupper():  # English capitalises months; lower-case "may" is a verb
            continue
        month = month_of(fold_word(word), lang)
        if month is None:
            continue
        if _AFTER_NUMBER.search(text[max(0, match.start() - 16) : match.start()]) or _BEFORE_NUMBER.search(
            text[match.end() : match.end() + 12]
        ):
            months.append(month)
    return months


def named_months(text: str, lang: str) -> set[int]:
    """Every month named anywhere in ``text`` (a date's month may be written without its number)."""
    lang = base_language(lang)
    return {m for word in re.findall(r"[^\W\d_]+", text) if (m := month_of(fold_word(word), lang)) is not None}


def _format(value: Decimal) -> str:
    return format(value, "f")


def _forgive_number_words(values: Counter[Decimal], other_text: str, other_lang: str) -> Counter[Decimal]:
    """Drop small numbers the other side writes as a word."""
    table = NUMBER_WORDS.get(base_language(other_lang))
    if not table or not values:
        return values
    written = {table[w] for w in re.findall(r"[^\W\d_]+", fold(other_text)) if w in table}
    return Counter({value: count for value, count in values.items() if value not in written})


def compare_numbers(source: str, target: str, source_lang: str, target_lang: str) -> dict[str, list[str]]:
    """What differs: numbers missing from / extra in the target, months missing / extra. Empty lists: agreement."""
    source_values = Counter(extract_numbers(source, source_lang))
    target_values = Counter(extract_numbers(target, target_lang))
    missing = _forgive_number_words(source_values - target_values, target, target_lang)
    extra = _forgive_number_words(target_values - source_values, source, source_lang)
    result = {
        "missing": [_format(v) for v in sorted(missing.elements())],
        "extra": [_format(v) for v in sorted(extra.elements())],
        "missing_months": [],
        "extra_months": [],
    }
    # Months compare only where both languages' month names are known.
    if base_language(source_lang) in MONTHS and base_language(target_lang) in MONTHS:
        target_named = named_months(target, target_lang)
        source_named = named_months(source, source_lang)
        result["missing_months"] = sorted(
            {MONTH_NAMES_EN[m - 1] for m in date_months(source, source_lang) if m not in target_named},
            key=MONTH_NAMES_EN.index,
        )
        result["extra_months"] = sorted(
            {MONTH_NAMES_EN[m - 1] for m in date_months(target, target_lang) if m not in source_named},
            key=MONTH_NAMES_EN.index,
        )
    return result


# The app checks a whole document again after every edit; only the edited links are new text.
_compare_cached = functools.lru_cache(maxsize=1 << 16)(compare_numbers)


def check_numbers(context: CheckContext) -> Iterator[Finding]:
    """Flag links whose numbers or date months differ between source and target."""
    for index, unit in enumerate(context.units):
        if not is_paired(unit):
            continue
        cached = _compare_cached(unit.source, unit.target, context.source_lang, context.target_lang)
        if not any(cached.values()):
            continue
        diff = {key: list(values) for key, values in cached.items()}  # the finding's own, not the cache's
        parts = []
        if diff["missing"]:
            parts.append(f"{', '.join(diff['missing'])} in the source {_missing_verb(diff['missing'])} the target")
        if diff["extra"]:
            parts.append(f"{', '.join(diff['extra'])} in the target {_extra_verb(diff['extra'])} in the source")
        if diff["missing_months"]:
            parts.append(f"the source's date in {', '.join(diff['missing_months'])} has no such month in the target")
        if diff["extra_months"]:
            parts.append(f"the target's date in {', '.join(diff['extra_months'])} has no such month in the source")
        yield Finding("numbers", "error", "Numbers differ: " + "; ".join(parts) + ".", index, diff)


def _missing_verb(values: list[str]) -> str:
    return "is missing from" if len(values) == 1 else "are missing from"


def _extra_verb(values: list[str]) -> str:
    return "is not" if len(values) == 1 else "are not"
