"""The review editor component: its HTML/CSS/JS ship in this package (Streamlit components v2, no build step, no
iframe, nothing fetched at run time), and the rows it draws are built here from the library's review views.

The data is compact on purpose (short keys, sentences as ``[id, text]`` pairs): a 5,000-link project is sent
whole, so that moving between links, filtering and searching happen in the browser without a round trip.
"""

from __future__ import annotations

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
    project: Project, key: str, quality: Sequence[LinkQuality] | None, weak: Sequence[int]
) -> dict[str, Any]:
    """Every link of a target as a row: number, kind, status, both signals, note, and the sentences of each side."""
    target = project.target(key)
    source_text = {s.id: s.text for s in project.source.sentences}
    target_text = {s.id: s.text for s in target.side.sentences}
    rows = []
    for k, link in enumerate(target.links):
        q = quality[k] if quality is not None and k < len(quality) else None
        rows.append(
            {
                "i": k,
                "k": link.kind,
                "s": link.status,
                "c": None if link.confidence is None else round(link.confidence, 3),
                "cb": confidence_band(link.confidence),
                "q": None if q is None or q.score is None else round(q.score, 3),
                "qb": "unknown" if q is None else q.band,
                "r": "; ".join(q.reasons) if q is not None else "",
                "n": link.note,
                "cells": [[[i, source_text[i]] for i in link.src], [[j, target_text[j]] for j in link.tgt]],
            }
        )
    counts = target.counts()
    return {
        "mode": "links",
        "key": key,
        "columns": [_column(project, "source"), _column(project, key)],
        "rows": rows,
        "weak": list(weak),
        "counts": {
            "links": counts["links"],
            "confirmed": counts["confirmed"],
            "flagged": counts["flagged"],
            "todo": counts["links"] - counts["confirmed"] - counts["flagged"],
        },
        "low_confidence": LOW_CONFIDENCE,
    }


def all_languages_data(project: Project) -> dict[str, Any]:
    """The source in spans every target links as a whole, each target's text beside it (weakest link's colour)."""
    keys = list(project.targets)
    texts = {key: {s.id: s.text for s in project.target(key).side.sentences} for key in keys}
    rows = []
    for k, row in enumerate(multilingual_rows(project, keys)):
        cells: list[Any] = [[[s.id, s.text] for s in project.source.sentences[row.start : row.end]]]
        for key in keys:
            cell = row.cells[key]
            links = project.target(key).links
            cells.append(
                {
                    "links": list(cell.links),
                    "s": cell.status,
                    "cb": confidence_band(cell.confidence),
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
