"""Subtitles back out: the target text on the source's cue times, as SubRip (pysrt) or WebVTT (webvtt-py).

A cue with no target text (its sentences were left unaligned) is left out rather than shown empty. A text longer
than :data:`LINE_WIDTH` characters is wrapped into lines of at most that width, as subtitle guidelines ask
(two lines are the norm; a long translation may need three, which the reviewer should shorten).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

import pysrt
import webvtt

from workbench.documents import Document
from workbench.errors import InputError

#: Characters a subtitle line holds (the usual broadcast guideline).
LINE_WIDTH = 42


def cues_with_text(source: Document, texts: Sequence[str]) -> list[tuple[float, float, str]]:
    """``(start, end, text)`` for every source cue with a target text; ``texts`` has one text a source block."""
    if len(texts) != len(source.paragraphs):
        raise ValueError(f"{len(texts)} texts for {len(source.paragraphs)} blocks")
    if any(p.cue is None for p in source.paragraphs):
        raise InputError(f"{source.name} is not a subtitle file: its blocks have no times to put a translation on.")
    cues = []
    for paragraph, text in zip(source.paragraphs, texts, strict=True):
        if text.strip():
            assert paragraph.cue is not None
            cues.append((paragraph.cue[0], paragraph.cue[1], _wrap(text)))
    return cues


def export_srt(source: Document, texts: Sequence[str]) -> bytes:
    """The translation as a SubRip file (UTF-8), numbered from 1, on the source's times."""
    items = pysrt.SubRipFile()
    for number, (start, end, text) in enumerate(cues_with_text(source, texts), start=1):
        items.append(
            pysrt.SubRipItem(
                index=number,
                start=pysrt.SubRipTime.from_ordinal(round(start * 1000)),
                end=pysrt.SubRipTime.from_ordinal(round(end * 1000)),
                text=text,
            )
        )
    out = io.StringIO()
    items.write_into(out, eol="\n")
    return out.getvalue().encode("utf-8")


def export_vtt(source: Document, texts: Sequence[str], target_lang: str | None = None) -> bytes:
    """The translation as a WebVTT file (UTF-8), with a ``Language:`` header when the language is given."""
    captions = [
        webvtt.Caption(start=_vtt_time(start), end=_vtt_time(end), text=text)
        for start, end, text in cues_with_text(source, texts)
    ]
    vtt = webvtt.WebVTT(captions=captions, metadata=[f"Language: {target_lang}"] if target_lang else None)
    return (vtt.content.rstrip("\n") + "\n").encode("utf-8")


def _wrap(text: str) -> str:
    text = " ".join(text.split())
    return "\n".join(textwrap.wrap(text, LINE_WIDTH)) if len(text) > LINE_WIDTH else text


def _vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
