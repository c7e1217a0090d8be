"""A target's sampled audit, kept in the project file: which links were drawn, and the reviewer's verdicts.

The sample and the statistics come from :mod:`workbench.checks.audit`; this module only stores them. A verdict
names its link by the link's sentence ids, not its position, so it stays with its link while edits elsewhere
shift positions; a link a reviewer has since changed (merged, split) no longer matches and its verdict is shown
as stale rather than moved onto another link. Verdicts are their own table outside the edit history: judging a
sample changes no link, so it neither bumps the revision nor can be undone with the edits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from workbench.checks.audit import AUDIT_CATEGORIES, AuditSummary, AuditVerdict, audit_summary, draw_audit_sample
from workbench.errors import InputError
from workbench.projects.corpus import project_to_corpus
from workbench.projects.model import Link, Project, link_number, utc_now
from workbench.projects.store import _connection

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_samples (
    target TEXT PRIMARY KEY,
    seed INTEGER NOT NULL,
    size INTEGER NOT NULL,
    drawn TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_items (
    target TEXT NOT NULL,
    link_key TEXT NOT NULL,             -- the link's source ids, '|', its target ids
    position INTEGER NOT NULL,          -- order in the sample
    passed INTEGER,                     -- NULL: drawn, not judged yet
    category TEXT,
    comment TEXT NOT NULL DEFAULT '',
    judged TEXT,
    PRIMARY KEY (target, link_key)
);
"""


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
        return [
            AuditVerdict(i.link_index if i.link_index is not None else -1, i.passed, i.category, i.comment)
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
    units = project_to_corpus(project, target_key).units
    indices = draw_audit_sample(units, min(n, len(units)), seed)
    with _connection(project.name, project.path) as db:
        db.executescript(_SCHEMA)
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM audit_items WHERE target = ?", (target_key,))
        db.execute("INSERT OR REPLACE INTO audit_samples VALUES (?, ?, ?, ?)", (target_key, seed, n, utc_now()))
        db.executemany(
            "INSERT INTO audit_items (target, link_key, position) VALUES (?, ?, ?)",
            [(target_key, link_key(target.links[k]), p) for p, k in enumerate(indices)],
        )
        db.execute("COMMIT")
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
    key = link_key(target.links[link_index])
    with _connection(project.name, project.path) as db:
        db.executescript(_SCHEMA)
        db.execute("BEGIN IMMEDIATE")
        found = db.execute("SELECT 1 FROM audit_items WHERE target = ? AND link_key = ?", (target_key, key)).fetchone()
        if not found:
            db.execute("ROLLBACK")
            raise InputError(
                f"link {link_number(link_index)} of {target_key!r} is not in the audit sample; draw a sample first."
            )
        db.execute(
            "UPDATE audit_items SET passed = ?, category = ?, comment = ?, judged = ? "
            "WHERE target = ? AND link_key = ?",
            (int(passed), None if passed else category, comment, utc_now(), target_key, key),
        )
        db.execute("COMMIT")
    return load_audit(project, target_key)


def load_audit(project: Project, target_key: str) -> Audit:
    """The target's sample and verdicts as saved (an empty audit if none was drawn)."""
    target = project.target(target_key)
    positions = {link_key(link): k for k, link in enumerate(target.links)}
    with _connection(project.name, project.path) as db:
        db.executescript(_SCHEMA)
        row = db.execute("SELECT seed FROM audit_samples WHERE target = ?", (target_key,)).fetchone()
        rows = db.execute(
            "SELECT link_key, passed, category, comment FROM audit_items WHERE target = ? ORDER BY position",
            (target_key,),
        ).fetchall()
    items = [
        AuditItem(key, positions.get(key), None if passed is None else bool(passed), category, comment)
        for key, passed, category, comment in rows
    ]
    return Audit(target_key, row[0] if row else None, items)
