"""Corpus: a batch's output folder (``workbench batch align --out``) as a list of documents, weakest first.

People who align thousands of documents review the doubtful ones, not all: the table puts failures and the weakest
documents on top, one click opens the selected one in Review as a project, and another puts its reviewed links
back into the corpus exports. The work is :mod:`workbench.batch` (what ``batch open`` and ``batch update`` run);
this page only draws it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from workbench.app import state
from workbench.batch import (
    CorpusFolder,
    check_batch,
    corpus_summary,
    mixed_routes,
    review_document,
    review_project_name,
    unrelated_documents,
    update_from_project,
)
from workbench.paths import default_alignments_dir

FOLDER = "corpus_folder"  # the folder typed last (also ?corpus= in the URL, so a reload keeps it)
SELECTED = "corpus_selected"  # the selected document's id: the table's order changes after an update
PICK = "corpus_pick"  # the "Document" box, the table's selection by keyboard
DRAWN = "corpus_table_drawn"  # counts the box's choices: each draws the table anew, with the box's document selected

#: What the table shows, in order, with its headings; the reason of a failure last, where it has room.
COLUMNS = {
    "id": st.column_config.TextColumn("Document", help="Its id in the manifest", pinned=True),
    "status": st.column_config.TextColumn("Status", help="ok, failed (see the reason) or pending (not aligned yet)"),
    "mean_confidence": st.column_config.ProgressColumn(
        "Mean confidence", min_value=0.0, max_value=1.0, format="%.2f", help="Of the aligner's links"
    ),
    "lowest_confidence": st.column_config.NumberColumn("Lowest", format="%.2f", help="The weakest link's confidence"),
    "weak_links": st.column_config.NumberColumn("Under 0.5", help="Links the aligner doubts (the red band)"),
    "related": st.column_config.NumberColumn(
        "Related",
        format="%.2f",
        help="Share of links pairing sentences far more alike than chance: under 0.10 the two texts are probably not "
        "translations of each other (– : too few links to tell)",
    ),
    "links": st.column_config.NumberColumn("Links"),
    "src_sentences": st.column_config.NumberColumn("Source sentences"),
    "tgt_sentences": st.column_config.NumberColumn("Target sentences"),
    "confirmed": st.column_config.NumberColumn("Approved", help="Links a reviewer approved"),
    "reviewed": st.column_config.TextColumn("Reviewed in", help="The project whose review is in the corpus"),
    "errors": st.column_config.NumberColumn(
        "Check errors", help="From the spot-checks (button below the table); – until they have run"
    ),
    "warnings": st.column_config.NumberColumn("Check warnings"),
    "src_lang": st.column_config.TextColumn("From"),
    "tgt_lang": st.column_config.TextColumn("To"),
    "embedder": st.column_config.TextColumn("Embedder", help="The model and route that made the links"),
    "reason": st.column_config.TextColumn("Why it failed", width="large"),
}

#: The columns holding figures (empty for a document that failed or is not aligned yet).
NUMBERS = [
    c
    for c in COLUMNS
    if c.endswith(("confidence", "links", "sentences")) or c in ("confirmed", "errors", "warnings", "related")
]


def main() -> None:
    st.title("Corpus")
    # Kept apart from the widget's own state, which Streamlit drops while another page is shown: coming back from
    # Review finds the same folder.
    remembered = st.session_state.get(FOLDER) or st.query_params.get("corpus", "")
    typed = st.text_input(
        "Batch output folder",
        value=remembered,
        key=f"{FOLDER}-input",
        placeholder="/path/to/corpus",
        help="The folder given to  workbench batch align --out  (it holds batch.json and summary.tsv)",
    ).strip()
    if typed != st.session_state.get(FOLDER):  # another corpus: start again at its weakest document
        st.session_state.pop(SELECTED, None)
    st.session_state[FOLDER] = typed
    _folder_in_url(typed)
    if not typed:
        st.info("Give the folder a `workbench batch align ... --out FOLDER` run wrote; its documents are listed here.")
        return
    folder = Path(typed).expanduser()
    rows = state.attempt(_summary, str(folder), CorpusFolder(folder).version())
    state.show_messages()
    if rows is None:
        return
    if not rows:
        st.info(f"{folder} holds a batch of no documents.")
        return
    st.caption(_counts(rows))
    unrelated = [doc_id for doc_id, _ in unrelated_documents(rows)]
    if unrelated:
        st.warning(
            f"{len(unrelated)} document(s) do not look like translations of each other ({', '.join(unrelated[:5])}"
            f"{' ...' if len(unrelated) > 5 else ''}): few links pair sentences more alike than chance (column "
            "Related). Check that each one's two files belong together.",
            icon=":material/link_off:",
        )
    routes = mixed_routes(rows)
    if routes:
        st.info(routes[0].upper() + routes[1:], icon=":material/call_split:")
    row = _table(folder, rows)
    _check_button(folder)
    if row is None:
        st.caption("Select a document in the table (the box left of its row) or in Document to open it in Review.")
        return
    _document(folder, row)


@st.cache_data(max_entries=4, show_spinner="Reading the corpus ...")
def _summary(folder: str, version: tuple[int, ...]) -> list[dict[str, Any]]:
    """The summary rows, read again only when the corpus changed (``version``): a click on a row of a corpus of
    thousands of documents must not read thousands of files."""
    return corpus_summary(folder)


def _folder_in_url(folder: str) -> None:
    if folder and st.query_params.get("corpus") != folder:
        st.query_params["corpus"] = folder
    elif not folder and "corpus" in st.query_params:
        del st.query_params["corpus"]


def _counts(rows: list[dict[str, Any]]) -> str:
    status = [r["status"] for r in rows]
    reviewed = sum(bool(r["reviewed"]) for r in rows)
    text = f"{len(rows)} documents: {status.count('ok')} aligned, {status.count('failed')} failed"
    if status.count("pending"):
        text += f", {status.count('pending')} not aligned yet"
    return text + f"; {reviewed} reviewed. Weakest first."


def _table(folder: Path, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The documents as a table with one row selectable, and the same choice as a box below it; the selection
    follows the document, not its place.

    The table is drawn on a canvas whose rows a keyboard cannot select (Streamlit's grid moves a cell outline, not the
    selection), so the box is how a reviewer without a mouse picks a document: Tab, type a few letters of its id,
    Enter. Each follows the other."""
    ids = [r["id"] for r in rows]
    if SELECTED not in st.session_state or (
        st.session_state[SELECTED] is not None and st.session_state[SELECTED] not in ids
    ):  # at first the weakest aligned document not reviewed yet: where a reviewer starts
        aligned = [r for r in rows if r["status"] == "ok"]
        st.session_state[SELECTED] = next(
            (r["id"] for r in aligned if not r["reviewed"]), aligned[0]["id"] if aligned else ids[0]
        )
    wanted = st.session_state[SELECTED]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in NUMBERS:  # a failed document has no figures: empty cells, not text among numbers
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    # A new key when the order changes (an update re-sorts the rows) or the box chose another document, so that
    # the default selection is drawn again.
    key = f"corpus-table-{hash((str(folder), tuple(ids), st.session_state.get(DRAWN, 0)))}"

    def picked_in_table() -> None:
        chosen = st.session_state[key].selection.rows
        st.session_state[SELECTED] = st.session_state[PICK] = ids[chosen[0]] if chosen else None

    st.dataframe(
        frame,
        hide_index=True,
        column_config=COLUMNS,
        column_order=list(COLUMNS),
        key=key,
        on_select=picked_in_table,
        selection_mode="single-row",
        selection_default={"selection": {"rows": [ids.index(wanted)] if wanted is not None else []}},
        height=min(35 * (len(rows) + 1) + 3, 600),  # every row up to 16, then it scrolls
        placeholder="–",  # no figure (a failed document, checks not run): "None" read like a count of none
    )

    def picked_in_box() -> None:
        st.session_state[SELECTED] = st.session_state[PICK]
        st.session_state[DRAWN] = st.session_state.get(DRAWN, 0) + 1

    if st.session_state.get(PICK) != wanted:  # another folder, or the first run: the box shows the selection
        st.session_state[PICK] = wanted
    st.columns([1, 2])[0].selectbox(
        "Document",
        ids,
        key=PICK,
        on_change=picked_in_box,
        index=None,
        placeholder="Type a document's id",
        help="The same choice as the table's: type a few letters of an id and press Enter",
    )
    return rows[ids.index(wanted)] if wanted is not None else None


def _document(folder: Path, row: dict[str, Any]) -> None:
    doc_id = row["id"]
    if row["status"] == "failed":
        st.error(
            f"**{doc_id}** failed: {row['reason']}  \nFix its file (or its manifest row) and run the same "
            "`workbench batch align` command again: it retries failed documents and keeps the others."
        )
        return
    if row["status"] == "pending":
        st.warning(
            f"**{doc_id}** is not aligned yet (a run stopped, or is still running). Run the same "
            "`workbench batch align` command again to finish it."
        )
        return
    root = default_alignments_dir()
    project_name = review_project_name(folder, doc_id, root)
    st.subheader(doc_id)
    st.caption(
        f"{row['src_lang']} → {row['tgt_lang']} · {row['links']} links, {row['weak_links']} under 0.5 · "
        + (f"being reviewed in project {project_name}" if project_name else "not opened for review yet")
    )
    left, right = st.columns(2)
    label = "Go on reviewing in Review" if project_name else "Open in Review"
    if left.button(label, type="primary", icon=":material/edit_note:", key=f"corpus-open-{doc_id}"):
        found = state.attempt(review_document, folder, doc_id, root)
        if found is not None:
            project, made = found
            state.set_project(project)
            state.flash("success", f"{'Made' if made else 'Opened'} project {project.name} from document {doc_id}.")
            st.switch_page(state.VIEWS["review"])
        state.show_messages()
    if right.button(
        "Put the review back into the corpus",
        icon=":material/publish:",
        disabled=project_name is None,
        key=f"corpus-update-{doc_id}",
        help="Its links, as reviewed (approved, edited, merged ...), replace the aligner's in links.jsonl, "
        "links.parquet, the TMX and the summary",
    ):
        count = state.attempt(update_from_project, folder, doc_id, project_name, root)
        if count is not None:
            state.flash("success", f"{count} reviewed links of {doc_id} are in the corpus (links, TMX, summary).")
            st.rerun()
        state.show_messages()


def _check_button(folder: Path) -> None:
    """The spot-checks over every document, their counts into the table (what ``workbench batch check`` does)."""
    if not st.button("Spot-check every document", icon=":material/fact_check:", key="corpus-check"):
        return
    bar = st.progress(0.0, text="checking")
    rows = state.attempt(check_batch, folder, progress=state.progress_callback(bar, "checking documents"))
    if rows is not None:
        state.flash("success", f"Checked {sum(r['status'] == 'ok' for r in rows)} documents; counts in the table.")
    st.rerun()


main()
