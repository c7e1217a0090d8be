"""Pictures of an alignment: the links drawn over the sentence similarity matrix, and the confidences.

Why: a reviewer sees at a glance where the path leaves the bright diagonal, where a skip sits and where the
confidence drops, which a table of links hides. Big documents are drawn a window at a time (the links of one
page of the review table), so a picture costs the embeddings of a hundred sentences, from the cache. Figures are
matplotlib ``Figure`` objects made without pyplot's global state, so the app's threads, a notebook or a script
can each draw and save them. Links are labelled by their number as people see them (from 1,
:func:`~workbench.projects.model.link_number`), as on the Review page; the functions take 0-based positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from workbench.alignment.beads import Bead
from workbench.embedding.base import Embedder
from workbench.projects.model import link_number

#: Colours for confidence, red (doubtful) to green (sure), the same scale in every picture.
CONFIDENCE_CMAP = "RdYlGn"
_NO_CONFIDENCE = "#7f7f7f"


@dataclass(frozen=True)
class Window:
    """Links ``first``..``last - 1`` and their sentences: ``[src_start, src_end)`` x ``[tgt_start, tgt_end)``."""

    first: int
    last: int
    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int


def link_window(beads: Sequence[Bead], first: int, last: int) -> Window:
    """The window of links ``first``..``last - 1`` (clipped to the alignment), with every sentence they hold."""
    first = max(0, min(first, len(beads)))
    last = max(first, min(last, len(beads)))
    src_start = sum(len(b.src) for b in beads[:first])
    tgt_start = sum(len(b.tgt) for b in beads[:first])
    chosen = beads[first:last]
    return Window(
        first,
        last,
        src_start,
        src_start + sum(len(b.src) for b in chosen),
        tgt_start,
        tgt_start + sum(len(b.tgt) for b in chosen),
    )


def similarity_matrix(src_vectors: np.ndarray, tgt_vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity of every source and target sentence (rows: source); vectors are unit length."""
    if src_vectors.size == 0 or tgt_vectors.size == 0:
        return np.zeros((len(src_vectors), len(tgt_vectors)), dtype=np.float32)
    return np.asarray(src_vectors @ tgt_vectors.T, dtype=np.float32)


def window_similarity(
    embedder: Embedder, src_texts: Sequence[str], tgt_texts: Sequence[str], window: Window
) -> np.ndarray:
    """The similarity matrix of the window's sentences only (a cached embedder embeds nothing new)."""
    src = embedder.encode(list(src_texts[window.src_start : window.src_end]))
    tgt = embedder.encode(list(tgt_texts[window.tgt_start : window.tgt_end]))
    return similarity_matrix(src, tgt)


def confidence_colour(confidence: float | None) -> tuple[float, float, float, float] | str:
    """The colour a link of this confidence is drawn in (grey when it has none)."""
    if confidence is None:
        return _NO_CONFIDENCE
    from matplotlib import colormaps

    return colormaps[CONFIDENCE_CMAP](Normalize(0.0, 1.0)(confidence))


def draw_alignment(
    similarity: np.ndarray,
    beads: Sequence[Bead],
    window: Window,
    title: str = "",
    highlight: int | None = None,
    confidences: Sequence[float | None] | None = None,
) -> Figure:
    """The window's similarity matrix (source down, target across) with each link as a box coloured by confidence.

    A 1-0 or 0-1 link has no area: it is drawn as a thin bar on its one side. ``highlight`` outlines one link
    (the one selected for review) in blue. ``confidences`` (one a bead) overrides the beads' own, so links that
    have none (imported without one) are drawn grey rather than as sure.
    """
    n_src, n_tgt = window.src_end - window.src_start, window.tgt_end - window.tgt_start
    size = min(7.0, 2.5 + 0.06 * max(n_src, n_tgt))
    figure = Figure(figsize=(size + 2.5, size), layout="constrained")
    ax = figure.add_subplot()
    extent = (window.tgt_start - 0.5, window.tgt_end - 0.5, window.src_end - 0.5, window.src_start - 0.5)
    if n_src and n_tgt:
        # Multilingual embeddings put unrelated sentences at a cosine of 0.7 or more: stretch the grey scale over
        # the window's own range so the diagonal of translations stands out.
        low, high = float(np.percentile(similarity, 5)), float(similarity.max())
        image = ax.imshow(
            similarity, cmap="Greys", vmin=low, vmax=max(high, low + 1e-3), extent=extent, interpolation="nearest"
        )
        figure.colorbar(image, ax=ax, shrink=0.6, label="cosine similarity")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    src_at, tgt_at = window.src_start, window.tgt_start
    for k, bead in enumerate(beads[window.first : window.last], start=window.first):
        height, width = len(bead.src), len(bead.tgt)
        colour = confidence_colour(bead.confidence if confidences is None else confidences[k])
        x, y = tgt_at - 0.5, src_at - 0.5
        if width == 0:  # 1-0: a source sentence with no target
            x, width = x - 0.15, 0.3
        if height == 0:  # 0-1: a target sentence with no source
            y, height = y - 0.15, 0.3
        edge = "#1f5fd6" if k == highlight else colour
        ax.add_patch(Rectangle((x, y), width, height, fill=False, edgecolor=edge, linewidth=3 if k == highlight else 2))
        src_at += len(bead.src)
        tgt_at += len(bead.tgt)
    mappable = _confidence_mappable()
    figure.colorbar(mappable, ax=ax, shrink=0.6, label="link confidence")
    ax.set_xlabel("target sentence")
    ax.set_ylabel("source sentence")
    ax.set_title(title or f"links {link_number(window.first)}-{link_number(max(window.first, window.last - 1))}")
    return figure


def draw_confidences(confidences: Sequence[float | None], window: Window | None = None) -> Figure:
    """How confidences are distributed (histogram) and where along the document they drop (one bar a link).

    ``window`` shades the links the alignment picture shows. Links without a confidence are counted apart.
    """
    known = np.array([c for c in confidences if c is not None], dtype=float)
    figure = Figure(figsize=(9, 2.8), layout="constrained")
    hist_ax, track_ax = figure.subplots(1, 2, width_ratios=[1, 2])
    bins = np.linspace(0.0, 1.0, 21)
    counts, edges = np.histogram(known, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    hist_ax.bar(centres, counts, width=0.05, color=[confidence_colour(c) for c in centres], edgecolor="white")
    missing = len(confidences) - len(known)
    hist_ax.set_title(f"{len(known)} links" + (f" ({missing} without confidence)" if missing else ""))
    hist_ax.set_xlabel("confidence")
    hist_ax.set_ylabel("links")
    hist_ax.set_xlim(0, 1)
    positions = np.array([link_number(k) for k in range(len(confidences))])  # the x axis reads link numbers
    values = [0.0 if c is None else c for c in confidences]
    track_ax.bar(positions, values, width=1.0, color=[confidence_colour(c) for c in confidences])
    if window is not None and window.last > window.first:
        first, last = link_number(window.first), link_number(window.last - 1)
        track_ax.axvspan(first - 0.5, last + 0.5, color="#1f5fd6", alpha=0.12, label="shown")
        track_ax.legend(loc="lower right")
    track_ax.set_xlim(link_number(0) - 0.5, link_number(max(len(confidences), 1) - 1) + 0.5)
    track_ax.set_ylim(0, 1)
    track_ax.set_xlabel("link")
    track_ax.set_ylabel("confidence")
    track_ax.set_title("along the document")
    return figure


def _confidence_mappable():
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=Normalize(0.0, 1.0), cmap=CONFIDENCE_CMAP)
