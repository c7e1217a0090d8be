"""The registry of checks and the function that runs them over a document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from workbench.checks.added_names import check_added_names
from workbench.checks.base import CheckContext, CheckKind, CheckThresholds, Finding, GlossaryEntry
from workbench.checks.entities import check_entities
from workbench.checks.glossary import check_glossary
from workbench.checks.length import check_length_ratio
from workbench.checks.links import check_empty_side, check_isolated_skip, check_low_confidence
from workbench.checks.names import check_names
from workbench.checks.negation import check_negation
from workbench.checks.numbers import check_numbers
from workbench.checks.punctuation import check_brackets
from workbench.checks.round_trip import check_round_trip
from workbench.checks.untranslated import check_untranslated
from workbench.checks.untranslated_words import check_untranslated_words
from workbench.checks.variant import check_variant
from workbench.errors import InputError
from workbench.formats.units import TranslationUnit

_KINDS = (
    CheckKind(
        "empty_side",
        "A link with one side empty: a source sentence left untranslated (1-0, error) or a target sentence with "
        "no source (0-1, warning).",
        check_empty_side,
    ),
    CheckKind(
        "isolated_skip",
        "An empty-sided link with one-to-one links on both sides, where a skip is rarely an alignment artefact.",
        check_isolated_skip,
    ),
    CheckKind(
        "low_confidence",
        "A link the aligner is unsure of (confidence below the threshold), unless a reviewer confirmed it.",
        check_low_confidence,
    ),
    CheckKind(
        "untranslated",
        "A target identical to its source, or written in the source language.",
        check_untranslated,
    ),
    CheckKind(
        "untranslated_words",
        "Words of the source language copied into the target inside a sentence (not names, numbers, codes or words "
        "the target language uses too, judged by word frequencies): one is a warning, several an error.",
        check_untranslated_words,
    ),
    CheckKind(
        "numbers",
        "Numbers or dates that differ: values compared in each language's decimal convention, months by name.",
        check_numbers,
    ),
    CheckKind(
        "names",
        "Names in the source (people, places, organisations) that the target does not have.",
        check_names,
    ),
    CheckKind(
        "added_names",
        "Names in the target (people, places, organisations) that the source does not have.",
        check_added_names,
    ),
    CheckKind(
        "entities",
        "Countries and languages named on one side only, recognised in both languages by CLDR's names: one added "
        "or dropped is a warning, one swapped for another an error.",
        check_entities,
    ),
    CheckKind(
        "negation",
        "A negation (not, nie, não ...) on one side of the link only: a note, since a translation may negate "
        "otherwise.",
        check_negation,
    ),
    CheckKind(
        "variant",
        "Usage of another variant of the target language than the document's (pt-BR words in a pt-PT text, "
        "en-US spellings in en-GB, traditional characters in simplified Chinese): a note.",
        check_variant,
    ),
    CheckKind(
        "glossary",
        "A glossary term in the source whose prescribed translation the target does not use.",
        check_glossary,
    ),
    CheckKind(
        "length_ratio",
        "A target far longer or shorter than the document's usual ratio to its source.",
        check_length_ratio,
    ),
    CheckKind(
        "brackets",
        "Brackets or quotation marks unbalanced in the target, or present in the target but not the source.",
        check_brackets,
    ),
    CheckKind(
        "round_trip",
        "A back-translation far from its source (chrF) compared with the rest of the document.",
        check_round_trip,
    ),
)

#: Every check by its kind, in the order findings are reported; ``description`` is for people.
CHECK_KINDS: dict[str, CheckKind] = {kind.kind: kind for kind in _KINDS}


def run_checks(
    units: Sequence[TranslationUnit],
    source_lang: str,
    target_lang: str,
    glossary: Sequence[GlossaryEntry] | None = None,
    thresholds: CheckThresholds | Mapping[str, Any] | None = None,
    *,
    back_translations: Sequence[str | None] | None = None,
    kinds: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the checks (all, or ``kinds``) over a document's units; findings come in document order.

    ``back_translations`` (one per unit, None where there is none) enables the round-trip check.
    """
    if thresholds is None:
        thresholds = CheckThresholds()
    elif not isinstance(thresholds, CheckThresholds):
        thresholds = CheckThresholds.from_mapping(thresholds)
    selected = list(CHECK_KINDS) if kinds is None else list(kinds)
    unknown = [k for k in selected if k not in CHECK_KINDS]
    if unknown:
        raise InputError(f"Unknown check kind(s) {unknown}; known: {', '.join(CHECK_KINDS)}.")
    if back_translations is not None and len(back_translations) != len(units):
        raise InputError(f"{len(units)} units but {len(back_translations)} back-translations: give one per unit.")
    context = CheckContext(
        units=list(units),
        source_lang=source_lang,
        target_lang=target_lang,
        thresholds=thresholds,
        glossary=tuple(glossary or ()),
        back_translations=back_translations,
    )
    order = {kind: position for position, kind in enumerate(CHECK_KINDS)}
    findings = [finding for kind in selected for finding in CHECK_KINDS[kind].run(context)]
    return sorted(findings, key=lambda f: (f.unit_index, order[f.kind]))
