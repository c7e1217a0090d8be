"""The command line says how long an alignment will take, then shows how far it is with the time left.

Real processes with the real model and an embedding cache of the test's own, so that there is embedding to show.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def fresh_cache(e5_folder: Path, tmp_path: Path) -> dict[str, str]:
    """An environment whose cache folder has the converted model but no embeddings yet."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "models").symlink_to(e5_folder.parent, target_is_directory=True)
    return {**os.environ, "WORKBENCH_CACHE": str(cache), "WORKBENCH_ALIGNMENTS": str(tmp_path / "alignments")}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, env=env, timeout=600
    )


def test_align_prints_the_estimate_then_progress_with_the_time_left(fresh_cache: dict[str, str]) -> None:
    result = run(fresh_cache, "align", "kosovo-dialogue", "kosovo-dialogue.de")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 26  # the links, on stdout as before
    lines = result.stderr.replace("\r", "\n").splitlines()
    (estimate,) = [line for line in lines if line.startswith("aligning: about")]
    # 48 sentences were embedded to measure the rate (and kept in the cache); the rest are still to embed.
    assert "embedding 7 of 55 sentences, 48 already in the cache" in estimate and "measured" in estimate
    bars = [line for line in lines if line.startswith("aligning: |")]
    # Each stage's bar says how long is left: "about N s left", or "almost done" under a second (a quiet machine
    # embeds these 7 sentences between two refreshes, so which counts are drawn depends on its speed).
    staged = [bar for bar in bars if " · " in bar]
    assert any("embedding " in bar and "/7 sentences" in bar for bar in staged), bars
    assert staged and all(bar.rstrip().endswith((" left", "almost done")) for bar in staged), bars
    assert any("aligning 3/3 steps" in bar for bar in bars) and "100%" in bars[-1]
    assert any(line.startswith("aligning: done in") for line in lines)

    again = run(fresh_cache, "align", "kosovo-dialogue", "kosovo-dialogue.de")  # everything is cached now
    assert "embedding 0 of 55 sentences, 55 already in the cache" in again.stderr


def test_project_new_and_quiet(fresh_cache: dict[str, str]) -> None:
    made = run(fresh_cache, "project", "new", "kos", "--source", "kosovo-dialogue", "--target", "kosovo-dialogue.de")
    assert made.returncode == 0, made.stderr
    assert "aligning de: about" in made.stderr and "aligning de: done in" in made.stderr
    quiet = run(fresh_cache, "align", "kosovo-dialogue", "kosovo-dialogue.de", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""
