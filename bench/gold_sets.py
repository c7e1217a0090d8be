"""Loading the development gold sets in ../shared/data/align-gold/ (one sentence a line; beads as gold)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.alignment.beads import Bead, read_beads
from workbench.alignment.model import ends_open, ends_quoted, ends_unfinished, number_marks

#: The gold sets live beside the project (``../shared``) unless WORKBENCH_ALIGN_GOLD names another folder.
_BESIDE = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "align-gold"
GOLD_ROOT = Path(os.environ.get("WORKBENCH_ALIGN_GOLD") or _BESIDE)


@dataclass
class GoldDoc:
    name: str
    src: list[str]
    tgt: list[str]
    gold: list[Bead]
    src_groups: list[str] | None = None  # bible: verse id of each line
    tgt_groups: list[str] | None = None


@dataclass
class GoldSet:
    name: str
    src_lang: str
    tgt_lang: str
    docs: list[GoldDoc]


def _lines(path: Path, strip_id: bool = False) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if strip_id:
        lines = [line.split("\t", 1)[1] if "\t" in line else line for line in lines]
    return lines


def textberg() -> GoldSet:
    d = GOLD_ROOT / "textberg_dev"
    doc = GoldDoc("dev", _lines(d / "dev.de"), _lines(d / "dev.fr"), read_beads(_lines(d / "dev.defr")))
    return GoldSet("textberg_dev", "de", "fr", [doc])


def parice() -> GoldSet:
    d = GOLD_ROOT / "parice_en_is"
    docs = []
    for path in sorted((d / "eng").iterdir()):
        src = _lines(path, strip_id=True)
        tgt = _lines(d / "isl" / path.name, strip_id=True)
        gold = [
            Bead(tuple(i for i in b.src if i < len(src)), tuple(j for j in b.tgt if j < len(tgt)))
            for b in read_beads(_lines(d / "gold" / path.name))
        ]  # u_1 gold names one line past the end (a known quirk): drop such ids
        docs.append(GoldDoc(path.stem, src, tgt, [b for b in gold if b.src or b.tgt]))
    return GoldSet("parice_en_is", "en", "is", docs)


def bible() -> GoldSet:
    d = GOLD_ROOT / "bible_en_zh"
    doc = GoldDoc(
        "001",
        _lines(d / "en" / "001"),
        _lines(d / "zh" / "001"),
        read_beads(_lines(d / "gold" / "001.align")),
        _lines(d / "en.verse"),
        _lines(d / "zh.verse"),
    )
    return GoldSet("bible_en_zh", "en", "zh", [doc])


def mac() -> GoldSet:
    """Chinese novel chapters in their published English translations: free literary translation, 1-n links."""
    d = GOLD_ROOT / "mac_dev_zh_en"
    docs = [
        GoldDoc(path.name, _lines(path), _lines(d / "en" / path.name), read_beads(_lines(d / "gold" / path.name)))
        for path in sorted((d / "zh").iterdir())
    ]
    return GoldSet("mac_dev_zh_en", "zh", "en", docs)


def all_sets() -> list[GoldSet]:
    return [textberg(), parice(), bible(), mac()]


def novels_apart(gold_set: GoldSet) -> list[GoldSet]:
    """mac_dev_zh_en as one set per novel (``meta_data.tsv``), for a rule that only the novels can choose: held out
    a novel at a time, it is chosen on the other two (the acceptance's novels are other novels)."""
    rows = [line.split("\t") for line in _lines(GOLD_ROOT / "mac_dev_zh_en" / "meta_data.tsv")[1:]]
    book_of = {row[0]: row[1] for row in rows}
    books = sorted(set(book_of.values()))
    return [
        GoldSet(
            f"book{book}_{gold_set.name}",
            gold_set.src_lang,
            gold_set.tgt_lang,
            [d for d in gold_set.docs if book_of[d.name] == book],
        )
        for book in books
    ]


def merge_to_groups(beads: list[Bead], doc: GoldDoc) -> list[Bead]:
    """Merge system beads to verse boundaries (bible gold is verse-level): union-find over shared verses."""
    assert doc.src_groups is not None and doc.tgt_groups is not None
    merged: list[Bead] = []
    cur_src: list[int] = []
    cur_tgt: list[int] = []
    for bead in beads:
        verses = {doc.src_groups[i] for i in bead.src} | {doc.tgt_groups[j] for j in bead.tgt}
        cur_verses = {doc.src_groups[i] for i in cur_src} | {doc.tgt_groups[j] for j in cur_tgt}
        if cur_src or cur_tgt:
            if verses & cur_verses or not verses:
                cur_src += bead.src
                cur_tgt += bead.tgt
                continue
            merged.append(Bead(tuple(cur_src), tuple(cur_tgt)))
        cur_src, cur_tgt = list(bead.src), list(bead.tgt)
    if cur_src or cur_tgt:
        merged.append(Bead(tuple(cur_src), tuple(cur_tgt)))
    return merged


def open_flags(doc: GoldDoc) -> dict[str, np.ndarray]:
    """The line-ending flags and number sets ``align_sentences`` gives the aligner, for harnesses that call it on
    vectors."""
    return {
        "src_open": ends_open(doc.src),
        "tgt_open": ends_open(doc.tgt),
        "src_unended": ends_unfinished(doc.src),
        "tgt_unended": ends_unfinished(doc.tgt),
        "src_quoted": ends_quoted(doc.src),
        "tgt_quoted": ends_quoted(doc.tgt),
        "src_numbers": number_marks(doc.src),
        "tgt_numbers": number_marks(doc.tgt),
    }
