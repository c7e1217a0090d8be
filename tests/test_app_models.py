"""The Models page for model files: a CTranslate2 OPUS-MT folder installed by its path (a half one refused),
an engine pinned to a pair, and the routes of a pair compared, through Streamlit's AppTest."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_app import app_cache, button, errors, root, start  # noqa: F401 (fixtures)

from bench.tiny_argos import build_copy_argosmodel
from workbench.app import state
from workbench.translation.installed import installed_models, load_pins


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "models"
    monkeypatch.setenv("WORKBENCH_MODELS", str(folder))
    state.router.clear()  # a router cached by an earlier test knows another models folder
    yield folder
    state.router.clear()


def _opus_folder(work: Path, name: str) -> Path:
    """The tiny copy transformer (bench/tiny_argos.py) laid out as a converted OPUS-MT model."""
    with zipfile.ZipFile(build_copy_argosmodel(work, "en", "de")) as archive:
        archive.extractall(work / "unzipped")
    top = next((work / "unzipped").iterdir())
    folder = work / name
    shutil.copytree(top / "model", folder)
    for spm in ("source.spm", "target.spm"):
        shutil.copy(top / "sentencepiece.model", folder / spm)
    return folder


def test_install_a_folder_pin_it_and_compare_routes(root: Path, models: Path, tmp_path: Path) -> None:  # noqa: F811
    half = _opus_folder(tmp_path / "a", "opus-mt-en-it")
    (half / "source.spm").unlink()
    at = start(page="models")
    assert "opus-mt" in list(at.dataframe[0].value["Engine"])
    at.text_input(key="model_folder").set_value(str(half)).run()
    button(at, "Install model").click().run()
    assert any("missing source.spm" in e for e in errors(at)) and not at.exception
    assert not models.exists() or list(models.iterdir()) == []

    folder = _opus_folder(tmp_path / "b", "opus-mt-en-de")
    at.text_input(key="model_folder").set_value(str(folder)).run()
    button(at, "Install model").click().run()
    assert any("Installed opus-mt opus-mt-en-de (en→de)" in s.value for s in at.success), errors(at)
    assert [m.path.name for m in installed_models(models)] == ["opus-mt-en-de"]
    at.run()
    pairs = at.dataframe[1].value
    assert ("en", "de") in set(zip(pairs["From"], pairs["To"], strict=True))

    at.selectbox(key="pin_pair").set_value(("en", "de")).run()
    at.selectbox(key="pin_engine").set_value("opus-mt").run()
    button(at, "Save").click().run()
    assert load_pins(models) == {("en", "de"): "opus-mt"}

    at.selectbox(key="remove_model").set_value("opus-mt-en-de").run()
    button(at, "Remove").click().run()
    assert any("Removed opus-mt opus-mt-en-de" in s.value for s in at.success) and installed_models(models) == []

    at.selectbox(key="compare_pair").set_value(("en", "pt")).run()
    at.text_area(key="compare_text").set_value("The parties met in Brussels.\nKosovo is in the Balkans.").run()
    button(at, "Compare").click().run()
    assert not at.exception and not errors(at)
    table = at.dataframe[-1].value
    assert table["Route"][0].startswith("en->pt by bergamot") and len(table) >= 1
    assert all(0 <= v <= 100 for v in table["Round-trip chrF"])
