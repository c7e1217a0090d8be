"""Spot-check: the automatic checks on a target's links (filter by kind, jump to a link in Review), the reports,
and the sampled audit with its pass rate. The work is :mod:`workbench.spot_check`, :mod:`workbench.projects.audit`
and, for what the command line does too (the reports), :mod:`workbench.workflows.checks`; this page draws them."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from workbench.app import state
from workbench.checks import (
    AUDIT_CATEGORIES,
    CHECK_KINDS,
    GlossaryEntry,
    glossary_from_bytes,
    summarize,
)
from workbench.projects import Project, link_number
from workbench.projects.audit import Audit, AuditItem, draw_sample, load_audit, record_verdict
from workbench.spot_check import CheckRun, check_target
from workbench.workflows.checks import CheckReports, check_reports

REPORTS = "spotcheck_reports"  # (project, revision, target) -> CheckReports of the run kept under RUNS
RUNS = "spotcheck_runs"  # (project, revision, target) -> CheckRun: a rerun of the page never checks again


def main() -> None:
    project = state.require_project()
    st.title("Spot-check")
    if not project.targets:
        st.info("This project has no target yet: translate or add one first.")
        return
    keys = list(project.targets)
    key = state.target_key(project)
    assert key is not None
    chosen = st.selectbox("Target", keys, index=keys.index(key), key=f"spotcheck-target-{key}")
    if chosen != key:
        state.select_target(chosen)
        st.rerun()
    checks_tab, audit_tab = st.tabs(["Checks", "Audit"])
    with checks_tab:
        _checks(project, key)
    with audit_tab:
        _audit(project, key)


# --------------------------------------------------------------------------------------------- checks


def _checks(project: Project, key: str) -> None:
    with st.form("spotcheck-options"):
        kinds = st.multiselect(
            "Checks",
            list(CHECK_KINDS),
            default=[k for k in CHECK_KINDS if k != "round_trip"],
            format_func=lambda k: f"{k}: {CHECK_KINDS[k].description}",
        )
        glossary_file = st.file_uploader("Glossary (CSV: source term, target term)", type=["csv", "tsv", "txt"])
        round_trip = st.checkbox("Round trip: back-translate offline and score chrF against the source")
        run_it = st.form_submit_button("Run checks", type="primary", icon=":material/fact_check:")
    run_key = (project.name, project.revision, key)
    runs = st.session_state.setdefault(RUNS, {})
    if run_it:
        glossary = _glossary(glossary_file, project, key) if glossary_file is not None else None
        if glossary_file is None or glossary is not None:
            bar = st.progress(0.0, text="back-translating") if round_trip else None
            progress = state.progress_callback(bar, "back-translating") if bar else None
            selected = list(kinds) + (["round_trip"] if round_trip and "round_trip" not in kinds else [])
            run = state.attempt(
                check_target,
                project,
                key,
                glossary,
                round_trip=round_trip,
                router=state.router(),
                progress=progress,
                kinds=selected,
                cache=state.translation_cache(),  # the Review page's background round trip fills it too
            )
            if run is not None:
                runs[run_key] = run
    run = runs.get(run_key)
    if run is None:
        st.caption("Run the checks to see the links worth a second look. Edits since the last run need a new run.")
        return
    _findings(project, key, run)


def _glossary(upload: UploadedFile, project: Project, key: str) -> list[GlossaryEntry] | None:
    return state.attempt(
        glossary_from_bytes, upload.getvalue(), upload.name, project.source.lang, project.target(key).lang
    )


def _findings(project: Project, key: str, run: CheckRun) -> None:
    summary, _ = summarize(run.findings)
    counts = summary["by_severity"]
    cols = st.columns(4)
    cols[0].metric("Links", len(run.units))
    cols[1].metric("Errors", counts["error"])
    cols[2].metric("Warnings", counts["warning"])
    cols[3].metric("Notes", counts["info"])
    for note in run.notes:
        st.warning(note)
    if run.round_trip:
        st.caption(f"Round trip by {run.round_trip}")
    if not run.findings:
        st.success("No findings: nothing the checks could see is wrong.")
        return
    kinds_found = list(summary["by_kind"])
    shown_kinds = st.multiselect("Show kinds", kinds_found, default=kinds_found, key=f"spotcheck-kinds-{key}")
    findings = [f for f in run.findings if f.kind in shown_kinds]
    rows = [
        {
            "link": link_number(f.unit_index),  # as the Review page numbers it
            "severity": f.severity,
            "kind": f.kind,
            "finding": f.message,
            "source": run.units[f.unit_index].source,
            "target": run.units[f.unit_index].target,
        }
        for f in findings
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    links = sorted({f.unit_index for f in findings})
    if links:
        cols = st.columns([3, 2], vertical_alignment="bottom")
        # The options are link indices (what Review opens); people read them numbered from 1, as in the table.
        chosen = cols[0].selectbox(
            "Link", links, format_func=lambda k: str(link_number(k)), key=f"spotcheck-link-{key}"
        )
        if cols[1].button("Review this link", icon=":material/edit_note:", key=f"spotcheck-open-{key}"):
            _open_in_review(project, key, int(chosen))
    reports = _reports(project, key, run)
    cols = st.columns(2)
    cols[0].download_button("Findings (CSV)", reports.csv, reports.csv_name, "text/csv")
    cols[1].download_button("Report (HTML)", reports.html, reports.html_name, "text/html")


def _reports(project: Project, key: str, run: CheckRun) -> CheckReports:
    """The CSV and HTML reports of a run, made once per run (the page reruns on every click)."""
    made = st.session_state.setdefault(REPORTS, {})
    run_key = (project.name, project.revision, key)
    if run_key not in made:
        made[run_key] = check_reports(project, run)
    return made[run_key]


def _open_in_review(project: Project, key: str, index: int) -> None:
    state.select_target(key)
    state.go_to_link(index)  # the review editor opens on this link
    st.switch_page(state.VIEWS["review"])


# --------------------------------------------------------------------------------------------- audit


def _audit(project: Project, key: str) -> None:
    st.caption(
        "Read a random sample of links, weighted towards low confidence, and judge each: the pass rate and its "
        "95% interval say how good the whole translation is. Verdicts are saved in the project."
    )
    n_links = len(project.target(key).links)
    cols = st.columns([2, 2, 2], vertical_alignment="bottom")
    size = cols[0].number_input("Sample size", 1, max(1, n_links), min(20, n_links), key=f"audit-size-{key}")
    seed = cols[1].number_input("Seed", 0, 2**31 - 1, 1, key=f"audit-seed-{key}")
    if cols[2].button("Draw a new sample", key=f"audit-draw-{key}", icon=":material/casino:"):
        state.attempt(draw_sample, project, key, int(size), int(seed), done=f"Drew {int(size)} links.")
        st.rerun()
    audit = state.attempt(load_audit, project, key)
    if audit is None or not audit.items:
        st.info("No sample yet: draw one.")
        return
    _audit_summary(audit)
    target = project.target(key)
    source_text = {s.id: s.text for s in project.source.sentences}
    target_text = {s.id: s.text for s in target.side.sentences}
    for number, item in enumerate(audit.items, start=1):
        verdict = "not judged" if item.passed is None else ("pass" if item.passed else f"fail: {item.category}")
        shown = link_number(item.link_index) if item.link_index is not None else "(changed)"
        pending = item.passed is None and item.link_index is not None
        with st.expander(f"{number}. link {shown}: {verdict}", expanded=pending):
            if item.link_index is None:
                st.warning("This link was changed after it was drawn; its verdict no longer applies to a link.")
                continue
            link = target.links[item.link_index]
            st.markdown(" ".join(source_text[i] for i in link.src) or "*(no source)*")
            st.markdown(" ".join(target_text[j] for j in link.tgt) or "*(no target)*")
            _verdict_form(project, key, item.link_index, item)


def _verdict_form(project: Project, key: str, index: int, item: AuditItem) -> None:
    with st.form(f"audit-{key}-{index}"):
        cols = st.columns([2, 2, 4])
        passed = cols[0].radio("Verdict", ["pass", "fail"], index=0 if item.passed in (None, True) else 1,
                               horizontal=True, key=f"audit-verdict-{key}-{index}")  # fmt: skip
        categories = list(AUDIT_CATEGORIES)
        category = cols[1].selectbox(
            "Category (if it fails)", categories,
            index=categories.index(item.category) if item.category in categories else 0,
            key=f"audit-category-{key}-{index}",
        )  # fmt: skip
        comment = cols[2].text_input("Comment", value=item.comment, key=f"audit-comment-{key}-{index}")
        if st.form_submit_button("Save verdict"):
            state.attempt(record_verdict, project, key, index, passed == "pass", category, comment, done="Saved.")
            st.rerun()


def _audit_summary(audit: Audit) -> None:
    summary = audit.summary()
    judged = sum(1 for i in audit.items if i.passed is not None)
    cols = st.columns(3)
    cols[0].metric("Judged", f"{judged} / {len(audit.items)}")
    if summary.pass_rate is None:
        cols[1].metric("Pass rate", "-")
        return
    cols[1].metric("Pass rate", f"{summary.pass_rate:.0%}")
    cols[2].metric("95% interval", f"{summary.ci_low:.0%} - {summary.ci_high:.0%}")
    failed = {c: n for c, n in summary.by_category.items() if n}
    if failed:
        st.caption("Failures by category: " + ", ".join(f"{c} {n}" for c, n in failed.items()))


main()
