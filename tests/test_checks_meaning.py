"""Checks that a link says the same about whom and whether: names dropped or added, countries and languages
recognised across languages (CLDR via Babel), negations on one side only. Small hand-made cases in several
languages; the checks run for real (word lists, CLDR data), nothing is mocked."""

from __future__ import annotations

from workbench.checks import run_checks
from workbench.checks.entities import stated
from workbench.checks.negation import negations
from workbench.checks.quality import QUALITY_KINDS, link_quality
from workbench.checks.variant import detect_variant
from workbench.formats.units import TranslationUnit


def unit(source: str, target: str) -> TranslationUnit:
    return TranslationUnit((source,), (target,))


def only(kind: str, units: list[TranslationUnit], source_lang: str = "en", target_lang: str = "de") -> list:
    return run_checks(units, source_lang, target_lang, kinds=[kind])


# --- countries and languages, by CLDR's names -------------------------------------------------------------------


def test_a_country_is_the_same_code_in_every_language_inflected_or_not():
    assert stated("The EU pressured Serbia and the United States.", "en") >= {"T:RS", "T:US"}
    assert stated("Die Vereinigten Staaten und Serbiens Regierung", "de") == {"T:US", "T:RS"}
    assert stated("a Sérvia e os Estados Unidos", "pt") == {"T:RS", "T:US"}
    assert stated("la Serbie et les États-Unis", "fr") == {"T:RS", "T:US"}
    # capitalised only: a meeting (pt "reunião", es "reunión") is no island, a bird no country
    assert stated("Na recente reunião do Conselho", "pt") == frozenset()
    assert stated("They ate turkey in Jersey.", "en") == {"T:JE"}
    assert stated("Polish the shoes; they speak Polish.", "en") == {"L:pl"} and stated("polish it", "en") == set()
    # languages, lower case in Spanish and Portuguese: "German Chancellor" -> "canciller alemán"
    assert stated("el canciller alemán", "es") == {"L:de"} == stated("German Chancellor", "en")


def test_a_country_swapped_for_another_is_an_error_in_each_language():
    source = "In this context, the EU has continuously pressured Serbia to move closer to the West."
    for target, lang in [
        ("En este contexto, la UE ha presionado continuamente a Croacia para acercarse a Occidente.", "es"),
        ("Neste contexto, a UE pressionou continuamente a Hungria a aproximar-se do Ocidente.", "pt"),
        ("Vor diesem Hintergrund hat die EU Kroatien fortwährend unter Druck gesetzt.", "de"),
    ]:
        [finding] = only("entities", [unit(source, target)], "en", lang)
        assert finding.severity == "error" and finding.details["missing"] == ["Serbia"]
        assert finding.details["added"] and finding.details["added"] != ["Serbia"]
    right = "Neste contexto, a UE pressionou continuamente a Sérvia a aproximar-se do Ocidente."
    assert only("entities", [unit(source, right)], "en", "pt") == []


def test_a_country_added_or_dropped_is_a_warning_and_adjectives_count_as_mentions():
    source = "The Kosovo authorities banned the use of Serbian currency."
    added = "As autoridades do Kosovo proibiram a moeda sérvia e a albanesa na Albânia."
    [finding] = only("entities", [unit(source, added)], "en", "pt")
    assert finding.severity == "warning" and finding.details == {"missing": [], "added": ["Albânia"]}
    # "Serbian" states Serbia; "sérvia"/"serbia" (the adjective) mentions it: no finding
    assert only("entities", [unit(source, "Las autoridades de Kosovo prohibieron la moneda serbia.")], "en", "es") == []
    dropped = "Die Behörden verboten die serbische Währung."
    [finding] = only("entities", [unit(source, dropped)], "en", "de")
    assert finding.details == {"missing": ["Kosovo"], "added": []}
    # a language named on the target side only, with no people of it in the source: added
    [finding] = only(
        "entities", [unit("The book came out in 1956.", "Le livre est paru en anglais en 1956.")], "en", "fr"
    )
    assert finding.details["added"] == ["anglais"]
    # ... but the people of that language in the source mention it (Engländer -> les Anglais)
    assert only("entities", [unit("Die Engländer stiegen auf.", "Les Anglais montèrent.")], "de", "fr") == []


def test_a_dropped_country_is_reported_once_not_by_the_names_check_too():
    link = unit("Serbia's sovereignty should be respected, he said.", "A soberania deve ser respeitada, disse ele.")
    findings = run_checks([link], "en", "pt", kinds=["names", "entities"])
    assert [f.kind for f in findings] == ["entities"]


# --- names dropped (titles do not keep a person) and names added ----------------------------------------------


def test_a_person_dropped_is_found_though_the_title_stays():
    source = "In May 2023, French President Emmanuel Macron said that the authorities were responsible."
    for target, lang in [
        ("En mayo de 2023, el Presidente francés dijo que las autoridades eran responsables.", "es"),
        ("Em maio de 2023, o presidente francês disse que as autoridades eram responsáveis.", "pt"),
    ]:
        [finding] = only("names", [unit(source, target)], "en", lang)
        assert finding.details["missing"] == ["French President Emmanuel Macron"]
    kept = "Em maio de 2023, o presidente francês Emmanuel Macron disse que as autoridades eram responsáveis."
    assert only("names", [unit(source, kept)], "en", "pt") == []
    surname_only = "Em maio de 2023, Macron disse que as autoridades eram responsáveis."
    assert only("names", [unit(source, surname_only)], "en", "pt") == []


def test_a_name_in_the_target_that_the_source_lacks_is_found():
    source = "In recent years, NATO has continued to expand into the Western Balkans."
    es = (
        "En los últimos años, según Jens Stoltenberg, la OTAN ha seguido expandiéndose hacia los Balcanes Occidentales."
    )
    [finding] = only("added_names", [unit(source, es)], "en", "es")
    assert finding.details["added"] == ["Jens Stoltenberg"]
    de = "In den letzten Jahren hat die NATO unter Jens Stoltenberg ihre Expansion in den Westbalkan fortgesetzt."
    [finding] = only("added_names", [unit(source, de)], "en", "de")
    assert finding.details["added"] == ["Jens Stoltenberg"]  # not "Expansion", a German noun


def test_translated_capitalised_words_are_no_added_names():
    source = "On April 22, the UN Security Council held a session on the Kosovo issue."
    es = "El 22 de abril, el Consejo de Seguridad de la ONU celebró una sesión sobre la cuestión de Kosovo."
    assert only("added_names", [unit(source, es)], "en", "es") == []  # Consejo, Seguridad: Spanish words
    de = "Am 22. April befasste sich der UN-Sicherheitsrat in einer Sitzung mit der Kosovo-Frage."
    assert only("added_names", [unit(source, de)], "en", "de") == []
    fr = "Entre temps a paru le livre de Mrs. Monica Jackson."  # an abbreviation alone is no name
    assert only("added_names", [unit("Meanwhile the book by Monica Jackson came out.", fr)], "en", "fr") == []


# --- negation ---------------------------------------------------------------------------------------------------


def test_negation_words_per_language_and_what_is_no_negation():
    assert negations("They did not agree.", "en") == ("not",)
    assert negations("They didn't agree.", "en") == ("n't",)
    assert negations("Not long ago, and not only that.", "en") == ()  # idioms that negate nothing
    assert negations("no norte do Kosovo", "pt") == ()  # "no" is "in the" in Portuguese
    assert negations("não enviaram", "pt") == ("não",)
    assert negations("trois empreintes de pas", "fr") == ()  # a step, not a negation
    assert negations("ne s'étaient élargies que de 3 mm", "fr") == ()  # "ne ... que": only
    assert negations("on n'aurait pas dépassé 7200 m", "fr") == ("n'aurait pas",)
    assert negations("Es gab keine Einigung.", "de") == ("keine",)
    assert negations("The text.", "ja") == ()  # no lexicon: not judged


def test_a_negation_on_one_side_only_is_a_note_in_both_directions():
    source = "During this process, Serbia's sovereignty should be fully respected, he said."
    added = "Durante este proceso, la soberanía de Serbia no debe ser plenamente respetada, dijo."
    [finding] = only("negation", [unit(source, added)], "en", "es")
    assert finding.severity == "info" and finding.details == {"side": "target", "words": ["no"]}
    dropped = unit("The opinions do not necessarily reflect ours.", "Die Meinungen geben unbedingt unsere wieder.")
    [finding] = only("negation", [dropped], "en", "de")
    assert finding.details == {"side": "source", "words": ["not"]}
    both = unit("The opinions do not necessarily reflect ours.", "As opiniões não refletem necessariamente as nossas.")
    assert only("negation", [both], "en", "pt") == []


def test_the_new_kinds_count_in_the_quality_signal_a_note_leaves_a_link_good():
    assert {"added_names", "entities", "negation"} <= set(QUALITY_KINDS)
    swapped = unit("The EU pressured Serbia.", "La UE presionó a Croacia.")
    negated = unit("They agreed.", "No estuvieron de acuerdo.")
    units = [swapped, negated]
    quality = link_quality(units, run_checks(units, "en", "es", kinds=QUALITY_KINDS))
    assert quality[0].band == "poor" and quality[0].reasons[0] == "Serbia became Croacia"
    assert quality[1].band == "good" and quality[1].reasons == ("negation in the target only",)


# --- language variant -------------------------------------------------------------------------------------------


def test_the_variant_is_detected_from_its_markers_in_three_languages():
    european = ["As acções das autoridades têm vindo a aumentar.", "O fenómeno económico reflecte-se na equipa."]
    assert detect_variant(european, "pt")[0] == "pt-PT"
    brazilian = ["O prefeito está falando sobre o fenômeno econômico.", "A equipe pegou o ônibus."]
    assert detect_variant(brazilian, "pt-BR")[0] == "pt-BR"
    assert detect_variant(["They analyse the colour of the centre."], "en")[0] == "en-GB"
    assert detect_variant(["The color of the center of the organization."], "en")[0] == "en-US"
    assert detect_variant(["这个国家的问题"], "zh")[0] == "zh-Hans"
    assert detect_variant(["這個國家的問題"], "zh")[0] == "zh-Hant"
    # nothing to go by: no guess ("têm", "também" carry no European accent; words both variants write)
    assert detect_variant(["Eles têm também uma casa."], "pt") == (None, {"pt-PT": 0, "pt-BR": 0})
    assert detect_variant(["Der Text."], "de") == (None, {})


def test_links_mixing_in_the_other_variant_are_noted_declared_or_detected():
    units = [
        unit("The authorities' actions have been increasing.", "As acções das autoridades têm vindo a aumentar."),
        unit("The mayors refused.", "Os prefeitos recusaram."),
        unit("It was effectively a ban.", "Foi efectivamente uma proibição."),
    ]
    [finding] = only("variant", units, "en", "pt")  # detected: two European markers against one Brazilian
    assert finding.unit_index == 1 and finding.severity == "info"
    assert finding.details == {"variant": "pt-PT", "other": "pt-BR", "words": ["prefeitos"], "declared": False}
    declared = only("variant", units, "en", "pt-BR")  # declared Brazilian: the European links are the odd ones
    assert [f.unit_index for f in declared] == [0, 2] and declared[0].details["declared"]
    assert only("variant", units, "en", "es") == []
    us = [unit("Die Farbe.", "The color."), unit("Das Zentrum.", "The centre.")]
    assert [f.unit_index for f in only("variant", us, "de", "en-US")] == [1]


def test_spanish_of_spain_and_of_latin_america_are_told_apart_and_regions_follow_cldr():
    spain = ["¿Vosotros tenéis el móvil?", "Dejé el ordenador en el aparcamiento."]
    americas = ["¿Ustedes tienen el celular?", "Dejé la computadora en el estacionamiento."]
    assert detect_variant(spain, "es")[0] == "es-ES" and detect_variant(americas, "es")[0] == "es-419"
    assert detect_variant(["El coche es rojo."], "es")[0] is None  # a word both write: no guess
    units = [unit("Do you have the phone?", "¿Tienen el celular?"), unit("You know it.", "Vosotros lo sabéis.")]
    # Declared by a country code: CLDR makes es-MX a child of es-419, so the vosotros link is the odd one.
    [finding] = only("variant", units, "en", "es-MX")
    assert finding.unit_index == 1 and finding.details["variant"] == "es-419" and finding.details["declared"]
    assert [f.unit_index for f in only("variant", units, "en", "es-ES")] == [0]
