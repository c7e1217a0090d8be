"""Alignment projects: a source document, its aligned targets, a reviewer's edits, saved as they are made.

```python
from workbench.documents import load_document
from workbench.embedding import load_embedder
from workbench.projects import add_target, create_project, merge_links, undo

project = create_project("kosovo", load_document("kosovo-dialogue"))        # alignments/kosovo/project.sqlite
add_target(project, load_document("kosovo-dialogue.de"), None, load_embedder())   # key "de"
merge_links(project, "de", 4, 5)     # saved at once; EditError (changing nothing) if it cannot be done
undo(project)
```

Indices are 0-based (``target.links[4]``); what people read numbers links from 1 (:func:`.model.link_number`):
the merge above is listed as "merge links 5 and 6 of de".

Modules: :mod:`.model` (what a project holds), :mod:`.editing` (edit operations, undo, redo), :mod:`.targets`
(adding, removing and realigning targets), :mod:`.store` (the SQLite file, revisions, the edit log),
:mod:`.corpus` (to and from the units export formats read and write), :mod:`.patches` (edits as patches).
"""

from __future__ import annotations

from workbench.errors import ConflictError
from workbench.projects.corpus import (
    add_target_from_corpus,
    project_from_corpus,
    project_to_corpus,
    project_to_multilingual,
    source_spans,
)
from workbench.projects.editing import (
    confirm,
    edit_sentence,
    flag,
    join_sentences,
    merge_links,
    move_sentence,
    redo,
    split_link,
    split_sentence,
    unconfirm,
    undo,
    unlink,
)
from workbench.projects.errors import (
    CorpusError,
    CorruptProjectError,
    EditError,
    ProjectExistsError,
    ProjectNameError,
    ProjectNotFoundError,
    ReadOnlyProjectError,
    SchemaVersionError,
)
from workbench.projects.model import (
    AUTO,
    CONFIRMED,
    FLAGGED,
    KEPT_BY_REALIGN,
    MANUAL,
    SOURCE,
    STATUSES,
    TO_REVIEW,
    HistoryEntry,
    Link,
    Project,
    ProjectSentence,
    Side,
    TargetAlignment,
    link_index,
    link_number,
)
from workbench.projects.store import (
    PROJECT_FILE,
    SCHEMA_VERSION,
    ProjectSummary,
    TargetSummary,
    check_project_name,
    create_project,
    delete_project,
    list_projects,
    open_project,
    project_dir,
)
from workbench.projects.targets import add_target, realign, remove_target

__all__ = [
    "AUTO",
    "CONFIRMED",
    "FLAGGED",
    "KEPT_BY_REALIGN",
    "MANUAL",
    "PROJECT_FILE",
    "SCHEMA_VERSION",
    "SOURCE",
    "STATUSES",
    "TO_REVIEW",
    "ConflictError",
    "CorpusError",
    "CorruptProjectError",
    "EditError",
    "HistoryEntry",
    "Link",
    "Project",
    "ProjectExistsError",
    "ProjectNameError",
    "ProjectNotFoundError",
    "ProjectSentence",
    "ProjectSummary",
    "ReadOnlyProjectError",
    "SchemaVersionError",
    "Side",
    "TargetAlignment",
    "TargetSummary",
    "add_target",
    "add_target_from_corpus",
    "check_project_name",
    "confirm",
    "create_project",
    "delete_project",
    "edit_sentence",
    "flag",
    "join_sentences",
    "link_index",
    "link_number",
    "list_projects",
    "merge_links",
    "move_sentence",
    "open_project",
    "project_dir",
    "project_from_corpus",
    "project_to_corpus",
    "project_to_multilingual",
    "realign",
    "redo",
    "remove_target",
    "source_spans",
    "split_link",
    "split_sentence",
    "unconfirm",
    "undo",
    "unlink",
]
