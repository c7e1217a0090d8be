"""The tiny copy package from bench/tiny_argos.py installs and translates through argostranslate's own API, offline.

argostranslate binds its folders and settings at import time, so every argostranslate run happens in a child
process with an isolated environment (tiny_argos.argos_env); the child also blocks sockets and reports any
attempt, so "offline" is checked rather than assumed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bench.tiny_argos import argos_env, build_copy_argosmodel

SENTENCES = [
    "The UN met on April 22.",
    'Prices rose 5% (see "Table 1"), it\'s said. A second sentence follows!',
    "A ONU reuniu-se em São Paulo, à tarde; 3,5% — «ótimo».",
    "First line.\nSecond line, after a newline.",
]

# Runs in the child: argv = result.json, then .argosmodel paths to install.
CHILD = r"""
import json, socket, sys
from pathlib import Path

attempts = []
def blocked(*args, **kwargs):
    attempts.append(repr(args[:2]))
    raise OSError("network disabled by test_tiny_argos")
socket.getaddrinfo = blocked
socket.create_connection = blocked
socket.socket.connect = blocked

from argostranslate import package, settings, translate
from minisbd import models as minisbd_models

result = {}
result["folders"] = [str(p) for p in (Path.home(), settings.data_dir, settings.config_dir, settings.cache_dir,
                                      settings.package_data_dir, *settings.package_dirs, minisbd_models.cache_dir)]
for path in sys.argv[2:]:
    package.install_from_path(path)
result["installed"] = sorted(f"{p.from_code}->{p.to_code}" for p in package.get_installed_packages())
result["attempts"] = list(attempts)  # import and install
result["translations"] = {}
requests = json.loads(Path(sys.argv[1]).read_text())
for key, (text, from_code, to_code) in requests.items():
    try:
        result["translations"][key] = translate.translate(text, from_code, to_code)
    except Exception as exc:
        result["translations"][key] = f"ERROR {type(exc).__name__}: {exc}"
languages = {language.code for language in translate.get_installed_languages()}
if {"en", "pt"} <= languages:
    result["pivot_type"] = type(translate.get_translation_from_codes("en", "pt")).__name__
result["attempts_after"] = list(attempts)
Path(sys.argv[1]).write_text(json.dumps(result, ensure_ascii=False))
"""


def _run_child(root: Path, packages: list[Path], requests: dict[str, list[str]], **env_options: Any) -> dict:
    """Install ``packages`` and translate ``requests`` (key -> [text, from, to]) in an isolated child process."""
    result_file = root / "result.json"
    result_file.write_text(json.dumps(requests), encoding="utf-8")
    env = argos_env(root / "argos", **env_options)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(result_file), *map(str, packages)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(result_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """One child with argostranslate's default settings: en->es and es->pt copy packages, plus en->fr that
    ships no sentence splitter (the offline trap)."""
    root = tmp_path_factory.mktemp("argos-default")
    packages = [
        build_copy_argosmodel(root / "packages", "en", "es"),
        build_copy_argosmodel(root / "packages", "es", "pt"),
        build_copy_argosmodel(root / "packages", "en", "fr", sbd="none"),
    ]
    requests = {f"en-es {i}": [text, "en", "es"] for i, text in enumerate(SENTENCES)}
    requests |= {f"en-pt {i}": [text, "en", "pt"] for i, text in enumerate(SENTENCES)}
    requests["en-fr"] = [SENTENCES[0], "en", "fr"]
    return root, _run_child(root, packages, requests)


def test_archive_has_what_argostranslate_reads(tmp_path: Path) -> None:
    path = build_copy_argosmodel(tmp_path, "en", "es", name="tiny-en-es")
    assert path == tmp_path / "tiny-en-es.argosmodel"
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        metadata = json.loads(archive.read("tiny-en-es/metadata.json"))
    assert {n.split("/")[0] for n in names} == {"tiny-en-es"}
    for member in ("model/model.bin", "model/config.json", "model/shared_vocabulary.json", "sentencepiece.model"):
        assert f"tiny-en-es/{member}" in names
    assert any(n.startswith("tiny-en-es/minisbd/") and n.endswith(".onnx") for n in names)
    assert metadata["from_code"] == "en" and metadata["to_code"] == "es" and metadata["type"] == "translate"
    assert metadata["from_name"] == "English" and metadata["to_name"] == "Spanish"


def test_ctranslate2_model_copies_every_piece(tmp_path: Path) -> None:
    """Straight through CTranslate2, float32 and int8 (what compute_type "auto" picks on CPU)."""
    import ctranslate2
    import sentencepiece as spm

    with zipfile.ZipFile(build_copy_argosmodel(tmp_path, "en", "es")) as archive:
        archive.extractall(tmp_path / "x")
    (folder,) = (tmp_path / "x").iterdir()
    tokenizer = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    assert 200 <= tokenizer.get_piece_size() <= 400
    pieces = [tokenizer.encode(text, out_type=str) for text in [*SENTENCES, "naïve 日本 ﬁ _x_"]]
    assert all("<unk>" not in p for p in pieces)
    for compute_type in ("float32", "int8"):
        translator = ctranslate2.Translator(str(folder / "model"), compute_type=compute_type)
        results = translator.translate_batch(pieces, beam_size=4, return_scores=True)
        assert [r.hypotheses[0] for r in results] == pieces
        assert all(r.scores[0] > -1e-3 for r in results)


def test_installs_into_the_isolated_folder_only(default_run: tuple[Path, dict]) -> None:
    root, result = default_run
    assert result["installed"] == ["en->es", "en->fr", "es->pt"]
    for folder in result["folders"]:
        assert Path(folder).is_relative_to(root / "argos"), folder
    assert {p.name for p in (root / "argos" / "packages").iterdir()} == {
        "translate-en_es-0_0_1",
        "translate-es_pt-0_0_1",
        "translate-en_fr-0_0_1",
    }


def test_translate_copies_the_text(default_run: tuple[Path, dict]) -> None:
    _, result = default_run
    for i, text in enumerate(SENTENCES):
        assert result["translations"][f"en-es {i}"] == text


def test_pivot_goes_through_the_middle_language(default_run: tuple[Path, dict]) -> None:
    """No en->pt package: argostranslate chains en->es and es->pt itself."""
    _, result = default_run
    assert result["pivot_type"] == "CompositeTranslation"
    for i, text in enumerate(SENTENCES):
        assert result["translations"][f"en-pt {i}"] == text


def test_default_settings_need_no_network_with_the_packaged_splitter(default_run: tuple[Path, dict]) -> None:
    """The en->es/es->pt runs made no connection; the en->fr package without a splitter tried to download one."""
    _, result = default_run
    assert result["attempts"] == []  # nothing at import or install
    assert result["translations"]["en-fr"].startswith("ERROR URLError")
    assert len(result["attempts_after"]) >= 1  # MiniSBD's model download, blocked


def test_spacy_chunking_works_offline_too(tmp_path: Path) -> None:
    """ARGOS_CHUNK_TYPE=SPACY with a package that ships spacy/ and a seeded spaCy cache: no download attempt."""
    packages = [build_copy_argosmodel(tmp_path / "packages", "en", "es", sbd="spacy")]
    requests = {"en-es": [SENTENCES[1], "en", "es"]}  # two sentences: spaCy's sentencizer splits them
    result = _run_child(tmp_path, packages, requests, chunk_type="SPACY")
    assert result["attempts_after"] == []
    assert result["translations"]["en-es"] == SENTENCES[1]
