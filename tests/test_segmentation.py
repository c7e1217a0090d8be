"""Sentence splitting on the cases that break naive splitters, and offsets that point back at the text."""

import pytest

from workbench.segmentation import split_sentences


def sentences(text: str, lang: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "The U.S. and Dr. Smith paid 1.5 million. He left.",
            "en",
            ["The U.S. and Dr. Smith paid 1.5 million.", "He left."],
        ),
        (
            "Dr. Who came. Then Mr. Smith left.",
            "en",
            ["Dr. Who came.", "Then Mr. Smith left."],
        ),
        (
            "The council adopted Resolution 1244 in 1999. Fu Cong, China's permanent representative to the UN, "
            "stated that China supports the parties.",
            "en",
            [
                "The council adopted Resolution 1244 in 1999.",
                "Fu Cong, China's permanent representative to the UN, stated that China supports the parties.",
            ],
        ),
        (
            'NATO dispatched so-called "peacekeeping troops" into Kosovo. He said "Stop." Then he left.',
            "en",
            ['NATO dispatched so-called "peacekeeping troops" into Kosovo.', 'He said "Stop."', "Then he left."],
        ),
        (
            "J. R. R. Tolkien wrote books. Serbs make up 90% of the population.",
            "en",
            ["J. R. R. Tolkien wrote books.", "Serbs make up 90% of the population."],
        ),
        (
            "起初神创造天地。地是空虚混沌！渊面黑暗？神的灵运行在水面上。",
            "zh",
            ["起初神创造天地。", "地是空虚混沌！", "渊面黑暗？", "神的灵运行在水面上。"],
        ),
        ("今日は晴れです。明日は雨でしょう！", "ja", ["今日は晴れです。", "明日は雨でしょう！"]),
        ("M. Dupont est arrivé. Il a dit bonjour.", "fr", ["M. Dupont est arrivé.", "Il a dit bonjour."]),
        ("Am 3. Mai kam Dr. Müller nach Bern. Er blieb.", "de", ["Am 3. Mai kam Dr. Müller nach Bern.", "Er blieb."]),
        ("Это первое предложение. А это второе!", "ru", ["Это первое предложение.", "А это второе!"]),
    ],
)
def test_split_sentences(text: str, lang: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


def test_offsets_point_into_the_text_without_surrounding_space() -> None:
    text = "  First one.   Second one!\nThird one?  "
    spans = split_sentences(text, "en")
    assert [text[s.start : s.end] for s in spans] == ["First one.", "Second one!", "Third one?"]
    assert all(text[s.start : s.end] == text[s.start : s.end].strip() for s in spans)


def test_region_codes_and_unknown_languages_fall_back() -> None:
    assert sentences("Olá mundo. Tudo bem?", "pt-BR") == ["Olá mundo.", "Tudo bem?"]
    assert sentences("Þetta er próf. Annað próf hér.", "xx") == ["Þetta er próf.", "Annað próf hér."]
