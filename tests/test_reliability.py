"""Fault injection: what a user sees when the disk is full, a folder is read-only, a process is killed, a project
file is bad or an input is hostile, and that no saved work changes (issue 12; docs/reliability.md lists them).

Everything here is real: SQLite files in a temporary alignments folder, child processes limited with
``RLIMIT_FSIZE`` (a write past the limit fails as on a full disk), ``kill -9``, and, where this machine allows it,
a user namespace in which root cannot write a read-only folder and a 200 KB tmpfs that fills up.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.errors import InputError
from workbench.formats import export_corpus, read_corpus
from workbench.formats.units import ParallelCorpus, TranslationUnit
from workbench.projects import (
    CorruptProjectError,
    Project,
    ProjectNameError,
    check_project_name,
    confirm,
    list_projects,
    open_project,
    project_from_corpus,
)
from workbench.projects.errors import ProjectAccessError, ProjectBusyError
from workbench.projects.store import PROJECT_FILE, remove_stale_temporaries
from workbench.uploads import corpus_from_upload, free_project_name, size_warning

CJK_NAME = "語" * 100  # 100 characters pass a character count; 300 bytes do not fit a file name


def corpus(units: int = 3) -> ParallelCorpus:
    return ParallelCorpus(
        "en",
        "de",
        [TranslationUnit((f"Sentence {k}.",), (f"Satz {k}.",), confidence=0.5) for k in range(units)],
        name="c",
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "alignments"
    folder.mkdir()
    return folder


@pytest.fixture
def project(root: Path) -> Project:
    return project_from_corpus("good", corpus(), root)


def run_cli(
    *args: str,
    root: Path,
    prefix: tuple[str, ...] = (),
    preexec: Callable[[], None] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``workbench ARGS`` in a child process, alignments in ``root``; ``prefix`` wraps it (``unshare``)."""
    env = {**os.environ, "WORKBENCH_ALIGNMENTS": str(root)}
    env.pop("WORKBENCH_DEBUG", None)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "workbench.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        preexec_fn=preexec,
        cwd=cwd,
    )


def file_size_limit(limit: int) -> Callable[[], None]:
    """For a child: writes past ``limit`` bytes of any file fail (EFBIG) as they would on a full disk."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the writer instead of failing the write
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def one_line_refusal(result: subprocess.CompletedProcess[str]) -> str:
    """The error line of a command that refused: exit status 2, one line, no internal error, no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("workbench:")]
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and "internal error" not in lines[0] and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def saved_state(path: Path) -> tuple[str, int, list[tuple[str, str]], str]:
    """What a project file holds that an edit would change: revision, edit count, link statuses and notes, and
    SQLite's own integrity check."""
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        (revision,) = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        (edits,) = db.execute("SELECT COUNT(*) FROM edits").fetchone()
        links = db.execute("SELECT status, note FROM links ORDER BY target, position").fetchall()
        (check,) = db.execute("PRAGMA integrity_check").fetchone()
    finally:
        db.close()
    return revision, edits, links, check


def user_namespace(command: list[str]) -> list[str]:
    """``command`` as a process that file modes apply to: root ignores them, so root runs it in a user namespace."""
    if os.geteuid() != 0:
        return command
    if shutil.which("unshare") is None or subprocess.run(["unshare", "--user", "true"]).returncode != 0:
        pytest.skip("running as root without user namespaces: no way to make a folder read-only for the test")
    return ["unshare", "--user", *command]


# ----------------------------------------------------------------------------------------- 1: classified by cause

SAVE_BIG_NOTE = r"""
import sys
from pathlib import Path
from workbench.errors import WorkbenchError
from workbench.projects import flag, open_project
project = open_project("good", Path(sys.argv[1]))
try:
    flag(project, "de", 0, "x" * 200_000)  # a note the size of many pages: the write-ahead log outgrows the limit
    print("saved")
except WorkbenchError as exc:
    print(f"{type(exc).__name__}: {exc}")
"""


def test_a_save_on_a_full_disk_says_so_and_keeps_the_project(project: Project, root: Path) -> None:
    before = saved_state(project.path)
    ran = subprocess.run(
        [sys.executable, "-c", SAVE_BIG_NOTE, str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=file_size_limit(60_000),
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("DiskFullError: project 'good': the disk holding"), ran.stdout
    assert "nothing was saved" in ran.stdout and "damaged" not in ran.stdout and "delete" not in ran.stdout
    assert saved_state(project.path) == before  # rolled back: same revision, no edit, integrity ok
    assert open_project("good", root).target("de").links[0].note == ""


def test_import_on_a_full_disk_is_one_line_and_leaves_nothing(root: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    lines = ['{"source_lang": "en", "target_lang": "de"}']
    lines += [json.dumps({"source": f"Sentence number {k} is here.", "target": f"Satz {k}."}) for k in range(3000)]
    big.write_text("\n".join(lines) + "\n")
    result = run_cli("import", str(big), "--name", "big", root=root, preexec=file_size_limit(100_000))
    line = one_line_refusal(result)
    assert "disk holding" in line and "is full" in line and "nothing was made" in line
    assert list(root.iterdir()) == []  # no project, no folder, no temporary file


def test_a_real_full_file_system_is_reported_as_full(root: Path, tmp_path: Path) -> None:
    """A 200 KB tmpfs in a user and mount namespace: SQLite gets ENOSPC itself (SQLITE_FULL)."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare here")
    small = tmp_path / "small"
    small.mkdir()
    big = tmp_path / "big.jsonl"
    lines = ['{"source_lang": "en", "target_lang": "de"}']
    lines += [json.dumps({"source": f"Sentence number {k} is here.", "target": f"Satz {k}."}) for k in range(6000)]
    big.write_text("\n".join(lines) + "\n")
    script = (
        f"mount -t tmpfs -o size=200k tmpfs {small} || exit 77; "
        f"WORKBENCH_ALIGNMENTS={small} {sys.executable} -m workbench.cli import {big} --name big; "
        f"echo rc=$?; ls -A {small}"
    )
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    if ran.returncode == 77 or "unshare:" in ran.stderr:
        pytest.skip(f"no tmpfs in a user namespace here: {ran.stderr.strip()}")
    assert "rc=2" in ran.stdout, ran.stdout + ran.stderr
    assert "is full" in ran.stderr and "internal error" not in ran.stderr and "damaged" not in ran.stderr
    assert ran.stdout.strip().endswith("rc=2")  # `ls -A` printed nothing: no project folder or temporary file left


READ_ONLY_CLI = """
set -e
{cli} project list
{cli} project show good --width 0
{cli} project show fresh --width 0
{cli} export good --format tsv --out {out}
{cli} check fresh --quiet
set +e
{cli} export fresh --format tsv
echo "export=$?"
{cli} project new other --source kosovo-dialogue
echo "new=$?"
{cli} project delete good --yes
echo "delete=$?"
"""


def test_a_read_only_project_lists_shows_and_exports_and_refuses_edits_in_one_line(
    project: Project, root: Path, tmp_path: Path
) -> None:
    confirm(project, "de", 1)  # one project edited since it was made, one never opened again
    fresh = project_from_corpus("fresh", corpus(), root)
    before = [saved_state(project.path), saved_state(fresh.path)]
    out = tmp_path / "out"
    out.mkdir()
    cli = f"WORKBENCH_ALIGNMENTS={root} {sys.executable} -m workbench.cli"
    command = user_namespace(["sh", "-c", READ_ONLY_CLI.format(cli=cli, out=out / "good.tsv")])
    modes = [(root / "good", 0o555), (project.path, 0o444), (root / "fresh", 0o555), (fresh.path, 0o444)]
    for path, mode in [*modes, (root, 0o555)]:
        path.chmod(mode)
    try:
        ran = subprocess.run(command, capture_output=True, text=True, timeout=300)
    finally:
        for path, mode in [(root, 0o755), *modes]:
            path.chmod(mode | 0o200)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "good   en  -> de 3 links, 1 confirmed" in ran.stdout  # listed, not "UNREADABLE"
    assert "revision 1" in ran.stdout and "Satz 2." in ran.stdout  # shown
    assert "fresh: en, 3 sentences" in ran.stdout and "fresh en->de: 3 links" in ran.stdout  # shown, checked
    assert (out / "good.tsv").read_text().count("\n") == 4  # exported: a header and three links
    assert "export=2" in ran.stdout and "new=2" in ran.stdout and ran.stdout.strip().endswith("delete=2")
    refusal = [line for line in ran.stderr.splitlines() if line.startswith("workbench:")]
    assert len(refusal) == 3, ran.stderr
    assert "Permission denied" in refusal[0] and "--out FILE" in refusal[0]  # its own folder: say where else
    assert "cannot create project 'other'" in refusal[1] and "cannot be written" in refusal[1]
    assert "project 'good' could not be deleted" in refusal[2] and "Permission denied" in refusal[2]
    assert "damaged" not in ran.stderr and "internal error" not in ran.stderr
    assert [saved_state(project.path), saved_state(fresh.path)] == before
    assert not (root / "other").exists()


def test_a_project_another_process_keeps_locked_is_busy_not_damaged(project: Project, root: Path) -> None:
    """A child holds the write lock longer than a save waits (10 s): the save says busy, and the file is fine."""
    before = saved_state(project.path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time; db = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "db.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(30)",
            str(project.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(ProjectBusyError, match=r"is busy: another process is saving it\. Try again\.") as busy:
            confirm(project, "de", 0)
        assert "damaged" not in str(busy.value)
    finally:
        holder.kill()
        holder.wait()
    assert saved_state(project.path) == before
    confirm(project, "de", 0)  # once the lock is gone, the same save goes through
    assert open_project("good", root).target("de").links[0].status == "confirmed"


def test_only_a_file_sqlite_finds_malformed_is_damaged(project: Project, root: Path) -> None:
    (root / "junk").mkdir()
    (root / "junk" / PROJECT_FILE).write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    with pytest.raises(CorruptProjectError, match="damaged"):
        open_project("junk", root)
    assert open_project("good", root).revision == 0  # the other one is not affected


# ----------------------------------------------------------------------------------------- 2: one bad project


def break_revision(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = 'seven' WHERE key = 'revision'")
    db.commit()
    db.close()


def test_a_project_whose_revision_is_not_a_number_is_listed_with_its_error(project: Project, root: Path) -> None:
    bad = project_from_corpus("bad", corpus(), root)
    break_revision(bad.path)
    summaries = {s.name: s for s in list_projects(root)}
    assert summaries["good"].error is None and summaries["good"].targets[0].links == 3
    assert "revision 'seven' is not a number" in (summaries["bad"].error or "")
    result = run_cli("project", "list", root=root)
    assert result.returncode == 0, result.stderr
    assert "bad   UNREADABLE:" in result.stdout and "good  en  -> de 3 links" in result.stdout


def test_the_open_page_lists_every_project_beside_a_bad_one(
    project: Project, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    break_revision(project_from_corpus("bad", corpus(), root).path)
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(root))
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path / "cache"))
    main = Path(__file__).resolve().parent.parent / "workbench" / "app" / "main.py"
    at = AppTest.from_file(str(main), default_timeout=120)
    at.query_params["project"] = CJK_NAME  # case 5 too: a name too long for a file name, in the URL
    at.run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("**bad**" in w and "is not a number" in w for w in warnings), warnings
    assert any(b.key == "open-project-good" for b in at.button)  # the good one still opens
    assert [h.value for h in at.subheader][-1:] == ["Projects"] and at.file_uploader is not None
    assert "project" not in at.query_params  # refused once, not again at every reload


# ----------------------------------------------------------------------------------------- 3: every unit or none


def test_jsonl_with_a_unit_whose_source_is_not_a_string_is_refused_naming_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"source_lang": "en", "target_lang": "de"}\n{"source": "Hello.", "target": "Hallo."}\n'
        '{"source": 5, "target": "Fünf."}\n{"source": "A.", "target": ["B."]}\n'
    )
    with pytest.raises(InputError, match=r"c.jsonl, line 3: source must be a string, not int"):
        read_corpus(path)


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "tmx", "xliff", "xliff2"])
def test_a_confidence_outside_0_to_1_is_refused_in_every_format(fmt: str, tmp_path: Path) -> None:
    data = export_corpus(corpus(1), fmt).decode("utf-8")
    assert data.count("0.5") == 1
    path = tmp_path / f"c.en-de.{'xlf' if fmt.startswith('xliff') else fmt}"
    path.write_text(data.replace("0.5", "7"))
    with pytest.raises(InputError, match="outside 0 to 1"):
        read_corpus(path, fmt)


def test_units_without_text_are_never_dropped_without_a_word(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"source_lang": "en", "target_lang": "de"}\n{"source": "Hello.", "target": "Hallo."}\n'
        '{"source": "", "target": " "}\n{"source": "A.", "target": "B."}\n{"source_segments": [], "target": ""}\n'
    )
    result = run_cli("import", str(path), "--name", "c", root=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "imported 2 links into project c, target de; 2 units with no text on either side left out (units 2, 4)"
    )


def test_the_open_page_names_the_upload_and_says_what_an_import_leaves_out(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(root))
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path / "cache"))
    main = Path(__file__).resolve().parent.parent / "workbench" / "app" / "main.py"
    at = AppTest.from_file(str(main), default_timeout=120)
    at.run()
    at.segmented_control(key="open_source").set_value("Upload a file").run()
    header = b'{"source_lang": "en", "target_lang": "de"}\n'
    at.file_uploader[0].set_value(("mine.jsonl", header + b'{"source": 5}\n', "application/jsonl")).run()
    shown = " ".join(e.value for e in at.error)
    assert "mine.jsonl, line 2: source must be a string" in shown and "workbench-upload-" not in shown
    good = header + b'{"source": "Hi.", "target": "Hallo."}\n{"source": "", "target": ""}\n'
    at.file_uploader[0].set_value(("mine.jsonl", good, "application/jsonl")).run()
    assert not at.exception, at.exception
    assert any("2 translation units" in c.value for c in at.caption)
    assert any(w.value.startswith("1 unit with no text on either side left out (unit 2)") for w in at.warning)


# ----------------------------------------------------------------------------------------- 4: exports


def test_export_never_replaces_a_file_or_follows_a_link_unless_forced(
    project: Project, root: Path, tmp_path: Path
) -> None:
    existing = tmp_path / "existing.tsv"
    existing.write_text("keep me\n")
    line = one_line_refusal(run_cli("export", "good", "--format", "tsv", "--out", str(existing), root=root))
    assert "already a file" in line and "--force" in line and existing.read_text() == "keep me\n"

    elsewhere = tmp_path / "system-file"
    elsewhere.write_text("precious\n")
    link = tmp_path / "link.tsv"
    link.symlink_to(elsewhere)
    line = one_line_refusal(run_cli("export", "good", "--format", "tsv", "--out", str(link), root=root))
    assert "symbolic link" in line and elsewhere.read_text() == "precious\n" and link.is_symlink()

    forced = run_cli("export", "good", "--format", "tsv", "--out", str(link), "--force", root=root)
    assert forced.returncode == 0, forced.stderr
    assert not link.is_symlink() and "Satz 0." in link.read_text() and elsewhere.read_text() == "precious\n"

    first = run_cli("export", "good", "--format", "moses", "--out", str(tmp_path / "m"), root=root)
    assert first.returncode == 0, first.stderr
    (tmp_path / "m.en").unlink()  # one of the two left: the second export refuses before writing either
    one_line_refusal(run_cli("export", "good", "--format", "moses", "--out", str(tmp_path / "m"), root=root))
    assert not (tmp_path / "m.en").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-0.5", "7", "x"])
def test_export_refuses_a_minimum_confidence_that_is_not_0_to_1(
    value: str, project: Project, root: Path, tmp_path: Path
) -> None:
    result = run_cli("export", "good", f"--min-confidence={value}", "--out", str(tmp_path / "o.tmx"), root=root)
    assert result.returncode == 2 and "is not a number from 0 to 1" in result.stderr, result.stderr
    assert not (tmp_path / "o.tmx").exists()


# ----------------------------------------------------------------------------------------- 5: names in bytes


def test_a_name_too_long_in_bytes_is_refused_before_any_file_is_made(root: Path, tmp_path: Path) -> None:
    with pytest.raises(ProjectNameError, match="300 bytes long in UTF-8; the limit is 100 bytes"):
        check_project_name(CJK_NAME)
    assert check_project_name("語" * 33) == "語" * 33
    for args in (["project", "new", CJK_NAME, "--source", "kosovo-dialogue"], ["project", "show", CJK_NAME]):
        assert "bytes long" in one_line_refusal(run_cli(*args, root=root))
    jsonl = tmp_path / f"{'語' * 60}.jsonl"
    jsonl.write_bytes(export_corpus(corpus(), "jsonl"))
    imported = run_cli("import", str(jsonl), root=root)  # the name made from the file's is cut to fit, in bytes
    assert imported.returncode == 0, imported.stderr
    assert [p.name for p in root.iterdir()] == ["語" * 30]
    assert len(free_project_name(CJK_NAME, ()).encode("utf-8")) <= 90


def test_a_project_named_before_the_byte_limit_still_opens(root: Path) -> None:
    older = "語" * 50  # 150 bytes: made before names were limited to 100 bytes
    made = project_from_corpus("x", corpus(), root)
    (root / older).mkdir()
    shutil.move(made.path, root / older / PROJECT_FILE)
    assert open_project(older, root).target("de").links[1].confidence == 0.5
    assert [(s.name, s.error) for s in list_projects(root)] == [(older, None)]
    with pytest.raises(ProjectNameError, match="151 bytes long"):
        project_from_corpus(older + "2", corpus(), root)


# ----------------------------------------------------------------------------------------- 6: leftovers, links


def test_a_killed_import_leaves_no_temporary_file_after_the_next_listing(root: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    lines = ['{"source_lang": "en", "target_lang": "de"}']
    lines += [json.dumps({"source": f"Sentence number {k} is here.", "target": f"Satz {k}."}) for k in range(150_000)]
    big.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "WORKBENCH_ALIGNMENTS": str(root)}
    child = subprocess.Popen([sys.executable, "-m", "workbench.cli", "import", str(big), "--name", "big"], env=env)
    folder = root / "big"
    deadline = time.monotonic() + 120
    while not any(folder.glob(".project.sqlite.*.tmp")) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert child.poll() is None, "the import ended before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert list(folder.glob(".project.sqlite.*.tmp")) and not (folder / PROJECT_FILE).exists()
    assert list_projects(root) == []  # the half-made project never appears ...
    assert not folder.exists()  # ... and its leftovers are gone


def test_a_temporary_file_still_being_written_is_kept(root: Path) -> None:
    folder = root / "making"
    folder.mkdir()
    tmp = folder / f".project.sqlite.{'0123abcd' * 4}.tmp"
    (folder / ".project.sqlite.mine.tmp").write_text("a person's file: not a name the workbench makes")
    tmp.write_bytes(b"")
    with tmp.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # what a live creator holds
        assert remove_stale_temporaries(folder) == [] and tmp.exists()
    assert remove_stale_temporaries(folder) == [tmp] and not tmp.exists()
    assert (folder / ".project.sqlite.mine.tmp").exists()


KILLED_EXPORT = r"""
import os, sys
from pathlib import Path
from workbench.writing import write_bytes_atomic
out = Path(sys.argv[1])
data = bytes(300_000_000)  # long enough to be killed while writing
os.write(1, b"writing\n")
write_bytes_atomic(out, data)
"""


def test_a_killed_export_leaves_a_temporary_file_that_the_next_export_removes(
    project: Project, root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "good.tsv"
    child = subprocess.Popen([sys.executable, "-c", KILLED_EXPORT, str(out)], stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"writing\n"
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".good.tsv.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    left = list(tmp_path.glob(".good.tsv.*.tmp"))
    if not left:
        pytest.skip("the write finished before the kill")  # a very fast disk; nothing was left to clean
    assert not out.exists()  # never half a file under the real name
    result = run_cli("export", "good", "--format", "tsv", "--out", str(out), root=root)
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("source\t") and list(tmp_path.glob(".good.tsv.*.tmp")) == []


def test_a_project_file_that_is_a_symbolic_link_is_refused(project: Project, root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.sqlite"
    shutil.move(project.path, outside)
    project.path.symlink_to(outside)
    before = saved_state(outside)
    with pytest.raises(ProjectAccessError, match="is a symbolic link"):
        open_project("good", root)
    with pytest.raises(ProjectAccessError):
        confirm(project, "de", 0)
    assert "symbolic link" in (list_projects(root)[0].error or "")
    assert saved_state(outside) == before


# ----------------------------------------------------------------------------------------- 7: language codes


def test_language_codes_are_checked_before_any_work(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    line = one_line_refusal(run_cli("translate", "kosovo-dialogue", "--to", "../etc", "--out", str(out), root=root))
    assert "'../etc' is not one" in line and "install" not in line
    line = one_line_refusal(run_cli("translate", "kosovo-dialogue", "--to", "pt,../../x", "--out", str(out), root=root))
    assert "'../../x' is not one" in line and not out.exists()  # not pt first, then the failure
    one_line_refusal(run_cli("project", "new", "p", "--source", "kosovo-dialogue", "--translate", "de,/x", root=root))
    assert list(root.iterdir()) == []


def test_a_language_option_that_contradicts_the_front_matter_is_refused(root: Path, tmp_path: Path) -> None:
    text = tmp_path / "en.md"
    text.write_text("---\nlang: en\n---\nHello there. How are you?\n")
    line = one_line_refusal(
        run_cli("translate", str(text), "--from", "de", "--to", "pt", "--out", str(tmp_path), root=root)
    )
    assert "says it is in 'en'" in line and "'de'" in line


# ----------------------------------------------------------------------------------------- 8: no internal error


def test_deeply_nested_jsonl_is_one_line(root: Path, tmp_path: Path) -> None:
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"source_lang": "en", "target_lang": "de"}\n' + "[" * 100_000 + "]" * 100_000 + "\n")
    line = one_line_refusal(run_cli("import", str(deep), root=root))
    assert "line 2: JSON nested too deeply" in line and list(root.iterdir()) == []


# ----------------------------------------------------------------------------------------- 9: uploads


def test_an_upload_error_names_the_upload_not_the_server_path() -> None:
    data = b'{"source_lang": "en", "target_lang": "de"}\n{"source": 5}\n'
    with pytest.raises(InputError) as refused:
        corpus_from_upload(data, "mine.jsonl")
    message = str(refused.value)
    assert message.startswith("mine.jsonl, line 2: source must be a string")
    assert "workbench-upload-" not in message and "/tmp" not in message


def test_a_huge_upload_is_warned_with_an_estimate() -> None:
    assert size_warning(2_000) is None
    warning = size_warning(460_000) or ""
    # 460,000 sentences at 65 a second (the ONNX route on two quiet cores) is 7,077 s.
    assert "460,000 sentences" in warning and "about 2.0 hours" in warning and "about 65 a second" in warning


# ----------------------------------------------------------------------------------------- 10: embedder folders


def test_an_embedder_that_is_a_folder_without_a_model_is_not_called_missing() -> None:
    from workbench.embedding.sentence_transformers import _why_not_loaded

    assert "/etc is a folder but holds no sentence-transformers model" in _why_not_loaded(Path("/etc"), False)
    assert "not a local folder" in _why_not_loaded(Path("/no/such/model"), False)


# ----------------------------------------------------------------------------------------- caches never stop work

FILL_CACHE = r"""
import sys
from pathlib import Path
import numpy as np
from workbench.embedding.cache import EmbeddingCache
cache = EmbeddingCache(Path(sys.argv[1]))
cache.put_many("m", ["small"], np.ones((1, 4), np.float32))
texts = [f"text {k}" for k in range(3000)]
cache.put_many("m", texts, np.ones((3000, 384), np.float32))  # 4.6 MB: past the file-size limit
print(len(cache.get_many("m", ["small", *texts], 4)), len(cache.get_many("m", texts[:5], 384)))
"""


def test_a_cache_on_a_full_disk_warns_and_the_work_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "embeddings.sqlite"
    ran = subprocess.run(
        [sys.executable, "-c", FILL_CACHE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=file_size_limit(1_000_000),
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["1", "0"]  # the first write kept, the refused one skipped (rolled back whole)
    assert f"the cache {path} cannot be used" in ran.stderr and "Traceback" not in ran.stderr
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_damaged_or_unwritable_cache_is_replaced_by_one_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import numpy as np

    from workbench.embedding.cache import EmbeddingCache

    damaged = tmp_path / "embeddings.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    (tmp_path / "a-file").write_text("")
    for path in (damaged, tmp_path / "a-file" / "embeddings.sqlite"):  # the second's folder is a file
        cache = EmbeddingCache(path)
        cache.put_many("m", ["x"], np.ones((1, 4), np.float32))
        assert list(cache.get_many("m", ["x"], 4)) == [0]  # kept for this run, in memory
        cache.close()
    assert sum("cannot be used" in r.getMessage() for r in caplog.records) == 2
    assert damaged.read_bytes()[:16] == b"SQLite format 3\x00"  # left as it was


def test_a_file_operation_the_system_refuses_is_one_line(root: Path) -> None:
    line = one_line_refusal(run_cli("translate", "kosovo-dialogue", "--to", "de", "--out", "/dev/null/x", root=root))
    assert (
        line
        == "workbench: error: cannot use /dev/null/x: Not a directory; check the path, the disk and its permissions."
    )
