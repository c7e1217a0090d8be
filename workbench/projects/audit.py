"""A target's sampled audit, kept in the project file: which links were drawn, and the reviewer's verdicts.

The sample and the statistics come from :mod:`workbench.checks.audit`; the rows live in the store's schema
(:mod:`workbench.projects.store`, tables ``audit_samples`` and ``audit_items``), and this module says what they
mean. A verdict names its link by the link's sentence ids, not its position, so it stays with its link while
edits elsewhere shift positions; a link a reviewer has since changed (merged, split) no longer matches and its
verdict is shown as stale rather than moved onto another link. Judging a sample changes no link, so it neither
bumps the revision nor can be undone with the edits; removing a target takes its audit with it (and undoing
the removal brings it back).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from workbench.checks.audit import AUDIT_CATEGORIES, AuditSummary, AuditVerdict, audit_summary, draw_audit_sample
from workbench.errors import InputError
from workbench.projects.corpus import project_to_corpus
from workbench.projects.model import Link, Project, link_number
from workbench.projects.store import load_audit_rows, save_audit_sample, save_audit_verdict


@dataclass(frozen=True)
class AuditItem:
    link_key: str
    link_index: int | None  # None: the link has changed since it was drawn
    passed: bool | None
    category: str | None
    comment: str


@dataclass(frozen=True)
class Audit:
    target: str
    seed: int | None
    items: list[AuditItem]

    @property
    def verdicts(self) -> list[AuditVerdict]:
        """The verdicts given, each keyed by its link: two stale ones (index -1) are still two verdicts."""
        return [
            AuditVerdict(
                i.link_index if i.link_index is not None else -1, i.passed, i.category, i.comment, link=i.link_key
            )
            for i in self.items
            if i.passed is not None
        ]

    def summary(self) -> AuditSummary:
        return audit_summary(self.verdicts)


def link_key(link: Link) -> str:
    return " ".join(link.src) + "|" + " ".join(link.tgt)


def draw_sample(project: Project, target_key: str, n: int, seed: int | None = None) -> Audit:
    """Draw ``n`` links of a target (weighted towards low confidence) as a new sample, replacing any old one."""
    target = project.target(target_key)
    if n < 1:
        raise InputError("an audit sample needs at least one link.")
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    units = project_to_corpus(project, target_key, tag_variant=False).units
    indices = draw_audit_sample(units, min(n, len(units)), seed)
    save_audit_sample(project, target_key, seed, n, [link_key(target.links[k]) for k in indices])
    return load_audit(project, target_key)


def record_verdict(
    project: Project, target_key: str, link_index: int, passed: bool, category: str | None = None, comment: str = ""
) -> Audit:
    """The reviewer's verdict on one link of the sample (pass, or fail with a category)."""
    target = project.target(target_key)
    if not 0 <= link_index < len(target.links):
        raise InputError(f"target {target_key!r} has no link {link_number(link_index)}.")
    if category is not None and category not in AUDIT_CATEGORIES:
        raise InputError(f"unknown audit category {category!r}; use one of {', '.join(AUDIT_CATEGORIES)}.")
    if not save_audit_verdict(project, target_key, link_key(target.links[link_index]), passed, category, comment):
        raise InputError(
            f"link {link_number(link_index)} of {target_key!r} is not in the audit sample; draw a sample first."
        )
    return load_audit(project, target_key)


def load_audit(project: Project, target_key: str) -> Audit:
    """The target's sample and verdicts as saved (an empty audit if none was drawn)."""
    target = project.target(target_key)
    positions = {link_key(link): k for k, link in enumerate(target.links)}
    seed, rows = load_audit_rows(project, target_key)
    items = [AuditItem(r.link_key, positions.get(r.link_key), r.passed, r.category, r.comment) for r in rows]
    return Audit(target_key, seed, items)
