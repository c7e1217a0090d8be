"""Export: a download in every corpus format (and, for a project made from a subtitle or Word file, that format),
with the export filters, and a copy saved beside the project.

The export itself is :mod:`workbench.workflows.export`, the same as the command line's: same names, same bytes."""

from __future__ import annotations

import streamlit as st

from workbench.app import state
from workbench.formats import FORMATS
from workbench.projects import Project
from workbench.workflows.export import DOCUMENT_FORMATS, MULTILINGUAL, export_formats, export_project, save_export

LABELS = {**FORMATS, MULTILINGUAL: "Multilingual TMX (every target in one file)", **DOCUMENT_FORMATS}


def main() -> None:
    project = state.require_project()
    st.title("Export")
    if not project.targets:
        st.info("This project has no target yet: there is nothing to export.")
        return
    # Subtitles and Word only for a project made from such a file: the writers need its cue times or its bytes.
    offered = export_formats(project)
    fmt = st.selectbox("Format", offered, format_func=LABELS.__getitem__, key="export_format")
    keys = list(project.targets)
    cols = st.columns(4, vertical_alignment="bottom")
    if fmt == MULTILINGUAL:
        chosen = cols[0].multiselect("Targets", keys, default=_one_per_language(project), key="export_targets")
    else:
        key = state.target_key(project)
        chosen = [cols[0].selectbox("Target", keys, index=keys.index(key) if key in keys else 0, key="export_target")]
    confirmed_only = cols[1].checkbox("Confirmed links only", key="export_confirmed")
    minimum = cols[2].slider("Minimum confidence", 0.0, 1.0, 0.0, 0.05, key="export_min", help="0 keeps every link")
    drop_unpaired = cols[3].checkbox("Drop 0-n and n-0 links", key="export_drop")
    filters = {"confirmed_only": confirmed_only, "min_confidence": minimum or None, "drop_unpaired": drop_unpaired}
    if not chosen:
        st.info("Choose at least one target.")
        return
    made = state.attempt(export_project, project, chosen, fmt, **filters)
    state.show_messages()
    if made is None:
        return
    st.caption(f"{made.units} units · {len(made.data):,} bytes · {made.file_name}")
    left, right = st.columns(2)
    left.download_button(
        f"Download {LABELS[fmt]}",
        made.data,
        made.file_name,
        made.mime_type,
        key=f"download-{fmt}",
        type="primary",
        icon=":material/download:",
    )
    folder = project.path.parent
    if right.button(
        f"Save into {folder.parent.name}/{folder.name}/", key=f"save-{fmt}", icon=":material/save:", help=str(folder)
    ):
        paths = state.attempt(save_export, made, folder=folder) or []
        if paths:
            st.success("Saved " + ", ".join(str(p) for p in paths))
        state.show_messages()


def _one_per_language(project: Project) -> list[str]:
    """The first target of each language: a multilingual file holds one text a language."""
    seen: dict[str, str] = {}
    for key, target in project.targets.items():
        seen.setdefault(target.lang, key)
    return list(seen.values())


main()
