"""Names in a link's target that its source does not have: a name made up, or copied from another sentence.

The names check read the other way round: the target's names are found as the names check finds a source's
(capitalised words inside a sentence, or capitalised at its start where the target capitalises them inside a
sentence too), and looked for in the link's source with the same folding, stems and acronym reordering.

A target capitalises words the source does not, and those are translations, not added names:

- a word the target language uses far more than the source language (wordfreq's Zipf frequency higher by
  :data:`TARGET_WORD_ZIPF_GAP`: "Consejo", "Seguridad", "Parlamentaria"), where both languages have word lists;
  names are about as common in every language's news (Macron, Scholz);
- a word no source has in any of the two or more links whose target holds it (consistently translated, as in the
  names check);
- in a German target, whose every noun is capitalised, also a long word that neither language's word list knows
  (a compound noun: Menschenrechtsstandards), and a single word common in German (Problems, Expansion);
- abbreviations of three letters or fewer (Mrs, Dr, III), which translations add and drop freely;
- a country or language name, which the entities check (CLDR's names in both languages) judges instead.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from workbench.checks.base import CheckContext, CheckThresholds, Finding, is_paired
from workbench.checks.entities import lexicon
from workbench.checks.names import NOUN_CAPITALISING, Name, _evidence, _matches_in, _names_given, source_vocabulary
from workbench.checks.text import WORD, dominant_script, fold_word
from workbench.checks.untranslated_words import has_word_frequencies, zipf

#: A capitalised target word this much more frequent (Zipf) in the target language than in the source language is
#: a translated common word ("Consejo" 4.6 in Spanish, 1.2 in English), not a name.
TARGET_WORD_ZIPF_GAP = 1.0
#: In a German target (every noun capitalised), a word this long that neither language's word list knows is taken
#: for a compound noun (Menschenrechtsstandards), not a name.
COMPOUND_MIN_LETTERS = 10
#: ... and a single capitalised word this common in German (Problems 4.0, Expansion 3.7) is a noun; rarer single
#: words (Borrell 1.4) are judged.
GERMAN_NOUN_MIN_ZIPF = 3.0


class _TargetName(NamedTuple):
    """A name of a link's target that its source lacks: as written, and the words (folded) that word frequencies
    do not explain as the target language's own."""

    text: str
    unexplained: tuple[str, ...]


def _translated_word(word: str, source_lang: str, target_lang: str) -> bool:
    """A word of the target language rather than a name: far more frequent there than in the source's."""
    return zipf(word, target_lang) - zipf(word, source_lang) >= TARGET_WORD_ZIPF_GAP


def _compound(word: str, source_lang: str, target_lang: str) -> bool:
    """A long word neither language's list knows: in a German target, a compound noun (Menschenrechtsstandards)."""
    return len(word) >= COMPOUND_MIN_LETTERS and zipf(word, target_lang) == zipf(word, source_lang) == 0


def _unexplained(name: Name, source_lang: str, target_lang: str) -> tuple[str, ...]:
    """The words (folded) of a target name that word frequencies do not explain as the target language's words."""
    written = [w.lower() for w in WORD.findall(name.text) if fold_word(w) in name.candidates]
    if not any(len(w) > 3 for w in written):
        return ()  # Mrs, Dr, III: abbreviations
    if not (has_word_frequencies(source_lang) and has_word_frequencies(target_lang)):
        return tuple(fold_word(w) for w in written)
    capitalising = target_lang in NOUN_CAPITALISING
    if capitalising and len(written) == 1 and zipf(written[0], target_lang) >= GERMAN_NOUN_MIN_ZIPF:
        return ()  # a German noun (Problems, Expansion) alone; names of people come with a first name
    return tuple(
        fold_word(w)
        for w in written
        if not _translated_word(w, source_lang, target_lang)
        and not (capitalising and _compound(w, source_lang, target_lang))
    )


@functools.lru_cache(maxsize=1 << 16)
def _link_target_names(
    segments: tuple[str, ...],
    source: str,
    source_lang: str,
    target_lang: str,
    evidence: tuple[tuple[tuple[bool, bool], ...], ...],
    thresholds: CheckThresholds,
) -> tuple[tuple[_TargetName, ...], frozenset[str], frozenset[str]]:
    """One link's target names that may be added (not in its source, not explained by word frequencies), and the
    name words its target holds and its source has (for the document's consistency counts). Remembered: the app
    checks a whole document again after every edit, and only the edited link is new."""
    places = lexicon(target_lang)
    suspects = []
    seen: set[str] = set()
    matched: set[str] = set()
    for segment, known in zip(segments, evidence, strict=True):
        for name in _names_given(segment, target_lang, known):
            if places is not None and places.names.get(name.members):
                continue  # a country or language: the entities check's
            matches = _matches_in(name, source, thresholds)
            seen.update(member for member, _ in matches)
            matched.update(member for member, ok in matches if ok)
            if not any(ok for _, ok in matches) and (words := _unexplained(name, source_lang, target_lang)):
                suspects.append(_TargetName(name.text, words))
    return tuple(suspects), frozenset(seen), frozenset(matched)


def check_added_names(context: CheckContext) -> Iterator[Finding]:
    """Flag links whose target has a name that their source lacks."""
    units = context.units
    source_lang, target_lang = context.source_base, context.target_base
    segments = [s for u in units for s in u.target_segments]
    sources = " ".join(u.source for u in units)
    if not segments or dominant_script(" ".join(segments)) != dominant_script(sources):
        return  # transliterated names cannot be compared letter by letter
    vocabulary = source_vocabulary(segments)  # what the target itself writes in lower case and capitalised
    thresholds = context.thresholds
    links = []
    for index, unit in enumerate(units):
        if not is_paired(unit):
            continue
        segments_of = unit.target_segments
        evidence = tuple(_evidence(segment, vocabulary) for segment in segments_of)
        judged = _link_target_names(segments_of, unit.source, source_lang, target_lang, evidence, thresholds)
        links.append((index, *judged))
    found = {index: suspects for index, suspects, _, _ in links if suspects}
    if not found:
        return
    # How often the suspects' words occur in the document's targets, and how often their sources have them.
    wanted = frozenset(word for suspects in found.values() for name in suspects for word in name.unexplained)
    occurrences: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for _, _, seen, matched in links:
        occurrences.update(wanted & seen)
        kept.update(wanted & matched)
    consistent = thresholds.names_consistent_links

    def consistently_translated(word: str) -> bool:
        return kept[word] == 0 and occurrences[word] >= consistent

    for index, names in found.items():
        added = list(dict.fromkeys(n.text for n in names if not all(map(consistently_translated, n.unexplained))))
        if added:
            yield Finding(
                "added_names",
                "warning",
                f"Name{'s' if len(added) > 1 else ''} in the target not found in the source: {', '.join(added)}. "
                "Check that the translation does not add or swap a person, place or organisation.",
                index,
                {"added": added},
            )
