"""Where the embedding model runs (``load_embedder(device=...)``): the CPU works and gives the vectors it always
gave; a GPU asked for where torch sees none (this project installs a CPU-only torch) is one clear message before
any model is loaded; on a machine with a GPU the same model runs there (``e5-small`` by its torch route, ONNX being
CPU only here) and agrees with the CPU."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.embedding import E5_DEFAULT_ROUTE, E5_GPU_ROUTE, load_embedder, route_for
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


def test_e5_small_takes_the_torch_route_on_a_gpu_and_the_default_route_on_the_cpu() -> None:
    """The routing decision alone (a GPU cannot be had here to load on): ONNX Runtime is installed for the CPU only,
    so on any GPU ``e5-small`` must take torch rather than refuse or quietly fall back to the CPU."""
    assert E5_DEFAULT_ROUTE == "e5-small-onnx" and E5_GPU_ROUTE == "e5-small-torch"
    assert route_for("e5-small", "cpu") == "e5-small-onnx"
    for gpu in ("cuda", "cuda:0", "cuda:3"):
        assert route_for("e5-small", gpu) == "e5-small-torch"
    # A route named outright is taken as named wherever it goes: load_embedder refuses the CPU-only ones on a GPU.
    for name in ("e5-small-onnx", "e5-small-int8", "e5-small-torch", "use", "/models/LaBSE"):
        assert route_for(name, "cpu") == route_for(name, "cuda:1") == name


@pytest.fixture
def torch_threads():
    """Loading with ``threads`` sets torch's thread count for the whole process: later tests get theirs back."""
    import torch

    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def test_the_model_on_each_device(e5_folder: Path, torch_threads) -> None:
    cache_dir = e5_folder.parent.parent  # load_embedder finds the converted model under cache_dir/models
    cpu = load_embedder("e5-small-torch", cache_dir=cache_dir, use_cache=False, device="cpu", threads=1)
    assert str(cpu._model.device) == "cpu"
    default = load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, threads=1)
    asked_cpu = load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, device="cpu", threads=1)
    assert default.name == asked_cpu.name and "onnx" in default.name  # the CPU's default route either way
    vectors = cpu.encode(SENTENCES)
    assert vectors.shape == (3, cpu.dim)
    assert np.allclose(vectors, default.encode(SENTENCES), atol=1e-5)  # the same vectors by either route
    # The ONNX and USE routes run on the CPU only: asking one for a GPU by name is refused (auto settles), while
    # e5-small on a GPU takes the torch route with no error.
    if gpu_count():
        with pytest.raises(ModelUnavailableError, match="CPU only"):
            load_embedder("e5-small-int8", cache_dir=cache_dir, use_cache=False, device="cuda")
        for asked in ("cuda", "auto"):
            gpu = load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, device=asked)
            # The default's model (``first``: USE joins it only for a Chinese side) runs on the GPU.
            assert str(gpu.first._model.device).startswith("cuda") and gpu.name == cpu.name
            assert np.allclose(gpu.encode(SENTENCES), vectors, atol=1e-3)
    else:
        with pytest.raises(ModelUnavailableError, match="use cpu"):
            load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, device="cuda")
        auto = load_embedder("e5-small", cache_dir=cache_dir, use_cache=False, device="auto", threads=1)
        assert auto.name == default.name  # no GPU: auto is the CPU's default route
