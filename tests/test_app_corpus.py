"""The app's Corpus page: a batch result made by the test (two ParIce documents and a binary file posing as a
third, aligned with the real model), opened as a corpus in a real browser (Debian's chromium through Playwright):
documents weakest first, the failed one's reason, the weakest opened in Review with one click, a link edited and
approved there, and the review put back into the corpus exports. Folders that hold no batch are refused with a
message (AppTest, no browser)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import playwright.sync_api as playwright  # a dev dependency: always there after ./setup.sh
import pytest
from test_app import app_cache, errors, root, start  # noqa: F401 (fixtures)
from test_app_browser import BROWSER_ARGS, CHROMIUM, app_url, idle, message, nav, press  # noqa: F401 (fixture)

from workbench.batch import BatchOptions, LocalExecutor, read_manifest, run_batch
from workbench.formats import read_corpus

DATA = Path(__file__).parent / "data" / "batch"
EDITED = "Norræna samstarfið er víðtækt (yfirfarið í prófinu)."
FOLDER_INPUT = "corpus_folder-input"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished batch: n_1 and n_2 aligned, ``bad`` (binary) failed. Pre-split lines, no refinement: cheap."""
    import torch

    folder = tmp_path_factory.mktemp("batch")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02 not text \xff\xfe\x00" * 40)
    rows = [
        {"id": doc, "source": str(DATA / "en" / f"{doc}.txt"), "target": str(DATA / "is" / f"{doc}.txt")}
        for doc in ("n_1", "n_2")
    ]
    rows.insert(0, {"id": "bad", "source": "bad.txt", "target": str(DATA / "is" / "n_1.txt")})
    for row in rows:
        row.update(src_lang="en", tgt_lang="is")
    manifest = folder / "pairs.jsonl"
    manifest.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    threads = torch.get_num_threads()
    try:
        run_batch(
            read_manifest(manifest),
            folder / "corpus",
            LocalExecutor(1, threads=1),
            BatchOptions(presplit=True, refine=False),
        )
    finally:
        torch.set_num_threads(threads)  # the in-process worker set one thread: later tests get theirs back
    return folder / "corpus"


def _summary(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in (corpus / "summary.jsonl").read_text(encoding="utf-8").splitlines()]


def _links(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in (corpus / "links.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_folder_that_holds_no_batch_is_refused_with_a_message(root: Path, tmp_path: Path) -> None:  # noqa: F811
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "notes.txt").write_text("mine", encoding="utf-8")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "batch.json").write_text("{not json", encoding="utf-8")
    at = start(page="corpus")
    assert at.title[0].value == "Corpus"
    expected = {
        plain: "holds no batch",
        tmp_path / "missing": "does not exist",
        plain / "notes.txt": "is a file",
        damaged: "is damaged",
    }
    for folder, words in expected.items():
        at.text_input(key=FOLDER_INPUT).input(str(folder)).run()
        assert not at.exception, at.exception
        assert any(words in e for e in errors(at)), (folder, errors(at))
        assert not at.dataframe and not [b for b in at.button if b.label == "Open in Review"]
    assert sorted(p.name for p in plain.iterdir()) == ["notes.txt"]  # nothing made in a folder that is not a batch
    assert not (tmp_path / "missing").exists()


def _grid_ids(page: playwright.Page) -> list[str]:
    """The document ids in the table's order (the grid's accessible cells; the first column is the id)."""
    rows = page.locator('[data-testid="stDataFrame"] [role=row]')
    rows.nth(1).locator("[role=gridcell]").first.wait_for(
        state="attached"
    )  # the grid draws its rows after the page's run
    return [row.locator("[role=gridcell]").first.inner_text() for row in rows.all()[1:]]


def _expect_selected(page: playwright.Page, doc_id: str) -> None:
    """The table's one selected row is the document's, as its accessible grid tells (the grid redraws after the run)."""
    selected = page.locator('[data-testid="stDataFrame"] [role=row][aria-selected=true]')
    playwright.expect(selected).to_have_count(1)
    playwright.expect(selected.locator("[role=gridcell]").first).to_have_text(doc_id)


def _select_row(page: playwright.Page, index: int) -> None:
    """Tick the row's box in the table (drawn on a canvas: clicked where the box is, 35 px a row)."""
    box = page.locator('[data-testid="stDataFrame"]').bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 * (index + 1) + 17)


def test_browser_opens_the_weakest_document_in_review_and_puts_the_review_back(
    batch: Path,
    app_url: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    url, projects = app_url
    corpus = tmp_path / "corpus"
    shutil.copytree(batch, corpus)
    before = _links(corpus)
    summary = _summary(corpus)
    weakest = next(row["id"] for row in summary if row["status"] == "ok")
    other = next(row["id"] for row in summary if row["status"] == "ok" and row["id"] != weakest)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(f"{url}/corpus", timeout=120_000)
            page.get_by_role("heading", name="Corpus", exact=True).wait_for(timeout=120_000)
            field = page.get_by_role("textbox", name="Batch output folder")
            field.fill(str(corpus))
            field.press("Enter")

            # Failures first, then weakest first; the weakest aligned document is selected to begin with.
            page.get_by_role("button", name="Open in Review").wait_for()
            idle(page)
            assert _grid_ids(page) == [row["id"] for row in summary] == ["bad", weakest, other]
            playwright.expect(page.get_by_text("3 documents: 2 aligned, 1 failed; 0 reviewed")).to_be_visible()
            playwright.expect(page.get_by_role("heading", name=weakest)).to_be_visible()

            # The failed document, chosen with the keyboard alone in the box under the table (the table's rows
            # cannot be selected by keyboard): its reason, and nothing to open; the table's selection follows.
            choice = page.get_by_role("combobox", name="Document")
            playwright.expect(choice).to_have_value(weakest)
            choice.focus()
            page.keyboard.type("bad")
            page.keyboard.press("Enter")
            page.get_by_text("bad.txt looks like a binary file").wait_for()
            idle(page)
            assert page.get_by_role("button", name="Open in Review").count() == 0
            _expect_selected(page, "bad")

            # The weakest one, picked in the table (the box follows), in Review with one click.
            _select_row(page, 1)
            playwright.expect(choice).to_have_value(weakest)
            _expect_selected(page, weakest)
            page.get_by_role("button", name="Open in Review").click()
            page.get_by_role("heading", name="Review", exact=True).wait_for()
            page.locator(".wbr-row").first.wait_for()
            idle(page)
            page.locator(".wbr-row").first.click()
            press(page, "l")  # the target sentence of link 1 (a 1-1 link)
            press(page, "Enter", "document.activeElement.tagName === 'TEXTAREA'")
            page.keyboard.press("Control+a")
            page.keyboard.type(EDITED)
            press(page, "Control+Enter")
            message(page, "Saved the new text of is sentence")
            press(page, "a", "document.querySelector('.wbr-counts').innerText.startsWith('1 of')")

            # Back in the corpus: the review goes into its exports.
            nav(page, "Corpus")
            page.get_by_role("button", name="Put the review back into the corpus").wait_for()
            playwright.expect(page.get_by_text(f"being reviewed in project {weakest}")).to_be_visible()
            idle(page)
            page.get_by_role("button", name="Put the review back into the corpus").click()
            page.get_by_text(f"reviewed links of {weakest} are in the corpus").wait_for()
            playwright.expect(page.get_by_text("1 reviewed. Weakest first.")).to_be_visible()
        finally:
            browser.close()

    after = _links(corpus)
    first = next(r for r in after if r["doc"] == weakest)
    was = next(r for r in before if r["doc"] == weakest)
    assert (first["status"], first["src_text"]) == ("confirmed", was["src_text"])
    assert EDITED in first["tgt_text"] and EDITED not in was["tgt_text"] and was["status"] == "auto"
    assert [r for r in after if r["doc"] != weakest] == [r for r in before if r["doc"] != weakest]
    units = read_corpus(corpus / "tmx" / "en-is.tmx").units
    assert [(u.target, u.status) for u in units if u.source == first["src_text"]] == [(first["tgt_text"], "confirmed")]
    row = next(r for r in _summary(corpus) if r["id"] == weakest)
    assert (row["reviewed"], row["confirmed"]) == (weakest, 1)
    assert (projects / weakest).is_dir()
