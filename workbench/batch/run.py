"""A batch from start to corpus: skip what a previous run finished, align the rest, rebuild the exports."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from workbench.batch.manifest import DocumentPair
from workbench.batch.pipeline import BatchOptions, PairResult
from workbench.batch.store import CorpusFolder
from workbench.errors import InputError


class Executor(Protocol):
    """Where documents are aligned: :class:`~workbench.batch.local.LocalExecutor` or the Ray one."""

    def describe(self) -> str: ...

    def run(self, pairs: Sequence[DocumentPair], options: BatchOptions) -> Iterator[PairResult]: ...


@dataclass
class BatchProgress:
    """What a progress bar needs: documents done of those to do this run, and sentences for the rate."""

    done: int
    total: int
    failed: int
    sentences: int
    last: str = ""


@dataclass
class BatchReport:
    """What a run did; ``seconds`` adds up where time went over the documents aligned in this run."""

    aligned: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    sentences: int = 0
    wall_seconds: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)


def run_batch(
    pairs: Sequence[DocumentPair],
    out: str | Path,
    executor: Executor,
    options: BatchOptions | None = None,
    progress: Callable[[BatchProgress], None] | None = None,
) -> BatchReport:
    """Align every pair not finished in ``out`` yet, record each as it comes, then rebuild the corpus exports.

    A failed document is recorded with its reason and the others go on; it is tried again by the next run.
    """
    options = options or BatchOptions()
    folder = CorpusFolder(out)
    if folder.root.exists() and not folder.root.is_dir():
        raise InputError(f"{folder.root} is a file; --out names a folder for the corpus.")
    with folder.locked():
        return _run_locked(pairs, folder, executor, options, progress)


def _run_locked(
    pairs: Sequence[DocumentPair],
    folder: CorpusFolder,
    executor: Executor,
    options: BatchOptions,
    progress: Callable[[BatchProgress], None] | None,
) -> BatchReport:
    folder.start(pairs, options)
    todo = [pair for pair in pairs if not folder.finished(pair.id)]
    report = BatchReport(skipped=len(pairs) - len(todo))
    started = time.perf_counter()
    state = BatchProgress(0, len(todo), 0, 0)
    if progress:
        progress(state)
    for result in executor.run(todo, options):
        folder.record(result)
        state.done += 1
        state.last = result.id
        if result.error is None:
            report.aligned += 1
            report.sentences += result.sentences
            state.sentences += result.sentences
        else:
            report.failed.append((result.id, result.error))
            state.failed += 1
        for part, seconds in result.seconds.items():
            report.seconds[part] = report.seconds.get(part, 0.0) + seconds
        if progress:
            progress(state)
    report.wall_seconds = time.perf_counter() - started
    report.outputs = folder.write_exports()
    return report
