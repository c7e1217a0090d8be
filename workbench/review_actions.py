"""The actions a reviewer takes on a link, by name, as the review editor sends them: applied through
:mod:`workbench.projects` (which saves each at once), with the message to show beside the link and the link to
be on afterwards.

Why a dispatcher of its own: the editor in the browser speaks in small JSON actions (``{"op": "merge", "index":
4, "other": 5}``); turning them into edit calls, and saying in words what happened, is the same for any face that
sends them, and can be tested without a browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.errors import InputError
from workbench.projects import (
    SOURCE,
    Project,
    confirm,
    edit_sentence,
    flag,
    join_sentences,
    link_number,
    merge_links,
    move_sentence,
    redo,
    split_link,
    split_sentence,
    unconfirm,
    undo,
    unlink,
)
from workbench.review import SURE_CONFIDENCE, sure_links, unrelated_target

#: Operations the editor may send; anything else is refused with a message.
OPERATIONS = (
    "approve_sure",
    "edit",
    "join",
    "confirm",
    "unconfirm",
    "flag",
    "merge",
    "split",
    "move",
    "unlink",
    "undo",
    "redo",
)

#: Operations on the link at ``index`` (checked first: an index past the end is a message, not an IndexError).
LINK_OPERATIONS = frozenset({"confirm", "unconfirm", "flag", "merge", "split", "move", "unlink"})


@dataclass(frozen=True)
class Outcome:
    """What an action did: a message for the reviewer, and the link (0-based) the editor should be on."""

    message: str
    index: int
    kind: str = "success"


def perform(project: Project, target_key: str, action: Mapping[str, Any]) -> Outcome:
    """Apply one editor action to a target of ``project``; errors are the library's (EditError, ConflictError).

    ``action["index"]`` is the link the reviewer is on (0-based); the result's ``index`` is where to be next.
    """
    op = action.get("op")
    index = _int(action.get("index", 0), "index")
    links = project.target(target_key).links
    if op not in OPERATIONS:
        raise InputError(f"the review editor sent an unknown action {op!r}; known: {', '.join(OPERATIONS)}.")
    number = link_number(index)
    if op in LINK_OPERATIONS and not 0 <= index < len(links):
        raise InputError(
            f"target {target_key!r} has no link {number}: its {len(links)} links are numbered 1 to {len(links)}."
        )
    if op == "edit":
        return _edit(project, target_key, index, str(action["side"]), str(action["sid"]), str(action["text"]))
    if op == "join":
        return _join(project, target_key, index, str(action["side"]), str(action["sid"]))
    if op == "approve_sure":
        unrelated = unrelated_target(project, target_key)
        if unrelated:
            return Outcome(f"Nothing approved. {unrelated}", index, "warning")
        sure = sure_links(project, target_key)
        if not sure:
            return Outcome(f"No link to review has a confidence of {SURE_CONFIDENCE} or more.", index, "info")
        confirm(project, target_key, sure)
        return Outcome(
            f"{len(sure)} links with a confidence of {SURE_CONFIDENCE} or more approved (one edit: z undoes it).", index
        )
    if op == "confirm":
        done = confirm(project, target_key, index)
        return Outcome(f"Link {number} approved." if done else f"Link {number} was already approved.", index)
    if op == "unconfirm":
        done = unconfirm(project, target_key, index)
        return Outcome(f"Link {number} is to review again." if done else f"Link {number} is not approved.", index)
    if op == "flag":
        note = str(action.get("note", "")).strip()
        flag(project, target_key, index, note)
        return Outcome(f"Link {number} flagged" + (f": {note}" if note else "."), index, "info")
    if op == "merge":
        other = _int(action.get("other"), "other")
        if not 0 <= other < len(links):
            side = "first" if other < 0 else "last"
            return Outcome(f"Link {number} is the {side}: there is no link to merge it with.", index, "error")
        merge_links(project, target_key, index, other)
        merged = min(index, other)
        return Outcome(
            f"Links {link_number(merged)} and {link_number(merged + 1)} merged into link {link_number(merged)} "
            f"({project.target(target_key).links[merged].kind}), made by hand: approve it when it is right.",
            merged,
        )
    if op == "split":
        source_at, target_at = _int(action["source_at"], "source_at"), _int(action["target_at"], "target_at")
        split_link(project, target_key, index, source_at, target_at)
        first, second = project.target(target_key).links[index : index + 2]
        return Outcome(
            f"Link {number} split into {first.kind} and {second.kind} (links {number} and {number + 1}); "
            "move a boundary with [ and ] if the cut is not right.",
            index,
        )
    if op == "move":
        which, direction = str(action.get("which")), str(action.get("direction"))
        before = len(links)
        entry = move_sentence(project, target_key, index, which, direction)  # type: ignore[arg-type]
        shrank = len(project.target(target_key).links) < before
        at = index - 1 if shrank and direction == "previous" else index
        return Outcome(f"Moved: {entry.summary}.", max(0, at))
    if op == "unlink":
        size = len(links[index].src) + len(links[index].tgt)
        unlink(project, target_key, index)
        last = number + size - 1
        return Outcome(f"Link {number} unlinked: its {size} sentences stand alone (links {number}-{last}).", index)
    entry = (redo if op == "redo" else undo)(project)
    # Stay on the link, inside the links there are now (an undo may remove links, or the target itself).
    count = len(project.targets[target_key].links) if target_key in project.targets else 0
    where = max(0, min(index, count - 1))
    return Outcome(f"{'Redone' if op == 'redo' else 'Undone'}: {entry.summary}.", where)


def _edit(project: Project, key: str, index: int, side: str, sid: str, text: str) -> Outcome:
    """Save a sentence's new text; a line break typed in it splits the sentence there (one more edit)."""
    _check_side(project, key, side)
    parts = [part.strip() for part in text.replace("\r\n", "\n").split("\n") if part.strip()]
    if not parts:
        raise InputError(f"sentence {sid} cannot be empty; join it with a neighbour instead (J).")
    joined = project.side(side).joiner().join(parts)
    changed = edit_sentence(project, side, sid, joined) is not None
    # The sentence now holds every part: cut the first part off, then the next from the rest, and so on.
    current = sid
    for part in parts[:-1]:
        split_sentence(project, side, current, len(part))
        the_side = project.side(side)
        current = the_side.sentences[the_side.position(current) + 1].id
    where = "source" if side == SOURCE else side
    if len(parts) > 1:
        return Outcome(f"Saved {where} sentence {sid}, split in {len(parts)}.", index)
    if not changed:
        return Outcome(f"{where.capitalize()} sentence {sid} is unchanged.", index, "info")
    return Outcome(f"Saved the new text of {where} sentence {sid}.", index)


def _join(project: Project, key: str, index: int, side: str, sid: str) -> Outcome:
    _check_side(project, key, side)
    the_side = project.side(side)
    position = the_side.position(sid)
    if position + 1 >= len(the_side.sentences):
        return Outcome(f"{sid} is the last sentence: there is none after it to join.", index, "error")
    other = the_side.sentences[position + 1].id
    join_sentences(project, side, sid, other)
    link = project.target(key).link_of("source" if side == SOURCE else "target", sid)
    return Outcome(f"Joined {sid} with {other}.", link)


def _check_side(project: Project, key: str, side: str) -> None:
    if side not in (SOURCE, key):
        raise InputError(f"the editor of target {key!r} cannot edit side {side!r}.")


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise InputError(f"the review editor sent {name}={value!r}; a whole number was expected.")
    return int(value)
