"""Import an aligned corpus as a project (or as a target of one): what ``workbench import`` and the Open page's
upload both do.

Reading the file is :func:`workbench.formats.read_corpus` (a path) or :func:`workbench.uploads.corpus_from_upload`
(bytes); making the project is :mod:`workbench.projects.corpus`. Here is what the two faces composed each on their
own: the project's name from the file's (one rule: the name before its first dot, ``kos.en-pt.tmx`` -> ``kos``),
the refusal of a corpus with nothing to review, and what the import leaves out, said the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.formats import ParallelCorpus
from workbench.projects import Project, TargetAlignment, add_target_from_corpus, project_from_corpus
from workbench.projects.corpus import describe_left_out
from workbench.projects.errors import CorpusError
from workbench.uploads import free_project_name


@dataclass(frozen=True)
class CorpusImport:
    """What an import made: the project, the target the corpus became, and what was left out ('' if nothing)."""

    project: Project
    target: TargetAlignment
    left_out: str


def project_name_for(file_name: str, taken: Iterable[str] = ()) -> str:
    """The project name a corpus file proposes: its name before the first dot, made a valid name, and free among
    ``taken`` (the app proposes a free one; the command line passes none, so a taken name stays an error)."""
    return free_project_name(Path(file_name).name.split(".")[0], set(taken))


def import_corpus(
    corpus: ParallelCorpus, name: str, root: Path | None = None, *, into: Project | None = None, key: str | None = None
) -> CorpusImport:
    """A new project ``name`` in ``root`` from ``corpus``, or (``into``) a new target of that project."""
    if not corpus.units:
        raise CorpusError(f"{corpus.name or name} holds no translation units to review.")
    if into is not None:
        target = add_target_from_corpus(into, corpus, key)
        project = into
    else:
        project = project_from_corpus(name, corpus, root, key=key)
        target = next(iter(project.targets.values()))
    return CorpusImport(project, target, describe_left_out(corpus))


__all__ = ["CorpusImport", "import_corpus", "project_name_for"]
