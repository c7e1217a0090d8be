"""One table of corpus suffixes: the command line's import, the app's upload and read_corpus take the same ones,
``.ndjson`` (JSON Lines by another name) included; and a corpus read from memory (an upload) reads as its file
does. Real files written by the real JSONL exporter."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main as cli_main
from workbench.errors import InputError
from workbench.formats import (
    CORPUS_SUFFIXES,
    SUFFIX_FORMATS,
    ParallelCorpus,
    TranslationUnit,
    guess_format,
    read_corpus,
    read_corpus_bytes,
)
from workbench.formats.jsonl import export_jsonl
from workbench.projects import open_project
from workbench.uploads import corpus_from_upload, upload_kind


def corpus() -> ParallelCorpus:
    units = [TranslationUnit((f"Sentence {k}.",), (f"Satz {k}.",)) for k in range(3)]
    return ParallelCorpus("en", "de", units, name="lines")


def test_every_face_takes_every_corpus_suffix() -> None:
    assert set(CORPUS_SUFFIXES) == set(SUFFIX_FORMATS) and ".ndjson" in CORPUS_SUFFIXES
    for suffix in CORPUS_SUFFIXES:
        assert upload_kind(f"c{suffix}") == "corpus", suffix
        assert guess_format(f"c{suffix}") == SUFFIX_FORMATS[suffix]


def test_an_ndjson_file_imports_on_the_command_line_and_in_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "alignments"
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(root))
    data = export_jsonl(corpus())
    path = tmp_path / "lines.ndjson"
    path.write_bytes(data)
    assert cli_main(["import", str(path), "--name", "nd"]) == 0
    target = open_project("nd", root).target("de")
    assert [s.text for s in target.side.sentences] == ["Satz 0.", "Satz 1.", "Satz 2."]
    assert [u.target for u in corpus_from_upload(data, "lines.ndjson").units] == ["Satz 0.", "Satz 1.", "Satz 2."]


def test_an_unknown_suffix_names_the_table(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.ndjson"):
        guess_format(tmp_path / "c.csv")


def test_a_corpus_reads_from_memory_as_from_its_file(tmp_path: Path) -> None:
    data = export_jsonl(corpus())
    path = tmp_path / "lines.en-de.tsv"
    path.write_bytes(b"source\ttarget\nSentence 0.\tSatz 0.\n")
    assert read_corpus_bytes(path.read_bytes(), path.name) == read_corpus(path)  # TSV's languages from the name
    assert read_corpus_bytes(data, "lines.ndjson") == read_corpus_bytes(data, "x", fmt="jsonl")
    with pytest.raises(InputError, match=r"lines\.tsv is TSV"):  # the message names the upload, not a copy
        read_corpus_bytes(b"a\tb\n", "lines.tsv")
    with pytest.raises(InputError, match="two files"):
        read_corpus_bytes(b"a\n", "lines.en")
