"""Spot-check: links worth a second look (numbers, names, lengths ...). Placeholder until the checks are wired."""

from __future__ import annotations

import streamlit as st

from workbench.app import state


def main() -> None:
    state.require_project()
    st.title("Spot-check")
    st.info("Spot-checks are not wired into the app yet: this page lists nothing for now.")


main()
