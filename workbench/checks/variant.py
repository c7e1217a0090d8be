"""Which variant of its language a target is written in (pt-PT or pt-BR, en-GB or en-US, es-ES or es-419,
zh-Hans or zh-Hant), and the links that mix in the other one.

A document's variant is the one its target language code declares (``pt-BR``), or else the one most of its
markers point to (:func:`detect_variant`, which an export can use to tag its region). A link holding markers of
another variant than the document's is noted (severity info: a mixed text reads oddly to its readers, but every
word is still understood).

The markers are written by hand, few and unambiguous: no installed library tells the variants apart (wordfreq has
one list per language, CLDR has no such vocabulary, the language identifier only knows base languages).

- Portuguese: European spellings from before the 1990 agreement that Brazil never used (acção, efectivamente,
  reflectir), the European stress accents before m/n where Brazil writes a circumflex (económico / econômico,
  fenómeno / fenômeno), "estar a" + infinitive (European) against "estar" + gerund (Brazilian), and a few words
  each side alone uses (equipa / equipe, autocarro / ônibus, prefeito).
- English: -our / -or, -re / -er, -ence / -ense, -ise / -ize spelling pairs of common words (colour / color). The
  Oxford -ize spelling is British too, so -ize words count for en-US only beside the others.
- Spanish: the vosotros forms Spain alone uses (vosotros, habéis, tenéis ...) and words each side alone uses
  (ordenador / computadora, móvil / celular, zumo / jugo, aparcamiento / estacionamiento); words both write with
  other senses (coche, carro, vale, papa, auto, manejar) are left out. Latin America is one variant, es-419.
- Chinese: characters with a simplified and a traditional form, among the most frequent (这 / 這, 国 / 國).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from workbench.checks.base import CheckContext, Finding, is_paired
from workbench.checks.text import WORD, word_set


def _pairs(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Word pairs written "first/second" in a literal: the first variant's words, the second's."""
    pairs = [pair.split("/") for pair in text.split()]
    return frozenset(a for a, _ in pairs), frozenset(b for _, b in pairs)


_EN_GB, _EN_US = _pairs(
    "colour/color colours/colors favour/favor favourite/favorite honour/honor labour/labor neighbour/neighbor "
    "behaviour/behavior harbour/harbor rumour/rumor centre/center centres/centers theatre/theater metre/meter "
    "kilometres/kilometers defence/defense offence/offense licence/license programme/program travelled/traveled "
    "travelling/traveling cancelled/canceled jewellery/jewelry grey/gray tyre/tire aluminium/aluminum "
    "analyse/analyze catalogue/catalog dialogue/dialog organisation/organization organisations/organizations "
    "realise/realize realised/realized recognise/recognize recognised/recognized apologise/apologize "
    "emphasise/emphasize criticise/criticize criticised/criticized"
)
_PT_PT_WORDS = word_set(
    "acção acções accionista actual actualmente actualizar adopção adoptar adoptou adoptaram efectivamente efectivo "
    "efectiva reflectir reflecte direcção director directora óptimo excepção recepção projecto projectos objectivo "
    "objectivos colectivo selecção protecção facto contacto equipa equipas autocarro comboio telemóvel ecrã registo "
    "utilizador utilizadores casa-de-banho pequeno-almoço"
)
_PT_BR_WORDS = word_set(
    "equipe equipes ônibus trem celular tela registro usuário usuários banheiro prefeito prefeitos prefeitura "
    "café-da-manhã contato"
)
# Stress accents before m or n and a vowel: European "económico", Brazilian "econômico" (not "têm", "também").
_PT_PT_ACCENT = re.compile(r"\w*[óé][mn][aeiou]\w*", re.IGNORECASE)
_PT_BR_ACCENT = re.compile(r"\w*[ôê][mn][aeiou]\w*", re.IGNORECASE)
_PT_PT_PROGRESSIVE = re.compile(r"\b(?:est\w+|anda\w*|têm vindo|tem vindo|vêm|vem)\s+a\s+\w+[aei]r\b", re.IGNORECASE)
_PT_BR_PROGRESSIVE = re.compile(r"\best(?:ou|ás|á|amos|ão|ava|avam|eve|iveram|ar)\s+\w+ndo\b", re.IGNORECASE)
_ES_ES_WORDS = word_set(
    "vosotros vosotras habéis tenéis sois estáis podéis queréis hacéis sabéis decís vais vuestro vuestra vuestros "
    "vuestras ordenador ordenadores móvil móviles zumo zumos gafas patatas aparcamiento aparcar gilipollas"
)
_ES_419_WORDS = word_set(
    "computadora computadoras celular celulares jugo jugos anteojos ahorita estacionamiento estacionar rentar "
    "platicar chévere"
)
# Same order in both strings. Left out: characters one form shares with another word of the other (后 is also
# traditional "queen").
_ZH_HANS = frozenset("这国说会为时个们来对发经过还进动么学开关问题区")
_ZH_HANT = frozenset("這國說會為時個們來對發經過還進動麼學開關問題區")

#: The variants told apart, per base language; the first is no default, only an order.
VARIANTS: dict[str, tuple[str, str]] = {
    "pt": ("pt-PT", "pt-BR"),
    "en": ("en-GB", "en-US"),
    "es": ("es-ES", "es-419"),
    "zh": ("zh-Hans", "zh-Hant"),
}
#: Per language, region subtags that mean one of its :data:`VARIANTS` (zh-TW is zh-Hant); other regions go by
#: CLDR's parent locales (:func:`_cldr_parent`: es-MX is es-419, pt-AO is pt-PT).
_REGION_ALIASES: dict[str, dict[str, str]] = {
    "zh": {"tw": "hant", "hk": "hant", "mo": "hant", "cn": "hans", "sg": "hans"},
    "en": {"uk": "gb"},
}


def _cldr_parent(base: str, region: str) -> str:
    """The variant subtag CLDR's locale data makes ``base``-``region`` inherit from (``es``, ``mx`` -> ``419``;
    ``pt``, ``ao`` -> ``pt``), else ``region`` itself."""
    from babel.core import get_global  # CLDR's parentLocales, as Babel ships them

    parent = get_global("parent_exceptions").get(f"{base}_{region.upper()}", "")
    return parent.split("_", 1)[1].lower() if parent.startswith(f"{base}_") else region


@functools.lru_cache(maxsize=1 << 16)
def variant_markers(text: str, lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The markers of each of ``lang``'s two variants (:data:`VARIANTS`) in ``text``, as written. Remembered by
    text: the app checks a whole document again after every edit."""
    first: list[str] = []
    second: list[str] = []
    if lang == "pt":
        first, second = _words_of(text, _PT_PT_WORDS, _PT_BR_WORDS)
        first += _PT_PT_ACCENT.findall(text) + _PT_PT_PROGRESSIVE.findall(text)
        second += _PT_BR_ACCENT.findall(text) + _PT_BR_PROGRESSIVE.findall(text)
    elif lang == "en":
        first, second = _words_of(text, _EN_GB, _EN_US)
    elif lang == "es":
        first, second = _words_of(text, _ES_ES_WORDS, _ES_419_WORDS)
    elif lang == "zh":
        first = [c for c in text if c in _ZH_HANS]
        second = [c for c in text if c in _ZH_HANT]
    return tuple(first), tuple(second)


def _words_of(text: str, first_words: frozenset[str], second_words: frozenset[str]) -> tuple[list[str], list[str]]:
    """The words of ``text``, as written, that are in the first variant's list, and those in the second's."""
    first: list[str] = []
    second: list[str] = []
    for word in WORD.findall(text):
        lowered = word.lower()
        if lowered in first_words:
            first.append(word)
        elif lowered in second_words:
            second.append(word)
    return first, second


def _declared(lang_code: str) -> str | None:
    """The variant a language code declares (pt-BR, pt_PT, zh-Hant, zh-TW, es-MX), or None."""
    base, _, rest = lang_code.replace("_", "-").partition("-")
    options = VARIANTS.get(base.lower())
    if not options or not rest:
        return None
    tag = rest.split("-")[0].lower()
    tag = _REGION_ALIASES.get(base.lower(), {}).get(tag, tag)
    own = {option.split("-")[1].lower(): option for option in options}
    return own.get(tag) or own.get(_cldr_parent(base.lower(), tag))  # en-GB is en-GB, not CLDR's parent en-001


def detect_variant(texts: Sequence[str], lang: str) -> tuple[str | None, Counter[str]]:
    """The variant most of ``texts``' markers point to (None without markers, or a tie), and the marker counts per
    variant: what an export can tag its region with when the language code does not say."""
    base = lang.replace("_", "-").split("-")[0].lower()
    counts: Counter[str] = Counter()
    options = VARIANTS.get(base)
    if not options:
        return None, counts
    for text in texts:
        first, second = variant_markers(text, base)
        counts[options[0]] += len(first)
        counts[options[1]] += len(second)
    if counts[options[0]] == counts[options[1]]:
        return None, counts
    return (options[0] if counts[options[0]] > counts[options[1]] else options[1]), counts


def check_variant(context: CheckContext) -> Iterator[Finding]:
    """Note the links whose target uses another variant of its language than the document's."""
    base = context.target_base
    options = VARIANTS.get(base)
    if not options:
        return
    units = context.units
    variant = _declared(context.target_lang)
    how = "declared"
    if variant is None:
        variant, _ = detect_variant([u.target for u in units if is_paired(u)], base)
        how = "most of the document"
    if variant is None:
        return
    other = options[1] if variant == options[0] else options[0]
    for index, unit in enumerate(units):
        if not is_paired(unit):
            continue
        first, second = variant_markers(unit.target, base)
        foreign = second if variant == options[0] else first
        if foreign:
            words = list(dict.fromkeys(foreign))
            yield Finding(
                "variant",
                "info",
                f"{other} usage in a {variant} text ({how}): {', '.join(words)}.",
                index,
                {"variant": variant, "other": other, "words": words, "declared": how == "declared"},
            )
