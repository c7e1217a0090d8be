"""Round trip: translate the target back into the source language and compare it with the source.

A back-translation far from its source (by chrF, which copes with inflection and needs no tokeniser) points at a
translation that changed the meaning. Machine back-translation is never close to the source word for word, so a
link is judged against the document's own scores, with an absolute floor for the hopeless ones. Which engine
back-translates is decided elsewhere; this module takes the back-translations as given.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Sequence

import numpy as np
from sacrebleu.metrics import CHRF

from workbench.checks.base import CheckContext, Finding, is_paired
from workbench.checks.length import robust_z_scores
from workbench.formats.units import TranslationUnit


def chrf_signature() -> str:
    """sacrebleu's signature of the chrF used (``nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:...``)."""
    metric = CHRF()
    metric.sentence_score("a", ["a"])  # sacrebleu knows the number of references only once it has scored
    return str(metric.get_signature())


def round_trip_scores(sources: Sequence[str], back_translations: Sequence[str | None]) -> list[float]:
    """chrF (0-100) of each back-translation against its source; NaN where either side is empty or missing."""
    if len(sources) != len(back_translations):
        raise ValueError(f"{len(sources)} sources but {len(back_translations)} back-translations")
    scores = []
    for source, back in zip(sources, back_translations, strict=True):
        if not source.strip() or back is None or not back.strip():
            scores.append(math.nan)
        else:
            scores.append(sentence_chrf(back, source))
    return scores


@functools.lru_cache(maxsize=1 << 16)
def sentence_chrf(hypothesis: str, reference: str) -> float:
    """sacrebleu's sentence chrF, remembered: the app scores a whole document after every edit, and only the
    edited links' pairs are new (about half a millisecond each, 2.5 s for 5,000 links). A metric object a call,
    so that threads never share one."""
    return float(CHRF().sentence_score(hypothesis, [reference]).score)


def link_chrf(units: Sequence[TranslationUnit], back_translations: Sequence[str | None]) -> list[float | None]:
    """Round-trip chrF (0-100) of each link, as the round-trip check scores it; None where there is nothing to score.

    Links with a side empty have no translation to judge, so they get None even when a back-translation is given.
    """
    return [None if math.isnan(s) else s for s in round_trip_scores(_scored_sources(units), back_translations)]


def _scored_sources(units: Sequence[TranslationUnit]) -> list[str]:
    """Each link's source, or "" for a link with a side empty (nothing translated to compare)."""
    return [u.source if is_paired(u) else "" for u in units]


def check_round_trip(context: CheckContext) -> Iterator[Finding]:
    """Flag links whose back-translation scores far below the document's usual chrF, or below the floor."""
    backs = context.back_translations
    if backs is None:
        return
    units = context.units
    if len(backs) != len(units):
        raise ValueError(f"{len(units)} units but {len(backs)} back-translations")
    scores = round_trip_scores(_scored_sources(units), backs)
    scored = [(i, s) for i, s in enumerate(scores) if not math.isnan(s)]
    thresholds = context.thresholds
    z_by_index: dict[int, float] = {}
    median = math.nan
    if len(scored) >= thresholds.round_trip_min_units:
        z, median, _ = robust_z_scores(np.array([s for _, s in scored]), thresholds.round_trip_min_spread)
        z_by_index = {i: float(v) for (i, _), v in zip(scored, z, strict=True)}
    signature = chrf_signature()
    for index, score in scored:
        z = z_by_index.get(index, math.nan)
        relative = not math.isnan(z) and z < -thresholds.round_trip_max_z
        if not relative and score >= thresholds.round_trip_min_chrf:
            continue
        usual = f"; the document's median is {median:.0f}" if not math.isnan(median) else ""
        yield Finding(
            "round_trip",
            "warning",
            f"Translated back, this link comes out far from its source (chrF {score:.0f}{usual}): "
            "the translation may change the meaning.",
            index,
            {
                "chrf": round(score, 2),
                "document_median": None if math.isnan(median) else round(median, 2),
                "z": None if math.isnan(z) else round(z, 2),
                "back_translation": backs[index],
                "signature": signature,
            },
        )
