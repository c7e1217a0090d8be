"""Shared fixtures: the real embedded default model (converted once by setup.sh) with a throw-away cache."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from workbench.embedding.cache import CachedEmbedder, EmbeddingCache
from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME, ensure_default_model
from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder
from workbench.paths import default_cache_dir

DATA = Path(__file__).parent / "data"

# argostranslate creates and reads its folders when first imported: keep every test away from the user's own
# packages (tests that need packages install tiny ones into folders of their own).
_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="workbench-tests-argos-"))
os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "packages")
os.environ["XDG_DATA_HOME"] = str(_ARGOS_HOME / "data")


@pytest.fixture(scope="session")
def e5_folder() -> Path:
    """The converted multilingual-e5-small folder in the user's cache (converted here if setup did not)."""
    return ensure_default_model(default_cache_dir() / "models")


@pytest.fixture(scope="session")
def e5(e5_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> CachedEmbedder:
    """The default embedder exactly as the CLI builds it, with a cache of its own so tests start cold."""
    inner = SentenceTransformerEmbedder(e5_folder, name=DEFAULT_MODEL_NAME, prefix="", threads=2)
    return CachedEmbedder(inner, EmbeddingCache(tmp_path_factory.mktemp("cache") / "embeddings.sqlite"))
