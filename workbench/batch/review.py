"""One document of a batch opened for review: its links become a project (``workbench.projects``), which the app's
Review page opens like any other, each link keeping the confidence the batch gave it."""

from __future__ import annotations

from pathlib import Path

from workbench.batch.store import CorpusFolder
from workbench.errors import InputError
from workbench.formats import ParallelCorpus, TranslationUnit


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


def open_document_project(out: str | Path, doc_id: str, name: str | None = None, root: Path | None = None):
    """A new project (named ``name``, else the document's id) from one document of the batch in ``out``."""
    from workbench.projects.corpus import project_from_corpus

    return project_from_corpus(name or doc_id, document_corpus(out, doc_id), root)
