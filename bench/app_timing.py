"""How long the app takes, measured in a real browser: translate+align the seed into pt, es and fr, and show an edit.

Starts the app (``workbench.app.server.running_app``) with caches of its own, drives Debian's chromium with
Playwright, and times from the click on "Translate and align" until the review editor shows the translation, and
from Ctrl+Enter in the editor until the row shows the saved sentence. A generated 5,000-link project measures
the editor at size: opening it, going to link 4000, moving from link to link, and edits there.

"Models warm": a warm-up project (other English text) is first translated into all three languages, so the
Bergamot model, Apertium and the embedding model are loaded; the seed's own sentences are then new to the
translation and embedding caches. A second pass translates the seed again, everything cached.

    .venv/bin/python -m bench.app_timing            # prints a Markdown table
    .venv/bin/python -m bench.app_timing --large    # only the 5,000-link project
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
    page.locator(".wbr-row").first.wait_for(state="attached", timeout=600_000)
    return time.perf_counter() - started, shown


def idle(page: Page) -> None:
    """Wait until the app's script is not running (widgets replaced by a rerun would swallow typing)."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=120_000)


def edit(page: Page, text: str) -> float:
    """Seconds from Ctrl+Enter in the editor of the current link's target sentence until the row shows the saved
    text (the page's run applies the edit, recomputes the quality signal and sends the rows back)."""
    idle(page)
    row = page.locator(".wbr-row.wbr-current")
    row.locator(".wbr-sent").last.dblclick()
    area = row.locator("textarea")
    area.fill(text)
    started = time.perf_counter()
    area.press("Control+Enter")
    page.locator(".wbr-row.wbr-current:not(.wbr-pending) .wbr-msg-success").wait_for(timeout=60_000)
    page.locator(".wbr-row.wbr-current").get_by_text(text).wait_for(timeout=60_000)
    return time.perf_counter() - started


def large_project(root: Path, n: int = 5000) -> str:
    """A 5,000-link en-pt project with given links (no model runs), sentences of every length as in a report."""
    seed = load_document("kosovo-dialogue")
    lengths = [s.text for s in seed.sentences]
    source = document_from_text(
        "\n\n".join(f"({k}) {lengths[k % len(lengths)]}" for k in range(n)), "en", name="large-en"
    )
    target = document_from_text(
        "\n\n".join(
            f"({k}) Frase {k} de um longo relatório: {lengths[(k * 7) % len(lengths)][:120]}" for k in range(n)
        ),
        "pt",
        name="large-pt",
    )
    project = create_project("large", source, root)
    beads = [Bead((k,), (k,), 0.4 + (k % 60) / 100) for k in range(n)]
    add_target(project, target, "pt", beads=beads)
    return "large"


def current_link(page: Page) -> str | None:
    return page.evaluate("document.querySelector('.wbr-row.wbr-current')?.dataset.link ?? null")


def moves(page: Page, presses: int = 20) -> list[float]:
    """Seconds from a key press (j, next link) to the next link drawn as current, each measured in the page."""
    times = []
    for _ in range(presses):
        before = int(current_link(page) or 0)
        started = time.perf_counter()
        page.keyboard.press("j")
        page.wait_for_function(
            f"document.querySelector('.wbr-row.wbr-current')?.dataset.link === '{before + 1}'", polling="raf"
        )
        times.append(time.perf_counter() - started)
    return times


def large(page: Page, url: str, name: str) -> tuple[float, float, list[float], list[float]]:
    """Seconds to open Review on the large project (rows drawn), to go to link 4000, to move on from there,
    and to show edits there."""
    started = time.perf_counter()
    page.goto(f"{url}/review?project={name}", timeout=120_000)
    page.locator(".wbr-row").first.wait_for(state="attached", timeout=120_000)
    opened = time.perf_counter() - started
    idle(page)
    page.locator(".wbr-row").first.click()
    page.keyboard.press("g")
    page.keyboard.type("4000")
    started = time.perf_counter()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.wbr-row.wbr-current')?.dataset.link === '4000'", polling="raf")
    jumped = time.perf_counter() - started
    moved = moves(page)
    edits = [edit(page, f"Frase revista perto do fim, versão {k}.") for k in range(5)]
    return opened, jumped, moved, edits


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
        if "--large" in sys.argv:
            opened, jumped, moved, large_edits = large(page, url, large_name)
            browser.close()
            _print_large(opened, jumped, moved, large_edits)
            return 0
        for lang in LANGS:  # the first language also loads the embedding model: reported apart
            cold[lang] = translate(page, url, "warm-up", lang)
        for lang in LANGS:
            warm[lang] = translate(page, url, f"seed-{lang}", lang)
        for k in range(5):
            edits.append(edit(page, f"Frase editada número {k} para medir o tempo."))
        for lang in LANGS:
            cached[lang] = translate(page, url, f"seed-{lang}-again", lang)
        opened, jumped, moved, large_edits = large(page, url, large_name)
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
        f"\nedit saved and shown in the editor: median {statistics.median(edits):.2f} s, "
        f"max {max(edits):.2f} s ({len(edits)} edits)"
    )
    _print_large(opened, jumped, moved, large_edits)
    return 0


def _print_large(opened: float, jumped: float, moved: list[float], large_edits: list[float]) -> None:
    print(
        f"5,000-link project: Review opened (rows drawn) in {opened:.1f} s, go to link 4000 {jumped * 1000:.0f} ms; "
        f"next link (j) there: median {statistics.median(moved) * 1000:.0f} ms, max {max(moved) * 1000:.0f} ms "
        f"({len(moved)} moves); an edit there saved and shown: median {statistics.median(large_edits):.2f} s, "
        f"max {max(large_edits):.2f} s ({len(large_edits)} edits)"
    )


if __name__ == "__main__":
    sys.exit(main())
