"""Every edit as a patch: which stretch of which list it replaced, with the rows before and after.

One representation serves three purposes: the store writes only the rows a patch touches (an edit near the end
of a long document costs little), the edit log keeps each patch so undo applies its inverse and redo applies it
again (after a reload too), and edit operations never compute their own inverse: they change working copies of
lists (:class:`Draft`) and the patch is the difference.

A step replaces ``old`` by ``new`` at ``start`` in the sentences of a side or the links of a target, or creates
(``old`` None), updates or deletes (``new`` None) a target's side record. Applying checks that ``old`` is what
is there, so a patch can never silently land on a state it was not made for.

A fourth kind, ``audit``, holds a target's audit sample and verdicts (as the store reads them) while the target is
removed: the store adds it to every patch that deletes a side, read from the file inside the transaction, so
undo brings a removed target back with its audit and a new target under the same key never inherits one. The
project in memory holds no audit, so applying such a step changes nothing there.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.projects.model import SOURCE, Link, Project, ProjectSentence, Side, TargetAlignment, jsonable

SIDE, SENTENCES, LINKS, AUDIT = "side", "sentences", "links", "audit"


@dataclass(frozen=True)
class Step:
    kind: str  # SIDE, SENTENCES, LINKS or AUDIT
    key: str  # the side ("source" or a target key) or the target whose links change
    start: int = 0
    old: Any = None  # rows replaced, or the side record before (None: created)
    new: Any = None  # rows put in, or the side record after (None: deleted); AUDIT: the audit rows, or None

    def inverse(self) -> Step:
        return Step(self.kind, self.key, self.start, self.new, self.old)


Patch = list[Step]


def invert(patch: Sequence[Step]) -> Patch:
    """The patch that undoes ``patch``: the inverse steps in reverse order."""
    return [step.inverse() for step in reversed(patch)]


def side_record(target: TargetAlignment) -> dict[str, Any]:
    """What a target keeps besides its rows: document name, language, title, metadata, signature, position."""
    side = target.side
    record = {
        "name": side.name,
        "lang": side.lang,
        "title": side.title,
        "metadata": side.metadata,
        "signature": target.signature,
        "position": target.position,
    }
    return jsonable(record)


def diff(kind: str, key: str, old: Sequence[Any], new: Sequence[Any]) -> Step | None:
    """The one step that turns ``old`` into ``new``: the stretch between their common head and tail."""
    head = 0
    while head < len(old) and head < len(new) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < len(old) - head and tail < len(new) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if head == len(old) == len(new):
        return None
    return Step(kind, key, head, list(old[head : len(old) - tail]), list(new[head : len(new) - tail]))


class Draft:
    """Working copies of the lists an edit changes; :meth:`steps` is the patch that makes them so.

    Operations read and change the copies freely and validate as they go: until the patch is saved, the project
    itself is untouched, which is how an invalid edit changes nothing.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._sentences: dict[str, list[ProjectSentence]] = {}
        self._links: dict[str, list[Link]] = {}
        self._records: dict[str, dict[str, Any]] = {}

    def sentences(self, key: str) -> list[ProjectSentence]:
        if key not in self._sentences:
            self._sentences[key] = list(self.project.side(key).sentences)
        return self._sentences[key]

    def links(self, key: str) -> list[Link]:
        if key not in self._links:
            self._links[key] = list(self.project.target(key).links)
        return self._links[key]

    def set_signature(self, key: str, signature: dict[str, Any]) -> None:
        record = dict(side_record(self.project.target(key)))
        record["signature"] = jsonable(signature)
        self._records[key] = record

    def steps(self) -> Patch:
        patch: Patch = []
        for key, rows in self._sentences.items():
            step = diff(SENTENCES, key, self.project.side(key).sentences, rows)
            patch += [step] if step else []
        for key, links in self._links.items():
            step = diff(LINKS, key, self.project.target(key).links, links)
            patch += [step] if step else []
        for key, record in self._records.items():
            before = side_record(self.project.target(key))
            if before != record:
                patch.append(Step(SIDE, key, 0, before, record))
        return patch


def apply_patch(project: Project, patch: Sequence[Step]) -> None:
    """Apply ``patch`` to the project in memory; raises (changing nothing) if it does not fit."""
    done: list[Step] = []
    try:
        for step in patch:
            _apply_step(project, step)
            done.append(step)
    except Exception:  # put back what was applied, so the project is as it was
        for step in invert(done):
            _apply_step(project, step)
        raise


def _apply_step(project: Project, step: Step) -> None:
    if step.kind == AUDIT:
        return  # audits live only in the file (see the module's docstring)
    if step.kind == SIDE:
        _apply_side(project, step)
        return
    if step.kind == SENTENCES:
        rows: list[Any] = project.side(step.key).sentences
    else:
        rows = project.target(step.key).links
    end = step.start + len(step.old)
    if rows[step.start : end] != list(step.old):
        raise ValueError(f"the {step.kind} of {step.key!r} at {step.start} are not what this edit was made for")
    rows[step.start : end] = step.new


def _apply_side(project: Project, step: Step) -> None:
    key, new = step.key, step.new
    if key == SOURCE:
        raise ValueError("the source side record does not change")
    exists = key in project.targets
    if (step.old is None) == exists:
        raise ValueError(f"target {key!r} {'already exists' if exists else 'is missing'}")
    if new is None:
        target = project.targets[key]
        if target.links or target.side.sentences:
            raise ValueError(f"target {key!r} still has rows")
        del project.targets[key]
        return
    if not exists:
        side = Side(key, new["name"], new["lang"], new["title"], dict(new["metadata"]))
        project.targets[key] = TargetAlignment(key, side, [], dict(new["signature"]), new["position"])
        project.targets = dict(sorted(project.targets.items(), key=lambda item: item[1].position))
        return
    target = project.targets[key]
    target.side.name, target.side.lang, target.side.title = new["name"], new["lang"], new["title"]
    target.side.metadata, target.signature = dict(new["metadata"]), dict(new["signature"])


# ------------------------------------------------------------------------------------------------ as JSON


def sentence_row(s: ProjectSentence) -> list[Any]:
    return [s.id, s.paragraph, s.text]


def link_row(link: Link) -> list[Any]:
    return [list(link.src), list(link.tgt), link.confidence, link.status, link.note, link.changed]


def sentence_from_row(row: Sequence[Any]) -> ProjectSentence:
    return ProjectSentence(str(row[0]), int(row[1]), str(row[2]))


def link_from_row(row: Sequence[Any]) -> Link:
    src, tgt, confidence, status, note, changed = row
    return Link(
        tuple(map(str, src)),
        tuple(map(str, tgt)),
        None if confidence is None else float(confidence),
        str(status),
        str(note),
        str(changed),
    )


def patch_to_json(patch: Sequence[Step]) -> str:
    out = []
    for step in patch:
        if step.kind in (SIDE, AUDIT):
            old, new = step.old, step.new
        elif step.kind == SENTENCES:
            old, new = [sentence_row(s) for s in step.old], [sentence_row(s) for s in step.new]
        else:
            old, new = [link_row(x) for x in step.old], [link_row(x) for x in step.new]
        out.append({"kind": step.kind, "key": step.key, "start": step.start, "old": old, "new": new})
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def patch_from_json(text: str) -> Patch:
    patch: Patch = []
    for item in json.loads(text):
        kind, old, new = item["kind"], item["old"], item["new"]
        if kind == SENTENCES:
            old, new = [sentence_from_row(r) for r in old], [sentence_from_row(r) for r in new]
        elif kind == LINKS:
            old, new = [link_from_row(r) for r in old], [link_from_row(r) for r in new]
        elif kind not in (SIDE, AUDIT):
            raise ValueError(f"unknown step kind {kind!r}")
        patch.append(Step(kind, str(item["key"]), int(item["start"]), old, new))
    return patch
