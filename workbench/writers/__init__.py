"""Writing a translation back into the source's own format: subtitles on the source's timings, a Word file with
the source's paragraph styles.

The readers (:mod:`workbench.readers`) keep each block of the source (a cue, a heading, a table cell) as a
paragraph of the :class:`~workbench.documents.Document`; an alignment links source sentences to target text. A
writer needs one target text a source block: :func:`texts_by_block` makes them from the links, so the same
links give an ``.srt``, a ``.vtt`` or a ``.docx``.

========  =================================================================================================
suffix    what is written
========  =================================================================================================
.srt      one cue a source cue that has target text, on the source's times (pysrt); lines wrapped at 42
.vtt      the same as WebVTT (webvtt-py)
.docx     the source file with every block's text replaced (python-docx): paragraph styles, numbering, tables,
          headers, images and the first run's character formatting kept; formatting inside a paragraph lost
========  =================================================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from workbench.documents import Document, sentence_joiner

#: Suffix -> what a writer of it needs besides the texts: the source's cues, or the source file's bytes.
WRITERS: dict[str, str] = {".srt": "subtitles", ".vtt": "subtitles", ".docx": "docx"}


def texts_by_block(
    source: Document, links: Iterable[tuple[Sequence[int], str]], target_lang: str | None = None
) -> list[str]:
    """One target text a source block (paragraph), from links of ``(source sentence positions, target text)``.

    A link's text goes to the block of its first source sentence (a link spanning two cues plays in the first);
    a link with no source sentence (0-n: text the translation added) joins the block of the link before it, or
    of the first block when none came before. Texts in a block are joined as the target language writes
    sentences (a space, nothing in Chinese or Japanese).
    """
    joiner = sentence_joiner(target_lang or source.lang)
    parts: list[list[str]] = [[] for _ in source.paragraphs]
    sentences = source.sentences
    block = 0
    for positions, text in links:
        if positions:
            block = sentences[min(positions)].paragraph
        if text.strip():
            parts[block].append(text.strip())
    return [joiner.join(texts) for texts in parts]


def write_back(source: Document, texts: Sequence[str], target_lang: str) -> tuple[str, bytes] | None:
    """``(suffix, bytes)`` of the translation in the source file's own form, ``texts`` one a source block: a
    subtitle on the source's times, a Word file with its styles. None when the source did not come from such a
    file (:attr:`Document.source_file`), so the caller writes plain text instead."""
    if source.source_file is None:
        return None
    name, data = source.source_file
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix == ".srt":
        from workbench.writers.subtitles import export_srt

        return suffix, export_srt(source, texts)
    if suffix == ".vtt":
        from workbench.writers.subtitles import export_vtt

        return suffix, export_vtt(source, texts, target_lang)
    if suffix == ".docx":
        from workbench.writers.docx import export_docx

        return suffix, export_docx(data, source, texts, target_lang)
    return None
