"""Review: one editor for the links of a target (or every target side by side), driven by mouse or keyboard.

The editor (:mod:`workbench.app.components.review_editor`) draws the rows and keeps the reviewer's place in the
browser; what it sends back are actions, applied here through :func:`workbench.review_actions.perform` and saved
at once by the project store. The page around it holds what is not about one link: the target, the view, and
realigning everything not yet approved (a long job with a progress bar).
"""

from __future__ import annotations

import time

import streamlit as st

from workbench.alignment.estimate import AlignmentEstimate, estimate_alignment
from workbench.app import state
from workbench.app.components.review_editor import all_languages_data, links_data, review_editor, rows_payload
from workbench.app.review_signals import Signals
from workbench.embedding.base import Embedder
from workbench.errors import ConflictError, WorkbenchError
from workbench.projects import Project, realign
from workbench.review import SURE_CONFIDENCE, sure_links, unrelated_target, weakest_order
from workbench.review_actions import perform

VIEW = "review_view"
VIEWS = ("Links", "All languages")
ROWS_MEMO = "review_rows_memo"
SENT = "review_rows_sent"  # per editor: the rows it was sent last, so that an edit sends only what changed
APPLIED, ACK = "review_applied", "review_ack"  # the nonces of the last actions applied, and the latest one


def main() -> None:
    project = state.require_project()
    st.title("Review")
    if not project.targets:
        st.info("This project has no target yet.")
        st.page_link(state.VIEWS["translate"], label="Translate or add a translation", icon=":material/translate:")
        return
    keys = list(project.targets)
    key = state.target_key(project)
    assert key is not None
    top = st.columns([2, 3, 2, 2, 3, 3], vertical_alignment="bottom")
    chosen = top[0].selectbox("Target", keys, index=keys.index(key), key=f"target-select-{key}")
    if chosen != key:
        state.select_target(chosen)
        st.rerun()
    st.session_state.setdefault(VIEW, st.query_params.get("view") if st.query_params.get("view") in VIEWS else VIEWS[0])
    view = top[1].segmented_control("View", VIEWS, key=VIEW) or VIEWS[0]
    _set_view_in_url(view)
    _realign_button(project, key, top[2])
    top[3].button(
        "Reload", icon=":material/refresh:", help="Read the project again from disk", on_click=state.reload_project
    )
    _approve_sure_button(project, key, top[4])
    last = project.next_undo()
    top[5].caption(f"Saved · revision {project.revision}" + (f" · last edit: {last.summary}" if last else ""))
    unrelated = unrelated_target(project, key)
    if unrelated:
        st.warning(unrelated, icon=":material/link_off:")
    _editor(project, key, view)


def _signals_line(project: Project, keys: list[str], shown: int) -> None:
    """What the background jobs are doing; while they run, this line alone polls, and the page reruns only
    when the signals the editor shows have changed (sending 5,000 rows to poll would slow the reviewer down)."""
    jobs = state.review_signals()
    signals = [jobs.signals(project, key) for key in keys]
    if hash(tuple(s.version for s in signals)) != shown:
        st.rerun(scope="app")
    lines = [s.round_trip + (" Quality checks running ..." if s.checking else "") for s in signals]
    st.caption(
        " · ".join(f"{key}: {line}" for key, line in zip(keys, lines, strict=True)) if len(keys) > 1 else lines[0]
    )


def _poll_signals(project: Project, keys: list[str]) -> dict[str, Signals]:
    """The quality signals of ``keys`` now, and the line that follows the jobs computing them."""
    jobs = state.review_signals()
    signals = {key: jobs.signals(project, key) for key in keys}
    shown = hash(tuple(s.version for s in signals.values()))
    pending = any(s.pending for s in signals.values())
    st.fragment(_signals_line, run_every=1.5 if pending else None)(project, keys, shown)
    return signals


def _editor(project: Project, key: str, view: str) -> None:
    if view == VIEWS[1]:
        every = _poll_signals(project, list(project.targets))
        data = all_languages_data(project, {k: s.items for k, s in every.items()})
        data["quality_seq"] = hash(tuple(s.version for s in every.values()))
        widget = f"review-editor-all-{project.name}"
    else:
        signals = _poll_signals(project, [key])[key]
        memo = st.session_state.setdefault(ROWS_MEMO, {})
        data = links_data(project, key, signals.items, weakest_order(project, key, signals.items), memo)
        data["quality_seq"] = signals.version
        widget = f"review-editor-{project.name}-{key}"
        sent = st.session_state.setdefault(SENT, {}).setdefault(widget, {})
        data.update(rows_payload(data.pop("rows"), sent))
    data["revision"] = project.revision
    data["start"] = st.session_state.get(state.LINK, 0) if view == VIEWS[0] else 0
    data["focus"] = st.session_state.pop(state.FOCUS, None)
    data["message"] = st.session_state.pop(state.LINK_MESSAGE, None)
    data["autofocus"] = data["message"] is not None
    data["ack"] = st.session_state.get(ACK)
    review_editor(data, widget, on_action=lambda: _on_action(project, key, widget))
    for started in [key] if view == VIEWS[0] else list(project.targets):
        state.review_signals().start(project, started)


def _set_view_in_url(view: str) -> None:
    wanted = "all" if view == VIEWS[1] else None
    if wanted and st.query_params.get("view") != VIEWS[1]:
        st.query_params["view"] = VIEWS[1]
    elif wanted is None and "view" in st.query_params:
        del st.query_params["view"]


def _approve_sure_button(project: Project, key: str, where: st.delta_generator.DeltaGenerator) -> None:
    """Approve at once the links the aligner is sure of: on gold sets it was not fitted on, links this confident
    were 99% right, so reading them one by one is where a reviewer's day goes for nothing."""
    sure = len(sure_links(project, key))
    if where.button(
        f"Approve {sure} sure",
        icon=":material/done_all:",
        disabled=not sure,
        help=f"Approve the {sure} links to review with a confidence of {SURE_CONFIDENCE} or more (one edit: undo "
        "takes it back)",
    ):
        at = st.session_state.get(state.LINK, 0)
        outcome = perform(project, key, {"op": "approve_sure", "index": at})
        state.link_message(outcome.index, outcome.message, outcome.kind)
        st.rerun()


def _realign_button(project: Project, key: str, where: st.delta_generator.DeltaGenerator) -> None:
    clicked = where.button(
        "Realign",
        icon=":material/sync:",
        help="Align again everything between links that are approved or made by hand (edited texts included)",
    )
    if not state.long_work_confirmed(f"realign-{key}", clicked, lambda: _realign_estimate(project, key)):
        return
    bar = st.progress(0.0, text="realigning ...")
    started = time.perf_counter()
    errors_before = len(st.session_state.get(state.MESSAGES, []))
    embedder = state.attempt(state.current_embedder)
    reader = _reader(project, key, embedder) if embedder is not None else None
    estimate = state.attempt(_estimate, project, key, reader) if reader is not None else None
    stages = state.alignment_progress(bar, "realigning", estimate, reader) if estimate is not None else None
    entry = state.attempt(realign, project, embedder, key, stages=stages) if stages is not None else None
    took = time.perf_counter() - started
    failed = len(st.session_state.get(state.MESSAGES, [])) > errors_before or st.session_state.get(state.CONFLICT)
    if not failed:
        state.flash("success", f"Realigned in {took:.1f} s" + ("." if entry else ": no link changed."))
    st.rerun()


def _reader(project: Project, key: str, embedder: Embedder) -> Embedder:
    """The embedder as it reads this target's pair of languages (for a Chinese side, the pair, with its own cache
    entries): what the realign's estimate must look at."""
    return embedder.for_languages(project.source.lang, project.target(key).side.lang)


def _estimate(project: Project, key: str, reader: Embedder) -> AlignmentEstimate:
    """Realigning costs what the cache lacks: after a few edits, those sentences and the aligning itself."""
    return estimate_alignment(project.source.texts(), project.target(key).side.texts(), reader)


def _realign_estimate(project: Project, key: str) -> tuple[float, str] | None:
    try:
        estimate = _estimate(project, key, _reader(project, key, state.current_embedder()))
    except WorkbenchError:
        return None  # the realign says why itself
    return estimate.seconds, f"Realigning {key} will take {estimate.describe()}."


def _on_action(project: Project, key: str, widget: str) -> None:
    """Apply what the editor sent; the outcome is shown beside the link it concerns, not at the top of the page."""
    action = (st.session_state.get(widget) or {}).get("action")
    if not isinstance(action, dict):
        return
    # The editor resends an action until it sees it acknowledged: apply each one once.
    nonce = str(action.get("nonce", ""))
    applied = st.session_state.setdefault(APPLIED, [])
    st.session_state[ACK] = nonce
    if nonce and nonce in applied:
        return
    applied[:] = [*applied[-49:], nonce]
    index = action.get("index") if isinstance(action.get("index"), int) else 0
    if action.get("op") == "resync":  # the editor's rows are not the last ones sent: send them all
        st.session_state.setdefault(SENT, {}).pop(widget, None)
        return
    if action.get("op") == "reload":
        state.reload_project()
        state.link_message(index, "Reloaded the project from disk.", "info")
        return
    if action.get("op") == "open":
        target, link = action.get("target"), action.get("link")
        if target in project.targets and isinstance(link, int):
            state.select_target(target)
            st.session_state[VIEW] = VIEWS[0]
            state.go_to_link(link)
        return
    try:
        outcome = perform(project, key, action)
    except ConflictError:
        st.session_state[state.CONFLICT] = True
        state.link_message(
            index, "Another tab or process saved this project first: press r to reload, then redo your change.", "error"
        )
        return
    except WorkbenchError as exc:
        state.link_message(index, str(exc), "error")
        return
    except (KeyError, TypeError, ValueError) as exc:  # a malformed action: say so, lose nothing
        state.link_message(index, f"The editor sent an action this page cannot read ({exc}).", "error")
        return
    # Move the editor only where the edit moved the link (a merge, undo elsewhere): after "approve and next" the
    # editor is already on the next link, and must stay there.
    if outcome.index != index:
        state.go_to_link(outcome.index)
    state.link_message(outcome.index, outcome.message, outcome.kind)


main()
