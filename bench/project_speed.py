"""Project persistence speed: save and load a 20,000-link project, and one edit plus its save.

Run: ``.venv/bin/python -m bench.project_speed [--links 20000]``. The project is built from generated sentences
(10 a paragraph) with 1-1 links given as beads, so no model runs: this measures the store, not the aligner.
Timings are wall seconds, median of ``--repeat`` runs, in a temporary folder on this machine's disk.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from workbench.alignment.beads import Bead
from workbench.documents import document_from_text
from workbench.projects import (
    add_target,
    confirm,
    create_project,
    edit_sentence,
    list_projects,
    merge_links,
    open_project,
    undo,
)


def text(n: int, lang_word: str) -> str:
    paragraphs = []
    for p in range(0, n, 10):
        paragraphs.append(
            " ".join(
                f"{lang_word} {k} tells of item {k * 7 % 1000} and place {k % 97}." for k in range(p, min(n, p + 10))
            )
        )
    return "\n\n".join(paragraphs)


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--links", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n = args.links
    started = time.perf_counter()
    source = document_from_text(text(n, "Sentence"), "en", name="bench")
    target = document_from_text(text(n, "Satz"), "de", name="bench.de")
    assert len(source.sentences) == n == len(target.sentences), "generated text must segment one a sentence"
    print(f"{n} sentences a side segmented in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        project = create_project("bench", source, root)
        created = time.perf_counter() - started
        started = time.perf_counter()
        add_target(project, target, "de", beads=[Bead((k,), (k,), 0.9) for k in range(n)])
        added = time.perf_counter() - started
        size = (root / "bench" / "project.sqlite").stat().st_size
        load = timed(lambda: open_project("bench", root), args.repeat)
        listing = timed(lambda: list_projects(root), args.repeat)
        project = open_project("bench", root)
        middle = project.target("de").side.sentences[n // 2].id
        counter = iter(range(10**6))
        edit = timed(lambda: edit_sentence(project, "de", middle, f"Satz bearbeitet {next(counter)}."), args.repeat)
        conf = timed(lambda: confirm(project, "de", n // 3), 1)
        merge = timed(lambda: merge_links(project, "de", 10, 11), 1)
        undo_time = timed(lambda: undo(project), 1)
    rows = [
        ("create project (source side saved)", created),
        (f"add a target of {n} links (saved)", added),
        ("open (load) the project", load),
        ("list projects (includes an integrity check)", listing),
        ("edit one sentence + save", edit),
        ("confirm one link + save", conf),
        ("merge two links + save", merge),
        ("undo + save", undo_time),
    ]
    print(f"project file: {size / 1e6:.1f} MB, {n} links, {2 * n} sentences")
    for name, seconds in rows:
        print(f"{name:46s} {seconds * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
