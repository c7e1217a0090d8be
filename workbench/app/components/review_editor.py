"""The review editor component: its HTML/CSS/JS ship in this package (Streamlit components v2, no build step, no
iframe, nothing fetched at run time), and the rows it draws are built here from the library's review views.

The data is compact on purpose (short keys, sentences as ``[id, text]`` pairs): a 5,000-link project is sent
whole, so that moving between links, filtering and searching happen in the browser without a round trip.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import Any

import streamlit as st

from workbench.checks.quality import LinkQuality
from workbench.documents import sentence_joiner
from workbench.projects import Project
from workbench.review import LOW_CONFIDENCE, confidence_band, multilingual_rows

NAME = "workbench.review_editor"
_BAND_ORDER = ["poor", "doubtful", "good", "unknown"]  # the worst first: a span is as good as its poorest link


@cache
def _component() -> Any:
    files = resources.files(__package__)
    return st.components.v2.component(
        NAME,
        html="<div></div>",
        css=(files / "review_editor.css").read_text(encoding="utf-8"),
        js=(files / "review_editor.js").read_text(encoding="utf-8"),
        isolate_styles=False,  # the theme's fonts and colours apply; class names are prefixed wbr-
    )


def review_editor(data: dict[str, Any], key: str, on_action: Callable[[], None]) -> Any:
    """Mount the editor; ``on_action`` runs (before the page reruns) when the reviewer acts on a link."""
    return _component()(data=data, key=key, on_action_change=on_action)


def links_data(
    project: Project,
    key: str,
    quality: Sequence[LinkQuality | None] | None,
    weak: Sequence[int],
    memo: dict[Any, str] | None = None,
) -> dict[str, Any]:
    """Every link of a target as a row: number, kind, status, both signals, note, and the sentences of each side.

    ``rows`` holds each row as JSON text, kept in ``memo`` (per session) keyed by everything it shows, so after an
    edit only the rows it touched are encoded again; :func:`rows_payload` then sends only what changed. A row does
    not hold its own number (its position is its number), so rows after a merge stay the same text.
    """
    target = project.target(key)
    source_text = {s.id: s.text for s in project.source.sentences}
    target_text = {s.id: s.text for s in target.side.sentences}
    memo = {} if memo is None else memo
    if len(memo) > 4 * len(target.links) + 1000:
        memo.clear()
    parts = []
    for k, link in enumerate(target.links):
        q = quality[k] if quality is not None and k < len(quality) else None
        texts = (tuple(source_text[i] for i in link.src), tuple(target_text[j] for j in link.tgt))
        cache_key = (link, texts, q)
        row = memo.get(cache_key)
        if row is None:
            row = json.dumps(
                {
                    "k": link.kind,
                    "s": link.status,
                    "c": None if link.confidence is None else round(link.confidence, 3),
                    "cb": confidence_band(link.confidence),
                    "q": None if q is None or q.score is None else round(q.score, 3),
                    "qb": "unknown" if q is None else q.band,
                    "r": "; ".join(q.reasons) if q is not None else "",
                    # Whether a round trip weighed in: "no finding" without one is not a perfect score.
                    "rt": q is not None and q.chrf is not None,
                    "n": link.note,
                    "cells": [list(zip(link.src, texts[0], strict=True)), list(zip(link.tgt, texts[1], strict=True))],
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
            memo[cache_key] = row
        parts.append(row)
    counts = target.counts()
    return {
        "mode": "links",
        "key": key,
        "columns": [_column(project, "source"), _column(project, key)],
        "rows": parts,
        "weak": list(weak),
        "counts": {
            "links": counts["links"],
            "confirmed": counts["confirmed"],
            "flagged": counts["flagged"],
            "todo": counts["links"] - counts["confirmed"] - counts["flagged"],
        },
        "low_confidence": LOW_CONFIDENCE,
    }


def rows_payload(rows: list[str], sent: dict[str, Any]) -> dict[str, Any]:
    """What to send of ``rows`` (JSON texts) given what this session sent the editor last (``sent``, updated).

    Sending 5,000 rows after every edit would cost the reviewer a second on this machine (3 MB through the
    server and the browser); an edit changes a few rows in one place, so this sends that stretch as a splice
    against the editor's last rows (``base``). The editor asks for everything (``resync``) when its rows are not
    the ones ``base`` names: a new page load, or a page visited again.
    """
    old: list[str] | None = sent.get("rows")
    token = int(sent.get("token", 0))
    if old is None:
        sent.update(token=token + 1, rows=rows)
        return {"token": token + 1, "rows_json": "[" + ",".join(rows) + "]"}
    if len(old) == len(rows) and all(a is b or a == b for a, b in zip(old, rows, strict=True)):
        return {"token": token}
    start = 0
    while start < min(len(old), len(rows)) and old[start] == rows[start]:
        start += 1
    end = 0
    while end < min(len(old), len(rows)) - start and old[-1 - end] == rows[-1 - end]:
        end += 1
    changed = rows[start : len(rows) - end]
    sent.update(token=token + 1, rows=rows)
    return {
        "token": token + 1,
        "base": token,
        "splice": [start, len(old) - end - start],
        "rows_json": "[" + ",".join(changed) + "]",
    }


def all_languages_data(
    project: Project, quality: dict[str, Sequence[LinkQuality | None]] | None = None
) -> dict[str, Any]:
    """The source in spans every target links as a whole, each target's text beside it, with the weakest link's
    alignment colour and the poorest quality band among its links (``quality``: each target's signal)."""
    keys = list(project.targets)
    texts = {key: {s.id: s.text for s in project.target(key).side.sentences} for key in keys}
    rows = []
    for k, row in enumerate(multilingual_rows(project, keys)):
        cells: list[Any] = [[[s.id, s.text] for s in project.source.sentences[row.start : row.end]]]
        for key in keys:
            cell = row.cells[key]
            links = project.target(key).links
            signal = (quality or {}).get(key)
            known = [signal[i] for i in cell.links if signal is not None and signal[i] is not None]
            cells.append(
                {
                    "links": list(cell.links),
                    "s": cell.status,
                    "cb": confidence_band(cell.confidence),
                    "qb": min((q.band for q in known), key=_BAND_ORDER.index, default="unknown"),
                    "sents": [[t, texts[key][t]] for i in cell.links for t in links[i].tgt],
                }
            )
        label = f"{row.start + 1}" if row.end - row.start == 1 else f"{row.start + 1}-{row.end}"
        rows.append({"i": k, "label": f"s. {label}", "cells": cells})
    return {
        "mode": "all",
        "key": "*",
        "columns": [_column(project, "source")] + [_column(project, key) for key in keys],
        "rows": rows,
        "weak": [],
        "counts": {},
    }


def _column(project: Project, key: str) -> dict[str, Any]:
    side = project.side(key)
    label = f"Source ({side.lang})" if key == "source" else f"{key} ({side.lang})"
    return {"key": key, "label": label, "lang": side.lang, "cjk": sentence_joiner(side.lang) == ""}
