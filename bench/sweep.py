"""Development harness: embed the gold sets once, then score the aligner over a grid of parameters.

.venv/bin/python -m bench.sweep e5-small textberg_dev,parice_en_is skip=-0.3,-0.35 merge_penalty=0.15,0.2
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from dataclasses import replace

import numpy as np

from bench.gold_sets import all_sets, merge_to_groups, open_flags
from workbench.alignment.aligner import align_embeddings
from workbench.alignment.evaluation import score_alignments
from workbench.alignment.model import AlignParams
from workbench.embedding import load_embedder


def main() -> None:
    embedder_name = sys.argv[1]
    sets = sys.argv[2].split(",")
    grid = {}
    for spec in sys.argv[3:]:
        k, vs = spec.split("=")
        kind = type(getattr(AlignParams(), k))
        grid[k] = [(v.lower() in ("1", "true")) if kind is bool else kind(v) for v in vs.split(",")]
    emb = load_embedder(embedder_name, threads=2)  # "e5-small", "use", or a model name; through the cache
    data = []
    for gs in all_sets():
        if gs.name in sets:
            data.append((gs, [(doc, emb.encode(doc.src), emb.encode(doc.tgt)) for doc in gs.docs]))
    for values in itertools.product(*grid.values()):
        params = replace(AlignParams(), **dict(zip(grid, values, strict=True)))
        line = []
        for gs, docs in data:
            golds, systems = [], []
            for doc, s, t in docs:
                beads = align_embeddings(
                    s, t, [len(x) for x in doc.src], [len(x) for x in doc.tgt], params, **open_flags(doc)
                )
                if doc.src_groups:
                    beads = merge_to_groups(beads, doc)
                golds.append(doc.gold)
                systems.append(beads)
            sc = score_alignments(golds, systems)
            line.append(f"{gs.name[:8]} {sc.strict_f1:.3f}/{sc.lax_f1:.3f}")
            if len(sys.argv) > 3 and "-v" in sets:
                print(Counter(b.kind for s in systems for b in s))
        print(dict(zip(grid, values, strict=True)), " | ".join(line), flush=True)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
