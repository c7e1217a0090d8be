"""The ``workbench`` command: a thin layer over the library, one sub-command a feature.

Errors the user can fix are one line on stderr and exit status 2; nothing prints a traceback unless
``WORKBENCH_DEBUG=1`` is set. Each module of this package registers the sub-commands of one feature.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from workbench import __version__
from workbench.cli import alignment, app, batch, checks, projects, translation
from workbench.errors import WorkbenchError

# Order of the groups is the order of ``workbench --help``: the data flow of the product.
_GROUPS = [alignment, translation, projects, checks, batch, app]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except WorkbenchError as exc:
        message = " ".join(str(exc).split())  # always one line, whatever a library put in it
        print(f"workbench: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `workbench segment ... | head`
        return 0
    except OSError as exc:
        # The system refused a file operation no command anticipated (a folder that cannot be made, a full
        # disk, a name too long): the user can act on that, so it is one line too, never an internal error.
        where = f" {exc.filename}" if exc.filename else ""
        reason = exc.strerror or str(exc)
        print(
            f"workbench: error: cannot use{where}: {reason}; check the path, the disk and its permissions.",
            file=sys.stderr,
        )
        return 2
    except Exception as exc:
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        print(
            f"workbench: internal error: {type(exc).__name__}: {exc} (run with WORKBENCH_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench", description="Offline translation and sentence alignment.")
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(metavar="COMMAND")
    for group in _GROUPS:
        group.register(sub)
    return parser
