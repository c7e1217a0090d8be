"""The alignment estimate and the progress that follows it: real model, real cache, real alignments.

Rates are given where a test compares estimates (a measured rate would make the comparison depend on the machine's
load); the measurement itself is checked for what it leaves behind, never for how long it took.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.alignment import align_sentences
from workbench.alignment.estimate import (
    ALIGNING,
    EMBEDDING,
    REFINING,
    AlignmentProgress,
    embedding_counts,
    estimate_alignment,
    format_duration,
    measure_rate,
    texts_to_embed,
)
from workbench.documents import load_document
from workbench.embedding.cache import CachedEmbedder, EmbeddingCache

SRC = load_document("kosovo-dialogue").sentence_texts()
TGT = load_document("kosovo-dialogue.de").sentence_texts()


@pytest.fixture
def cold(e5: CachedEmbedder, tmp_path: Path) -> CachedEmbedder:
    """The default model behind an empty cache of this test's own."""
    return CachedEmbedder(e5.inner, EmbeddingCache(tmp_path / "embeddings.sqlite"))


def test_larger_inputs_take_longer(cold: CachedEmbedder) -> None:
    small = estimate_alignment(SRC[:10], TGT[:10], cold, rate=5_000.0)
    large = estimate_alignment(SRC, TGT, cold, rate=5_000.0)
    assert (small.to_embed, large.to_embed) == (20, len(set(SRC)) + len(set(TGT)))
    assert 0 < small.seconds < large.seconds
    assert small.embed_seconds < large.embed_seconds and small.align_seconds < large.align_seconds
    # Longer sentences cost more at the same count.
    doubled = estimate_alignment([s + " " + s for s in SRC[:10]], TGT[:10], cold, rate=5_000.0)
    assert doubled.seconds > small.seconds
    # Without the second pass there is less to do.
    assert estimate_alignment(SRC, TGT, cold, rate=5_000.0, refine=False).seconds < large.seconds
    assert "about" in large.describe() and "given" in large.describe()


def test_what_the_cache_holds_costs_nothing(cold: CachedEmbedder) -> None:
    before = estimate_alignment(SRC, TGT, cold, rate=5_000.0)
    cold.encode(SRC)  # as a previous alignment would have left them
    after = estimate_alignment(SRC, TGT, cold, rate=5_000.0)
    assert after.to_embed == before.to_embed - len(set(SRC))
    assert after.seconds < before.seconds and after.chars_to_embed == sum(len(t) for t in set(TGT))
    assert f"{len(SRC)} already in the cache" in after.describe()
    cold.encode(TGT)
    assert estimate_alignment(SRC, TGT, cold, rate=5_000.0).embed_seconds == 0.0


def test_a_translation_to_come_counts_as_the_source(cold: CachedEmbedder) -> None:
    """tgt=None: a translation not made yet, as many sentences as the source and as long, none cached."""
    cold.encode(SRC)
    coming = estimate_alignment(SRC, None, cold, rate=5_000.0)
    assert (coming.sentences, coming.to_embed) == (2 * len(SRC), len(SRC))
    assert coming.chars_to_embed == sum(len(s) for s in SRC)


def test_measuring_the_rate_keeps_the_sample_in_the_cache(cold: CachedEmbedder) -> None:
    sample = SRC[:5]
    rate = measure_rate(cold, sample)
    assert rate > 0
    assert texts_to_embed(cold, SRC) == SRC[5:]  # nothing embedded for the measurement is embedded again
    estimate = estimate_alignment(SRC, TGT, cold)  # the rate just measured is this process's observed rate
    assert estimate.rate_source == "observed" and estimate.to_embed == len(SRC) - 5 + len(TGT)


def test_a_shuffled_copy_is_embedded_once(cold: CachedEmbedder) -> None:
    shuffled = SRC[::-1]
    assert embedding_counts(cold, SRC, shuffled) == (len(SRC), 0)
    assert estimate_alignment(SRC, shuffled, cold, rate=5_000.0).to_embed == len(SRC)


def test_progress_follows_a_real_alignment_to_the_end(cold: CachedEmbedder) -> None:
    estimate = estimate_alignment(SRC, TGT, cold, rate=5_000.0)
    seen: list[tuple[str, int, int, float]] = []
    tracker = AlignmentProgress(estimate, cold.name)
    tracker.on_change = lambda t: seen.append((t.stage, t.done, t.total, t.fraction))
    alignment = align_sentences(SRC, TGT, cold, stages=tracker)
    assert alignment.beads
    stages = [stage for stage, *_ in seen]
    assert stages[0] == EMBEDDING and stages[-1] == REFINING and ALIGNING in stages
    # Stages come in order, each once; fractions never go back; the end is the whole job.
    assert sorted(dict.fromkeys(stages), key=[EMBEDDING, ALIGNING, REFINING].index) == list(dict.fromkeys(stages))
    fractions = [f for *_, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    embedded = [(done, total) for stage, done, total, _ in seen if stage == EMBEDDING]
    assert embedded[0] == (0, estimate.to_embed) and embedded[-1] == (estimate.to_embed, estimate.to_embed)
    assert [done for stage, done, _, _ in seen if stage == ALIGNING] == [0, 1, 2, 3]
    assert seen[-1][1] == seen[-1][2] == alignment.signature["span_texts_embedded"]
    assert "almost done" in tracker.describe()


def test_time_left_follows_the_speed_seen(e5: CachedEmbedder) -> None:
    """A clock of the test's own: the job runs twice as slow as estimated, and the time left says so."""
    now = [0.0]
    # The model without its cache embeds every text it is given: 20 texts of 100 characters, 20 s at 100/s.
    estimate = estimate_alignment(["a" * 100] * 10, ["b" * 100] * 10, e5.inner, rate=100.0, refine=False)
    assert estimate.to_embed == 20 and estimate.embed_seconds == pytest.approx(20.0)
    tracker = AlignmentProgress(estimate, clock=lambda: now[0])
    assert tracker.seconds_left == pytest.approx(estimate.seconds)
    tracker(EMBEDDING, 0, 20)
    now[0] = 20.0  # half the embedding (10 s estimated) took 20 s
    tracker(EMBEDDING, 10, 20)
    assert tracker.fraction == pytest.approx(10.0 / estimate.seconds)
    assert tracker.seconds_left == pytest.approx(2 * (estimate.seconds - 10.0))
    now[0] = 45.0
    tracker(REFINING, 40, 40)  # the second pass says how many span texts it embeds, then is done
    assert tracker.fraction == 1.0 and tracker.seconds_left == 0.0


def test_durations_read_as_people_say_them() -> None:
    assert [format_duration(s) for s in (0.2, 8, 250, 1500, 11_000)] == [
        "under a second",
        "8 s",
        "4 min 10 s",
        "25 min",
        "3 h 3 min",
    ]


def test_a_chinese_pair_is_estimated_with_the_models_that_read_it(cold: CachedEmbedder, tmp_path: Path) -> None:
    """The default reads a Chinese side with USE beside it, cached under the pair's name: the add-target workflow
    hands its hook that reader, so an estimate made with it after the alignment finds every sentence cached (through
    e5 alone it found none, and a realign of a second was announced as a long job)."""
    from workbench.documents import document_from_text
    from workbench.projects import create_project
    from workbench.workflows.translation import add_translation

    zh = "安理会于4月22日就科索沃问题举行了会议。\n我的猫睡在温暖的窗台上。"
    en = "The Security Council held a meeting on Kosovo on April 22.\nMy cat sleeps on the warm windowsill."
    project = create_project("zh", document_from_text(zh, "zh", presplit=True), tmp_path / "projects")
    readers = []

    def on_align(label, src, tgt, reader):
        readers.append(reader)
        return None, lambda: None

    target = add_translation(project, document_from_text(en, "en", presplit=True), cold, on_align=on_align)
    (reader,) = readers
    assert reader.name == cold.for_languages("zh", "en").name == target.signature["embedder"] != cold.name
    src, tgt = project.source.texts(), project.target(target.key).side.texts()
    assert estimate_alignment(src, tgt, reader, rate=5_000.0).to_embed == 0
    assert estimate_alignment(src, tgt, cold, rate=5_000.0).to_embed == 4  # e5's own entries hold none of them
