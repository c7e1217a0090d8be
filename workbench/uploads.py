"""What a person brings to open: a document (uploaded or pasted) whose language is guessed, or a corpus to review.

The app's Open page and anything else that takes files from people use these, so the rules live in one place:
which suffixes mean a document and which a corpus, how the language is guessed (front matter first, then
py3langid on the text), and which project name is free. Everything raises :class:`InputError` with a message
that says what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from workbench.documents import Document, document_from_bytes, document_from_text
from workbench.errors import InputError
from workbench.formats import (  # CORPUS_SUFFIXES: the one table of corpus suffixes
    CORPUS_SUFFIXES,
    ParallelCorpus,
    guess_format,
    read_corpus_bytes,
)
from workbench.language_id import UNDETERMINED, detect_language
from workbench.readers import DOCUMENT_SUFFIXES as READER_DOCUMENT_SUFFIXES
from workbench.readers import read_blocks, reader_for
from workbench.reading import decode_bytes

#: Plain text, and every format a reader in :mod:`workbench.readers` opens (Word, OpenDocument, HTML, subtitles,
#: EPUB, PDF).
DOCUMENT_SUFFIXES = READER_DOCUMENT_SUFFIXES

# The identifier reads character n-grams: a few thousand characters decide as well as the whole text.
_DETECTION_CHARS = 20_000
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class LanguageGuess:
    """A language and where it came from, so the app can say "detected (97%)" and let the user correct it."""

    lang: str  # "und" when the text gives nothing to judge
    probability: float
    how: str  # "front matter" or "detected"

    def describe(self) -> str:
        if self.how == "front matter":
            return f"{self.lang} (from the document's front matter)"
        if self.lang == UNDETERMINED:
            return "unknown (no letters to judge): choose it"
        return f"{self.lang} (detected, {self.probability:.0%} sure)"


def upload_kind(name: str) -> str:
    """``"document"`` or ``"corpus"`` from a file name's suffix; anything else is refused with the choices."""
    suffix = Path(name).suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return "document"
    if suffix in CORPUS_SUFFIXES:
        return "corpus"
    raise InputError(
        f"{name}: open a document ({', '.join(DOCUMENT_SUFFIXES)}) or an aligned corpus to review "
        f"({', '.join(CORPUS_SUFFIXES)}); save other files as UTF-8 text first."
    )


def decode_upload(data: bytes, name: str) -> str:
    """The text of an uploaded document (UTF-8, UTF-16 with a BOM, Latin-1 ...); binary files are refused.

    A file a reader opens (``.docx``, ``.pdf``, ``.srt`` ...) becomes text with its title as front matter and one
    paragraph a block (heading, list item, table cell, subtitle cue), which is what the upload pages segment and
    what the language guess reads (:func:`document_from_upload` with the bytes keeps kinds and cue times).
    """
    if reader_for(name) is None:
        text, _encoding = decode_bytes(data, name=name)
        return text
    extracted = read_blocks(data, name)
    paragraphs = [" ".join(block.text.split()) for block in extracted.blocks if block.text.strip()]
    if not paragraphs:
        raise InputError(f"{name} holds no text to open.")
    head = f"---\n{yaml.safe_dump({'title': extracted.title}, allow_unicode=True)}---\n\n" if extracted.title else ""
    return head + "\n\n".join(paragraphs)


def guess_language(text: str) -> LanguageGuess:
    """The language a text says it is in (``lang:`` in its front matter), else the one py3langid finds."""
    head = text[:_DETECTION_CHARS]
    try:
        probe = document_from_text(head, UNDETERMINED, name="probe")
    except InputError:  # nothing but front matter in the first characters: judge the text as it is
        probe = None
    if probe is not None and probe.lang != UNDETERMINED:
        return LanguageGuess(probe.lang, 1.0, "front matter")
    lang, probability = detect_language(probe.text if probe is not None else head)
    return LanguageGuess(lang, probability, "detected")


def document_from_upload(text: str, name: str, lang: str, data: bytes | None = None) -> Document:
    """Segment an uploaded or pasted text in ``lang`` (front matter's ``lang:`` still wins, as for files).

    With the upload's ``data``, a file a reader opens is read from it instead, as ``workbench project new`` reads
    it: its blocks' kinds and cue times (and a subtitle's or Word file's bytes) go with the document, so a project
    made from it exports back to that format."""
    lang = lang.strip()
    if not lang or lang == UNDETERMINED:
        raise InputError(f"say which language {name} is in (an ISO 639-1 code such as 'en').")
    if data is not None and reader_for(name) is not None:
        return document_from_bytes(data, lang, name)
    stem = Path(name).stem if Path(name).suffix.lower() in DOCUMENT_SUFFIXES else name
    return document_from_text(text, lang, name=stem or "pasted", markdown=name.lower().endswith(".md"))


def corpus_from_upload(
    data: bytes, name: str, source_lang: str | None = None, target_lang: str | None = None
) -> ParallelCorpus:
    """Read an uploaded corpus (TMX, TSV, XLIFF, JSONL) through the formats' own readers.

    TSV does not name its languages: pass them, or let :func:`guess_corpus_languages` propose them.
    """
    if upload_kind(name) != "corpus":
        raise InputError(f"{name} is a document, not an aligned corpus.")
    safe = _UNSAFE.sub("_", Path(name).name).strip("._") or "upload.tsv"
    # Read from memory: no temporary copy, and messages name the upload as the person named it.
    corpus = read_corpus_bytes(data, name, guess_format(safe), source_lang or None, target_lang or None)
    if not corpus.units:
        raise InputError(f"{name} holds no translation units to review.")
    if not corpus.name:
        corpus.name = Path(safe).name.split(".")[0]
    return corpus


#: Sentences a second that aligning embeds (e5-small through ONNX Runtime on two quiet CPU threads: 64.8,
#: bench/RESULTS.md, Embedding routes): enough to tell minutes from hours before someone starts a job on a huge upload.
EMBEDDED_SENTENCES_PER_SECOND = 65
#: Sentences from which an upload is worth a warning (about ten minutes of aligning).
LARGE_UPLOAD_SENTENCES = 30_000


def size_warning(sentences: int) -> str | None:
    """A warning for an upload so large that aligning it takes long, with an estimate; None for a usual one."""
    if sentences < LARGE_UPLOAD_SENTENCES:
        return None
    seconds = sentences / EMBEDDED_SENTENCES_PER_SECOND
    took = f"about {seconds / 3600:.1f} hours" if seconds >= 3600 else f"about {seconds / 60:.0f} minutes"
    return (
        f"This is a large text: {sentences:,} sentences. Aligning it against a translation takes {took} on this "
        f"kind of machine (each sentence is embedded once, about {EMBEDDED_SENTENCES_PER_SECOND} a second); split it "
        "into chapters to review sooner."
    )


def guess_corpus_languages(data: bytes, name: str) -> tuple[LanguageGuess, LanguageGuess]:
    """Source and target languages of a corpus file: as the file names them, else detected from its texts."""
    if Path(name).suffix.lower() != ".tsv":
        corpus = corpus_from_upload(data, name)
        return LanguageGuess(corpus.source_lang, 1.0, "file"), LanguageGuess(corpus.target_lang, 1.0, "file")
    corpus = corpus_from_upload(data, name, UNDETERMINED, UNDETERMINED)
    guesses = []
    for texts in ([u.source for u in corpus.units], [u.target for u in corpus.units]):
        lang, probability = detect_language(" ".join(texts)[:_DETECTION_CHARS])
        guesses.append(LanguageGuess(lang, probability, "detected"))
    return guesses[0], guesses[1]


def free_project_name(base: str, taken: set[str] | list[str]) -> str:
    """A project name made from ``base`` (a file or seed name) that no project has yet: ``name``, ``name-2`` ..."""
    cleaned = _UNSAFE.sub("-", base).strip("-._") or "project"
    # Cut to 90 bytes (a project name's limit is 100 bytes, and '-2' may follow), never inside a character.
    cleaned = cleaned.encode("utf-8")[:90].decode("utf-8", "ignore").rstrip("-._") or "project"
    if not cleaned[0].isalnum():
        cleaned = f"p{cleaned}"
    taken = set(taken)
    candidate, k = cleaned, 1
    while candidate in taken:
        k += 1
        candidate = f"{cleaned}-{k}"
    return candidate
