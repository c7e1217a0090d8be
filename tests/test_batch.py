"""Batch alignment: a small batch from the ParIce development set (three documents cut where a gold link ends, one
bad document among them) through the local executor, a run killed with SIGKILL and resumed, two worker processes,
a local Ray cluster, and the spot-checks over the corpus. The real model throughout; no refinement pass and
pre-split lines to keep the batch cheap on shared cores."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from workbench.alignment.beads import read_beads
from workbench.alignment.evaluation import score_alignments
from workbench.batch import (
    RAY_HINT,
    BatchOptions,
    CorpusFolder,
    LocalExecutor,
    RayExecutor,
    check_batch,
    mixed_routes,
    read_manifest,
    routes_used,
    run_batch,
    update_from_project,
)
from workbench.cli import main
from workbench.errors import InputError, WorkbenchError
from workbench.formats import ParallelCorpus, TranslationUnit, read_corpus
from workbench.formats.tmx import export_tmx

DATA = Path(__file__).parent / "data" / "batch"
DOCS = ("n_1", "n_2", "n_3")
OPTIONS = BatchOptions(presplit=True, refine=False)
#: One thread a process everywhere (the Ray actor takes one on 2 CPUs): the same sums in the same order, so runs in
#: other processes give the very same confidences.
CLI_OPTIONS = ["--presplit", "--no-refine", "--quiet", "--threads", "1", "--device", "cpu"]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSONL manifest: the three documents, and a binary file posing as a document second in line."""
    folder = tmp_path_factory.mktemp("manifest")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02 not text \xff\xfe\x00" * 40)
    rows = [
        {"id": doc, "source": str(DATA / "en" / f"{doc}.txt"), "target": str(DATA / "is" / f"{doc}.txt")}
        for doc in DOCS
    ]
    rows.insert(1, {"id": "bad", "source": "bad.txt", "target": str(DATA / "is" / "n_1.txt")})
    for row in rows:
        row.update(src_lang="en", tgt_lang="is")
    path = folder / "batch.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def baseline(manifest: Path, tmp_path_factory: pytest.TempPathFactory):
    """The uninterrupted run, one worker, in this process: what every other run is compared with."""
    import torch

    out = tmp_path_factory.mktemp("baseline") / "corpus"
    threads = torch.get_num_threads()
    try:
        report = run_batch(read_manifest(manifest), out, LocalExecutor(1, threads=1), OPTIONS)
    finally:
        torch.set_num_threads(threads)  # the in-process worker set one thread: later tests get theirs back
    return out, report


def _exports(folder: Path) -> dict[str, object]:
    """Everything a corpus folder hands to its users (timings live only in the markers)."""
    return {
        "links.jsonl": (folder / "links.jsonl").read_bytes(),
        "summary.tsv": (folder / "summary.tsv").read_bytes(),
        "summary.jsonl": (folder / "summary.jsonl").read_bytes(),
        "en-is.tmx": (folder / "tmx" / "en-is.tmx").read_bytes(),
        "links.parquet": pq.read_table(folder / "links.parquet").to_pylist(),
        "docs": {p.name: p.read_bytes() for p in sorted((folder / "docs").glob("*.jsonl"))},
    }


def _links(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "links.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_small_batch_aligns_every_good_document_and_reports_the_bad_one(baseline) -> None:
    out, report = baseline
    assert report.aligned == 3 and report.skipped == 0
    assert [doc for doc, _ in report.failed] == ["bad"]
    assert "binary" in report.failed[0][1]

    # The links are real alignments: close to the gold links of these documents.
    links = _links(out)
    assert {row["doc"] for row in links} == set(DOCS)
    for doc in DOCS:
        system = [r for r in links if r["doc"] == doc]
        assert [r["link"] for r in system] == list(range(1, len(system) + 1))
        gold = read_beads((DATA / "gold" / f"{doc}.align").read_text(encoding="utf-8").splitlines())
        beads = read_beads(f"{r['src']}:{r['tgt']}" for r in system)
        assert score_alignments([gold], [beads]).lax_f1 >= 0.8, doc

    # Parquet holds the same rows; the TMX every link with both sides, texts included.
    assert pq.read_table(out / "links.parquet").to_pylist() == links
    tmx = read_corpus(out / "tmx" / "en-is.tmx")
    both_sides = [r for r in links if r["src"] and r["tgt"]]
    assert [u.source for u in tmx.units] == [r["src_text"] for r in both_sides]
    assert [u.target for u in tmx.units] == [r["tgt_text"] for r in both_sides]
    # Written link by link, it is byte for byte the TMX the whole-tree export makes of the same units.
    units = [
        TranslationUnit(
            (r["src_text"],),
            (r["tgt_text"],),
            tuple(f"{r['doc']}:{i}" for i in r["src"]),
            tuple(f"{r['doc']}:{j}" for j in r["tgt"]),
            r["confidence"],
            r["status"],
        )
        for r in both_sides
    ]
    assert (out / "tmx" / "en-is.tmx").read_bytes() == export_tmx(ParallelCorpus("en", "is", units, "batch en-is"))

    # The summary: the failure first with its reason, then the documents weakest first.
    rows = [json.loads(line) for line in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["id"] == "bad" and rows[0]["status"] == "failed" and "binary" in rows[0]["reason"]
    ok = rows[1:]
    assert sorted(r["id"] for r in ok) == sorted(DOCS)
    means = [r["mean_confidence"] for r in ok]
    assert means == sorted(means)
    for row in ok:
        doc_links = [r for r in links if r["doc"] == row["id"]]
        assert row["links"] == len(doc_links)
        assert row["src_sentences"] == len((DATA / "en" / f"{row['id']}.txt").read_text().splitlines())
        assert row["lowest_confidence"] == min(r["confidence"] for r in doc_links if r["src"] and r["tgt"])
    tsv = (out / "summary.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in tsv[1:]] == [r["id"] for r in rows]


def test_a_run_killed_with_sigkill_resumes_to_the_same_output(manifest: Path, baseline, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    command = [sys.executable, "-m", "workbench.cli", "batch", "align", str(manifest), "--out", str(out)]
    process = subprocess.Popen([*command, *CLI_OPTIONS], start_new_session=True, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 600
        while not list((out / "done").glob("*.json")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        os.killpg(process.pid, signal.SIGKILL)  # the whole run, as an out-of-memory kill or a lost node would
    finally:
        process.wait()
    finished = [doc for doc in ("bad", *DOCS) if CorpusFolder(out).finished(doc)]
    assert 1 <= len(finished) < len(DOCS)
    assert not (out / "summary.tsv").exists()

    resumed = subprocess.run([*command, *CLI_OPTIONS], capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 1, resumed.stderr  # 1: the bad document failed again, the others are done
    assert f"{len(DOCS) - len(finished)} aligned, {len(finished)} already done, 1 failed" in resumed.stdout
    assert _exports(out) == _exports(baseline[0])


def test_two_worker_processes_give_the_same_links(manifest: Path, baseline, tmp_path: Path) -> None:
    pairs = [p for p in read_manifest(manifest) if p.id != "n_3"]  # two documents: one for each worker
    report = run_batch(pairs, tmp_path / "corpus", LocalExecutor(2, threads=1), OPTIONS)
    assert report.aligned == 2 and [doc for doc, _ in report.failed] == ["bad"]
    assert report.seconds["model_loading"] > 0
    _same_links(_links(tmp_path / "corpus"), [r for r in _links(baseline[0]) if r["doc"] != "n_3"])


def test_a_local_ray_cluster_runs_the_same_pipeline(manifest: Path, baseline, tmp_path: Path) -> None:
    import ray  # setup.sh installs the ray extra: this test runs in CI, it is never skipped

    executor = RayExecutor("local", num_cpus=2)
    try:
        report = run_batch(read_manifest(manifest), tmp_path / "corpus", executor, OPTIONS)
        if not ray.cluster_resources().get("GPU"):  # a GPU asked for on a cluster without one: said, no crash
            with pytest.raises(WorkbenchError, match="has no GPU"):
                run_batch(read_manifest(manifest), tmp_path / "gpu", RayExecutor("local", device="cuda"), OPTIONS)
    finally:
        ray.shutdown()
    assert "embedding actor" in executor.describe()
    assert report.aligned == 3 and [doc for doc, _ in report.failed] == ["bad"]
    _same_links(_links(tmp_path / "corpus"), _links(baseline[0]))


def _same_links(got: list[dict], expected: list[dict]) -> None:
    """Same links and texts; confidences equal to rounding (other processes may use other thread counts)."""
    assert [(r["doc"], r["src"], r["tgt"], r["src_text"]) for r in got] == [
        (r["doc"], r["src"], r["tgt"], r["src_text"]) for r in expected
    ]
    assert all(abs(a["confidence"] - b["confidence"]) < 1e-3 for a, b in zip(got, expected, strict=True))


def test_a_corpus_made_by_two_routes_of_the_model_says_so(manifest: Path, baseline, tmp_path: Path, capsys) -> None:
    """A batch resumed where e5-small takes another route (torch on a GPU machine; here one document's marker is
    rewritten as such a machine writes it, since this one has none): the summary names each document's route, and
    the command says the corpus mixes two, with how many documents each made."""
    import torch

    out = tmp_path / "corpus"
    shutil.copytree(baseline[0], out)
    routes = routes_used(CorpusFolder(out).summary())
    assert list(routes.values()) == [len(DOCS)] and mixed_routes(CorpusFolder(out).summary()) is None
    (route,) = routes
    marker = out / "done" / "n_2.json"
    other = "multilingual-e5-small-torch" if route != "multilingual-e5-small-torch" else "multilingual-e5-small-onnx"
    marker.write_text(json.dumps({**json.loads(marker.read_text(encoding="utf-8")), "embedder": other}), "utf-8")

    threads = torch.get_num_threads()
    try:
        code = main(["batch", "align", str(manifest), "--out", str(out), *CLI_OPTIONS])
    finally:
        torch.set_num_threads(threads)
    printed = capsys.readouterr().out
    assert code == 1 and "0 aligned, 3 already done, 1 failed" in printed  # the bad document fails again
    notes = [line for line in printed.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and f"2 routes of the model: {route} made 2, {other} made 1 (column" in notes[0]
    tsv = [line.split("\t") for line in (out / "summary.tsv").read_text(encoding="utf-8").splitlines()]
    column = tsv[0].index("embedder")
    assert sorted(row[column] for row in tsv[1:] if row[1] == "ok") == sorted([route, route, other])


def test_a_chinese_document_is_read_by_the_pair_and_that_is_no_mix_of_routes(e5, tmp_path: Path) -> None:
    """The default reads a Chinese side with USE beside it: a zh-en document's result names the pair, an en-is one
    e5 alone, and a corpus holding both is not reported as mixing routes; two routes within one pair still are."""
    from workbench.batch.manifest import DocumentPair
    from workbench.batch.pipeline import align_pair

    (tmp_path / "zh.txt").write_text("安理会于4月22日就科索沃问题举行了会议。\n我的猫睡在温暖的窗台上。\n", "utf-8")
    (tmp_path / "en.txt").write_text(
        "The Security Council held a meeting on Kosovo on April 22.\nMy cat sleeps on the warm windowsill.\n", "utf-8"
    )
    chinese = align_pair(DocumentPair("zh", tmp_path / "zh.txt", tmp_path / "en.txt", "zh", "en"), e5, OPTIONS)
    icelandic = align_pair(
        DocumentPair("n_1", DATA / "en" / "n_1.txt", DATA / "is" / "n_1.txt", "en", "is"), e5, OPTIONS
    )
    assert chinese.error is None and len(chinese.rows) == 2
    assert chinese.embedder == e5.for_languages("zh", "en").name != e5.name and icelandic.embedder == e5.name
    rows = [
        {"status": "ok", "src_lang": r.src_lang, "tgt_lang": r.tgt_lang, "embedder": r.embedder}
        for r in (chinese, icelandic)
    ]
    assert mixed_routes(rows) is None
    mixed = mixed_routes([*rows, {**rows[1], "embedder": "multilingual-e5-small-torch"}]) or ""
    assert mixed.startswith("the en-is documents were aligned by 2 routes")


def test_check_adds_the_spot_checks_counts_to_the_summary(baseline, tmp_path: Path, capsys) -> None:
    out = tmp_path / "corpus"
    shutil.copytree(baseline[0], out)
    assert main(["batch", "check", str(out), "--quiet"]) == 0
    assert "3 documents checked" in capsys.readouterr().out
    rows = [json.loads(line) for line in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["status"] == "ok":
            findings = json.loads((out / "checks" / f"{row['id']}.json").read_text(encoding="utf-8"))["findings"]
            assert row["errors"] == sum(f["severity"] == "error" for f in findings)
            assert row["warnings"] == sum(f["severity"] == "warning" for f in findings)
        else:
            assert row["errors"] == ""
    assert check_batch(out) == rows  # the library under the command: checking again finds the same


def test_a_document_opens_as_a_project_for_review_and_goes_back_reviewed(
    baseline, tmp_path: Path, monkeypatch, capsys
) -> None:
    from workbench.projects import confirm, flag, merge_links, open_project

    out = tmp_path / "corpus"
    shutil.copytree(baseline[0], out)
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(tmp_path / "projects"))
    summary = [json.loads(line) for line in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    weakest = next(row["id"] for row in summary if row["status"] == "ok")
    assert main(["batch", "open", str(out), weakest, "--name", "weakest"]) == 0
    rows = [r for r in _links(out) if r["doc"] == weakest]
    assert f"{len(rows)} links" in capsys.readouterr().out
    project = open_project("weakest")
    [target] = project.targets.values()
    for side, lang in ((project.source, "en"), (target.side, "is")):  # one sentence a line, as given (trimmed)
        lines = (DATA / lang / f"{weakest}.txt").read_text(encoding="utf-8").splitlines()
        assert side.texts() == [line.strip() for line in lines]
    assert [link.confidence for link in target.links] == [r["confidence"] for r in rows]
    assert [(len(link.src), len(link.tgt)) for link in target.links] == [(len(r["src"]), len(r["tgt"])) for r in rows]
    assert main(["batch", "open", str(out), "bad"]) == 2  # a failed document has nothing to review
    assert "no finished document 'bad'" in capsys.readouterr().err
    assert main(["batch", "open", str(out), "../n_1"]) == 2
    assert [p.name for p in (tmp_path / "projects").iterdir()] == ["weakest"]

    # Reviewed: the first link approved, the last two merged by hand, one flagged; then back into the corpus.
    others = [r for r in _links(out) if r["doc"] != weakest]
    key = target.key
    confirm(project, key, 0)
    flag(project, key, 1, "check the name")
    merge_links(project, key, len(rows) - 2, len(rows) - 1)
    assert main(["batch", "update", str(out), weakest, "--project", "weakest"]) == 0
    reviewed = [r for r in _links(out) if r["doc"] == weakest]
    assert [r["status"] for r in reviewed[:2]] == ["confirmed", "flagged"]
    assert len(reviewed) == len(rows) - 1 and reviewed[-1]["status"] == "manual"
    assert reviewed[-1]["src"] == rows[-2]["src"] + rows[-1]["src"]
    assert reviewed[-1]["confidence"] is None  # a link made by hand has no aligner's confidence
    assert [r for r in _links(out) if r["doc"] != weakest] == others
    assert pq.read_table(out / "links.parquet").to_pylist() == _links(out)
    units = read_corpus(out / "tmx" / "en-is.tmx").units
    assert [u.status for u in units if u.source == reviewed[0]["src_text"]] == ["confirmed"]
    row = next(json.loads(line) for line in (out / "summary.jsonl").open() if json.loads(line)["id"] == weakest)
    assert (row["reviewed"], row["confirmed"], row["links"]) == ("weakest", 1, len(rows) - 1)


def test_without_ray_the_option_says_how_to_get_it(manifest: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what an environment without the extra looks like to import
    assert main(["batch", "align", str(manifest), "--out", str(tmp_path / "c"), "--ray", "auto"]) == 2
    assert 'pip install -e ".[ray]"' in capsys.readouterr().err
    assert not (tmp_path / "c").exists()
    with pytest.raises(WorkbenchError, match=r"\[ray\]"):
        RayExecutor("auto")
    assert "pip install" in RAY_HINT


def test_manifests_tsv_and_folders_and_their_errors(tmp_path: Path) -> None:
    (tmp_path / "a.en").write_text("One.\n", encoding="utf-8")
    (tmp_path / "a.is").write_text("Einn.\n", encoding="utf-8")
    tsv = tmp_path / "m.tsv"
    tsv.write_text("source\ttarget\tsrc_lang\n\na.en\ta.is\ten\n", encoding="utf-8")
    [pair] = read_manifest(tsv, tgt_lang="is")
    assert (pair.id, pair.source, pair.target, pair.src_lang, pair.tgt_lang) == (
        "a",
        tmp_path / "a.en",
        tmp_path / "a.is",
        "en",
        "is",
    )
    pairs = read_manifest(DATA / "en", DATA / "is", src_lang="en", tgt_lang="is")
    assert [p.id for p in pairs] == list(DOCS)

    bad = {
        "dup.jsonl": '{"id": "x", "source": "a.en", "target": "a.is"}\n{"id": "x", "source": "a.en", "target": "a.is"}',
        "path.jsonl": '{"id": "../x", "source": "a.en", "target": "a.is"}',
        "nosrc.jsonl": '{"target": "a.is"}',
        "lang.tsv": "source\ttarget\tsrc_lang\na.en\ta.is\ten glish\n",
        "cols.tsv": "source\ttarget\tsize\na.en\ta.is\t3\n",
        "short.tsv": "source\ttarget\na.en\n",
        "broken.jsonl": '{"source": ',
        "m.csv": "source,target\n",
    }
    messages = {"dup": "used twice", "path": "file name", "nosrc": "'source'", "lang": "language code"}
    messages |= {"cols": "unknown column", "short": "line 2", "broken": "line 1", "m": ".tsv"}
    for name, text in bad.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=messages[name.split(".")[0]]):
            read_manifest(tmp_path / name)
    extra = tmp_path / "sources"
    shutil.copytree(DATA / "en", extra)
    (extra / "lonely.txt").write_text("Alone.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lonely\.txt"):
        read_manifest(extra, DATA / "is")


def test_a_resume_with_other_options_a_foreign_folder_or_a_concurrent_run_is_refused(
    manifest: Path, tmp_path: Path
) -> None:
    pairs = read_manifest(manifest)
    folder = CorpusFolder(tmp_path / "corpus")
    folder.start(pairs, OPTIONS)
    with pytest.raises(InputError, match="same options"):
        folder.start(pairs, BatchOptions(presplit=True, refine=True))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        CorpusFolder(tmp_path / "other").start(pairs, OPTIONS)
    assert (tmp_path / "other" / "notes.txt").read_text(encoding="utf-8") == "mine"
    # Two runs into one folder at the same time would align the same documents twice: the second is refused.
    with folder.locked():
        with pytest.raises(InputError, match="another batch run"):
            run_batch(pairs, folder.root, LocalExecutor(1), OPTIONS)
        with pytest.raises(InputError, match="another batch run"):
            check_batch(folder.root)
    assert sorted(p.name for p in folder.root.iterdir()) == [".lock", "batch.json"]


def test_a_documents_review_is_found_again_and_goes_back_without_naming_it(baseline, tmp_path: Path) -> None:
    """What the app's Corpus page runs: one click opens a document's review (made once, then reopened), and the
    update finds that project by itself, even under a name that is not the document's id."""
    from workbench.batch import corpus_summary, open_document_project, review_document, review_project_name
    from workbench.projects import confirm, delete_project

    out, root = tmp_path / "corpus", tmp_path / "projects"
    shutil.copytree(baseline[0], out)
    open_document_project(out, "n_2", "n_1", root)  # a project named like n_1, made from another document
    project, made = review_document(out, "n_1", root)
    assert (project.name, made) == ("n_1-2", True)
    [target] = project.targets.values()
    assert [link.confidence for link in target.links] == [r["confidence"] for r in _links(out) if r["doc"] == "n_1"]
    again, made = review_document(out, "n_1", root)
    assert (again.name, made) == ("n_1-2", False)
    assert review_project_name(out, "n_1", root) == "n_1-2"
    assert review_project_name(out, "n_3", root) is None

    confirm(again, target.key, 0)
    version = CorpusFolder(out).version()
    assert update_from_project(out, "n_1", root=root) == len(target.links)
    assert CorpusFolder(out).version() != version  # what tells the app's Corpus page to read the summary again
    row = next(r for r in corpus_summary(out) if r["id"] == "n_1")
    assert (row["reviewed"], row["confirmed"]) == ("n_1-2", 1)
    assert next(r for r in _links(out) if r["doc"] == "n_1")["status"] == "confirmed"

    delete_project("n_1-2", root)  # gone: the next click makes a new one rather than failing
    assert review_project_name(out, "n_1", root) is None
    assert review_document(out, "n_1", root)[0].name == "n_1-2"
    with pytest.raises(InputError, match="no finished document 'bad'"):
        review_document(out, "bad", root)
    with pytest.raises(InputError, match="does not exist"):
        corpus_summary(tmp_path / "nowhere")


def test_the_device_option_cpu_works_and_a_missing_gpu_is_one_message(manifest: Path, tmp_path: Path, capsys) -> None:
    """``--device``: cpu runs (the kill-and-resume test runs the command line with it); cuda where torch sees no
    GPU is refused before the corpus folder is made; a device Ray cannot place is refused by name."""
    from workbench.embedding.device import gpu_count

    assert LocalExecutor(1, device="cpu").describe().endswith("on cpu")
    assert LocalExecutor(1, device="auto").describe().endswith("on cuda" if gpu_count() else "on cpu")
    with pytest.raises(InputError, match="cpu, cuda"):
        LocalExecutor(1, device="tpu")
    with pytest.raises(InputError, match="give auto, cpu or cuda"):
        RayExecutor("local", device="cuda:3")
    if gpu_count():
        return  # the rest is about a machine without a GPU
    out = tmp_path / "corpus"
    assert main(["batch", "align", str(manifest), "--out", str(out), "--device", "cuda", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "device 'cuda' asked for" in err and "use cpu" in err and "Traceback" not in err
    assert not out.exists()
