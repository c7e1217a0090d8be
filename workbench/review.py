"""What a reviewer looks at in a project: confidence bands, links filtered and ranked weakest first, and all
targets side by side.

The app's Review page builds on these (its editor filters in the browser by the same rules); nothing here
aligns, translates or embeds, so ranking or filtering a 5,000-link project is a walk over lists in memory,
cheap enough to repeat on every rerun of the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.alignment.relatedness import unrelated_warning
from workbench.checks.text import fold
from workbench.projects import AUTO, CONFIRMED, FLAGGED, Link, Project, source_spans

#: Below this a link is "low confidence" (red); from HIGH_CONFIDENCE on it is likely right (green). The
#: aligner's confidences are calibrated on the development gold sets, so these read as rough probabilities.
LOW_CONFIDENCE = 0.5
HIGH_CONFIDENCE = 0.8
#: From this confidence on, links were at least 99% exactly right on development sets the confidence was not fitted
#: on (bench/RESULTS.md, "Confidence a reviewer can act on"): a reviewer can approve them unread.
SURE_CONFIDENCE = 0.99

_STATUS_RANK = {CONFIRMED: 0, AUTO: 1, FLAGGED: 2}  # a span shows the weakest claim among its links


def confidence_band(confidence: float | None) -> str:
    """``"low"``, ``"medium"``, ``"high"``, or ``"none"`` for a link imported without a confidence."""
    if confidence is None:
        return "none"
    if confidence < LOW_CONFIDENCE:
        return "low"
    return "medium" if confidence < HIGH_CONFIDENCE else "high"


def sure_links(project: Project, target_key: str, threshold: float = SURE_CONFIDENCE) -> list[int]:
    """Links still to review whose confidence is at least ``threshold``: the ones a reviewer can approve unread.

    None when the two texts do not look like translations of each other (:func:`unrelated_target`): confidences are
    relative to the document, and such a pair still gets confident links."""
    if unrelated_target(project, target_key):
        return []
    return [
        k
        for k, link in enumerate(project.target(target_key).links)
        if link.status == AUTO and link.confidence is not None and link.confidence >= threshold
    ]


def unrelated_target(project: Project, target_key: str) -> str | None:
    """The warning to show when a target's text does not look like a translation of the source (as its alignment
    measured it, :mod:`workbench.alignment.relatedness`), else None."""
    return unrelated_warning(project.target(target_key).signature.get("relatedness"))


def fold_for_search(text: str) -> str:
    """``text`` as search compares it: case and accents folded (NFKD, accents dropped, casefolded), so a reviewer
    typing "eleicoes" finds "Eleições" and "Sérvia" finds "Servia", as people type on any keyboard.

    It is the spot-checks' :func:`~workbench.checks.text.fold`, so both agree on what "the same word" is; it drops
    the accents of Latin, Greek and Cyrillic letters, not the vowel signs of Indic scripts, which would merge
    different words.
    """
    return fold(text)


@dataclass(frozen=True)
class LinkFilter:
    """Which links of a target to list; the fields combine with "and". The default keeps every link.

    ``statuses``: only links with one of these statuses (``{"auto"}`` lists what is not reviewed yet).
    ``below``: only links whose confidence is under it (links without a confidence count as low).
    ``text``: only links whose source or target text contains it, ignoring case and accents
    (:func:`fold_for_search`).
    """

    statuses: frozenset[str] | None = None
    below: float | None = None
    text: str = ""

    def keeps(self, link: Link, source: str, target: str) -> bool:
        if self.statuses is not None and link.status not in self.statuses:
            return False
        if self.below is not None and link.confidence is not None and link.confidence >= self.below:
            return False
        needle = fold_for_search(self.text.strip())
        return not needle or needle in fold_for_search(source) or needle in fold_for_search(target)


def filter_links(project: Project, target_key: str, link_filter: LinkFilter | None = None) -> list[int]:
    """Indices of the links of a target that ``link_filter`` keeps, in document order."""
    target = project.target(target_key)
    if link_filter is None or link_filter == LinkFilter():
        return list(range(len(target.links)))
    needs_text = bool(link_filter.text.strip())
    source_text = {s.id: s.text for s in project.source.sentences} if needs_text else {}
    target_text = {s.id: s.text for s in target.side.sentences} if needs_text else {}
    kept = []
    for k, link in enumerate(target.links):
        source = " ".join(source_text[i] for i in link.src) if needs_text else ""
        text = " ".join(target_text[j] for j in link.tgt) if needs_text else ""
        if link_filter.keeps(link, source, text):
            kept.append(k)
    return kept


def page_count(n_items: int, per_page: int) -> int:
    """Pages needed for ``n_items`` (at least one, so an empty list still has a page to show)."""
    return max(1, math.ceil(n_items / per_page))


@dataclass(frozen=True)
class SpanCell:
    """One target's text for a source span, with the weakest status and the lowest confidence of its links."""

    text: str
    status: str
    confidence: float | None
    links: tuple[int, ...]


@dataclass(frozen=True)
class SpanRow:
    """A stretch of source sentences that every target links as a whole, and each target's text for it."""

    start: int
    end: int
    source: str
    cells: dict[str, SpanCell]


def multilingual_rows(project: Project, target_keys: Sequence[str] | None = None) -> list[SpanRow]:
    """The source in spans every target agrees with (:func:`~workbench.projects.source_spans`), all targets beside.

    Target sentences of a 0-n link belong to the span of the link before them (the first span at the start),
    as in the multilingual TMX export, so every target sentence appears once.
    """
    keys = list(project.targets) if target_keys is None else list(target_keys)
    if not keys:
        return []
    spans = source_spans(project, keys)
    span_of = [0] * len(project.source.sentences)
    for k, (start, end) in enumerate(spans):
        span_of[start:end] = [k] * (end - start)
    source_pos = {sid: i for i, sid in enumerate(project.source.ids())}
    grouped: dict[str, list[list[int]]] = {}
    for key in keys:
        groups: list[list[int]] = [[] for _ in spans]
        current = 0
        for index, link in enumerate(project.target(key).links):
            if link.src:
                current = span_of[source_pos[link.src[0]]]
            groups[current].append(index)
        grouped[key] = groups
    texts = {key: {s.id: s.text for s in project.target(key).side.sentences} for key in keys}
    rows = []
    for k, (start, end) in enumerate(spans):
        cells = {}
        for key in keys:
            target = project.target(key)
            links = [target.links[i] for i in grouped[key][k]]
            confidences = [x.confidence for x in links if x.confidence is not None]
            status = max((x.status for x in links), key=lambda s: _STATUS_RANK.get(s, 1), default=AUTO)
            text = target.side.joiner().join(texts[key][t] for x in links for t in x.tgt)
            cells[key] = SpanCell(text, status, min(confidences) if confidences else None, tuple(grouped[key][k]))
        source = project.source.joiner().join(s.text for s in project.source.sentences[start:end])
        rows.append(SpanRow(start, end, source, cells))
    return rows


def weakness(confidence: float | None, quality: float | None) -> float:
    """How doubtful a link is, 0 (surely wrong) to 1: the weaker of its two signals, alignment confidence (is
    this the right pairing?) and translation quality (is it a good translation?). A signal not known counts as
    neither good nor bad; a link with neither comes first, as nothing vouches for it."""
    known = [x for x in (confidence, quality) if x is not None]
    return min(known) if known else -1.0


def weakest_order(project: Project, target_key: str, quality: Sequence[Any] | None = None) -> list[int]:
    """The links still to review (not approved, not flagged), weakest first by :func:`weakness`, ties in document
    order: what "next weakest" walks through. ``quality`` holds one item with a ``score`` per link, or None."""
    links = project.target(target_key).links
    scores = [getattr(q, "score", None) for q in quality] if quality is not None else [None] * len(links)
    waiting = [k for k, link in enumerate(links) if link.status not in (CONFIRMED, FLAGGED)]
    return sorted(waiting, key=lambda k: (weakness(links[k].confidence, scores[k] if k < len(scores) else None), k))
