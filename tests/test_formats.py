"""Corpus formats: every format gives back what it can carry, XML import cannot be turned against the user, and
every broken file is an InputError that says where.

Units are built from the seed article and its German translation (real sentences, real ids), plus the texts that
break naive writers: XML specials, emoji with ZWJ sequences, right-to-left scripts, tabs and line breaks.
"""

from __future__ import annotations

import dataclasses
import io
import os
import resource
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from translate.storage.tmx import tmxfile
from translate.storage.xliff import xlifffile

import workbench
from workbench.documents import load_document
from workbench.errors import InputError
from workbench.formats import (
    FILE_SUFFIXES,
    FORMATS,
    MIME_TYPES,
    corpus_to_bytes,
    export_corpus,
    filter_units,
    guess_format,
    read_corpus,
    write_corpus,
    write_multilingual_tmx,
)
from workbench.formats.fields import joined, segments_from_text
from workbench.formats.jsonl import import_jsonl
from workbench.formats.moses import flatten, import_moses
from workbench.formats.tmx import export_tmx, import_tmx
from workbench.formats.tsv import import_tsv
from workbench.formats.units import MultilingualCorpus, MultilingualUnit, ParallelCorpus, TranslationUnit
from workbench.formats.xliff import WORKBENCH_NS, export_xliff, import_xliff

XML_SPECIALS_EN = "\"Quoted\" <tag> & 'apos' ]]> stays literal, as does &amp;."
XML_SPECIALS_DE = "„Zitiert“ <tag> & \"quotes\" 'apos' ]]> bleibt wörtlich, ebenso &amp;."
EMOJI_EN = "A family 👨‍👩‍👧‍👦, a rainbow flag 🏳️‍🌈, a thumbs-up 👍🏽 and a heart ❤️ survive export."
EMOJI_DE = "Eine Familie 👨‍👩‍👧‍👦, eine Regenbogenflagge 🏳️‍🌈, ein Daumen 👍🏽 und ein Herz ❤️ überstehen den Export."
RTL_EN = "In Arabic one says السلام عليكم and in Hebrew שָׁלוֹם עוֹלָם\u200f."
RTL_DE = "Auf Arabisch sagt man السلام عليكم, auf Hebräisch שלום עולם\u200f."
LAYOUT_EN = "Column A\tColumn B\nsecond line\r\nthird line, then two spaces  "
LAYOUT_DE = "  Spalte A\tSpalte B\nzweite Zeile\r\ndritte Zeile"


@pytest.fixture(scope="module")
def corpus() -> ParallelCorpus:
    """Real aligned sentences of the seed article with every kind of link and every awkward text."""
    en = {s.id: s.text for s in load_document("kosovo-dialogue").sentences}
    de = {s.id: s.text for s in load_document("kosovo-dialogue.de").sentences}
    units = [
        TranslationUnit(
            (en["p1s1"],),
            (de["p1s1"],),
            ("p1s1",),
            ("p1s1",),
            0.9137254901960784,
            "confirmed",
            "checked by a reviewer",
            "2026-11-27T06:43:33+00:00",
        ),
        # 1-2: the German splits the July 2022 sentence in two.
        TranslationUnit((en["p3s3"],), (de["p3s3"], de["p3s4"]), ("p3s3",), ("p3s3", "p3s4"), 0.71, "auto"),
        # 2-1: the German merges the May and December sentences.
        TranslationUnit(
            (en["p5s3"], en["p5s4"]),
            (de["p5s3"],),
            ("p5s3", "p5s4"),
            ("p5s3",),
            0.5625,
            "flagged",
            "German merges two sentences;\tcheck the dates\nsecond line of the note",
        ),
        # 0-1: a sentence the German adds.
        TranslationUnit((), (de["p6s3"],), (), ("p6s3",), 0.42, "auto"),
        # 1-0: a sentence with no translation, confirmed as such.
        TranslationUnit((en["p9s2"],), (), ("p9s2",), (), None, "confirmed", "", "2026-11-28T10:00:00+00:00"),
        TranslationUnit((XML_SPECIALS_EN,), (XML_SPECIALS_DE,), ("x1",), ("y1",), 0.8, "auto", "<note> & ]]>"),
        TranslationUnit((EMOJI_EN,), (EMOJI_DE,), ("x2",), ("y2",), 0.77, "auto"),
        TranslationUnit((RTL_EN,), (RTL_DE,), ("x3",), ("y3",), 0.66, "confirmed", "שלום"),
        TranslationUnit((LAYOUT_EN,), (LAYOUT_DE,), ("x4",), ("y4",), 0.5, "auto", "  spaced note  "),
    ]
    return ParallelCorpus("en", "de", units, name="kosovo-dialogue")


def expected_back(unit: TranslationUnit, fmt: str) -> TranslationUnit:
    """What each format is documented to give back for ``unit``."""
    if fmt in ("jsonl", "xliff2"):
        return unit
    if fmt in ("tmx", "xliff"):
        return joined(unit)
    if fmt == "tsv":
        return dataclasses.replace(joined(unit), changed=None, link_number=None)
    assert fmt == "moses"
    return TranslationUnit(segments_from_text(flatten(unit.source)), segments_from_text(flatten(unit.target)))


def _path_for(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / ("kosovo-dialogue" if fmt == "moses" else f"kosovo-dialogue.en-de{FILE_SUFFIXES[fmt]}")


# --- round trips ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_round_trips_through_files(corpus: ParallelCorpus, tmp_path: Path, fmt: str) -> None:
    written = write_corpus(corpus, fmt, _path_for(tmp_path, fmt))
    back = read_corpus(written[0])  # format, languages and (Moses) the target file all found by name
    assert (back.source_lang, back.target_lang, back.name) == ("en", "de", "kosovo-dialogue")
    assert back.units == [expected_back(unit, fmt) for unit in corpus.units]


@pytest.mark.parametrize("fmt", ["jsonl", "xliff2"])
def test_lossless_formats_keep_every_field_and_the_n_m_segments(corpus: ParallelCorpus, fmt: str) -> None:
    data, name, _ = corpus_to_bytes(corpus, fmt)
    back = import_jsonl(data) if fmt == "jsonl" else import_xliff(data)
    assert back.units == corpus.units
    assert back.units[2].source_segments == corpus.units[2].source_segments  # the 2-1 unit's two sentences
    assert name == f"kosovo-dialogue.en-de{FILE_SUFFIXES[fmt]}"


@pytest.fixture(scope="module")
def reviewed(corpus: ParallelCorpus) -> ParallelCorpus:
    """A filtered export of a project as it is reviewed: link numbers with gaps (links left out between them), a
    link made by hand (manual: no confidence, not approved) beside auto, confirmed and flagged ones."""
    statuses = [("auto", 3), ("manual", 5), ("confirmed", 9), ("flagged", 12)]
    units = [
        dataclasses.replace(
            unit,
            status=status,
            link_number=number,
            confidence=None if status == "manual" else unit.confidence,
            note="merged by hand" if status == "manual" else unit.note,
        )
        for unit, (status, number) in zip(corpus.units[:4], statuses, strict=True)
    ]
    return dataclasses.replace(corpus, units=units)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_manual_status_and_link_numbers_round_trip(reviewed: ParallelCorpus, tmp_path: Path, fmt: str) -> None:
    back = read_corpus(write_corpus(reviewed, fmt, _path_for(tmp_path, fmt))[0])
    assert back.units == [expected_back(unit, fmt) for unit in reviewed.units]
    if fmt != "moses":
        assert back.units[1].status == "manual" and back.units[1].confidence is None
    if fmt not in ("moses", "tsv"):
        assert [u.link_number for u in back.units] == [3, 5, 9, 12]


def test_unit_ids_are_the_link_numbers_people_see(reviewed: ParallelCorpus) -> None:
    assert [tu.get("tuid") for tu in etree.fromstring(export_tmx(reviewed)).iter("tu")] == ["3", "5", "9", "12"]
    ns = {"x12": "urn:oasis:names:tc:xliff:document:1.2", "x20": "urn:oasis:names:tc:xliff:document:2.0"}
    xliff12 = etree.fromstring(export_xliff(reviewed, "1.2")).findall(".//x12:trans-unit", ns)
    xliff20 = etree.fromstring(export_xliff(reviewed, "2.0")).findall(".//x20:unit", ns)
    assert [u.get("id") for u in xliff12] == [u.get("id") for u in xliff20] == ["3", "5", "9", "12"]
    # Units that are no project's links keep their place in the file as their id, as before.
    loose = dataclasses.replace(reviewed, units=[dataclasses.replace(u, link_number=None) for u in reviewed.units])
    assert [tu.get("tuid") for tu in etree.fromstring(export_tmx(loose)).iter("tu")] == ["1", "2", "3", "4"]
    twice = dataclasses.replace(reviewed, units=[reviewed.units[0], reviewed.units[0]])
    with pytest.raises(InputError, match=r"Unit 2: its id 3 is also unit 1's"):
        export_tmx(twice)
    with pytest.raises(InputError, match=r"Unit 1: link number 0 is not a whole number from 1"):
        export_corpus(
            dataclasses.replace(reviewed, units=[dataclasses.replace(reviewed.units[0], link_number=0)]), "jsonl"
        )


def test_xliff_gives_a_manual_link_the_standard_needs_review_state(reviewed: ParallelCorpus) -> None:
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    data = export_xliff(reviewed, "1.2")
    units = etree.fromstring(data).findall(".//x:trans-unit", ns)
    manual = units[1].find("x:target", ns)
    assert (manual.get("state"), manual.get("state-qualifier")) == ("needs-review-translation", "x-workbench-manual")
    assert units[1].get("approved") is None and units[3].find("x:target", ns).get("state-qualifier") is None
    assert [u.isapproved() for u in xlifffile.parsestring(data).units] == [False, False, True, False]
    # Another tool approving it changes the standard state: the state wins over our qualifier.
    approved = data.replace(b'state="needs-review-translation" state-qualifier', b'state="final" state-qualifier')
    assert import_xliff(approved).units[1].status == "confirmed"
    segments = etree.fromstring(export_xliff(reviewed, "2.0")).findall(".//{*}segment")
    assert (segments[1].get("state"), segments[1].get("subState")) == ("translated", "workbench:manual")
    reviewed_20 = export_xliff(reviewed, "2.0").replace(
        b'state="translated" subState="workbench:manual"', b'state="reviewed" subState="workbench:manual"'
    )
    assert import_xliff(reviewed_20).units[1].status == "confirmed"


def test_filters_leave_manual_links_out_of_confirmed_only_and_minimum_confidence(reviewed: ParallelCorpus) -> None:
    units = reviewed.units
    assert filter_units(units, confirmed_only=True) == [units[2]]
    assert units[1] not in filter_units(units, min_confidence=0.1)  # no confidence: it was never scored
    assert units[1] in filter_units(units)


def test_moses_loses_line_breaks_explicitly_and_keeps_lines_paired(corpus: ParallelCorpus, tmp_path: Path) -> None:
    source_path, target_path = write_corpus(corpus, "moses", tmp_path / "kosovo-dialogue.en")
    assert (source_path.name, target_path.name) == ("kosovo-dialogue.en", "kosovo-dialogue.de")
    source_lines = source_path.read_text(encoding="utf-8").split("\n")
    target_lines = target_path.read_text(encoding="utf-8").split("\n")
    assert len(source_lines) == len(target_lines) == len(corpus.units) + 1  # one line a unit, final newline
    assert source_lines[3] == "" and target_lines[4] == ""  # the 0-1 and 1-0 units keep their empty side
    assert source_lines[8] == "Column A\tColumn B second line third line, then two spaces  "  # tab kept
    back = read_corpus(source_path)
    assert back.units[8].source == flatten(LAYOUT_EN) != LAYOUT_EN
    assert all(unit.confidence is None and unit.status == "auto" and not unit.source_ids for unit in back.units)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_corpus_to_bytes_names_the_download_and_reads_back(corpus: ParallelCorpus, fmt: str) -> None:
    data, filename, mime = corpus_to_bytes(corpus, fmt)
    assert mime == MIME_TYPES[fmt]
    if fmt == "moses":
        assert filename == "kosovo-dialogue.en-de.zip"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.namelist() == ["kosovo-dialogue.en", "kosovo-dialogue.de"]
            back = import_moses(
                archive.read("kosovo-dialogue.en"),
                archive.read("kosovo-dialogue.de"),
                source_lang="en",
                target_lang="de",
            )
        assert corpus_to_bytes(corpus, fmt)[0] == data  # the zip is the same bytes every time
    else:
        assert filename == f"kosovo-dialogue.en-de{FILE_SUFFIXES[fmt]}"
        assert data == export_corpus(corpus, fmt)
        readers = {
            "tmx": import_tmx,
            "xliff": import_xliff,
            "xliff2": import_xliff,
            "jsonl": import_jsonl,
            "tsv": lambda d: import_tsv(d, source_lang="en", target_lang="de"),
        }
        back = readers[fmt](data)
    assert [u.source for u in back.units] == [expected_back(u, fmt).source for u in corpus.units]
    assert [u.target for u in back.units] == [expected_back(u, fmt).target for u in corpus.units]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_empty_corpus_round_trips_with_its_languages(tmp_path: Path, fmt: str) -> None:
    empty = ParallelCorpus("en", "de", [], name="kosovo-dialogue")
    back = read_corpus(write_corpus(empty, fmt, _path_for(tmp_path, fmt))[0])
    assert (back.source_lang, back.target_lang, back.units) == ("en", "de", [])


def test_download_name_is_safe_whatever_the_corpus_name(corpus: ParallelCorpus) -> None:
    unsafe = dataclasses.replace(corpus, name="../../etc/passwd x")
    _, filename, _ = corpus_to_bytes(unsafe, "tsv")
    assert "/" not in filename and not filename.startswith(".")
    assert corpus_to_bytes(dataclasses.replace(corpus, name=""), "tmx")[1] == "corpus.en-de.tmx"


# --- TMX ----------------------------------------------------------------------------------------------------


def test_tmx_is_read_back_by_translate_toolkit(corpus: ParallelCorpus) -> None:
    store = tmxfile.parsestring(export_tmx(corpus))
    assert [(u.source, u.target) for u in store.units] == [(u.source, u.target) for u in corpus.units]
    assert store.units[2].getnotes() == corpus.units[2].note
    assert store.getsourcelanguage() == "en"


def test_tmx_header_units_and_props(corpus: ParallelCorpus) -> None:
    data = export_tmx(corpus)
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in data
    root = etree.fromstring(data)
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert header.attrib == {
        "creationtool": "workbench",
        "creationtoolversion": workbench.__version__,
        "segtype": "sentence",
        "datatype": "plaintext",
        "adminlang": "en",
        "srclang": "en",
        "o-tmf": "workbench",
    }
    tus = root.findall("body/tu")
    assert len(tus) == len(corpus.units)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert all([tuv.get(lang) for tuv in tu.findall("tuv")] == ["en", "de"] for tu in tus)
    assert tus[1].find("tuv/seg").text == corpus.units[1].source
    assert tus[1].findall("tuv/seg")[1].text == corpus.units[1].target  # 1-2: the two sentences joined
    props = {prop.get("type"): prop.text for prop in tus[0].findall("prop")}
    assert props == {
        "x-workbench-confidence": "0.9137254901960784",
        "x-workbench-status": "confirmed",
        "x-workbench-source-ids": "p1s1",
        "x-workbench-target-ids": "p1s1",
        "x-workbench-changed": "2026-11-27T06:43:33+00:00",
    }
    assert tus[0].get("changedate") == "20261127T064333Z"
    assert tus[2].find("note").text == corpus.units[2].note


def test_tmx_import_reads_files_of_other_tools_with_inline_codes() -> None:
    store = tmxfile(sourcelanguage="en", targetlanguage="de")
    store.addtranslation("The mayor elections were boycotted.", "en", "Die Wahlen wurden boykottiert.", "de", "n1")
    theirs = import_tmx(bytes(store))
    assert (theirs.source_lang, theirs.target_lang) == ("en", "de")
    assert [(u.source, u.target, u.note) for u in theirs.units] == [
        ("The mayor elections were boycotted.", "Die Wahlen wurden boykottiert.", "n1")
    ]
    seg = 'A <bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept> move<ph>&lt;br/&gt;</ph>!'
    inline = f"""<?xml version="1.0"?><tmx version="1.4"><header srclang="en-US" creationtool="x"
      creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="html"/><body>
      <tu changedate="20240429T205824Z"><tuv xml:lang="en-US"><seg>{seg}</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Ein <hi>kühner</hi> Schritt!</seg></tuv></tu></body></tmx>""".encode()
    read = import_tmx(inline, target_lang="de")  # "de" finds the file's only German, de-DE
    assert (read.source_lang, read.target_lang) == ("en-US", "de-DE")
    assert read.units[0].source == "A bold move!"
    assert read.units[0].target == "Ein kühner Schritt!"
    assert read.units[0].changed == "2024-04-29T20:58:24+00:00"


def test_multilingual_tmx_export_and_pair_selection(tmp_path: Path) -> None:
    en = load_document("kosovo-dialogue").sentences
    de = load_document("kosovo-dialogue.de").sentences
    fr = [
        "Récemment, les tensions dans le nord du Kosovo n'ont cessé de s'aggraver.",
        "Le 22 avril, le Conseil de sécurité de l'ONU a tenu une séance sur la question du Kosovo.",
    ]
    corpus = MultilingualCorpus(
        "en",
        ["de", "fr"],
        [
            MultilingualUnit(en[0].text, {"de": de[0].text, "fr": fr[0]}, ("p1s1",)),
            MultilingualUnit(en[1].text, {"de": de[1].text, "fr": fr[1]}, ("p1s2",)),
            MultilingualUnit(en[2].text, {"de": de[2].text}, ("p2s1",)),  # no French for this one
        ],
        name="kosovo-dialogue",
    )
    path = write_multilingual_tmx(corpus, tmp_path / "kosovo.tmx")
    root = etree.fromstring(path.read_bytes())
    assert [len(tu.findall("tuv")) for tu in root.iter("tu")] == [3, 3, 2]
    store = tmxfile(path.open("rb"))
    assert [u.source for u in store.units] == [en[0].text, en[1].text, en[2].text]
    assert store.units[0].gettarget("fr") == fr[0]

    german = read_corpus(path, target_lang="de")
    assert [(u.source, u.target, u.source_ids) for u in german.units] == [
        (en[i].text, de[i].text, (en[i].id,)) for i in range(3)
    ]
    french = read_corpus(path, source_lang="en", target_lang="fr")
    assert [u.target for u in french.units] == [fr[0], fr[1], ""]
    with pytest.raises(InputError, match=r"holds en, de, fr.*target_lang"):
        read_corpus(path)
    with pytest.raises(InputError, match=r"no target language 'it'; it holds en, de, fr"):
        read_corpus(path, target_lang="it")


# --- XLIFF ----------------------------------------------------------------------------------------------------


def test_xliff12_states_map_the_status_and_translate_toolkit_reads_it(corpus: ParallelCorpus) -> None:
    data = export_xliff(corpus, "1.2")
    root = etree.fromstring(data)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    units = root.findall(".//x:trans-unit", ns)
    assert [u.find("x:target", ns).get("state") for u in units[:3]] == [
        "final",
        "translated",
        "needs-review-translation",
    ]
    assert units[0].get("approved") == "yes" and units[1].get("approved") is None
    assert units[0].get(f"{{{WORKBENCH_NS}}}confidence") == "0.9137254901960784"
    assert root.find("x:file", ns).get("source-language") == "en"
    store = xlifffile.parsestring(data)
    assert [(u.source, u.target) for u in store.units] == [(u.source, u.target) for u in corpus.units]
    assert [u.isapproved() for u in store.units][:3] == [True, False, False]


def test_xliff2_keeps_sentences_as_segments_with_states(corpus: ParallelCorpus) -> None:
    root = etree.fromstring(export_xliff(corpus, "2.0"))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    assert (root.get("srcLang"), root.get("trgLang"), root.get("version")) == ("en", "de", "2.0")
    units = root.findall(".//x:unit", ns)
    merged = units[2].findall("x:segment", ns)  # the 2-1 unit
    assert [s.findtext("x:source", namespaces=ns) for s in merged] == list(corpus.units[2].source_segments)
    assert [s.findtext("x:target", namespaces=ns) or "" for s in merged] == [corpus.units[2].target, ""]
    assert [(s.get("state"), s.get("subState")) for s in merged] == [("initial", "workbench:flagged")] * 2
    assert units[0].find("x:segment", ns).get("state") == "final"
    assert units[1].find("x:segment", ns).get("state") == "translated"


def test_xliff_import_reads_other_tools_files() -> None:
    store = xlifffile(sourcelanguage="en", targetlanguage="de")
    unit = store.addsourceunit("Later, Macron and Scholz urged Kosovo to allow new elections.")
    unit.target = "Später forderten Macron und Scholz Neuwahlen."
    unit.markapproved(True)
    theirs = import_xliff(bytes(store))
    assert [(u.source, u.target, u.status) for u in theirs.units] == [
        (
            "Later, Macron and Scholz urged Kosovo to allow new elections.",
            "Später forderten Macron und Scholz Neuwahlen.",
            "confirmed",
        )
    ]
    v2 = """<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
      <file id="f"><unit id="u"><segment state="reviewed">
      <source>Press <pc id="1">Save</pc><ph id="2"/> now<cp hex="0007"/>.</source>
      <target>Drücken Sie <pc id="1">Speichern</pc><ph id="2"/>.</target></segment></unit></file></xliff>"""
    read = import_xliff(v2.encode())
    assert [(u.source, u.target, u.status) for u in read.units] == [
        ("Press Save now\x07.", "Drücken Sie Speichern.", "confirmed")
    ]


def test_xliff_with_several_pairs_needs_the_languages() -> None:
    data = b"""<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
      <file original="a" source-language="en" target-language="de" datatype="plaintext"><body>
        <trans-unit id="1"><source>Hello</source><target>Hallo</target></trans-unit></body></file>
      <file original="b" source-language="en" target-language="fr" datatype="plaintext"><body>
        <trans-unit id="1"><source>Hello</source><target>Bonjour</target></trans-unit></body></file></xliff>"""
    with pytest.raises(InputError, match="holds en-de, en-fr"):
        import_xliff(data)
    french = import_xliff(data, target_lang="fr")
    assert [(u.source, u.target) for u in french.units] == [("Hello", "Bonjour")] and french.name == "b"


# --- characters XML cannot carry -----------------------------------------------------------------------------------


def _with_control_character(corpus: ParallelCorpus) -> ParallelCorpus:
    units = list(corpus.units)
    units[1] = dataclasses.replace(units[1], source_segments=("Page one\x0bpage two\x01 end",))
    return dataclasses.replace(corpus, units=units)


@pytest.mark.parametrize("fmt", ["tmx", "xliff"])
def test_tmx_and_xliff12_refuse_xml_illegal_characters_naming_the_unit(corpus: ParallelCorpus, fmt: str) -> None:
    with pytest.raises(InputError, match=r"^Unit 2: the source sentence 1 holds the control character U\+000B"):
        export_corpus(_with_control_character(corpus), fmt)


@pytest.mark.parametrize("fmt", ["xliff2", "jsonl", "tsv"])
def test_other_formats_carry_xml_illegal_characters(corpus: ParallelCorpus, tmp_path: Path, fmt: str) -> None:
    awkward = _with_control_character(corpus)
    back = read_corpus(write_corpus(awkward, fmt, _path_for(tmp_path, fmt))[0])
    assert back.units[1].source == "Page one\x0bpage two\x01 end"
    if fmt == "xliff2":
        assert b'<cp hex="000B"/>' in export_corpus(awkward, fmt)


def test_moses_turns_a_vertical_tab_into_a_space_but_keeps_other_controls(corpus: ParallelCorpus) -> None:
    data, _, _ = corpus_to_bytes(_with_control_character(corpus), "moses")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        lines = archive.read("kosovo-dialogue.en").decode().split("\n")
    assert lines[1] == "Page one page two\x01 end"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_unpaired_surrogates_are_refused_by_every_format(corpus: ParallelCorpus, tmp_path: Path, fmt: str) -> None:
    units = list(corpus.units)
    units[4] = dataclasses.replace(units[4], note="mis-decoded \udcff")
    target = _path_for(tmp_path, fmt)
    with pytest.raises(InputError, match=r"^Unit 5: the note holds an unpaired surrogate U\+DCFF"):
        write_corpus(dataclasses.replace(corpus, units=units), fmt, target)
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary file


# --- safe XML parsing ----------------------------------------------------------------------------------------------

SECRET = "workbench-secret-5f1c9e"

_TEMPLATES = {
    "tmx": (
        '<?xml version="1.0"?>{doctype}<tmx version="1.4"><header srclang="en" creationtool="x" creationtoolversion="1"'
        ' segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>{text}'
        '</seg></tuv><tuv xml:lang="de"><seg>Hallo</seg></tuv></tu></body></tmx>'
    ),
    "xliff": (
        '<?xml version="1.0"?>{doctype}<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file '
        'original="a" source-language="en" target-language="de" datatype="plaintext"><body><trans-unit id="1">'
        "<source>{text}</source><target>Hallo</target></trans-unit></body></file></xliff>"
    ),
    "xliff2": (
        '<?xml version="1.0"?>{doctype}<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" '
        'srcLang="en" trgLang="de"><file id="f"><unit id="u"><segment><source>{text}</source><target>Hallo</target>'
        "</segment></unit></file></xliff>"
    ),
}


def _attack(tmp_path: Path, fmt: str, doctype: str, text: str) -> Path:
    path = tmp_path / f"attack{FILE_SUFFIXES[fmt]}"
    path.write_text(_TEMPLATES[fmt].format(doctype=doctype, text=text), encoding="utf-8")
    return path


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", list(_TEMPLATES))
def test_external_entity_is_refused_and_the_file_not_read(tmp_path: Path, secret_file: Path, fmt: str) -> None:
    path = _attack(tmp_path, fmt, f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>', "&xxe;")
    # The payload is real: a parser that resolves entities would put the secret into the text.
    permissive = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)
    assert SECRET in "".join(etree.parse(str(path), permissive).getroot().itertext())
    with pytest.raises(InputError, match="declares the XML entity 'xxe'") as refused:
        read_corpus(path)
    assert SECRET not in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("fmt", list(_TEMPLATES))
def test_parameter_entity_and_external_dtd_entities_are_refused(tmp_path: Path, secret_file: Path, fmt: str) -> None:
    parameter = _attack(tmp_path, fmt, f'<!DOCTYPE x [<!ENTITY % p SYSTEM "{secret_file.as_uri()}"> %p;]>', "Hello")
    with pytest.raises(InputError, match="declares the XML entity 'p'") as refused:
        read_corpus(parameter)
    assert SECRET not in str(refused.value)
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
    external = _attack(tmp_path, fmt, f'<!DOCTYPE x SYSTEM "{dtd.as_uri()}">', "&leak;")
    with pytest.raises(InputError, match=r"entity reference &leak; is not defined") as refused:
        read_corpus(external)
    assert SECRET not in str(refused.value)


def _billion_laughs(levels: int, fan_out: int) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * fan_out}">' for i in range(1, levels + 1)
    ]
    return f"<!DOCTYPE x [{''.join(entities)}]>", f"&lol{levels};"


@pytest.mark.parametrize("fmt", list(_TEMPLATES))
@pytest.mark.parametrize(("levels", "fan_out"), [(9, 10), (2, 1000)], ids=["billion-laughs", "quadratic"])
def test_entity_expansion_bombs_are_refused_quickly_and_in_little_memory(
    tmp_path: Path, fmt: str, levels: int, fan_out: int
) -> None:
    doctype, text = _billion_laughs(levels, fan_out)  # 3 GB and 3 MB of "lol" once expanded
    path = _attack(tmp_path, fmt, doctype, text)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.perf_counter()
    with pytest.raises(InputError, match="entit") as refused:
        read_corpus(path)
    assert time.perf_counter() - started < 2.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 100_000
    assert "lollollol" not in str(refused.value)


def test_a_named_dtd_without_entities_is_accepted(corpus: ParallelCorpus) -> None:
    # translate-toolkit and most TMX tools write <!DOCTYPE tmx SYSTEM "tmx14.dtd">; it is named, never loaded.
    assert import_tmx(export_tmx(corpus)).units[0].source == corpus.units[0].source


# --- broken files ------------------------------------------------------------------------------------------------


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


BROKEN = {
    "tmx-truncated": ("x.en-de.tmx", lambda c: _truncated(export_tmx(c)), r"not well-formed XML \(line \d+"),
    "tmx-not-tmx": ("x.tmx", lambda c: b"<html><body/></html>", r"not TMX: its root element is <html>"),
    "tmx-binary": ("x.tmx", lambda c: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"not well-formed XML"),
    "tmx-empty": ("x.tmx", lambda c: b"  \n", r"is empty"),
    "tmx-confidence": (
        "x.tmx",
        lambda c: export_tmx(c).replace(b">0.71<", b">high<"),
        r"line \d+ \(tu 2\): confidence 'high' is not a number",
    ),
    "tmx-status": (
        "x.tmx",
        lambda c: export_tmx(c).replace(b">flagged<", b">maybe<"),
        r"\(tu 3\): status 'maybe' is not one of auto, manual, confirmed, flagged",
    ),
    "tmx-no-lang": (
        "x.tmx",
        lambda c: export_tmx(c).replace(b'<tuv xml:lang="de">', b"<tuv>", 1),
        r"line \d+ \(tu 1\): a <tuv> has no xml:lang",
    ),
    "xliff-truncated": ("x.xlf", lambda c: _truncated(export_xliff(c, "1.2")), r"not well-formed XML \(line \d+"),
    "xliff2-truncated": ("x.xlf", lambda c: _truncated(export_xliff(c, "2.0")), r"not well-formed XML \(line \d+"),
    "xliff2-bad-cp": (
        "x.xlf",
        lambda c: export_xliff(c, "2.0").replace(b">Recently, the", b'><cp hex="zz"/>Recently, the', 1),
        r"line \d+: <cp hex='zz'> is not a hexadecimal code point",
    ),
    "jsonl-truncated": (
        "x.jsonl",
        lambda c: corpus_to_bytes(c, "jsonl")[0][:-40],
        r"line 10: not valid JSON",
    ),
    "jsonl-no-header": ("x.jsonl", lambda c: b'{"source": "a", "target": "b"}\n', r"line 1: not a corpus header"),
    "jsonl-status": (
        "x.jsonl",
        lambda c: corpus_to_bytes(c, "jsonl")[0].replace(b'"flagged"', b'"wrong"'),
        r"line 4: status 'wrong' is not one of",
    ),
    "tsv-unclosed-quote": (
        "x.en-de.tsv",
        lambda c: b'source\ttarget\nfine\tgut\n"never closed\tnie\n',
        r"line 3: .*quoted field that is never closed",
    ),
    "tsv-columns": (
        "x.en-de.tsv",
        lambda c: b"source\ttarget\tnote\nfine\tgut\tok\nshort\tkurz\n",
        r"line 3: 2 fields where the header has 3",
    ),
    "tsv-plain-columns": ("x.en-de.tsv", lambda c: b"a\tb\nc\td\te\n", r"line 2: 3 tab-separated fields"),
    "tsv-confidence": (
        "x.en-de.tsv",
        lambda c: b"source\ttarget\tconfidence\na\tb\tnan\n",
        r"line 2: confidence 'nan' is not a number",
    ),
    "tsv-not-utf8": ("x.en-de.tsv", lambda c: "a\tb\nStra\u00dfe\tstreet\n".encode("latin-1"), r"line 2: not UTF-8"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_files_give_one_line_input_errors_saying_where(
    corpus: ParallelCorpus, tmp_path: Path, case: str
) -> None:
    name, make, message = BROKEN[case]
    path = tmp_path / name
    path.write_bytes(make(corpus))
    with pytest.raises(InputError, match=message) as refused:
        read_corpus(path)
    text = str(refused.value)
    assert str(path) in text and "\n" not in text


def test_moses_files_of_different_lengths_are_refused(tmp_path: Path) -> None:
    (tmp_path / "c.en").write_text("one\ntwo\nthree\n", encoding="utf-8")
    (tmp_path / "c.de").write_text("eins\nzwei\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.en has 3 lines but .*c\.de has 2"):
        read_corpus(tmp_path / "c.en")


# --- plain files of other tools ---------------------------------------------------------------------------------------


def test_plain_two_column_tsv_without_header_keeps_quotes_as_text(tmp_path: Path) -> None:
    path = tmp_path / "opus.tsv"
    path.write_bytes('"Hi," he said.\t„Hallo“, sagte er.\r\nShe said "no" twice.\tSie sagte zweimal "nein".\n'.encode())
    read = read_corpus(path, source_lang="en", target_lang="de")
    assert [(u.source, u.target, u.status, u.confidence) for u in read.units] == [
        ('"Hi," he said.', "„Hallo“, sagte er.", "auto", None),
        ('She said "no" twice.', 'Sie sagte zweimal "nein".', "auto", None),
    ]
    with pytest.raises(InputError, match="does not say its languages"):
        read_corpus(path)


def test_moses_finds_its_target_file(corpus: ParallelCorpus, tmp_path: Path) -> None:
    source_path, target_path = write_corpus(corpus, "moses", tmp_path / "train")
    moved = tmp_path / "elsewhere.txt"
    target_path.rename(moved)
    with pytest.raises(InputError, match=r"candidates: none"):
        read_corpus(source_path)
    explicit = read_corpus(source_path, target_lang="de", target_path=moved)
    assert [u.target for u in explicit.units] == [flatten(u.target) for u in corpus.units]
    (tmp_path / "train.de").write_bytes(moved.read_bytes())
    (tmp_path / "train.fr").write_bytes(moved.read_bytes())
    with pytest.raises(InputError, match=r"candidates: train\.de, train\.fr\); pass target_lang"):
        read_corpus(source_path)
    assert read_corpus(source_path, target_lang="fr").target_lang == "fr"


def test_format_is_guessed_from_the_suffix() -> None:
    assert [guess_format(f"c{s}") for s in (".tmx", ".xlf", ".xliff", ".tsv", ".jsonl", ".en", ".pt-BR")] == [
        "tmx", "xliff", "xliff", "tsv", "jsonl", "moses", "moses",
    ]  # fmt: skip
    for name in ("notes.txt", "report.docx", "corpus"):
        with pytest.raises(InputError, match="Cannot tell the format"):
            guess_format(name)
    with pytest.raises(InputError, match="Unknown corpus format 'csv'"):
        read_corpus("x.tsv", fmt="csv")


# --- writing -------------------------------------------------------------------------------------------------------


def test_writes_are_atomic_and_a_refused_export_leaves_the_old_file(
    corpus: ParallelCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kosovo.tmx"
    path.write_bytes(b"previous export")
    with pytest.raises(InputError):
        write_corpus(_with_control_character(corpus), "tmx", path)
    assert path.read_bytes() == b"previous export"

    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def recording_replace(src: str, dst: str) -> None:
        replaced.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", recording_replace)
    assert write_corpus(corpus, "tmx", path) == [path]
    assert [Path(dst) for _, dst in replaced] == [path]
    assert Path(replaced[0][0]).parent == path.parent and Path(replaced[0][0]) != path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kosovo.tmx"]  # the temporary file is gone
    assert import_tmx(path.read_bytes()).units == [joined(u) for u in corpus.units]


def test_export_refuses_bad_fields_before_writing(corpus: ParallelCorpus) -> None:
    spaced = dataclasses.replace(corpus.units[0], source_ids=("p1 s1",))
    with pytest.raises(InputError, match=r"^Unit 1: source id 'p1 s1' holds whitespace"):
        export_corpus(dataclasses.replace(corpus, units=[spaced]), "tsv")
    assert import_jsonl(export_corpus(dataclasses.replace(corpus, units=[spaced]), "jsonl")).units == [spaced]
    for bad, message in (
        (dataclasses.replace(corpus.units[0], status="done"), r"^Unit 1: status 'done' is not one of"),
        (dataclasses.replace(corpus.units[0], confidence=float("nan")), r"^Unit 1: confidence nan is not a finite"),
    ):
        with pytest.raises(InputError, match=message):
            export_corpus(dataclasses.replace(corpus, units=[bad]), "jsonl")
    with pytest.raises(InputError, match="not a language tag"):
        export_corpus(dataclasses.replace(corpus, target_lang="../de"), "tmx")


# --- filters -------------------------------------------------------------------------------------------------------


def test_filters(corpus: ParallelCorpus) -> None:
    units = corpus.units
    assert filter_units(units) == units
    assert filter_units(units, confirmed_only=True) == [units[0], units[4], units[7]]
    # A confirmed unit passes whatever its confidence; an unconfirmed one needs a confidence that reaches the bar.
    assert filter_units(units, min_confidence=0.7) == [units[0], units[1], units[4], units[5], units[6], units[7]]
    assert filter_units(units, drop_unpaired=True) == [u for i, u in enumerate(units) if i not in (3, 4)]
    assert filter_units(units, confirmed_only=True, drop_unpaired=True) == [units[0], units[7]]
    assert filter_units(iter(units), min_confidence=0.95, drop_unpaired=True) == [units[0], units[7]]
