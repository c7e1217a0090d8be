"""Spot-checking a project's target: the automatic checks on its links, with an optional round trip.

The checks themselves (:mod:`workbench.checks`) work on plain units of text; this module feeds them a project's
target, back-translates the target into the source language with the best offline route when asked (another
signal: chrF of the back-translation against the source), and is what ``workbench check`` and the app's
Spot-check page call. :func:`target_quality` is the per-link quality signal the review screen colours and sorts
by (:mod:`workbench.checks.quality`); :func:`back_translate` makes its round trip, in the background.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.checks import CheckThresholds, Finding, GlossaryEntry, run_checks
from workbench.checks.quality import QUALITY_KINDS, LinkQuality, link_quality
from workbench.checks.round_trip import link_chrf
from workbench.errors import InputError, ModelUnavailableError
from workbench.formats.units import TranslationUnit
from workbench.projects import Project, project_to_corpus
from workbench.review import unrelated_target
from workbench.translation.base import Progress

if TYPE_CHECKING:
    from workbench.translation.cache import TranslationCache
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


#: Links back-translated per call of the route: each chunk reaches the cache as soon as it is done, so a job stopped
#: midway (an edit made, the page left) keeps what it did; fewer, longer calls save little (an Apertium process
#: starts in 0.3 s, Bergamot translates in batches anyway).
BACK_TRANSLATION_CHUNK = 500


def back_translate(
    project: Project,
    target_key: str,
    router: Router | None = None,
    progress: Progress | None = None,
    cache: TranslationCache | None = None,
) -> tuple[list[str | None], str]:
    """Each link's target translated back into the source language (None for a link without a target), and the route.

    Made for a background thread: it reads the links once, at the start (give it a project of its own from
    ``open_project`` if the page may edit meanwhile), and shares nothing else but ``cache``, which is thread-safe.
    With a ``cache`` every engine step translates only texts it has not seen, so a call after an edit translates
    only the links whose text changed, and a job stopped midway (``progress`` may raise to stop it) keeps the
    chunks of :data:`BACK_TRANSLATION_CHUNK` links it finished before. Raises ModelUnavailableError when no engine can
    translate back. ``progress(done, total)`` counts sentences over every step of the route.
    """
    from workbench.translation.router import Router

    target = project.target(target_key)
    units = project_to_corpus(project, target_key, tag_variant=False).units
    route = (router or Router()).route(target.lang, project.source.lang)
    paired = [k for k, u in enumerate(units) if u.target.strip()]
    texts = [units[k].target for k in paired]
    steps = len(route.steps)
    translated: list[str] = []
    for start in range(0, len(texts), BACK_TRANSLATION_CHUNK):

        def chunk_progress(done: int, _total: int, base: int = start * steps) -> None:
            if progress:
                progress(base + done, len(texts) * steps)

        chunk = texts[start : start + BACK_TRANSLATION_CHUNK]
        translated.extend(route.translate(chunk, progress=chunk_progress, cache=cache))
    back: list[str | None] = [None] * len(units)
    for k, text in zip(paired, translated, strict=True):
        back[k] = text
    return back, route.describe()


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
    back_translations: Sequence[str | None] | None = None,
    cache: TranslationCache | None = None,
) -> CheckRun:
    """Run every check (or ``kinds``) on a target's links.

    With ``round_trip``, back-translate first (through ``cache`` when given); or pass ``back_translations`` made
    earlier by :func:`back_translate`, one per link.
    """
    target = project.target(target_key)
    units = project_to_corpus(project, target_key, tag_variant=False).units
    run = CheckRun(target_key, project.source.lang, target.lang, units, [])
    unrelated = unrelated_target(project, target_key)
    if unrelated:  # no check of single links says this, and it voids what they say
        run.notes.append(unrelated)
    back = list(back_translations) if back_translations is not None else None
    if round_trip and back is None:
        try:
            back, run.round_trip = back_translate(project, target_key, router, progress, cache)
        except ModelUnavailableError as exc:
            run.notes.append(f"no round trip: {exc}")
    run.findings = run_checks(
        units, project.source.lang, target.lang, glossary, thresholds, back_translations=back, kinds=kinds
    )
    return run


def target_quality(
    project: Project,
    target_key: str,
    *,
    back_translations: Sequence[str | None] | Mapping[str, str] | None = None,
    thresholds: CheckThresholds | dict | None = None,
    glossary: Sequence[GlossaryEntry] | None = None,
) -> list[LinkQuality]:
    """The translation-quality signal of each link of a target, in link order (see :mod:`workbench.checks.quality`).

    Runs only the translation-quality checks, fast enough to call after every edit. ``back_translations`` are
    one per link (as :func:`back_translate` returns them) or a mapping from a link's target text to its
    back-translation: a mapping made before an edit still serves every link whose text the edit left alone,
    while the background job catches up with the rest.
    """
    units = project_to_corpus(project, target_key, tag_variant=False).units
    back: list[str | None] | None = None
    if isinstance(back_translations, Mapping):
        back = [back_translations.get(u.target) if u.target.strip() else None for u in units]
    elif back_translations is not None:
        back = list(back_translations)
        if len(back) != len(units):
            raise InputError(f"{len(units)} links but {len(back)} back-translations: give one per link.")
    findings = run_checks(
        units,
        project.source.lang,
        project.target(target_key).lang,
        glossary,
        thresholds,
        back_translations=back,
        kinds=QUALITY_KINDS,
    )
    return link_quality(units, findings, link_chrf(units, back) if back is not None else None)
