"""Turning the bytes of a user's file into text, or refusing it with a message that says why.

Users bring files from everywhere: UTF-8 with or without a BOM, UTF-16 from Windows tools, Latin-1 from old
corpora, and now and then a PDF or a zip by mistake. We decode what can be decoded faithfully and refuse the rest
before it reaches the segmenter, because a mis-decoded file aligns badly and silently.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from workbench.errors import InputError

#: Files above this size are refused: a 50 MB text is ~500k sentences, far beyond one review session, and
#: reading it whole would hold the app for minutes. Split such corpora into documents first.
MAX_INPUT_BYTES = 50 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters that never occur in real text; a file with many of them is binary.
_BINARY_BYTES = set(range(0, 9)) | {11} | set(range(14, 32)) - {27}


def decode_bytes(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; raise :class:`InputError` for binary or unknown data."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"{name} is {len(data) / 1e6:.0f} MB; the limit is {MAX_INPUT_BYTES / 1e6:.0f} MB. "
            "Split it into smaller documents and open them one by one."
        )
    if not data.strip():
        raise InputError(f"{name} is empty: there is no text to read.")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise_newlines(data.decode(encoding)), encoding
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} "
                    f"(byte {exc.start}). Re-save it as UTF-8."
                ) from None
    if _looks_binary(data):
        raise InputError(_binary_message(data, name))
    try:
        return _normalise_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    best = _best_guess(data)
    if best is None or best.encoding is None:
        raise InputError(
            f"{name} is not UTF-8 and its encoding could not be recognised. Re-save it as UTF-8 and try again."
        )
    return _normalise_newlines(str(best)), best.encoding


def read_text_file(path: str | Path) -> tuple[str, str]:
    """Read and decode a text file; every failure is an :class:`InputError` naming the file."""
    path = Path(path)
    return decode_bytes(read_file_bytes(path, what="a text file"), name=str(path))


def read_file_bytes(path: Path, limit: int = MAX_INPUT_BYTES, what: str = "a document") -> bytes:
    """A file's bytes, refused with one line when it is missing, a folder, unreadable or over ``limit``."""
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give {what}.")
    size = path.stat().st_size
    if size > limit:
        raise InputError(
            f"{path} is {size / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB. "
            "Split it into smaller documents and open them one by one."
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror}.") from None


def read_stream_bytes(stream: BinaryIO, name: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A binary stream's bytes (an upload, a pipe), refused with one line when over ``limit``: no more than
    ``limit + 1`` bytes are read, so an endless stream cannot fill the memory."""
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{name} cannot be read: {exc.strerror or exc}.") from None
    if not isinstance(data, bytes | bytearray):
        raise InputError(f"{name}: expected bytes (a file opened in binary mode), got text.")
    if len(data) > limit:
        raise InputError(
            f"{name} is over {limit / 1e6:.0f} MB, the limit. Split it into smaller documents and open them one by one."
        )
    return bytes(data)


def _best_guess(data: bytes):
    """charset-normalizer's guess, but among equally plausible single-byte code pages prefer Windows-1252.

    Short Western European texts decode without "chaos" in several code pages (cp1250 turns "très" into
    "trčs"); Windows-1252/Latin-1 is by far the most common of them in the files users bring.
    """
    matches = list(from_bytes(data))
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos == least]
    for preferred in ("cp1252", "latin_1"):
        for m in tied:
            if m.encoding == preferred:
                return m
    return tied[0]


def _binary_message(data: bytes, name: str) -> str:
    """Why binary data is refused as text, naming what it really is when a reader knows it (a .docx saved as
    .txt opens once it has its own suffix back)."""
    from workbench.readers.safety import describe

    kind = describe(data)
    if kind is not None:
        return f"{name} looks like a binary file: it is {kind}, not plain text. Open it under its own suffix."
    return (
        f"{name} looks like a binary file (e.g. PDF, Word, an archive), not plain text. "
        "Save it as plain text (.txt, UTF-8) and open that."
    )


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b in _BINARY_BYTES)
    return control > max(2, len(sample) // 100)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
