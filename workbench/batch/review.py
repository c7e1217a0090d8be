"""One document of a batch opened for review: its links become a project (``workbench.projects``), which the app's
Review page opens like any other, each link keeping the confidence the batch gave it; once reviewed, the project's
links go back into the corpus and its exports (statuses included, so a TMX says which links a person approved)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.batch.store import CorpusFolder
from workbench.documents import sentence_joiner
from workbench.errors import InputError
from workbench.formats import ParallelCorpus, TranslationUnit

if TYPE_CHECKING:
    from workbench.projects import Project


def document_corpus(out: str | Path, doc_id: str) -> ParallelCorpus:
    """A finished document's links as units, the sentences of an n-m link kept apart."""
    folder = CorpusFolder(out)
    if doc_id not in folder.document_ids():
        raise InputError(f"{out} holds no document {doc_id[:60]!r}; its ids are in summary.tsv.")
    src, tgt = folder.sentences(doc_id)
    rows = folder.links(doc_id)
    if not rows:
        raise InputError(f"document {doc_id!r} has no links.")
    units = [
        TranslationUnit(
            tuple(src[i] for i in row["src"]),
            tuple(tgt[j] for j in row["tgt"]),
            confidence=row["confidence"],
        )
        for row in rows
    ]
    return ParallelCorpus(rows[0]["src_lang"], rows[0]["tgt_lang"], units, name=doc_id)


def corpus_summary(out: str | Path) -> list[dict[str, Any]]:
    """The documents of the batch in ``out``, one summary row each, failures first and then weakest first (read
    from the per-document files, so it is current while a run is still adding documents)."""
    return CorpusFolder(out).summary()


def open_document_project(out: str | Path, doc_id: str, name: str | None = None, root: Path | None = None):
    """A new project (named ``name``, else the document's id) from one document of the batch in ``out``; the
    corpus remembers it, so that ``update_from_project`` and the app find the review again."""
    from workbench.projects.corpus import project_from_corpus

    folder = CorpusFolder(out)
    marker = (folder.marker(doc_id) if folder.finished(doc_id) else None) or {}
    # The aligner's verdict on the pair goes with the links, so that Review warns about an unrelated pair too.
    signature = {"relatedness": marker["related"]} if marker.get("related") is not None else {}
    project = project_from_corpus(name or doc_id, document_corpus(out, doc_id), root, signature=signature)
    folder.set_review_project(doc_id, project.name)
    return project


def review_project_name(out: str | Path, doc_id: str, root: Path | None = None) -> str | None:
    """The project a document was opened in for review, if that project still exists in ``root``."""
    from workbench.projects.store import PROJECT_FILE, project_dir

    name = CorpusFolder(out).review_project(doc_id)
    if name is None:
        return None
    try:
        return name if (project_dir(name, root) / PROJECT_FILE).is_file() else None
    except InputError:  # a name no longer valid here: as good as gone
        return None


def review_document(out: str | Path, doc_id: str, root: Path | None = None) -> tuple[Project, bool]:
    """The project to review a document in, and whether it was made now: the one it was opened in before (the
    review goes on where it stopped), else a new one named after the document (``-2`` ... where that is taken)."""
    from workbench.paths import default_alignments_dir
    from workbench.projects import open_project
    from workbench.uploads import free_project_name

    existing = review_project_name(out, doc_id, root)
    if existing is not None:
        return open_project(existing, root), False
    base = Path(root) if root is not None else default_alignments_dir()
    taken = {p.name for p in base.iterdir()} if base.is_dir() else set()
    return open_document_project(out, doc_id, free_project_name(doc_id, taken), root), True


def update_from_project(out: str | Path, doc_id: str, project_name: str | None = None, root: Path | None = None) -> int:
    """Put a reviewed project's links (statuses, edits, links made by hand) back as document ``doc_id`` of the batch
    and rebuild the exports; returns the number of links. The project is ``project_name``, else the one
    :func:`open_document_project` made for the document (else one named like its id), with one target in the
    document's languages."""
    from workbench.projects import open_project

    folder = CorpusFolder(out)
    if doc_id not in folder.document_ids():
        raise InputError(f"{out} holds no document {doc_id[:60]!r}; its ids are in summary.tsv.")
    marker = folder.marker(doc_id) if folder.finished(doc_id) else None
    if marker is None:
        raise InputError(f"{out} has no finished document {doc_id!r}; see its summary.tsv.")
    project = open_project(project_name or folder.review_project(doc_id) or doc_id, root)
    if len(project.targets) != 1:
        raise InputError(f"project {project.name!r} has {len(project.targets)} targets; a batch document has one.")
    [target] = project.targets.values()
    if (project.source.lang, target.lang) != (marker["src_lang"], marker["tgt_lang"]):
        raise InputError(
            f"project {project.name!r} is {project.source.lang}-{target.lang}, document {doc_id!r} is "
            f"{marker['src_lang']}-{marker['tgt_lang']}: not the project made from it."
        )
    src_texts, tgt_texts = project.source.texts(), target.side.texts()
    src_pos = {sid: k for k, sid in enumerate(project.source.ids())}
    tgt_pos = {sid: k for k, sid in enumerate(target.side.ids())}
    src_join, tgt_join = sentence_joiner(project.source.lang), sentence_joiner(target.lang)
    rows = [
        {
            "doc": doc_id,
            "link": number,
            "src_lang": project.source.lang,
            "tgt_lang": target.lang,
            "type": f"{len(link.src)}-{len(link.tgt)}",
            "src": [src_pos[i] for i in link.src],
            "tgt": [tgt_pos[j] for j in link.tgt],
            "confidence": link.confidence,
            "status": link.status,
            "src_text": src_join.join(src_texts[src_pos[i]] for i in link.src),
            "tgt_text": tgt_join.join(tgt_texts[tgt_pos[j]] for j in link.tgt),
        }
        for number, link in enumerate(target.links, 1)
    ]
    extra = {k: marker[k] for k in ("embedder", "seconds", "related") if k in marker}
    extra["reviewed"] = project.name
    with folder.locked():  # not while a batch run writes the same folder
        folder.write_document(doc_id, project.source.lang, target.lang, src_texts, tgt_texts, rows, extra)
        folder.write_exports()
    return len(rows)
