"""Embedders on real text in several scripts, the cache, and clear errors for models that are not here."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.embedding import load_embedder
from workbench.embedding.cache import CachedEmbedder, EmbeddingCache
from workbench.embedding.use import USEEmbedder
from workbench.errors import ModelUnavailableError

# The same news sentence in five scripts, and an unrelated one per language.
PAIRS = {
    "en": ("The Security Council held a meeting on Kosovo on April 22.", "My cat sleeps on the warm windowsill."),
    "de": (
        "Der Sicherheitsrat hielt am 22. April eine Sitzung zum Kosovo ab.",
        "Meine Katze schläft auf der Fensterbank.",
    ),
    "zh": ("安理会于4月22日就科索沃问题举行了会议。", "我的猫睡在温暖的窗台上。"),
    "ru": ("Совет Безопасности провёл заседание по Косово 22 апреля.", "Моя кошка спит на тёплом подоконнике."),
    "ar": ("عقد مجلس الأمن اجتماعا بشأن كوسوفو في 22 أبريل.", "قطتي تنام على حافة النافذة الدافئة."),
}


def _check_cross_lingual(vectors: np.ndarray) -> None:
    """Each translation of sentence A is nearer to English A than any unrelated sentence is."""
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    english = vectors[0]
    translations = vectors[2::2]
    strangers = vectors[1::2]
    assert (translations @ english).min() > (strangers @ english).max()


def _texts() -> list[str]:
    return [text for pair in PAIRS.values() for text in pair]


def test_default_embedder_puts_translations_together(e5) -> None:
    vectors = e5.encode(_texts())
    assert vectors.shape == (10, 384) and vectors.dtype == np.float32
    _check_cross_lingual(vectors)


def test_use_embedder_puts_translations_together() -> None:
    vectors = USEEmbedder(threads=2).encode(_texts())
    assert vectors.shape == (10, 512)
    _check_cross_lingual(vectors)


def test_e5_and_use_together_weigh_both_models_cosines(e5, e5_folder, tmp_path) -> None:
    """``e5-small+use``: each pair of texts is as alike as e5 says, weighed 0.85, plus USE's, weighed 0.15."""
    from workbench.embedding.combined import E5_WEIGHT, CombinedEmbedder

    use = USEEmbedder(threads=2)
    both = CombinedEmbedder(e5.inner, use)
    texts = _texts()
    vectors = both.encode(texts)
    assert vectors.shape == (10, 384 + 512) and vectors.dtype == np.float32
    _check_cross_lingual(vectors)
    a, b = e5.inner.encode(texts), use.encode(texts)
    assert np.allclose(vectors @ vectors.T, E5_WEIGHT * (a @ a.T) + (1 - E5_WEIGHT) * (b @ b.T), atol=1e-5)
    seen: list[tuple[int, int]] = []
    both.encode(texts, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (10, 10) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[0][0] < 10  # the bar moves while e5 works, not only at the end
    # By name, through the library, with a cache of its own under the pair's name.
    (tmp_path / "models").symlink_to(e5_folder.parent, target_is_directory=True)  # no reconversion of e5
    loaded = load_embedder("e5-small+use", cache_dir=tmp_path, threads=2)
    assert isinstance(loaded, CachedEmbedder) and loaded.name == both.name
    assert np.allclose(loaded.encode(texts), vectors, atol=1e-5)


def test_the_default_reads_a_chinese_side_with_use_beside_it(e5) -> None:
    """``e5-small`` aligns a pair with a Chinese side as ``e5-small+use`` (+0.018 strict F1 on the novels, chosen
    leave-one-set-out); every other pair, and a pair whose other language USE does not know, reads with e5 alone,
    under e5's name, so their vectors and cache entries are what they were."""
    from workbench.embedding.combined import ByLanguage, CombinedEmbedder, pair_helps

    assert pair_helps("zh", "en") and pair_helps("de", "zh-Hant") and pair_helps("zh_CN", "ja")
    assert not pair_helps("de", "fr") and not pair_helps("zh", "is") and not pair_helps(None, "zh")
    assert isinstance(e5.inner, ByLanguage)
    assert e5.for_languages("de", "fr") is e5 and e5.for_languages("zh", "is") is e5
    assert e5.for_languages(None, None) is e5
    chinese = e5.for_languages("zh-Hant", "en")
    assert isinstance(chinese, CachedEmbedder) and chinese.cache is e5.cache  # still cached, in the same file
    texts = _texts()
    reference = CombinedEmbedder(e5.inner.first, USEEmbedder(threads=2))
    assert chinese.name == reference.name != e5.name and chinese.dim == 384 + 512
    assert np.allclose(chinese.encode(texts), reference.encode(texts), atol=1e-5)
    assert np.allclose(e5.encode(texts), e5.inner.first.encode(texts), atol=1e-6)  # alone, e5 as ever

    def missing() -> USEEmbedder:
        raise ModelUnavailableError("the Universal Sentence Encoder is not installed")

    # An install without USE still aligns Chinese, with e5 alone.
    assert ByLanguage(e5.inner.first, missing).for_languages("zh", "en").name == e5.name


def test_an_alignment_names_the_models_that_read_it(e5) -> None:
    """The signature of a zh-en alignment names the pair, a de-en one e5 alone."""
    from workbench.alignment import align_sentences

    zh = ["安理会于4月22日就科索沃问题举行了会议。", "我的猫睡在温暖的窗台上。"]
    en = ["The Security Council held a meeting on Kosovo on April 22.", "My cat sleeps on the warm windowsill."]
    de = [
        "Der Sicherheitsrat hielt am 22. April eine Sitzung zum Kosovo ab.",
        "Meine Katze schläft auf der Fensterbank.",
    ]
    chinese = align_sentences(zh, en, e5, languages=("zh", "en"))
    german = align_sentences(de, en, e5, languages=("de", "en"))
    assert chinese.signature["embedder"] == e5.for_languages("zh", "en").name != e5.name
    assert german.signature["embedder"] == e5.name
    assert [(b.src, b.tgt) for b in chinese.beads] == [((0,), (0,)), ((1,), (1,))]


def test_cache_embeds_only_what_changed(e5, tmp_path) -> None:
    cached = CachedEmbedder(e5.inner, EmbeddingCache(tmp_path / "c.sqlite"))
    texts = [pair[0] for pair in PAIRS.values()]
    first = cached.encode(texts)
    assert cached.last_misses == 5
    edited = [*texts[:2], "Der Sicherheitsrat tagte am 22. April zum Kosovo.", *texts[3:], texts[0]]
    second = cached.encode(edited)
    assert cached.last_misses == 1  # the edited sentence only; the repeat of texts[0] is a hit
    assert np.array_equal(second[0], first[0]) and np.array_equal(second[5], first[0])
    reopened = CachedEmbedder(e5.inner, EmbeddingCache(tmp_path / "c.sqlite"))
    reopened.encode(edited)
    assert reopened.last_misses == 0  # it is on disk, not only in memory


def test_any_sentence_transformers_folder_loads_by_path(e5_folder) -> None:
    embedder = load_embedder(str(e5_folder), use_cache=False)
    vectors = embedder.encode(["Hello world.", "Hallo Welt."])
    assert vectors.shape == (2, 384) and float(vectors[0] @ vectors[1]) > 0.8


def test_missing_hub_model_is_one_clear_error_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that is not on disk is one clear error, and nothing tries the network for it (no retry loop, no
    phoning home): every connection attempt is recorded and refused."""
    import socket

    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    with pytest.raises(ModelUnavailableError, match="--allow-download"):
        load_embedder("sentence-transformers/LaBSE", use_cache=False)
    assert attempts == []
