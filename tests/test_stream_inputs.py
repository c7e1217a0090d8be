"""Readers take a binary stream as well as bytes and paths, and give the same document or corpus for each (what
an upload or a pipe holds reads as the file does); a stream is read within the limit and never past it. Real
files written by the test: a subtitle, a Markdown document, a TMX made by the exporter."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from workbench.documents import Document, document_from_bytes, load_document
from workbench.errors import InputError
from workbench.formats import ParallelCorpus, TranslationUnit, export_corpus, read_corpus, read_corpus_bytes
from workbench.reading import read_stream_bytes

SRT = (
    "1\n00:00:01,000 --> 00:00:03,500\nThe river rose during the night.\n\n"
    "2\n00:00:04,000 --> 00:00:06,000\nNobody was hurt. The school stays closed.\n"
)
MARKDOWN = "---\nlang: en\ntitle: A report\n---\n# The flood\n\nThe river rose. The village was warned.\n"


def _shape(document: Document) -> list[tuple[str, object, tuple[str, ...]]]:
    """What a reader decides: each paragraph's kind, cue times and sentences."""
    return [(p.kind, p.cue, tuple(s.text for s in p.sentences)) for p in document.paragraphs]


@pytest.mark.parametrize(("name", "text"), [("talk.srt", SRT), ("report.md", MARKDOWN)])
def test_a_document_from_a_stream_is_the_one_its_path_gives(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    by_path = load_document(path, "en")
    with path.open("rb") as stream:
        by_stream = document_from_bytes(stream, "en", name)
    by_bytes = document_from_bytes(path.read_bytes(), "en", name)
    assert _shape(by_stream) == _shape(by_path) == _shape(by_bytes)
    assert len(by_path.sentences) == 3
    assert (by_stream.title, by_stream.lang) == (by_path.title, by_path.lang)
    assert by_stream.source_file == by_path.source_file  # a subtitle keeps its bytes to be written back


def test_a_corpus_from_a_stream_is_the_one_its_path_gives(tmp_path: Path) -> None:
    corpus = ParallelCorpus(
        "en",
        "pt",
        [TranslationUnit(("The river rose.",), ("O rio subiu.",)), TranslationUnit(("Hello & bye",), ("Olá & adeus",))],
        name="flood",
    )
    path = tmp_path / "flood.en-pt.tmx"
    path.write_bytes(export_corpus(corpus, "tmx"))
    with path.open("rb") as stream:
        by_stream = read_corpus_bytes(stream, path.name)
    assert by_stream == read_corpus(path) == read_corpus_bytes(path.read_bytes(), path.name)
    assert [u.target_segments for u in by_stream.units] == [("O rio subiu.",), ("Olá & adeus",)]


class _Counting(io.BytesIO):
    """A stream that says how much was asked of it."""

    asked = 0

    def read(self, size: int | None = -1) -> bytes:
        self.asked += size if size is not None and size >= 0 else 1 << 40
        return super().read(size)


def test_a_stream_over_the_limit_is_refused_without_reading_it_all() -> None:
    stream = _Counting(b"x" * 10_000)
    with pytest.raises(InputError, match=r"big\.txt is over"):
        read_stream_bytes(stream, "big.txt", limit=100)
    assert stream.asked == 101
    with pytest.raises(InputError, match="binary mode"):
        read_stream_bytes(io.StringIO("text"), "text.txt")  # type: ignore[arg-type]
