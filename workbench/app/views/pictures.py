"""Pictures: the links over the similarity matrix (where the aligner went, where confidence drops), and the
distribution of confidences. Big documents are drawn a window of links at a time, around the review page's."""

from __future__ import annotations

import streamlit as st

from workbench.alignment.picture import draw_alignment, draw_confidences, link_window, window_similarity
from workbench.app import state
from workbench.review import page_count


def main() -> None:
    project = state.require_project()
    st.title("Pictures")
    key = state.target_key(project)
    if key is None:
        st.info("This project has no target yet: translate or add one first.")
        return
    keys = list(project.targets)
    chosen = st.selectbox("Target", keys, index=keys.index(key), key=f"pictures-target-{key}")
    if chosen != key:
        state.select_target(chosen)
        st.rerun()
    target = project.target(key)
    per_page = state.LINKS_PER_PAGE
    pages = page_count(len(target.links), per_page)
    selected = int(st.session_state.get(state.LINK, 0))
    default = min(pages, selected // per_page + 1)
    page = st.number_input(
        f"Links shown: page (of {pages}, {per_page} links each)",
        1,
        pages,
        value=default,
        key=f"pictures-page-{default}",
    )
    beads = target.beads(project.source)
    window = link_window(beads, (page - 1) * per_page, page * per_page)
    with st.spinner("Embedding the sentences shown (from the cache when they were aligned before) ..."):
        similarity = window_similarity(state.current_embedder(), project.source.texts(), target.side.texts(), window)
    highlight = selected if window.first <= selected < window.last else None
    st.subheader("Alignment path")
    st.caption(
        "Grey: how similar each source sentence (down) is to each target sentence (across). Boxes: the links, "
        "coloured by confidence (red doubtful, green sure); the selected link is outlined in blue."
    )
    st.pyplot(
        draw_alignment(
            similarity,
            beads,
            window,
            f"{project.name}: {project.source.lang} → {key}",
            highlight,
            [link.confidence for link in target.links],
        ),
        width="content",
    )
    st.subheader("Confidences")
    st.pyplot(draw_confidences([link.confidence for link in target.links], window))


main()
