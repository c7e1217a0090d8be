"""A tiny but real Argos Translate package, built offline, for tests and benchmarks.

The Argos package index is unreachable here, so tests cannot download a language model. This module writes a
genuine ``.argosmodel`` zip (``metadata.json``, a CTranslate2 transformer in ``model/``, a trained
``sentencepiece.model`` and a sentence splitter) whose transformer copies its input. argostranslate 1.11 installs
it with ``argostranslate.package.install_from_path`` and runs it through its normal code path (sentence
splitting, SentencePiece, CTranslate2 beam search, decoding), so the engine code around it is exercised for real.

What a copy package reproduces through ``argostranslate.translate.translate(text, from_code, to_code)``: the
input text exactly (every character, via SentencePiece byte fallback and identity normalisation), except that

* argostranslate's own decoder turns ``_`` into a space (``SentencePieceTokenizer.decode``);
* each line (argostranslate splits paragraphs on ``\\n``) goes through as one sentence, without its leading and
  trailing whitespace (the packaged MiniSBD splitter never splits inside a line; inner whitespace is kept);
* CTranslate2's default ``max_decoding_length`` (256) keeps only the first 256 SentencePiece pieces of a line.

Isolation: argostranslate reads its folders from the environment when ``argostranslate.settings`` is first
imported (and creates them then), so run it in a subprocess with :func:`argos_env`; see there.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from ctranslate2.specs import TransformerSpec

SbdKind = Literal["minisbd", "spacy", "none"]

# English/Portuguese-ish sentences with digits and the punctuation seen in UN-style test text. Byte fallback
# covers any other character, so this only decides which multi-character pieces exist.
DEFAULT_TRAINING_TEXT: tuple[str, ...] = (
    "The UN met on April 22.",
    "The Security Council adopted resolution 2334 (2016) by 14 votes to 0.",
    'Prices rose 5% last year, the report said ("Table 1").',
    "It's the Secretary-General's view that peace is possible; isn't it?",
    "A ONU reuniu-se em 22 de abril.",
    "O Conselho de Segurança adotou a resolução por unanimidade.",
    "Os preços subiram 3,5% no ano passado, segundo o relatório.",
    "É uma questão de direitos humanos: não há paz sem justiça!",
    "Em São Paulo, as ações caíram [ver anexo] — 1/2 & 3/4 @ 10:30.",
    "0 1 2 3 4 5 6 7 8 9 # * + - = < > { } ~ ^ | \\ `",
)

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "pt": "Portuguese",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "ca": "Catalan",
    "gl": "Galician",
}

PACKAGE_VERSION = "0.0.1"
VOCAB_SIZE = 400  # a soft limit: small training text gives fewer pieces (about 340 with the default text)
MAX_POSITIONS = 1100  # > CTranslate2's default max_input_length (1024) plus </s>
NUM_FREQUENCIES = 16  # sinusoid pairs that encode position; 4 * this many model dimensions
SCORE_GAP = 30.0  # attention logit gap between the aligned source position and any other
COPY_GAIN = 8.0  # how far the copied token outweighs the decoder's own input token
OUTPUT_GAIN = 4.0


def build_copy_argosmodel(
    out_dir: Path,
    from_code: str,
    to_code: str,
    *,
    training_text: list[str] | None = None,
    name: str | None = None,
    sbd: SbdKind = "minisbd",
) -> Path:
    """Write a ``from_code -> to_code`` copy package into ``out_dir`` and return the ``.argosmodel`` path.

    ``name`` is the package's folder inside the zip and the file's stem (default
    ``translate-{from}_{to}-0_0_1``, argospm's naming); two packages installed together need distinct names.
    ``training_text`` replaces :data:`DEFAULT_TRAINING_TEXT` for SentencePiece.

    ``sbd`` picks the sentence splitter shipped, because argostranslate's default splitter (MiniSBD) downloads
    an ONNX model on the first ``translate()`` when a package ships none, which fails offline:

    * ``"minisbd"`` (default): a hand-written MiniSBD ONNX model in ``minisbd/`` that keeps each line whole;
      works with argostranslate's default settings (``ARGOS_CHUNK_TYPE`` unset, ``DEFAULT``, ``ARGOSTRANSLATE``
      or ``MINISBD``).
    * ``"spacy"``: a blank spaCy pipeline in ``spacy/``, used only with ``ARGOS_CHUNK_TYPE=SPACY`` (argostranslate
      adds spaCy's rule-based sentencizer); see :func:`argos_env` for the cache it also needs.
    * ``"none"``: no splitter, like a package that relies on a downloaded one; ``translate()`` fails offline.
    """
    texts = list(training_text) if training_text is not None else list(DEFAULT_TRAINING_TEXT)
    if not any(t.strip() for t in texts):
        raise ValueError("training_text has no non-blank sentence")
    stem = name or f"translate-{from_code}_{to_code}-{PACKAGE_VERSION.replace('.', '_')}"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.argosmodel"

    sp_model = _train_sentencepiece(texts, VOCAB_SIZE)
    with tempfile.TemporaryDirectory(prefix="tiny-argos-") as tmp:
        root = Path(tmp) / stem
        (root / "model").mkdir(parents=True)
        (root / "sentencepiece.model").write_bytes(sp_model)
        _copy_model_spec(_pieces(sp_model)).save(str(root / "model"))
        (root / "metadata.json").write_text(json.dumps(_metadata(from_code, to_code), indent=2), encoding="utf-8")
        (root / "README.md").write_text(
            f"Test package built by tests/tiny_argos.py: copies {from_code} input unchanged as {to_code}.\n",
            encoding="utf-8",
        )
        if sbd == "minisbd":
            (root / "minisbd").mkdir()
            (root / "minisbd" / "keep-lines.onnx").write_bytes(_minisbd_keep_lines_onnx())
        elif sbd == "spacy":
            write_blank_spacy_pipeline(root / "spacy")
        elif sbd != "none":
            raise ValueError(f"unknown sbd {sbd!r}")
        _zip_folder(root, target)
    return target


def argos_env(root: Path, *, chunk_type: str | None = None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for a subprocess whose argostranslate lives entirely under ``root``.

    argostranslate 1.11 fixes its folders when ``argostranslate.settings`` is imported and creates them then:
    data ``$XDG_DATA_HOME/argos-translate`` (also MiniSBD's model cache), config ``$XDG_CONFIG_HOME/argos-translate``
    (its ``settings.json`` is read for any setting not given in the environment), cache
    ``$XDG_CACHE_HOME/argos-translate``, and packages ``$ARGOS_PACKAGES_DIR``; each defaults under ``Path.home()``.
    So all four plus ``HOME`` (stanza, onnxruntime, spaCy) point under ``root``; inherited ``ARGOS_*`` and
    ``SNAP*`` variables are dropped (SNAP adds package folders). ``chunk_type`` sets ``ARGOS_CHUNK_TYPE``; for
    ``"SPACY"`` a blank spaCy pipeline is seeded where argostranslate caches ``xx_sent_ud_sm``, because otherwise
    importing ``argostranslate.sbd`` tries to download that model.
    """
    root = Path(root)
    env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith(("ARGOS_", "SNAP"))}
    folders = {
        "HOME": root / "home",
        "XDG_DATA_HOME": root / "data",
        "XDG_CONFIG_HOME": root / "config",
        "XDG_CACHE_HOME": root / "cache",
        "ARGOS_PACKAGES_DIR": root / "packages",
    }
    for key, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        env[key] = str(folder)
    env["ARGOS_DEVICE_TYPE"] = "cpu"
    if chunk_type is not None:
        env["ARGOS_CHUNK_TYPE"] = chunk_type
        if chunk_type.upper() == "SPACY":
            cached = folders["XDG_CACHE_HOME"] / "argos-translate" / "spacy"
            write_blank_spacy_pipeline(cached)
            # argostranslate.networking.cache_spacy() only checks that this path exists.
            (cached / "senter").mkdir(exist_ok=True)
            (cached / "senter" / "model").touch()
    return env


def write_blank_spacy_pipeline(folder: Path) -> None:
    """Save ``spacy.blank("xx")`` to ``folder``: loadable by ``spacy.load`` with no model download."""
    import spacy

    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    spacy.blank("xx").to_disk(folder)


def _metadata(from_code: str, to_code: str) -> dict[str, object]:
    """The fields argostranslate.package.IPackage.load_metadata_from_json reads."""
    return {
        "package_version": PACKAGE_VERSION,
        "argos_version": "1.11",
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }


def _train_sentencepiece(texts: Iterable[str], vocab_size: int) -> bytes:
    """Train a unigram model that round-trips any text: identity normalisation, byte fallback, spaces kept."""
    import sentencepiece as spm

    lines = [t for t in texts if t.strip()]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 3),  # a few repeats keep the trainer's piece statistics non-degenerate
        model_writer=buffer,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        byte_fallback=True,
        character_coverage=1.0,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        num_threads=1,
        minloglevel=2,
    )
    return buffer.getvalue()


def _pieces(sp_model: bytes) -> list[str]:
    """The SentencePiece vocabulary in id order; ids 0-2 are <unk>, <s>, </s> as CTranslate2 expects."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    assert pieces[:3] == ["<unk>", "<s>", "</s>"], pieces[:3]
    return pieces


def _copy_model_spec(vocab: list[str]) -> TransformerSpec:
    """A 1-layer pre-norm transformer whose decoder step t emits the source token at position t.

    Layout of the model dimension: one-hot token dims (one per piece), one "balance" dim, and 4F position dims
    (sin, cos and their negations for F frequencies). Balance and negations make every embedding sum to zero
    with a constant norm, so each LayerNorm is an exact fixed scaling. Self-attention and feed-forward blocks
    output zero. Cross-attention compares only position dims (a sharp peak at equal positions), carries only
    token dims, and the output projection reads the token dims back, so step t predicts source token t. The
    source gets </s> appended (``add_source_eos``), which is what the decoder copies last, ending the output.
    """
    from ctranslate2.specs import transformer_spec

    size = len(vocab)
    balance = size
    pos0 = size + 1
    pos_dims = 4 * NUM_FREQUENCIES
    d_model = -(-(pos0 + pos_dims) // 8) * 8
    if d_model > 512:
        raise ValueError(f"vocabulary of {size} pieces makes d_model {d_model} > 512")

    freqs = np.geomspace(2.5, np.pi / MAX_POSITIONS, NUM_FREQUENCIES)
    angles = np.arange(MAX_POSITIONS)[:, None] * freqs[None, :]
    positions = np.zeros((MAX_POSITIONS, d_model), np.float32)
    positions[:, pos0 : pos0 + NUM_FREQUENCIES] = np.sin(angles)
    positions[:, pos0 + NUM_FREQUENCIES : pos0 + 2 * NUM_FREQUENCIES] = np.cos(angles)
    positions[:, pos0 + 2 * NUM_FREQUENCIES : pos0 + pos_dims] = -positions[:, pos0 : pos0 + 2 * NUM_FREQUENCIES]
    # sum_f cos(freq_f * delta) peaks at delta == 0; margin is its drop at the closest other delta.
    deltas = np.arange(1, MAX_POSITIONS)
    margin = float(NUM_FREQUENCIES - np.cos(np.outer(deltas, freqs)).sum(axis=1).max())

    embeddings = np.zeros((size, d_model), np.float32)
    embeddings[np.arange(size), np.arange(size)] = 1.0
    embeddings[:, balance] = -1.0

    # LayerNorm divides by sigma = sqrt(|x|^2 / d) with |x|^2 = 2 (token) + 2F (position); attention scores are
    # divided by sqrt(d). Scale queries so the score gap at the closest wrong position is SCORE_GAP.
    query_scale = SCORE_GAP * (1 + NUM_FREQUENCIES) / (margin * np.sqrt(d_model))

    def select(dims: np.ndarray, scale: float = 1.0) -> np.ndarray:
        matrix = np.zeros((d_model, d_model), np.float32)
        matrix[dims, dims] = scale
        return matrix

    position_dims = np.arange(pos0, pos0 + pos_dims)
    token_dims = np.arange(size + 1)

    spec = transformer_spec.TransformerSpec.from_config(1, 1)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = embeddings
    decoder.embeddings.weight = embeddings.copy()
    encoder.scale_embeddings = False
    decoder.scale_embeddings = False
    encoder.position_encodings.encodings = positions
    decoder.position_encodings.encodings = positions.copy()
    for norm in (encoder.layer_norm, decoder.layer_norm):
        _identity_norm(norm, d_model)
    for layer in (encoder.layer[0], decoder.layer[0]):
        _identity_norm(layer.self_attention.layer_norm, d_model)
        _linear(layer.self_attention.linear[0], np.zeros((3 * d_model, d_model), np.float32))
        _linear(layer.self_attention.linear[1], np.zeros((d_model, d_model), np.float32))
        _identity_norm(layer.ffn.layer_norm, d_model)
        _linear(layer.ffn.linear_0, np.zeros((8, d_model), np.float32))
        _linear(layer.ffn.linear_1, np.zeros((d_model, 8), np.float32))
    cross = decoder.layer[0].attention
    _identity_norm(cross.layer_norm, d_model)
    _linear(cross.linear[0], select(position_dims, query_scale))
    _linear(cross.linear[1], np.concatenate([select(position_dims), select(token_dims)]))
    _linear(cross.linear[2], select(token_dims, COPY_GAIN))
    projection = np.zeros((size, d_model), np.float32)
    projection[np.arange(size), np.arange(size)] = OUTPUT_GAIN
    _linear(decoder.projection, projection)

    spec.config.add_source_eos = True
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    return spec


def _identity_norm(norm: object, d_model: int) -> None:
    norm.gamma = np.ones(d_model, np.float32)  # type: ignore[attr-defined]
    norm.beta = np.zeros(d_model, np.float32)  # type: ignore[attr-defined]


def _linear(linear: object, weight: np.ndarray) -> None:
    linear.weight = weight  # type: ignore[attr-defined]
    linear.bias = np.zeros(weight.shape[0], np.float32)  # type: ignore[attr-defined]


def _minisbd_keep_lines_onnx() -> bytes:
    """A MiniSBD model (ONNX bytes) that never splits: one Gather maps every character to "token end".

    argostranslate.sbd.MiniSBDSentencizer loads ``<package>/minisbd/*.onnx`` instead of downloading one.
    MiniSBD feeds ``units`` (int64 [batch, seq] character ids) and ``features`` (float [batch, seq, n]) and
    takes the argmax over 5 classes of the first output (0 inside a token, 1 token end, 2 sentence end, 3/4
    multi-word variants); it forces "sentence end" on the last character of each text chunk itself. Its
    config, character vocabulary and lexicon are read from the model's metadata. The onnx package is not a
    dependency here, so the protobuf is written directly (field numbers from onnx.proto).
    """
    float_type, int64_type = 1, 7
    table = np.zeros((2, 5), np.float32)  # character ids: 0 <PAD>, 1 <UNK> (every real character)
    table[1, 1] = 1.0
    initializer = (
        b"".join(_pb_int(1, dim) for dim in table.shape)
        + _pb_int(2, float_type)
        + _pb_bytes(8, "table")
        + _pb_bytes(9, table.tobytes())
    )
    node = _pb_bytes(1, "table") + _pb_bytes(1, "units") + _pb_bytes(2, "scores") + _pb_bytes(4, "Gather")
    graph = (
        _pb_bytes(1, node)
        + _pb_bytes(2, "keep_lines")
        + _pb_bytes(5, initializer)
        + _pb_bytes(11, _pb_value_info("units", int64_type, ["batch", "seq"]))
        + _pb_bytes(11, _pb_value_info("features", float_type, ["batch", "seq", "features"]))
        + _pb_bytes(12, _pb_value_info("scores", float_type, ["batch", "seq", 5]))
    )
    vocab = {
        "lang": "xx",
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {"<PAD>": 0, "<UNK>": 1},
        "_id2unit": ["<PAD>", "<UNK>"],
    }
    metadata = {
        "lang_code": "xx",
        "config": json.dumps({"feat_funcs": [], "max_seqlen": 1000, "batch_size": 32}),
        "vocab": json.dumps(vocab),
        "lexicon": "null",
    }
    return (
        _pb_int(1, 8)  # ir_version
        + _pb_bytes(2, "tests/tiny_argos.py")  # producer_name
        + _pb_bytes(7, graph)
        + _pb_bytes(8, _pb_bytes(1, "") + _pb_int(2, 13))  # opset_import: default domain, opset 13
        + b"".join(_pb_bytes(14, _pb_bytes(1, k) + _pb_bytes(2, v)) for k, v in metadata.items())
    )


def _pb_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | 0x80 if value else low)
        if not value:
            return bytes(out)


def _pb_int(field: int, value: int) -> bytes:
    return _pb_varint(field << 3) + _pb_varint(value)


def _pb_bytes(field: int, value: bytes | str) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return _pb_varint(field << 3 | 2) + _pb_varint(len(data)) + data


def _pb_value_info(name: str, elem_type: int, dims: list[int | str]) -> bytes:
    shape = b"".join(_pb_bytes(1, _pb_int(1, d) if isinstance(d, int) else _pb_bytes(2, d)) for d in dims)
    tensor_type = _pb_int(1, elem_type) + _pb_bytes(2, shape)
    return _pb_bytes(1, name) + _pb_bytes(2, _pb_bytes(1, tensor_type))


def _zip_folder(folder: Path, target: Path) -> None:
    """Zip ``folder`` as the archive's single top-level entry, as install_from_path extracts it."""
    tmp_target = target.with_name(target.name + ".part")
    with zipfile.ZipFile(tmp_target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, path.relative_to(folder.parent).as_posix())
    tmp_target.replace(target)
