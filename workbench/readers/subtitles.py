"""Subtitles: SubRip (.srt) with pysrt, WebVTT (.vtt) with webvtt-py; one cue a block, its times kept.

A cue's times (seconds, ``(start, end)``) are on its block (:attr:`workbench.documents.Paragraph.cue`); every
sentence of the cue shares them (:meth:`workbench.documents.Document.cue_of`), and a sentence that runs over two
cues is two sentences, one in each, so an export can put the target text back on the source timings. A cue's
lines are joined by a space; styling tags (``<i>``, ``<v Speaker>``) are dropped, the speaker name too. WebVTT's
``Language:`` header (as YouTube writes it) is the declared language. Lost: positions, cue settings, styles,
regions, notes.
"""

from __future__ import annotations

import re

import pysrt
import webvtt
from webvtt.errors import MalformedFileError

from workbench.documents import Block, Extracted
from workbench.errors import InputError
from workbench.readers.safety import expect_text
from workbench.reading import decode_bytes

_TAG = re.compile(r"<[^>]*>")
_LANGUAGE_HEADER = re.compile(r"^language:\s*([A-Za-z0-9_-]+)\s*$", re.IGNORECASE | re.MULTILINE)


def read(data: bytes, name: str) -> Extracted:
    """One block a cue, in file order, for an .srt or a .vtt (by its suffix)."""
    if name.lower().endswith(".vtt"):
        return read_vtt(data, name)
    return read_srt(data, name)


def read_srt(data: bytes, name: str) -> Extracted:
    expect_text(data, name, "SubRip subtitles (.srt)")
    text, _encoding = decode_bytes(data, name=name)
    try:
        items = pysrt.from_string(text, error_handling=pysrt.ERROR_RAISE)
    except pysrt.Error as exc:
        raise InputError(f"{name} is not valid SubRip (.srt): {exc}.") from None
    if not items:
        raise InputError(f"{name} holds no subtitles: no 'number, times, text' cue was found.")
    blocks = [
        Block(_TAG.sub("", item.text), "cue", cue=(item.start.ordinal / 1000, item.end.ordinal / 1000))
        for item in items
    ]
    return Extracted(blocks=blocks)


def read_vtt(data: bytes, name: str) -> Extracted:
    expect_text(data, name, "WebVTT subtitles (.vtt)")
    text, _encoding = decode_bytes(data, name=name)
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise InputError(f"{name} is not WebVTT: its first line must be 'WEBVTT'.")
    try:
        vtt = webvtt.from_string(text)
    except (MalformedFileError, ValueError) as exc:
        raise InputError(f"{name} is not valid WebVTT: {exc}.") from None
    if not vtt.captions:
        raise InputError(f"{name} holds no subtitles: no cue with times was found.")
    blocks = [
        Block(_TAG.sub("", caption.raw_text), "cue", cue=(_seconds(caption.start_time), _seconds(caption.end_time)))
        for caption in vtt.captions
    ]
    header = text.split("\n\n", 1)[0]
    declared = _LANGUAGE_HEADER.search(header)
    return Extracted(blocks=blocks, lang=declared.group(1) if declared else None)


def _seconds(stamp: webvtt.models.Timestamp) -> float:
    """Seconds with the milliseconds (webvtt-py's ``start_in_seconds`` drops them)."""
    return stamp.hours * 3600 + stamp.minutes * 60 + stamp.seconds + stamp.milliseconds / 1000
