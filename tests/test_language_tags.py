"""One home for language tags: their one spelling, taken on the way in (documents, corpora read from files,
the segmenter), and the language beneath them; ``zh_Hant`` is Chinese everywhere, joined without spaces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.documents import document_from_text, sentence_joiner
from workbench.errors import InputError
from workbench.formats import read_corpus
from workbench.formats.fields import check_lang
from workbench.language_id import base_language as identifier_base
from workbench.language_tags import base_language, is_tag, normalise_tag, tag_key
from workbench.projects import (
    SOURCE,
    create_project,
    join_sentences,
    open_project,
    project_from_corpus,
    project_to_multilingual,
)
from workbench.segmentation import split_sentences


@pytest.mark.parametrize(
    ("given", "spelled"),
    [
        ("zh_Hant", "zh-Hant"),
        ("zh_hant_tw", "zh-Hant-TW"),
        ("PT-br", "pt-BR"),
        ("EN", "en"),
        ("es-419", "es-419"),
        ("tl", "tl"),  # the spelling changes, never the code (BCP 47 would prefer fil)
        ("iw", "iw"),
        ("und", "und"),
        (" de ", "de"),
        ("not a tag", "not a tag"),  # left as given, for the check that refuses it to quote
    ],
)
def test_one_spelling(given: str, spelled: str) -> None:
    assert normalise_tag(given) == spelled


def test_what_is_not_a_string_is_left_for_its_check() -> None:
    assert normalise_tag(None) is None  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not a language tag"):
        check_lang(None, "source")  # type: ignore[arg-type]


def test_the_language_beneath_and_comparing_tags() -> None:
    assert [base_language(t) for t in ("zh_Hant", "pt-BR", "PT_br", "yue")] == ["zh", "pt", "pt", "yue"]
    assert identifier_base is base_language  # the identifier asks the same module
    assert tag_key("pt_BR") == tag_key("PT-br") == "pt-br"
    assert is_tag("zh_Hant") and not is_tag("../x") and not is_tag(None)


def test_documents_and_the_segmenter_take_tags_in_any_spelling() -> None:
    doc = document_from_text("第一句。第二句。", "zh_Hant", name="zh")
    assert doc.lang == "zh-Hant" and [s.text for s in doc.sentences] == ["第一句。", "第二句。"]
    assert sentence_joiner("zh_Hant") == sentence_joiner("zh-Hant") == "" and sentence_joiner("pt_BR") == " "
    assert [s.end for s in split_sentences("第一句。第二句。", "zh_Hant")] == [s.end for s in doc.sentences]


def test_scripts_without_spaces_between_words_still_put_one_between_sentences(tmp_path: Path) -> None:
    """Thai, Lao, Khmer, Burmese and Tibetan separate sentences with a space (a Thai sentence ends with one, not a
    mark): joining two of theirs with nothing would make one sentence of them. Chinese and Japanese join with none."""
    assert [sentence_joiner(t) for t in ("th", "lo", "km", "my", "bo", "th-TH")] == [" "] * 6
    assert [sentence_joiner(t) for t in ("zh", "ja", "yue", "zh-Hans")] == [""] * 4
    thai = document_from_text("วันนี้อากาศดีมาก\nฉันจะไปตลาดกับแม่", "th", name="th", presplit=True)
    project = create_project("th", thai, tmp_path / "alignments")
    join_sentences(project, SOURCE, "p1s1", "p1s2")
    assert project.source.sentence("p1s1").text == "วันนี้อากาศดีมาก ฉันจะไปตลาดกับแม่"


def test_a_corpus_tagged_zh_hant_is_chinese_without_spaces(tmp_path: Path) -> None:
    header = {"format": "workbench-corpus", "version": 1, "source_lang": "en", "target_lang": "zh_Hant"}
    units = [
        {"source_segments": ["One.", "Two."], "target_segments": ["一。", "二。"]},
        {"source_segments": ["Three."], "target_segments": ["三。"]},
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [header, *units]) + "\n", encoding="utf-8")
    corpus = read_corpus(path)
    assert (corpus.source_lang, corpus.target_lang) == ("en", "zh-Hant")
    project = project_from_corpus("zh", corpus, tmp_path / "alignments")
    target = next(iter(open_project("zh", tmp_path / "alignments").targets.values()))
    assert target.lang == "zh-Hant" and target.side.joiner() == ""
    multi = project_to_multilingual(project, [target.key])
    assert multi.target_langs == ["zh-Hant"] and multi.units[0].targets["zh-Hant"] == "一。二。"
    assert check_lang("zh_Hant", "target") == "zh-Hant"
    with pytest.raises(InputError, match="not a language tag"):
        check_lang("../zh", "target")
