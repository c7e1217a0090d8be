"""Translate: machine-translate the source into the languages this machine can, or add an existing translation;
each new target is aligned at once and saved."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from typing import Any

import streamlit as st

from workbench.alignment.estimate import estimate_alignment, format_duration
from workbench.app import state
from workbench.documents import Document
from workbench.embedding.base import Embedder
from workbench.errors import WorkbenchError
from workbench.projects import Project, remove_target
from workbench.seeds import list_seeds, seed_path
from workbench.translation.router import Route
from workbench.uploads import DOCUMENT_SUFFIXES, decode_upload, document_from_upload, guess_language
from workbench.workflows.translation import add_translation, translate_project


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
        # Typed text is a language code: match it at the start of a label ("es" is not "rule-based"), and let Enter
        # take that language, not every match at once (Streamlit's default offers "Select N matches" first).
        filter_mode="prefix",
        select_all=False,
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
        added = _translate(project, choice)
        if added:
            state.select_target(added[0])
            state.flash("success", f"Added and aligned: {', '.join(added)}.")
            st.switch_page(state.VIEWS["review"])
        state.show_messages()


def _translate(project: Project, langs: list[str]) -> list[str]:
    """Translate the source (as edited) into each language and align it, through the one translate-then-align
    workflow; this page only draws each language's bar (translation, then alignment) and its errors."""
    embedder = state.attempt(state.current_embedder)  # a missing model is a message, before any translation
    if embedder is None:
        return []
    bars: dict[str, Any] = {}  # the language being done: its bar (its alignment goes on moving it) and start

    def on_route(route: Route) -> tuple[Any, Any]:
        st.markdown(f"**{route.src} → {route.tgt}**")
        st.caption(route.describe())
        bars["current"] = st.progress(0.0, text="translating ...")
        bars["started"] = time.perf_counter()
        return state.progress_callback(bars["current"], "translating, sentences"), lambda: None

    def on_align(label: str, src: Sequence[str], tgt: Sequence[str], reader: Embedder) -> tuple[Any, Any]:
        bar = bars.get("current") or st.progress(0.0)
        estimate = estimate_alignment(src, tgt, reader)
        return state.alignment_progress(bar, "aligning", estimate, reader), lambda: None

    added: list[str] = []  # kept when a later language fails: those targets are saved

    def run() -> None:
        work = translate_project(
            project, langs, embedder, router=state.router(), cache=state.translation_cache(),
            on_route=on_route, on_align=on_align,
        )  # fmt: skip
        for done in work:
            if done.target is None:
                st.error(done.error)
                continue
            seconds = time.perf_counter() - bars["started"]
            bars["current"].progress(1.0, text=f"{done.target.key}: {len(done.target.links)} links in {seconds:.1f} s")
            added.append(done.target.key)

    state.attempt(run)
    return added


def _translation_estimate(project: Project, langs: list[str]) -> tuple[float, str] | None:
    """Aligning each translation to come (as many sentences as the source, none embedded yet), in seconds: each
    language as the embedder that will read it (a Chinese side is read by two models, and its source sentences are
    cached under the pair's name, so they are still to embed)."""
    try:
        embedder = state.current_embedder()
        each = {
            lang: estimate_alignment(project.source.texts(), None, embedder.for_languages(project.source.lang, lang))
            for lang in langs
        }
    except WorkbenchError:
        return None  # e.g. the model is missing: the job says so itself
    total = sum(estimate.seconds for estimate in each.values())
    if len(each) == 1:
        (lang, estimate), *_ = each.items()
        return total, f"Aligning the translation into {lang} will take {estimate.describe()}, after the translation."
    # Languages read alike take alike: name each time once ("es, pt about 3 min each; zh about 4 min").
    by_time: dict[str, list[str]] = {}
    for lang, estimate in each.items():
        by_time.setdefault(format_duration(estimate.seconds), []).append(lang)
    parts = "; ".join(
        f"{', '.join(group)} about {duration}{' each' if len(group) > 1 else ''}" for duration, group in by_time.items()
    )
    return total, f"Aligning the translations will take about {format_duration(total)} ({parts}), after them."


def _alignment_estimate(project: Project, document: Document) -> tuple[float, str] | None:
    try:
        reader = state.current_embedder().for_languages(project.source.lang, document.lang)
        estimate = estimate_alignment(project.source.texts(), document.sentence_texts(), reader)
    except WorkbenchError:
        return None
    return (
        estimate.seconds,
        f"Aligning {document.name} ({len(document.sentences):,} sentences) will take {estimate.describe()}.",
    )


def _align(project: Project, document: Document, key: str | None, bar: Any, started: float) -> str | None:
    """Add ``document`` as a target through the add-target workflow, its alignment on ``bar``."""
    bar.progress(0.0, text="loading the embedding model ...")
    embedder = state.attempt(state.current_embedder)  # a missing model is a message, not a crash
    if embedder is None:
        return None

    def on_align(label: str, src: Sequence[str], tgt: Sequence[str], reader: Embedder) -> tuple[Any, Any]:
        estimate = estimate_alignment(src, tgt, reader)
        return state.alignment_progress(bar, "aligning", estimate, reader), lambda: None

    target = state.attempt(add_translation, project, document, embedder, key, on_align=on_align)
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
