"""The same sentences through every route a machine has for a pair, so a user can choose (and pin) one.

Each route's output is translated back by one fixed route (the best back route), so the round-trip chrF of the
routes differs only by the route under test. chrF of a back-translation rewards routes that keep the meaning
(and, less fairly, ones that copy the source); it is a guide, not a verdict, so the sample outputs are shown too.
To balance that, each route also counts the sentences the workbench's own checks find words of the source language
left untranslated in (whole sentences or single words: the ``untranslated`` and ``untranslated_words`` checks).
Speed is the forward translation's sentences per second, the cache bypassed and the models loaded beforehand.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sacrebleu.metrics import CHRF

from workbench.errors import ModelUnavailableError
from workbench.translation.router import Route, Router

MAX_ROUTES = 8  # pivots multiply routes; past the best few they are never the choice


@dataclass(frozen=True)
class RouteComparison:
    """One route's result on the sample."""

    route: Route
    translations: list[str]
    back_translations: list[str]
    chrf: float  # corpus chrF (0-100) of the back-translations against the sources
    untranslated: int  # sentences with source-language words (or all of it) left untranslated
    seconds: float

    @property
    def sentences_per_second(self) -> float:
        return len(self.translations) / self.seconds if self.seconds > 0 else float("inf")


def compare_routes(
    router: Router,
    src: str,
    tgt: str,
    sentences: Sequence[str],
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[list[RouteComparison], Route]:
    """Every route (best first, at most MAX_ROUTES) on ``sentences``; returns them and the back route used.

    ``progress(done, total, what)`` is called after each route's forward and back translation.
    """
    routes = router.candidates(src, tgt)[:MAX_ROUTES]
    if not routes:
        router.route(src, tgt)  # raises the message that says what to install
        raise ModelUnavailableError(f"no route translates {src}->{tgt} here.")
    back = router.candidates(tgt, src)
    if not back:
        raise ModelUnavailableError(f"nothing translates {tgt}->{src} back here, so round trips cannot be scored.")
    back_route = back[0]
    texts = [" ".join(s.split()) for s in sentences if s.strip()]
    results = []
    for k, route in enumerate(routes):
        route.translate(texts[:1])  # loads the models first: speed is translating, not loading
        start = time.perf_counter()
        forward = route.translate(texts)
        seconds = time.perf_counter() - start
        returned = back_route.translate(forward)
        score = CHRF().corpus_score(returned, [texts]).score
        results.append(
            RouteComparison(route, forward, returned, score, _untranslated(texts, forward, src, tgt), seconds)
        )
        if progress:
            progress(k + 1, len(routes), route.describe())
    return results, back_route


def _untranslated(sources: list[str], targets: list[str], src: str, tgt: str) -> int:
    """Sentences whose translation keeps source-language words (the checks' findings, one sentence a link)."""
    from workbench.checks.runner import run_checks
    from workbench.formats.units import TranslationUnit

    units = [TranslationUnit((s,), (t,)) for s, t in zip(sources, targets, strict=True)]
    findings = run_checks(units, src, tgt, kinds=["untranslated", "untranslated_words"])
    return len({f.unit_index for f in findings})
