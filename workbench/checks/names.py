"""Names in the source that the translation lost.

A name is a capitalised word or run of words not at the start of a sentence (Fu Cong, Emmanuel Macron, Serbia),
or a sentence-initial word the rest of the source writes capitalised mid-sentence too (Kosovo). Words the source
also writes in lower case are common words ("Resolution 1244" next to "a resolution"), months are the numbers
check's business, and two-letter acronyms (US, UN, EU) are too often localised (USA, ONU, UE) to count alone.

A name is found in the target through case and accent folding and a shared stem, because translations inflect
and adapt names (Kosovo -> Kosovos, kosovarischen; Serbia -> Serbien, Sérvia; NATO -> OTAN). A name's word that no
target has in any of the two or more links it occurs in is taken as consistently translated (Assembly ->
Versammlung, Security Council -> Sicherheitsrat), not lost. German capitalises every noun, so for a German
source a word counts as a name only where the target keeps it somewhere.

Written by hand: no offline named-entity recogniser is installed, and one would still need this matching.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from workbench.checks.base import CheckContext, CheckThresholds, Finding, is_paired
from workbench.checks.entities import lexicon
from workbench.checks.text import WORD, dominant_script, fold_word, month_of, word_set

# Lower-case words that may join the words of one name: Council of Europe, Institute for ..., Luiz Inácio Lula da
# Silva, Ludwig van Beethoven.
CONNECTORS = word_set("of the for de del della di da do dos das du des la le von van der den al el bin ibn")
# Capitalised in English, translated (and lower-cased) elsewhere: weekdays, and the adjectives of languages,
# peoples and compass points whose translations share no stem with them (English -> inglês, anglais; German ->
# alemão, deutsch; Western -> ocidental, westlich). Adjectives that keep their stem (European -> europeia) need
# no entry.
_TRANSLATED_EN = word_set(
    "monday tuesday wednesday thursday friday saturday sunday "
    "english french german dutch greek swiss welsh irish scottish spanish chinese japanese turkish arabic "
    "hungarian finnish danish norwegian swedish icelandic czech polish persian hebrew "
    "western eastern northern southern"
)
# Source languages that capitalise every noun: capitals say nothing there about names.
NOUN_CAPITALISING = frozenset({"de", "lb"})
_OPENING = "\"“„«‹‘‚'([{¿¡-–—•*"
_CLOSING = "\"”»›’')]}"


@dataclass(frozen=True)
class Name:
    """One name as written in one link's source; ``members`` are its folded capitalised words."""

    text: str
    members: tuple[str, ...]
    acronyms: tuple[str, ...]  # the members written all in capitals
    candidates: tuple[str, ...]  # the members that make it a name (not months, common words, US/UN/EU)

    @property
    def key(self) -> str:
        return " ".join(self.members)


def _is_initial(segment: str, start: int) -> bool:
    """Whether the word at ``start`` begins a sentence (after quotes, brackets, list numbers)."""
    before = segment[:start].rstrip().rstrip(_OPENING).rstrip()
    if not before:
        return True
    before = before.rstrip(_CLOSING)
    return bool(before) and before[-1] in ".!?:…"


class _Token(NamedTuple):
    """One word of a source sentence and what can be said of it without the rest of the document."""

    start: int
    end: int
    word: str
    folded: str
    breaks: bool  # punctuation other than a hyphen or an apostrophe since the word before
    initial: bool  # capitalised and at the start of a sentence (False for words in lower case)


@functools.lru_cache(maxsize=1 << 16)
def _tokens(segment: str) -> tuple[bool, tuple[_Token, ...], tuple[str, ...]]:
    """Whether a sentence is a heading, its words, and its capitalised words of two letters or more (folded).

    Remembered, because the app checks a whole document again after every edit and only the edited sentences are
    new (the scan is most of this check's time).
    """
    tokens = []
    previous_end = 0
    for match in WORD.finditer(segment):
        word, start = match.group(), match.start()
        breaks = bool(segment[previous_end:start].strip(" -\u00a0'’"))
        previous_end = match.end()
        initial = word[0].isupper() and _is_initial(segment, start)
        tokens.append(_Token(start, match.end(), word, fold_word(word), breaks, initial))
    capitals = tuple(t.folded for t in tokens if t.word[0].isupper() and len(t.word) >= 2)
    return _is_heading(segment), tuple(tokens), capitals


@dataclass(frozen=True)
class _SourceVocabulary:
    """What the whole source says about its words: seen in lower case, seen capitalised mid-sentence."""

    lower: frozenset[str]
    capitalised_inside: frozenset[str]


@functools.lru_cache(maxsize=1 << 16)
def _segment_vocabulary(segment: str) -> tuple[frozenset[str], frozenset[str]]:
    tokens = _tokens(segment)[1]
    lower = frozenset(t.folded for t in tokens if t.word[0].islower())
    inside = frozenset(t.folded for t in tokens if t.word[0].isupper() and not t.initial)
    return lower, inside


def source_vocabulary(segments: Sequence[str]) -> _SourceVocabulary:
    """What the source writes in lower case and what it capitalises inside a sentence (the names' evidence)."""
    per_segment = [_segment_vocabulary(segment) for segment in segments]
    return _SourceVocabulary(
        frozenset().union(*(lower for lower, _ in per_segment)),
        frozenset().union(*(inside for _, inside in per_segment)),
    )


def _is_heading(segment: str) -> bool:
    """All capitals, or Title Case without a full stop: headings capitalise words that are no names."""
    if segment.isupper():
        return True
    if segment.rstrip().rstrip(_CLOSING)[-1:] in (".", "!", "?", "…"):
        return False  # a sentence, however many names it holds
    long_words = [w for w in WORD.findall(segment) if len(w) >= 4]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)


def find_names(segment: str, lang: str, vocabulary: _SourceVocabulary) -> list[Name]:
    """The names in one source sentence."""
    return list(_names_given(segment, lang, _evidence(segment, vocabulary)))


def _evidence(segment: str, vocabulary: _SourceVocabulary) -> tuple[tuple[bool, bool], ...]:
    """All the document tells about a sentence's capitalised words: for each, whether the document capitalises it
    inside a sentence and whether it writes it in lower case. With it a sentence's names can be remembered."""
    inside, lower = vocabulary.capitalised_inside, vocabulary.lower
    return tuple((w in inside, w in lower) for w in _tokens(segment)[2])


@functools.lru_cache(maxsize=1 << 16)
def _names_given(segment: str, lang: str, evidence: tuple[tuple[bool, bool], ...]) -> tuple[Name, ...]:
    """The names in a sentence, given for each capitalised word whether the document capitalises it inside a
    sentence and whether it writes it in lower case."""
    heading, tokens, _ = _tokens(segment)
    if heading:
        return ()
    known = iter(evidence)
    names: list[Name] = []
    members: list[_Token] = []
    candidate_members: list[bool] = []
    pending_connectors = 0

    def close() -> None:
        nonlocal members, candidate_members, pending_connectors
        candidates = tuple(t.folded for t, candidate in zip(members, candidate_members, strict=True) if candidate)
        if candidates:
            words = tuple(t.folded for t in members)
            acronyms = tuple(t.folded for t in members if t.word.isupper() and len(t.word) >= 2)
            names.append(Name(segment[members[0].start : members[-1].end], words, acronyms, candidates))
        members, candidate_members, pending_connectors = [], [], 0

    for token in tokens:
        word, folded = token.word, token.folded
        if members and token.breaks:  # punctuation other than a hyphen or an apostrophe ends a name
            close()
        if word[0].isupper() and len(word) >= 2:
            capitalised_inside, in_lower_case = next(known)
            if token.initial and not capitalised_inside:
                if members:
                    close()
                continue
            acronym = word.isupper()
            candidate = (
                not (acronym and len(word) <= 2)
                and not (in_lower_case and not (acronym and len(word) >= 3))
                and month_of(folded, lang) is None
                and not (lang == "en" and folded in _TRANSLATED_EN)
            )
            members.append(token)
            candidate_members.append(candidate)
            pending_connectors = 0
        elif members and folded in CONNECTORS and pending_connectors < 2:
            pending_connectors += 1
        elif members:
            close()
    close()
    return tuple(names)


_SPELLINGS = (("ph", "f"), ("th", "t"), ("k", "c"), ("w", "v"), ("b", "v"), ("y", "i"))


@functools.lru_cache(maxsize=1 << 16)
def _spelling_key(word: str) -> str:
    """A folded word with spelling variants merged (Balkans/Balcanes, Serbian/sérvio) and doubled letters single."""
    for written, said in _SPELLINGS:
        word = word.replace(written, said)
    return re.sub(r"(.)\1", r"\1", word)


def _acronym_matches(acronym: str, target_acronyms: Sequence[str]) -> bool:
    """Acronyms reorder and sometimes gain a letter across languages: NATO -> OTAN, EU -> UE, UN -> ONU."""
    letters = set(acronym)
    return any(letters <= set(other) and len(acronym) <= len(other) <= len(acronym) + 1 for other in target_acronyms)


def _word_matches(word: str, target_words: Sequence[str], thresholds: CheckThresholds) -> bool:
    if word in target_words:
        return True
    if len(word) <= 3:  # short words: only themselves
        return False
    stem = word[: max(4, math.ceil(thresholds.names_stem_share * len(word)))]
    for candidate in target_words:
        if candidate.startswith(stem) or (len(stem) >= 5 and stem in candidate):  # inflection, compounds
            return True
    for candidate in target_words:  # spelling adapted: Serbia -> Sérvia, Ukraine -> Ucrânia
        if candidate[:3] == word[:3] and len(candidate) >= 4:
            similar = difflib.SequenceMatcher(None, word, candidate[: len(word) + 1]).ratio()
            if similar >= thresholds.names_min_similarity:
                return True
    return False


@functools.lru_cache(maxsize=1 << 16)
def target_vocabulary(target: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A target's words as matching keys, and its acronyms folded: computed once per text."""
    words = WORD.findall(target)
    keys = tuple(_spelling_key(fold_word(w)) for w in words)
    return keys, tuple(fold_word(w) for w in words if w.isupper() and len(w) >= 2)


@functools.lru_cache(maxsize=1 << 16)
def _matches_in(name: Name, target: str, thresholds: CheckThresholds) -> tuple[tuple[str, bool], ...]:
    """:func:`member_matches` of a name in a target text, remembered (the app re-checks unchanged links)."""
    return tuple(member_matches(name, target_vocabulary(target), thresholds).items())


def member_matches(
    name: Name, target: tuple[Sequence[str], Sequence[str]], thresholds: CheckThresholds
) -> dict[str, bool]:
    """For each word of ``name``, whether the target has it (inflected, respelt, or as a reordered acronym)."""
    target_words, target_acronyms = target
    return {
        member: _word_matches(_spelling_key(member), target_words, thresholds)
        or (member in name.acronyms and _acronym_matches(member, target_acronyms))
        for member in name.members
    }


def name_in_target(name: Name, target: str, thresholds: CheckThresholds) -> bool:
    """Whether any word of ``name`` is found in ``target`` (any one will do: "Macron" for "Emmanuel Macron")."""
    return any(member_matches(name, target_vocabulary(target), thresholds).values())


#: A name's word this common in the source language (wordfreq's Zipf frequency: "president" 5.5, "council" 5.1,
#: "chancellor" 4.1; names: "Macron" 3.0, "Scholz" 2.3, "Serbia" 3.7) is a title or a common word inside the name.
TITLE_WORD_MIN_ZIPF = 4.0


@functools.lru_cache(maxsize=1 << 16)
def title_word(word: str, lang: str) -> bool:
    """Whether a name's (folded) word is a common word of ``lang``, such as a title, that a translation keeps
    whether or not it keeps the name: "French President Emmanuel Macron" is not there when only "Presidente" is."""
    from workbench.checks.untranslated_words import has_word_frequencies, zipf  # imports this module

    return has_word_frequencies(lang) and zipf(word, lang) >= TITLE_WORD_MIN_ZIPF


@functools.lru_cache(maxsize=1 << 16)
def _link_names(
    segments: tuple[str, ...],
    target: str,
    lang: str,
    evidence: tuple[tuple[tuple[bool, bool], ...], ...],
    thresholds: CheckThresholds,
) -> tuple[tuple[tuple[Name, bool], ...], frozenset[str], frozenset[str]]:
    """One link's names, each with whether the target has it, and the name words it holds and keeps (for the
    document's consistency counts). Remembered: the app checks a whole document again after every edit."""
    names = [n for segment, known in zip(segments, evidence, strict=True) for n in _names_given(segment, lang, known)]
    seen: set[str] = set()
    matched: set[str] = set()
    results = []
    for name in {name.key: name for name in names}.values():
        matches = _matches_in(name, target, thresholds)
        seen.update(member for member, _ in matches)
        matched.update(member for member, ok in matches if ok)
        # A title or common word kept ("Presidente" for "President") does not say the person is there.
        telling = name.members
        if lang not in NOUN_CAPITALISING:  # there every noun is capitalised and common: no telling titles apart
            written = {fold_word(w): w.lower() for w in WORD.findall(name.text)}  # accents count for frequencies
            telling = [m for m in name.members if not title_word(written.get(m, m), lang)] or name.members
        results.append((name, any(ok for member, ok in matches if member in telling)))
    return tuple(results), frozenset(seen), frozenset(matched)


def check_names(context: CheckContext) -> Iterator[Finding]:
    """Flag links whose target lacks a name of their source."""
    units = context.units
    segments = [s for u in units for s in u.source_segments]
    targets = " ".join(u.target for u in units)
    if not segments or dominant_script(" ".join(segments)) != dominant_script(targets):
        return  # names are transliterated across scripts (Macron -> Макрон): nothing to compare letters with
    vocabulary = source_vocabulary(segments)
    thresholds = context.thresholds
    found: dict[int, tuple[tuple[Name, bool], ...]] = {}
    # Per name word: in how many links it occurs, and in how many of their targets it is found.
    occurrences: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for index, unit in enumerate(units):
        if not is_paired(unit):
            continue
        segments = unit.source_segments
        evidence = tuple(_evidence(segment, vocabulary) for segment in segments)
        results, seen, matched = _link_names(segments, unit.target, context.source_base, evidence, thresholds)
        occurrences.update(seen)
        kept.update(matched)
        found[index] = results
    consistent = 1 if context.source_base in NOUN_CAPITALISING else thresholds.names_consistent_links

    def translated(word: str) -> bool:
        return kept[word] == 0 and occurrences[word] >= consistent

    # Countries are the entities check's where CLDR names them in both languages (no finding twice).
    places = lexicon(context.source_base) if lexicon(context.target_base) is not None else None

    def is_country(name: Name) -> bool:
        return places is not None and places.names.get(name.members, "").startswith("T:")

    for index, results in found.items():
        missing = [
            name.text
            for name, ok in results
            if not ok and not all(translated(w) for w in name.candidates) and not is_country(name)
        ]
        if missing:
            quoted = ", ".join(missing)
            yield Finding(
                "names",
                "warning",
                f"Name{'s' if len(missing) > 1 else ''} in the source not found in the target: {quoted}. "
                "Check that nothing was left out (a name may also be translated or replaced by a pronoun).",
                index,
                {"missing": missing},
            )
