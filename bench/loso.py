"""Leave-one-set-out tuning of the aligner over the four development gold sets.

Every setting in the grid is scored on every set; then, for each set held out, the setting with the best mean strict
F1 on the other three is chosen and its figure on the held-out set reported. That held-out figure is the honest one:
it is what a setting tuned elsewhere does on a text it has not seen, which is what the acceptance sets measure.

.venv/bin/python -m bench.loso [--embedder e5-small] [--refine] [--sets a,b] [--detail] [--digits 4] skip=-0.3,-0.4 \
    max_bead=5,6

``--refine`` runs the whole default pipeline (the second pass embeds spans for real, through the cache); without it
the first pass alone, on cached sentence vectors. ``--detail`` prints, per set, the recall of each gold link type
and the system's link types.
"""

from __future__ import annotations

import argparse
import itertools
from collections import Counter
from dataclasses import replace

import numpy as np

from bench.gold_sets import GoldSet, all_sets, merge_to_groups, novels_apart, open_flags
from workbench.alignment import AlignParams, align_embeddings, align_sentences, aligner, refinement
from workbench.alignment.beads import Bead
from workbench.alignment.evaluation import score_alignments
from workbench.embedding.cache import CachedEmbedder, EmbeddingCache
from workbench.paths import default_cache_dir


def embedder_for(name: str):
    """The named embedder through the on-disk cache; "e5-small-torch" is the float torch route whatever the default."""
    from workbench.embedding import load_embedder

    if name == "e5-small-torch":
        from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME, ensure_default_model
        from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder

        folder = ensure_default_model(default_cache_dir() / "models")
        inner = SentenceTransformerEmbedder(folder, name=DEFAULT_MODEL_NAME, prefix="", threads=2)
        return CachedEmbedder(inner, EmbeddingCache(default_cache_dir() / "embeddings.sqlite"))
    return load_embedder(name, threads=2)


def parse_grid(specs: list[str]) -> dict[str, list]:
    grid: dict[str, list] = {}
    defaults = AlignParams()
    for spec in specs:
        key, values = spec.split("=")
        # Upper case: a module constant of the second pass or the aligner.
        owner = (refinement if hasattr(refinement, key) else aligner) if key.isupper() else defaults
        kind = type(getattr(owner, key))
        grid[key] = [kind(v) for v in values.split(",")]
    return grid


#: Span texts the second pass embedded, per set, in the last run of :func:`run_set` (what its accuracy cost).
SPANS: Counter = Counter()


def run_set(gold_set: GoldSet, vectors, params: AlignParams, embedder, refine: bool) -> tuple[list, list]:
    golds, systems = [], []
    SPANS[gold_set.name] = 0
    for doc, (s, t) in zip(gold_set.docs, vectors, strict=True):
        if refine:
            languages = (gold_set.src_lang, gold_set.tgt_lang)
            alignment = align_sentences(doc.src, doc.tgt, embedder, params, refine=True, languages=languages)
            beads = alignment.beads
            SPANS[gold_set.name] += alignment.signature["span_texts_embedded"]
        else:
            beads = align_embeddings(
                s, t, [len(x) for x in doc.src], [len(x) for x in doc.tgt], params, **open_flags(doc)
            )
        golds.append(doc.gold)
        systems.append(merge_to_groups(beads, doc) if doc.src_groups else beads)
    return golds, systems


def detail(golds: list[list[Bead]], systems: list[list[Bead]]) -> str:
    """Recall of each gold link type (strict) and the counts of the system's types."""
    found: Counter = Counter()
    total: Counter = Counter()
    for gold, system in zip(golds, systems, strict=True):
        mine = {(b.src, b.tgt) for b in system}
        for b in gold:
            kind = f"{len(b.src)}-{len(b.tgt)}"
            total[kind] += 1
            found[kind] += (b.src, b.tgt) in mine
    recall = " ".join(f"{k}:{found[k]}/{n}" for k, n in total.most_common(9))
    kinds = Counter(f"{len(b.src)}-{len(b.tgt)}" for s in systems for b in s)
    return f"gold recall {recall}\n    system {' '.join(f'{k}:{n}' for k, n in kinds.most_common(10))}"


def unread_share(confidences: np.ndarray, correct: np.ndarray, precision: float) -> float:
    """Largest share of links that can be accepted unread, taking them by confidence from the top, while the accepted
    ones stay at least ``precision`` strictly right."""
    order = np.argsort(-confidences, kind="stable")
    running = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ok = np.nonzero(running >= precision)[0]
    return float(ok[-1] + 1) / len(order) if len(ok) else 0.0


#: Confidence bins for calibration: mean confidence against the share of links right in each.
BINS = ((0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.01))


def confidence_lines(name: str, conf: np.ndarray, right: np.ndarray) -> str:
    """Share accepted unread at 99% and 95% strict precision, and mean confidence against precision by bin."""
    bins = []
    for lo, hi in BINS:
        mask = (conf >= lo) & (conf < hi)
        if mask.any():
            bins.append(
                f"{lo:.2f}-{min(hi, 1):.2f}: {mask.sum()} links, conf {conf[mask].mean():.3f}, "
                f"right {right[mask].mean():.3f}"
            )
    return (
        f"| {name} | {len(conf)} | {right.mean():.3f} | {unread_share(conf, right, 0.99):.1%} | "
        f"{unread_share(conf, right, 0.95):.1%} |\n    " + "\n    ".join(bins)
    )


def confidence_report(name: str, golds: list[list[Bead]], systems: list[list[Bead]]) -> str:
    """:func:`confidence_lines` for the links of a set against its gold."""
    conf, right = [], []
    for gold, system in zip(golds, systems, strict=True):
        truth = {(b.src, b.tgt) for b in gold}
        for b in system:
            conf.append(b.confidence)
            right.append((b.src, b.tgt) in truth)
    return confidence_lines(name, np.array(conf), np.array(right, dtype=float))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small-torch")
    parser.add_argument("--refine", action="store_true")
    parser.add_argument("--sets", default="")
    parser.add_argument("--detail", action="store_true")
    parser.add_argument("--confidence", action="store_true", help="how far confidence ranks links (not bible)")
    parser.add_argument("--digits", type=int, default=3, help="decimals of F1 (4 tells a link or two apart)")
    parser.add_argument(
        "--novels-apart", action="store_true", help="each novel of mac_dev_zh_en a set of its own (held out alone)"
    )
    parser.add_argument("grid", nargs="*")
    args = parser.parse_args()
    grid = parse_grid(args.grid)
    embedder = embedder_for(args.embedder)
    sets = [g for g in all_sets() if not args.sets or g.name in args.sets.split(",")]
    if args.novels_apart:
        sets = [part for g in sets for part in (novels_apart(g) if g.name == "mac_dev_zh_en" else [g])]
    vectors = {g.name: [(embedder.encode(d.src), embedder.encode(d.tgt)) for d in g.docs] for g in sets}
    names = [g.name for g in sets]
    table: dict[tuple, dict[str, float]] = {}
    for values in itertools.product(*grid.values()) if grid else [()]:
        setting = dict(zip(grid, values, strict=True))
        for key, value in setting.items():
            if key.isupper():
                setattr(refinement if hasattr(refinement, key) else aligner, key, value)
        params = replace(AlignParams(), **{k: v for k, v in setting.items() if not k.isupper()})
        row = {}
        for gold_set in sets:
            golds, systems = run_set(gold_set, vectors[gold_set.name], params, embedder, args.refine)
            row[gold_set.name] = score_alignments(golds, systems).strict_f1
            if args.detail:
                print(f"  {gold_set.name}: {detail(golds, systems)}")
            if args.confidence and not gold_set.docs[0].src_groups:
                print("  " + confidence_report(gold_set.name, golds, systems))
        table[tuple(values)] = row
        sentences = {g.name: sum(len(d.src) + len(d.tgt) for d in g.docs) for g in sets}
        spans = {n: f" ({SPANS[n] / sentences[n]:.2f} spans a sentence)" if args.refine else "" for n in names}
        print(
            setting,
            " ".join(f"{n[:8]} {row[n]:.{args.digits}f}{spans[n]}" for n in names),
            f"mean {np.mean(list(row.values())):.4f}",
            flush=True,
        )
    if len(table) > 1 and len(names) > 1:
        print(
            f"\nheld-out set | chosen on the others | held-out strict F1 | best on it alone | tuned on all {len(names)}"
        )
        on_all = max(table, key=lambda v: np.mean([table[v][n] for n in names]))
        for held in names:
            others = [n for n in names if n != held]
            chosen = max(table, key=lambda v: np.mean([table[v][n] for n in others]))
            best = max(table[v][held] for v in table)
            print(
                f"{held} | {dict(zip(grid, chosen, strict=True))} | {table[chosen][held]:.{args.digits}f} | "
                f"{best:.{args.digits}f} | {table[on_all][held]:.{args.digits}f}"
            )
        print(f"tuned on all {len(names)}:", dict(zip(grid, on_all, strict=True)))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
