"""Running a batch on this machine: worker processes across the cores, each loading the model once.

With one worker everything runs in the calling process (no second copy of the model in memory). With more, a
process pool started with ``spawn`` (PyTorch's threads do not survive ``fork``) runs :func:`align_pair` in each
worker on the embedder that worker loaded at its start; the cores are shared out between the workers' threads.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence

from workbench.batch.manifest import DocumentPair
from workbench.batch.pipeline import BatchOptions, PairResult, align_pair
from workbench.embedding.base import Embedder

_WORKER_DIED = "its worker process died (killed, or out of memory); run the batch again to retry it"

_worker_embedder: Embedder | None = None
_worker_load_seconds = 0.0


def load_batch_embedder(options: BatchOptions, threads: int | None, device: str = "cpu") -> Embedder:
    """The embedder without the on-disk cache: a batch embeds each sentence once, and several processes writing
    one SQLite cache would only wait for each other. Resuming is by document, not by sentence."""
    from workbench.embedding import load_embedder

    return load_embedder(options.embedder, threads=threads, use_cache=False, device=device)


def _start_worker(options: BatchOptions, threads: int, device: str) -> None:
    global _worker_embedder, _worker_load_seconds
    started = time.perf_counter()
    _worker_embedder = load_batch_embedder(options, threads, device)
    _worker_load_seconds = time.perf_counter() - started


def _run_in_worker(pair: DocumentPair, options: BatchOptions) -> PairResult:
    global _worker_load_seconds
    assert _worker_embedder is not None, "the pool's initializer loads the embedder"
    result = align_pair(pair, _worker_embedder, options)
    if _worker_load_seconds:  # the model's loading is charged to the first document of each worker
        result.seconds["model_loading"] = _worker_load_seconds
        _worker_load_seconds = 0.0
    return result


class LocalExecutor:
    """Aligns pairs with ``workers`` processes (1: in this process), yielding each result as it is ready.

    ``device`` (cpu, cuda, cuda:N, auto) is where every worker's model runs; a GPU that is not there is refused
    here, before the corpus folder is touched, rather than by each worker."""

    def __init__(self, workers: int = 1, threads: int | None = None, device: str | None = None) -> None:
        from workbench.embedding.device import resolve_device

        if workers < 1:
            from workbench.errors import InputError

            raise InputError("--workers must be at least 1.")
        self.workers = workers
        cores = os.cpu_count() or 1
        self.threads = threads or max(1, cores // workers)
        self.device = resolve_device(device)

    def describe(self) -> str:
        return f"{self.workers} local worker(s), {self.threads} thread(s) each, on {self.device}"

    def run(self, pairs: Sequence[DocumentPair], options: BatchOptions) -> Iterator[PairResult]:
        if not pairs:
            return
        if self.workers == 1:
            started = time.perf_counter()
            embedder = load_batch_embedder(options, self.threads, self.device)
            loading = time.perf_counter() - started
            for number, pair in enumerate(pairs):
                result = align_pair(pair, embedder, options)
                if number == 0:
                    result.seconds["model_loading"] = loading
                yield result
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=min(self.workers, len(pairs)),
            mp_context=context,
            initializer=_start_worker,
            initargs=(options, self.threads, self.device),
        ) as pool:
            futures = {pool.submit(_run_in_worker, pair, options): pair for pair in pairs}
            try:
                for future in as_completed(futures):
                    try:
                        yield future.result()
                    except BrokenProcessPool:  # a worker was killed (out of memory?): its documents fail, the
                        pair = futures[future]  # run still writes what the others finished; a rerun retries
                        yield PairResult(pair.id, pair.src_lang, pair.tgt_lang, error=_WORKER_DIED)
            finally:
                for future in futures:  # stopped early (an interrupt): drop the work not started
                    future.cancel()
