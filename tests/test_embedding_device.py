"""Where the embedding model runs (``load_embedder(device=...)``): the CPU works and gives the vectors it always
gave; a GPU asked for where torch sees none (this project installs a CPU-only torch) is one clear message before
any model is loaded; on a machine with a GPU the same model runs there and agrees with the CPU."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.embedding import load_embedder
from workbench.embedding.device import gpu_count, resolve_device
from workbench.errors import InputError, ModelUnavailableError

SENTENCES = ["The council met on Monday.", "Ráðið kom saman á mánudag.", "联合国安理会举行会议。"]


def test_device_names_are_checked_before_any_model_loads() -> None:
    assert resolve_device(None) == resolve_device("cpu") == resolve_device(" CPU ") == "cpu"
    assert resolve_device("auto") == ("cuda" if gpu_count() else "cpu")
    for bad in ("tpu", "cuda:x", "gpu0"):
        with pytest.raises(InputError, match="cpu, cuda"):
            resolve_device(bad)
    if gpu_count():
        assert resolve_device("cuda") == "cuda"
        with pytest.raises(ModelUnavailableError, match=f"{gpu_count()} GPU"):
            resolve_device(f"cuda:{gpu_count()}")
    else:
        for asked in ("cuda", "cuda:1"):
            with pytest.raises(ModelUnavailableError, match="use cpu") as caught:
                resolve_device(asked)
            assert "CPU-only build" in str(caught.value) or "no CUDA GPU" in str(caught.value)


@pytest.fixture
def torch_threads():
    """Loading with ``threads`` sets torch's thread count for the whole process: later tests get theirs back."""
    import torch

    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def test_the_model_on_each_device(e5_folder: Path, torch_threads) -> None:
    cache_dir = e5_folder.parent.parent  # load_embedder finds the converted model under cache_dir/models
    cpu = load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, device="cpu", threads=1)
    assert str(cpu._model.device) == "cpu"
    default = load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, threads=1)
    vectors = cpu.encode(SENTENCES)
    assert vectors.shape == (3, cpu.dim)
    assert np.allclose(vectors, default.encode(SENTENCES), atol=1e-5)  # cpu is what it always was
    # The ONNX and USE routes run on the CPU only: asking one for a GPU by name is refused (auto settles).
    if gpu_count():
        with pytest.raises(ModelUnavailableError, match="CPU only"):
            load_embedder("e5-small-int8", cache_dir=cache_dir, use_cache=False, device="cuda")
        gpu = load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, device="cuda")
        assert str(gpu._model.device).startswith("cuda")
        assert np.allclose(gpu.encode(SENTENCES), vectors, atol=1e-3)
    else:
        with pytest.raises(ModelUnavailableError, match="use cpu"):
            load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, device="cuda")
        auto = load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, device="auto", threads=1)
        assert str(auto._model.device) == "cpu"
