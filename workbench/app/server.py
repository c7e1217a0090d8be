"""Starting the app: the ``streamlit run`` command line, a free port, and waiting until the server answers.

The command line (``workbench app``), the browser test and the timing script all start the app the same way:
bound to 127.0.0.1 only (a review tool holds unpublished text; it is not for the network), headless, and
without Streamlit's usage statistics, which would otherwise make the browser call out to the internet.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from workbench.errors import WorkbenchError

MAIN_SCRIPT = Path(__file__).resolve().with_name("main.py")
ADDRESS = "127.0.0.1"


def streamlit_command(port: int, address: str = ADDRESS) -> list[str]:
    """The ``streamlit run`` command for the app on ``address:port``."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(MAIN_SCRIPT),
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--client.showErrorDetails",
        "none",
        "--client.toolbarMode",
        "minimal",
    ]


def free_port(address: str = ADDRESS) -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


def check_port(port: int, address: str = ADDRESS) -> None:
    """Refuse a port out of range or already taken, before Streamlit says so in a less helpful way."""
    if not 1 <= port <= 65535:
        raise WorkbenchError(f"--port {port} is not a TCP port; use 1024 to 65535, e.g. --port 8501.")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((address, port))
        except OSError:
            raise WorkbenchError(
                f"port {port} on {address} is in use (another app?); pass another one, e.g. --port {free_port()}."
            ) from None


def wait_until_ready(url: str, process: subprocess.Popen | None = None, timeout_s: float = 60.0) -> None:
    """Poll the server's health endpoint until it answers; fail early if the process died."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise WorkbenchError(f"the app server exited with status {process.returncode} before it was ready.")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise WorkbenchError(f"the app at {url} did not answer within {timeout_s:.0f} s.")


@contextmanager
def running_app(
    port: int | None = None, env: Mapping[str, str] | None = None, log: Path | None = None, timeout_s: float = 60.0
) -> Iterator[str]:
    """Start the app in a child process, yield its URL once it answers, and always stop it afterwards."""
    port = port or free_port()
    url = f"http://{ADDRESS}:{port}"
    environment = {**os.environ, **(env or {})}
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(streamlit_command(port), env=environment, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(url, process, timeout_s)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        if log:
            out.close()  # type: ignore[union-attr]
