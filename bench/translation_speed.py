"""Translation speed: sentences per second of each engine on the seed article, and Argos batched vs per sentence.

Run: ``.venv/bin/python -m bench.translation_speed``. No cache is used. Engines:
  bergamot  en->pt and pt->en (Firefox Translations tiny models, 2 threads)
  apertium  en->es, and en->fr through Spanish (one process a batch)
  argos     a tiny real copy package built by bench/tiny_argos.py (no real Argos model can be had offline here):
            the workbench's batched CTranslate2 call against a naive loop of
            ``argostranslate.translate.translate`` per sentence, same package, same beam size (4), same threads.
The article is short (27 sentences), so each figure is the best of ``--repeat`` runs over the article repeated
``--copies`` times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed_sentences(copies: int) -> list[str]:
    from workbench.documents import load_document

    return load_document("kosovo-dialogue").sentence_texts() * copies


def best_rate(fn, n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return n / best


def engines(copies: int, repeat: int) -> None:
    from workbench.translation.apertium import ApertiumEngine
    from workbench.translation.bergamot import BergamotEngine
    from workbench.translation.router import Router

    sentences = seed_sentences(copies)
    bergamot, apertium = BergamotEngine(threads=2), ApertiumEngine()
    router = Router([bergamot, apertium])
    pt = bergamot.translate(sentences, "en", "pt")  # also warms the model up
    rows = [
        ("bergamot en->pt", lambda: bergamot.translate(sentences, "en", "pt")),
        ("bergamot pt->en", lambda: bergamot.translate(pt, "pt", "en")),
        ("apertium en->es", lambda: apertium.translate(sentences, "en", "es")),
        ("apertium en->es->fr", lambda: router.route("en", "fr").translate(sentences)),
    ]
    for name, fn in rows:
        print(f"{name:24s} {best_rate(fn, len(sentences), repeat):8.1f} sentences/s  ({len(sentences)} sentences)")


def argos_child(copies: int, repeat: int, packages: Path) -> None:
    """Runs in a subprocess whose argostranslate folders are isolated (see bench/tiny_argos.argos_env)."""
    import argostranslate.translate

    from workbench.translation.argos import ArgosEngine

    sentences = seed_sentences(copies)
    engine = ArgosEngine(packages_dir=packages, threads=2, beam_size=4)
    engine.translate(sentences[:4], "en", "es")
    argostranslate.translate.translate(sentences[0], "en", "es")  # warm: loads stanza/MiniSBD, the model
    batched = best_rate(lambda: engine.translate(sentences, "en", "es"), len(sentences), repeat)
    naive = best_rate(
        lambda: [argostranslate.translate.translate(s, "en", "es") for s in sentences], len(sentences), repeat
    )
    ours = engine.translate(sentences, "en", "es")
    theirs = [argostranslate.translate.translate(s, "en", "es") for s in sentences]
    same = sum(a == b for a, b in zip(ours, theirs, strict=True))
    print(f"{'argos batched (ours)':24s} {batched:8.1f} sentences/s  (tiny copy package en->es)")
    print(
        f"{'argos translate() loop':24s} {naive:8.1f} sentences/s  (ours/loop {batched / naive:.2f}x; "
        f"same output for {same}/{len(ours)} sentences)"
    )


def argos(copies: int, repeat: int) -> None:
    from bench.tiny_argos import argos_env, build_copy_argosmodel

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        model = build_copy_argosmodel(root / "build", "en", "es")
        env = argos_env(root / "argos", base=os.environ)
        install = "import sys, argostranslate.package as p; p.install_from_path(sys.argv[1])"
        subprocess.run([sys.executable, "-c", install, str(model)], env=env, check=True)
        child = [sys.executable, "-m", "bench.translation_speed", "--argos-child", str(root / "argos" / "packages")]
        args = [*child, "--copies", str(copies), "--repeat", str(repeat)]
        subprocess.run(args, env=env, check=True, cwd=ROOT)  # from the root, where the bench package is


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=4, help="article repetitions (27 sentences each)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--argos-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.argos_child:
        argos_child(args.copies, args.repeat, args.argos_child)
        return
    engines(args.copies, args.repeat)
    argos(args.copies, args.repeat)


if __name__ == "__main__":
    main()
