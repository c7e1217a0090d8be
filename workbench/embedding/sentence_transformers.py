"""Any sentence-transformers model: the converted e5 default, a local folder, or a hub name where there is a network.

Loading never reaches the network unless the user named a hub model and asked for it (``allow_download``):
offline, a missing model is one clear message instead of a long retry loop.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from workbench.embedding.base import Embedder
from workbench.errors import ModelUnavailableError


class SentenceTransformerEmbedder(Embedder):
    def __init__(
        self,
        model: str | Path,
        *,
        name: str | None = None,
        prefix: str = "",
        allow_download: bool = False,
        threads: int | None = None,
        batch_size: int = 64,
        device: str = "cpu",
    ) -> None:
        if threads:
            import torch

            torch.set_num_threads(threads)
        if not allow_download:
            # Offline by default: without these, a hub name makes huggingface_hub retry the network for minutes.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # its weight-loading bar is noise between our own progress bars

        try:
            # The device is checked by the caller (workbench.embedding.device), so a failure here is the model's.
            self._model = SentenceTransformer(str(model), device=device, local_files_only=not allow_download)
        except Exception as exc:  # the library raises OSError, ValueError or hub errors depending on the cause
            hint = _why_not_loaded(Path(str(model)), allow_download)
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelUnavailableError(
                f"cannot load sentence-transformers model '{model}': {hint} ({reason})"
            ) from None
        self.prefix = prefix
        self.batch_size = batch_size
        self.dim = int(self._model.get_embedding_dimension() or 0)
        base = name or Path(str(model)).name
        self.name = f"{base}:{prefix.strip() or 'noprefix'}"

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        batch = [self.prefix + t for t in texts]
        vectors = self._model.encode(
            batch, batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32)


def _why_not_loaded(model: Path, allow_download: bool) -> str:
    """What to tell someone whose model did not load: a folder or file that exists is not "not a local folder"."""
    if model.is_dir():
        return (
            f"{model} is a folder but holds no sentence-transformers model (no modules.json or config.json in it); "
            "give the folder a model was saved to."
        )
    if model.exists():
        return f"{model} is a file, not a model folder; give the folder a sentence-transformers model was saved to."
    if allow_download:
        return "Check the name and the network."
    return "It is not a local folder and this machine has no copy of it. With a network, pass --allow-download."
