"""Automatic spot-checks of a translation, link by link, and the sampled audit of a document.

Checks take :class:`~workbench.formats.units.TranslationUnit` s (a document's links as text, in order) and the two
language codes, and return :class:`Finding` s; they know nothing of projects or the app. One module a check family
(``numbers``, ``names``, ``punctuation`` ...), registered in :data:`CHECK_KINDS`; ``reports`` turns findings into
CSV, HTML and a pass/fail summary; ``audit`` draws and summarises a reviewer's sample; ``quality`` turns findings
and round-trip chrF into a per-link quality score and band for the review screen.
"""

from workbench.checks.audit import (
    AUDIT_CATEGORIES,
    AuditSummary,
    AuditVerdict,
    audit_summary,
    draw_audit_sample,
    wilson_interval,
)
from workbench.checks.base import SEVERITIES, CheckContext, CheckKind, CheckThresholds, Finding, GlossaryEntry
from workbench.checks.glossary import glossary_from_bytes, glossary_from_pairs, load_glossary
from workbench.checks.quality import QUALITY_KINDS, LinkQuality, link_quality
from workbench.checks.reports import QualityGate, findings_csv, findings_to_csv, render_html_report, summarize
from workbench.checks.round_trip import link_chrf, round_trip_scores
from workbench.checks.runner import CHECK_KINDS, run_checks
from workbench.checks.variant import detect_variant

__all__ = [
    "AUDIT_CATEGORIES",
    "CHECK_KINDS",
    "QUALITY_KINDS",
    "SEVERITIES",
    "AuditSummary",
    "AuditVerdict",
    "CheckContext",
    "CheckKind",
    "CheckThresholds",
    "Finding",
    "GlossaryEntry",
    "LinkQuality",
    "QualityGate",
    "audit_summary",
    "detect_variant",
    "draw_audit_sample",
    "findings_csv",
    "findings_to_csv",
    "glossary_from_bytes",
    "glossary_from_pairs",
    "link_chrf",
    "link_quality",
    "load_glossary",
    "render_html_report",
    "round_trip_scores",
    "run_checks",
    "summarize",
    "wilson_interval",
]
