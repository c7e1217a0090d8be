"""The audit in the store's schema: the upgrade from format version 2, removing a target (and undoing it) with
its audit, and verdicts told apart by their link, stale ones included. Real project files; no model needed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.alignment.beads import read_beads
from workbench.checks import AuditVerdict, audit_summary
from workbench.documents import load_document
from workbench.projects import Project, add_target, create_project, merge_links, open_project, redo, remove_target, undo
from workbench.projects.audit import draw_sample, load_audit, record_verdict
from workbench.projects.store import PROJECT_FILE, SCHEMA_VERSION

DATA = Path(__file__).parent / "data"
GOLD = read_beads((DATA / "kosovo-dialogue.en-de.align").read_text().splitlines())

#: The audit tables as format version 2 made them on first use, outside the schema (no link to the sides).
AUDIT_V2 = """
CREATE TABLE IF NOT EXISTS audit_samples (
    target TEXT PRIMARY KEY, seed INTEGER NOT NULL, size INTEGER NOT NULL, drawn TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_items (
    target TEXT NOT NULL, link_key TEXT NOT NULL, position INTEGER NOT NULL, passed INTEGER, category TEXT,
    comment TEXT NOT NULL DEFAULT '', judged TEXT, PRIMARY KEY (target, link_key)
);
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "alignments"


@pytest.fixture
def project(root: Path) -> Project:
    """The seed article and its German translation linked as the gold file says (26 links)."""
    p = create_project("kd", load_document("kosovo-dialogue"), root)
    add_target(p, load_document("kosovo-dialogue.de"), None, beads=GOLD)
    return p


def audit_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT target, link_key, passed FROM audit_items ORDER BY target, position").fetchall()


def test_a_version_2_project_is_upgraded_and_no_target_inherits_an_audit(project: Project, root: Path) -> None:
    add_target(project, load_document("kosovo-dialogue.de"), "de-3", beads=GOLD)
    remove_target(project, "de-3")  # version 2 left its audit behind (added below): it goes into this removal
    add_target(project, load_document("kosovo-dialogue.de"), "de-2", beads=GOLD)
    link = project.target("de").links[0]
    key = " ".join(link.src) + "|" + " ".join(link.tgt)
    path = root / "kd" / PROJECT_FILE
    with sqlite3.connect(path) as db:  # the file as version 2 left it
        db.execute("DROP TABLE audit_items")
        db.execute("DROP TABLE audit_samples")
        db.executescript(AUDIT_V2)
        db.executemany(
            "INSERT INTO audit_samples VALUES (?, 7, 3, ?)",
            [
                ("de", "2999-01-01T00:00:00Z"),  # drawn after de was added: kept
                ("de-2", "2000-01-01T00:00:00Z"),  # drawn before de-2 was added: a removed target's, dropped
                ("fr", "2999-01-01T00:00:00Z"),  # left behind, with no removal to keep it in: dropped
                ("de-3", "2000-01-01T00:00:00Z"),  # left behind by removing de-3: kept in that removal
            ],
        )
        db.executemany(
            "INSERT INTO audit_items VALUES (?, ?, 0, 0, 'accuracy', 'old note', NULL)",
            [("de", key), ("de-2", key), ("fr", key), ("de-3", key)],
        )
        db.execute("PRAGMA user_version = 2")
    reopened = open_project("kd", root)
    audit = load_audit(reopened, "de")
    assert audit.seed == 7 and [(i.link_index, i.passed, i.comment) for i in audit.items] == [(0, False, "old note")]
    assert load_audit(reopened, "de-2").items == [] and load_audit(reopened, "de-2").seed is None
    assert audit_rows(path) == [("de", key, 0)]
    create_project("fresh", load_document("kosovo-dialogue"), root)
    fresh = root / "fresh" / PROJECT_FILE

    def tables(file: Path) -> list[tuple]:
        with sqlite3.connect(file) as db:
            return db.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'audit%' ORDER BY name").fetchall()

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION  # the latest format
    assert tables(path) == tables(fresh)  # the same tables as a new file's, with their links to the sides
    undo(reopened)  # adding de-2
    undo(reopened)  # removing de-3: it comes back with the audit version 2 had left behind
    back = load_audit(open_project("kd", root), "de-3")
    assert back.seed == 7 and [(i.passed, i.comment) for i in back.items] == [(False, "old note")]


def test_remove_target_takes_its_audit_and_undo_brings_it_back(project: Project, root: Path) -> None:
    path = root / "kd" / PROJECT_FILE
    audit = draw_sample(project, "de", 5, seed=3)
    first = audit.items[0].link_index
    assert first is not None
    record_verdict(project, "de", first, False, "omission", "drops a clause")
    remove_target(project, "de")
    assert audit_rows(path) == []  # nothing left behind
    add_target(project, load_document("kosovo-dialogue.de"), "de", beads=GOLD)  # the same key, the same ids
    assert load_audit(project, "de").items == []  # inherits nothing
    undo(project)  # the new target goes
    undo(project)  # the removed one comes back, with its audit
    back = load_audit(open_project("kd", root), "de")
    assert back.seed == 3 and len(back.items) == 5
    assert [(i.passed, i.category, i.comment) for i in back.items if i.passed is not None] == [
        (False, "omission", "drops a clause")
    ]
    record_verdict(project, "de", first, True)  # changed after the undo: redo and undo again keep this one
    redo(project)
    assert audit_rows(path) == []
    undo(project)
    assert [i.passed for i in load_audit(project, "de").items if i.passed is not None] == [True]


def test_undoing_the_addition_of_an_audited_target_and_redoing_it(project: Project, root: Path) -> None:
    draw_sample(project, "de", 4, seed=11)
    undo(project)  # the target is removed with its audit (no audit row may point at a missing side)
    assert "de" not in open_project("kd", root).targets and audit_rows(root / "kd" / PROJECT_FILE) == []
    redo(project)
    assert len(load_audit(open_project("kd", root), "de").items) == 4


def test_two_stale_verdicts_count_as_two(project: Project) -> None:
    draw_sample(project, "de", len(project.target("de").links), seed=1)  # every link
    record_verdict(project, "de", 4, True)
    record_verdict(project, "de", 5, False, "accuracy")
    merge_links(project, "de", 4, 5)  # both judged links are gone: their verdicts are stale
    audit = load_audit(project, "de")
    stale = [i for i in audit.items if i.link_index is None]
    assert len(stale) == 2
    summary = audit.summary()
    assert (summary.n, summary.passed, summary.by_category["accuracy"]) == (2, 1, 1)


def test_verdicts_are_told_apart_by_their_link_when_they_name_one() -> None:
    stale = [AuditVerdict(-1, True, link="p1s1|p1s1"), AuditVerdict(-1, False, link="p1s2|p1s2")]
    assert audit_summary(stale).n == 2
    again = [AuditVerdict(3, False, link="p1s1|p1s1"), AuditVerdict(3, True, link="p1s1|p1s1")]
    assert (audit_summary(again).n, audit_summary(again).passed) == (1, 1)  # the last verdict on a link wins
