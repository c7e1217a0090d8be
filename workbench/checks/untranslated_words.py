"""Words left untranslated inside a sentence: source words copied into the target as they are.

Rule-based engines copy the words their dictionaries lack (Apertium en->es: "han constantemente escalated",
"un cada vez más agresivo stance"), and the sentence-level check cannot see them: the sentence as a whole is in
the target language. A word counts when it is in both the source and the target of a link (case and accents
folded), has at least ``untranslated_word_min_letters`` letters, and is

- not a name: not written in capitals (NATO, UN) and not a word the source writes capitalised inside a sentence
  and never in lower case (Serbs, Macron, Western); months and other capitalised words at the start of a sentence
  are left to the frequency test. A German source capitalises every noun, so there only its other words are
  judged;
- a word of the source language but not of the target's: wordfreq's Zipf frequency (log10 of occurrences per
  billion words) at least ``untranslated_word_min_source_zipf`` in the source language, below
  ``untranslated_word_max_target_zipf`` in the target language, and lower there by at least
  ``untranslated_word_min_zipf_gap``. Shared words pass (general, radio, normal, hotel are as common in Spanish as
  in English), and so do names written in lower case, which are about as common in every language's news.

Frequencies come from ``wordfreq`` (its word lists ship in the wheel, 40-odd languages): measured usage beats a
hand-written list of shared words, which would be endless per pair. Where wordfreq lacks a language:

- the target: only words in another script than the target's own are judged (a Latin word in a Georgian
  translation is foreign whatever it is); in a target of the same script nothing is judged, because a shared word
  could not be told from a copied one;
- the source: the source-side test is skipped, so a copied word counts when the target's list lacks it.

wordfreq's Chinese, Japanese and Korean lookups need tokenisers that are not installed (jieba, MeCab); a single
word needs no tokenising, so for those the frequency is read from wordfreq's list directly.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator

from wordfreq import available_languages, get_frequency_dict, zipf_frequency

from workbench.checks.base import CheckContext, Finding, is_paired
from workbench.checks.names import source_vocabulary
from workbench.checks.text import WORD, dominant_script, fold_word, script_of
from workbench.checks.untranslated import language_name, normalise_for_comparison


@functools.cache
def _wordfreq_languages() -> frozenset[str]:
    # Only exact codes: asked for another, wordfreq answers with its "nearest match" (Esperanto -> English).
    return frozenset(available_languages())


def has_word_frequencies(lang: str) -> bool:
    """Whether wordfreq has a word list for ``lang`` (a base code: ``pt``, not ``pt-BR``)."""
    return lang in _wordfreq_languages()


@functools.lru_cache(maxsize=1 << 17)
def zipf(word: str, lang: str) -> float:
    """The Zipf frequency of a word in ``lang`` (0 for an unknown word): 7 for "the", 3 for "stance", 0 for nonce."""
    try:
        return zipf_frequency(word, lang)
    except ModuleNotFoundError:  # zh, ja, ko: the tokeniser is optional, and one word needs none
        frequency = get_frequency_dict(lang).get(word.casefold(), 0.0)
        return round(math.log10(frequency) + 9, 2) if frequency > 0 else 0.0


@functools.lru_cache(maxsize=1 << 16)
def _copied_words(source: str, target: str, min_letters: int) -> tuple[tuple[str, str], ...]:
    """The target's words that its source has too, (folded, as written) in target order, once each; none where the
    whole sentence is a copy (the untranslated check's finding, not a word's). Remembered: the app checks a whole
    document again after every edit."""
    source_words = {fold_word(w) for w in WORD.findall(source)}
    copied: dict[str, str] = {}
    for word in WORD.findall(target):
        if len(word) < min_letters or word.isupper():  # acronyms and codes: NATO, UN
            continue
        folded = fold_word(word)
        if folded in source_words and folded not in copied:
            copied[folded] = word
    if copied and normalise_for_comparison(source) == normalise_for_comparison(target):
        return ()
    return tuple(copied.items())


def check_untranslated_words(context: CheckContext) -> Iterator[Finding]:
    """Flag links whose target keeps words of the source language copied from the source."""
    source_lang, target_lang = context.source_base, context.target_base
    if source_lang == target_lang:
        return
    thresholds = context.thresholds
    units = context.units
    know_source = has_word_frequencies(source_lang)
    know_target = has_word_frequencies(target_lang)
    target_script = "" if know_target else dominant_script(" ".join(u.target for u in units))
    vocabulary = source_vocabulary([s for u in units for s in u.source_segments])
    names = vocabulary.capitalised_inside - vocabulary.lower

    def is_foreign(word: str) -> bool:
        """Whether ``word`` (folded) is a word of the source language that the target language does not use."""
        if not know_target:
            return script_of(word[0]) != target_script
        in_target = zipf(word, target_lang)
        if in_target >= thresholds.untranslated_word_max_target_zipf:
            return False
        if not know_source:
            return True
        in_source = zipf(word, source_lang)
        return (
            in_source >= thresholds.untranslated_word_min_source_zipf
            and in_source - in_target >= thresholds.untranslated_word_min_zipf_gap
        )

    source_name = language_name(source_lang)
    min_letters = thresholds.untranslated_word_min_letters
    for index, unit in enumerate(units):
        if not is_paired(unit):
            continue
        copied = _copied_words(unit.source, unit.target, min_letters)
        found = [written for folded, written in copied if folded not in names and is_foreign(folded)]
        if not found:
            continue
        several = len(found) >= thresholds.untranslated_words_error
        listed = ", ".join(found)
        yield Finding(
            "untranslated_words",
            "error" if several else "warning",
            f"{source_name} word{'s' if len(found) > 1 else ''} left untranslated in the target: {listed}.",
            index,
            {"words": found},
        )
