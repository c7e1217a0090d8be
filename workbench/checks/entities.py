"""Countries, organisations of countries and languages named in a link, recognised across languages.

A country swapped for another ("Serbia urged Kosovo" -> "Croacia instó a Kosovo") keeps every name check happy
when the swapped-in name is a name too, and a country added or dropped is easy to miss for a check that only
compares spellings. Here each side's place and language names are looked up in the Unicode CLDR locale data
(Babel's ``Locale(lang).territories`` and ``.languages``), which names every country in every language that
matters here, so "Serbia", "Sérvia" and "Serbien" are all ``RS`` and "German", "alemão" and "Deutsch" are all
``de``: a well-kept multilingual list rather than one written by hand, with every language's spelling and
inflection of it.

Per link, a name counts as *stated* on a side when a CLDR name (or an inflection of it, up to two letters more:
"Serbiens", "Vereinigten") is there; as *mentioned* when it is stated, or a word starts with the first letters
of its name in that language ("serbio", "Serbs" for Serbia; "kosovarischen" for Kosovo), or its ISO code stands
in capitals (US, EU). Then:

- a country stated in the source and not mentioned in the target is *missing* (a warning);
- a country or language stated in the target and not mentioned in the source is *added* (a warning);
- both at once is a *swap* (an error): the link says something about another country than its source.

Languages are judged only as added or swapped, never as missing: they stand for nationalities in adjectives that
a translation may well express otherwise ("German Chancellor" -> "Bundeskanzler"). Only languages wordfreq knows
(40-odd major ones) are looked up, because CLDR also names hundreds of small languages whose names are common
words elsewhere ("ido" is Spanish for "gone"). A name CLDR capitalises is stated only where it is capitalised
("turkey", "jersey", "polish" and Portuguese "reunião", a meeting, are words too); language names CLDR writes in
lower case (Spanish "alemán", French "anglais") match in either case.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from wordfreq import available_languages

from workbench.checks.base import CheckContext, Finding, is_paired
from workbench.checks.text import WORD, fold_word

# CLDR territory codes that are no place a sentence names as a country: unknown, outlying Oceania, the euro area
# (its name "Eurozone" is fine, but "euro" prefixes too much), and the pseudo-regions.
_NOT_COUNTRIES = frozenset({"ZZ", "QO", "EZ", "XA", "XB"})
#: Extra letters a word may have beyond a CLDR name and still state it (Serbiens, Kosovos, Vereinigten).
INFLECTION_LETTERS = 2
#: A word starting with this share of a name's letters (at least 4) mentions it (serbio, Serbs, kosovarischen,
#: Japaner for Japanisch).
MENTION_STEM_SHARE = 0.5


@dataclass(frozen=True)
class _Lexicon:
    """One language's CLDR names: folded word tuples -> code ("T:RS" a territory, "L:de" a language)."""

    names: dict[tuple[str, ...], str]
    first_words: frozenset[str]  # every name's first word, to skip most words quickly
    capitalised: frozenset[str]  # the codes whose name CLDR capitalises: stated only where capitalised in text
    longest: int  # words in the longest name
    stems: dict[str, tuple[str, ...]]  # code -> stems of its names, for mentions
    display: dict[str, str]  # code -> the name as CLDR writes it in this language


@functools.cache
def lexicon(lang: str) -> _Lexicon | None:
    """The CLDR country and language names of ``lang`` (a base code), or None where CLDR has no such locale."""
    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return None
    entries: dict[str, str] = {}
    for code, name in locale.territories.items():
        if code.isalpha() and code not in _NOT_COUNTRIES:
            entries.setdefault(name, f"T:{code}")
    checked = set(available_languages())
    for code, name in locale.languages.items():
        if code in checked and "_" not in code:
            entries.setdefault(name, f"L:{code}")
    names: dict[tuple[str, ...], str] = {}
    stems: dict[str, set[str]] = {}
    display: dict[str, str] = {}
    for name, code in entries.items():
        words = tuple(fold_word(w) for w in WORD.findall(name))
        if not words or (len(words) == 1 and len(words[0]) < 4):  # "Ga", "Yi": too short to tell from words
            continue
        names.setdefault(words, code)
        display.setdefault(code, name)
        if len(words) == 1:
            stems.setdefault(code, set()).add(words[0][: max(4, math.ceil(MENTION_STEM_SHARE * len(words[0])))])
    return _Lexicon(
        names,
        frozenset(w[0] for w in names),
        frozenset(code for code, name in display.items() if name[:1].isupper()),
        max(len(w) for w in names),
        {code: tuple(sorted(s)) for code, s in stems.items()},
        display,
    )


@functools.lru_cache(maxsize=1 << 16)
def stated(text: str, lang: str) -> frozenset[str]:
    """The codes whose CLDR name in ``lang`` stands in ``text`` (longest names first). Remembered by text: the app
    checks a whole document again after every edit."""
    lex = lexicon(lang)
    if lex is None:
        return frozenset()
    written = WORD.findall(text)
    folded = [fold_word(w) for w in written]
    found: set[str] = set()
    k = 0
    while k < len(folded):
        match = 0
        if not any(form in lex.first_words for form in _forms(folded[k])):
            k += 1
            continue
        for size in range(min(lex.longest, len(folded) - k), 0, -1):
            code = _lookup(lex, folded[k : k + size])
            if code and not (code in lex.capitalised and not written[k][0].isupper()):
                found.add(code)
                match = size
                break
        k += max(match, 1)
    return frozenset(found)


def _forms(word: str) -> tuple[str, ...]:
    """A word and what it is without up to two letters of inflection (Vereinigten -> vereinigte)."""
    return (word, *(word[:-cut] for cut in range(1, INFLECTION_LETTERS + 1) if len(word) - cut >= 4))


def _lookup(lex: _Lexicon, words: list[str]) -> str | None:
    """The code of a name these words state, exactly or inflected (each word up to two letters longer)."""
    exact = lex.names.get(tuple(words))
    if exact:
        return exact
    for combination in itertools.product(*(_forms(w) for w in words)):
        code = lex.names.get(combination)
        if code:
            return code
    return None


@functools.lru_cache(maxsize=1 << 16)
def _mentioned(text: str, lang: str, codes: frozenset[str]) -> frozenset[str]:
    """Which of ``codes`` ``text`` mentions: stated, a word with a name's first letters, or the code in capitals."""
    lex = lexicon(lang)
    if lex is None:
        return codes  # nothing to look for: say everything is there rather than guess
    here = stated(text, lang)
    written = WORD.findall(text)
    capitals = {w for w in written if w.isupper()}
    folded = {fold_word(w) for w in written}

    def mentions(code: str) -> bool:
        stems = lex.stems.get(code, ())
        return code in here or code[2:] in capitals or any(w.startswith(s) for s in stems for w in folded)

    return frozenset(code for code in codes if mentions(code))


def _names(codes: set[str], lang: str) -> list[str]:
    lex = lexicon(lang)
    return sorted(lex.display.get(code, code[2:]) if lex else code[2:] for code in codes)


def check_entities(context: CheckContext) -> Iterator[Finding]:
    """Flag links whose target names another country or language than their source, or drops a country."""
    source_lang, target_lang = context.source_base, context.target_base
    if lexicon(source_lang) is None or lexicon(target_lang) is None:
        return
    for index, unit in enumerate(context.units):
        if not is_paired(unit):
            continue
        in_source, in_target = stated(unit.source, source_lang), stated(unit.target, target_lang)
        if in_source == in_target:
            continue
        missing = {c for c in in_source - in_target if c.startswith("T:")}
        missing -= _mentioned(unit.target, target_lang, frozenset(missing))
        added = set(in_target - in_source)
        added -= _mentioned(unit.source, source_lang, frozenset(added))
        if not missing and not added:
            continue
        lost, gained = _names(missing, source_lang), _names(added, target_lang)
        if missing and added:
            severity, message = "error", f"The target names {', '.join(gained)} where the source has {', '.join(lost)}."
        elif added:
            severity, message = "warning", f"The target names {', '.join(gained)}, which the source does not."
        else:
            severity, message = "warning", f"The source names {', '.join(lost)}, which the target does not."
        yield Finding("entities", severity, message, index, {"missing": lost, "added": gained})
