"""Shared fixtures: the real embedded default model (converted and exported once by setup.sh) with a throw-away
cache, and its torch route for the tests that need torch itself."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from workbench.embedding import DEFAULT_EMBEDDER, E5_PREFIX, load_embedder
from workbench.embedding.base import Embedder
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
    """The default embedder exactly as the CLI builds it on the CPU, with a cache of its own so tests start cold.

    The library's own ``load_embedder("e5-small")``, so the fixture follows the default route: ONNX Runtime float32
    from the export setup.sh made in the user's cache (made here once if setup did not; never per test).
    """
    inner = load_embedder(DEFAULT_EMBEDDER, cache_dir=e5_folder.parent.parent, use_cache=False, threads=2)
    return CachedEmbedder(inner, EmbeddingCache(tmp_path_factory.mktemp("cache") / "embeddings.sqlite"))


@pytest.fixture(scope="session")
def e5_torch(e5_folder: Path) -> Embedder:
    """The same model through sentence-transformers and torch (``e5-small-torch``, what e5-small runs on a GPU),
    uncached: the reference the ONNX routes are checked against."""
    return SentenceTransformerEmbedder(e5_folder, name=DEFAULT_MODEL_NAME, prefix=E5_PREFIX, threads=2)


# --------------------------------------------------------------------------------------------- the fast tier

#: Fixtures that load a real model, start a browser or translate with a real engine: a test that uses one (directly
#: or through another fixture) is slow. ``pytest -m "not slow"`` leaves those out for an edit-test loop of under a
#: minute; the full run (``.ci/run``, plain ``pytest``) runs everything as before.
SLOW_FIXTURES = frozenset({"e5", "e5_folder", "e5_torch", "app_url", "bergamot", "apertium", "int8", "int8_folder"})
#: Modules whose tests are slow whatever their fixtures: they run the command line or a killed save in subprocesses
#: (each imports torch), build, convert or load models, or translate with real engines.
SLOW_MODULES = frozenset(
    {
        "test_app_browser.py",
        "test_argos_engine.py",
        "test_batch.py",
        "test_cli.py",
        "test_corpus_cli.py",
        "test_e5_conversion.py",
        "test_embedding.py",
        "test_embedding_onnx.py",
        "test_model_install.py",
        "test_reliability.py",
        "test_review_signals.py",
        "test_tiny_argos.py",
        "test_translation.py",
    }
)
#: Single tests that take seconds for a reason of their own (a 20,000-sentence alignment, a process killed midway,
#: a second process holding the file, the whole seed through every check); measured with ``--durations``.
SLOW_TESTS = frozenset(
    {
        "test_twenty_thousand_by_twenty_thousand_in_bounded_memory",
        "test_a_save_killed_midway_leaves_a_consistent_state",
        "test_a_second_writer_gets_a_conflict_instead_of_overwriting",
        "test_a_version_1_project_in_a_read_only_folder_opens_upgraded_in_memory",
        "test_the_seed_and_its_human_translation_raise_no_finding",
        "test_apertium_leaves_english_words_that_the_check_names",
        "test_translate_writes_a_subtitle_as_a_subtitle_and_a_word_file_as_a_word_file",
    }
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: uses a real model, browser or engine; left out by -m 'not slow'")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tests (:data:`SLOW_FIXTURES`, :data:`SLOW_MODULES`, :data:`SLOW_TESTS`) for ``-m "not slow"``."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        name = getattr(item, "originalname", item.name)
        if fixtures & SLOW_FIXTURES or item.path.name in SLOW_MODULES or name in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
