"""Recall of the name, entity and negation checks on planted errors, and their false findings on clean text.

Run: ``.venv/bin/python -m bench.planted_errors [--gold FOLDER]`` (default: bench.gold_sets.GOLD_ROOT).

The planted set (``bench/data/planted_errors.json``) is the seed article in English with three translations: the
seed's human German (linked by ``tests/data/kosovo-dialogue.en-de.align``), and Apertium Spanish and Bergamot
Portuguese made one sentence at a time (so link k is sentence k). Each plant edits one target sentence in a copy
of its document: a name dropped, a name or country added, a country swapped for another, a negation added or
removed. A plant counts as found when its link gets a finding of a kind meant for it (:data:`CATCHES`) that the
clean document's link did not have, with the same details.

False findings are counted on the clean documents (the seed's three translations, where the German is a careful
human one and the machine translations keep every name and negation), and on the Text+Berg development gold set
(de -> fr, a human translation, linked by its gold beads): every finding of these kinds there is a false alarm
or a real liberty of the translator, which the script prints for reading.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.gold_sets import GOLD_ROOT
from workbench.checks import run_checks
from workbench.checks.variant import detect_variant
from workbench.documents import load_document
from workbench.formats.units import TranslationUnit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "planted_errors.json"
#: The finding kinds that may catch each kind of planted error.
CATCHES = {
    "name_dropped": ("names", "entities"),
    "name_added": ("added_names", "entities"),
    "country_swapped": ("entities", "names", "added_names"),
    "negation": ("negation",),
}
KINDS = ("names", "added_names", "entities", "negation")


def read_gold(path: Path) -> list[tuple[list[int], list[int]]]:
    """Beads ``[src]:[tgt]`` of a gold file, one a line."""
    beads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            left, right = line.split(":")
            beads.append((json.loads(left), json.loads(right)))
    return beads


def units_from(source: list[str], target: list[str], beads: list[tuple[list[int], list[int]]]) -> list[TranslationUnit]:
    """One unit a gold bead (ids past the end, a known gold quirk, are dropped)."""
    return [
        TranslationUnit(tuple(source[i] for i in s if i < len(source)), tuple(target[j] for j in t if j < len(target)))
        for s, t in beads
    ]


def documents() -> tuple[dict[str, list[TranslationUnit]], list[dict]]:
    """The clean seed documents by target language, and the plants."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    source = data["source"]
    docs = {
        lang: [TranslationUnit((s,), (t,)) for s, t in zip(source, target, strict=True)]
        for lang, target in data["targets"].items()
    }
    german = load_document(ROOT / "seeds" / "kosovo-dialogue.de.txt").sentence_texts()
    beads = read_gold(ROOT / "tests" / "data" / "kosovo-dialogue.en-de.align")
    docs["de"] = units_from(source, german, beads)
    return docs, data["plants"]


def keyed(findings: list) -> dict[int, set[tuple[str, str]]]:
    """Per link, its findings of the judged kinds as (kind, details) pairs, to tell new findings from old."""
    by_link: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for f in findings:
        if f.kind in KINDS:
            by_link[f.unit_index].add((f.kind, json.dumps(f.details, sort_keys=True, ensure_ascii=False)))
    return by_link


def plant(units: list[TranslationUnit], find: str, replace: str) -> tuple[list[TranslationUnit], int]:
    """A copy of ``units`` with ``find`` replaced in the one target sentence holding it, and that link's index."""
    hits = [(k, m) for k, u in enumerate(units) for m, s in enumerate(u.target_segments) if find in s]
    if len(hits) != 1:
        raise SystemExit(f"plant {find!r} is in {len(hits)} target sentences, not one")
    k, m = hits[0]
    segments = list(units[k].target_segments)
    segments[m] = segments[m].replace(find, replace)
    planted = list(units)
    planted[k] = TranslationUnit(units[k].source_segments, tuple(segments))
    return planted, k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=GOLD_ROOT)
    args = parser.parse_args()
    docs, plants = documents()
    started = time.perf_counter()
    clean = {lang: keyed(run_checks(units, "en", lang, kinds=KINDS)) for lang, units in docs.items()}

    found: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for p in plants:
        lang, kind = p["lang"], p["kind"]
        units, k = plant(docs[lang], p["find"], p["replace"])
        new = keyed(run_checks(units, "en", lang, kinds=KINDS))[k] - clean[lang][k]
        hit = any(kind_found in CATCHES[kind] for kind_found, _ in new)
        total[lang, kind] += 1
        found[lang, kind] += hit
        print(f"{'found' if hit else 'MISSED'} {lang} {kind} link {k + 1}: {p['replace']!r} {sorted(new)}")

    print("\nRecall (found / planted):")
    kinds = list(CATCHES)
    print("| error | " + " | ".join(sorted(docs)) + " | all |")
    print("|---|" + "---|" * (len(docs) + 1))
    for kind in kinds:
        cells = [f"{found[lang, kind]}/{total[lang, kind]}" for lang in sorted(docs)]
        all_found = sum(found[lang, kind] for lang in docs)
        all_total = sum(total[lang, kind] for lang in docs)
        print(f"| {kind} | " + " | ".join(cells) + f" | {all_found}/{all_total} |")
    cells = [f"{sum(found[lang, k] for k in kinds)}/{sum(total[lang, k] for k in kinds)}" for lang in sorted(docs)]
    print("| all | " + " | ".join(cells) + f" | {sum(found.values())}/{sum(total.values())} |")

    print("\nFalse findings on clean translations (findings / links):")
    sets = {f"seed en->{lang}": (docs[lang], "en", lang) for lang in sorted(docs)}
    textberg = args.gold / "textberg_dev"
    if textberg.is_dir():
        de = (textberg / "dev.de").read_text(encoding="utf-8").splitlines()
        fr = (textberg / "dev.fr").read_text(encoding="utf-8").splitlines()
        sets["textberg_dev de->fr (human, gold links)"] = (
            units_from(de, fr, read_gold(textberg / "dev.defr")),
            "de",
            "fr",
        )
    for name, (units, source_lang, target_lang) in sets.items():
        findings = [f for f in run_checks(units, source_lang, target_lang, kinds=KINDS)]
        counts = Counter(f.kind for f in findings)
        linked = sum(1 for u in units if u.source.strip() and u.target.strip())
        print(f"{name}: {linked} links; " + ", ".join(f"{k} {counts[k]}" for k in KINDS))
        for f in findings:
            print(f"    link {f.unit_index + 1} {f.kind} {f.severity}: {f.message[:160]}")
    variant, counts = detect_variant([u.target for u in docs["pt"]], "pt")
    noted = run_checks(docs["pt"], "en", "pt", kinds=["variant"])
    print(f"\nseed en->pt variant: {variant} ({dict(counts)}); links noted as mixing:")
    for f in noted:
        print(f"    link {f.unit_index + 1}: {f.message}")
    print(f"\n{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
