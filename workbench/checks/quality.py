"""A translation-quality signal per link, from the spot-checks' findings and the round-trip chrF.

The aligner's confidence says whether a link pairs the right sentences; reviewers read its colour as "this
translation is fine", which it does not say. This is the second signal: how likely the translation in the link
needs no correction, on the same 0-1 scale and with the same cut points as the confidence colour (red below 0.5,
orange to 0.8, green above), so the two colours can sit side by side and be sorted by together.

The rule, kept simple enough to explain to a reviewer:

- Start at 1 (no sign of a problem) and multiply by a factor per finding of a translation-quality check:
  :data:`SEVERITY_FACTORS` (an error 0.35, a warning 0.75, an info 0.95). One error makes a link poor, one
  warning doubtful, three warnings poor; an info alone leaves it good.
- Multiply by the round-trip factor when the link's chrF is known: 1 at :data:`CHRF_GOOD` and above, falling
  linearly to :data:`CHRF_FLOOR_FACTOR` at :data:`CHRF_BAD` and below. The round-trip check's own finding (a link
  far below the document's usual chrF) counts as well, as a warning: the factor is the absolute level, the
  finding the comparison with the rest of the document.

Which findings count (:data:`QUALITY_KINDS`): every check about the translation itself. Not ``low_confidence``,
the alignment signal the other colour shows already, and not ``isolated_skip``, which says about an empty-sided
link only how unlikely it is to be an alignment artefact; the ``empty_side`` finding it accompanies does count,
because a sentence with no translation (1-0, an error) or a sentence added (0-1, a warning) is a defect of the
translation whichever way the aligner drew the link.

The factors are set by judgement, not fitted: there is no labelled set of links judged good or bad yet. They
make the order of severity right (any error below any single warning, a warning below an info) and keep a lone
warning, whose checks do raise false alarms, out of the red band.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workbench.checks.base import SEVERITIES, Finding, Severity, is_paired
from workbench.checks.runner import CHECK_KINDS
from workbench.formats.units import TranslationUnit

#: Checks whose findings say how likely a pairing is, not how good its translation is: left out of the signal.
ALIGNMENT_KINDS = frozenset({"low_confidence", "isolated_skip"})
#: The checks that judge the translation, in the registry's order: every registered check but those (a check added
#: to the registry counts here without a second list to keep in step).
QUALITY_KINDS: tuple[str, ...] = tuple(kind for kind in CHECK_KINDS if kind not in ALIGNMENT_KINDS)
#: What one finding of each severity multiplies the score by.
SEVERITY_FACTORS: Mapping[Severity, float] = {"error": 0.35, "warning": 0.75, "info": 0.95}
#: Round-trip chrF (0-100) at or above which the back-translation says nothing against the link: the seed's
#: neural Portuguese round trip scores 69-100 on every link.
CHRF_GOOD = 60.0
#: chrF at or below which the round-trip factor bottoms out (a back-translation that shares little with its
#: source: the round-trip check's absolute floor is 25) ...
CHRF_BAD = 20.0
#: ... at this factor: alone it keeps the link doubtful, since back-translation errors are the engine's as often
#: as the translation's; with the round-trip check's warning it makes the link poor.
CHRF_FLOOR_FACTOR = 0.5
#: Band cut points, the confidence colour's: good from :data:`GOOD_FROM`, poor below :data:`POOR_BELOW`.
GOOD_FROM = 0.8
POOR_BELOW = 0.5
BANDS = ("good", "doubtful", "poor", "unknown")


@dataclass(frozen=True)
class LinkQuality:
    """The quality signal of one link.

    ``score`` is 0-1, 1 meaning no sign of a problem, on the aligner confidence's scale; None where nothing could
    be judged (a link with a side empty and no finding). ``reasons`` are short words for the findings behind it,
    most serious first; ``chrf`` is the round-trip chrF when known.
    """

    score: float | None
    band: str  # "good" | "doubtful" | "poor" | "unknown"
    reasons: tuple[str, ...] = ()
    chrf: float | None = None


def band_of(score: float | None) -> str:
    """The band of a score, cut where the confidence colour is."""
    if score is None:
        return "unknown"
    if score >= GOOD_FROM:
        return "good"
    return "doubtful" if score >= POOR_BELOW else "poor"


def chrf_factor(chrf: float) -> float:
    """What a round-trip chrF multiplies the score by: 1 from :data:`CHRF_GOOD` up, linear down to the floor."""
    if chrf >= CHRF_GOOD:
        return 1.0
    share = (CHRF_GOOD - max(chrf, CHRF_BAD)) / (CHRF_GOOD - CHRF_BAD)
    return 1.0 - share * (1.0 - CHRF_FLOOR_FACTOR)


def reason(finding: Finding) -> str:
    """A few words for a finding, for a tooltip or a column (the finding's message is the long form)."""
    details = finding.details
    match finding.kind:
        case "untranslated_words":
            return "left untranslated: " + ", ".join(details.get("words", []))
        case "names":
            return "name missing: " + ", ".join(details.get("missing", []))
        case "added_names":
            return "name added: " + ", ".join(details.get("added", []))
        case "entities":
            added, missing = details.get("added", []), details.get("missing", [])
            if added and missing:
                return f"{', '.join(missing)} became {', '.join(added)}"
            return f"{', '.join(added)} added" if added else f"{', '.join(missing)} missing"
        case "negation":
            return f"negation in the {details.get('side', 'source')} only"
        case "variant":
            return f"{details.get('other', 'another variant')} usage: " + ", ".join(details.get("words", []))
        case "numbers":
            missing = [*details.get("missing", []), *details.get("missing_months", [])]
            return "numbers differ" + (f": {', '.join(missing)}" if missing else "")
        case "empty_side":
            return "no translation" if details.get("side") == "target" else "no source"
        case "untranslated":
            return "not translated" if details.get("identical") else "in the source language"
        case "glossary":
            return f"glossary: {details.get('source_term', '')}"
        case "length_ratio":
            return "much shorter than usual" if details.get("z", 0) < 0 else "much longer than usual"
        case "brackets":
            return "brackets or quotes"
        case "round_trip":
            return f"round trip far from the source (chrF {details.get('chrf', 0):.0f})"
    return finding.kind.replace("_", " ")


def link_quality(
    units: Sequence[TranslationUnit], findings: Sequence[Finding], chrf: Sequence[float | None] | None = None
) -> list[LinkQuality]:
    """One :class:`LinkQuality` per unit, from the findings on these units and, when given, each link's chrF.

    Findings of kinds outside :data:`QUALITY_KINDS` are ignored, so all of a spot-check's findings may be passed.
    """
    if chrf is not None and len(chrf) != len(units):
        raise ValueError(f"{len(units)} units but {len(chrf)} chrF scores")
    rank = {severity: k for k, severity in enumerate(SEVERITIES)}
    order = {kind: k for k, kind in enumerate(QUALITY_KINDS)}
    by_unit: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.kind in order and 0 <= finding.unit_index < len(units):
            by_unit.setdefault(finding.unit_index, []).append(finding)
    result = []
    for index, unit in enumerate(units):
        found = sorted(by_unit.get(index, ()), key=lambda f: (rank[f.severity], order[f.kind]))
        link_chrf = chrf[index] if chrf is not None else None
        if not found and not is_paired(unit):
            result.append(LinkQuality(None, "unknown", (), link_chrf))
            continue
        # (factor, reason), sorted so that what lowers the score most comes first; the sort is stable.
        weighed = [(SEVERITY_FACTORS[f.severity], reason(f)) for f in found]
        if link_chrf is not None and (factor := chrf_factor(link_chrf)) < 1.0:
            round_trip_found = any(f.kind == "round_trip" for f in found)
            weighed.append((factor, "" if round_trip_found else f"round trip chrF {link_chrf:.0f}"))
        weighed.sort(key=lambda pair: pair[0])
        score = 1.0
        for factor, _ in weighed:
            score *= factor
        score = round(score, 4)
        reasons = tuple(text for _, text in weighed if text)
        result.append(LinkQuality(score, band_of(score), reasons, link_chrf))
    return result
