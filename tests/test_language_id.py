"""Language identification with py3langid's bundled model, on the seed article's sentences."""

from __future__ import annotations

import pytest

from workbench.documents import load_document
from workbench.errors import InputError
from workbench.language_id import UNDETERMINED, base_language, detect_language, supported_languages


def test_the_seed_documents_are_recognised_among_all_languages():
    english = load_document("kosovo-dialogue").text
    german = load_document("kosovo-dialogue.de").text
    assert detect_language(english)[0] == "en"
    code, probability = detect_language(german)
    assert code == "de" and 0.9 < probability <= 1.0


def test_candidates_restrict_the_choice_and_keep_the_callers_spelling():
    sentence = "Em 22 de abril, o Conselho de Segurança da ONU realizou uma sessão sobre a questão do Kosovo."
    assert detect_language(sentence, ["es", "pt-BR"])[0] == "pt-BR"
    code, probability = detect_language(sentence, ["en", "de"])  # neither fits, yet one must be chosen
    assert code in {"en", "de"} and probability < 1.0
    spanish = "El 22 de abril, el Consejo de Seguridad de la ONU celebró una sesión sobre la cuestión de Kosovo."
    assert detect_language(spanish, ["es", "pt"])[0] == "es"


def test_short_names_are_not_confidently_identified():
    _, probability = detect_language("Fu Cong", ["en", "de"])
    assert probability < 0.9


def test_text_without_letters_is_undetermined():
    assert detect_language("1244 - 90% (2024)") == (UNDETERMINED, 0.0)
    assert detect_language("") == (UNDETERMINED, 0.0)


def test_unknown_candidates_are_ignored_and_none_known_is_an_error():
    assert detect_language("Die Spannungen im Norden des Kosovo haben sich verschärft.", ["de", "xx"])[0] == "de"
    with pytest.raises(InputError, match="known to the language identifier"):
        detect_language("Hello there, how are you?", ["xx", "qq"])


def test_codes_and_supported_languages():
    assert base_language("pt-BR") == "pt" and base_language("zh_Hans") == "zh" and base_language(" EN ") == "en"
    languages = supported_languages()
    assert {"en", "de", "pt", "es", "fr", "zh"} <= set(languages) and languages == sorted(languages)
