"""Checks on a link's shape and score: an empty side, a skip amid one-to-one links, a confidence too low."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.checks.base import CheckContext, Finding
from workbench.formats.units import TranslationUnit


def _has_source(unit: TranslationUnit) -> bool:
    return bool(unit.source.strip())


def _has_target(unit: TranslationUnit) -> bool:
    return bool(unit.target.strip())


def _is_one_to_one(unit: TranslationUnit) -> bool:
    return len(unit.source_segments) == 1 and len(unit.target_segments) == 1 and _has_source(unit) and _has_target(unit)


def check_empty_side(context: CheckContext) -> Iterator[Finding]:
    """Flag 1-0 links (an omission: error) and 0-1 links (an addition: warning)."""
    for index, unit in enumerate(context.units):
        has_source, has_target = _has_source(unit), _has_target(unit)
        if has_source and not has_target:
            yield Finding(
                "empty_side",
                "error",
                f"The source has no translation ({len(unit.source_segments)}-0 link): the translator left it out, "
                "or the aligner put its translation in a neighbouring link.",
                index,
                {"side": "target"},
            )
        elif has_target and not has_source:
            yield Finding(
                "empty_side",
                "warning",
                f"The target has no source (0-{len(unit.target_segments)} link): the translator added it, "
                "or the aligner took it from a neighbouring link.",
                index,
                {"side": "source"},
            )


def check_isolated_skip(context: CheckContext) -> Iterator[Finding]:
    """Flag a skip with one-to-one links on both sides: in such a regular stretch it is rarely an artefact."""
    units = context.units
    reach = context.thresholds.skip_context
    for index, unit in enumerate(units):
        has_source, has_target = _has_source(unit), _has_target(unit)
        if has_source == has_target:
            continue
        before = units[max(0, index - reach) : index]
        after = units[index + 1 : index + 1 + reach]
        if len(before) < reach or len(after) < reach:
            continue
        if all(_is_one_to_one(u) for u in (*before, *after)):
            what = "A source sentence with no translation" if has_source else "A target sentence with no source"
            yield Finding(
                "isolated_skip",
                "warning",
                f"{what} sits inside a run of one-to-one links: a sentence was probably "
                f"{'dropped' if has_source else 'added'} here, or it belongs with the link before or after.",
                index,
                {"context": reach, "side": "target" if has_source else "source"},
            )


def check_low_confidence(context: CheckContext) -> Iterator[Finding]:
    """Flag links the aligner is unsure of: they often pair the wrong sentences. A reviewer's confirmation wins."""
    limit = context.thresholds.min_confidence
    for index, unit in enumerate(context.units):
        if unit.confidence is None or unit.confidence >= limit or unit.status == "confirmed":
            continue
        yield Finding(
            "low_confidence",
            "warning",
            f"The aligner is unsure of this link (confidence {unit.confidence:.2f}, below {limit:.2f}): "
            "check that these sentences say the same thing.",
            index,
            {"confidence": unit.confidence, "threshold": limit},
        )
