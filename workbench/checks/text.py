"""Text helpers the checks share: folding for matching across spelling conventions, words, scripts, month names."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")

# Scripts whose words are separated by spaces; elsewhere (Chinese, Japanese, Thai ...) or where particles and
# prefixes attach to words (Korean, Arabic, Hebrew), a term may sit inside a longer run of letters.
SPACED_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "DIGIT"})


def word_set(text: str) -> frozenset[str]:
    """The space-separated words of a literal, for tables of codes and words that read better as one line."""
    return frozenset(text.split())


# The accents of Latin, Greek and Cyrillic letters (the combining diacritical mark blocks). Vowel signs of Indic
# and other scripts are combining marks too, but dropping them would merge different words, so they stay.
_ACCENTS = {
    code: None
    for first, last in ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
    for code in range(first, last + 1)
}


def fold(text: str) -> str:
    """Case- and accent-folded text: ``Sérvia`` and ``servia`` compare equal, so do ``ß`` and ``ss``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text).translate(_ACCENTS)
    return unicodedata.normalize("NFC", decomposed.casefold())


@functools.lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """:func:`fold` for one word, cached: a document repeats its words, and checks fold every word they look at."""
    return fold(word)


def words(text: str) -> list[str]:
    """The runs of letters in ``text`` (hyphens, apostrophes, digits and spaces separate words)."""
    return WORD.findall(unicodedata.normalize("NFC", text))


def letter_count(text: str) -> int:
    return len(_LETTER.findall(text))


@functools.lru_cache(maxsize=1 << 12)  # a document's letters come from a small alphabet; names are looked up
def script_of(char: str) -> str:
    """The Unicode script of a character, as the first word of its name (``LATIN``, ``CYRILLIC``, ``CJK`` ...)."""
    if char.isdigit():
        return "DIGIT"
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def dominant_script(text: str, sample: int = 5000) -> str:
    """The script most of the letters of ``text`` are written in, or '' for text without letters.

    Judged on about ``sample`` letters spread evenly over the text: a whole document's worth adds nothing, and
    finding every letter of a 5,000-link document took a quarter of a second.
    """
    stride = max(1, len(text) // (2 * sample))  # about half of a text's characters are letters or more
    letters = _LETTER.findall(text[::stride])
    scripts = Counter(script_of(c) for c in letters[:: max(1, len(letters) // sample)])
    return scripts.most_common(1)[0][0] if scripts else ""


def term_pattern(term: str, *, allow_suffix: bool = False) -> re.Pattern[str]:
    """A pattern finding ``term`` (already folded) as whole words in folded text.

    Word boundaries are required only where the script separates words with spaces. ``allow_suffix`` lets the
    last word continue (German ``Sicherheitsrats`` for ``Sicherheitsrat``, ``Kosovos`` for ``Kosovo``) and each
    earlier word take an ending of up to three letters (``Vereinten Nationen`` for ``Vereinte Nationen``).
    """
    inner_ending = r"[^\W\d_]{0,3}" if allow_suffix else ""
    body = (inner_ending + r"\s+").join(re.escape(part) for part in term.split())
    before = r"(?<![^\W_])" if term and script_of(term[0]) in SPACED_SCRIPTS else ""
    after = "" if allow_suffix or not term or script_of(term[-1]) not in SPACED_SCRIPTS else r"(?![^\W_])"
    return re.compile(before + body + after)


# Month names, folded, by language: enough to tell that "22. April" names the month "April 22" does. Languages
# missing here simply get no month comparison.
def _months(names: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(month.split("|")) for month in names.split())


MONTHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": _months("january february march april may june july august september october november december"),
    "de": _months("januar|janner februar|feber marz april mai juni juli august september oktober november dezember"),
    "fr": _months("janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre"),
    "es": _months("enero febrero marzo abril mayo junio julio agosto septiembre|setiembre octubre noviembre diciembre"),
    "pt": _months("janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro"),
    "it": _months("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"),
    "nl": _months("januari februari maart april mei juni juli augustus september oktober november december"),
    "ca": _months("gener febrer marc abril maig juny juliol agost setembre octubre novembre desembre"),
    "pl": _months(
        "styczen|stycznia luty|lutego marzec|marca kwiecien|kwietnia maj|maja czerwiec|czerwca lipiec|lipca "
        "sierpien|sierpnia wrzesien|wrzesnia pazdziernik|pazdziernika listopad|listopada grudzien|grudnia"
    ),
}
MONTH_NAMES_EN = tuple(m[0].capitalize() for m in MONTHS["en"])


_MONTH_INDEX: dict[str, dict[str, int]] = {
    lang: {form: number for number, forms in enumerate(months, start=1) for form in forms}
    for lang, months in MONTHS.items()
}


def month_of(word: str, lang: str) -> int | None:
    """The month (1-12) a folded word names in ``lang``, or None."""
    return _MONTH_INDEX.get(lang, {}).get(word)
