"""End to end in a real browser: ``workbench app`` started on a free port, Debian's chromium driven by Playwright.

The flow a reviewer follows: open the seed, translate it into Portuguese (Bergamot, offline), see the aligned
table, edit a target sentence, confirm the link, download a TMX holding the edit, reload the page and find the
edit still there. It also takes the screenshots the README shows: set ``WORKBENCH_SCREENSHOTS=docs`` to write
them there (otherwise they go to the test's temporary folder).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import playwright.sync_api as playwright  # a dev dependency: always there after ./setup.sh
import pytest

from workbench.app.server import free_port, wait_until_ready
from workbench.formats.tmx import import_tmx
from workbench.projects import CONFIRMED, open_project

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
EDITED = "Recentemente, as tensões no norte do Kosovo aumentaram (texto revisto no teste)."

# CI sets WORKBENCH_REQUIRE_SYSTEM_PACKAGES (setup.sh installs chromium there): a missing browser fails, not skips.
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("WORKBENCH_REQUIRE_SYSTEM_PACKAGES"),
    reason="Debian's chromium is not installed (./setup.sh installs it where apt-get works)",
)


@pytest.fixture
def app_url(tmp_path: Path, e5_folder: Path) -> Iterator[tuple[str, Path]]:
    """``workbench app --port N --alignments DIR`` with caches of its own; the whole process group ends after."""
    root, cache = tmp_path / "alignments", tmp_path / "cache"
    cache.mkdir()
    (cache / "models").symlink_to(e5_folder.parent, target_is_directory=True)  # no reconversion of e5
    port = free_port()
    env = {**os.environ, "WORKBENCH_CACHE": str(cache)}
    env.pop("WORKBENCH_ALIGNMENTS", None)  # --alignments must be what sets it
    log = (tmp_path / "server.log").open("wb")
    command = [sys.executable, "-m", "workbench.cli", "app", "--port", str(port), "--alignments", str(root)]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, server, timeout_s=120)
        yield url, root
    finally:
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(server.pid, sig)
                server.wait(timeout=wait)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        log.close()


def nav(page: Page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=120_000)


def idle(page: Page) -> None:
    """Wait until the app's script is not running: a rerun replaces widgets, which would swallow typing."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=120_000)


def shoot(page: Page, path: Path, height: int = 1000) -> None:
    """A screenshot of the page at ``height`` pixels (Streamlit scrolls inside its own frame, so a taller window
    is how a long page fits), once the run is over and the grid has drawn on its canvas."""
    page.set_viewport_size({"width": 1400, "height": height})
    idle(page)
    page.wait_for_timeout(2500)
    page.screenshot(path=path)
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_browser_review_flow(app_url: tuple[str, Path], tmp_path: Path) -> None:
    url, root = app_url
    shots = Path(os.environ.get("WORKBENCH_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(url, timeout=120_000)

            # Open: the seed is preselected; one click makes the project.
            create = page.get_by_role("button", name="Create project")
            create.wait_for(timeout=120_000)
            playwright.expect(page.get_by_text("27 sentences in en")).to_be_visible()
            shoot(page, shots / "screenshot-open.png", 800)
            create.click()

            # Translate into Portuguese; the aligned table follows.
            page.get_by_role("heading", name="Translate", exact=True).wait_for()
            page.locator('[data-testid="stMultiSelect"]').click()
            page.get_by_role("option", name=re.compile(r"^pt · neural direct")).click()
            page.keyboard.press("Escape")
            shoot(page, shots / "screenshot-translate.png", 800)
            started = time.perf_counter()
            page.get_by_role("button", name="Translate and align").click()
            page.get_by_role("heading", name="Review", exact=True).wait_for(timeout=300_000)
            grid = page.locator('[data-testid="stDataFrame"]')
            grid.get_by_text("Recentemente, as tensões no norte do Kosovo").first.wait_for(state="attached")
            translated_in = time.perf_counter() - started

            # Edit the first target sentence in the panel, then confirm the link.
            idle(page)
            box = page.get_by_label("Target p1s1")
            box.fill(EDITED)
            started = time.perf_counter()
            page.get_by_role("button", name="Save text").click()
            grid.get_by_text(EDITED).first.wait_for(state="attached")
            edit_shown_in = time.perf_counter() - started
            idle(page)
            page.get_by_role("button", name="Confirm", exact=True).click()
            page.get_by_role("heading", name=re.compile(r"Link 0 .*confirmed")).wait_for()
            shoot(page, shots / "screenshot-review.png", 2000)
            saved = open_project("kosovo-dialogue", root).target("pt")
            assert saved.side.sentence("p1s1").text == EDITED and saved.links[0].status == CONFIRMED

            # Pictures: the path over the similarity matrix and the confidences.
            nav(page, "Pictures")
            page.locator('[data-testid="stImage"] img').nth(1).wait_for(timeout=180_000)
            shoot(page, shots / "screenshot-pictures.png", 1500)

            # Spot-check: the checks run on the translation and say what they found.
            nav(page, "Spot-check")
            page.get_by_role("button", name="Run checks").click()
            page.get_by_text("Warnings").first.wait_for(timeout=120_000)
            shoot(page, shots / "screenshot-spotcheck.png", 1000)

            # Export: the TMX download holds the edit, confirmed.
            nav(page, "Export")
            download_button = page.get_by_role("button", name="Download TMX 1.4b")
            with page.expect_download() as download:
                download_button.click()
            assert download.value.suggested_filename == "kosovo-dialogue.en-pt.tmx"
            corpus = import_tmx(Path(download.value.path()).read_bytes())
            assert (corpus.units[0].target, corpus.units[0].status) == (EDITED, CONFIRMED)
            shoot(page, shots / "screenshot-export.png", 600)

            nav(page, "Models")
            page.get_by_text("Pairs this machine translates").wait_for()
            shoot(page, shots / "screenshot-models.png", 1000)

            # A reload is a new session: the URL brings the project back, with the edit.
            page.reload()
            nav(page, "Review")
            playwright.expect(page.get_by_label("Target p1s1")).to_have_value(EDITED, timeout=60_000)
            grid.get_by_text(EDITED).first.wait_for(state="attached")
            playwright.expect(page.get_by_role("heading", name=re.compile(r"Link 0 .*confirmed"))).to_be_visible()
        finally:
            browser.close()
    print(f"\nbrowser: translate+align en->pt {translated_in:.1f} s, edit shown {edit_shown_in:.2f} s")
    assert translated_in < 300 and edit_shown_in < 30
