"""Translate-then-align and add a target: what ``workbench translate``, ``workbench project new --translate`` and
the Translate page all do, composed once.

The two faces used to drift: the command line translated the file as it was loaded, the app the project's source
as the reviewer had edited it. Here a project is always translated from its source *as edited*
(:func:`source_as_edited`: the project's sentences, paragraphs kept), so the same project gives the same targets
whichever face asks. What the faces keep is how they show the work: a face passes ``on_route`` (a translation is
about to start: return its progress callback and a close) and ``on_align`` (an alignment is about to start:
return its stage callback and a close); the command line draws tqdm bars, the app Streamlit bars.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from workbench.alignment.estimate import StageProgress
from workbench.documents import Document, sentence_joiner
from workbench.embedding.base import Embedder
from workbench.errors import WorkbenchError
from workbench.projects import Project, TargetAlignment, add_target
from workbench.projects.documents import side_document
from workbench.projects.model import check_target_key
from workbench.translation.base import Progress
from workbench.translation.cache import TranslationCache
from workbench.translation.documents import TranslatedDocument, translate_document
from workbench.translation.router import Route, Router

#: Called when a translation's route is known and the work starts: returns the progress callback (done, total
#: sentences) for it, or None, and what to call when it ends (also after a failure).
OnRoute = Callable[[Route], tuple[Progress | None, Callable[[], None]]]
#: Called before an alignment with a label, both sides' sentences and the embedder that will read them (the one
#: given, as it reads this pair of languages: ``Embedder.for_languages``, so that an estimate looks in the cache
#: under the right model): returns the stage callback (None for none) and what to call when it ends.
OnAlign = Callable[[str, Sequence[str], Sequence[str], Embedder], tuple[StageProgress | None, Callable[[], None]]]


@dataclass(frozen=True)
class Translation:
    """One language of a translation run: the result, or (``error``) why that pair could not be translated."""

    lang: str
    result: TranslatedDocument | None
    error: str | None = None


@dataclass(frozen=True)
class AddedTarget:
    """One language of a translate-then-align run: the target it made, or why it made none."""

    lang: str
    target: TargetAlignment | None
    error: str | None = None


def _nothing() -> None:
    return None


def translate_into(
    document: Document,
    langs: Iterable[str],
    *,
    router: Router | None = None,
    engine: str | None = None,
    cache: TranslationCache | None = None,
    on_route: OnRoute | None = None,
) -> Iterator[Translation]:
    """Translate ``document`` into each language in turn (lazily, so a face shows each as it is done).

    A pair that cannot be translated (no route, an engine failure) yields its one-line reason, ``src->tgt: ...``,
    and the other languages still go on: one missing pair should not cost the others.
    """
    router = router or Router()
    for lang in langs:
        try:
            route = router.route(document.lang, lang, engine=engine)
            progress, close = on_route(route) if on_route else (None, _nothing)
            try:
                result = translate_document(document, route, cache=cache, progress=progress)
            finally:
                close()
        except WorkbenchError as exc:
            yield Translation(lang, None, f"{document.lang}->{lang}: {' '.join(str(exc).split())}")
            continue
        yield Translation(lang, result)


def source_as_edited(project: Project) -> Document:
    """The project's source as it is now (the reviewer's edits, its paragraphs): what a project is translated
    from, never the file it was first made from."""
    return side_document(project.source)


def add_translation(
    project: Project,
    document: Document,
    embedder: Embedder,
    key: str | None = None,
    *,
    refine: bool = True,
    on_align: OnAlign | None = None,
) -> TargetAlignment:
    """Add a target: ``document`` (a machine translation or one a person made) aligned to the project's source as
    edited, and saved. ``key`` defaults to the document's language (``pt-2`` for a second one)."""
    if key is not None:
        check_target_key(key)  # before any alignment work
    label = f"aligning {key or document.lang}"
    reader = embedder.for_languages(project.source.lang, document.lang)
    stages, close = (
        on_align(label, project.source.texts(), document.sentence_texts(), reader) if on_align else (None, _nothing)
    )
    try:
        return add_target(project, document, key, embedder, refine=refine, stages=stages)
    finally:
        close()


def translate_project(
    project: Project,
    langs: Iterable[str],
    embedder: Embedder,
    *,
    router: Router | None = None,
    engine: str | None = None,
    cache: TranslationCache | None = None,
    refine: bool = True,
    on_route: OnRoute | None = None,
    on_align: OnAlign | None = None,
) -> Iterator[AddedTarget]:
    """Translate the project's source (as edited) into each language and align each translation as a new target,
    one language after the other (each saved before the next starts).

    A language that cannot be translated yields its reason and the others go on; an alignment that fails raises
    (it fails for every language alike: the model, the disk).
    """
    translations = translate_into(
        source_as_edited(project), langs, router=router, engine=engine, cache=cache, on_route=on_route
    )
    for translation in translations:
        if translation.result is None:
            yield AddedTarget(translation.lang, None, translation.error)
            continue
        target = add_translation(project, translation.result.document, embedder, refine=refine, on_align=on_align)
        yield AddedTarget(translation.lang, target)


def translated_file(document: Document, result: TranslatedDocument) -> tuple[str, bytes]:
    """``(file name, bytes)`` of a translation of ``document``: in the source file's form for a subtitle or Word
    source (the source's cue times, its styles), else the text that reads back as the translated document.

    A translated block that reads back as two paragraphs cannot be put back on one cue or paragraph: then the
    plain text is written instead, which loses nothing.
    """
    from workbench.writers import write_back

    lang = result.route.tgt
    plain = (f"{document.name}.{lang}.txt", result.text.encode("utf-8"))
    if document.source_file is None:
        return plain
    joiner = sentence_joiner(lang)
    texts = [joiner.join(s.text for s in p.sentences) for p in result.document.paragraphs]
    if len(texts) != len(document.paragraphs):
        return plain
    written = write_back(document, texts, lang)
    if written is None:
        return plain
    suffix, data = written
    return f"{document.name}.{lang}{suffix}", data


__all__ = [
    "AddedTarget",
    "OnAlign",
    "OnRoute",
    "Translation",
    "add_translation",
    "source_as_edited",
    "translate_into",
    "translate_project",
    "translated_file",
]
