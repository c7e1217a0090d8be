"""One interface for every offline translation engine.

An engine translates a batch of pre-segmented sentences for one language pair it supports directly and says
what it used; routing through a pivot language is the router's job (:mod:`workbench.translation.router`), so an
engine never guesses. Languages are ISO 639-1 codes throughout; engines map them to their own names.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Progress = Callable[[int, int], None]
"""``progress(done, total)``: sentences translated so far in the current call."""

NEURAL = "neural"
RULE_BASED = "rule-based"


@dataclass(frozen=True)
class EngineInfo:
    """What produced a translation: recorded with every translated document and in the cache key."""

    engine: str
    model: str
    version: str

    def label(self) -> str:
        return f"{self.engine} {self.model} {self.version}".strip()


@dataclass(frozen=True)
class Suggestion:
    """Something a user could install to translate more pairs, and how."""

    engine: str
    pairs: tuple[tuple[str, str], ...]
    how: str


class TranslationEngine(ABC):
    """A translation engine available on this machine (or not: :meth:`unavailable_reason` says why)."""

    name: str
    kind: str  # NEURAL or RULE_BASED

    @abstractmethod
    def unavailable_reason(self) -> str | None:
        """None when the engine can run here, else one sentence saying what is missing and how to get it."""

    @abstractmethod
    def pairs(self) -> list[tuple[str, str]]:
        """Language pairs this engine translates directly (no pivot), as (source, target) ISO 639-1 codes."""

    @abstractmethod
    def info(self, src: str, tgt: str) -> EngineInfo:
        """The model that translates ``src`` -> ``tgt`` and its version."""

    @abstractmethod
    def translate(self, sentences: Sequence[str], src: str, tgt: str, progress: Progress | None = None) -> list[str]:
        """One translation a sentence, in order. Sentences are translated as given, never re-split."""

    def suggestions(self) -> list[Suggestion]:
        """Pairs this engine could translate after an install; empty when it cannot tell."""
        return []


def check_pair(engine: TranslationEngine, src: str, tgt: str) -> None:
    """Raise a clear error when ``engine`` has no direct model for the pair."""
    from workbench.errors import ModelUnavailableError

    if (src, tgt) not in engine.pairs():
        raise ModelUnavailableError(f"{engine.name} has no {src}->{tgt} model installed.")


def in_length_batches(
    sentences: Sequence[str],
    batch_size: int,
    translate_batch: Callable[[list[str]], list[str]],
    progress: Progress | None = None,
) -> list[str]:
    """Translate ``sentences`` ``batch_size`` at a time through ``translate_batch`` (texts in, translations out),
    shortest first since sentences of similar lengths batch well, with runs of whitespace made one space; an empty
    sentence stays empty. ``progress`` hears of each batch. The CTranslate2 engines (Argos, OPUS-MT) share it."""
    texts = [" ".join(s.split()) for s in sentences]
    out = [""] * len(texts)
    todo = sorted((k for k, t in enumerate(texts) if t), key=lambda k: len(texts[k]))
    done = len(texts) - len(todo)
    for start in range(0, len(todo), batch_size):
        chunk = todo[start : start + batch_size]
        for k, value in zip(chunk, translate_batch([texts[k] for k in chunk]), strict=True):
            out[k] = value
        done += len(chunk)
        if progress:
            progress(done, len(texts))
    if progress and not todo:
        progress(len(texts), len(texts))
    return out
