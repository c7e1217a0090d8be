"""A model file given as bytes or a stream (an upload, read from memory) installs exactly as the same file given by
its path: the Models page needs no temporary copy. Real archives of the tiny CTranslate2 copy model
(bench/tiny_argos.py), laid out as an OPUS-MT folder and as an Argos package; each install translates its test
sentence."""

from __future__ import annotations

import io
import json
import re
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from bench.tiny_argos import build_copy_argosmodel
from workbench.errors import InputError
from workbench.translation.argos import ArgosEngine
from workbench.translation.installed import MANIFEST, install_model

# Builds, installs and runs real (tiny) models, a few seconds in all: left out of the fast tier, as
# test_model_install.py is.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def opus_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny copy transformer as ct2-transformers-converter lays out an OPUS-MT model (en->de by its name)."""
    work = tmp_path_factory.mktemp("opus")
    with zipfile.ZipFile(build_copy_argosmodel(work, "en", "de")) as archive:
        archive.extractall(work / "unzipped")
    top = next((work / "unzipped").iterdir())
    folder = work / "opus-mt-en-de"
    shutil.copytree(top / "model", folder)
    for name in ("source.spm", "target.spm"):
        shutil.copy(top / "sentencepiece.model", folder / name)
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of an installed folder but its manifest (which says when and from where)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} | {
        MANIFEST: b""
    }


def _archive(folder: Path, into: Path, suffix: str) -> Path:
    path = into / f"{folder.name}{suffix}"
    if suffix == ".zip":
        with zipfile.ZipFile(path, "w") as z:
            for file in sorted(folder.rglob("*")):
                z.write(file, f"{folder.name}/{file.relative_to(folder)}")
    else:
        with tarfile.open(path, "w:gz") as tar:
            tar.add(folder, arcname=folder.name)
    return path


@pytest.mark.parametrize("suffix", [".tar.gz", ".zip"])
def test_an_archive_as_bytes_or_a_stream_installs_as_its_path_does(
    opus_folder: Path, tmp_path: Path, suffix: str
) -> None:
    archive = _archive(opus_folder, tmp_path, suffix)
    by_path, path_sample = install_model(archive, tmp_path / "a")
    by_bytes, bytes_sample = install_model(archive.read_bytes(), tmp_path / "b", name=archive.name)
    by_stream, _ = install_model(io.BytesIO(archive.read_bytes()), tmp_path / "c", name=archive.name)
    for made in (by_bytes, by_stream):
        assert (made.kind, made.src, made.tgt, made.name, made.path.name) == (
            by_path.kind,
            by_path.src,
            by_path.tgt,
            by_path.name,
            by_path.path.name,
        )
        assert _files(made.path) == _files(by_path.path)
    assert bytes_sample == path_sample and path_sample.strip()
    manifest = json.loads((by_bytes.path / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["installed_from"] == archive.name  # the upload's name, not a temporary file's
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [by_bytes.path.name]  # no staging left


def test_bytes_without_a_usable_name_are_refused_and_leave_nothing(opus_folder: Path, tmp_path: Path) -> None:
    data = _archive(opus_folder, tmp_path, ".tar.gz").read_bytes()
    with pytest.raises(InputError, match="needs its file name"):
        install_model(data, tmp_path / "models")
    with pytest.raises(InputError, match=re.escape("opus.bin: a model file is an .argosmodel or a folder packed as")):
        install_model(data, tmp_path / "models", name="opus.bin")
    with pytest.raises(InputError, match=re.escape("cut.tar.gz: the archive cannot be unpacked")):
        install_model(data[: len(data) // 2], tmp_path / "models", name="cut.tar.gz")
    assert not (tmp_path / "models").exists() or list((tmp_path / "models").iterdir()) == []


def test_an_argos_package_as_bytes_installs_as_its_path_does(tmp_path: Path) -> None:
    package = build_copy_argosmodel(tmp_path, "en", "eo")
    by_path = ArgosEngine(packages_dir=tmp_path / "a").install_file(package)
    by_bytes = ArgosEngine(packages_dir=tmp_path / "b").install_file(package.read_bytes(), package.name)
    assert (by_bytes.from_code, by_bytes.to_code, by_bytes.version, by_bytes.path.name) == (
        by_path.from_code,
        by_path.to_code,
        by_path.version,
        by_path.path.name,
    )
    assert _files(by_bytes.path) == _files(by_path.path)
    through = install_model(
        package.read_bytes(),
        tmp_path / "models",
        name=package.name,
        argos_install=ArgosEngine(packages_dir=tmp_path / "c").install_file,
    )[0]
    assert (through.kind, through.src, through.tgt) == ("argos", "en", "eo")
    with pytest.raises(InputError, match=re.escape("up.argosmodel is not an Argos package")):
        ArgosEngine(packages_dir=tmp_path / "d").install_file(b"not a zip", "up.argosmodel")
