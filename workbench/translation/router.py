"""Which engine translates which pair: the best route this machine has, or the one the user names.

Routes rank neural before rule-based and direct before pivot (neural direct > neural pivot > rule-based direct >
rule-based pivot); a pivot is a single intermediate language, English first, then Spanish (Apertium's hub for
French, Italian and Portuguese). Chaining steps from different engines is allowed (Bergamot pt->en, then an
Argos en->xx package) because each step only sees sentences. A user can pin an engine for a pair
(``workbench engines --pin en-pt=opus-mt``): the pinned engine's best route is used for that pair unless the
caller names an engine.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import ModelUnavailableError
from workbench.translation.base import NEURAL, EngineInfo, Progress, Suggestion, TranslationEngine
from workbench.translation.cache import TranslationCache

_PIVOT_PREFERENCE = ("en", "es")


@dataclass(frozen=True)
class Step:
    engine: TranslationEngine
    src: str
    tgt: str


@dataclass(frozen=True)
class Route:
    """One way to translate ``src`` -> ``tgt``: one step, or two through a pivot language."""

    src: str
    tgt: str
    steps: tuple[Step, ...]

    @property
    def kind(self) -> str:
        """'neural direct', 'neural pivot', 'rule-based', 'rule-based pivot' or 'mixed pivot'."""
        neural = [s.engine.kind == NEURAL for s in self.steps]
        shape = "direct" if len(self.steps) == 1 else "pivot"
        if all(neural):
            return f"neural {shape}"
        if not any(neural):
            return "rule-based" if shape == "direct" else "rule-based pivot"
        return "mixed pivot"

    @property
    def engines(self) -> list[str]:
        return [s.engine.name for s in self.steps]

    def infos(self) -> list[EngineInfo]:
        return [s.engine.info(s.src, s.tgt) for s in self.steps]

    def describe(self) -> str:
        """e.g. 'en->es->fr by apertium eng-spa, apertium es-fr (rule-based pivot)'."""
        path = "->".join([self.src, *(s.tgt for s in self.steps)])
        models = ", ".join(info.label() for info in self.infos())
        return f"{path} by {models} ({self.kind})"

    def translate(
        self, sentences: Sequence[str], progress: Progress | None = None, cache: TranslationCache | None = None
    ) -> list[str]:
        """Run the steps in turn; ``progress`` counts over all steps so a bar moves once from 0 to the end.

        With a ``cache``, each step translates only the sentences it has not translated before with that model.
        """
        texts = list(sentences)
        n = len(texts)
        total = n * len(self.steps)
        for k, step in enumerate(self.steps):
            offset = k * n
            info = step.engine.info(step.src, step.tgt)
            found = cache.get_many(info, step.src, step.tgt, texts) if cache else {}
            missing = [i for i in range(n) if i not in found]
            base = offset + len(found)

            def step_progress(done: int, _total: int, base: int = base) -> None:
                if progress:
                    progress(base + done, total)

            fresh = step.engine.translate([texts[i] for i in missing], step.src, step.tgt, progress=step_progress)
            if cache and missing:
                cache.put_many(info, step.src, step.tgt, [texts[i] for i in missing], fresh)
            by_position = dict(found) | dict(zip(missing, fresh, strict=True))
            texts = [by_position[i] for i in range(n)]
            if progress:
                progress(offset + n, total)
        return texts


class Router:
    """Routes over a set of engines; by default every engine this machine can run."""

    def __init__(
        self,
        engines: Sequence[TranslationEngine] | None = None,
        pins: Mapping[tuple[str, str], str] | None = None,
        models_dir: Path | None = None,
    ) -> None:
        """``engines`` None: every engine, with the models and pins in ``models_dir`` (default: the user's)."""
        if engines is None:
            from workbench.paths import default_models_dir
            from workbench.translation.installed import load_pins

            models_dir = models_dir if models_dir is not None else default_models_dir()
            engines = default_engines(models_dir=models_dir)
            pins = load_pins(models_dir) if pins is None else pins
        self.all_engines = list(engines)
        self.engines = [e for e in self.all_engines if e.unavailable_reason() is None]
        self.pins = dict(pins or {})

    def unavailable(self) -> list[tuple[str, str]]:
        """(engine, why) for engines that cannot run here."""
        return [(e.name, reason) for e in self.all_engines if (reason := e.unavailable_reason())]

    def candidates(self, src: str, tgt: str, engine: str | None = None) -> list[Route]:
        """Every route of at most two steps, best first."""
        if src == tgt:
            return []
        engines = [e for e in self.engines if engine is None or e.name == engine]
        edges = [(e, s, t) for e in engines for (s, t) in e.pairs()]
        routes = [Route(src, tgt, (Step(e, s, t),)) for e, s, t in edges if (s, t) == (src, tgt)]
        for e1, s1, pivot in edges:
            if s1 != src or pivot == tgt:
                continue
            for e2, s2, t2 in edges:
                if s2 == pivot and t2 == tgt:
                    routes.append(Route(src, tgt, (Step(e1, s1, pivot), Step(e2, pivot, tgt))))
        order = {e.name: k for k, e in enumerate(self.all_engines)}

        def rank(route: Route) -> tuple:
            rule_based = sum(s.engine.kind != NEURAL for s in route.steps)
            pivot = route.steps[0].tgt if len(route.steps) > 1 else ""
            pivot_rank = _PIVOT_PREFERENCE.index(pivot) if pivot in _PIVOT_PREFERENCE else len(_PIVOT_PREFERENCE)
            return (rule_based > 0, len(route.steps), rule_based, pivot_rank, [order[n] for n in route.engines])

        return sorted(routes, key=rank)

    def route(self, src: str, tgt: str, engine: str | None = None) -> Route:
        """The best route, or a :class:`ModelUnavailableError` naming what is missing and how to get it."""
        if src == tgt:
            raise ModelUnavailableError(f"source and target language are both {src}: nothing to translate.")
        if engine is not None and engine not in {e.name for e in self.all_engines}:
            names = ", ".join(e.name for e in self.all_engines)
            raise ModelUnavailableError(f"unknown engine {engine!r}; engines are: {names}.")
        pinned = engine is None and (src, tgt) in self.pins
        if pinned:
            engine = self.pins[(src, tgt)]
        found = self.candidates(src, tgt, engine)
        if found:
            return found[0]
        if pinned:
            raise ModelUnavailableError(
                f"{src}->{tgt} is pinned to {engine}, which cannot translate it here; unpin it with "
                f"`workbench engines --unpin {src}-{tgt}` (or the app's Models page) or install its model."
            )
        if engine is not None:
            reason = dict(self.unavailable()).get(engine)
            if reason:
                raise ModelUnavailableError(f"{engine} cannot translate {src}->{tgt}: {reason}")
            raise ModelUnavailableError(
                f"{engine} cannot translate {src}->{tgt} here (directly or through {'/'.join(_PIVOT_PREFERENCE)}). "
                f"{self.how_to_get(src, tgt)}"
            )
        raise ModelUnavailableError(
            f"no offline engine on this machine translates {src}->{tgt}. {self.how_to_get(src, tgt)}"
        )

    def available_pairs(self) -> dict[tuple[str, str], Route]:
        """Every pair this machine can translate, with its best route."""
        langs = sorted({code for e in self.engines for pair in e.pairs() for code in pair})
        table = {}
        for src in langs:
            for tgt in langs:
                if (src, tgt) in self.pins:
                    # A stale pin: the pair is listed as untranslatable until it is unpinned.
                    with contextlib.suppress(ModelUnavailableError):
                        table[(src, tgt)] = self.route(src, tgt)
                    continue
                routes = self.candidates(src, tgt)
                if routes:
                    table[(src, tgt)] = routes[0]
        return table

    def suggestions(self) -> list[Suggestion]:
        return [s for e in self.all_engines for s in e.suggestions()]

    def how_to_get(self, src: str, tgt: str) -> str:
        """One sentence on what to install for a pair."""
        tips = [
            f"install the Argos package translate-{src}_{tgt}: its .argosmodel file through the app's Models page "
            f"or `workbench engines --install FILE`, or with a network `workbench engines --download-argos "
            f"{src}-{tgt}`"
        ]
        for suggestion in self.suggestions():
            if suggestion.pairs and any(src in p and tgt in p for p in suggestion.pairs):
                tips.append(suggestion.how)
        return "To get it: " + "; or ".join(tips) + "."


def default_engines(threads: int = 2, models_dir: Path | None = None) -> list[TranslationEngine]:
    """Every engine the workbench knows, in order of preference among equals; ``models_dir`` holds the models
    a user installed (None: only what packages ship and argostranslate's own folder)."""
    from workbench.translation.apertium import ApertiumEngine
    from workbench.translation.argos import ArgosEngine
    from workbench.translation.bergamot import BergamotEngine
    from workbench.translation.opusmt import OpusMTEngine

    return [
        ArgosEngine(threads=threads),
        OpusMTEngine(models_dir, threads=threads),
        BergamotEngine(threads=threads, models_dir=models_dir),
        ApertiumEngine(),
    ]
