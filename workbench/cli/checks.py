"""Sub-command of spot-checking: ``workbench check``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.cli.common import clip, progress_bar
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.spot_check import CheckRun

EXIT_GATE_FAILED = 1  # the checks ran, and the findings exceed the limits set: pipelines stop here


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="spot-check a project's translation: numbers, untranslated text, names, length, glossary ...",
        description="Runs the automatic checks on every link of a project's target and prints a summary. With "
        "limits (--max-errors, --max-warnings, --max KIND=N) the exit status is 1 when they are exceeded, so a "
        "pipeline can stop on a bad translation; without any, it only reports.",
    )
    p.add_argument("name", help="the project")
    p.add_argument("--lang", dest="key", help="the target to check (default: every target)", metavar="KEY")
    p.add_argument("--glossary", type=Path, help="CSV of source term, target term (repeat a row for alternatives)")
    p.add_argument("--round-trip", action="store_true", help="back-translate offline and score chrF against the source")
    p.add_argument("--kinds", help="only these checks, comma-separated (default: all)")
    p.add_argument("--max-errors", type=int, metavar="N")
    p.add_argument("--max-warnings", type=int, metavar="N")
    p.add_argument("--max", dest="max_kind", action="append", default=[], metavar="KIND=N", help="a limit per kind")
    p.add_argument("--csv", type=Path, help="write every finding with its link's text to this CSV file")
    p.add_argument("--html", type=Path, help="write a self-contained HTML report to this file")
    p.add_argument("--show", type=int, default=20, help="findings to print (default 20; 0: none)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_check)


def _cmd_check(args: argparse.Namespace) -> int:
    from workbench.checks import load_glossary, summarize
    from workbench.paths import default_alignments_dir
    from workbench.projects import open_project
    from workbench.spot_check import check_target
    from workbench.workflows.checks import check_kinds, check_reports, quality_gate
    from workbench.writing import write_bytes_atomic

    project = open_project(args.name, default_alignments_dir())
    keys = [args.key] if args.key else list(project.targets)
    if not keys:
        raise WorkbenchError(f"project {args.name!r} has no targets to check.")
    kinds = check_kinds(args.kinds)
    per_kind = {}
    for item in args.max_kind:
        kind, _, number = item.partition("=")
        if not number.strip().isdigit():
            raise WorkbenchError(f"--max takes KIND=N with a check's name, e.g. numbers=0 (got {item!r}).")
        per_kind[kind] = int(number)
    gate = quality_gate(args.max_errors, args.max_warnings, per_kind)
    if len(keys) > 1 and (args.csv or args.html):
        raise WorkbenchError("--csv and --html write one target's report: pick it with --lang KEY.")
    all_passed = True
    for key in keys:
        target = project.target(key)
        glossary = load_glossary(args.glossary, project.source.lang, target.lang) if args.glossary else None
        update, close = progress_bar(args.quiet or not args.round_trip, f"back-translating {key}")
        try:
            run = check_target(project, key, glossary, round_trip=args.round_trip, progress=update, kinds=kinds)
        finally:
            close()
        summary, passed = summarize(run.findings, gate)
        all_passed &= passed or gate is None
        _print_run(project.name, run, summary, args.show)
        for note in run.notes:
            print(f"  note: {note}")
        if gate is not None:
            verdict = "PASSED" if passed else "FAILED: " + "; ".join(summary["violations"])
            print(f"  {verdict}")
        if args.csv or args.html:
            reports = check_reports(project, run, gate)
            for path, data in ((args.csv, reports.csv), (args.html, reports.html)):
                if path:
                    write_bytes_atomic(path, data)
                    print(f"  wrote {path}")
    return 0 if all_passed else EXIT_GATE_FAILED


def _print_run(name: str, run: CheckRun, summary: dict, show: int) -> None:
    from workbench.projects import link_number

    counts = summary["by_severity"]
    print(
        f"{name} {run.source_lang}->{run.target_key}: {len(run.units)} links, {summary['units_with_findings']} with "
        f"findings: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes"
        + (f" (round trip by {run.round_trip})" if run.round_trip else "")
    )
    for kind, by_severity in summary["by_kind"].items():
        parts = ", ".join(f"{n} {s}" for s, n in by_severity.items() if n)
        print(f"  {kind:16s} {parts}")
    order = {"error": 0, "warning": 1, "info": 2}
    for finding in sorted(run.findings, key=lambda f: (order[f.severity], f.unit_index))[: max(0, show)]:
        unit = run.units[finding.unit_index]
        print(f"  link {link_number(finding.unit_index):4d} {finding.severity:7s} {finding.kind}: {finding.message}")
        print(f"             {clip(unit.source, 90)}")
        print(f"             {clip(unit.target, 90)}")
    hidden = len(run.findings) - max(0, show)
    if hidden > 0:
        print(f"  ... and {hidden} more (--show N, --csv FILE or --html FILE for all)")
