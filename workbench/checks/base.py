"""The contract every spot-check follows: what a finding is, the thresholds, and what a check gets to look at.

A check is a function from a :class:`CheckContext` (the whole document's units, its languages and settings) to
findings. Checks see the whole document, not one link, because several judge a link against its neighbours or
against the document's own habits (its length ratio, the names it keeps, its round-trip scores).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from workbench.errors import InputError
from workbench.formats.units import TranslationUnit
from workbench.language_id import base_language

Severity = Literal["error", "warning", "info"]
#: Most serious first; reports sort and count in this order.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem a check found in one link (``unit_index`` is its position in the units checked)."""

    kind: str
    severity: Severity
    message: str
    unit_index: int
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON and CSV."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class CheckThresholds:
    """The numbers each check decides with; the defaults are meant for ordinary prose."""

    #: Links whose aligner confidence is below this are flagged (confidences are calibrated probabilities).
    min_confidence: float = 0.5
    #: A link's log length ratio more than this many robust standard deviations from the document's median.
    length_max_z: float = 2.5
    #: Both sides shorter than this (characters) are too short for a length ratio to mean anything.
    length_min_chars: int = 20
    #: Fewer paired links than this and the document's usual ratio is not known well enough to judge.
    length_min_units: int = 8
    #: Floor on the robust spread of log ratios, so a very regular document does not flag tiny differences.
    length_min_spread: float = 0.1
    #: A target identical to its source counts as untranslated only with at least this many letters.
    untranslated_min_letters: int = 20
    #: Untranslated words inside a sentence: words this long or longer are looked at ...
    untranslated_word_min_letters: int = 4
    #: ... and count when wordfreq's Zipf frequency (log10 per billion words) is at least this in the source
    #: language (a real word there: "wantonly" 2.3, "stance" 4.1) ...
    untranslated_word_min_source_zipf: float = 2.0
    #: ... below this in the target language (English text leaks into every corpus: "violence" is 2.7 in
    #: Spanish, "stance" 1.6; words Spanish uses, "general", "normal", "hotel", are 4.8 and more) ...
    untranslated_word_max_target_zipf: float = 3.0
    #: ... and lower there by this much (names are about as common in every language: Scholz 2.3 / 2.0).
    untranslated_word_min_zipf_gap: float = 1.0
    #: This many untranslated words in one link make an error (a sentence half left in the source language);
    #: fewer, a warning.
    untranslated_words_error: int = 2
    #: Language identification is asked only about targets with this many letters and words ...
    langid_min_letters: int = 25
    langid_min_words: int = 4
    #: ... and believed only at this probability (normalised over the source and target languages).
    langid_min_prob: float = 0.9
    #: A name matches a target word starting with this share of its letters (inflection: Kosovo -> Kosovos).
    names_stem_share: float = 0.6
    #: ... or a target word with its first three letters and this similar (difflib ratio) to it (Serbia -> Sérvia).
    names_min_similarity: float = 0.7
    #: A name found in no target of the links it occurs in, in at least this many links, is taken to be
    #: translated consistently (Security Council -> Sicherheitsrat), not omitted.
    names_consistent_links: int = 2
    #: A skip (0-n or n-0 link) with at least this many 1-1 links on each side is flagged as isolated.
    skip_context: int = 2
    #: Round trip: chrF this many robust standard deviations below the document's median ...
    round_trip_max_z: float = 2.5
    #: ... or below this chrF whatever the document does.
    round_trip_min_chrf: float = 25.0
    #: Fewer scored links than this and only the absolute floor applies.
    round_trip_min_units: int = 5
    #: Floor on the robust spread of chrF scores (points).
    round_trip_min_spread: float = 5.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> CheckThresholds:
        """Thresholds from user settings (a dict, a TOML table); unknown names are an error, not ignored."""
        defaults = {f.name: f.default for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(defaults))
        if unknown:
            raise InputError(f"Unknown check threshold(s) {unknown}; known: {', '.join(sorted(defaults))}.")
        converted = {}
        for name, value in values.items():
            kind = type(defaults[name])  # int or float; settings may arrive as text from a command line
            try:
                number = float(value)
                if kind is int and not number.is_integer():
                    raise ValueError
            except (TypeError, ValueError):
                raise InputError(f"Check threshold {name} must be a {kind.__name__} number, not {value!r}.") from None
            converted[name] = kind(number)
        return cls(**converted)


@dataclass(frozen=True)
class GlossaryEntry:
    """A source term and the target terms that may render it (any one of them will do)."""

    source: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at: the document's units in order, its languages and the user's settings."""

    units: Sequence[TranslationUnit]
    source_lang: str
    target_lang: str
    thresholds: CheckThresholds = CheckThresholds()
    glossary: Sequence[GlossaryEntry] = ()
    back_translations: Sequence[str | None] | None = None

    @property
    def source_base(self) -> str:
        return base_language(self.source_lang)

    @property
    def target_base(self) -> str:
        return base_language(self.target_lang)


@dataclass(frozen=True)
class CheckKind:
    """A registered check: its name in findings, what it looks for (shown to users), and the function."""

    kind: str
    description: str
    run: Callable[[CheckContext], Iterable[Finding]]


def is_paired(unit: TranslationUnit) -> bool:
    """Both sides have text: the links whose content can be compared."""
    return bool(unit.source.strip()) and bool(unit.target.strip())
