"""Fit the confidence calibration (``AlignParams.confidence``) and measure how far confidence ranks links.

A link's confidence is a logistic of two features (:func:`workbench.alignment.model.link_confidence`): the log odds
of its posterior among all paths, and its score; links and skips apart. What a reviewer sees for a link also weighs
the confidence of the weaker link beside it (:func:`workbench.alignment.model.settle_confidences`, a second logistic
fitted on the first one's confidences). This script runs the whole default pipeline on the development sets (second
pass included), records the two features of every final link, and then:

* fits the weights leave-one-set-out (on the other sets) and reports, on each held-out set, the share of links a
  reviewer could accept unread at 99% and 95% strict precision, and mean confidence against precision by bin;
* fits them on all the sets, for AlignParams (``confidence`` and ``neighbour_confidence``).

bible_en_zh is left out: its gold is verse-level, so most of its exact links cannot be judged.

.venv/bin/python -m bench.calibrate [--temperature 0.2] [--sets textberg_dev,parice_en_is,mac_dev_zh_en]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from bench.gold_sets import all_sets
from bench.loso import confidence_lines, embedder_for
from workbench.alignment import AlignParams, align_sentences, aligner, model, refinement


def collect(gold_set, embedder, params: AlignParams) -> tuple[np.ndarray, ...]:
    """Features (posterior, score), link-or-skip, rightness and document number of every final link of a set, in
    the order of the links (a link's neighbours are the links beside it in its document)."""
    features, kinds, right, docs = [], [], [], []
    for number, doc in enumerate(gold_set.docs):
        beads, by_link = _align_recording(doc, embedder, params, (gold_set.src_lang, gold_set.tgt_lang))
        gold = {(b.src, b.tgt) for b in doc.gold}
        for bead in beads:
            features.append(by_link[(bead.src, bead.tgt)])
            kinds.append(bool(bead.src and bead.tgt))
            right.append((bead.src, bead.tgt) in gold)
            docs.append(f"{gold_set.name}/{number}")
    return np.array(features), np.array(kinds), np.array(right, dtype=float), np.array(docs)


def _align_recording(
    doc, embedder, params: AlignParams, languages: tuple[str, str]
) -> tuple[list, dict[tuple, tuple[float, float]]]:
    """The default pipeline, with the (posterior, score) of every link it makes recorded under its sentences.

    Both passes build each link right after computing its confidence, so the Bead constructor is wrapped to pair
    a new link with the features of the call just before it; the last record of a link wins (the aligner's final
    DP and the second pass come after what they replace)."""
    original_conf = aligner.link_confidence
    original_bead = aligner.Bead
    last: list[tuple[float, float]] = []
    found: dict[tuple, tuple[float, float]] = {}

    def recording(posterior: float, score: float, is_link: bool, p: AlignParams) -> float:
        last.append((posterior, score))
        return original_conf(posterior, score, is_link, p)

    def bead(src, tgt, confidence=1.0, evidence=None):
        if last:
            found[(tuple(src), tuple(tgt))] = last.pop()
        return original_bead(src, tgt, confidence, evidence)

    aligner.link_confidence = refinement.link_confidence = recording
    aligner.Bead = refinement.Bead = bead
    try:
        beads = align_sentences(doc.src, doc.tgt, embedder, params, languages=languages).beads
    finally:
        aligner.link_confidence = refinement.link_confidence = original_conf
        aligner.Bead = refinement.Bead = original_bead
    return beads, found


def design(features: np.ndarray) -> np.ndarray:
    p = np.clip(features[:, 0], model.POSTERIOR_FLOOR, 1 - model.POSTERIOR_FLOOR)
    return np.column_stack([np.log(p / (1 - p)), features[:, 1]])


def weaker_neighbour(confidence: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The confidence of the weaker of the two links beside each link in its document (1.0 where there is none)."""
    first = np.r_[True, docs[1:] != docs[:-1]]
    last = np.r_[docs[1:] != docs[:-1], True]
    before = np.where(first, 1.0, np.r_[1.0, confidence[:-1]])
    after = np.where(last, 1.0, np.r_[confidence[1:], 1.0])
    return np.minimum(before, after)


def fit(
    features: np.ndarray,
    kinds: np.ndarray,
    right: np.ndarray,
    docs: np.ndarray,
    base: tuple[float, ...] | None = None,
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """AlignParams.confidence (links, then skips), unless ``base`` gives it, and AlignParams.neighbour_confidence
    fitted on those."""
    if base is None:
        weights: list[float] = []
        for mask in (kinds, ~kinds):
            fitted = LogisticRegression(C=10.0).fit(design(features[mask]), right[mask])
            weights += [float(fitted.coef_[0][0]), float(fitted.coef_[0][1]), float(fitted.intercept_[0])]
        base = tuple(round(w, 3) for w in weights)
    around = weaker_neighbour(first_stage(features, kinds, base), docs)
    x = np.column_stack([design(features[kinds]), around[kinds]])
    fitted = LogisticRegression(C=10.0).fit(x, right[kinds])
    neighbours = (*fitted.coef_[0], fitted.intercept_[0])
    return base, tuple(round(float(w), 3) for w in neighbours)


def first_stage(features: np.ndarray, kinds: np.ndarray, weights: tuple[float, ...]) -> np.ndarray:
    """Confidences as ``AlignParams.confidence`` gives them (what the second pass and the neighbours read)."""
    out = np.empty(len(kinds))
    x = design(features)
    for mask, w in ((kinds, weights[:3]), (~kinds, weights[3:])):
        out[mask] = 1 / (1 + np.exp(-(x[mask] @ np.array(w[:2]) + w[2])))
    return np.round(out, 4)


def confidences(
    features: np.ndarray, kinds: np.ndarray, docs: np.ndarray, base: tuple[float, ...], neighbours: tuple[float, ...]
) -> np.ndarray:
    """Final confidences, as ``settle_confidences`` makes them: links weigh their weaker neighbour, skips do not."""
    first = first_stage(features, kinds, base)
    around = weaker_neighbour(first, docs)
    x = np.column_stack([design(features), around])
    out = first.copy()
    out[kinds] = 1 / (1 + np.exp(-(x[kinds] @ np.array(neighbours[:3]) + neighbours[3])))
    return np.round(out, 4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small-torch")
    parser.add_argument("--temperature", type=float, default=AlignParams().temperature)
    parser.add_argument("--sets", default="textberg_dev,parice_en_is,mac_dev_zh_en")
    parser.add_argument("--reuse", action="store_true", help="fit on the features saved by the last run")
    args = parser.parse_args()
    embedder = embedder_for(args.embedder)
    params = replace(AlignParams(), temperature=args.temperature)
    saved = Path(f"/tmp/calibrate-{args.embedder}-{args.temperature}.npz")
    if args.reuse and saved.exists():  # iterate on the fit without aligning again
        arrays = np.load(saved)
        data = {n: tuple(arrays[f"{n}.{x}"] for x in "fkrd") for n in args.sets.split(",")}
    else:
        data = {g.name: collect(g, embedder, params) for g in all_sets() if g.name in args.sets.split(",")}
        np.savez(saved, **{f"{n}.{x}": a for n, d in data.items() for x, a in zip("fkrd", d, strict=True)})
    print(f"temperature {args.temperature}")
    print("| held-out set | links | right | unread at 99% | unread at 95% |\n|---|---|---|---|---|")
    for held in data:
        train = [data[n] for n in data if n != held]
        base, neighbours = fit(*(np.concatenate(parts) for parts in zip(*train, strict=True)))
        features, kinds, right, docs = data[held]
        final = confidences(features, kinds, docs, base, neighbours)
        print(confidence_lines(held, final, right), f"\n    weights {base} {neighbours}")
        alone = first_stage(features, kinds, base)
        print(f"    its own evidence alone (first stage): {confidence_lines(held, alone, right).splitlines()[0]}")
        current = confidences(features, kinds, docs, params.confidence, params.neighbour_confidence)
        print(f"    with the current AlignParams: {confidence_lines(held, current, right).splitlines()[0]}")
    every = [np.concatenate(parts) for parts in zip(*data.values(), strict=True)]
    base, neighbours = fit(*every)
    print(f"fitted on all: confidence={base}, neighbour_confidence={neighbours}")
    # The second pass chooses what to re-decide by AlignParams.confidence: changing it changes links, so the
    # neighbours' weights are also given as fitted on the confidence the aligner has now.
    _, on_current = fit(*every, base=params.confidence)
    print(f"neighbour_confidence fitted on all over the current confidence: {on_current}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
