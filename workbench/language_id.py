"""Guessing the language of a text, offline.

py3langid ships its model inside the wheel (about 140 languages, ISO 639 codes), so nothing is fetched. The app
uses :func:`detect_language` to guess a document's language, and the checks use it to spot text left in the
source language. The model is loaded on first use (about a second), never at import.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from workbench.errors import InputError
from workbench.language_tags import UNDETERMINED, base_language  # the one home of language tags

#: Returned for text with nothing to judge (no letters): ISO 639-2's code for "undetermined".

_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def _full_identifier() -> LanguageIdentifier:
    # norm_probs: probabilities that sum to one over the languages considered, so a threshold means something.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.lru_cache(maxsize=64)
def _identifier_for(codes: frozenset[str]) -> LanguageIdentifier:
    # set_languages() changes the identifier it is called on; a shallow copy shares the big tables with the full
    # model, so each candidate set gets its own restricted identifier and the full one stays usable by others.
    restricted = copy.copy(_full_identifier())
    restricted.set_languages(sorted(codes))
    return restricted


def supported_languages() -> list[str]:
    """The language codes the identifier knows, sorted."""
    return sorted(_full_identifier().labels)


def detect_language(text: str, candidates: Iterable[str] | None = None) -> tuple[str, float]:
    """Return ``(code, probability)`` of the most likely language of ``text``.

    ``candidates`` restricts the choice to plausible languages (e.g. a project's source and target), which makes
    short texts far more reliable; the probability is then normalised over those languages only. Regional codes
    are accepted (``pt-BR``) and the code is returned as the caller spelled it. Candidates the model does not
    know are ignored; if none is known, :class:`InputError` says which languages it knows. Text without letters
    gives ``("und", 0.0)``.
    """
    if not _LETTER.search(text):
        return UNDETERMINED, 0.0
    if candidates is None:
        identifier = _full_identifier()
        spelled: dict[str, str] = {}
    else:
        known = set(_full_identifier().labels)
        spelled = {}
        for code in candidates:
            spelled.setdefault(base_language(code), code)
        usable = frozenset(code for code in spelled if code in known)
        if not usable:
            raise InputError(
                f"None of the languages {sorted(spelled.values())} is known to the language identifier; "
                f"it knows: {', '.join(sorted(known))}."
            )
        identifier = _identifier_for(usable)
    code, probability = identifier.classify(text)
    return spelled.get(code, code), float(probability)
