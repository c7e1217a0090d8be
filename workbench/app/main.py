"""The app's entry point (``streamlit run workbench/app/main.py``, or ``workbench app``): pages and the sidebar.

Streamlit runs this file as ``__main__``; the quality checks' worker processes (started by "spawn") import it again
as ``__mp_main__``, and must not run the app there (it did, in Streamlit's bare mode, filling the server's log with
warnings before each worker took its first job).
"""

from __future__ import annotations

import streamlit as st

from workbench.app import state
from workbench.paths import default_alignments_dir


def main() -> None:
    """Set up the session, draw the sidebar and run the page asked for."""
    st.set_page_config(page_title="workbench", page_icon=":material/link:", layout="wide")
    state.init()

    pages = [
        st.Page(state.VIEWS["open"], title="Open", icon=":material/folder_open:", url_path="open", default=True),
        st.Page(state.VIEWS["translate"], title="Translate", icon=":material/translate:", url_path="translate"),
        st.Page(state.VIEWS["review"], title="Review", icon=":material/edit_note:", url_path="review"),
        st.Page(state.VIEWS["pictures"], title="Pictures", icon=":material/insights:", url_path="pictures"),
        st.Page(state.VIEWS["spotcheck"], title="Spot-check", icon=":material/fact_check:", url_path="spotcheck"),
        st.Page(state.VIEWS["export"], title="Export", icon=":material/download:", url_path="export"),
        st.Page(state.VIEWS["models"], title="Models", icon=":material/settings:", url_path="models"),
        st.Page(state.VIEWS["corpus"], title="Corpus", icon=":material/library_books:", url_path="corpus"),
    ]
    page = st.navigation(pages)

    with st.sidebar:
        project = state.project()
        if project is None:
            st.caption("No project open.")
        else:
            st.markdown(f"**{project.name}** · {project.source.lang} · {len(project.source.sentences)} sentences")
            for key, target in project.targets.items():
                counts = target.counts()
                st.caption(f"{key}: {counts['confirmed']}/{counts['links']} approved, {counts['flagged']} flagged")
            st.caption(f"Saved · revision {project.revision}")
        st.caption(f"Projects in {default_alignments_dir()}")

    state.show_messages()
    try:
        page.run()
    except Exception as exc:  # Streamlit's own rerun/stop signals are BaseExceptions and pass through
        state.show_error(exc)
    state.sync_url()


if __name__ == "__main__":
    main()
