"""Models: the translation engines and pairs this machine has, installing an Argos package by upload, and the
embedding model alignment uses."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from workbench.app import state
from workbench.embedding import KNOWN_EMBEDDERS
from workbench.translation.argos import ArgosEngine


def main() -> None:
    st.title("Models")
    _engines()
    _install_argos()
    _embedder()


def _engines() -> None:
    router = state.router()
    st.subheader("Translation engines")
    rows = []
    for engine in router.all_engines:
        reason = engine.unavailable_reason()
        rows.append(
            {
                "Engine": engine.name,
                "Kind": engine.kind,
                "State": "available" if reason is None else f"unavailable: {reason}",
                "Direct pairs": ", ".join(f"{s}→{t}" for s, t in engine.pairs()) if reason is None else "",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    pairs = router.available_pairs()
    st.subheader(f"Pairs this machine translates ({len(pairs)})")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "From": s,
                    "To": t,
                    "Route": route.kind,
                    "Engines": " + ".join(route.engines),
                    "Through": "→".join([s, *(x.tgt for x in route.steps)]),
                }
                for (s, t), route in sorted(pairs.items())
            ]
        ),
        hide_index=True,
    )
    tips = router.suggestions()
    if tips:
        st.markdown("**To translate more:**")
        for tip in tips:
            st.markdown(f"- {tip.engine}: {tip.how}")


def _install_argos() -> None:
    st.subheader("Install an Argos Translate package")
    upload = st.file_uploader(
        "An .argosmodel file (download it on a machine with a network, e.g. translate-en_de.argosmodel)",
        type=["argosmodel"],
        key="argos_upload",
    )
    if upload is None:
        return
    if st.button(f"Install {upload.name}", type="primary", key="argos_install"):
        with tempfile.TemporaryDirectory(prefix="workbench-argos-") as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            package = state.attempt(ArgosEngine().install_file, path)
        if package is not None:
            state.router.clear()  # the engines and pairs change
            st.success(
                f"Installed {package.name} {package.version} ({package.from_code}→{package.to_code}) in {package.path}."
            )
        state.show_messages()


def _embedder() -> None:
    st.subheader("Embedding model (alignment)")
    names = list(KNOWN_EMBEDDERS)
    current = st.session_state.get(state.EMBEDDER, names[0])
    options = names if current in names else [*names, current]
    chosen = st.radio(
        "Model",
        options,
        index=options.index(current),
        format_func=lambda n: f"{n}: {KNOWN_EMBEDDERS.get(n, 'a sentence-transformers model')}",
        key="embedder_choice",
    )
    if chosen != current:
        st.session_state[state.EMBEDDER] = chosen
        st.success(f"New alignments and realignments use {chosen}; links made before keep theirs.")
    project = state.project()
    if project is not None:
        for key, target in project.targets.items():
            st.caption(f"{key} was aligned with {target.signature.get('embedder', 'no embedder (given links)')}.")


main()
