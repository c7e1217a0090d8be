"""Where an embedding model runs: ``cpu``, ``cuda`` (``cuda:N``) or ``auto`` (the first GPU where torch sees one).

Asking for a GPU on a machine without one (or with a CPU-only torch, as the wheel this workbench installs) is one
clear message before any model is loaded, not a CUDA traceback from deep inside torch midway through a batch.
"""

from __future__ import annotations

import re

from workbench.errors import InputError, ModelUnavailableError

#: The values a user can give (``cuda:N`` too, for the N-th GPU).
DEVICES = ("cpu", "cuda", "auto")

_CUDA = re.compile(r"cuda(?::(\d+))?")


def gpu_count() -> int:
    """The CUDA GPUs torch can use here (0 without torch, with a CPU-only build or with no GPU)."""
    try:
        import torch
    except ImportError:
        return 0
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def resolve_device(device: str | None) -> str:
    """The torch device to load a model on, for ``device`` as a user gave it (None: the CPU)."""
    wanted = (device or "cpu").strip().lower()
    if wanted == "cpu":
        return "cpu"
    if wanted == "auto":
        return "cuda" if gpu_count() else "cpu"
    match = _CUDA.fullmatch(wanted)
    if match is None:
        raise InputError(f"unknown device {device!r}: give one of cpu, cuda (or cuda:N for the N-th GPU), auto.")
    count = gpu_count()
    if count == 0:
        raise ModelUnavailableError(f"device {device!r} asked for, but {_why_no_gpu()}; use cpu (or auto).")
    index = int(match.group(1) or 0)
    if index >= count:
        raise ModelUnavailableError(
            f"device {device!r} asked for, but this machine has {count} GPU(s): cuda:0 to cuda:{count - 1}."
        )
    return wanted


def _why_no_gpu() -> str:
    try:
        import torch
    except ImportError:
        return "torch is not installed here"
    if torch.version.cuda is None:
        return f"the installed torch ({torch.__version__}) is a CPU-only build"
    return "torch sees no CUDA GPU on this machine"
