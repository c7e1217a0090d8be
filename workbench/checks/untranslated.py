"""Text left untranslated: a target equal to its source, or a target written in the source language.

Short texts are left alone: names, numbers and titles ("Fu Cong", "NATO", "China Military Online") are rightly
the same in both languages, and language identification cannot judge a few words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from workbench.checks.base import CheckContext, CheckThresholds, Finding, Severity, is_paired
from workbench.checks.text import fold, letter_count, words
from workbench.language_id import detect_language, supported_languages

try:  # translate-toolkit (a dependency, for the formats) knows the English names of languages
    from translate.lang.data import languages as _LANGUAGES
except ImportError:  # pragma: no cover - the names only make messages friendlier
    _LANGUAGES = {}

_NOT_WORD = re.compile(r"[\W_]+")


def language_name(code: str) -> str:
    """A language's English name for messages ("German"), or its code where it is not known."""
    entry = _LANGUAGES.get(code) or _LANGUAGES.get(code.replace("-", "_"))
    return entry[0] if entry else code


def normalise_for_comparison(text: str) -> str:
    """Text reduced to its folded words and numbers, so punctuation, spacing and case don't hide a copy."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def looks_like_a_name(text: str) -> bool:
    """Every word of four letters or more is capitalised: a name or a title, rightly the same in both languages."""
    long_words = [w for w in words(text) if len(w) >= 4]
    return all(w[0].isupper() for w in long_words)


def check_untranslated(context: CheckContext) -> Iterator[Finding]:
    """Flag targets identical to their source (error) or identified as the source language (warning)."""
    if context.source_base == context.target_base:
        return
    known = set(supported_languages())
    can_identify = context.source_base in known and context.target_base in known
    for index, unit in enumerate(context.units):
        if not is_paired(unit):
            continue
        verdict = _link_verdict(
            unit.source, unit.target, context.source_base, context.target_base, can_identify, context.thresholds
        )
        if verdict is not None:
            severity, message, details = verdict
            yield Finding("untranslated", severity, message, index, dict(details))


@functools.lru_cache(maxsize=1 << 16)
def _link_verdict(
    source: str, target: str, source_lang: str, target_lang: str, can_identify: bool, thresholds: CheckThresholds
) -> tuple[Severity, str, tuple[tuple[str, object], ...]] | None:
    """One link's (severity, message, details), or None. Remembered: folding and language identification take a
    fifth of a millisecond a link, and the app checks a whole document again after every edit."""
    if looks_like_a_name(target):
        return None
    identical = normalise_for_comparison(source) == normalise_for_comparison(target)
    if identical and letter_count(target) >= thresholds.untranslated_min_letters:
        message = "The target is the source copied unchanged: this sentence was not translated."
        return "error", message, (("identical", True),)
    if not can_identify or letter_count(target) < thresholds.langid_min_letters:
        return None
    if len(words(target)) < thresholds.langid_min_words:
        return None
    # The first few hundred characters tell the language as well as the whole, at a fraction of the time.
    code, probability = detect_language(target[:400], [source_lang, target_lang])
    if code != source_lang or probability < thresholds.langid_min_prob:
        return None
    message = (
        f"The target reads as {language_name(source_lang)}, not {language_name(target_lang)} "
        f"(probability {probability:.2f}): it may have been left untranslated."
    )
    return "warning", message, (("identical", False), ("detected", code), ("probability", round(probability, 4)))
