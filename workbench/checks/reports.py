"""Findings for people and for scripts: a CSV, a self-contained HTML page, and a pass/fail summary.

The HTML report carries its own style and no scripts or external assets, so it can be mailed or archived as one
file; every piece of text in it (sentences, messages, details) is escaped.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from workbench.checks.base import SEVERITIES, Finding
from workbench.checks.runner import CHECK_KINDS
from workbench.formats.units import TranslationUnit
from workbench.projects.model import link_number
from workbench.writing import write_bytes_atomic

CSV_COLUMNS = (
    "unit_index",  # 0-based, for scripts
    "link",  # the link's number as people see it in the project (from 1)
    "kind",
    "severity",
    "message",
    "source",
    "target",
    "source_ids",
    "target_ids",
    "confidence",
    "details",
)


@dataclass(frozen=True)
class QualityGate:
    """Limits a document must stay within to pass: ``None`` means no limit."""

    max_errors: int | None = 0
    max_warnings: int | None = None
    max_infos: int | None = None
    max_per_kind: Mapping[str, int] = field(default_factory=dict)


def summarize(findings: Sequence[Finding], thresholds: QualityGate | None = None) -> tuple[dict[str, Any], bool]:
    """Counts by severity and kind, and whether they stay within ``thresholds`` (default: no errors).

    The summary's ``violations`` says in words which limits were exceeded, for a command line to print.
    """
    gate = thresholds or QualityGate()
    by_severity = Counter(f.severity for f in findings)
    # Registered kinds in the registry's order, then any others a caller made up, in order of appearance.
    order = {kind: position for position, kind in enumerate(CHECK_KINDS)}
    by_kind: dict[str, dict[str, int]] = {}
    for finding in sorted(findings, key=lambda f: order.get(f.kind, len(order))):
        counts = by_kind.setdefault(finding.kind, dict.fromkeys(SEVERITIES, 0))
        counts[finding.severity] += 1
    violations = []
    for severity, limit in zip(SEVERITIES, (gate.max_errors, gate.max_warnings, gate.max_infos), strict=True):
        if limit is not None and by_severity[severity] > limit:
            violations.append(f"{by_severity[severity]} {severity}s (at most {limit} allowed)")
    for kind, limit in gate.max_per_kind.items():
        count = sum(by_kind.get(kind, {}).values())
        if count > limit:
            violations.append(f"{count} {kind} findings (at most {limit} allowed)")
    passed = not violations
    summary = {
        "total": len(findings),
        "by_severity": {s: by_severity[s] for s in SEVERITIES},
        "by_kind": by_kind,
        "units_with_findings": len({f.unit_index for f in findings}),
        "violations": violations,
        "passed": passed,
    }
    return summary, passed


def findings_to_csv(findings: Sequence[Finding], units: Sequence[TranslationUnit], path: str | Path) -> Path:
    """Write :func:`findings_csv` to ``path`` (atomically: a reader never sees half a report). Returns the path."""
    path = Path(path)
    write_bytes_atomic(path, findings_csv(findings, units))
    return path


def findings_csv(findings: Sequence[Finding], units: Sequence[TranslationUnit]) -> bytes:
    """One row per finding with its link's text, as UTF-8 CSV bytes; ``details`` is a JSON object."""
    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(CSV_COLUMNS)
    for finding in findings:
        unit = units[finding.unit_index]
        writer.writerow(
            (
                finding.unit_index,
                link_number(finding.unit_index),
                finding.kind,
                finding.severity,
                finding.message,
                unit.source,
                unit.target,
                " ".join(unit.source_ids),
                " ".join(unit.target_ids),
                "" if unit.confidence is None else f"{unit.confidence:.4f}",
                json.dumps(finding.details, ensure_ascii=False, sort_keys=True),
            )
        )
    return handle.getvalue().encode("utf-8")


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5rem; }
th, td { border: 1px solid #ccc; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.error { color: #a00; font-weight: bold; } .warning { color: #a60; } .info { color: #357; }
.finding { border: 1px solid #ddd; border-left: 4px solid #999; padding: .5rem .8rem; margin: .6rem 0; }
.finding.sev-error { border-left-color: #c00; } .finding.sev-warning { border-left-color: #e90; }
.finding.sev-info { border-left-color: #58a; }
.finding .text { font-weight: normal; color: #222; margin: .2rem 0; }
.finding .label { color: #666; font-size: .85em; display: inline-block; width: 4.5rem; }
.details { color: #555; font-size: .85em; font-family: monospace; }
.passed { color: #070; } .failed { color: #a00; }
"""


def render_html_report(
    findings: Sequence[Finding],
    units: Sequence[TranslationUnit],
    *,
    source_lang: str = "",
    target_lang: str = "",
    title: str = "Translation check report",
    gate: QualityGate | None = None,
) -> str:
    """A self-contained HTML page: the summary by kind and severity, then each finding with its link's text."""
    summary, passed = summarize(findings, gate)
    e = escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
    ]
    if source_lang or target_lang:
        parts.append(f"<p>Languages: {e(source_lang)} → {e(target_lang)}; {len(units)} links checked.</p>")
    verdict = "passed" if passed else "failed"
    parts.append(f'<p class="{verdict}">Result: {verdict}')
    if summary["violations"]:
        parts.append(" — " + e("; ".join(summary["violations"])))
    parts.append("</p>")
    parts.append("<h2>Summary</h2><table><tr><th>Check</th><th>What it looks for</th>")
    parts.extend(f'<th class="{s}">{s}</th>' for s in SEVERITIES)
    parts.append("</tr>")
    for kind, counts in summary["by_kind"].items():
        description = CHECK_KINDS[kind].description if kind in CHECK_KINDS else ""
        parts.append(f"<tr><td>{e(kind)}</td><td>{e(description)}</td>")
        parts.extend(f"<td>{counts[s]}</td>" for s in SEVERITIES)
        parts.append("</tr>")
    parts.append('<tr><th colspan="2">Total</th>')
    parts.extend(f"<th>{summary['by_severity'][s]}</th>" for s in SEVERITIES)
    parts.append("</tr></table>")
    parts.append(f"<h2>Findings ({len(findings)})</h2>")
    if not findings:
        parts.append("<p>No findings.</p>")
    for finding in findings:
        unit = units[finding.unit_index]
        severity = finding.severity if finding.severity in SEVERITIES else "info"
        details = json.dumps(finding.details, ensure_ascii=False, sort_keys=True)
        ids = " ".join((*unit.source_ids, *unit.target_ids))
        where = f"link {link_number(finding.unit_index)}" + (f" ({ids})" if ids else "")
        parts.append(
            f'<div class="finding sev-{severity}"><div><span class="{severity}">{e(finding.severity)}</span> '
            f"· {e(finding.kind)} · {e(where)}</div>"
            f"<div>{e(finding.message)}</div>"
            f'<div class="text"><span class="label">source</span>{e(unit.source) or "<em>(none)</em>"}</div>'
            f'<div class="text"><span class="label">target</span>{e(unit.target) or "<em>(none)</em>"}</div>'
            f'<div class="details">{e(details)}</div></div>'
        )
    parts.append("</body></html>")
    return "\n".join(parts)
