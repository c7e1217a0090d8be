"""Export a project: its links in a corpus format, as the bytes of a download and the files a save writes.

One naming rule for every face: ``NAME.<src>-<key><suffix>`` for one target (``kosovo.en-de.tmx``,
``kosovo.en-de-2.tsv`` for a second German target), ``NAME.<src>-<key1>-<key2>.tmx`` for a multilingual TMX
(``NAME.<src>-multi.tmx`` where the keys would make the name too long for a file system). Target keys, not
languages, so two targets in one language never get one file name; a key is its language in the common case,
which is what :func:`workbench.formats.read_corpus` reads the pair back from for TSV.

Moses is two plain files (``NAME.<src>-<key>.<src>`` and ``.<tgt>``) when saved, and a zip of those same two
files when downloaded.

A project whose source was read from a subtitle or Word file (:func:`document_formats`) also exports the
translation back into that form (:data:`DOCUMENT_FORMATS`): ``.srt``/``.vtt`` with the target text on the source's
cue times, ``.docx`` as the source file with its paragraph styles and each block's text replaced
(:mod:`workbench.writers`), named by the same rule.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.documents import Document, Paragraph, Sentence
from workbench.errors import InputError
from workbench.formats import FILE_SUFFIXES, FORMATS, MIME_TYPES, export_corpus
from workbench.formats.moses import export_moses, moses_paths
from workbench.formats.tmx import export_multilingual_tmx
from workbench.projects import Project, project_to_corpus, project_to_multilingual
from workbench.projects.store import SourceFile, load_source_file
from workbench.writing import refuse_existing, write_bytes_atomic

#: The format name of a multilingual TMX (every chosen target in one file), beside the corpus formats.
MULTILINGUAL = "tmx-multi"
#: Formats that write the translation back in the source file's form, with their labels, suffixes and MIME types.
DOCUMENT_FORMATS: dict[str, str] = {
    "srt": "SubRip subtitles (target text on the source's times)",
    "vtt": "WebVTT subtitles (target text on the source's times)",
    "docx": "Word document (the source's styles, the target's text)",
}
_DOCUMENT_SUFFIXES = {"srt": ".srt", "vtt": ".vtt", "docx": ".docx"}
_DOCUMENT_MIME = {
    "srt": "application/x-subrip",
    "vtt": "text/vtt",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
#: Which document formats a source file of each suffix can go back out as.
_FROM_SUFFIX = {".srt": ("srt", "vtt"), ".vtt": ("vtt", "srt"), ".docx": ("docx",)}
#: What most file systems allow in one file name, in bytes.
_MAX_FILE_NAME_BYTES = 255


@dataclass(frozen=True)
class ExportFile:
    """An export made in memory: what a download offers (``data`` under ``file_name``, ``mime_type``) and the
    files a save writes (``parts``: one, or Moses's two), each as (file name, bytes)."""

    fmt: str
    keys: tuple[str, ...]
    data: bytes
    file_name: str
    mime_type: str
    units: int
    parts: tuple[tuple[str, bytes], ...]
    langs: tuple[str, str]  # source and target language (Moses names its files by them)


def export_file_name(project: Project, keys: Sequence[str], fmt: str) -> str:
    """The file name an export of ``keys`` in ``fmt`` gets, on every face (Moses: its download's zip)."""
    stem = _stem(project, keys)
    if fmt == MULTILINGUAL or len(keys) > 1:
        return stem + ".tmx"
    if fmt in _DOCUMENT_SUFFIXES:
        return stem + _DOCUMENT_SUFFIXES[fmt]
    return stem + (".zip" if fmt == "moses" else FILE_SUFFIXES[fmt])


def document_formats(project: Project) -> list[str]:
    """The document formats ``project`` can export to: those of its source's file (``srt``/``vtt`` for subtitles,
    ``docx`` for Word), none for a source from text or a project made before the workbench kept the file."""
    source_file = load_source_file(project)
    return list(_FROM_SUFFIX.get(source_file.suffix, ())) if source_file else []


def export_formats(project: Project) -> list[str]:
    """Every format ``project`` exports to: the corpus formats, the multilingual TMX, and its document formats."""
    return [*FORMATS, MULTILINGUAL, *document_formats(project)]


def export_project(
    project: Project,
    keys: Sequence[str] | None = None,
    fmt: str = "tmx",
    *,
    confirmed_only: bool = False,
    min_confidence: float | None = None,
    drop_unpaired: bool = False,
) -> ExportFile:
    """Export targets ``keys`` (default: every target) of ``project`` in ``fmt``, filtered, in memory.

    Several targets, or ``fmt`` :data:`MULTILINGUAL`, make one multilingual TMX; several targets in another
    format are refused (one file a target: export them one by one). Nothing is written: see :func:`save_export`.
    """
    keys = list(keys) if keys else list(project.targets)
    if not keys:
        raise InputError(f"project {project.name!r} has no targets to export; add one first.")
    if fmt != MULTILINGUAL and fmt not in FORMATS and fmt not in DOCUMENT_FORMATS:
        raise InputError(
            f"unknown export format {fmt!r}; use one of {', '.join([*FORMATS, MULTILINGUAL, *DOCUMENT_FORMATS])}."
        )
    for key in keys:
        project.target(key)  # an unknown key: one clear error naming the targets there are
    filters = {"confirmed_only": confirmed_only, "min_confidence": min_confidence, "drop_unpaired": drop_unpaired}
    name = export_file_name(project, keys, fmt)
    if fmt == MULTILINGUAL or len(keys) > 1:
        if fmt not in (MULTILINGUAL, "tmx"):
            raise InputError(
                f"project {project.name!r}: targets {', '.join(keys)} go into one file only as a multilingual TMX; "
                "choose one target, or the TMX format."
            )
        multi = project_to_multilingual(project, keys, **filters)
        data = export_multilingual_tmx(multi)
        langs = (project.source.lang, multi.target_langs[0])
        return ExportFile(
            MULTILINGUAL, tuple(keys), data, name, MIME_TYPES["tmx"], len(multi.units), ((name, data),), langs
        )
    # The variant goes into the format's language fields (xml:lang="pt-PT"); Moses has none, and names its
    # files by language, so it keeps the project's codes (file names never follow the variant).
    if fmt in DOCUMENT_FORMATS:
        return _export_document(project, keys[0], fmt, name, filters)
    corpus = project_to_corpus(project, keys[0], **filters, tag_variant=fmt != "moses")
    langs = (corpus.source_lang, corpus.target_lang)
    if fmt != "moses":
        data = export_corpus(corpus, fmt)
        return ExportFile(fmt, tuple(keys), data, name, MIME_TYPES[fmt], len(corpus.units), ((name, data),), langs)
    source_path, target_path = moses_paths(Path(_stem(project, keys)), *langs)
    source_bytes, target_bytes = export_moses(corpus)
    parts = ((source_path.name, source_bytes), (target_path.name, target_bytes))
    return ExportFile(fmt, tuple(keys), _zip(parts), name, MIME_TYPES["moses"], len(corpus.units), parts, langs)


def save_export(
    export: ExportFile, out: Path | None = None, folder: Path | None = None, *, replace: bool = True
) -> list[Path]:
    """Write ``export`` to ``out`` (Moses: ``out.<src>`` and ``out.<tgt>``), else under its own name(s) in
    ``folder``; each file atomically. ``replace=False`` refuses, before writing any, if one of them exists."""
    if out is None:
        if folder is None:
            raise InputError("an export is saved to a file or into a folder; neither was given.")
        paths = [folder / part for part, _ in export.parts]
    elif export.fmt == "moses":
        paths = list(moses_paths(out, *export.langs))
    else:
        paths = [out]
    outputs = list(zip(paths, (data for _, data in export.parts), strict=True))
    if not replace:  # both Moses files checked before either is written: never half an export
        for path, _ in outputs:
            refuse_existing(path)
    for path, data in outputs:
        write_bytes_atomic(path, data, replace=replace)
    return paths


def _export_document(project: Project, key: str, fmt: str, name: str, filters: dict) -> ExportFile:
    """Target ``key`` written back in the source file's form: each source block gets the text of the links that
    start in it (a link the filters drop leaves its block's cue out, or its Word paragraph empty)."""
    from workbench.writers import texts_by_block
    from workbench.writers.docx import export_docx
    from workbench.writers.subtitles import export_srt, export_vtt

    source_file = load_source_file(project)
    offered = _FROM_SUFFIX.get(source_file.suffix, ()) if source_file else ()
    if fmt not in offered:
        made_from = f"a {source_file.suffix} file" if source_file else "text (or before the workbench kept files)"
        raise InputError(
            f"project {project.name!r} cannot be exported as {fmt}: its source was made from {made_from}; "
            f"{fmt} needs a source read from {' or '.join(s for s, f in _FROM_SUFFIX.items() if fmt in f)}."
        )
    assert source_file is not None
    source = _source_document(project, source_file)
    target = project.target(key)
    corpus = project_to_corpus(project, key, **filters, tag_variant=True)
    position = {sid: k for k, sid in enumerate(project.source.ids())}
    joiner = target.side.joiner()
    links = [
        ([position[i] for i in unit.source_ids], joiner.join(t.strip() for t in unit.target_segments if t.strip()))
        for unit in corpus.units
    ]
    texts = texts_by_block(source, links, target.lang)
    if fmt == "srt":
        data = export_srt(source, texts)
    elif fmt == "vtt":
        data = export_vtt(source, texts, corpus.target_lang)
    else:
        if source_file.data is None:
            raise InputError(f"project {project.name!r} did not keep its source's Word file; import it again.")
        data = export_docx(source_file.data, source, texts, corpus.target_lang)
    langs = (project.source.lang, target.lang)
    return ExportFile(fmt, (key,), data, name, _DOCUMENT_MIME[fmt], len(corpus.units), ((name, data),), langs)


def _source_document(project: Project, source_file: SourceFile) -> Document:
    """The project's source as a document of the file's blocks (kinds, levels, cue times) holding its sentences
    as they are now (edits included), which is what the writers walk."""
    side = project.source
    joiner = side.joiner()
    by_block: list[list[str]] = [[] for _ in source_file.blocks]
    for sentence in side.sentences:
        by_block[min(sentence.paragraph, len(by_block) - 1)].append(sentence.text)
    text, paragraphs, index = "", [], 0
    for number, ((kind, level, cue), texts) in enumerate(zip(source_file.blocks, by_block, strict=True)):
        if number:
            text += "\n\n"  # blocks apart by a blank line, as documents from files are
        block_start, sentences = len(text), []
        for k, sentence_text in enumerate(texts):
            if k:
                text += joiner
            begin = len(text)
            text += sentence_text
            sentences.append(Sentence(f"p{number + 1}s{k + 1}", index, number, begin, len(text), sentence_text))
            index += 1
        paragraphs.append(Paragraph(number, block_start, len(text), tuple(sentences), kind=kind, level=level, cue=cue))
    return Document(Path(source_file.name).stem, side.lang, text, paragraphs)


def _stem(project: Project, keys: Sequence[str]) -> str:
    stem = f"{project.name}.{project.source.lang}-{'-'.join(keys)}"
    if len(stem.encode("utf-8")) + len(".tmx") > _MAX_FILE_NAME_BYTES:
        return f"{project.name}.{project.source.lang}-multi"
    return stem


def _zip(parts: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip of ``parts``, the same bytes for the same parts (fixed times and modes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
