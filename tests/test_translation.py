"""Offline translation for real: Bergamot en<->pt, Apertium from Debian, the router, whole documents, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import py3langid
import pytest

from workbench.documents import load_document
from workbench.errors import ModelUnavailableError
from workbench.translation.apertium import ApertiumEngine
from workbench.translation.base import NEURAL, RULE_BASED
from workbench.translation.bergamot import BergamotEngine
from workbench.translation.cache import TranslationCache
from workbench.translation.documents import translate_document
from workbench.translation.router import Router

# Apertium comes from Debian: ./setup.sh installs it where apt-get exists. CI sets WORKBENCH_REQUIRE_SYSTEM_PACKAGES so
# that a missing engine fails there instead of skipping.
WORKBENCH = [sys.executable, "-m", "workbench.cli"]
needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None and not os.environ.get("WORKBENCH_REQUIRE_SYSTEM_PACKAGES"),
    reason="apertium is not installed (./setup.sh installs it where apt-get exists)",
)


@pytest.fixture(scope="module")
def bergamot() -> BergamotEngine:
    return BergamotEngine(threads=2)


@pytest.fixture(scope="module")
def apertium() -> ApertiumEngine:
    return ApertiumEngine()


def test_bergamot_translates_en_pt_without_the_wrappers_no_to_nao_corruption(bergamot: BergamotEngine) -> None:
    assert bergamot.unavailable_reason() is None and set(bergamot.pairs()) == {("en", "pt"), ("pt", "en")}
    out = bergamot.translate(
        ["Residents in the north of Kosovo are afraid.", "", "The UN Security Council met on April 22."], "en", "pt"
    )
    assert len(out) == 3 and out[1] == ""
    assert "no norte do Kosovo" in out[0] and "não" not in out[0]
    assert "22 de abril" in out[2] and "Conselho de Segurança" in out[2]
    back = bergamot.translate(["Os moradores no norte do Kosovo têm medo."], "pt", "en")
    assert "Kosovo" in back[0] and "afraid" in back[0]
    info = bergamot.info("en", "pt")
    assert info.engine == "bergamot" and "en-pt" in info.model and info.version


def test_an_engine_refuses_a_pair_it_has_no_model_for(bergamot: BergamotEngine) -> None:
    with pytest.raises(ModelUnavailableError, match="en->de"):
        bergamot.translate(["Hello."], "en", "de")


@needs_apertium
def test_apertium_keeps_sentence_boundaries_exactly_in_one_process(apertium: ApertiumEngine) -> None:
    assert ("en", "es") in apertium.pairs() and ("es", "fr") in apertium.pairs()
    sentences = [
        "The UN met on April 22.",
        "Dr. Smith said no",  # no final stop: rules must not carry words into the next sentence
        "",
        "the big house",
        "A sentence wrapped\nover two lines.",
        "[1] See section 3 <b>bold</b> & co.",
    ]
    out = apertium.translate(sentences, "en", "es")
    assert len(out) == len(sentences) and out[2] == ""
    assert "abril" in out[0] and "casa" in out[3].lower() and "dos líneas" in out[4]
    assert "\n" not in "".join(out) and "<b>" in out[5]
    assert apertium.info("en", "es").model == "eng-spa"


@needs_apertium
def test_apertium_progress_reaches_the_end(apertium: ApertiumEngine) -> None:
    seen: list[tuple[int, int]] = []
    apertium.translate(["One.", "Two.", "Three."], "en", "es", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3)


@needs_apertium
def test_router_prefers_neural_direct_then_pivots_through_spanish_for_french(
    bergamot: BergamotEngine, apertium: ApertiumEngine
) -> None:
    router = Router([bergamot, apertium])
    pt = router.route("en", "pt")
    assert pt.kind == "neural direct" and pt.engines == ["bergamot"] and pt.steps[0].engine.kind == NEURAL
    assert router.route("en", "pt", engine="apertium").engines == ["apertium", "apertium"]  # en->es->pt
    fr = router.route("en", "fr")
    assert fr.kind == "rule-based pivot" and [s.tgt for s in fr.steps] == ["es", "fr"]
    assert fr.steps[0].engine.kind == RULE_BASED
    assert ("en", "it") in router.available_pairs()
    with pytest.raises(ModelUnavailableError, match=r"en->de.*translate-en_de"):
        router.route("en", "de")
    with pytest.raises(ModelUnavailableError, match="bergamot cannot translate en->es"):
        router.route("en", "es", engine="bergamot")
    with pytest.raises(ModelUnavailableError, match="unknown engine"):
        router.route("en", "es", engine="google")


@needs_apertium
@pytest.mark.parametrize("lang", ["pt", "es", "fr"])
def test_the_seed_article_is_translated_paragraph_by_paragraph(lang: str, tmp_path: Path) -> None:
    source = load_document("kosovo-dialogue")
    router = Router([BergamotEngine(), ApertiumEngine()])
    result = translate_document(source, router.route("en", lang), cache=TranslationCache(tmp_path / "t.sqlite"))
    target = result.document
    assert target.lang == lang and target.title and target.title != source.title
    assert len(target.paragraphs) == len(source.paragraphs)
    for src_par, tgt_par in zip(source.paragraphs, target.paragraphs, strict=True):
        src_text = " ".join(s.text for s in src_par.sentences)
        tgt_text = " ".join(s.text for s in tgt_par.sentences)
        assert tgt_text != src_text
        if len(tgt_text) > 60:  # the last lines are short bylines; long paragraphs must read as the target language
            assert py3langid.classify(tgt_text)[0] != "en", tgt_text
    assert result.document.metadata["translated_from"] == "kosovo-dialogue"
    assert lang in result.document.metadata["translation"]


def test_translations_are_cached_by_model_and_text(bergamot: BergamotEngine, tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "t.sqlite")
    route = Router([bergamot]).route("en", "pt")
    sentences = ["Kosovo is in the Balkans.", "Serbia is its neighbour."]
    first = route.translate(sentences, cache=cache)
    info = bergamot.info("en", "pt")
    assert cache.get_many(info, "en", "pt", sentences) == dict(enumerate(first))
    assert cache.get_many(info, "en", "es", sentences) == {}  # another pair is another key
    cache.put_many(info, "en", "pt", sentences[:1], ["(from the cache)"])
    assert route.translate(sentences, cache=cache)[0] == "(from the cache)"


@needs_apertium
def test_cli_translate_writes_one_document_a_language_and_reports_the_missing_pair(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *WORKBENCH,
            "translate",
            "kosovo-dialogue",
            "--from",
            "en",
            "--to",
            "pt,de,es,fr",
            "--out",
            str(tmp_path),
            "--quiet",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("workbench: error: en->de:") and "Traceback" not in result.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["kosovo-dialogue.es.txt", "kosovo-dialogue.fr.txt", "kosovo-dialogue.pt.txt"]
    reopened = load_document(tmp_path / "kosovo-dialogue.pt.txt")
    assert reopened.lang == "pt" and len(reopened.paragraphs) == len(load_document("kosovo-dialogue").paragraphs)


def test_cli_engines_lists_pairs_and_what_to_install() -> None:
    result = subprocess.run([*WORKBENCH, "engines"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "en->pt  neural direct" in result.stdout and "to translate more" in result.stdout
