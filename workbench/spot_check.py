"""Spot-checking a project's target: the automatic checks on its links, with an optional round trip.

The checks themselves (:mod:`workbench.checks`) work on plain units of text; this module feeds them a project's
target, back-translates the target into the source language with the best offline route when asked (another
signal: chrF of the back-translation against the source), and is what ``workbench check`` and the app's
Spot-check page call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.checks import CheckThresholds, Finding, GlossaryEntry, run_checks
from workbench.errors import ModelUnavailableError
from workbench.formats.units import TranslationUnit
from workbench.projects import Project, project_to_corpus
from workbench.translation.base import Progress

if TYPE_CHECKING:
    from workbench.translation.router import Router


@dataclass
class CheckRun:
    """What a spot-check found on one target: findings point into ``units`` (one unit a link, in order)."""

    target_key: str
    source_lang: str
    target_lang: str
    units: list[TranslationUnit]
    findings: list[Finding]
    round_trip: str | None = None  # the route that back-translated, when one did
    notes: list[str] = field(default_factory=list)  # what could not be done, e.g. no route for the round trip


def check_target(
    project: Project,
    target_key: str,
    glossary: Sequence[GlossaryEntry] | None = None,
    thresholds: CheckThresholds | dict | None = None,
    *,
    round_trip: bool = False,
    router: Router | None = None,
    progress: Progress | None = None,
    kinds: Sequence[str] | None = None,
) -> CheckRun:
    """Run every check (or ``kinds``) on a target's links; with ``round_trip``, back-translate first."""
    target = project.target(target_key)
    units = project_to_corpus(project, target_key).units
    run = CheckRun(target_key, project.source.lang, target.lang, units, [])
    back: list[str | None] | None = None
    if round_trip:
        from workbench.translation.router import Router

        router = router or Router()
        try:
            route = router.route(target.lang, project.source.lang)
        except ModelUnavailableError as exc:
            run.notes.append(f"no round trip: {exc}")
        else:
            paired = [k for k, u in enumerate(units) if u.target.strip()]
            texts = route.translate([units[k].target for k in paired], progress=progress)
            back = [None] * len(units)
            for k, text in zip(paired, texts, strict=True):
                back[k] = text
            run.round_trip = route.describe()
    run.findings = run_checks(
        units, project.source.lang, target.lang, glossary, thresholds, back_translations=back, kinds=kinds
    )
    return run
