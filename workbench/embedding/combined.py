"""Two embedders read as one: each text's vectors side by side, weighted, so that the cosine of two texts is the
weighted mean of the two models' cosines.

``e5-small+use`` (e5-small at 0.85, the Multilingual Universal Sentence Encoder at 0.15) aligns the two development
sets with a Chinese side better than either model alone (strict F1, whole pipeline: bible_en_zh 0.9868 against
0.9810 and 0.9815, the novels 0.8702 against 0.8493 and 0.8587) and loses a little where one language is Icelandic,
which USE does not know, or on Text+Berg's de-fr (0.9543 against 0.9551, 0.8848 against 0.8881; bench/RESULTS.md,
"Two models together"). USE adds a few percent to e5's time. The weight was chosen leave-one-set-out. Bertalign
gains more from the pair on the novels (0.882): not the default yet, see RESULTS.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.embedding.base import Embedder, Progress

#: Share of the first model's cosine in the combined one (the rest is the second's).
E5_WEIGHT = 0.85
#: Share of the time the first model takes (e5-small embeds ~50 sentences/s on 2 cores, USE ~400/s): how a
#: progress bar splits between them.
FIRST_SHARE = 0.9


class CombinedEmbedder(Embedder):
    """``first`` and ``second`` side by side; rows are unit length, their dot product the weighted mean cosine."""

    def __init__(self, first: Embedder, second: Embedder, weight: float = E5_WEIGHT) -> None:
        if not 0.0 < weight < 1.0:
            raise ValueError(f"the first model's weight must be between 0 and 1, not {weight}")
        self.first, self.second, self.weight = first, second, weight
        self.name = f"{first.name}+{second.name}@{weight:g}"
        self.dim = first.dim + second.dim
        self.batch_size = max(first.batch_size, second.batch_size)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._join(self.first.encode(texts), self.second.encode(texts))

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        total = len(texts)

        def part(offset: float, share: float) -> Progress | None:
            if not progress:
                return None
            return lambda done, _n: progress(min(int(offset * total + share * done), total), total)

        first = self.first.encode(texts, progress=part(0.0, FIRST_SHARE))
        second = self.second.encode(texts, progress=part(FIRST_SHARE, 1 - FIRST_SHARE))
        return self._join(first, second)

    def _join(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        # Both halves come from Embedder.encode, whose rows are unit length already.
        joined = np.hstack([np.sqrt(self.weight) * first, np.sqrt(1 - self.weight) * second])
        return joined.astype(np.float32)
