"""The per-link translation-quality signal: the untranslated-words check on real Apertium output, the scoring rule,
back-translation through the cache, and the seed article translated into Spanish (Apertium) and Portuguese
(Bergamot), where the Spanish links with English words left in them must look worse than the clean ones."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from workbench import spot_check
from workbench.checks import Finding, run_checks
from workbench.checks.quality import (
    CHRF_BAD,
    CHRF_FLOOR_FACTOR,
    CHRF_GOOD,
    SEVERITY_FACTORS,
    LinkQuality,
    band_of,
    link_quality,
)
from workbench.documents import load_document
from workbench.errors import InputError
from workbench.formats.units import TranslationUnit
from workbench.projects import Project, add_target, create_project, edit_sentence, open_project, project_to_corpus
from workbench.spot_check import back_translate, check_target, target_quality
from workbench.translation.apertium import ApertiumEngine
from workbench.translation.base import Progress
from workbench.translation.bergamot import BergamotEngine
from workbench.translation.cache import TranslationCache
from workbench.translation.documents import translate_document
from workbench.translation.router import Router

# Apertium comes from Debian (./setup.sh); CI sets WORKBENCH_REQUIRE_SYSTEM_PACKAGES so that its absence fails there.
needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None and not os.environ.get("WORKBENCH_REQUIRE_SYSTEM_PACKAGES"),
    reason="apertium is not installed (./setup.sh installs it where apt-get exists)",
)

# English words Apertium en->es leaves in the seed (it marks them unknown), and names it rightly keeps.
LEFT_IN_SPANISH = ("escalated", "stance", "pressured", "forcibly", "complying", "peacekeeping")
NAMES = ("Serbs", "Macron", "Scholz", "Fu", "Cong", "Kosovo", "Javelin")


def unit(source: str, target: str) -> TranslationUnit:
    return TranslationUnit((source,) if source else (), (target,) if target else ())


# --- the untranslated-words check on real Apertium output ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed_in_spanish() -> tuple[list[str], list[str]]:
    """The seed's English sentences and Apertium's Spanish for each, sentence by sentence."""
    source = load_document("kosovo-dialogue").sentence_texts()
    return source, ApertiumEngine().translate(source, "en", "es")


@needs_apertium
def test_apertium_leaves_english_words_that_the_check_names(seed_in_spanish) -> None:
    source, spanish = seed_in_spanish
    units = [unit(s, t) for s, t in zip(source, spanish, strict=True)]
    findings = run_checks(units, "en", "es", kinds=["untranslated_words"])
    flagged = {word for f in findings for word in f.details["words"]}
    assert {"escalated", "stance", "pressured", "forcibly", "complying", "peacekeeping"} <= flagged
    first = next(f for f in findings if f.unit_index == 0)
    assert first.details["words"] == ["escalated"] and "escalated" in first.message
    # Apertium keeps names as they are; they are no untranslated words, nor are words Spanish shares.
    assert any("Serbs" in t for t in spanish) and any("Macron" in t for t in spanish)
    assert not flagged & {n.lower() for n in NAMES} and not flagged & set(NAMES)
    # A sentence Apertium translated whole has no finding.
    clean = next(k for k, s in enumerate(source) if s.startswith("Not long ago, the Parliamentary Assembly"))
    assert "Asamblea Parlamentaria" in spanish[clean]
    assert clean not in {f.unit_index for f in findings}


# --- the scoring rule ---------------------------------------------------------------------------------------------


def test_severity_sets_the_band_and_alignment_findings_do_not_count() -> None:
    units = [unit(f"Source sentence {k}.", f"Frase de origen {k}.") for k in range(6)]
    findings = [
        Finding("low_confidence", "warning", "unsure", 0, {"confidence": 0.2}),  # the other colour's business
        Finding("brackets", "info", "added", 1, {"problem": "added", "marks": ["brackets"]}),
        Finding("names", "warning", "lost", 2, {"missing": ["Macron"]}),
        Finding("numbers", "error", "differ", 3, {"missing": ["22"], "extra": ["23"]}),
        Finding("names", "warning", "lost", 4, {"missing": ["Scholz"]}),
        Finding("length_ratio", "warning", "short", 4, {"z": -3.1}),
        Finding("untranslated_words", "warning", "left", 4, {"words": ["stance"]}),
    ]
    quality = link_quality(units, findings)
    assert [q.band for q in quality] == ["good", "good", "doubtful", "poor", "poor", "good"]
    assert quality[0] == LinkQuality(1.0, "good", (), None)
    assert quality[1].score == SEVERITY_FACTORS["info"] and quality[1].reasons == ("brackets or quotes",)
    assert quality[2].score == SEVERITY_FACTORS["warning"] and quality[2].reasons == ("name missing: Macron",)
    assert quality[3].score < quality[4].score < quality[2].score < quality[1].score
    assert quality[3].reasons == ("numbers differ: 22",)
    assert quality[4].reasons == ("left untranslated: stance", "name missing: Scholz", "much shorter than usual")


def test_empty_sides_count_and_a_link_with_nothing_to_judge_is_unknown() -> None:
    units = [unit("A sentence left out.", ""), unit("", "Una frase añadida."), unit("", "Otra.")]
    findings = [
        Finding("empty_side", "error", "omitted", 0, {"side": "target"}),
        Finding("isolated_skip", "warning", "isolated", 0, {"side": "target"}),  # restates empty_side: not counted
        Finding("empty_side", "warning", "added", 1, {"side": "source"}),
    ]
    quality = link_quality(units, findings)
    assert quality[0] == LinkQuality(SEVERITY_FACTORS["error"], "poor", ("no translation",), None)
    assert quality[1].band == "doubtful" and quality[1].reasons == ("no source",)
    assert quality[2] == LinkQuality(None, "unknown", (), None)


def test_round_trip_chrf_lowers_the_score_below_its_good_level() -> None:
    units = [unit(f"Source sentence {k}.", f"Frase de origen {k}.") for k in range(4)]
    round_trip = Finding("round_trip", "warning", "far", 3, {"chrf": 12.0})
    quality = link_quality(units, [round_trip], [90.0, CHRF_GOOD - 20, CHRF_BAD - 5, 12.0])
    assert quality[0].score == 1.0 and quality[0].chrf == 90.0
    assert quality[1].band == "doubtful" and quality[1].reasons == ("round trip chrF 40",)
    assert quality[2].score == CHRF_FLOOR_FACTOR and quality[2].band == "doubtful"
    assert quality[3].band == "poor" and quality[3].reasons == ("round trip far from the source (chrF 12)",)
    assert [band_of(s) for s in (0.8, 0.79, 0.5, 0.49, None)] == ["good", "doubtful", "doubtful", "poor", "unknown"]
    with pytest.raises(ValueError, match="chrF"):
        link_quality(units, [], [1.0])


# --- the seed, translated, as a project ---------------------------------------------------------------------------


class CountingApertium(ApertiumEngine):
    """The real Apertium, counting the sentences it is asked to translate (to see what the cache spares it)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []
        self.batches: list[int] = []

    def translate(self, sentences: Sequence[str], src: str, tgt: str, progress: Progress | None = None) -> list[str]:
        self.asked.extend(sentences)
        self.batches.append(len(sentences))
        return super().translate(sentences, src, tgt, progress)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, e5) -> Path:
    """Project 'kos': the seed translated by Bergamot into Portuguese and by Apertium into Spanish, aligned."""
    root = tmp_path_factory.mktemp("alignments")
    source = load_document("kosovo-dialogue")
    project = create_project("kos", source, root)
    routes = {"pt": Router([BergamotEngine()]).route("en", "pt"), "es": Router([ApertiumEngine()]).route("en", "es")}
    for lang, route in routes.items():
        add_target(project, translate_document(source, route).document, lang, e5)
    return root


def apertium_unknown_words(sources: list[str]) -> list[set[str]]:
    """The words Apertium en->es marks unknown ("*stance") in each text, lower-case ones only (capitalised ones are
    names it rightly keeps: *Serbs, *Macron): independent evidence of what was left in English."""
    out = subprocess.run(
        ["apertium", "eng-spa"], input="\n\n".join(sources), capture_output=True, text=True, check=True
    ).stdout
    pieces = re.split(r"\n\s*\n", out.strip())
    assert len(pieces) == len(sources)
    return [{w for w in re.findall(r"\*(\w+)", piece) if w[0].islower()} for piece in pieces]


@needs_apertium
def test_spanish_links_with_english_left_in_them_score_worse_than_clean_ones(root: Path) -> None:
    project = open_project("kos", root)
    counts = {lang: Counter(q.band for q in target_quality(project, lang)) for lang in ("es", "pt")}
    print(f"\nseed band counts: es {dict(counts['es'])}, pt {dict(counts['pt'])}")
    units = project_to_corpus(project, "es").units
    quality = target_quality(project, "es")
    assert len(quality) == len(units) == len(project.target("es").links)
    left_in = apertium_unknown_words([u.source for u in units])
    with_english = [k for k, words in enumerate(left_in) if words]
    clean = [k for k, words in enumerate(left_in) if not words]
    assert len(with_english) >= 8 and len(clean) >= 10
    assert {w for words in left_in for w in words} >= set(LEFT_IN_SPANISH)
    for k in with_english:  # what Apertium itself left in, the quality signal names, and the link is not good
        assert quality[k].band in ("doubtful", "poor"), (units[k].target, quality[k])
        assert any(all(w in r for w in left_in[k]) for r in quality[k].reasons), (left_in[k], quality[k].reasons)
    assert all(quality[k].band == "good" for k in clean), [(units[k].target, quality[k]) for k in clean]
    assert max(quality[k].score for k in with_english) < min(quality[k].score for k in clean)
    # The Portuguese (neural) keeps no English word and the checks find nothing else: every link is good.
    assert counts["pt"] == Counter({"good": len(project.target("pt").links)})


@needs_apertium
def test_back_translation_after_an_edit_translates_only_the_edited_link(root: Path, tmp_path: Path) -> None:
    project = open_project("kos", root)
    engine = CountingApertium()
    router = Router([engine])
    cache = TranslationCache(tmp_path / "translations.sqlite")
    before = project_to_corpus(project, "es").units
    back, route = back_translate(project, "es", router, cache=cache)
    assert route.startswith("es->en by apertium") and len(back) == len(before)
    assert engine.asked == [u.target for u in before if u.target.strip()]

    link = next(k for k, u in enumerate(before) if "escalated" in u.target)
    sentence = next(s for s in project.target("es").side.sentences if "escalated" in s.text)
    edit_sentence(project, "es", sentence.id, sentence.text.replace("escalated", "aumentado"))
    project = open_project("kos", root)
    after = project_to_corpus(project, "es").units
    engine.asked.clear()
    again, _ = back_translate(project, "es", router, cache=cache)
    assert engine.asked == [after[link].target]  # the one link whose text changed, nothing else
    assert [k for k in range(len(back)) if again[k] != back[k]] == [link] and "escalated" not in again[link]

    # Back-translations kept by text serve every link the edit left alone; the edited one waits for its own.
    by_text = {u.target: b for u, b in zip(before, back, strict=True) if b is not None}
    stale = target_quality(project, "es", back_translations=by_text)
    assert stale[link].chrf is None and all(q.chrf is not None for k, q in enumerate(stale) if k != link)
    fresh = target_quality(project, "es", back_translations=again)
    assert fresh[link].chrf is not None and fresh[link].score > target_quality(project, "es")[link].score - 1e-9
    assert not any("escalated" in r for r in fresh[link].reasons)
    with pytest.raises(InputError, match="back-translations"):
        target_quality(project, "es", back_translations=again[:-1])


class Stop(Exception):
    pass


@needs_apertium
def test_a_back_translation_stopped_midway_keeps_its_finished_chunks(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spot_check, "BACK_TRANSLATION_CHUNK", 10)
    project = open_project("kos", root)
    paired = sum(1 for u in project_to_corpus(project, "pt").units if u.target.strip())
    engine = CountingApertium()
    router = Router([engine])  # pt->es->en: two steps, both Apertium
    cache = TranslationCache(tmp_path / "translations.sqlite")
    seen: list[tuple[int, int]] = []

    def stop_in_the_second_chunk(done: int, total: int) -> None:
        seen.append((done, total))
        if done > 20:  # past both steps of the first 10 links
            raise Stop

    with pytest.raises(Stop):
        back_translate(project, "pt", router, stop_in_the_second_chunk, cache)
    assert seen[-1] == (30, 2 * paired) and engine.batches == [10, 10, 10]
    engine.asked.clear()
    seen.clear()
    back, route = back_translate(project, "pt", router, lambda d, t: seen.append((d, t)), cache)
    assert "pt->es->en" in route and len(engine.asked) == 2 * (paired - 10)  # the first chunk came from the cache
    assert seen[-1] == (2 * paired, 2 * paired) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert sum(b is not None for b in back) == paired


def test_check_target_takes_back_translations_made_earlier(root: Path) -> None:
    project: Project = open_project("kos", root)
    units = project_to_corpus(project, "pt").units
    backs = [u.source if k != 3 else "Nothing whatever to do with it." for k, u in enumerate(units)]
    run = check_target(project, "pt", back_translations=backs, kinds=["round_trip"])
    assert [f.unit_index for f in run.findings] == [3] and run.round_trip is None
