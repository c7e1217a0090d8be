"""The document model: a title, metadata, paragraphs and sentences, each pointing back at the original text.

Everything downstream (translation, alignment, review, export) refers to sentences by their stable id
(``p3s2``: third paragraph's second sentence, both 1-based as a reader counts) or by their 0-based position in
:attr:`Document.sentences`, which is what the alignment gold format uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from workbench.errors import InputError
from workbench.language_tags import base_language, normalise_tag
from workbench.reading import MAX_INPUT_BYTES, decode_bytes, read_file_bytes, read_stream_bytes, read_text_file
from workbench.segmentation import split_sentences


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text is exactly ``document.text[start:end]``."""

    id: str
    index: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (a block); ``start``/``end`` are offsets into :attr:`Document.text`.

    ``kind`` says what the block was in the file it came from (``paragraph``, ``heading`` with its ``level``,
    ``list-item``, ``table-cell``, ``cue``), so a heading or a table cell is never run into its neighbours; ``cue``
    is a subtitle's ``(start, end)`` in seconds, which every sentence of the block shares (a sentence finds it
    through :attr:`Sentence.paragraph`). Plain text and Markdown give ``paragraph`` (``heading`` for ``#`` lines).
    """

    index: int
    start: int
    end: int
    sentences: tuple[Sentence, ...]
    kind: str = "paragraph"
    level: int = 0
    cue: tuple[float, float] | None = None

    @property
    def id(self) -> str:
        return f"p{self.index + 1}"


@dataclass
class Document:
    """A segmented document.

    ``text`` is the body as read (front matter removed, newlines normalised); every offset refers to it.
    """

    name: str
    lang: str
    text: str
    paragraphs: list[Paragraph]
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    #: ``(file name, bytes)`` of a file a writer can write the translation back into (.srt, .vtt, .docx), so a
    #: project made from it keeps what that needs; None for every other source.
    source_file: tuple[str, bytes] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.lang = normalise_tag(self.lang)  # one spelling from here on: 'zh_Hant' is 'zh-Hant'

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    def sentence_texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def sentence_by_id(self, sentence_id: str) -> Sentence:
        for s in self.sentences:
            if s.id == sentence_id:
                return s
        raise KeyError(sentence_id)

    def cue_of(self, sentence: Sentence) -> tuple[float, float] | None:
        """The subtitle times of a sentence (its block's cue), None outside subtitles."""
        return self.paragraphs[sentence.paragraph].cue


@dataclass(frozen=True)
class Block:
    """One block a reader found in a file (a heading, a paragraph, a list item, a table cell, a cue)."""

    text: str
    kind: str = "paragraph"
    level: int = 0
    cue: tuple[float, float] | None = None


@dataclass
class Extracted:
    """What a reader returns: the blocks in reading order, and what the file says about itself."""

    blocks: list[Block]
    title: str | None = None
    lang: str | None = None  # as the file declares it (``en-US``), None when it does not
    metadata: dict[str, Any] = field(default_factory=dict)


#: Word, PDF and EPUB files carry images and fonts beside their text: their file may be larger than a text's.
MAX_PACKED_DOCUMENT_BYTES = 200 * 1024 * 1024
_PACKED_SUFFIXES = {".docx", ".odt", ".epub", ".pdf"}  # HTML and subtitles are text: the text limit holds

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def document_from_text(
    text: str,
    lang: str,
    name: str = "pasted",
    *,
    presplit: bool = False,
    markdown: bool = False,
) -> Document:
    """Build a document from text: front matter (if any) becomes metadata, the rest is segmented.

    ``presplit`` takes one sentence a line exactly as given (every line, blank ones too, so line numbers stay
    sentence ids); paragraphs are then separated by nothing and the whole text is one paragraph.
    """
    if not text.strip():
        raise InputError(f"{name} is empty: there is no text to read.")
    metadata: dict[str, Any] = {}
    body = text
    match = _FRONT_MATTER.match(text)
    if match and not presplit:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise InputError(f"{name}: the metadata block between '---' lines is not valid YAML ({exc}).") from None
        if isinstance(loaded, dict):
            metadata = {str(k): v for k, v in loaded.items()}
            body = text[match.end() :]
    title = metadata.pop("title", None)
    lang = str(metadata.pop("lang", None) or lang)
    paragraphs = [_presplit_paragraph(body)] if presplit else _segment_body(body, lang, markdown=markdown)
    if not any(p.sentences for p in paragraphs):
        raise InputError(f"{name} has no sentences: it holds only whitespace or metadata.")
    return Document(
        name=name,
        lang=lang,
        text=body,
        paragraphs=paragraphs,
        title=None if title is None else str(title),
        metadata=metadata,
    )


def load_document(source: str | Path, lang: str | None = None, *, presplit: bool = False) -> Document:
    """Open a document by path or by seed name (see :func:`workbench.seeds.seed_path`).

    Word, OpenDocument, HTML, subtitles, EPUB and PDF go through their readers (:mod:`workbench.readers`); any
    other suffix is read as plain text (Markdown for ``.md``).
    """
    from workbench.readers import reader_for
    from workbench.seeds import resolve_document_path

    path = resolve_document_path(source)
    if reader_for(path.name) is not None:
        packed = path.suffix.lower() in _PACKED_SUFFIXES
        data = read_file_bytes(path, MAX_PACKED_DOCUMENT_BYTES if packed else MAX_INPUT_BYTES)
        return document_from_bytes(data, lang or "und", path.name, presplit=presplit)
    text, _encoding = read_text_file(path)
    doc = document_from_text(
        text,
        lang or "und",
        name=path.stem,
        presplit=presplit,
        markdown=path.suffix.lower() in {".md", ".markdown"},
    )
    if doc.lang == "und":
        raise InputError(f"{path}: say which language it is in (--lang xx, an ISO 639-1 code).")
    return doc


def document_from_bytes(data: bytes | BinaryIO, lang: str, name: str, *, presplit: bool = False) -> Document:
    """The same as :func:`document_from_text` for an upload (its bytes, or a binary stream of them): decoding
    errors become clear messages, and the document is the one :func:`load_document` makes of the same file.

    A name whose suffix has a reader (``.docx``, ``.pdf`` ...) is read by it; ``lang`` (when not ``und``) wins
    over the language the file declares, which is often a template's default.
    """
    from workbench.readers import read_blocks, reader_for

    if isinstance(data, bytearray):
        data = bytes(data)
    elif not isinstance(data, bytes):  # a stream: read once, within the limit its kind of file has
        packed = Path(name).suffix.lower() in _PACKED_SUFFIXES
        data = read_stream_bytes(data, name, MAX_PACKED_DOCUMENT_BYTES if packed else MAX_INPUT_BYTES)

    if reader_for(name) is not None:
        extracted = read_blocks(data, name)
        declared = _primary_language(extracted.lang)
        chosen = lang if lang and lang != "und" else declared
        if not chosen:
            raise InputError(f"{name}: say which language it is in (--lang xx, an ISO 639-1 code).")
        document = document_from_blocks(extracted, chosen, name=Path(name).stem, presplit=presplit)
        from workbench.writers import WRITERS  # the writers read documents: imported here, not at the top

        if Path(name).suffix.lower() in WRITERS:
            document.source_file = (Path(name).name, data)
        return document
    text, _encoding = decode_bytes(data, name=name)
    return document_from_text(text, lang, name=name, presplit=presplit, markdown=name.lower().endswith(".md"))


def document_from_blocks(extracted: Extracted, lang: str, name: str, *, presplit: bool = False) -> Document:
    """Build a document from a reader's blocks: one paragraph a block, its kind and cue kept, blocks separated by
    a blank line in :attr:`Document.text`. Whitespace inside a block (a soft line break, a subtitle's two lines)
    becomes one space. ``presplit`` takes each block as one sentence."""
    texts = [" ".join(block.text.split()) for block in extracted.blocks]
    kept = [(block, text) for block, text in zip(extracted.blocks, texts, strict=True) if text]
    if not kept:
        raise InputError(f"{name} has no text to read: its blocks are all empty.")
    body = "\n\n".join(text for _, text in kept)
    paragraphs: list[Paragraph] = []
    counter = 0
    pos = 0
    for index, (block, text) in enumerate(kept):
        start, end = pos, pos + len(text)
        pos = end + 2
        spans = [(0, len(text))] if presplit else [(span.start, span.end) for span in split_sentences(text, lang)]
        sentences = []
        for k, (a, b) in enumerate(spans):
            sentences.append(
                Sentence(
                    id=f"p{index + 1}s{k + 1}",
                    index=counter,
                    paragraph=index,
                    start=start + a,
                    end=start + b,
                    text=body[start + a : start + b],
                )
            )
            counter += 1
        paragraphs.append(
            Paragraph(index, start, end, tuple(sentences), kind=block.kind, level=block.level, cue=block.cue)
        )
    metadata = dict(extracted.metadata)
    if extracted.lang:
        metadata["declared_lang"] = extracted.lang
    return Document(name=name, lang=lang, text=body, paragraphs=paragraphs, title=extracted.title, metadata=metadata)


def _primary_language(declared: str | None) -> str | None:
    """``en`` from ``en-US``/``en_GB``: the segmenter and the engines key on the language, not the region."""
    if not declared:
        return None
    code = base_language(declared)
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _segment_body(body: str, lang: str, *, markdown: bool) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    counter = 0
    for start, end in _paragraph_ranges(body, markdown=markdown):
        index = len(paragraphs)
        sentences = []
        for k, span in enumerate(split_sentences(body[start:end], lang)):
            s_start, s_end = start + span.start, start + span.end
            sentences.append(
                Sentence(
                    id=f"p{index + 1}s{k + 1}",
                    index=counter,
                    paragraph=index,
                    start=s_start,
                    end=s_end,
                    text=body[s_start:s_end],
                )
            )
            counter += 1
        paragraphs.append(Paragraph(index=index, start=start, end=end, sentences=tuple(sentences)))
    return paragraphs


def _paragraph_ranges(body: str, *, markdown: bool) -> Iterable[tuple[int, int]]:
    """Blank lines separate paragraphs; in Markdown a heading line is a paragraph of its own too."""
    pos = 0
    for match in [*_PARAGRAPH_BREAK.finditer(body), None]:
        end = match.start() if match else len(body)
        chunk_start = pos
        pos = match.end() if match else len(body)
        if not body[chunk_start:end].strip():
            continue
        if markdown:
            yield from _split_headings(body, chunk_start, end)
        else:
            yield _trim(body, chunk_start, end)


def _split_headings(body: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    line_start = start
    block_start = start
    while line_start < end:
        line_end = body.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        if body[line_start:line_end].lstrip().startswith("#"):
            if body[block_start:line_start].strip():
                yield _trim(body, block_start, line_start)
            yield _trim(body, line_start, line_end)
            block_start = line_end
        line_start = line_end + 1
    if body[block_start:end].strip():
        yield _trim(body, block_start, end)


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _presplit_paragraph(body: str) -> Paragraph:
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line does not start another sentence
    sentences = []
    pos = 0
    for i, line in enumerate(lines):
        sentences.append(Sentence(id=f"p1s{i + 1}", index=i, paragraph=0, start=pos, end=pos + len(line), text=line))
        pos += len(line) + 1
    return Paragraph(index=0, start=0, end=len(body), sentences=tuple(sentences))


# Languages written with no space between sentences: Chinese (and its varieties) and Japanese. Thai, Lao, Khmer,
# Burmese and Tibetan write no space between words but do put one between sentences (a Thai sentence ends with a
# space, not a mark), so joining theirs with nothing would run two sentences into one.
_NO_SPACE_LANGS = {"zh", "ja", "yue", "wuu", "cmn", "lzh"}


def sentence_joiner(lang: str) -> str:
    """What goes between two sentences' texts when they are joined: nothing in Chinese and Japanese, else a space.

    One rule for the whole product: merged sentences, documents written back, exports, the review editor's columns
    and the aligner's multi-sentence spans all join so."""
    return "" if base_language(lang) in _NO_SPACE_LANGS else " "


def render_document(
    paragraphs: Sequence[str], lang: str, title: str | None = None, metadata: dict[str, Any] | None = None
) -> str:
    """Text that :func:`document_from_text` reads back: YAML front matter (title, lang, metadata), then paragraphs
    separated by blank lines. How translated documents are written, so they reopen with their language and title."""
    head: dict[str, Any] = {}
    if title is not None:
        head["title"] = title
    head["lang"] = lang
    head.update(metadata or {})
    front = yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=1_000_000)
    body = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    return f"---\n{front}---\n{body}\n"
