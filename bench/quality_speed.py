"""Speed of the per-link quality signal (``spot_check.target_quality``) on a large project, as the app calls it
after every edit.

Run: ``.venv/bin/python -m bench.quality_speed [--links 5000] [--repeat 5]``. The project repeats the seed
article's sentences with their real Apertium en->es translation (one link a sentence, given as links, so no
model aligns), each with its number in brackets on both sides so that no two links are the same text: the checks
see real text, English words left in it included. Prints the time of a whole
``target_quality`` call cold (first call in the process: word lists and models load) and warm (median of
``--repeat``), with and without back-translations (the seed's Spanish translated back by Apertium, given as the
mapping the app keeps), then each check's share and the band counts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from workbench.alignment.beads import Bead
from workbench.checks import run_checks
from workbench.checks.quality import QUALITY_KINDS
from workbench.documents import document_from_text, load_document
from workbench.projects import add_target, create_project, edit_sentence, open_project, project_to_corpus
from workbench.spot_check import target_quality
from workbench.translation.cache import TranslationCache
from workbench.translation.router import Router


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall seconds of ``repeat`` calls, and the last result; the CPU seconds go to :data:`CPU`."""
    runs, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU.append(statistics.median(cpu))
    return statistics.median(runs), result


# The CPU seconds of each timed call, in order: on a machine shared with other work the wall time waits for the
# CPU, and this process's own CPU time says what an idle machine would take.
CPU: list[float] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--links", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    seed = load_document("kosovo-dialogue").sentence_texts()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cache = TranslationCache(root / "translations.sqlite")
        router = Router()
        spanish = router.route("en", "es").translate(seed, cache=cache)
        back = router.route("es", "en").translate(spanish, cache=cache)
        n = args.links
        # A number a line makes every text distinct, as a real document's are: no cache gets a free ride.
        source_lines = [f"{seed[k % len(seed)]} ({k})" for k in range(n)]
        target_lines = [f"{spanish[k % len(seed)]} ({k})" for k in range(n)]
        backs = [f"{back[k % len(seed)]} ({k})" for k in range(n)]
        source = document_from_text("\n".join(source_lines), "en", name="bench", presplit=True)
        target = document_from_text("\n".join(target_lines), "es", name="bench.es", presplit=True)
        project = create_project("bench", source, root)
        add_target(project, target, "es", beads=[Bead((k,), (k,), 0.85) for k in range(n)])
        project = open_project("bench", root)
        mapping = dict(zip(target_lines, backs, strict=True))
        print(f"{n} links, en->es by {router.route('en', 'es').describe()}", file=sys.stderr)

        cold, _ = timed(lambda: target_quality(project, "es"), 1)
        warm, quality = timed(lambda: target_quality(project, "es"), args.repeat)
        cold_rt, _ = timed(lambda: target_quality(project, "es", back_translations=mapping), 1)
        warm_rt, _ = timed(lambda: target_quality(project, "es", back_translations=mapping), args.repeat)
        middle = project.target("es").side.sentences[n // 2]
        edit_sentence(project, "es", middle.id, middle.text + " Editado.")
        after_edit, _ = timed(lambda: target_quality(project, "es", back_translations=mapping), 1)
        corpus, units = timed(lambda: project_to_corpus(project, "es").units, args.repeat)
        per_kind = {
            kind: timed(lambda kind=kind: run_checks(units, "en", "es", kinds=[kind]), args.repeat)[0]
            for kind in QUALITY_KINDS
            if kind != "round_trip"
        }
        backs = [mapping.get(u.target) for u in units]
        per_kind["round_trip"] = timed(
            lambda: run_checks(units, "en", "es", kinds=["round_trip"], back_translations=backs), args.repeat
        )[0]

    cpu = [f"{seconds * 1000:.0f}" for seconds in CPU[:6]]
    print(f"target_quality, {n} links, wall (CPU) ms:")
    print(f"  cold {cold * 1000:.0f} ({cpu[0]}), warm {warm * 1000:.0f} ({cpu[1]}, median of {args.repeat})")
    print(f"  with back-translations: cold {cold_rt * 1000:.0f} ({cpu[2]}), warm {warm_rt * 1000:.0f} ({cpu[3]})")
    print(f"  after an edit (one link's text new): {after_edit * 1000:.0f} ({cpu[4]})")
    print(f"  of which project_to_corpus: {corpus * 1000:.0f} ({cpu[5]}); each check, warm:")
    for kind, seconds in sorted(per_kind.items(), key=lambda item: -item[1]):
        print(f"    {kind}: {seconds * 1000:.0f} ms")
    print("  bands:", dict(Counter(q.band for q in quality)))  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
