"""How long the app takes, measured in a real browser: translate+align the seed into pt, es and fr, and show an edit.

Starts the app (``workbench.app.server.running_app``) with caches of its own, drives Debian's chromium with
Playwright, and times from the click on "Translate and align" until the review table shows the translation, and
from the click on "Save text" until the table shows the edited sentence.

"Models warm": a warm-up project (other English text) is first translated into all three languages, so the
Bergamot model, Apertium and the embedding model are loaded; the seed's own sentences are then new to the
translation and embedding caches. A second pass translates the seed again, everything cached.

    .venv/bin/python bench/app_timing.py            # prints a Markdown table
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from workbench.alignment.beads import Bead
from workbench.app.server import running_app
from workbench.documents import document_from_text, load_document
from workbench.paths import default_cache_dir
from workbench.projects import add_target, create_project

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
LANGS = ("pt", "es", "fr")
WARM_UP = (
    "The committee met on Tuesday to discuss the budget. Several members asked for more time.\n\n"
    "In the afternoon, the chair presented a new proposal on transport and energy."
)


def translate(page: Page, url: str, project: str, lang: str) -> tuple[float, float]:
    """Seconds from the click on "Translate and align" to the Review page, and to its table showing the links."""
    page.goto(f"{url}/translate?project={project}", timeout=120_000)
    page.get_by_role("heading", name="Translate", exact=True).wait_for(timeout=120_000)
    page.locator('[data-testid="stMultiSelect"]').click()
    page.get_by_role("option", name=re.compile(rf"^{lang} · ")).click()
    page.keyboard.press("Escape")
    button = page.get_by_role("button", name="Translate and align")
    page.wait_for_load_state("networkidle")
    started = time.perf_counter()
    button.click()
    page.get_by_role("heading", name="Review", exact=True).wait_for(timeout=600_000)
    shown = time.perf_counter() - started
    page.locator('[data-testid="stDataFrame"] [role="gridcell"]').first.wait_for(state="attached", timeout=600_000)
    return time.perf_counter() - started, shown


def idle(page: Page) -> None:
    """Wait until the app's script is not running (widgets replaced by a rerun would swallow typing)."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=120_000)


def edit(page: Page, text: str) -> float:
    """Seconds from the click on "Save text" to the table showing the new text of the first target sentence."""
    idle(page)
    box = page.get_by_label("Target p1s1")
    box.fill(text)
    started = time.perf_counter()
    page.get_by_role("button", name="Save text").click()
    page.locator('[data-testid="stDataFrame"]').get_by_text(text).first.wait_for(state="attached", timeout=60_000)
    return time.perf_counter() - started


def large_project(root: Path, n: int = 2000) -> str:
    """A 2,000-sentence en-pt project with given 1-1 links (no model runs), as a long document would be."""
    source = document_from_text("\n\n".join(f"Sentence {k} of a long report on apples." for k in range(n)), "en")
    target = document_from_text("\n\n".join(f"Frase {k} de um longo relatório sobre maçãs." for k in range(n)), "pt")
    project = create_project("large", source, root)
    add_target(project, target, "pt", beads=[Bead((k,), (k,), 0.5 + (k % 50) / 100) for k in range(n)])
    return "large"


def large(page: Page, url: str, name: str) -> tuple[float, float, float]:
    """Seconds to open Review on the large project (table drawn), to jump to link 1960, and to show an edit there."""
    started = time.perf_counter()
    page.goto(f"{url}/review?project={name}", timeout=120_000)
    page.locator('[data-testid="stDataFrame"] [role="gridcell"]').first.wait_for(state="attached", timeout=120_000)
    opened = time.perf_counter() - started
    idle(page)
    link = page.get_by_label("Link", exact=True)
    link.fill("1960")
    started = time.perf_counter()
    link.press("Enter")
    page.get_by_label("Target p1961s1").wait_for(timeout=60_000)
    page.locator('[data-testid="stDataFrame"]').get_by_text("Frase 1950 ").first.wait_for(state="attached")
    jumped = time.perf_counter() - started
    idle(page)
    box = page.get_by_label("Target p1961s1")
    box.fill("Frase revista perto do fim.")
    started = time.perf_counter()
    page.get_by_role("button", name="Save text").click()
    page.locator('[data-testid="stDataFrame"]').get_by_text("Frase revista perto do fim.").first.wait_for(
        state="attached", timeout=60_000
    )
    return opened, jumped, time.perf_counter() - started


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="workbench-app-timing-"))
    root, cache = work / "alignments", work / "cache"
    cache.mkdir()
    (cache / "models").symlink_to(default_cache_dir() / "models", target_is_directory=True)
    seed = load_document("kosovo-dialogue")
    create_project("warm-up", document_from_text(WARM_UP, "en", name="warm-up"), root)
    for lang in LANGS:
        create_project(f"seed-{lang}", seed, root)
        create_project(f"seed-{lang}-again", seed, root)
    large_name = large_project(root)
    env = {"WORKBENCH_ALIGNMENTS": str(root), "WORKBENCH_CACHE": str(cache)}
    cold: dict[str, tuple[float, float]] = {}
    warm: dict[str, tuple[float, float]] = {}
    cached: dict[str, tuple[float, float]] = {}
    edits: list[float] = []
    with running_app(env=env, log=work / "server.log") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for lang in LANGS:  # the first language also loads the embedding model: reported apart
            cold[lang] = translate(page, url, "warm-up", lang)
        for lang in LANGS:
            warm[lang] = translate(page, url, f"seed-{lang}", lang)
        for k in range(5):
            edits.append(edit(page, f"Frase editada número {k} para medir o tempo."))
        for lang in LANGS:
            cached[lang] = translate(page, url, f"seed-{lang}-again", lang)
        opened, jumped, edited = large(page, url, large_name)
        browser.close()
    print("| click on Translate to the aligned table (Review page shown) | pt | es | fr |")
    print("|---|---|---|---|")
    rows = [
        ("warm-up text (4 sentences), models loading", cold),
        ("seed (27 sentences), models warm", warm),
        ("seed again, translations and embeddings cached", cached),
    ]
    for label, times in rows:
        print(f"| {label} | " + " | ".join(f"{times[x][0]:.1f} s ({times[x][1]:.1f} s)" for x in LANGS) + " |")
    print(
        f"\nedit shown in the table: median {statistics.median(edits):.2f} s, "
        f"max {max(edits):.2f} s ({len(edits)} edits)"
    )
    print(
        f"2,000-link project: Review opened (table drawn) in {opened:.1f} s, jump to link 1960 (page 40) "
        f"{jumped:.1f} s, an edit there shown in {edited:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
