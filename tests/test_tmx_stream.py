"""The streaming TMX writer (``stream_tmx``, what a batch's per-pair TMX uses) writes the very bytes the whole-tree
export writes, for corpora with every field TMX carries, and refuses what the export refuses, with its message."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from workbench.errors import InputError
from workbench.formats import ParallelCorpus, TranslationUnit
from workbench.formats.tmx import export_tmx, import_tmx, stream_tmx
from workbench.seeds import seed_path

RICH = [
    TranslationUnit(("One.", "Two & <three>."), ("Eitt.",), ("p1s1", "p1s2"), ("p1s1",), 0.8123456, "confirmed"),
    TranslationUnit(("",), ("Alone on the target side.",), (), ("p1s2",), None, "manual", note="made by hand"),
    TranslationUnit(('Quotes "\'" and ]]> and a tab\there.',), ("",), ("p2s1",), (), 0.05, "flagged", note="n"),
    TranslationUnit(("联合国安理会。",), ("Зачем? 🙂",), changed="2026-11-30T06:00:00Z", link_number=7),
    TranslationUnit(("  spaced  ",), ("line\nbreak",), link_number=9),
]


def _streamed(corpus: ParallelCorpus) -> bytes:
    handle = io.BytesIO()
    assert stream_tmx(handle, corpus.source_lang, corpus.target_lang, iter(corpus.units), corpus.name) == len(
        corpus.units
    )
    return handle.getvalue()


def test_the_same_bytes_as_the_whole_tree_export() -> None:
    seed = [line for line in seed_path("kosovo-dialogue").read_text(encoding="utf-8").splitlines() if line.strip()]
    corpora = [
        ParallelCorpus("en", "is", RICH, name="batch en-is"),
        ParallelCorpus("en", "zh-Hant", RICH[:1]),
        ParallelCorpus("en", "de", []),  # no units: the empty <body/> the export writes
        ParallelCorpus(
            "en", "pt", [TranslationUnit((s,), (s[::-1],), (f"d:{k}",), (f"d:{k}",), 0.5) for k, s in enumerate(seed)]
        ),
    ]
    for corpus in corpora:
        streamed = _streamed(corpus)
        assert streamed == export_tmx(corpus), corpus.name
        etree.fromstring(streamed)  # well-formed
        assert len(import_tmx(streamed).units) == len(corpus.units)


def test_what_the_export_refuses_the_stream_refuses_with_its_message() -> None:
    refused = [
        [TranslationUnit(("a\x01",), ("b",))],  # a control character XML 1.0 cannot carry
        [TranslationUnit(("a",), ("b",), status="done")],
        [TranslationUnit(("a",), ("b",)), TranslationUnit(("c",), ("d",), link_number=1)],  # id 1 twice
        [TranslationUnit(("a",), ("b",), link_number=2), TranslationUnit(("c",), ("d",))],  # id 2 twice
        [TranslationUnit(("a",), ("b",), link_number=4), TranslationUnit(("c",), ("d",), link_number=4)],
    ]
    for units in refused:
        with pytest.raises(InputError) as expected:
            export_tmx(ParallelCorpus("en", "is", units))
        with pytest.raises(InputError) as got:
            _streamed(ParallelCorpus("en", "is", units))
        assert str(got.value) == str(expected.value)
    # Ids that only look alike are fine: unit 1 (its place), then link numbers 3 and 2.
    fine = [TranslationUnit(("a",), ("b",)), TranslationUnit(("c",), ("d",), link_number=3)]
    fine.append(TranslationUnit(("e",), ("f",), link_number=2))
    assert _streamed(ParallelCorpus("en", "is", fine)) == export_tmx(ParallelCorpus("en", "is", fine))
    handle = io.BytesIO()
    with pytest.raises(InputError, match="not a language tag"):
        stream_tmx(handle, "english please", "is", iter(fine))
    assert handle.getvalue() == b""  # refused before a byte is written
