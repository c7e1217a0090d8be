"""Review: the links of a target, a page at a time, and a panel that edits the selected one; all targets beside
the source in a second view. Every change goes through ``workbench.projects``, which saves it at once."""

from __future__ import annotations

import functools
import hashlib
import time
from typing import Any

import pandas as pd
import streamlit as st

from workbench.app import state
from workbench.projects import (
    AUTO,
    CONFIRMED,
    FLAGGED,
    SOURCE,
    Project,
    confirm,
    edit_sentence,
    flag,
    join_sentences,
    merge_links,
    move_sentence,
    realign,
    redo,
    split_link,
    split_sentence,
    unconfirm,
    undo,
    unlink,
)
from workbench.review import (
    LOW_CONFIDENCE,
    LinkFilter,
    confidence_band,
    filter_links,
    link_view,
    link_views,
    multilingual_rows,
    next_weakest,
    page_count,
    page_holding,
    page_items,
)

#: Cell colours by confidence band and by status, the same in the table and in the all-languages view (plain
#: colours rather than emoji, which not every browser has a font for).
BAND_COLOURS = {"low": "#f6c6c4", "medium": "#fde3b5", "high": "#cdebd3", "none": "#e6e6e6"}
STATUS_COLOURS = {CONFIRMED: "#9fd8ac", FLAGGED: "#f0a39c"}
BAND_BADGES = {"low": "red", "medium": "orange", "high": "green", "none": "gray"}
STATUS_LABELS = {AUTO: "", CONFIRMED: "confirmed", FLAGGED: "flagged"}
STATUS_FILTERS = {
    "All": None,
    "Unconfirmed": frozenset({AUTO}),
    "Flagged": frozenset({FLAGGED}),
    "Confirmed": frozenset({CONFIRMED}),
}
FILTER = "review_filter"  # the LinkFilter of the last run, for callbacks that pick the next link
MULTI_PAGE = "multi_page"


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
    top = st.columns([2, 2, 6], vertical_alignment="bottom")
    chosen = top[0].selectbox("Target", keys, index=keys.index(key), key=f"target-select-{key}")
    if chosen != key:
        state.select_target(chosen)
        st.rerun()
    view = top[1].segmented_control("View", ("Links", "All languages"), default="Links", key="review_view")
    if view == "All languages":
        _all_languages(project)
        return
    _counts(project, key, top[2])
    _toolbar(project, key)
    indices = _filters(project, key)
    _table(project, key, indices)
    _panel(project, key)


# --------------------------------------------------------------------------------------------- overview


def _counts(project: Project, key: str, where: Any) -> None:
    counts = project.target(key).counts()
    last = project.next_undo()
    where.markdown(
        f"**{counts['links']}** links · **{counts['confirmed']}** confirmed · **{counts['flagged']}** flagged · "
        f"**{counts[AUTO]}** to review  \n<small>Saved · revision {project.revision}"
        + (f" · last edit: {last.summary}" if last else "")
        + "</small>",
        unsafe_allow_html=True,
    )


def _toolbar(project: Project, key: str) -> None:
    cols = st.columns(5)
    next_undo, next_redo = project.next_undo(), project.next_redo()
    cols[0].button(
        "Undo",
        icon=":material/undo:",
        disabled=next_undo is None,
        help=f"Undo: {next_undo.summary}" if next_undo else "Nothing to undo",
        on_click=_history,
        args=(project, False),
        width="stretch",
    )
    cols[1].button(
        "Redo",
        icon=":material/redo:",
        disabled=next_redo is None,
        help=f"Redo: {next_redo.summary}" if next_redo else "Nothing to redo",
        on_click=_history,
        args=(project, True),
        width="stretch",
    )
    cols[2].button(
        "Next weakest link",
        icon=":material/skip_next:",
        on_click=_select_weakest,
        args=(project, key),
        help="The unconfirmed link with the lowest confidence (among the filtered links)",
        width="stretch",
    )
    if cols[3].button(
        "Realign unconfirmed",
        icon=":material/sync:",
        help="Align again everything between confirmed links (edited texts included); confirmed links stay",
        width="stretch",
    ):
        bar = st.progress(0.0, text="realigning ...")
        started = time.perf_counter()
        progress = state.progress_callback(bar, "realigning, sentences embedded")
        errors_before = len(st.session_state.get(state.MESSAGES, []))
        embedder = state.attempt(state.current_embedder)
        entry = state.attempt(realign, project, embedder, key, progress) if embedder is not None else None
        took = time.perf_counter() - started
        failed = len(st.session_state.get(state.MESSAGES, [])) > errors_before or st.session_state.get(state.CONFLICT)
        if not failed:
            state.flash("success", f"Realigned in {took:.1f} s" + ("." if entry else ": no link changed."))
        st.rerun()
    cols[4].button(
        "Reload",
        icon=":material/refresh:",
        help="Read the project again from disk",
        on_click=state.reload_project,
        width="stretch",
    )


def _filters(project: Project, key: str) -> list[int]:
    cols = st.columns([3, 2, 3], vertical_alignment="bottom")
    status = cols[0].segmented_control("Show", list(STATUS_FILTERS), default="All", key="filter_status") or "All"
    low = cols[1].toggle(f"Low confidence (< {LOW_CONFIDENCE})", key="filter_low")
    text = cols[2].text_input("Search", key="filter_text", placeholder="text in either side")
    link_filter = LinkFilter(STATUS_FILTERS[status], LOW_CONFIDENCE if low else None, text)
    st.session_state[FILTER] = link_filter
    return filter_links(project, key, link_filter)


def _table(project: Project, key: str, indices: list[int]) -> None:
    per_page = state.LINKS_PER_PAGE
    pages = page_count(len(indices), per_page)
    page = min(max(1, int(st.session_state.get(state.PAGE, 1))), pages)
    st.session_state[state.PAGE] = page
    chosen = page_items(indices, page, per_page)
    total = len(project.target(key).links)
    shown = f"{(page - 1) * per_page + 1}-{(page - 1) * per_page + len(chosen)}" if chosen else "0"
    st.caption(f"Links {shown} of {len(indices)}" + (f" (filtered from {total})" if len(indices) != total else ""))
    if not chosen:
        st.info("No link matches these filters.")
        return
    selected = st.session_state.get(state.LINK, 0)
    views = link_views(project, key, chosen)
    frame = pd.DataFrame(
        {
            "#": [f"▶ {v.index}" if v.index == selected else str(v.index) for v in views],
            "Conf.": ["" if v.confidence is None else f"{v.confidence:.2f}" for v in views],
            "Type": [v.kind for v in views],
            "Status": [STATUS_LABELS.get(v.status, v.status) for v in views],
            "Source": [v.source for v in views],
            "Target": [v.target for v in views],
            "Note": [v.note for v in views],
        }
    )
    bands = [f"background-color: {BAND_COLOURS[v.band]}" for v in views]
    statuses = [f"background-color: {STATUS_COLOURS[v.status]}" if v.status in STATUS_COLOURS else "" for v in views]
    styled = frame.style.apply(lambda _: bands, subset=["Conf."]).apply(lambda _: statuses, subset=["Status"])
    table_key = f"table-{key}-{page}-{project.revision}-{hash(st.session_state[FILTER])}"
    st.dataframe(
        styled,
        key=table_key,
        on_select=functools.partial(_on_table_select, table_key, chosen),
        selection_mode="single-row",
        hide_index=True,
        height=35 * (len(frame) + 1) + 3,
        column_config={
            "#": st.column_config.TextColumn(width=60),
            "Conf.": st.column_config.TextColumn(width=60, help="Red below 0.5, orange 0.5 to 0.8, green from 0.8"),
            "Type": st.column_config.TextColumn(width=50),
            "Status": st.column_config.TextColumn(width=90),
            "Source": st.column_config.TextColumn(width="large"),
            "Target": st.column_config.TextColumn(width="large"),
        },
    )
    if pages > 1:
        st.pagination(
            pages, default=page, key=f"pager-{page}-{pages}", on_change=_on_page, args=(f"pager-{page}-{pages}",)
        )


# --------------------------------------------------------------------------------------------- the edit panel


def _panel(project: Project, key: str) -> None:
    target = project.target(key)
    n = len(target.links)
    index = min(max(0, int(st.session_state.get(state.LINK, 0))), n - 1)
    st.session_state[state.LINK] = index
    view = link_view(project, key, index)
    with st.container(border=True):
        head = st.columns([1, 5], vertical_alignment="bottom")
        head[0].number_input(
            "Link",
            0,
            n - 1,
            value=index,
            key=f"link-input-{index}",
            on_change=_on_link_input,
            args=(f"link-input-{index}",),
        )
        confidence = "no confidence" if view.confidence is None else f"confidence {view.confidence:.2f}"
        status = {CONFIRMED: ":green-badge[:material/check: confirmed]", FLAGGED: ":red-badge[:material/flag: flagged]"}
        head[1].markdown(
            f"### Link {index} · {view.kind} · :{BAND_BADGES[view.band]}-badge[{confidence}] "
            f"{status.get(view.status, ':gray-badge[not reviewed]')}"
        )
        if view.note:
            st.caption(f"Note: {view.note}")
        left, right = st.columns(2)
        _sentence_editors(project, SOURCE, view.source_ids, left, "Source")
        _sentence_editors(project, key, view.target_ids, right, "Target")
        st.button(
            "Save text",
            icon=":material/save:",
            key="save-text",
            on_click=_save_texts,
            args=(project, key, index),
            help="Text edits also save when you leave a box",
        )
        _status_actions(project, key, index, view.note)
        _structure_actions(project, key, index, view.source_ids, view.target_ids)


def _editor_key(side: str, sentence_id: str, text: str) -> str:
    # The text is part of the key: an edit (or its undo) redraws this box only, with the saved text.
    return f"text-{side}-{sentence_id}-{hashlib.sha1(text.encode()).hexdigest()[:10]}"


def _sentence_editors(project: Project, side: str, ids: tuple[str, ...], where: Any, label: str) -> None:
    with where:
        if not ids:
            st.caption(f"No {label.lower()} sentence: this link is a {'0-1' if side == SOURCE else '1-0'} skip.")
        the_side = project.side(side)
        for sid in ids:
            text = the_side.sentence(sid).text
            widget = _editor_key(side, sid, text)
            st.text_area(
                f"{label} {sid}",
                value=text,
                key=widget,
                height=100,
                on_change=_save_one,
                args=(project, side, sid, widget),
            )


def _status_actions(project: Project, key: str, index: int, note: str) -> None:
    cols = st.columns([1, 1.2, 1.2, 2.6, 1], vertical_alignment="bottom")
    cols[0].button(
        "Confirm",
        icon=":material/check:",
        key="confirm",
        on_click=_edit,
        args=(confirm, project, key, index),
        type="primary",
    )
    cols[1].button(
        "Confirm, next",
        icon=":material/done_all:",
        key="confirm-next",
        on_click=_confirm_next,
        args=(project, key, index),
        help="Confirm this link and go to the weakest link not reviewed yet",
    )
    cols[2].button(
        "Unconfirm",
        icon=":material/remove_done:",
        key="unconfirm",
        on_click=_edit,
        args=(unconfirm, project, key, index),
    )
    note_key = f"note-{key}-{index}-{hashlib.sha1(note.encode()).hexdigest()[:8]}"
    cols[3].text_input("Note", value=note, key=note_key, placeholder="what is wrong here")
    cols[4].button("Flag", icon=":material/flag:", key="flag", on_click=_flag, args=(project, key, index, note_key))


def _structure_actions(project: Project, key: str, index: int, src: tuple[str, ...], tgt: tuple[str, ...]) -> None:
    n = len(project.target(key).links)
    cols = st.columns(6)
    cols[0].button(
        "Merge with previous",
        icon=":material/vertical_align_top:",
        disabled=index == 0,
        on_click=_merge,
        args=(project, key, index, index - 1),
        width="stretch",
        wrap=True,
    )
    cols[1].button(
        "Merge with next",
        icon=":material/vertical_align_bottom:",
        disabled=index >= n - 1,
        on_click=_merge,
        args=(project, key, index, index + 1),
        width="stretch",
        wrap=True,
    )
    moves = [
        ("source", "previous", "Source to previous link", bool(src) and index > 0),
        ("source", "next", "Source to next link", bool(src) and index < n - 1),
        ("target", "previous", "Target to previous link", bool(tgt) and index > 0),
        ("target", "next", "Target to next link", bool(tgt) and index < n - 1),
    ]
    for col, (which, direction, label, enabled) in zip(cols[2:], moves, strict=True):
        col.button(
            label,
            icon=":material/arrow_upward:" if direction == "previous" else ":material/arrow_downward:",
            disabled=not enabled,
            on_click=_move,
            args=(project, key, index, which, direction),
            help=f"Move the {'first' if direction == 'previous' else 'last'} {which} sentence of this link into the "
            f"{direction} link",
            width="stretch",
            wrap=True,
        )
    if len(src) > 1 or len(tgt) > 1:
        with st.expander(f"Split this {len(src)}-{len(tgt)} link in two"):
            cols = st.columns(3, vertical_alignment="bottom")
            src_key, tgt_key = f"split-src-{key}-{index}", f"split-tgt-{key}-{index}"
            cols[0].number_input("Source sentences in the first part", 0, len(src), value=min(1, len(src)), key=src_key)
            cols[1].number_input("Target sentences in the first part", 0, len(tgt), value=min(1, len(tgt)), key=tgt_key)
            cols[2].button("Split link", on_click=_split_link, args=(project, key, index, src_key, tgt_key))
    if src and tgt:
        st.button(
            "Unlink",
            icon=":material/link_off:",
            key="unlink",
            on_click=_edit,
            args=(unlink, project, key, index),
            help="Nothing here translates anything else: leave each of these sentences unlinked (1-0 and 0-1 "
            "links), confirmed, so that realigning keeps them apart",
        )
    with st.expander("Split or join sentences"):
        options = [(SOURCE, s) for s in src] + [(key, t) for t in tgt]
        if not options:
            return
        choice_key, starts_key = f"sentence-choice-{key}-{index}", f"split-at-{key}-{index}"
        st.selectbox(
            "Sentence",
            options,
            format_func=lambda o: (
                f"{'source' if o[0] == SOURCE else o[0]} {o[1]}: {project.side(o[0]).sentence(o[1]).text[:60]}"
            ),
            key=choice_key,
        )
        cols = st.columns([3, 1, 2], vertical_alignment="bottom")
        cols[0].text_input("The second sentence starts with", key=starts_key, placeholder="e.g. But")
        cols[1].button("Split sentence", on_click=_split_sentence, args=(project, choice_key, starts_key))
        cols[2].button("Join with the next sentence", on_click=_join_next, args=(project, choice_key))


# --------------------------------------------------------------------------------------------- all targets


def _all_languages(project: Project) -> None:
    keys = list(project.targets)
    rows = multilingual_rows(project, keys)
    per_page = state.LINKS_PER_PAGE
    pages = page_count(len(rows), per_page)
    page = min(max(1, int(st.session_state.get(MULTI_PAGE, 1))), pages)
    chosen = rows[(page - 1) * per_page : page * per_page]
    st.caption(f"{len(rows)} source spans every target links as a whole; a colour is the weakest link in the span.")
    data: dict[str, list[str]] = {
        "Sentences": [f"{r.start + 1}-{r.end}" if r.end - r.start > 1 else str(r.start + 1) for r in chosen],
        f"Source ({project.source.lang})": [r.source for r in chosen],
    }
    colours: dict[str, list[str]] = {}
    for key in keys:
        column = f"{key} ({project.target(key).lang})"
        data[column] = [row.cells[key].text or "—" for row in chosen]
        colours[column] = [_cell_css(row.cells[key].status, row.cells[key].confidence) for row in chosen]
    frame = pd.DataFrame(data)
    styled = frame.style
    for column, css in colours.items():
        styled = styled.apply(lambda _, css=css: css, subset=[column])
    st.dataframe(styled, hide_index=True, height=35 * (len(chosen) + 1) + 3)
    if pages > 1:
        st.pagination(
            pages, default=page, key=f"multi-pager-{page}", on_change=_on_multi_page, args=(f"multi-pager-{page}",)
        )


def _cell_css(status: str, confidence: float | None) -> str:
    colour = STATUS_COLOURS.get(status) or BAND_COLOURS[confidence_band(confidence)]
    return f"background-color: {colour}"


# --------------------------------------------------------------------------------------------- callbacks


def _edit(action: Any, *args: Any) -> None:
    state.attempt(action, *args)


def _history(project: Project, redo_it: bool) -> None:
    entry = state.attempt(redo if redo_it else undo, project)
    if entry is not None:
        state.flash("success", f"{'Redone' if redo_it else 'Undone'}: {entry.summary}.")


def _save_one(project: Project, side: str, sentence_id: str, widget: str) -> None:
    text = st.session_state.get(widget)
    changed = text is not None and text.strip() != project.side(side).sentence(sentence_id).text
    if changed and state.attempt(edit_sentence, project, side, sentence_id, text) is not None:
        state.flash("success", f"Saved the new text of {'source' if side == SOURCE else side} {sentence_id}.")


def _save_texts(project: Project, key: str, index: int) -> None:
    link = project.target(key).links[index]
    for side, ids in ((SOURCE, link.src), (key, link.tgt)):
        for sid in ids:
            _save_one(project, side, sid, _editor_key(side, sid, project.side(side).sentence(sid).text))


def _confirm_next(project: Project, key: str, index: int) -> None:
    if state.attempt(confirm, project, key, index) is not None or project.target(key).links[index].status == CONFIRMED:
        _select_weakest(project, key)


def _flag(project: Project, key: str, index: int, note_key: str) -> None:
    state.attempt(flag, project, key, index, st.session_state.get(note_key, ""))


def _merge(project: Project, key: str, index: int, other: int) -> None:
    if state.attempt(merge_links, project, key, index, other) is not None:
        st.session_state[state.LINK] = min(index, other)


def _move(project: Project, key: str, index: int, which: str, direction: str) -> None:
    before = len(project.target(key).links)
    moved = state.attempt(move_sentence, project, key, index, which, direction) is not None
    if moved and len(project.target(key).links) < before and direction == "previous":
        st.session_state[state.LINK] = index - 1  # the link gave its only sentence away


def _split_link(project: Project, key: str, index: int, src_key: str, tgt_key: str) -> None:
    # Widget values are read here, not passed in: arguments are fixed when the page is drawn, before the click.
    source_at, target_at = int(st.session_state[src_key]), int(st.session_state[tgt_key])
    state.attempt(split_link, project, key, index, source_at, target_at)


def _split_sentence(project: Project, choice_key: str, starts_key: str) -> None:
    side, sentence_id = st.session_state[choice_key]
    starts = str(st.session_state.get(starts_key) or "").strip()
    text = project.side(side).sentence(sentence_id).text
    at = text.find(starts, 1) if starts else -1
    if at <= 0:
        state.flash("error", f"Type the words sentence {sentence_id} should be split before (not its first word).")
        return
    state.attempt(split_sentence, project, side, sentence_id, at)


def _join_next(project: Project, choice_key: str) -> None:
    side, sentence_id = st.session_state[choice_key]
    the_side = project.side(side)
    position = the_side.position(sentence_id)
    if position + 1 >= len(the_side.sentences):
        state.flash("error", f"{sentence_id} is the last sentence: there is no next sentence to join it with.")
        return
    state.attempt(join_sentences, project, side, sentence_id, the_side.sentences[position + 1].id)


def _select_weakest(project: Project, key: str) -> None:
    candidates = filter_links(project, key, st.session_state.get(FILTER))
    found = next_weakest(project, key, candidates, st.session_state.get(state.LINK))
    if found is None:
        state.flash("success", "Every link here is reviewed.")
        return
    st.session_state[state.LINK] = found
    st.session_state[state.PAGE] = page_holding(candidates, found, state.LINKS_PER_PAGE) or 1


def _on_table_select(table_key: str, chosen: list[int]) -> None:
    rows = st.session_state[table_key]["selection"]["rows"]
    if rows:
        st.session_state[state.LINK] = chosen[rows[0]]


def _on_page(widget: str) -> None:
    st.session_state[state.PAGE] = st.session_state[widget]


def _on_multi_page(widget: str) -> None:
    st.session_state[MULTI_PAGE] = st.session_state[widget]


def _on_link_input(widget: str) -> None:
    index = int(st.session_state[widget])
    st.session_state[state.LINK] = index
    project = state.project()
    key = state.target_key(project) if project is not None else None
    if project is None or key is None:
        return
    page = page_holding(filter_links(project, key, st.session_state.get(FILTER)), index, state.LINKS_PER_PAGE)
    if page:
        st.session_state[state.PAGE] = page


main()
