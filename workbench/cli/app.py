"""Sub-command of the app: ``workbench app`` starts the Streamlit app on 127.0.0.1."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("app", help="start the review app in the browser (on this machine only: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8501, help="TCP port (default: 8501)")
    p.add_argument(
        "--alignments",
        type=Path,
        metavar="DIR",
        help="folder of projects and exports (default: $WORKBENCH_ALIGNMENTS, else alignments/ in the checkout)",
    )
    p.set_defaults(handler=_cmd_app)


def _cmd_app(args: argparse.Namespace) -> int:
    from workbench.app.server import ADDRESS, check_port, streamlit_command

    check_port(args.port)
    env = dict(os.environ)
    if args.alignments is not None:
        folder = args.alignments.expanduser().resolve()
        folder.mkdir(parents=True, exist_ok=True)
        env["WORKBENCH_ALIGNMENTS"] = str(folder)  # read by the app's process through workbench.paths
    print(f"workbench app: http://{ADDRESS}:{args.port} (Ctrl+C stops it)", file=sys.stderr)
    server = subprocess.Popen(streamlit_command(args.port), env=env)
    # Stopped by Ctrl+C or a plain kill, this process stops the server with it instead of leaving it running.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
