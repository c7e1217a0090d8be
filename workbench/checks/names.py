"""Names in the source that the translation lost.

A name is a capitalised word or run of words not at the start of a sentence (Fu Cong, Emmanuel Macron, Serbia),
or a sentence-initial word the rest of the source writes capitalised mid-sentence too (Kosovo). Words the source
also writes in lower case are common words ("Resolution 1244" next to "a resolution"), months are the numbers
check's business, and two-letter acronyms (US, UN, EU) are too often localised (USA, ONU, UE) to count alone.

A name is found in the target through case and accent folding and a shared stem, because translations inflect
and adapt names (Kosovo -> Kosovos, kosovarischen; Serbia -> Serbien, Sérvia; NATO -> OTAN). A name the target
never has in any of the several links it occurs in is taken as consistently translated (Western -> westlich,
Security Council -> Sicherheitsrat), not lost. German capitalises every noun, so for a German source a word
counts as a name only where the target keeps it somewhere.

Written by hand: no offline named-entity recogniser is installed, and one would still need this matching.
"""

from __future__ import annotations

import difflib
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from workbench.checks.base import CheckContext, CheckThresholds, Finding, is_paired
from workbench.checks.text import WORD, dominant_script, fold, month_of, word_set

# Lower-case words that may join the words of one name: Council of Europe, Institute for ..., Luiz Inácio Lula da
# Silva, Ludwig van Beethoven.
CONNECTORS = word_set("of the for de del della di da do dos das du des la le von van der den al el bin ibn")
# Capitalised in English, translated everywhere else.
_WEEKDAYS = word_set("monday tuesday wednesday thursday friday saturday sunday")
# Source languages that capitalise every noun: capitals say nothing there about names.
NOUN_CAPITALISING = frozenset({"de", "lb"})
_OPENING = "\"“„«‹‘‚'([{¿¡-–—•*"
_CLOSING = "\"”»›’')]}"


@dataclass(frozen=True)
class Name:
    """One name as written in one link's source; ``members`` are its folded capitalised words."""

    text: str
    members: tuple[str, ...]
    acronyms: tuple[str, ...]  # the members written all in capitals, folded

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


@dataclass
class _SourceVocabulary:
    """What the whole source says about its words: seen in lower case, seen capitalised mid-sentence."""

    lower: set[str]
    capitalised_inside: set[str]


def _vocabulary(segments: Sequence[str]) -> _SourceVocabulary:
    lower: set[str] = set()
    inside: set[str] = set()
    for segment in segments:
        for match in WORD.finditer(segment):
            word = match.group()
            if word[0].islower():
                lower.add(fold(word))
            elif word[0].isupper() and not _is_initial(segment, match.start()):
                inside.add(fold(word))
    return _SourceVocabulary(lower, inside)


def _is_heading(segment: str) -> bool:
    """All capitals or Title Case: headings capitalise words that are no names."""
    long_words = [w for w in WORD.findall(segment) if len(w) >= 4]
    if segment.isupper():
        return True
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)


def find_names(segment: str, lang: str, vocabulary: _SourceVocabulary) -> list[Name]:
    """The names in one source sentence."""
    if _is_heading(segment):
        return []
    names: list[Name] = []
    members: list[tuple[int, int, str]] = []  # start, end, word
    has_candidate = False
    pending_connectors = 0

    def close() -> None:
        nonlocal members, has_candidate, pending_connectors
        if members and has_candidate:
            words = tuple(fold(w) for _, _, w in members)
            acronyms = tuple(fold(w) for _, _, w in members if w.isupper() and len(w) >= 2)
            names.append(Name(segment[members[0][0] : members[-1][1]], words, acronyms))
        members, has_candidate, pending_connectors = [], False, 0

    previous_end = 0
    for match in WORD.finditer(segment):
        word, start = match.group(), match.start()
        gap = segment[previous_end:start]
        previous_end = match.end()
        if members and gap.strip(" -\u00a0'’"):  # punctuation other than a hyphen or an apostrophe ends a name
            close()
        folded = fold(word)
        if word[0].isupper() and len(word) >= 2:
            initial = _is_initial(segment, start)
            if initial and folded not in vocabulary.capitalised_inside:
                close()
                continue
            acronym = word.isupper()
            candidate = (
                not (acronym and len(word) <= 2)
                and not (folded in vocabulary.lower and not (acronym and len(word) >= 3))
                and month_of(folded, lang) is None
                and not (lang == "en" and folded in _WEEKDAYS)
            )
            members.append((start, match.end(), word))
            has_candidate = has_candidate or candidate
            pending_connectors = 0
        elif members and folded in CONNECTORS and pending_connectors < 2:
            pending_connectors += 1
        else:
            close()
    close()
    return names


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
    for candidate in target_words:  # spelling adapted: Serbia -> Sérvia
        if candidate[:1] == word[:1] and len(candidate) >= 4:
            similar = difflib.SequenceMatcher(None, word, candidate[: len(word) + 1]).ratio()
            if similar >= thresholds.names_min_similarity:
                return True
    return False


def name_in_target(name: Name, target: str, thresholds: CheckThresholds) -> bool:
    """Whether any word of ``name`` is found in ``target`` (any one will do: "Macron" for "Emmanuel Macron")."""
    words = WORD.findall(target)
    target_words = [fold(w) for w in words]
    target_acronyms = [fold(w) for w in words if w.isupper() and len(w) >= 2]
    return any(_word_matches(member, target_words, thresholds) for member in name.members) or any(
        _acronym_matches(acronym, target_acronyms) for acronym in name.acronyms
    )


def check_names(context: CheckContext) -> Iterator[Finding]:
    """Flag links whose target lacks a name of their source."""
    units = context.units
    segments = [s for u in units for s in u.source_segments]
    targets = " ".join(u.target for u in units)
    if not segments or dominant_script(" ".join(segments)) != dominant_script(targets):
        return  # names are transliterated across scripts (Macron -> Макрон): nothing to compare letters with
    vocabulary = _vocabulary(segments)
    thresholds = context.thresholds
    found: dict[int, list[tuple[Name, bool]]] = {}
    occurrences: dict[str, int] = defaultdict(int)
    matches: dict[str, int] = defaultdict(int)
    for index, unit in enumerate(units):
        if not is_paired(unit):
            continue
        names = [n for segment in unit.source_segments for n in find_names(segment, context.source_base, vocabulary)]
        seen: dict[str, tuple[Name, bool]] = {}
        for name in names:
            if name.key not in seen:
                seen[name.key] = (name, name_in_target(name, unit.target, thresholds))
        for key, (_, matched) in seen.items():
            occurrences[key] += 1
            matches[key] += matched
        found[index] = list(seen.values())
    consistent = 1 if context.source_base in NOUN_CAPITALISING else thresholds.names_consistent_links
    for index, names in found.items():
        missing = [
            name.text
            for name, matched in names
            if not matched and not (matches[name.key] == 0 and occurrences[name.key] >= consistent)
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
