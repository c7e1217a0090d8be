"""Length ratios far from the document's own: a translation much shorter or longer than its neighbours' suggests
an omission, an addition or a wrong link.

Each document is its own reference because the usual ratio depends on the languages (German runs longer than
English, Chinese far shorter in characters) and on the translator. The spread is measured robustly (median and
median absolute deviation) so that the outliers being looked for do not widen the yardstick.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from workbench.checks.base import CheckContext, Finding, is_paired

# The MAD of a normal distribution times this is its standard deviation.
_MAD_TO_SD = 1.4826


def _length(text: str) -> int:
    """Characters other than spaces: spacing conventions differ between languages, content does not."""
    return len("".join(text.split()))  # split() drops the same (Unicode) spaces as isspace(), in C


def robust_z_scores(values: np.ndarray, min_spread: float) -> tuple[np.ndarray, float, float]:
    """(z-scores, median, spread) with the spread from the MAD, floored at ``min_spread``."""
    median = float(np.median(values))
    spread = max(_MAD_TO_SD * float(np.median(np.abs(values - median))), min_spread)
    return (values - median) / spread, median, spread


def check_length_ratio(context: CheckContext) -> Iterator[Finding]:
    """Flag paired links whose log length ratio lies more than ``length_max_z`` robust deviations from the median."""
    thresholds = context.thresholds
    paired = [(i, u) for i, u in enumerate(context.units) if is_paired(u)]
    if len(paired) < thresholds.length_min_units:
        return
    source_lengths = np.array([_length(u.source) for _, u in paired], dtype=float)
    target_lengths = np.array([_length(u.target) for _, u in paired], dtype=float)
    log_ratios = np.log((target_lengths + 1) / (source_lengths + 1))
    z_scores, median, _ = robust_z_scores(log_ratios, thresholds.length_min_spread)
    usual = math.exp(median)
    for (index, _unit), z, s_len, t_len, log_ratio in zip(
        paired, z_scores, source_lengths, target_lengths, log_ratios, strict=True
    ):
        if abs(z) <= thresholds.length_max_z or max(s_len, t_len) < thresholds.length_min_chars:
            continue
        ratio = math.exp(log_ratio)
        longer_or_shorter = "shorter" if z < 0 else "longer"
        hint = "part of the source may be missing" if z < 0 else "the target may add to the source"
        yield Finding(
            "length_ratio",
            "warning",
            f"The target is much {longer_or_shorter} than usual in this document ({ratio:.2f} times the source's "
            f"length, against {usual:.2f} typically): {hint}, or the link pairs the wrong sentences.",
            index,
            {
                "source_chars": int(s_len),
                "target_chars": int(t_len),
                "ratio": round(ratio, 3),
                "document_ratio": round(usual, 3),
                "z": round(float(z), 2),
            },
        )
