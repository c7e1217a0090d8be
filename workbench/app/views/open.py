"""Open: a seed, an uploaded file (a document, or a TMX/TSV corpus to review) or pasted text; or a saved project."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import streamlit as st

from workbench.app import state
from workbench.documents import Document
from workbench.formats import ParallelCorpus
from workbench.paths import default_alignments_dir
from workbench.projects import (
    Project,
    ProjectSummary,
    create_project,
    delete_project,
    list_projects,
    open_project,
)
from workbench.projects.corpus import describe_left_out
from workbench.seeds import DEFAULT_SEED, list_seeds, seed_path
from workbench.uploads import (
    CORPUS_SUFFIXES,
    DOCUMENT_SUFFIXES,
    LanguageGuess,
    corpus_from_upload,
    decode_upload,
    document_from_upload,
    free_project_name,
    guess_corpus_languages,
    guess_language,
    size_warning,
    upload_kind,
)
from workbench.workflows.imports import import_corpus, project_name_for

SOURCES = ("Seed document", "Upload a file", "Paste text")


def main() -> None:
    st.title("Open")
    root = default_alignments_dir()
    summaries = list_projects(root)
    taken = {s.name for s in summaries}
    current = state.project()
    if current is not None:
        st.success(f"Project **{current.name}** is open.")

    source = st.segmented_control("Open from", SOURCES, default=SOURCES[0], key="open_source") or SOURCES[0]
    if source == SOURCES[0]:
        _from_seed(taken)
    elif source == SOURCES[1]:
        _from_upload(taken)
    else:
        _from_paste(taken)

    st.divider()
    st.subheader("Projects")
    if not summaries:
        st.caption(f"No saved projects in {root} yet.")
    for summary in summaries:
        _project_row(summary)


def _from_seed(taken: set[str]) -> None:
    seeds = list_seeds()
    if not seeds:
        st.warning("No seed documents ship with this checkout (seeds/ is empty).")
        return
    name = st.selectbox("Seed", seeds, index=seeds.index(DEFAULT_SEED) if DEFAULT_SEED in seeds else 0)
    text = decode_upload(seed_path(name).read_bytes(), name)
    _document_form(text, name, f"seed-{name}", taken)


def _from_upload(taken: set[str]) -> None:
    kinds = [s.lstrip(".") for s in (*DOCUMENT_SUFFIXES, *CORPUS_SUFFIXES)]
    upload = st.file_uploader(
        "A document (.txt, .md) to translate and align, or an aligned corpus (.tmx, .tsv, .xlf, .jsonl) to review",
        type=kinds,
    )
    if upload is None:
        return
    data = upload.getvalue()
    tag = f"upload-{hashlib.sha1(data).hexdigest()[:12]}"
    if upload_kind(upload.name) == "document":
        _document_form(decode_upload(data, upload.name), upload.name, tag, taken, data)
    else:
        _corpus_form(data, upload.name, tag, taken)


def _from_paste(taken: set[str]) -> None:
    text = st.text_area("Text", height=200, placeholder="Paste a document; blank lines separate paragraphs.")
    name = st.text_input("Document name", value="pasted")
    if text.strip():
        _document_form(text, name or "pasted", f"paste-{hashlib.sha1(text.encode()).hexdigest()[:12]}", taken)


def _document_form(text: str, name: str, tag: str, taken: set[str], data: bytes | None = None) -> None:
    """Language (guessed, confirmable) and project name, then the button that creates the project (from the
    upload's ``data`` where a reader opens it, so its blocks and cue times are kept)."""
    guess = guess_language(text)
    lang = _language_input("Source language", guess, f"lang-{tag}")
    document: Document | None = state.attempt(document_from_upload, text, name, lang, data) if lang else None
    if document is None:
        return
    st.caption(
        f"{document.title or document.name}: {len(document.paragraphs)} paragraphs, "
        f"{len(document.sentences)} sentences in {document.lang}"
    )
    warning = size_warning(len(document.sentences))
    if warning:  # said before anyone starts an alignment that would run for hours
        st.warning(warning)
    _create_form("Create project", document.name, tag, taken, create_project, document, "translate")


def _corpus_form(data: bytes, name: str, tag: str, taken: set[str]) -> None:
    guesses = state.attempt(guess_corpus_languages, data, name)
    state.show_messages()
    if guesses is None:
        return
    src = _language_input("Source language", guesses[0], f"src-{tag}")
    tgt = _language_input("Target language", guesses[1], f"tgt-{tag}")
    corpus = state.attempt(corpus_from_upload, data, name, src, tgt) if src and tgt else None
    state.show_messages()
    if corpus is None:
        return
    st.caption(f"{len(corpus.units)} translation units, {corpus.source_lang} → {corpus.target_lang}")
    left_out = describe_left_out(corpus)
    if left_out:  # said before the project is made, so the link count never surprises
        st.warning(f"{left_out[0].upper()}{left_out[1:]}: a link needs a sentence.")
    _create_form("Create project to review", project_name_for(name), tag, taken, _import, corpus, "review")


def _import(name: str, corpus: ParallelCorpus, root: Path) -> Project:
    """The import as the command line makes it (workbench.workflows.imports), the project for the page to open."""
    return import_corpus(corpus, name, root).project


def _create_form(label: str, name: str, tag: str, taken: set[str], create: Any, content: Any, page: str) -> None:
    """Project name (a free one proposed) and the button that makes the project from ``content``, then opens
    ``page`` on it; a refusal (a taken or bad name) is shown and nothing changes."""
    project_name = st.text_input("Project name", value=free_project_name(name, taken), key=f"name-{tag}-{len(taken)}")
    if st.button(label, type="primary", key=f"create-{tag}"):
        created = state.attempt(create, project_name, content, default_alignments_dir())
        if created is not None:
            state.set_project(created)
            st.switch_page(state.VIEWS[page])
        state.show_messages()


def _language_input(label: str, guess: LanguageGuess, key: str) -> str:
    value = "" if guess.lang == "und" else guess.lang
    lang = st.text_input(
        label, value=value, key=key, help="An ISO 639-1 code (en, de, pt ...); correct the guess if needed."
    )
    st.caption(f"Guessed: {guess.describe()}")
    return lang.strip()


def _project_row(summary: ProjectSummary) -> None:
    left, right, far = st.columns([5, 1, 1], vertical_alignment="center")
    if summary.error:
        left.warning(f"**{summary.name}**: {summary.error}")
        _delete_control(far, summary.name)
        return
    targets = ", ".join(f"{t.key} ({t.confirmed}/{t.links} approved, {t.flagged} flagged)" for t in summary.targets)
    left.markdown(
        f"**{summary.name}** · {summary.title or ''} · {summary.source_lang} → {targets or 'no targets yet'}  \n"
        f"<small>modified {summary.modified}, revision {summary.revision}</small>",
        unsafe_allow_html=True,
    )
    if right.button("Open", key=f"open-project-{summary.name}"):
        opened = state.attempt(open_project, summary.name, default_alignments_dir())
        if opened is not None:
            state.set_project(opened)
            st.switch_page(state.VIEWS["review"] if opened.targets else state.VIEWS["translate"])
        state.show_messages()
    _delete_control(far, summary.name)


def _delete_control(where: Any, name: str) -> None:
    """Delete behind a popover and a tick box: deleting a project cannot be undone."""
    with where.popover("Delete", icon=":material/delete:"):
        sure = st.checkbox(f"Delete {name} and all its work for good", key=f"delete-sure-{name}")
        if st.button("Delete project", key=f"delete-project-{name}", disabled=not sure, type="primary"):
            root = default_alignments_dir()
            state.attempt(delete_project, name, root, done=f"Deleted {name}.")
            current = state.project()
            if current is not None and current.name == name and not (current.path.parent).exists():
                state.set_project(None)
            st.rerun()


main()
