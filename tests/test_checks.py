"""Spot-checks, round trip, audit and reports, on the seed article's real sentence pairs and on sentences written
for Portuguese and Spanish. Each check is shown firing where it should and staying quiet where it should not."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import pytest

from workbench.checks import (
    AUDIT_CATEGORIES,
    CHECK_KINDS,
    AuditVerdict,
    CheckThresholds,
    Finding,
    QualityGate,
    audit_summary,
    draw_audit_sample,
    findings_to_csv,
    glossary_from_pairs,
    load_glossary,
    render_html_report,
    round_trip_scores,
    run_checks,
    summarize,
    wilson_interval,
)
from workbench.checks.numbers import compare_numbers, extract_numbers
from workbench.documents import load_document
from workbench.errors import InputError
from workbench.formats.units import TranslationUnit

GOLD = Path(__file__).parent / "data" / "kosovo-dialogue.en-de.align"


def unit(source: str, target: str, confidence: float | None = None, status: str = "auto") -> TranslationUnit:
    """A 1-1 link, or 1-0 / 0-1 where a side is empty."""
    return TranslationUnit(
        (source,) if source else (), (target,) if target else (), confidence=confidence, status=status
    )


def kinds(findings: list[Finding]) -> list[str]:
    return [f.kind for f in findings]


def only(kind: str, units: list[TranslationUnit], source_lang: str = "en", target_lang: str = "de", **kw):
    return run_checks(units, source_lang, target_lang, kinds=[kind], **kw)


@pytest.fixture(scope="module")
def seed() -> tuple[list[str], list[str]]:
    """The English article's sentences and its German translation's, as the aligner sees them."""
    return load_document("kosovo-dialogue").sentence_texts(), load_document("kosovo-dialogue.de").sentence_texts()


@pytest.fixture(scope="module")
def gold_units(seed) -> list[TranslationUnit]:
    """The seed pair linked by the gold alignment (lines like ``[6]:[6, 7]``)."""
    source, target = seed
    units = []
    for line in GOLD.read_text().splitlines():
        left, right = line.split(":")
        src = [int(i) for i in re.findall(r"\d+", left)]
        tgt = [int(j) for j in re.findall(r"\d+", right)]
        units.append(TranslationUnit(tuple(source[i] for i in src), tuple(target[j] for j in tgt)))
    return units


def pair(gold_units: list[TranslationUnit], text: str) -> TranslationUnit:
    """The gold link whose source contains ``text``."""
    matches = [u for u in gold_units if text in u.source]
    assert len(matches) == 1, text
    return matches[0]


# --- the whole seed -------------------------------------------------------------------------------------------


def test_the_seed_and_its_human_translation_raise_no_finding(gold_units):
    assert len(gold_units) == 26
    assert run_checks(gold_units, "en", "de") == []


# --- numbers and dates ----------------------------------------------------------------------------------------


def test_seed_figures_agree_in_their_german_renderings(gold_units):
    for text, rendering in (
        ("90% of the local population", "90 Prozent"),
        ("On April 22", "Am 22. April"),
        ("Resolution 1244", "Resolution 1244"),
        ("25 years ago", "vor 25 Jahren"),
        ("In July 2022", "Im Juli 2022"),
    ):
        link = pair(gold_units, text)
        assert rendering in link.target
        assert only("numbers", [link]) == []


def test_a_changed_percentage_is_reported_with_both_values(gold_units):
    link = pair(gold_units, "90% of the local population")
    wrong = unit(link.source, link.target.replace("90 Prozent", "9 Prozent"))
    [finding] = only("numbers", [wrong])
    assert finding.severity == "error"
    assert finding.details["missing"] == ["90"] and finding.details["extra"] == ["9"]
    assert "90" in finding.message and "9 in the target" in finding.message


def test_a_changed_day_resolution_or_year_count_is_reported(gold_units):
    for text, right, wrong in (
        ("On April 22", "Am 22. April", "Am 23. April"),
        ("Resolution 1244", "Resolution 1244", "Resolution 1224"),
        ("25 years ago", "vor 25 Jahren", "vor 52 Jahren"),
    ):
        link = pair(gold_units, text)
        [finding] = only("numbers", [unit(link.source, link.target.replace(right, wrong))])
        assert finding.details["missing"] and finding.details["extra"]


def test_a_date_in_another_month_is_reported(gold_units):
    link = pair(gold_units, "On April 22")
    [finding] = only("numbers", [unit(link.source, link.target.replace("22. April", "22. März"))])
    assert finding.details["missing_months"] == ["April"]
    assert finding.details["extra_months"] == ["March"]
    assert finding.details["missing"] == []  # the day is right


def test_dates_in_spanish_and_portuguese_agree_with_english():
    assert compare_numbers("On April 22, the Council met.", "El 22 de abril, el Consejo se reunió.", "en", "es") == {
        "missing": [],
        "extra": [],
        "missing_months": [],
        "extra_months": [],
    }
    diff = compare_numbers("In July 2022 it began.", "Em junho de 2022 começou.", "en", "pt")
    assert diff["missing_months"] == ["July"] and diff["extra_months"] == ["June"]


def test_decimal_commas_and_thousands_separators_are_read_per_language():
    assert extract_numbers("1.5 million and 1,000 troops", "en") == extract_numbers("1,5 Millionen und 1.000", "de")
    assert extract_numbers("3,5 por cento", "pt") == extract_numbers("3.5 percent", "en")
    assert extract_numbers("1\u00a0000\u00a0000 de personnes", "fr") == extract_numbers("1,000,000 people", "en")
    assert [str(v) for v in extract_numbers("1 000 soldats en 2022", "fr")] == ["1E+3", "2022"]
    assert [format(v, "f") for v in extract_numbers("In 2022 500 people", "en")] == ["2022", "500"]
    assert [format(v, "f") for v in extract_numbers("am 22.4.2024", "de")] == ["22", "4", "2024"]
    assert [format(v, "f") for v in extract_numbers("it grew 2.5.", "en")] == ["2.5"]


def test_an_english_thousands_comma_left_in_german_reads_as_one_and_is_reported():
    source = "The US sent 1,000 National Guard troops into Kosovo."
    assert only("numbers", [unit(source, "Die USA schickten 1.000 Soldaten der Nationalgarde in den Kosovo.")]) == []
    [finding] = only("numbers", [unit(source, "Die USA schickten 1,000 Soldaten der Nationalgarde in den Kosovo.")])
    assert finding.details == {"missing": ["1000"], "extra": ["1"], "missing_months": [], "extra_months": []}


def test_a_decimal_point_left_by_machine_translation_still_agrees_but_a_lost_point_does_not():
    source = "Serbs make up 1.5 million people."
    assert only("numbers", [unit(source, "Die Serben zählen 1,5 Millionen Menschen.")]) == []
    assert only("numbers", [unit(source, "Die Serben zählen 1.5 Millionen Menschen.")]) == []
    assert only("numbers", [unit(source, "Die Serben zählen 15 Millionen Menschen.")]) != []


def test_a_small_number_written_as_a_word_on_one_side_is_accepted():
    source = "Later, Macron and German Chancellor Olaf Scholz urged Kosovo to allow new elections in 4 municipalities."
    assert only("numbers", [unit(source, "Später forderten Macron und Scholz Neuwahlen in vier Gemeinden.")]) == []
    assert only("numbers", [unit(source, "Später forderten Macron und Scholz Neuwahlen in fünf Gemeinden.")]) != []


# --- untranslated ---------------------------------------------------------------------------------------------


def test_a_target_copied_from_the_source_is_an_error(seed):
    source = seed[0][0]
    [finding] = only("untranslated", [unit(source, source)])
    assert finding.severity == "error" and finding.details["identical"] is True


def test_a_target_in_the_source_language_is_a_warning(seed):
    source, other_english = seed[0][0], seed[0][2]
    [finding] = only("untranslated", [unit(source, other_english)])
    assert finding.severity == "warning"
    assert finding.details["detected"] == "en" and finding.details["probability"] >= 0.9
    assert "English" in finding.message and "German" in finding.message


def test_names_titles_and_short_texts_may_stay_the_same():
    units = [
        unit("Fu Cong", "Fu Cong"),
        unit("NATO", "NATO"),
        unit("China Military Online", "China Military Online"),
        unit("Resolution 1244.", "Resolution 1244."),
    ]
    assert only("untranslated", units) == []


def test_real_translations_into_portuguese_and_spanish_are_not_untranslated(gold_units):
    source = pair(gold_units, "Serbia's sovereignty").source
    pt = "Durante este processo, a soberania, a independência e a integridade territorial da Sérvia devem ser "
    pt += "plenamente respeitadas, disse ele."
    es = "Durante este proceso, la soberanía, la independencia y la integridad territorial de Serbia deben ser "
    es += "plenamente respetadas, dijo."
    assert only("untranslated", [unit(source, pt)], "en", "pt") == []
    assert only("untranslated", [unit(source, es)], "en", "es") == []
    # ... but Spanish in a Portuguese translation from Spanish would be.
    [finding] = only("untranslated", [unit(es, es.replace("dijo", "dijo él"))], "es", "pt")
    assert finding.details["detected"] == "es"


def test_no_untranslated_check_between_one_language_and_itself(seed):
    sentence = seed[0][0]
    assert only("untranslated", [unit(sentence, sentence)], "en", "en-GB") == []


# --- untranslated words inside a sentence ------------------------------------------------------------------


def test_a_source_word_left_in_a_translated_sentence_is_a_warning_and_two_an_error():
    source = "Recently, tensions in northern Kosovo have constantly escalated."
    one = "Recientemente, las tensiones en el norte de Kosovo han constantemente escalated."
    [finding] = only("untranslated_words", [unit(source, one)], "en", "es")
    assert finding.severity == "warning" and finding.details["words"] == ["escalated"]
    assert "English word left untranslated" in finding.message and "escalated" in finding.message
    source = "NATO adopted an increasingly aggressive stance on geopolitics."
    two = "La OTAN adoptó un cada vez más agresivo stance en geopolitics."
    [finding] = only("untranslated_words", [unit(source, two)], "en", "es")
    assert finding.severity == "error" and finding.details["words"] == ["stance", "geopolitics"]
    assert (
        only("untranslated_words", [unit(source, two)], "en", "es", thresholds={"untranslated_words_error": 3})[
            0
        ].severity
        == "warning"
    )


def test_names_codes_numbers_and_words_both_languages_use_are_not_untranslated():
    units = [
        # shared words: as common in Spanish as in English
        unit("The hotel radio was normal in general.", "La radio del hotel era normal en general."),
        # names, written capitalised inside a sentence in the source; acronyms; numbers
        unit(
            "Later, Macron and Olaf Scholz met Fu Cong at the UN in 2023.",
            "Después, Macron y Olaf Scholz se reunieron con Fu Cong en la ONU en 2023.",
        ),
        unit(
            "The Serbs of Kosovo boycotted the vote under Resolution 1244.",
            "Los Serbs de Kosovo boicotearon la votación según la Resolución 1244.",
        ),
    ]
    assert only("untranslated_words", units, "en", "es") == []
    assert only("untranslated_words", units, "en", "pt") == []


def test_a_sentence_copied_whole_is_left_to_the_untranslated_check(seed):
    sentence = seed[0][0]
    assert only("untranslated_words", [unit(sentence, sentence)], "en", "es") == []
    assert kinds(run_checks([unit(sentence, sentence)], "en", "es", kinds=["untranslated", "untranslated_words"])) == [
        "untranslated"
    ]


def test_untranslated_words_in_portuguese_and_german():
    source = "In July 2022, the Kosovo authorities forcibly demanded that Serbs change their licence plates."
    pt = "Em julho de 2022, as autoridades do Kosovo forcibly exigiram que os sérvios mudassem as suas matrículas."
    [finding] = only("untranslated_words", [unit(source, pt)], "en", "pt")
    assert finding.details["words"] == ["forcibly"]
    de = "Im Juli 2022 forderten die kosovarischen Behörden forcibly, dass die Serben ihre Kennzeichen wechseln."
    assert only("untranslated_words", [unit(source, de)], "en", "de")[0].details["words"] == ["forcibly"]
    # German shares many words with English (in, so, Mission, April): none of them counts.
    shared = unit("In April the mission was so important.", "Im April war die Mission so wichtig.")
    assert only("untranslated_words", [shared], "en", "de") == []


def test_languages_without_word_frequencies_fall_back_to_scripts_or_stay_silent():
    source = "The tensions have escalated in the north."
    # Georgian (no word list): a Latin word in a Georgian sentence is foreign whatever it is.
    georgian = "დაძაბულობა ჩრდილოეთში escalated."
    [finding] = only("untranslated_words", [unit(source, georgian)], "en", "ka")
    assert finding.details["words"] == ["escalated"]
    # Esperanto (no word list, same script as English): a copy cannot be told from a shared word, so no verdict.
    assert only("untranslated_words", [unit(source, "La streĉoj escalated en la nordo.")], "en", "eo") == []
    # An Esperanto source: the target's list alone decides.
    esperanto = unit("La streĉoj eskaladis en la nordo.", "The tensions eskaladis in the north.")
    assert only("untranslated_words", [esperanto], "eo", "en")[0].details["words"] == ["eskaladis"]


# --- empty side and isolated skips ----------------------------------------------------------------------------


def test_empty_sides_are_reported_omission_as_error_addition_as_warning(seed):
    source, target = seed
    findings = only("empty_side", [unit(source[5], ""), unit("", target[7]), unit(source[6], target[6])])
    assert [(f.unit_index, f.severity, f.details["side"]) for f in findings] == [
        (0, "error", "target"),
        (1, "warning", "source"),
    ]


def test_a_skip_inside_a_run_of_one_to_one_links_is_flagged(seed):
    source, target = seed
    run = [unit(source[i], target[i]) for i in range(4)]
    with_addition = [*run[:2], unit("", target[7]), *run[2:]]
    [finding] = only("isolated_skip", with_addition)
    assert finding.unit_index == 2 and finding.details["side"] == "source"
    with_omission = [*run[:2], unit(source[9], ""), *run[2:]]
    assert [f.details["side"] for f in only("isolated_skip", with_omission)] == ["target"]


def test_a_skip_at_the_edge_or_next_to_a_many_to_one_link_is_not_isolated(gold_units, seed):
    source, target = seed
    run = [unit(source[i], target[i]) for i in range(4)]
    assert only("isolated_skip", [unit("", target[7]), *run]) == []  # nothing before it
    two_to_one = pair(gold_units, "In May 2023, NATO dispatched")
    assert len(two_to_one.source_segments) == 2
    assert only("isolated_skip", [*run[:2], unit("", target[7]), two_to_one, run[3]]) == []


# --- confidence -----------------------------------------------------------------------------------------------


def test_low_confidence_links_are_flagged_unless_confirmed(seed):
    source, target = seed
    units = [
        unit(source[0], target[0], confidence=0.31),
        unit(source[1], target[1], confidence=0.92),
        unit(source[2], target[2], confidence=None),
        unit(source[3], target[3], confidence=0.2, status="confirmed"),
    ]
    [finding] = only("low_confidence", units)
    assert finding.unit_index == 0 and finding.details["confidence"] == 0.31
    assert only("low_confidence", units, thresholds={"min_confidence": 0.95})[1].unit_index == 1


# --- length ratio ---------------------------------------------------------------------------------------------


def test_a_truncated_translation_stands_out_from_the_documents_ratio(gold_units):
    assert only("length_ratio", gold_units) == []
    index = gold_units.index(pair(gold_units, "90% of the local population"))
    truncated = list(gold_units)
    truncated[index] = unit(truncated[index].source, "Im April 2024 boykottierten die Serben die Wahlen.")
    [finding] = only("length_ratio", truncated)
    assert finding.unit_index == index and finding.details["z"] < -2.5
    assert "shorter" in finding.message


def test_too_few_links_give_no_length_verdict(gold_units):
    short = [unit(gold_units[0].source, "Spannungen."), *gold_units[1:5]]
    assert only("length_ratio", short) == []


# --- brackets and quotes --------------------------------------------------------------------------------------


def test_seed_brackets_and_german_quotes_pass(gold_units):
    for text in ("(The author is", 'so-called "peacekeeping troops"', 'so-called "values'):
        link = pair(gold_units, text)
        assert only("brackets", [link]) == []
    assert "„Friedenstruppen“" in pair(gold_units, "peacekeeping troops").target


def test_an_unclosed_bracket_or_quote_in_the_target_is_flagged(gold_units):
    author = pair(gold_units, "(The author is")
    [finding] = only("brackets", [unit(author.source, author.target.rstrip(".)") + ".")])
    assert finding.severity == "warning" and finding.details["problem"] == "unbalanced"
    troops = pair(gold_units, "peacekeeping troops")
    [finding] = only("brackets", [unit(troops.source, troops.target.replace("Friedenstruppen“", "Friedenstruppen"))])
    assert "double quotation marks" in finding.message


def test_quote_styles_of_other_languages():
    source = 'NATO is trampling on rights by means of its so-called "values and human rights standards".'
    fr = "L'OTAN bafoue les droits au nom de ses prétendues « valeurs et normes en matière de droits de l'homme »."
    assert only("brackets", [unit(source, fr)], "en", "fr") == []
    assert only("brackets", [unit(source, fr.replace(" »", ""))], "en", "fr") != []
    ja = "NATOはいわゆる「価値観と人権基準」によって権利を踏みにじっている。"
    assert only("brackets", [unit(source, ja)], "en", "ja") == []
    assert only("brackets", [unit(source, ja.replace("」", ""))], "en", "ja") != []
    de_single = "Er sprach von ‚Werten‘ und Menschenrechten."
    assert only("brackets", [unit("He spoke of 'values' and human rights.", de_single)]) == []
    pt_single = "Ele falou de ‘valores’ e dos direitos do Kosovo’s."
    assert only("brackets", [unit("He spoke of ‘values’ and Kosovo’s rights.", pt_single)], "en", "pt") == []
    assert only("brackets", [unit("He spoke of ‘values’.", "Ele falou de ‘valores.")], "en", "pt") != []


def test_a_quotation_spanning_two_sentences_is_not_blamed_on_the_target():
    source = 'He said: "We will not give in.'
    assert only("brackets", [unit(source, "Er sagte: „Wir werden nicht nachgeben.")]) == []


def test_brackets_added_by_the_translation_are_noted():
    source = "At the recent UN Security Council meeting, Fu Cong spoke."
    target = "Auf der jüngsten Sitzung des Sicherheitsrats der Vereinten Nationen (UN) sprach Fu Cong."
    [finding] = only("brackets", [unit(source, target)])
    assert finding.severity == "info" and finding.details["marks"] == ["brackets"]


# --- names ----------------------------------------------------------------------------------------------------


def test_a_dropped_name_is_reported(gold_units):
    link = pair(gold_units, "Fu Cong")
    assert "Fu Cong" in link.target
    [finding] = only("names", [unit(link.source, link.target.replace("Fu Cong, ", ""))])
    assert finding.details["missing"] == ["Fu Cong"]
    macron = pair(gold_units, "Later, Macron")
    [finding] = only("names", [unit(macron.source, macron.target.replace("Macron und ", ""))])
    assert finding.details["missing"] == ["Macron"]


def test_inflected_and_adapted_names_are_found(gold_units):
    link = pair(gold_units, "The Kosovo authorities' actions")
    assert "kosovarischen" in link.target and "Kosovo" not in link.target
    assert only("names", [link]) == []
    assert only("names", [unit("Kosovo's police arrested Serbs.", "Die Polizei des Kosovos nahm Serben fest.")]) == []


def test_names_in_portuguese_and_spanish_translations(gold_units):
    serbia = pair(gold_units, "Serbia's sovereignty").source
    pt = "Durante este processo, a soberania, a independência e a integridade territorial da Sérvia devem ser "
    pt += "plenamente respeitadas, disse ele."
    assert only("names", [unit(serbia, pt)], "en", "pt") == []
    # a country dropped is the entities check's finding (CLDR knows it in both languages), not reported twice
    dropped = [unit(serbia, pt.replace(" da Sérvia", ""))]
    assert only("names", dropped, "en", "pt") == []
    assert only("entities", dropped, "en", "pt")[0].details["missing"] == ["Serbia"]
    nato = pair(gold_units, "In recent years, NATO").source
    es = "En los últimos años, la OTAN ha seguido expandiéndose hacia los Balcanes Occidentales y ha intensificado su "
    es += "injerencia en los asuntos de seguridad regional."
    assert only("names", [unit(nato, es)], "en", "es") == []
    [finding] = only("names", [unit(nato, es.replace("la OTAN", "la alianza"))], "en", "es")
    assert finding.details["missing"] == ["NATO"]
    ukraine = pair(gold_units, "Ukraine crisis").source
    pt = "Após a eclosão da crise na Ucrânia em 2022, a OTAN começou a adotar uma postura cada vez mais agressiva "
    pt += "em matéria de segurança europeia e geopolítica."
    assert only("names", [unit(ukraine, pt)], "en", "pt") == []


def test_sentence_initial_words_are_names_only_when_the_source_says_so():
    units = [
        unit("Recently, the tensions have escalated.", "Zuletzt haben sich die Spannungen verschärft."),
        unit("Macron refused.", "Der Präsident weigerte sich."),
        unit("The press asked Macron.", "Die Presse fragte Macron."),
    ]
    [finding] = only("names", units)  # "Recently" is no name; "Macron" is, the third link says so
    assert finding.unit_index == 1 and finding.details["missing"] == ["Macron"]


def test_a_capitalised_word_translated_everywhere_is_taken_as_translated_not_lost():
    assembly = [
        unit("The Assembly voted on the resolution.", "Die Versammlung stimmte über die Resolution ab."),
        unit("Later, the Assembly adopted it.", "Später nahm die Versammlung sie an."),
    ]
    assert only("names", assembly) == []  # never "Assembly" in the target, twice: a translation, not a loss
    [finding] = only("names", assembly[:1])  # once: no telling, a known false positive of the check
    assert finding.details["missing"] == ["Assembly"]
    white_house = unit("The statement came from the White House.", "Die Erklärung kam aus dem Weißen Haus.")
    assert only("names", [white_house])[0].details["missing"] == ["White House"]


def test_adjectives_of_languages_and_peoples_are_no_names(gold_units):
    western = [u for u in gold_units if re.search(r"Western (countries|camp|forces)", u.source)]
    assert len(western) == 3 and not any("Western" in u.target for u in western)
    assert only("names", western[:1]) == []
    french = unit("A delegation of French diplomats came.", "Eine französische Delegation kam.")
    assert only("names", [french]) == []
    assert only("names", [unit("A delegation of Kosovan diplomats came.", "Eine Delegation kam.")]) != []


def test_a_german_source_counts_only_words_the_translation_keeps(gold_units):
    english = pair(gold_units, "Later, Macron").source
    german = pair(gold_units, "Later, Macron").target
    assert only("names", [unit(german, english)], "de", "en") == []  # Bundeskanzler, Gemeinden ... are nouns
    second = "Macron und Scholz trafen sich danach erneut."
    units = [unit(german, english), unit(second, "Afterwards the two met again.")]
    [finding] = only("names", units, "de", "en")
    assert finding.unit_index == 1 and finding.details["missing"] == ["Macron", "Scholz"]


def test_title_case_headings_are_skipped_but_sentences_full_of_names_are_not():
    title = load_document("kosovo-dialogue").title
    german_title = load_document("kosovo-dialogue.de").title
    assert title.startswith("Restoring dialogue")
    heading = "Restoring Dialogue, the Only Correct Way to Relieve Tensions in Northern Kosovo"
    assert only("names", [unit(heading, german_title)]) == []
    source = "Fu Cong, China's envoy to the United Nations, met Emmanuel Macron in New York."
    target = "Fu Cong, der Gesandte Chinas bei den Vereinten Nationen, traf Emmanuel Macron in New York."
    assert only("names", [unit(source, target)]) == []
    [finding] = only("names", [unit(source, target.replace("Emmanuel Macron", "ihn"))])
    assert finding.details["missing"] == ["Emmanuel Macron"]


def test_names_are_not_compared_across_scripts():
    assert only("names", [unit("Later, Macron urged Kosovo.", "Позже Макрон призвал Косово.")], "en", "ru") == []


# --- glossary -------------------------------------------------------------------------------------------------


def test_glossary_terms_are_found_with_inflection_and_reported_when_missing(gold_units):
    glossary = glossary_from_pairs({"Security Council": "Sicherheitsrat"})
    council = [u for u in gold_units if "Security Council" in u.source]
    assert len(council) == 2 and any("Sicherheitsrats" in u.target for u in council)
    assert only("glossary", council, glossary=glossary) == []
    wrong = glossary_from_pairs({"security council": "Weltsicherheitsrat"})
    findings = only("glossary", council, glossary=wrong)
    assert len(findings) == 2 and all(f.severity == "error" for f in findings)
    assert findings[0].details == {"source_term": "security council", "target_terms": ["Weltsicherheitsrat"]}


def test_glossary_source_terms_match_whole_words_only(gold_units):
    glossary = glossary_from_pairs([("UN", "Vereinte Nationen"), ("UN", "Vereinten Nationen")])
    assert glossary[0].targets == ("Vereinte Nationen", "Vereinten Nationen")
    fu_cong = pair(gold_units, "Fu Cong")  # "representative to the UN" -> "bei den Vereinten Nationen"
    assert only("glossary", [fu_cong], glossary=glossary) == []
    [finding] = only("glossary", [pair(gold_units, "On April 22")], glossary=glossary)  # UN-Sicherheitsrat
    assert "Vereinte Nationen" in finding.message
    mutually = unit("The units reach a mutually acceptable solution.", "Die Einheiten finden eine Lösung.")
    assert only("glossary", [mutually], glossary=glossary) == []


def test_glossary_target_terms_may_inflect_every_word(gold_units):
    fu_cong = pair(gold_units, "Fu Cong")
    assert "Vereinten Nationen" in fu_cong.target
    assert only("glossary", [fu_cong], glossary=glossary_from_pairs({"UN": "Vereinte Nationen"})) == []
    glossary = glossary_from_pairs({"UN": "Organisation der Vereinten Nationen"})
    assert kinds(only("glossary", [fu_cong], glossary=glossary)) == ["glossary"]


def test_glossary_in_portuguese():
    glossary = glossary_from_pairs({"peace": "paz"})
    source = "All parties should make greater efforts conducive to peace and security."
    assert (
        only(
            "glossary",
            [unit(source, "Todas as partes devem fazer esforços pela paz e segurança.")],
            "en",
            "pt",
            glossary=glossary,
        )
        == []
    )
    findings = only(
        "glossary", [unit(source, "Todas as partes devem fazer esforços pela harmonia.")], "en", "pt", glossary=glossary
    )
    assert kinds(findings) == ["glossary"]


def test_load_glossary_reads_headers_comments_and_separators(tmp_path):
    path = tmp_path / "glossary.csv"
    path.write_text("# terms of the seed\nsource;target\nSecurity Council;Sicherheitsrat\nNATO;NATO\n\n", "utf-8")
    entries = load_glossary(path)
    assert [(e.source, e.targets) for e in entries] == [
        ("Security Council", ("Sicherheitsrat",)),
        ("NATO", ("NATO",)),
    ]
    path.write_text("en\tde\nKosovo\tKosovo\n", "utf-8")
    assert [e.source for e in load_glossary(path, "en", "de")] == ["Kosovo"]
    assert [e.source for e in load_glossary(path)] == ["en", "Kosovo"]  # without the codes it is a term


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Security Council,Sicherheitsrat\nNATO\n", "line 2: expected two columns"),
        ("Security Council,\n", "line 1: expected two columns"),
        ("# only a comment\n", "no glossary entries"),
        ("", "empty"),
    ],
)
def test_load_glossary_errors_say_what_and_where(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(InputError, match=message):
        load_glossary(path)


def test_load_glossary_of_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_glossary(tmp_path / "missing.csv")


# --- round trip -----------------------------------------------------------------------------------------------


def test_round_trip_scores_are_chrf_per_link(seed):
    source = seed[0][:3]
    scores = round_trip_scores(source, [source[0], source[1].replace("April 22", "22 April"), "Something else."])
    assert scores[0] == pytest.approx(100.0)
    assert 60 < scores[1] < 100 and scores[2] < 20
    assert math.isnan(round_trip_scores([""], ["x"])[0]) and math.isnan(round_trip_scores(["x"], [None])[0])
    with pytest.raises(ValueError, match="2 sources but 1"):
        round_trip_scores(["a", "b"], ["a"])


def test_round_trip_flags_the_link_far_below_the_documents_scores(gold_units):
    backs = []
    for u in gold_units:
        words = u.source.split()
        backs.append(" ".join([*words[:-3], "in", "that", "place."]))  # a back-translation loses a little
    bad = gold_units.index(pair(gold_units, "Fu Cong"))
    backs[bad] = "China thinks the weather in Europe will be fine tomorrow."
    findings = only("round_trip", gold_units, back_translations=backs)
    assert [f.unit_index for f in findings] == [bad]
    assert findings[0].details["chrf"] < 30 and findings[0].details["signature"].startswith("nrefs:1")
    assert only("round_trip", gold_units) == []  # no back-translations, no check
    with pytest.raises(InputError, match="back-translations"):
        run_checks(gold_units, "en", "de", back_translations=backs[:3])


def test_round_trip_on_few_links_uses_the_absolute_floor(seed):
    units = [unit(seed[0][0], seed[1][0]), unit(seed[0][1], seed[1][1])]
    findings = only("round_trip", units, back_translations=[seed[0][0], "Nothing like it."])
    assert [f.unit_index for f in findings] == [1] and findings[0].details["z"] is None


# --- run_checks and the registry ------------------------------------------------------------------------------


def test_every_kind_is_registered_with_a_description():
    assert set(CHECK_KINDS) == {
        "empty_side",
        "isolated_skip",
        "low_confidence",
        "untranslated",
        "untranslated_words",
        "numbers",
        "names",
        "added_names",
        "entities",
        "negation",
        "variant",
        "glossary",
        "length_ratio",
        "brackets",
        "round_trip",
    }
    assert all(len(k.description) > 30 and k.kind == name for name, k in CHECK_KINDS.items())


def test_findings_come_in_document_order_and_settings_are_checked(seed):
    source, target = seed
    units = [
        unit(source[0], source[0], confidence=0.1),
        unit(source[1], target[1].replace("22.", "23.")),
        unit(source[2], ""),
    ]
    findings = run_checks(units, "en", "de")
    assert [(f.unit_index, f.kind) for f in findings] == [
        (0, "low_confidence"),
        (0, "untranslated"),
        (1, "numbers"),
        (2, "empty_side"),
    ]
    with pytest.raises(InputError, match="Unknown check kind"):
        run_checks(units, "en", "de", kinds=["spelling"])
    with pytest.raises(InputError, match="Unknown check threshold"):
        run_checks(units, "en", "de", thresholds={"min_confidance": 0.2})
    assert CheckThresholds.from_mapping({"min_confidence": "0.05", "skip_context": 3}) == CheckThresholds(
        min_confidence=0.05, skip_context=3
    )
    with pytest.raises(InputError, match="skip_context must be a int"):
        CheckThresholds.from_mapping({"skip_context": 2.5})
    with pytest.raises(ValueError, match="severity"):
        Finding("numbers", "fatal", "x", 0)


# --- audit ----------------------------------------------------------------------------------------------------


def test_the_audit_sample_is_deterministic_distinct_and_in_document_order(gold_units):
    first = draw_audit_sample(gold_units, 8, seed=7)
    assert first == draw_audit_sample(gold_units, 8, seed=7)
    assert first == sorted(set(first)) and len(first) == 8
    assert any(draw_audit_sample(gold_units, 8, seed=s) != first for s in range(8, 12))
    assert draw_audit_sample(gold_units, 100, seed=1) == list(range(len(gold_units)))
    assert draw_audit_sample(gold_units, 0, seed=1) == [] and draw_audit_sample([], 5, seed=1) == []
    with pytest.raises(InputError):
        draw_audit_sample(gold_units, -1, seed=1)


def test_the_audit_sample_prefers_links_of_low_confidence():
    units = [unit(f"s{i}", f"t{i}", confidence=0.1 if i % 2 else 0.95) for i in range(40)]
    low = {i for i in range(40) if i % 2}

    def low_share(weighted: bool) -> float:
        drawn = [i for seed in range(300) for i in draw_audit_sample(units, 5, seed, weighted)]
        return sum(i in low for i in drawn) / len(drawn)

    assert low_share(True) > 0.68  # weights 3.7 against 1.15
    assert 0.44 < low_share(False) < 0.56


def test_wilson_interval_known_values():
    assert wilson_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=5e-4)
    assert wilson_interval(50, 100) == pytest.approx((0.4038, 0.5962), abs=5e-4)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=5e-4)
    assert wilson_interval(10, 10)[1] == 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_audit_summary_counts_failures_by_category_and_the_last_verdict_wins():
    verdicts = [
        AuditVerdict(0, True),
        AuditVerdict(1, False, "omission", "drops Fu Cong"),
        AuditVerdict(2, False, "terminology"),
        AuditVerdict(3, False),
        AuditVerdict(3, True, comment="second look: fine"),
        *(AuditVerdict(i, True) for i in range(4, 10)),
    ]
    summary = audit_summary(verdicts)
    assert (summary.n, summary.passed, summary.pass_rate) == (10, 8, 0.8)
    assert (summary.ci_low, summary.ci_high) == pytest.approx((0.4902, 0.9433), abs=5e-4)
    assert summary.by_category == {
        **dict.fromkeys(AUDIT_CATEGORIES, 0),
        "omission": 1,
        "terminology": 1,
        "unspecified": 0,
    }
    assert audit_summary([]).pass_rate is None
    with pytest.raises(InputError, match="Unknown audit category"):
        AuditVerdict(0, False, "style")


# --- reports --------------------------------------------------------------------------------------------------


@pytest.fixture
def flagged(seed) -> tuple[list[Finding], list[TranslationUnit]]:
    source, target = seed
    units = [
        unit(source[7], target[8].replace("90 Prozent", "9 Prozent")),
        unit(source[0], "<script>alert('x')</script> & nichts"),
        unit(source[2], ""),
    ]
    return run_checks(units, "en", "de"), units


def test_findings_to_csv_keeps_text_and_details(tmp_path, flagged):
    findings, units = flagged
    path = findings_to_csv(findings, units, tmp_path / "findings.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(findings) and rows[0]["kind"] == "numbers"
    # unit_index is 0-based for scripts; "link" is the number people see in the project, from 1
    assert [(r["unit_index"], r["link"]) for r in rows] == [
        (str(f.unit_index), str(f.unit_index + 1)) for f in findings
    ]
    assert rows[0]["link"] == "1"
    assert "örtlichen Bevölkerung" in rows[0]["target"]
    assert json.loads(rows[0]["details"])["missing"] == ["90"]


def test_html_report_escapes_text_and_summarises(flagged):
    findings, units = flagged
    page = render_html_report(findings, units, source_lang="en", target_lang="de", title="Kosovo <en-de>")
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; nichts" in page
    assert "Kosovo &lt;en-de&gt;" in page
    assert [f.kind for f in findings] == ["numbers", "entities", "negation", "brackets", "empty_side"]
    assert page.count('class="finding ') == len(findings)
    assert "· link 1</div>" in page and "· link 3</div>" in page and "· link 0<" not in page  # as people see links
    assert page.index("<td>empty_side</td>") < page.index("<td>numbers</td>") < page.index("<td>entities</td>")
    assert "<td>numbers</td>" in page and "Result: failed" in page
    assert "http" not in page  # self-contained: no external assets


def test_summarize_applies_the_users_limits(flagged):
    findings, _ = flagged
    summary, passed = summarize(findings)
    assert not passed and summary["by_severity"]["error"] >= 1
    assert summary["by_kind"]["numbers"]["error"] == 1
    _, passed = summarize(findings, QualityGate(max_errors=None))
    assert passed
    summary, passed = summarize(findings, QualityGate(max_errors=None, max_per_kind={"numbers": 0}))
    assert not passed and summary["violations"] == ["1 numbers findings (at most 0 allowed)"]
    assert summarize([]) == (
        {
            "total": 0,
            "by_severity": {"error": 0, "warning": 0, "info": 0},
            "by_kind": {},
            "units_with_findings": 0,
            "violations": [],
            "passed": True,
        },
        True,
    )
