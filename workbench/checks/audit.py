"""A sampled audit: a reviewer judges a random sample of links, and the pass rate estimates the whole document's.

The sample is drawn with a seed so that the same audit can be drawn again, and leans towards links the aligner
was unsure of, where problems gather. Keeping verdicts is the project's business; here are the pure parts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from workbench.errors import InputError
from workbench.formats.units import TranslationUnit

#: What a failed link is wrong in; a failure may also leave it open (None).
AUDIT_CATEGORIES = ("accuracy", "fluency", "terminology", "omission", "addition")
#: How much likelier the least confident link is drawn than the most confident one, when weighting.
LOW_CONFIDENCE_WEIGHT = 4.0


def sampling_weights(units: Sequence[TranslationUnit], weight_low_confidence: bool = True) -> np.ndarray:
    """Relative chances of each unit: 1 for full confidence rising linearly to LOW_CONFIDENCE_WEIGHT for none.

    Links without a confidence count as 0.5 (neither trusted nor doubted).
    """
    if not weight_low_confidence:
        return np.ones(len(units))
    confidences = np.array([0.5 if u.confidence is None else min(max(u.confidence, 0.0), 1.0) for u in units])
    return 1.0 + (LOW_CONFIDENCE_WEIGHT - 1.0) * (1.0 - confidences)


def draw_audit_sample(
    units: Sequence[TranslationUnit], n: int, seed: int, weight_low_confidence: bool = True
) -> list[int]:
    """``n`` distinct unit indices (all of them if there are fewer), drawn with ``seed``, in document order.

    The same units, ``n`` and seed always give the same sample.
    """
    if n < 0:
        raise InputError(f"An audit sample of {n} links makes no sense; ask for 1 or more.")
    size = min(n, len(units))
    if size == 0:
        return []
    weights = sampling_weights(units, weight_low_confidence)
    # numpy draws without replacement in proportion to the weights of what is left, one draw at a time.
    chosen = np.random.default_rng(seed).choice(len(units), size=size, replace=False, p=weights / weights.sum())
    return sorted(int(i) for i in chosen)


@dataclass(frozen=True)
class AuditVerdict:
    """A reviewer's judgement of one sampled link; a failure may say what kind of problem it has."""

    unit_index: int
    passed: bool
    category: str | None = None
    comment: str = ""
    #: What names the link whatever its position (a project's sentence ids); verdicts are told apart by it when
    #: given, so verdicts on links that have no position any more (stale) are not taken for one link.
    link: str | None = None

    @property
    def identity(self) -> str | int:
        return self.link if self.link is not None else self.unit_index

    def __post_init__(self) -> None:
        if self.category is not None and self.category not in AUDIT_CATEGORIES:
            raise InputError(
                f"Unknown audit category {self.category!r}; use one of {', '.join(AUDIT_CATEGORIES)} or none."
            )


@dataclass(frozen=True)
class AuditSummary:
    """The audit's result: pass rate with its 95% Wilson interval, and failures by category."""

    n: int
    passed: int
    pass_rate: float | None  # None before any verdict
    ci_low: float
    ci_high: float
    by_category: dict[str, int]  # failed links per category; "unspecified" for failures without one


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    The three-line formula, written here rather than taking scipy or statsmodels for it (neither is a dependency);
    unlike the normal approximation it stays inside [0, 1] and behaves for small samples and rates near 0 or 1.
    """
    if n == 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # At 0 or n successes the bound is exactly 0 or 1; floating point would leave 1e-17 off it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def audit_summary(verdicts: Iterable[AuditVerdict]) -> AuditSummary:
    """Summarise verdicts; a link judged twice counts once, by its last verdict (the reviewer changed their mind)."""
    latest = {v.identity: v for v in verdicts}
    n = len(latest)
    passed = sum(v.passed for v in latest.values())
    by_category = dict.fromkeys((*AUDIT_CATEGORIES, "unspecified"), 0)
    for verdict in latest.values():
        if not verdict.passed:
            by_category[verdict.category or "unspecified"] += 1
    low, high = wilson_interval(passed, n)
    return AuditSummary(n, passed, passed / n if n else None, low, high, by_category)
