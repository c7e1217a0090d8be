"""The ONNX Runtime route: export, int8 quantisation, agreement with the torch route, damaged folders, cache names,
and ``e5-small`` taking the float32 ONNX route on the CPU.

The real models are the ones setup.sh prepares in the user's cache (exported here if setup did not). The tests
that export, damage and rebuild use a small stand-in built by the test: a 2-layer BERT with random weights and the
real e5 tokenizer, saved as a converted folder, so the real exporter and quantiser run in seconds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from workbench.embedding import load_embedder
from workbench.embedding import onnx_route as route
from workbench.embedding.cache import CachedEmbedder, EmbeddingCache
from workbench.embedding.combined import ByLanguage
from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME
from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder
from workbench.errors import ModelUnavailableError
from workbench.paths import default_cache_dir

SENTENCES = [*route.CHECK_SENTENCES, "Il a plu toute la nuit sur Lausanne.", "ชาวบ้านออกมาช่วยกันทำความสะอาด"]


@pytest.fixture(scope="module")
def int8_folder(e5_folder: Path) -> Path:
    return route.ensure_onnx_model(default_cache_dir() / "models", int8=True)


@pytest.fixture(scope="module")
def int8(int8_folder: Path) -> route.OnnxEmbedder:
    return route.OnnxEmbedder(int8_folder, name=route.onnx_folder_name(DEFAULT_MODEL_NAME, True), threads=2)


def test_int8_export_loads_and_agrees_with_torch(int8: route.OnnxEmbedder, int8_folder: Path, e5_torch) -> None:
    ours = int8.encode(SENTENCES)
    theirs = e5_torch.encode(SENTENCES)
    assert ours.shape == theirs.shape == (len(SENTENCES), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.98, dict(zip(SENTENCES, cosines.round(4), strict=True))
    # Still a translation model: the German sentence is nearer its English original than to the Chinese one's
    # unrelated neighbour in the list ("Yes.").
    assert ours[0] @ ours[1] > ours[1] @ ours[8]
    marker = json.loads((int8_folder / route.MARKER_FILE).read_text(encoding="utf-8"))
    assert marker["int8"] is True and marker["min_cosine_vs_torch"] >= 0.98
    # int8 weights: a quarter of the float32 file, give or take the float tensors left (layer norms, biases).
    assert (int8_folder / route.MODEL_FILE).stat().st_size < 0.3 * (
        int8_folder.parent / DEFAULT_MODEL_NAME / "model.safetensors"
    ).stat().st_size


def test_routes_never_share_cache_entries(int8: route.OnnxEmbedder, e5_folder: Path, tmp_path: Path) -> None:
    torch_route = SentenceTransformerEmbedder(e5_folder, name=DEFAULT_MODEL_NAME, threads=2)
    names = {torch_route.name, int8.name, route.onnx_folder_name(DEFAULT_MODEL_NAME, False) + ":noprefix"}
    assert len(names) == 3
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    texts = SENTENCES[:3]
    int8_vectors = CachedEmbedder(int8, cache).encode(texts)
    torch_vectors = CachedEmbedder(torch_route, cache).encode(texts)  # must embed afresh, not read int8's rows
    np.testing.assert_allclose(torch_vectors, torch_route.encode(texts), atol=1e-6)
    assert np.abs(torch_vectors - int8_vectors).max() > 1e-4
    assert cache.held(int8.name, texts) == set(texts) and cache.held(torch_route.name, texts) == set(texts)


def test_progress_is_reported_batch_by_batch(int8: route.OnnxEmbedder) -> None:
    calls: list[tuple[int, int]] = []
    int8.batch_size = 4
    try:
        int8.encode(SENTENCES, progress=lambda done, total: calls.append((done, total)))
    finally:
        int8.batch_size = 32
    assert calls == [(4, 11), (8, 11), (11, 11)]


def test_default_name_on_the_cpu_is_the_float32_onnx_route_and_agrees_with_torch(e5_torch) -> None:
    """``e5-small`` runs ONNX Runtime float32 on the CPU, under a cache name of its own, with torch's vectors up to
    float rounding in every script of :data:`SENTENCES` (Latin, Han, Cyrillic, Arabic, Devanagari, Greek, Hangul,
    Thai): the same links, only sooner."""
    default = load_embedder("e5-small", threads=2, use_cache=False)
    assert isinstance(default, ByLanguage) and isinstance(default.first, route.OnnxEmbedder)  # USE only for Chinese
    assert default.name == f"{route.onnx_folder_name(DEFAULT_MODEL_NAME, False)}:noprefix"
    assert "onnx" in default.name and "int8" not in default.name
    assert default.name != e5_torch.name  # cache rows of its own: never served the torch route's
    ours, theirs = default.encode(SENTENCES), e5_torch.encode(SENTENCES)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.9999, dict(zip(SENTENCES, cosines.round(6), strict=True))
    torch_by_name = load_embedder("e5-small-torch", threads=2, use_cache=False)  # still there by name
    assert isinstance(torch_by_name, SentenceTransformerEmbedder) and torch_by_name.name == e5_torch.name


# --------------------------------------------------------------------------------------------- the stand-in


@pytest.fixture(scope="module")
def tiny_models(e5_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder whose 'converted e5' is a 2-layer, 32-wide BERT with the real tokenizer and marker."""
    import torch
    from transformers import BertConfig, BertModel

    models = tmp_path_factory.mktemp("models")
    tiny = models / DEFAULT_MODEL_NAME
    config = json.loads((e5_folder / "config.json").read_text(encoding="utf-8"))
    config.update(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
    torch.manual_seed(13)
    BertModel(BertConfig(**config)).save_pretrained(tiny)
    for name in (
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "workbench_conversion.json",
    ):
        shutil.copyfile(e5_folder / name, tiny / name)
    shutil.copytree(e5_folder / "2_Normalize", tiny / "2_Normalize")
    (tiny / "1_Pooling").mkdir()
    pooling = json.loads((e5_folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    (tiny / "1_Pooling" / "config.json").write_text(json.dumps({**pooling, "word_embedding_dimension": 32}))
    return models


def test_stand_in_export_is_made_once_and_agrees(tiny_models: Path) -> None:
    folder = route.ensure_onnx_model(tiny_models, int8=False)
    assert folder.name == route.onnx_folder_name(DEFAULT_MODEL_NAME, False)
    assert not [p for p in tiny_models.iterdir() if p.name.startswith(".")]  # no temporary folder left
    made = (folder / route.MODEL_FILE).stat().st_mtime_ns
    assert route.ensure_onnx_model(tiny_models, int8=False) == folder
    assert (folder / route.MODEL_FILE).stat().st_mtime_ns == made  # current: not exported again
    assert route.agreement_with_torch(folder, tiny_models / DEFAULT_MODEL_NAME, SENTENCES) > 0.9999


def test_half_and_truncated_folders_are_made_again(tiny_models: Path) -> None:
    folder = route.ensure_onnx_model(tiny_models, int8=False)
    (folder / route.MARKER_FILE).unlink()  # as if the process died before the marker was written
    assert route.ensure_onnx_model(tiny_models, int8=False) == folder
    assert (folder / route.MARKER_FILE).is_file()
    model = folder / route.MODEL_FILE
    model.write_bytes(model.read_bytes()[: model.stat().st_size // 2])  # truncated: size no longer matches
    route.ensure_onnx_model(tiny_models, int8=False)
    route.OnnxEmbedder(folder).encode(["loads again"])


def test_damaged_model_is_refused_clearly_then_rebuilt(tiny_models: Path) -> None:
    folder = route.ensure_onnx_model(tiny_models, int8=False)
    model = folder / route.MODEL_FILE
    model.write_bytes(b"\0" * model.stat().st_size)  # same size as recorded, nothing of a model left
    with pytest.raises(ModelUnavailableError, match=r"damaged.*embedders --prepare"):
        route.OnnxEmbedder(folder)
    embedder = route.load_onnx_embedder(tiny_models, int8=False, threads=1)
    assert embedder.encode(["rebuilt"]).shape == (1, 32)


def test_folder_without_a_model_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match=r"no exported ONNX model"):
        route.OnnxEmbedder(tmp_path)


def test_int8_stand_in_export_quantises(tiny_models: Path) -> None:
    folder = route.ensure_onnx_model(tiny_models, int8=True)
    assert folder.name.endswith("-onnx-int8")
    graph = (folder / route.MODEL_FILE).read_bytes()
    assert b"DynamicQuantizeLinear" in graph and b"MatMulInteger" in graph
    assert route.OnnxEmbedder(folder).encode(SENTENCES).shape == (len(SENTENCES), 32)


def test_export_that_disagrees_is_not_installed(tiny_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tiny_models / "refused"
    monkeypatch.setitem(route.MIN_COSINE, False, 1.01)  # no export can reach it: the check must refuse
    with pytest.raises(ModelUnavailableError, match="disagrees with the torch route"):
        route.export_onnx(tiny_models / DEFAULT_MODEL_NAME, dest, int8=False)
    assert not dest.exists()
    assert not [p for p in tiny_models.iterdir() if p.name.startswith(".refused")]
