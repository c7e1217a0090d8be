"""The Argos engine for real: tiny copy packages (bench/tiny_argos.py) installed from files into a temporary
folder, translated in batches, pivoted through English, and refused when they are not packages."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from bench.tiny_argos import build_copy_argosmodel
from workbench.errors import InputError, ModelUnavailableError
from workbench.translation import argos as argos_module
from workbench.translation.argos import ArgosEngine
from workbench.translation.bergamot import BergamotEngine
from workbench.translation.router import Router

SENTENCES = [
    "On April 22, the UN Security Council held a session on the Kosovo issue.",
    "",
    "Fu Cong, China's Permanent Representative to the UN, said 90% of residents agree.",
    "Short.",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("argosmodels")
    return {pair: build_copy_argosmodel(folder, *pair.split("-")) for pair in ["en-es", "es-pt", "en-pt"]}


def test_a_package_file_installs_and_translates_a_batch(built: dict[str, Path], tmp_path: Path) -> None:
    engine = ArgosEngine(packages_dir=tmp_path / "packages")
    assert engine.pairs() == [] and "no Argos packages" in (engine.unavailable_reason() or "")
    package = engine.install_file(built["en-es"])
    assert (package.from_code, package.to_code) == ("en", "es") and package.path.parent == tmp_path / "packages"
    assert engine.unavailable_reason() is None and engine.pairs() == [("en", "es")]
    assert engine.info("en", "es").model == "translate-en_es" and engine.info("en", "es").version == "0.0.1"
    seen: list[tuple[int, int]] = []
    out = engine.translate(SENTENCES, "en", "es", progress=lambda d, t: seen.append((d, t)))
    assert out == SENTENCES  # the package copies its input: every sentence comes back in its own place
    assert seen[-1] == (4, 4)
    assert not any(p.name.startswith(".installing") for p in (tmp_path / "packages").iterdir())


def test_router_pivots_through_two_argos_packages(built: dict[str, Path], tmp_path: Path) -> None:
    engine = ArgosEngine(packages_dir=tmp_path / "packages")
    engine.install_file(built["en-es"])
    engine.install_file(built["es-pt"])
    route = Router([engine]).route("en", "pt")
    assert route.kind == "neural pivot" and [(s.src, s.tgt) for s in route.steps] == [("en", "es"), ("es", "pt")]
    assert route.translate(SENTENCES) == SENTENCES


def test_an_installed_argos_package_comes_before_bergamot_and_can_be_overridden(
    built: dict[str, Path], tmp_path: Path
) -> None:
    engine = ArgosEngine(packages_dir=tmp_path / "packages")
    engine.install_file(built["en-pt"])
    router = Router([engine, BergamotEngine()])
    assert router.route("en", "pt").engines == ["argos"]
    assert router.route("en", "pt", engine="bergamot").engines == ["bergamot"]


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_files_that_are_not_packages_are_refused_and_nothing_is_installed(tmp_path: Path) -> None:
    engine = ArgosEngine(packages_dir=tmp_path / "packages")
    text = tmp_path / "notes.argosmodel"
    text.write_text("not a zip")
    meta = b'{"from_code": "en", "to_code": "xx", "type": "translate"}'
    cases = {
        text: "not an Argos package",
        _zip(tmp_path / "empty.argosmodel", {"readme.txt": b"hi"}): "one folder with a metadata.json",
        _zip(tmp_path / "nomodel.argosmodel", {"p/metadata.json": meta}): "no model/ folder",
        _zip(tmp_path / "badjson.argosmodel", {"p/metadata.json": b"{", "p/model/x": b""}): "not valid JSON",
        _zip(tmp_path / "slip.argosmodel", {"p/metadata.json": meta, "p/model/../../../evil": b"x"}): "not an Argos",
    }
    for file, message in cases.items():
        with pytest.raises(InputError, match=message):
            engine.install_file(file)
    assert engine.pairs() == [] and not (tmp_path / "evil").exists()


def test_installing_from_the_index_without_a_network_says_so_within_seconds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # ".invalid" never resolves (RFC 2606): the same code path as a machine without a network, on any machine.
    monkeypatch.setattr(argos_module, "INDEX_HOST", "argos-index.invalid")
    started = time.perf_counter()
    with pytest.raises(ModelUnavailableError, match=r"no network.*translate-en_de\.argosmodel"):
        ArgosEngine(packages_dir=tmp_path).install_from_index("en", "de")
    assert time.perf_counter() - started < 10


def test_cli_installs_a_package_file_and_lists_its_pairs(built: dict[str, Path], tmp_path: Path) -> None:
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}
    command = [sys.executable, "-m", "workbench.cli", "engines", "--install-argos", str(built["en-es"])]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "installed Argos package translate-en_es" in result.stdout
    assert "argos     neural     1 direct pairs" in result.stdout
    bad = subprocess.run(
        [*command[:-1], str(tmp_path / "missing.argosmodel")], capture_output=True, text=True, env=env, timeout=300
    )
    assert bad.returncode == 2 and "no such file" in bad.stderr and "Traceback" not in bad.stderr
