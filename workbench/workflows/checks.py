"""Spot-check a project's target and make its reports: what ``workbench check`` and the Spot-check page both do.

The checks themselves are :mod:`workbench.spot_check` and :mod:`workbench.checks`; here is what the two faces
composed each on their own: reading the checks' names and the limits people give, and the reports (a CSV of
every finding, a self-contained HTML page) as bytes under one naming rule, ``NAME.<key>.checks.csv`` and
``.html``. The CLI writes those bytes where it is told; the app offers them as downloads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.checks import CHECK_KINDS, QualityGate, findings_csv, render_html_report
from workbench.errors import InputError
from workbench.projects import Project
from workbench.spot_check import CheckRun


@dataclass(frozen=True)
class CheckReports:
    """A run's reports: the CSV and the HTML page, each with the file name it is offered or saved under."""

    csv: bytes
    csv_name: str
    html: bytes
    html_name: str


def check_kinds(names: str | Iterable[str] | None) -> list[str] | None:
    """The checks asked for (comma-separated or a list), each one the registry knows; None: every check."""
    if names is None:
        return None
    listed = names.split(",") if isinstance(names, str) else list(names)
    kinds = [k.strip() for k in listed if k.strip()]
    for kind in kinds:
        if kind not in CHECK_KINDS:
            raise InputError(f"unknown check {kind!r}; checks are: {', '.join(CHECK_KINDS)}.")
    return kinds or None


def quality_gate(
    max_errors: int | None = None, max_warnings: int | None = None, per_kind: Mapping[str, int] | None = None
) -> QualityGate | None:
    """The limits a run must keep to pass, or None when none is set (the checks then only report)."""
    per_kind = dict(per_kind or {})
    for kind, limit in per_kind.items():
        if kind not in CHECK_KINDS:
            raise InputError(f"unknown check {kind!r} in a limit; checks are: {', '.join(CHECK_KINDS)}.")
        if limit < 0:
            raise InputError(f"the limit for {kind!r} is {limit}; a limit is 0 or more.")
    if max_errors is None and max_warnings is None and not per_kind:
        return None
    return QualityGate(max_errors, max_warnings, None, per_kind)


def report_names(project: Project, key: str) -> tuple[str, str]:
    """The file names of a target's CSV and HTML reports, on every face."""
    return f"{project.name}.{key}.checks.csv", f"{project.name}.{key}.checks.html"


def check_reports(project: Project, run: CheckRun, gate: QualityGate | None = None) -> CheckReports:
    """The CSV and HTML reports of ``run`` (a target of ``project``); the HTML shows ``gate``'s verdict if given."""
    html = render_html_report(
        run.findings,
        run.units,
        source_lang=run.source_lang,
        target_lang=run.target_lang,
        title=f"{project.name}: {run.source_lang} -> {run.target_key}",
        gate=gate,
    )
    csv_name, html_name = report_names(project, run.target_key)
    return CheckReports(findings_csv(run.findings, run.units), csv_name, html.encode("utf-8"), html_name)


__all__ = ["CheckReports", "check_kinds", "check_reports", "quality_gate", "report_names"]
