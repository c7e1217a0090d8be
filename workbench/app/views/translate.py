"""Translate: machine-translate the source into the languages this machine can, or add an existing translation;
each new target is aligned at once and saved."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import streamlit as st

from workbench.alignment.estimate import estimate_alignment
from workbench.app import state
from workbench.documents import Document
from workbench.errors import WorkbenchError
from workbench.projects import Project, add_target, remove_target
from workbench.projects.documents import side_document
from workbench.seeds import list_seeds, seed_path
from workbench.translation.documents import translate_document
from workbench.uploads import DOCUMENT_SUFFIXES, decode_upload, document_from_upload, guess_language


def main() -> None:
    project = state.require_project()
    st.title("Translate")
    source = project.source
    st.caption(f"{project.name}: {source.title or source.name}, {len(source.sentences)} sentences in {source.lang}")
    _targets(project)
    st.subheader("Machine translation")
    _machine_translation(project)
    st.subheader("Add an existing translation")
    _existing_translation(project)


def _targets(project: Project) -> None:
    if not project.targets:
        st.info("No target yet: translate the source below, or add a translation you have.")
        return
    for key, target in project.targets.items():
        counts = target.counts()
        left, right = st.columns([5, 1], vertical_alignment="center")
        how = target.side.metadata.get("translation") or target.signature.get("aligner", "")
        left.markdown(
            f"**{key}** · {target.lang} · {len(target.side.sentences)} sentences · {counts['links']} links "
            f"({counts['confirmed']} confirmed, {counts['flagged']} flagged)  \n<small>{how}</small>",
            unsafe_allow_html=True,
        )
        if right.button("Remove", key=f"remove-{key}", help="Remove this target and its links (Undo brings it back)"):
            state.attempt(remove_target, project, key, done=f"Removed target {key}.")
            st.rerun()


def _machine_translation(project: Project) -> None:
    router = state.router()
    src = project.source.lang
    pairs = {tgt: route for (s, tgt), route in router.available_pairs().items() if s == src}
    if not pairs:
        st.warning(f"This machine translates nothing from {src}. {router.how_to_get(src, 'xx').replace('xx', '…')}")
    choice = st.multiselect(
        "Target languages",
        sorted(pairs),
        key="translate_langs",
        format_func=lambda lang: f"{lang} · {pairs[lang].kind} · {'+'.join(pairs[lang].engines)}",
        help="Only pairs an engine on this machine can translate, directly or through English/Spanish.",
    )
    with st.expander("Why not other languages? How to get more"):
        for engine, reason in router.unavailable():
            st.markdown(f"- **{engine}** is not available: {reason}")
        for tip in router.suggestions():
            st.markdown(f"- **{tip.engine}**: {tip.how}")
        wanted = st.text_input("Check a language", placeholder="e.g. de", key="translate_check").strip()
        if wanted:
            try:
                st.success(f"{src}→{wanted}: {router.route(src, wanted).describe()}")
            except WorkbenchError as exc:
                st.warning(str(exc))
        st.page_link(state.VIEWS["models"], label="Install a model on the Models page", icon=":material/settings:")
    clicked = st.button("Translate and align", type="primary", disabled=not choice, key="translate_go")
    job = "translate-" + ",".join(choice)
    if state.long_work_confirmed(job, clicked, lambda: _translation_estimate(project, choice)):
        added = []
        for lang in choice:
            key = _translate_one(project, lang)
            if key is not None:
                added.append(key)
        if added:
            state.select_target(added[0])
            state.flash("success", f"Added and aligned: {', '.join(added)}.")
            st.switch_page(state.VIEWS["review"])
        state.show_messages()


def _translation_estimate(project: Project, langs: list[str]) -> tuple[float, str] | None:
    """Aligning each translation to come (as many sentences as the source, none embedded yet), in seconds."""
    try:
        estimate = estimate_alignment(project.source.texts(), None, state.current_embedder())
    except WorkbenchError:
        return None  # e.g. the model is missing: the job says so itself
    each = " each" if len(langs) > 1 else ""
    return (
        estimate.seconds * len(langs),
        f"Aligning the translation{'s' if len(langs) > 1 else ''} into {', '.join(langs)} will take "
        f"{estimate.describe()}{each}, after the translation itself.",
    )


def _alignment_estimate(project: Project, document: Document) -> tuple[float, str] | None:
    try:
        estimate = estimate_alignment(project.source.texts(), document.sentence_texts(), state.current_embedder())
    except WorkbenchError:
        return None
    return (
        estimate.seconds,
        f"Aligning {document.name} ({len(document.sentences):,} sentences) will take {estimate.describe()}.",
    )


def _translate_one(project: Project, lang: str) -> str | None:
    """Translate the source (as edited) into ``lang`` and align it: one progress bar each, messages for errors."""
    st.markdown(f"**{project.source.lang} → {lang}**")
    try:
        route = state.router().route(project.source.lang, lang)
    except WorkbenchError as exc:
        st.error(str(exc))
        return None
    st.caption(route.describe())
    bar = st.progress(0.0, text="translating ...")
    started = time.perf_counter()

    translated = state.progress_callback(bar, "translating, sentences")
    try:
        result = translate_document(side_document(project.source), route, state.translation_cache(), translated)
    except WorkbenchError as exc:
        st.error(f"{project.source.lang}→{lang}: {exc}")
        return None
    return _align(project, result.document, None, bar, started)


def _align(project: Project, document: Document, key: str | None, bar: Any, started: float) -> str | None:
    bar.progress(0.0, text="loading the embedding model ...")
    embedder = state.attempt(state.current_embedder)  # a missing model is a message, not a crash
    if embedder is None:
        return None
    estimate = state.attempt(estimate_alignment, project.source.texts(), document.sentence_texts(), embedder)
    if estimate is None:
        return None
    stages = state.alignment_progress(bar, "aligning", estimate, embedder)
    target = state.attempt(add_target, project, document, key, embedder, stages=stages)
    if target is None:
        return None
    bar.progress(1.0, text=f"{target.key}: {len(target.links)} links in {time.perf_counter() - started:.1f} s")
    return target.key


def _existing_translation(project: Project) -> None:
    how = st.segmented_control("From", ("Seed document", "Upload a file", "Paste text"), key="existing_from")
    text, name = None, None
    if how == "Seed document":
        seeds = [s for s in list_seeds() if s != project.source.name]
        name = st.selectbox("Seed", seeds, key="existing_seed")
        text = decode_upload(seed_path(name).read_bytes(), name) if name else None
    elif how == "Upload a file":
        upload = st.file_uploader(
            "A translation (text, Word, OpenDocument, HTML, subtitles, EPUB, PDF)",
            type=[s.lstrip(".") for s in DOCUMENT_SUFFIXES],
        )
        if upload is not None:
            text = state.attempt(decode_upload, upload.getvalue(), upload.name)
            name = upload.name
    elif how == "Paste text":
        text = st.text_area("Translation", height=150, key="existing_text") or None
        name = "pasted"
    state.show_messages()
    if not text or not name:
        return
    tag = hashlib.sha1(text.encode()).hexdigest()[:12]
    guess = guess_language(text)
    lang = st.text_input("Its language", value="" if guess.lang == "und" else guess.lang, key=f"existing-lang-{tag}")
    st.caption(f"Guessed: {guess.describe()}")
    key = st.text_input("Target key", value="", placeholder="default: the language", key=f"existing-key-{tag}")
    clicked = st.button("Align and add", type="primary", key=f"existing-add-{tag}")
    job = f"existing-{tag}-{lang}"
    asked = (st.session_state.get(state.ASK) or {}).get("job") == job  # a long alignment waits for its Start
    document = state.attempt(document_from_upload, text, name, lang) if clicked or asked else None
    if document is not None and state.long_work_confirmed(job, clicked, lambda: _alignment_estimate(project, document)):
        bar = st.progress(0.0)
        added = _align(project, document, key.strip() or None, bar, time.perf_counter())
        if added:
            state.select_target(added)
            state.flash("success", f"Added and aligned: {added}.")
            st.switch_page(state.VIEWS["review"])
    if clicked or asked:
        state.show_messages()


main()
