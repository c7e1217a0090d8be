"""Sub-commands for corpora: ``workbench batch align`` and ``workbench batch check`` (thin over workbench.batch)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.errors import WorkbenchError


def register(sub: argparse._SubParsersAction) -> None:
    batch = sub.add_parser("batch", help="align many document pairs into one corpus folder (locally or on Ray)")
    commands = batch.add_subparsers(metavar="STEP")
    batch.set_defaults(handler=lambda _args: batch.print_help() or 0)

    p = commands.add_parser("align", help="align the pairs a manifest names; a rerun resumes where it stopped")
    p.add_argument("manifest", help="a .tsv (id, source, target, src_lang, tgt_lang) or .jsonl file, or a folder")
    p.add_argument("target_folder", nargs="?", help="with a folder of sources: the folder of their translations")
    p.add_argument("--out", required=True, type=Path, help="the corpus folder (made, or resumed if it exists)")
    p.add_argument("--src-lang", help="source language for rows (or folders) that name none")
    p.add_argument("--tgt-lang", help="target language for rows (or folders) that name none")
    p.add_argument("--presplit", action="store_true", help="the files hold one sentence a line, taken as given")
    p.add_argument("--no-refine", action="store_true", help="skip the pass that embeds spans around doubtful links")
    p.add_argument(
        "--embedder", default=None, help="e5-small (default), use, e5-small+use, or a sentence-transformers folder"
    )
    p.add_argument("--workers", type=int, default=1, help="local worker processes, each loading the model once")
    p.add_argument("--threads", type=int, default=None, help="threads a local worker uses (default: cores / workers)")
    p.add_argument(
        "--device",
        default=None,
        metavar="cpu|cuda|auto",
        help="where the model runs: cpu (local default), cuda or cuda:N, auto (a GPU where there is one; Ray's "
        "default: the cluster's GPUs)",
    )
    p.add_argument(
        "--ray",
        metavar="auto|ADDRESS",
        help="run on Ray: auto (a running cluster, else a local one) or a cluster address (pip install -e '.[ray]')",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_align)

    p = commands.add_parser("open", help="make one document of a corpus folder a project, to review in the app")
    p.add_argument("folder", type=Path)
    p.add_argument("id", help="the document's id (summary.tsv lists them, weakest first)")
    p.add_argument("--name", help="the project's name (default: the id)")
    p.set_defaults(handler=_cmd_open)

    p = commands.add_parser("update", help="put a reviewed project's links back into the corpus and its exports")
    p.add_argument("folder", type=Path)
    p.add_argument("id", help="the document's id")
    p.add_argument("--project", help="the reviewed project (default: the one batch open or the app made for it)")
    p.set_defaults(handler=_cmd_update)

    p = commands.add_parser("check", help="spot-check every document of a corpus folder; counts go to the summary")
    p.add_argument("folder", type=Path)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_check)


def _cmd_align(args: argparse.Namespace) -> int:
    from workbench.alignment.relatedness import RELATED_SHARE
    from workbench.batch import (
        BatchOptions,
        CorpusFolder,
        LocalExecutor,
        RayExecutor,
        mixed_routes,
        read_manifest,
        run_batch,
        unrelated_documents,
    )
    from workbench.cli.common import check_language
    from workbench.embedding import DEFAULT_EMBEDDER

    for code, option in ((args.src_lang, "--src-lang"), (args.tgt_lang, "--tgt-lang")):
        if code:
            check_language(code, option)
    if args.ray is not None and args.workers != 1:
        raise WorkbenchError("--workers is for local runs; on Ray the cluster's CPUs and GPUs decide.")
    if args.threads is not None and args.threads < 1:
        raise WorkbenchError("--threads must be at least 1.")
    if args.ray is not None:
        executor = RayExecutor(args.ray, device=args.device)
    else:
        executor = LocalExecutor(args.workers, args.threads, args.device)
    pairs = read_manifest(args.manifest, args.target_folder, src_lang=args.src_lang, tgt_lang=args.tgt_lang)
    options = BatchOptions(
        embedder=args.embedder or DEFAULT_EMBEDDER, presplit=args.presplit, refine=not args.no_refine
    )
    update, close = _progress(args.quiet)
    try:
        report = run_batch(pairs, args.out, executor, options, progress=update)
    finally:
        close()
    rate = report.sentences / report.wall_seconds if report.wall_seconds else 0.0
    print(
        f"{report.aligned} aligned, {report.skipped} already done, {len(report.failed)} failed "
        f"({report.sentences} sentences, {rate:.1f}/s on {executor.describe()})"
    )
    for doc_id, reason in report.failed:
        print(f"failed {doc_id}: {reason}")
    rows = CorpusFolder(args.out).summary()
    for doc_id, share in unrelated_documents(rows):
        print(
            f"not a translation? {doc_id}: only {share:.0%} of its links pair sentences more alike than chance "
            f"(a translation has {RELATED_SHARE:.0%} or more); check that its two files belong together"
        )
    note = mixed_routes(rows)
    if note:
        print(f"note: {note}")
    print(f"corpus: {args.out} (summary.tsv weakest first, links.jsonl, links.parquet, tmx/)")
    return 1 if report.failed else 0


def _cmd_check(args: argparse.Namespace) -> int:
    from workbench.batch import check_batch

    update, close = _bar(args.quiet, "checking", "doc")
    try:
        rows = check_batch(args.folder, progress=update)
    finally:
        close()
    checked = [r for r in rows if r["status"] == "ok"]
    errors = sum(int(r["errors"] or 0) for r in checked)
    warnings = sum(int(r["warnings"] or 0) for r in checked)
    print(f"{len(checked)} documents checked: {errors} errors, {warnings} warnings; summary: {args.folder}/summary.tsv")
    return 0


def _cmd_open(args: argparse.Namespace) -> int:
    from workbench.batch import open_document_project

    project = open_document_project(args.folder, args.id, args.name)
    [target] = project.targets.values()
    print(f"project {project.name}: {len(target.links)} links to review in workbench app (Open or Corpus page)")
    return 0


def _cmd_update(args: argparse.Namespace) -> int:
    from workbench.batch import update_from_project

    count = update_from_project(args.folder, args.id, args.project)
    print(f"{args.id}: {count} reviewed links back in {args.folder} (links, TMX, summary rebuilt)")
    return 0


def _progress(quiet: bool):
    """A bar over documents (tqdm's estimate of the time left) with the sentence rate and failures beside it."""
    if quiet:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=0, desc="aligning", unit="doc", file=sys.stderr)

    def update(state) -> None:
        bar.total = state.total
        bar.n = state.done
        bar.set_postfix(sentences=state.sentences, failed=state.failed, refresh=False)
        bar.refresh()

    return update, bar.close


def _bar(quiet: bool, desc: str, unit: str):
    from workbench.cli.common import progress_bar

    return progress_bar(quiet, desc, unit)
