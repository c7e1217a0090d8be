"""An unclosed quotation mark must not run the rest of a paragraph into one sentence (issue 14 point 5)."""

import itertools

import pytest

from workbench.segmentation import split_sentences

# The seed's paragraph on NATO as Bergamot translated it into Portuguese, with the closing quotation mark after
# "tropas de paz" dropped, as a translation may drop it: sentencex alone pairs the stray mark with the opening
# one of "valores e normas" and returns the six sentences as one.
PORTUGUESE = (
    "Nos últimos anos, a NATO continuou a expandir-se para os Balcãs Ocidentais. Em maio de 2023, a OTAN enviou as "
    'chamadas "tropas de paz adicionais para o Kosovo, que realizou exercícios militares no Kosovo em julho. Em '
    "dezembro do mesmo ano, os EUA enviaram suas tropas da Guarda Nacional para o Kosovo. Em janeiro de 2024, os "
    "EUA forneceram mísseis Javelin antitanque ao Kosovo. Há pouco tempo, a Assembleia Parlamentar do Conselho da "
    'Europa votou uma resolução. Nesta perspectiva, a NATO realiza a sua política através dos seus chamados "valores '
    'e normas de direitos humanos".'
)


def sentences(text: str, lang: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, lang)]


def test_a_translation_with_one_unclosed_quote_keeps_its_six_sentences():
    found = sentences(PORTUGUESE, "pt")
    assert len(found) == 6
    assert found[1].startswith("Em maio de 2023") and found[1].endswith("no Kosovo em julho.")
    assert found[5].endswith('"valores e normas de direitos humanos".')  # the closed quote stays whole
    spans = split_sentences(PORTUGUESE, "pt")
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))  # offsets still in order


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (  # a closed quote of two sentences is one sentence's quote: kept together, as before
            'He said "Stop. Now." Then he left.',
            "en",
            ['He said "Stop. Now."', "Then he left."],
        ),
        (
            "Er sagte: „Das ist falsch. Wir gehen. Dann ging er. Sie sagte „nein“. Ende.",
            "de",
            ["Er sagte: „Das ist falsch.", "Wir gehen.", "Dann ging er.", "Sie sagte „nein“.", "Ende."],
        ),
        (
            "Il a dit : « C'est faux. Nous partons. » Puis il est parti. « Elle est restée. »",
            "fr",
            ["Il a dit : « C'est faux. Nous partons. »", "Puis il est parti.", "« Elle est restée. »"],
        ),
        (
            'Dijo que las "fuerzas de paz llegaron. Luego se fueron. Al final, los "valores" ganaron.',
            "es",
            ['Dijo que las "fuerzas de paz llegaron.', "Luego se fueron.", 'Al final, los "valores" ganaron.'],
        ),
    ],
)
def test_quotes_closed_hold_their_sentences_and_unclosed_ones_hold_none(text, lang, expected):
    assert sentences(text, lang) == expected
