"""A negation on one side of a link only: the cheapest meaning flip to catch ("did not agree" -> "concordou").

Each side's negation words are counted from a small per-language lexicon, and a link whose one side has some
and the other none is noted (severity info: a translation may well negate otherwise, "failed to" for "did not",
"unable" for "could not", so this is a pointer for the reviewer, not a verdict).

The lexicons are written by hand: no installed library lists negation words (wordfreq has frequencies, CLDR has
no such data, and a parser or a negation-cue model would be far too slow for a check run after every edit). They
hold only words whose one job is to negate, and leave out ambiguous ones: Portuguese "no" is "in the",
French "pas" is also "a step" and "personne" "a person" (both count only after
"ne"). German "kein" is kept (it negates a noun), Italian "non" and "mai" too.
A language without a lexicon is not judged.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from workbench.checks.base import CheckContext, Finding, is_paired
from workbench.checks.text import WORD, fold_word, word_set

#: Negation words per language, folded (no accents, lower case). English "n't" is read as the word "t" after an
#: apostrophe, see :func:`negations`.
NEGATIONS: dict[str, frozenset[str]] = {
    "en": word_set("not no never none nothing nobody neither nor cannot without nowhere"),
    "de": word_set("nicht nichts nie niemals niemand kein keine keinen keinem keiner keines weder ohne nirgends"),
    "es": word_set("no nunca jamas nada nadie ninguno ninguna ningun ni tampoco sin"),
    "pt": word_set("nao nunca jamais nada ninguem nenhum nenhuma nem tampouco sem"),
    # French: "ne" and "pas" are read as a pair (see _FRENCH_NE), since "pas" alone is also a step and "ne ... que"
    # means "only"; these words negate alone.
    "fr": word_set("jamais aucun aucune sans nullement"),
    "it": word_set("non mai niente nulla nessuno nessuna neanche nemmeno senza"),
    "nl": word_set("niet geen nooit niets niemand noch zonder nergens"),
}
# "n't" (didn't, won't) splits into a word and a bare "t" after an apostrophe.
_ENGLISH_NT = ("n't", "n’t")
# French "ne"/"n'" with its second part within three words: ne ... pas, n'a jamais, ne ... plus, ne ... rien.
_FRENCH_NE = re.compile(
    r"\bn(?:e\s+|['’]\s*)(?:\w+['’]?\s*){0,3}?(pas|jamais|rien|plus|personne|guère|point|aucune?|ni)\b",
    re.IGNORECASE,
)


# Phrases whose negation word does not negate the sentence ("not only ... but also", "not long ago"): removed
# before counting, because translations render them without one ("Vor Kurzem", "Há pouco tempo").
_NOT_NEGATING: dict[str, re.Pattern[str]] = {
    lang: re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)
    for lang, phrases in {
        "en": ("not only", "not just", "not long ago", "not least", "no sooner", "no doubt"),
        "de": ("nicht nur", "nicht zuletzt", "ohne Zweifel", "nicht lange her"),
        "es": ("no solo", "no sólo", "no solamente", "sin duda", "no hace mucho"),
        "pt": ("não só", "não apenas", "não somente", "sem dúvida", "não há muito"),
        "fr": ("non seulement", "sans doute", "il n'y a pas longtemps", "il n’y a pas longtemps"),
        "it": ("non solo", "non soltanto", "senza dubbio", "non molto tempo fa"),
        "nl": ("niet alleen", "zonder twijfel", "niet lang geleden"),
    }.items()
}


@functools.lru_cache(maxsize=1 << 16)
def negations(text: str, lang: str) -> tuple[str, ...]:
    """The negation words of ``text`` in ``lang`` as written (empty where ``lang`` has no lexicon). Remembered by
    text: the app checks a whole document again after every edit."""
    lexicon = NEGATIONS.get(lang)
    if lexicon is None:
        return ()
    text = _NOT_NEGATING[lang].sub(" ", text)
    found = [w for w in WORD.findall(text) if fold_word(w) in lexicon]
    if lang == "en":
        lowered = text.lower()
        found += [marker for marker in _ENGLISH_NT if marker in lowered]
    elif lang == "fr":
        found += [match.group(0) for match in _FRENCH_NE.finditer(text)]
    return tuple(found)


def check_negation(context: CheckContext) -> Iterator[Finding]:
    """Note links where one side negates and the other does not."""
    source_lang, target_lang = context.source_base, context.target_base
    if source_lang not in NEGATIONS or target_lang not in NEGATIONS:
        return
    for index, unit in enumerate(context.units):
        if not is_paired(unit):
            continue
        in_source, in_target = negations(unit.source, source_lang), negations(unit.target, target_lang)
        if bool(in_source) == bool(in_target):
            continue
        side, words = ("source", in_source) if in_source else ("target", in_target)
        yield Finding(
            "negation",
            "info",
            f"Only the {side} has a negation ({', '.join(words)}): check that the meaning did not flip.",
            index,
            {"side": side, "words": list(words)},
        )
