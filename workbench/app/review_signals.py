"""The translation-quality signal of the Review page, computed in the background so that review never waits.

Two jobs a target, one worker each (the machine has few cores, and the reviewer's own edits must stay quick):
the spot-checks that make the quality signal (seconds on a 5,000-link target), redone after each saved
revision, and once a session the round trip (the target translated back with the best offline route,
minutes on a long document; cached on disk, so later runs translate only changed text), after which the checks
run again with each link's round-trip chrF. The checks run in a worker process: they are pure Python, and in a
thread they would hold the interpreter lock that the app's server needs to send the reviewer's edit back (a
second on a 5,000-link target). The round trip runs in a thread: its engines work outside the lock. Each job
reads its own copy of the project from disk, so the session's project, which the reviewer keeps editing, is never
read from elsewhere.

Until a job is done the page shows the last known signal of every link whose sentences are the same (links are
keyed by their sentence ids, which edits elsewhere never change), and "not judged yet" for the rest.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from workbench.checks.quality import LinkQuality
from workbench.errors import WorkbenchError
from workbench.projects import Project, open_project, project_to_corpus
from workbench.spot_check import back_translate, target_quality
from workbench.translation.cache import TranslationCache
from workbench.translation.router import Router

log = logging.getLogger("workbench.app")

#: ``WORKBENCH_ROUND_TRIP=off`` leaves the round trip out (a benchmark of the editor alone, a slow machine).
ROUND_TRIP_ENV = "WORKBENCH_ROUND_TRIP"


def _round_trip_off() -> bool:
    """Read at each use, so a test or a benchmark can turn it off for the server it starts."""
    return os.environ.get(ROUND_TRIP_ENV, "").lower() in ("off", "0", "no")


LinkKey = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass
class _Target:
    """What is known of one target's signals, and the jobs running for it."""

    revision: int = -1  # the revision ``items`` were computed for
    items: list[LinkQuality] = field(default_factory=list)
    by_link: dict[LinkKey, LinkQuality] = field(default_factory=dict)
    checking: Future | None = None
    back: dict[str, str] | None = None  # target text -> its back-translation, once the round trip is done
    round_trip: Future | None = None
    round_trip_route: str = ""
    round_trip_note: str = ""
    progress: tuple[int, int, float] = (0, 0, 0.0)  # done, total, start time
    generation: int = 0  # bumped when the back-translations arrive: checks made before them are not final
    back_revision: int = -1  # the revision the back-translations were made for


@dataclass(frozen=True)
class Signals:
    """What the page shows now: one quality per link (None: not judged yet) and what is still running."""

    items: list[LinkQuality | None]
    checking: bool
    round_trip: str  # a line for the reviewer: progress with an estimate, the route used, or why there is none

    @property
    def pending(self) -> bool:
        return self.checking or self.round_trip.startswith(("Round trip running", "Round trip starting"))

    @property
    def version(self) -> int:
        """Changes when the signals change, so the editor redraws its colours (and nothing else)."""
        running = self.round_trip.startswith(("Round trip running", "Round trip starting"))
        return hash((self.checking, running, tuple(None if q is None else q.score for q in self.items)))


class ReviewSignals:
    """One per app process (``st.cache_resource``): the jobs of every open project's targets."""

    def __init__(self, router: Callable[[], Router], cache: Callable[[], TranslationCache]) -> None:
        self._router = router
        self._cache = cache
        # Two workers: the checks after an edit must not queue behind a round trip of several minutes. "spawn":
        # the server is multi-threaded, which a fork would copy in an undefined state.
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self._slow = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench-round-trip")
        self._lock = threading.Lock()
        self._targets: dict[tuple[Path, str], _Target] = {}

    def start(self, project: Project, key: str) -> None:
        """Start whatever job is missing for the target's current revision (call it once the page is drawn:
        the checks hold the interpreter for a while, and the reviewer's edit should be on screen first)."""
        submitted = None
        with self._lock:
            known = self._targets.setdefault((project.path, key), _Target())
            self._start_round_trip(project, key, known)
            if known.revision != project.revision and (known.checking is None or known.checking.done()):
                root = project.path.parent.parent
                known.checking = submitted = self._pool.submit(_quality_job, root, project.name, key, known.back)
                generation = known.generation
        # Outside the lock: a job that is already done runs its callback here at once, and the callback takes
        # the lock (inside it, a quick job deadlocked the page).
        if submitted is not None:
            submitted.add_done_callback(lambda job: self._checked(known, job, generation))

    def signals(self, project: Project, key: str) -> Signals:
        """The signals to show for a target now (:meth:`start` computes what is missing)."""
        with self._lock:
            known = self._targets.setdefault((project.path, key), _Target())
            links = project.target(key).links
            if known.revision == project.revision and len(known.items) == len(links):
                items: list[LinkQuality | None] = list(known.items)
            else:
                items = [known.by_link.get((link.src, link.tgt)) for link in links]
            checking = known.revision != project.revision
            started = known.round_trip is not None or _round_trip_off()
            line = self._round_trip_line(known) if started else "Round trip starting ..."
            return Signals(items, checking, line)

    # ----------------------------------------------------------------------------------------- jobs

    def _checked(self, known: _Target, job: Future, generation: int) -> None:
        try:
            revision, items, keys = job.result()
        except Exception as exc:  # the project changed shape meanwhile, or is gone: the next call retries
            log.info("quality signal not computed: %s", exc)
            return
        with self._lock:
            known.items, known.by_link = items, dict(zip(keys, items, strict=True))
            # Made without the round trip that has since arrived: shown meanwhile, and made again.
            known.revision = revision if generation == known.generation else -1

    def _start_round_trip(self, project: Project, key: str, known: _Target) -> None:
        if _round_trip_off():
            return
        # Done once, it runs again after an edit, translating only the changed text (the rest is cached).
        if known.round_trip is not None and (
            not known.round_trip.done() or known.back is None or known.back_revision == project.revision
        ):
            return
        known.progress = (0, len(project.target(key).links), time.monotonic())

        def run() -> None:
            try:
                copy = open_project(project.name, project.path.parent.parent)

                def progress(done: int, total: int) -> None:
                    known.progress = (done, total, known.progress[2])

                back, route = back_translate(copy, key, self._router(), progress, self._cache())
            except WorkbenchError as exc:  # no route back, a missing model: say so, the checks go on without
                known.round_trip_note = f"No round trip: {exc}"
                return
            except RuntimeError as exc:  # the app is stopping: the engines' pools refuse new work
                known.round_trip_note = f"No round trip: {exc}"
                return
            except Exception as exc:
                log.exception("round trip of %s/%s failed", project.name, key)
                known.round_trip_note = f"No round trip: {type(exc).__name__}: {exc}"
                return
            units = project_to_corpus(copy, key, tag_variant=False).units
            mapping = {u.target: b for u, b in zip(units, back, strict=True) if b is not None}
            with self._lock:
                known.back, known.round_trip_route, known.back_revision = mapping, route, copy.revision
                known.generation += 1
                known.revision = -1  # the checks run again, now with each link's round-trip chrF

        known.round_trip = self._slow.submit(run)

    @staticmethod
    def _round_trip_line(known: _Target) -> str:
        if _round_trip_off():
            return f"Round trip off ({ROUND_TRIP_ENV})."
        if known.round_trip_note:
            return known.round_trip_note
        # After an edit the round trip runs again over the changed text while the last one's translations are
        # still held: it is running until it is done, or the page would call the signals final while the edited
        # link's round trip is still to come.
        if known.back is not None and known.round_trip is not None and known.round_trip.done():
            return f"Round trip by {known.round_trip_route}: its chrF is part of the quality signal."
        done, total, started = known.progress
        if done and total:
            left = (time.monotonic() - started) / done * (total - done)
            return f"Round trip running: {done}/{total} links translated back, about {left:.0f} s left."
        return "Round trip running: translating the target back ..."


def _quality_job(
    root: Path, name: str, key: str, back: dict[str, str] | None
) -> tuple[int, list[LinkQuality], list[LinkKey]]:
    """In the worker process: the quality of each link of the saved project, with the revision it is for."""
    copy = open_project(name, root)
    items = target_quality(copy, key, back_translations=back)
    return copy.revision, items, [(link.src, link.tgt) for link in copy.target(key).links]
