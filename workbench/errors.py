"""Errors the user can act on.

Every error the workbench raises on bad input derives from :class:`WorkbenchError`; its message says what went
wrong and what to do, so the command line and the app can show it as it is, without a traceback.
"""


class WorkbenchError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class InputError(WorkbenchError):
    """A file or text the workbench cannot read (empty, binary, undecodable, too large)."""


class ModelUnavailableError(WorkbenchError):
    """An embedding or translation model is not installed here and cannot be fetched."""


class AlignmentError(WorkbenchError):
    """Alignment inputs that contradict each other (e.g. fixed links that cross)."""


class ConflictError(WorkbenchError):
    """A save based on a stale copy: someone else (another tab or process) changed the saved data meanwhile."""
