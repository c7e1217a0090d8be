"""What can go wrong with a project, as errors the app and the command line show as they are.

All derive from :class:`~workbench.errors.WorkbenchError` (a save based on a stale copy raises
:class:`~workbench.errors.ConflictError`, which lives there because other saved things may need it too).
"""

from __future__ import annotations

from workbench.errors import WorkbenchError


class ProjectNameError(WorkbenchError):
    """A project name or target key that is not allowed (it could leave the alignments folder, or is empty)."""


class ProjectNotFoundError(WorkbenchError):
    """No project of that name (or no target of that key in a project)."""


class ProjectExistsError(WorkbenchError):
    """Creating a project (or adding a target) under a name that is taken."""


class CorruptProjectError(WorkbenchError):
    """A project file that cannot be read: not SQLite, truncated, foreign tables, or inconsistent contents."""


class SchemaVersionError(WorkbenchError):
    """A project file written by a newer workbench, in a format this one does not know."""


class ReadOnlyProjectError(WorkbenchError):
    """A change to a project whose file or folder cannot be written: it can be read and exported, not edited."""


class DiskFullError(WorkbenchError):
    """A save or a new project that did not fit on the disk: nothing was written, the saved project is as it was."""


class ProjectBusyError(WorkbenchError):
    """Another process holds the project's write lock for longer than a save waits: try again."""


class ProjectAccessError(WorkbenchError):
    """A project file that exists but cannot be opened or read (permissions, a disk error, a link): not damage."""


class EditError(WorkbenchError):
    """An edit that cannot be made (links not adjacent, a position out of range, nothing to undo ...).

    Raised before anything changes: the project in memory and on disk stay as they were.
    """


class CorpusError(WorkbenchError):
    """A corpus that does not fit the project (import), or a choice of targets that cannot be exported together."""
