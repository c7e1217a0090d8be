"""Models: the translation engines and pairs this machine has, installing models (Argos packages, Firefox
Translations/Bergamot and OPUS-MT files), pinning an engine to a pair, comparing the routes of a pair, and the
embedding model alignment uses. The work is the library's (:mod:`workbench.translation.installed`, ``compare``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from workbench.app import state
from workbench.embedding import KNOWN_EMBEDDERS
from workbench.paths import default_models_dir
from workbench.seeds import DEFAULT_SEED
from workbench.translation.argos import ArgosEngine
from workbench.translation.installed import install_model, installed_models, load_pins, remove_model, save_pins


def main() -> None:
    st.title("Models")
    _engines()
    _install_argos()
    _install_model()
    _installed()
    _pins()
    _compare()
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
        # Read from memory (no temporary copy); the engine unpacks into a staging folder beside its packages.
        package = state.attempt(ArgosEngine().install_file, upload.getvalue(), upload.name)
        if package is not None:
            state.router.clear()  # the engines and pairs change
            st.success(
                f"Installed {package.name} {package.version} ({package.from_code}→{package.to_code}) in {package.path}."
            )
        state.show_messages()


def _install_model() -> None:
    st.subheader("Install a Firefox Translations or OPUS-MT model")
    st.caption(
        "A Firefox Translations/translateLocally (Bergamot) folder or .tar.gz, or an OPUS-MT model converted with "
        "ct2-transformers-converter. It is checked (files, languages, a test sentence) before it is installed."
    )
    upload = st.file_uploader(
        "An archive of the model folder", type=["gz", "tgz", "zip", "xz", "bz2"], key="model_upload"
    )
    folder = st.text_input("or a model folder on this machine", key="model_folder")
    left, right = st.columns(2)
    src = left.text_input("From (only if the files do not say)", key="model_from").strip() or None
    tgt = right.text_input("To (only if the files do not say)", key="model_to").strip() or None
    if (upload is None and not folder.strip()) or not st.button("Install model", type="primary", key="model_install"):
        return
    before = set(state.router().available_pairs())
    with st.spinner("Checking and installing (a test sentence is translated) ..."):
        if upload is not None:
            # The archive is unpacked from memory: its only copy on disk is the staging folder inside the models
            # folder that the install checks and then renames into place (so it is on the same file system).
            data = upload.getvalue()
            result = state.attempt(install_model, data, default_models_dir(), src, tgt, name=upload.name)
        else:
            result = state.attempt(install_model, Path(folder.strip()).expanduser(), default_models_dir(), src, tgt)
    if result is not None:
        model, sample = result
        state.router.clear()  # the engines and pairs change
        new = sorted(set(state.router().available_pairs()) - before)
        st.success(
            f"Installed {model.kind} {model.name} ({model.src}→{model.tgt}). Test sentence: {sample}  \n"
            f"New pairs: {', '.join(f'{s}→{t}' for s, t in new) or 'none (it replaces a route)'}."
        )
    state.show_messages()


def _installed() -> None:
    models = installed_models(default_models_dir())
    if not models:
        return
    st.markdown(f"**Installed models** (in {default_models_dir()})")
    st.dataframe(
        pd.DataFrame(
            [{"Folder": m.path.name, "Kind": m.kind, "Pair": f"{m.src}→{m.tgt}", "Model": m.name} for m in models]
        ),
        hide_index=True,
    )
    left, right = st.columns([3, 1])
    name = left.selectbox("Model to remove", [m.path.name for m in models], key="remove_model")
    if right.button("Remove", key="remove_model_button"):
        removed = state.attempt(remove_model, default_models_dir(), name)
        if removed is not None:
            state.router.clear()
            st.success(f"Removed {removed.label()}.")
        state.show_messages()


def _pins() -> None:
    st.subheader("Pin an engine to a pair")
    router = state.router()
    pins = load_pins(default_models_dir())
    if pins:
        st.markdown("Pinned: " + ", ".join(f"{s}→{t}: **{e}**" for (s, t), e in sorted(pins.items())))
    pairs = sorted({pair for e in router.engines for pair in e.pairs()} | set(pins))
    if not pairs:
        return
    left, right = st.columns(2)
    pair = left.selectbox("Pair", pairs, format_func=lambda p: f"{p[0]}→{p[1]}", key="pin_pair")
    choices = ["best route", *[e.name for e in router.engines if pair in e.pairs()]]
    current = pins.get(pair, "best route")
    engine = right.selectbox(
        "Engine", choices, index=choices.index(current) if current in choices else 0, key="pin_engine"
    )
    if engine != current and st.button("Save", key="pin_save"):
        if engine == "best route":
            pins.pop(pair, None)
        else:
            pins[pair] = engine
        save_pins(default_models_dir(), pins)
        state.router.clear()
        st.success(f"{pair[0]}→{pair[1]}: {engine}.")


def _compare() -> None:
    st.subheader("Compare the routes of a pair")
    router = state.router()
    pairs = sorted(router.available_pairs())
    if not pairs:
        return
    default = pairs.index(("en", "pt")) if ("en", "pt") in pairs else 0
    left, right = st.columns(2)
    pair = left.selectbox("Pair", pairs, index=default, format_func=lambda p: f"{p[0]}→{p[1]}", key="compare_pair")
    count = right.number_input("Sentences", min_value=1, max_value=200, value=10, key="compare_count")
    text = st.text_area(
        f"Sentences in {pair[0]}, one a line (empty: the seed {DEFAULT_SEED} when it is in {pair[0]})",
        key="compare_text",
    )
    if not st.button("Compare", key="compare_run"):
        return
    from workbench.documents import load_document
    from workbench.translation.compare import compare_routes

    sentences = [line for line in text.splitlines() if line.strip()]
    if not sentences:
        seed = load_document(DEFAULT_SEED)
        if seed.lang != pair[0]:
            st.error(f"The seed is in {seed.lang}: give sentences in {pair[0]}.")
            return
        sentences = seed.sentence_texts()
    sentences = sentences[: int(count)]
    bar = st.progress(0.0, text="Translating through each route ...")
    found = state.attempt(
        compare_routes,
        router,
        *pair,
        sentences,
        progress=lambda done, total, what: bar.progress(done / total, text=f"{done}/{total}: {what}"),
    )
    bar.empty()
    state.show_messages()
    if found is None:
        return
    results, back = found
    st.caption(
        f"Round trip back by {back.describe()}; chrF of the back-translations against the sentences (a route that "
        "leaves words untranslated gets them back as they were, so read it with the untranslated count)."
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Route": r.route.describe(),
                    "Kind": r.route.kind,
                    "Round-trip chrF": round(r.chrf, 1),
                    "Sentences with words left untranslated": r.untranslated,
                    "Sentences/s": round(r.sentences_per_second, 1),
                    "First sentence": r.translations[0] if r.translations else "",
                }
                for r in results
            ]
        ),
        hide_index=True,
    )


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
