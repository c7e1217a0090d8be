"""Running a batch on a Ray cluster: embedding actors hold the model, alignment tasks are fed from them.

Each actor loads the embedder once (on a GPU where the cluster has them, else on CPU) and serves ``encode`` calls;
each document is one alignment task (one CPU) that reads the pair, and sends its sentences to an actor through
:class:`ActorEmbedder`, so the aligner (and its refinement pass, which embeds spans) runs unchanged. Results come
back to the driver, which alone writes the corpus folder. The documents' paths must be readable on every node
(a shared file system), as they are on one machine.

Ray is an optional extra: ``pip install -e ".[ray]"``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from workbench.batch.manifest import DocumentPair
from workbench.batch.pipeline import BatchOptions, PairResult, align_pair
from workbench.embedding.base import Embedder, Progress
from workbench.errors import InputError, WorkbenchError

RAY_HINT = 'Ray is not installed here: install the extra with  pip install -e ".[ray]"  (or  pip install ray).'


def require_ray() -> Any:
    """The ``ray`` module, or one line saying how to get it."""
    try:
        import ray
    except ImportError:
        raise WorkbenchError(RAY_HINT) from None
    return ray


class _EmbeddingActor:
    """Holds one embedder; Ray makes this class an actor (see :meth:`RayExecutor.run`)."""

    def __init__(self, options: BatchOptions, threads: int | None, use_gpu: bool) -> None:
        from workbench.batch.local import load_batch_embedder

        started = time.perf_counter()
        # An actor given a GPU sees that one only (Ray sets CUDA_VISIBLE_DEVICES): "cuda" is it.
        self.embedder = load_batch_embedder(options, threads, "cuda" if use_gpu else "cpu")
        self.load_seconds = time.perf_counter() - started

    def identity(self) -> tuple[str, int, int, float]:
        return self.embedder.name, self.embedder.dim, self.embedder.batch_size, self.load_seconds

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.embedder.encode(texts)


class ActorEmbedder(Embedder):
    """An embedder whose work is done by an embedding actor (a task's view of it)."""

    def __init__(self, actor: Any, name: str, dim: int, batch_size: int) -> None:
        self.actor = actor
        self.name = name
        self.dim = dim
        self.batch_size = batch_size

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        import ray

        vectors = ray.get(self.actor.encode.remote(list(texts)))
        if progress:
            progress(len(texts), len(texts))
        return vectors


def _align_task(pair: DocumentPair, options: BatchOptions, actor: Any, identity: tuple[str, int, int]) -> PairResult:
    return align_pair(pair, ActorEmbedder(actor, *identity), options)


class RayExecutor:
    """Aligns pairs on Ray. ``address``: ``auto`` (a running cluster, else a new local one), ``local`` (always a
    new local one) or a cluster's address (``ray://host:10001``, ``host:6379``). ``device``: ``auto`` (the
    default: the embedding actors take the cluster's GPUs where it has them), ``cpu`` (never a GPU) or ``cuda``
    (GPUs or a clear error)."""

    def __init__(
        self,
        address: str = "auto",
        *,
        actors: int | None = None,
        num_cpus: int | None = None,
        quiet: bool = True,
        device: str | None = None,
    ) -> None:
        wanted = (device or "auto").strip().lower()
        if wanted not in ("auto", "cpu", "cuda"):
            raise InputError(f"device {device!r} on Ray: give auto, cpu or cuda (Ray gives each actor its GPU).")
        self.device = wanted
        self.ray = require_ray()
        self.address = address
        self.actors = actors
        self.num_cpus = num_cpus
        self.quiet = quiet
        self._described = f"Ray ({address})"

    def describe(self) -> str:
        return self._described

    def _connect(self) -> None:
        ray = self.ray
        if ray.is_initialized():
            return
        kwargs: dict[str, Any] = {"log_to_driver": not self.quiet, "include_dashboard": False}
        if self.address.startswith("ray://"):  # Ray Client: the cluster's settings are its own
            kwargs = {"address": self.address}
        elif self.address == "local":
            kwargs["address"] = "local"
        elif self.address != "auto":
            kwargs["address"] = self.address
        if self.num_cpus is not None and self.address in ("auto", "local"):
            kwargs["num_cpus"] = self.num_cpus
        try:
            ray.init(**kwargs)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise WorkbenchError(f"cannot reach the Ray cluster at {self.address}: {exc}") from None

    def run(self, pairs: Sequence[DocumentPair], options: BatchOptions) -> Iterator[PairResult]:
        if not pairs:
            return
        ray = self.ray
        self._connect()
        resources = ray.cluster_resources()
        gpus, cpus = int(resources.get("GPU", 0)), int(resources.get("CPU", 1))
        if self.device == "cuda" and not gpus:
            raise WorkbenchError(f"device 'cuda' asked for, but the Ray cluster at {self.address} has no GPU; use cpu.")
        if self.device == "cpu":
            gpus = 0  # the actors stay on CPUs, GPUs or not
        # One actor a GPU; on CPUs, one actor for every four cores (an actor's matrix products use its threads,
        # the alignment tasks the rest); at least one.
        count = self.actors or (gpus if gpus else max(1, cpus // 4))
        threads = 1 if gpus else max(1, min(4, cpus // (count + 1)))
        actor_class = ray.remote(num_gpus=1 if gpus else 0, num_cpus=0 if gpus else 1)(_EmbeddingActor)
        actors = [actor_class.remote(options, threads, bool(gpus)) for _ in range(count)]
        identities = ray.get([a.identity.remote() for a in actors])
        name, dim, batch_size, _ = identities[0]
        loading = max(identity[3] for identity in identities)
        self._described = f"Ray: {count} embedding actor(s) on {'GPU' if gpus else 'CPU'}, {cpus} CPU(s)"
        task = ray.remote(num_cpus=1)(_align_task)
        window = max(2, 2 * cpus)  # documents in flight: enough to keep every core busy, not the whole manifest
        pending: dict[Any, DocumentPair] = {}
        queue = list(pairs)
        first = True
        try:
            while queue or pending:
                while queue and len(pending) < window:
                    pair = queue.pop(0)
                    actor = actors[len(queue) % count]
                    pending[task.remote(pair, options, actor, (name, dim, batch_size))] = pair
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    pair = pending.pop(ref)
                    try:
                        result = ray.get(ref)
                    except ray.exceptions.RayError as exc:  # a task or node lost: this document fails, not the run
                        result = PairResult(pair.id, pair.src_lang, pair.tgt_lang, error=f"Ray: {exc}".split("\n")[0])
                    if first and result.error is None:
                        result.seconds["model_loading"] = loading
                        first = False
                    yield result
        finally:
            for ref in pending:
                ray.cancel(ref)
            for actor in actors:
                ray.kill(actor)
