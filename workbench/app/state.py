"""What a browser session keeps between reruns, the resources all sessions share, and how edits are run.

Streamlit reruns a page from the top on every click. So the open project lives in ``st.session_state`` (loaded
once, then changed in place by the library's edit functions, which save each change), models are loaded once per
process (``st.cache_resource``), and nothing on a rerun translates or aligns again. The project's name is also
in the URL (``?project=``), so a reload of the page, a new session, opens it again from disk.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from workbench.alignment.estimate import AlignmentEstimate, AlignmentProgress
from workbench.app.review_signals import ReviewSignals
from workbench.embedding import DEFAULT_EMBEDDER, CachedEmbedder, Embedder, EmbeddingCache, load_embedder
from workbench.errors import ConflictError, WorkbenchError
from workbench.paths import default_alignments_dir, default_cache_dir
from workbench.projects import Project, open_project
from workbench.translation.cache import TranslationCache
from workbench.translation.router import Router

log = logging.getLogger("workbench.app")

T = TypeVar("T")

PROJECT, TARGET, LINK, PAGE = "project", "target", "link", "review_page"
EMBEDDER, MESSAGES, CONFLICT = "embedder_name", "messages", "conflict"
FOCUS, LINK_MESSAGE, SEQUENCE = "review_focus", "review_message", "review_sequence"

ASK = "confirm_long_work"
CONFIRM_ENV = "WORKBENCH_CONFIRM_SECONDS"

CONFLICT_MESSAGE = "This project was changed in another tab or process: reload it, then make your change again."

#: Links a page of the review table shows: enough to read on, few enough to draw at once for any document size.
LINKS_PER_PAGE = 50

VIEWS = {
    "open": "views/open.py",
    "translate": "views/translate.py",
    "review": "views/review.py",
    "pictures": "views/pictures.py",
    "spotcheck": "views/spotcheck.py",
    "export": "views/export.py",
    "models": "views/models.py",
    "corpus": "views/corpus.py",
}


# --------------------------------------------------------------------------------------------- shared resources


@st.cache_resource(show_spinner="Loading the embedding model ...")
def embedding_model(name: str) -> Embedder:
    """The embedding model, loaded once per process (the first load converts e5 if the cache lacks it)."""
    return load_embedder(name, threads=2, use_cache=False)


@st.cache_resource
def router() -> Router:
    """The translation engines and pairs; cleared after a model is installed (Models page)."""
    return Router()


@st.cache_resource
def translation_cache() -> TranslationCache:
    return TranslationCache(default_cache_dir() / "translations.sqlite")


def current_embedder() -> Embedder:
    """The session's embedding model behind the on-disk embedding cache.

    The cache's SQLite connection belongs to the thread that opened it, and Streamlit runs each rerun in a new
    thread, so the (cheap) cache is opened per use while the (expensive) model is shared.
    """
    model = embedding_model(st.session_state.get(EMBEDDER, DEFAULT_EMBEDDER))
    return CachedEmbedder(model, EmbeddingCache(default_cache_dir() / "embeddings.sqlite"))


# --------------------------------------------------------------------------------------------- the session


def init() -> None:
    """Defaults for a new session, and the project named in the URL opened again (after a reload)."""
    st.session_state.setdefault(EMBEDDER, DEFAULT_EMBEDDER)
    st.session_state.setdefault(MESSAGES, [])
    st.session_state.setdefault(CONFLICT, False)
    st.session_state.setdefault(PAGE, 1)
    if st.session_state.get(PROJECT) is None and "project" in st.query_params:
        name = st.query_params["project"]
        wanted = st.query_params.get("target")  # read first: opening the project writes its first target there
        try:
            set_project(open_project(name, default_alignments_dir()))
        except WorkbenchError as exc:
            del st.query_params["project"]
            flash("error", f"Could not reopen project {name!r}: {exc}")
        project = st.session_state.get(PROJECT)
        if project is not None and wanted in project.targets:
            st.session_state[TARGET] = wanted
            sync_url()


def project() -> Project | None:
    return st.session_state.get(PROJECT)


def require_project() -> Project:
    """The open project; otherwise a pointer to the Open page, and the page stops here."""
    current = project()
    if current is None:
        st.info("Open a document or a project first.")
        st.page_link(VIEWS["open"], label="Go to Open", icon=":material/folder_open:")
        st.stop()
    return current


def set_project(new: Project | None) -> None:
    """Make ``new`` the session's project (and the URL's), with a fresh selection."""
    st.session_state[PROJECT] = new
    st.session_state[CONFLICT] = False
    st.session_state[LINK] = 0
    st.session_state[PAGE] = 1
    keys = list(new.targets) if new is not None else []
    st.session_state[TARGET] = keys[0] if keys else None
    sync_url()


def sync_url() -> None:
    """Keep ``?project=&target=`` in the URL in step with the session, so a reload comes back to the same place."""
    current = project()
    wanted = {"project": current.name} if current is not None else {}
    target = st.session_state.get(TARGET)
    if current is not None and target in current.targets:
        wanted["target"] = target
    for key in ("project", "target"):
        if key in wanted and st.query_params.get(key) != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params:
            del st.query_params[key]


def reload_project() -> None:
    """Read the project again from disk (after a conflict, or to see another tab's changes)."""
    current = project()
    if current is None:
        return
    target, link = st.session_state.get(TARGET), st.session_state.get(LINK, 0)
    try:
        fresh = open_project(current.name, current.path.parent.parent)
    except WorkbenchError as exc:
        set_project(None)
        flash("error", str(exc))
        return
    set_project(fresh)
    if target in fresh.targets:
        st.session_state[TARGET] = target
        st.session_state[LINK] = min(link, max(0, len(fresh.target(target).links) - 1))
    flash("success", f"Reloaded project {fresh.name} (revision {fresh.revision}).")


def target_key(current: Project) -> str | None:
    """The target the session works on (the first one if none was chosen or it is gone)."""
    key = st.session_state.get(TARGET)
    if key not in current.targets:
        key = next(iter(current.targets), None)
        st.session_state[TARGET] = key
    return key


def select_target(key: str) -> None:
    st.session_state[TARGET] = key
    st.session_state[LINK] = 0
    st.session_state[PAGE] = 1


# --------------------------------------------------------------------------------------------- the review editor


def _next_seq() -> int:
    """Requests to the editor are numbered, so it acts on each once (data it is sent again on a rerun is old)."""
    st.session_state[SEQUENCE] = st.session_state.get(SEQUENCE, 0) + 1
    return st.session_state[SEQUENCE]


def go_to_link(index: int) -> None:
    """Make link ``index`` (0-based) of the session's target the editor's current one, on its next draw."""
    st.session_state[LINK] = index
    st.session_state[FOCUS] = {"seq": _next_seq(), "index": index}


def link_message(index: int, text: str, kind: str = "success") -> None:
    """A message the editor shows on the row of link ``index``, where the reviewer is looking."""
    st.session_state[LINK_MESSAGE] = {"seq": _next_seq(), "index": index, "text": text, "kind": kind}


@st.cache_resource
def review_signals() -> ReviewSignals:
    """The background jobs that compute the quality signal of the targets under review, one set a process."""
    return ReviewSignals(router, translation_cache)


# --------------------------------------------------------------------------------------------- running edits


def progress_callback(bar: Any, label: str) -> Callable[[int, int], None]:
    """``progress(done, total)`` for the library that moves ``bar``, also when called from an engine's own threads
    (Bergamot and the aligner report from worker threads, which Streamlit does not know otherwise)."""
    ctx = get_script_run_ctx()

    def progress(done: int, total: int) -> None:
        if get_script_run_ctx(suppress_warning=True) is None and ctx is not None:
            add_script_run_ctx(threading.current_thread(), ctx)
        bar.progress(min(1.0, done / max(total, 1)), text=f"{label}: {done}/{total}")

    return progress


def alignment_progress(bar: Any, label: str, estimate: AlignmentEstimate, embedder: Embedder) -> AlignmentProgress:
    """A ``stages`` callback for the aligner that moves ``bar`` with the stage, its counts and the time left (also
    from worker threads, as :func:`progress_callback`)."""
    ctx = get_script_run_ctx()

    def redraw(tracker: AlignmentProgress) -> None:
        if get_script_run_ctx(suppress_warning=True) is None and ctx is not None:
            add_script_run_ctx(threading.current_thread(), ctx)
        bar.progress(tracker.fraction, text=f"{label}: {tracker.describe()}")

    bar.progress(0.0, text=f"{label}: {estimate.describe()}")
    return AlignmentProgress(estimate, embedder.name, on_change=redraw)


def confirm_seconds() -> float:
    """Work estimated to take longer than this asks first (``WORKBENCH_CONFIRM_SECONDS``; default three minutes)."""
    try:
        return float(os.environ.get(CONFIRM_ENV, "180"))
    except ValueError:
        return 180.0


def long_work_confirmed(job: str, clicked: bool, estimate: Callable[[], tuple[float, str] | None]) -> bool:
    """Whether to start ``job`` now: at once when its estimate is short; otherwise the click asks first.

    ``estimate()`` gives (seconds, what to tell the person), or None when it cannot tell (the job then starts and
    says its own error). The question stays on the page across reruns; its Start button starts the job.
    """
    if clicked:
        st.session_state.pop(ASK, None)
        found = estimate()
        if found is None or found[0] <= confirm_seconds():
            return True
        st.session_state[ASK] = {"job": job, "text": found[1]}
    asked = st.session_state.get(ASK)
    if not asked or asked["job"] != job:
        return False
    st.warning(f"{asked['text']} Start now?", icon=":material/schedule:")
    left, right = st.columns(2)
    if left.button("Start anyway", key=f"ask-start-{job}", type="primary"):
        st.session_state.pop(ASK, None)
        return True
    if right.button("Cancel", key=f"ask-cancel-{job}"):
        st.session_state.pop(ASK, None)
        st.rerun()
    return False


def flash(kind: str, message: str) -> None:
    """A message shown at the top of the next run (callbacks run before the page draws, so they cannot show one)."""
    st.session_state.setdefault(MESSAGES, []).append((kind, message))


def attempt(action: Callable[..., T], *args: Any, done: str | None = None, **kwargs: Any) -> T | None:
    """Run a library call; its errors become messages that say what to do, never a traceback.

    A :class:`ConflictError` (someone else saved the project since it was loaded) turns on the conflict banner
    with its Reload button. ``done`` is flashed on success.
    """
    try:
        result = action(*args, **kwargs)
    except ConflictError:
        st.session_state[CONFLICT] = True
        return None
    except WorkbenchError as exc:
        flash("error", str(exc))
        return None
    if done:
        flash("success", done)
    return result


def show_messages() -> None:
    """Draw the messages flashed since the last run, and the conflict banner while there is a conflict."""
    if st.session_state.get(CONFLICT):
        st.error(CONFLICT_MESSAGE, icon=":material/warning:")
        st.button("Reload", key="conflict-reload", on_click=reload_project, type="primary", icon=":material/refresh:")
    for kind, message in st.session_state.get(MESSAGES, []):
        {"error": st.error, "success": st.success, "warning": st.warning}.get(kind, st.info)(message)
    st.session_state[MESSAGES] = []


def show_error(exc: BaseException) -> None:
    """An error that escaped a page: the message for a user-fixable one, a short note (and the log) otherwise."""
    if isinstance(exc, ConflictError):
        st.session_state[CONFLICT] = True
        show_messages()
    elif isinstance(exc, WorkbenchError):
        st.error(str(exc))
    else:
        log.exception("unexpected error in the app")
        st.error(
            f"Something went wrong ({type(exc).__name__}: {exc}). The details are in the terminal that runs the app; "
            "reload the page to go on. Your saved work is not affected."
        )
