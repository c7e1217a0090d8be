"""Spot-checking a real project: the seed translated offline to Portuguese, one number changed by hand; the
command's report and exit status; the round trip; the audit kept in the project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.documents import load_document
from workbench.errors import InputError
from workbench.projects import add_target, create_project, edit_sentence, merge_links, open_project
from workbench.projects.audit import draw_sample, load_audit, record_verdict
from workbench.spot_check import check_target
from workbench.translation.bergamot import BergamotEngine
from workbench.translation.documents import translate_document
from workbench.translation.router import Router


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, e5) -> Path:
    """Project 'kos': the seed and its Bergamot Portuguese translation, aligned; "22 de abril" became "23"."""
    root = tmp_path_factory.mktemp("alignments")
    source = load_document("kosovo-dialogue")
    translated = translate_document(source, Router([BergamotEngine()]).route("en", "pt")).document
    project = create_project("kos", source, root)
    add_target(project, translated, "pt", e5)
    changed = next(s for s in project.target("pt").side.sentences if "22 de abril" in s.text)
    edit_sentence(project, "pt", changed.id, changed.text.replace("22 de abril", "23 de abril"))
    return root


def changed_link(root: Path) -> int:
    target = open_project("kos", root).target("pt")
    by_id = {s.id: s.text for s in target.side.sentences}
    return next(k for k, link in enumerate(target.links) if any("23 de abril" in by_id[t] for t in link.tgt))


def test_the_changed_number_is_the_finding(root: Path) -> None:
    run = check_target(open_project("kos", root), "pt")
    numbers = [f for f in run.findings if f.kind == "numbers"]
    assert [f.unit_index for f in numbers] == [changed_link(root)]
    assert numbers[0].severity == "error" and "22" in numbers[0].message


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKBENCH_ALIGNMENTS": str(root)}
    command = [sys.executable, "-m", "workbench.cli", "check", "kos", "--lang", "pt", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def test_workbench_check_reports_the_link_and_its_exit_status_follows_the_limits(root: Path, tmp_path: Path) -> None:
    link = changed_link(root)
    plain = check(root)
    assert plain.returncode == 0  # no limits set: it reports only
    assert f"link {link + 1:4d} error   numbers" in plain.stdout and "23 de abril" in plain.stdout  # from 1
    assert check(root, "--max-errors", "0").returncode == 1
    assert check(root, "--max-errors", "1").returncode == 0
    assert check(root, "--max", "numbers=0").returncode == 1
    assert check(root, "--max", "names=0", "--kinds", "names").returncode == 0
    report = check(root, "--html", str(tmp_path / "r.html"), "--csv", str(tmp_path / "r.csv"))
    assert report.returncode == 0 and "23 de abril" in (tmp_path / "r.html").read_text()
    assert "numbers" in (tmp_path / "r.csv").read_text()
    bad = check(root, "--max", "colour=1")
    assert bad.returncode == 2 and bad.stderr.startswith("workbench: error:")


def test_round_trip_back_translates_with_an_offline_engine(root: Path) -> None:
    run = check_target(open_project("kos", root), "pt", round_trip=True, kinds=["round_trip"])
    assert run.round_trip and "pt->en" in run.round_trip and not run.notes


def test_the_audit_is_kept_in_the_project(root: Path) -> None:
    project = open_project("kos", root)
    audit = draw_sample(project, "pt", 5, seed=7)
    assert len(audit.items) == 5 and audit.seed == 7
    assert [i.link_index for i in draw_sample(project, "pt", 5, seed=7).items] == [i.link_index for i in audit.items]
    first, second = (i.link_index for i in audit.items[:2])
    record_verdict(project, "pt", first, True)
    record_verdict(project, "pt", second, False, "accuracy", "number changed")
    with pytest.raises(InputError, match="category"):
        record_verdict(project, "pt", first, False, "style")
    outside = next(k for k in range(len(project.target("pt").links)) if k not in {i.link_index for i in audit.items})
    with pytest.raises(InputError, match="not in the audit sample"):
        record_verdict(project, "pt", outside, True)
    reopened = load_audit(open_project("kos", root), "pt")
    summary = reopened.summary()
    assert (
        summary.n == 2
        and summary.passed == 1
        and summary.by_category["accuracy"] == 1
        and sum(summary.by_category.values()) == 1
    )
    assert 0 < summary.ci_low < 0.5 < summary.ci_high < 1
    # A link merged since it was drawn no longer matches: its verdict is stale, never moved onto another link.
    project = open_project("kos", root)
    neighbour = second + 1 if second + 1 < len(project.target("pt").links) else second - 1
    merge_links(project, "pt", min(second, neighbour), max(second, neighbour))
    stale = [i for i in load_audit(open_project("kos", root), "pt").items if i.link_index is None]
    assert [i.comment for i in stale] == ["number changed"]
