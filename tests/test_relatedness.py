"""Two texts that are not translations of each other: the alignment says so, and nothing is approved unread."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from workbench.alignment import align_sentences, unrelated_warning
from workbench.alignment.beads import Bead
from workbench.alignment.relatedness import MIN_SENTENCES, RELATED_SHARE, relatedness
from workbench.documents import document_from_text, load_document
from workbench.projects import add_target, create_project, open_project
from workbench.review import sure_links
from workbench.review_actions import perform
from workbench.spot_check import check_target

DATA = Path(__file__).parent / "data"


def icelandic_subtitles() -> list[str]:
    """45 lines of Icelandic film subtitles: no translation of the Kosovo article."""
    lines = (DATA / "parice-s1-excerpt.is").read_text(encoding="utf-8").splitlines()
    for path in sorted((DATA / "batch" / "is").iterdir()):
        lines += path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


def test_a_translation_is_related_and_another_text_is_not(e5) -> None:
    en = load_document("kosovo-dialogue").sentence_texts()
    de = load_document("kosovo-dialogue.de").sentence_texts()
    real = align_sentences(en, de, e5)
    assert real.signature["relatedness"] >= 2 * RELATED_SHARE
    assert unrelated_warning(real.signature["relatedness"]) is None
    stranger = align_sentences(en, icelandic_subtitles(), e5)
    links = [b for b in stranger.beads if b.src and b.tgt]
    assert stranger.signature["relatedness"] < RELATED_SHARE
    assert "do not look like translations" in unrelated_warning(stranger.signature["relatedness"])
    # What the warning is for: confidences alone do not tell (a link between strangers at 0.9 or more).
    assert max(b.confidence for b in links) >= 0.9


def test_relatedness_counts_only_links_far_above_non_partner_pairs() -> None:
    """Built vectors: the first ten of twenty-four 1-1 links pair equal vectors (far above chance), the rest
    opposed ones (far below)."""
    rng = np.random.default_rng(3)
    src = rng.normal(size=(24, 16))
    tgt = rng.normal(size=(24, 16))
    tgt[:10], tgt[10:] = src[:10], -src[10:]  # partners alike, then partners opposed
    beads = [Bead((k,), (k,), 0.9) for k in range(24)]
    assert relatedness(beads, src, tgt) == pytest.approx(10 / 24)
    # Texts too short to tell: no verdict either way.
    short = MIN_SENTENCES - 1
    assert relatedness(beads[:short], src[:short], tgt[:short]) is None


def test_an_unrelated_target_warns_in_review_and_spot_check_and_is_not_approved_unread(e5, tmp_path: Path) -> None:
    source = load_document("kosovo-dialogue")
    project = create_project("stranger", source, tmp_path / "alignments")
    text = "\n".join(icelandic_subtitles())
    target = document_from_text(text, "is", name="subtitles", presplit=True)
    add_target(project, target, "is", embedder=e5)
    project = open_project("stranger", tmp_path / "alignments")
    assert project.target("is").signature["relatedness"] < RELATED_SHARE  # saved with the target
    assert sure_links(project, "is") == []
    outcome = perform(project, "is", {"op": "approve_sure"})
    assert outcome.kind == "warning" and "do not look like translations" in outcome.message
    run = check_target(project, "is", kinds=["empty_side"])
    assert any("do not look like translations" in note for note in run.notes)


def test_a_batch_names_the_document_whose_files_do_not_belong_together(tmp_path: Path, capsys) -> None:
    """A corpus builder's manifest with one wrong target file: the batch still aligns it, and says which it is;
    opened for review, it warns there too and nothing is approved unread."""
    import torch

    from workbench.batch import CorpusFolder, unrelated_documents
    from workbench.batch.review import open_document_project
    from workbench.cli import main
    from workbench.seeds import SEEDS_DIR

    subtitles = tmp_path / "subtitles.is"
    subtitles.write_text("\n".join(icelandic_subtitles()) + "\n", encoding="utf-8")
    rows = [
        {"id": "kosovo", "target": str(SEEDS_DIR / "kosovo-dialogue.de.txt"), "tgt_lang": "de"},
        {"id": "wrong", "target": str(subtitles), "tgt_lang": "is"},
    ]
    for row in rows:
        row["source"] = str(SEEDS_DIR / "kosovo-dialogue.txt")
    manifest = tmp_path / "batch.jsonl"
    manifest.write_text("".join(json.dumps({**row, "src_lang": "en"}) + "\n" for row in rows), encoding="utf-8")
    out = tmp_path / "corpus"
    threads = torch.get_num_threads()
    try:  # as a corpus builder runs it: the command line, in this process
        code = main(["batch", "align", str(manifest), "--out", str(out), "--no-refine", "--quiet", "--threads", "1"])
    finally:
        torch.set_num_threads(threads)
    printed = capsys.readouterr().out
    assert code == 0 and printed.startswith("2 aligned")
    assert [line.split(":")[0] for line in printed.splitlines() if "not a translation?" in line] == [
        "not a translation? wrong"
    ]
    folder = CorpusFolder(out)
    assert [doc for doc, _ in unrelated_documents(folder.summary())] == ["wrong"]
    related = {row["id"]: row["related"] for row in folder.summary()}
    assert related["kosovo"] >= 2 * RELATED_SHARE and related["wrong"] < RELATED_SHARE
    project = open_document_project(out, "wrong", root=tmp_path / "alignments")
    key = next(iter(project.targets))
    assert project.target(key).signature["relatedness"] == related["wrong"]
    assert sure_links(project, key) == []
