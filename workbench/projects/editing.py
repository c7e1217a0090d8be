"""Edit operations on a saved project, shared by the app and the command line, each saved at once and undoable.

Every operation validates first and raises :class:`~workbench.projects.errors.EditError` with a message a
reviewer can act on, before anything changes; then it changes working copies (:class:`Draft`), and the
difference is saved as one patch in the edit log (:func:`~workbench.projects.store.save_edit`), which is what
undo and redo replay. Operations that change nothing save nothing and return None.

What an edit does to links:

- Links a reviewer builds by hand (merge, split, unlink, move a sentence) come out ``manual`` with no confidence:
  the reviewer decided the pairing, so realigning keeps them, but nobody has approved them yet (confirm does), and
  the aligner never scored that pairing, so no made-up 1.0 is shown. Notes of the links they came from are kept.
- A source sentence is in a link of every target, so source edits reach every target: editing its text changes
  no link (only their last-changed time); splitting it puts both halves in its links; joining it with the next
  sentence merges, in every target where they sit in different links, those links and any between them (which
  can only hold target sentences). A link merged that way is flagged if any part was, confirmed if all were,
  manual if all were confirmed or manual, else auto, with the lowest confidence of its parts. Target sentence
  edits work the same way on their target.

Messages and summaries number links from 1 (:func:`~workbench.projects.model.link_number`), as people see them;
the functions take 0-based indices, as ``target.links`` is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Literal

from workbench.projects.errors import EditError
from workbench.projects.model import (
    AUTO,
    CONFIRMED,
    FLAGGED,
    MANUAL,
    SOURCE,
    HistoryEntry,
    Link,
    Project,
    ProjectSentence,
    TargetAlignment,
    link_number,
    utc_now,
)
from workbench.projects.patches import Draft
from workbench.projects.store import save_edit, step_history

Which = Literal["source", "target"]
Direction = Literal["previous", "next"]


# --------------------------------------------------------------------------------------------- sentences


def edit_sentence(project: Project, side: str, sentence_id: str, text: str) -> HistoryEntry | None:
    """Replace a sentence's text (``side`` is "source" or a target key); its links stay as they are.

    Only this text is new to the embedding cache, so the next realign embeds it and nothing else.
    """
    current = project.side(side).sentence(sentence_id)
    text = _clean(text)
    if not text:
        raise EditError(f"sentence {sentence_id} cannot be empty; join it with a neighbour instead.")
    if text == current.text:
        return None
    now = utc_now()
    draft = Draft(project)
    sentences = draft.sentences(side)
    sentences[project.side(side).position(sentence_id)] = replace(current, text=text)
    for key in _targets_holding(project, side):
        links = draft.links(key)
        k = project.target(key).link_of(_which(side), sentence_id)
        links[k] = replace(links[k], changed=now)
    where = _where(side)
    return save_edit(
        project,
        "edit_sentence",
        {"side": side, "sentence": sentence_id, "text": text},
        f"edit {where} sentence {sentence_id}",
        draft.steps(),
    )


def split_sentence(project: Project, side: str, sentence_id: str, at: int) -> HistoryEntry:
    """Split a sentence in two at character ``at``; the first half keeps the id, the second gets a new one.

    Both halves stay in the sentence's links (in every target, for a source sentence): a split changes the
    segmentation, not what translates what.
    """
    the_side = project.side(side)
    current = the_side.sentence(sentence_id)
    if not isinstance(at, int) or not 0 < at < len(current.text):
        raise EditError(
            f"cannot split sentence {sentence_id} at {at!r}: split inside it, at 1 to {len(current.text) - 1}."
        )
    left, right = current.text[:at].rstrip(), current.text[at:].lstrip()
    if not left or not right:
        raise EditError(f"splitting sentence {sentence_id} at {at} would leave an empty half; split between words.")
    new_id = the_side.new_sentence_id(sentence_id)
    now = utc_now()
    draft = Draft(project)
    k = the_side.position(sentence_id)
    draft.sentences(side)[k : k + 1] = [
        replace(current, text=left),
        ProjectSentence(new_id, current.paragraph, right),
    ]
    which = _which(side)
    for key in _targets_holding(project, side):
        links = draft.links(key)
        j = project.target(key).link_of(which, sentence_id)
        ids = list(_ids(links[j], which))
        ids.insert(ids.index(sentence_id) + 1, new_id)
        links[j] = _with_ids(links[j], which, tuple(ids), changed=now)
    return _save(
        project,
        "split_sentence",
        {"side": side, "sentence": sentence_id, "at": at, "new_id": new_id},
        f"split {_where(side)} sentence {sentence_id} into {sentence_id} and {new_id}",
        draft,
    )


def join_sentences(project: Project, side: str, first_id: str, second_id: str) -> HistoryEntry:
    """Join a sentence with the one right after it (same paragraph); the result keeps the first id."""
    the_side = project.side(side)
    p1, p2 = the_side.position(first_id), the_side.position(second_id)
    if p2 == p1 - 1:  # given the other way round: still the same two neighbours
        p1, p2, first_id, second_id = p2, p1, second_id, first_id
    if p2 != p1 + 1:
        raise EditError(
            f"sentences {first_id} and {second_id} are not next to each other: only a sentence and the one right "
            "after it can be joined."
        )
    first, second = the_side.sentences[p1], the_side.sentences[p2]
    if first.paragraph != second.paragraph:
        raise EditError(
            f"sentences {first_id} and {second_id} are in different paragraphs; a sentence cannot cross a paragraph "
            "break."
        )
    now = utc_now()
    draft = Draft(project)
    draft.sentences(side)[p1 : p2 + 1] = [replace(first, text=first.text + the_side.joiner() + second.text)]
    which = _which(side)
    merged_in: list[str] = []
    for key in _targets_holding(project, side):
        target = project.target(key)
        links = draft.links(key)
        a, b = target.link_of(which, first_id), target.link_of(which, second_id)
        parts = links[a : b + 1]
        src = tuple(s for link in parts for s in link.src if not (which == SOURCE and s == second_id))
        tgt = tuple(t for link in parts for t in link.tgt if not (which != SOURCE and t == second_id))
        if a == b:
            links[a] = replace(links[a], src=src, tgt=tgt, changed=now)
        else:
            links[a : b + 1] = [_combined(parts, src, tgt, now)]
            merged_in.append(key)
    summary = f"join {_where(side)} sentences {first_id} and {second_id}"
    if merged_in:
        summary += f" (merging their links in {', '.join(merged_in)})"
    return _save(project, "join_sentences", {"side": side, "first": first_id, "second": second_id}, summary, draft)


# --------------------------------------------------------------------------------------------- links


def merge_links(project: Project, target_key: str, first: int, second: int) -> HistoryEntry:
    """Merge two neighbouring links into one (a 1-1 and a 1-0 make a 2-1), manual (made by hand, not approved)."""
    target = project.target(target_key)
    first, second = sorted((_index(target, first), _index(target, second)))
    if second != first + 1:
        raise EditError(
            f"links {link_number(first)} and {link_number(second)} of target {target_key!r} are not neighbours: only "
            "adjacent links can be merged."
        )
    a, b = target.links[first], target.links[second]
    draft = Draft(project)
    draft.links(target_key)[first : second + 1] = [_by_hand(a.src + b.src, a.tgt + b.tgt, _notes([a, b]))]
    return _save(
        project,
        "merge_links",
        {"target": target_key, "first": first, "second": second},
        f"merge links {link_number(first)} and {link_number(second)} of {target_key}",
        draft,
    )


def split_link(project: Project, target_key: str, index: int, source_at: int, target_at: int) -> HistoryEntry:
    """Split a link in two: its first ``source_at`` source and ``target_at`` target sentences, and the rest.

    The cut must fall between two sentences of at least one side, so a 1-1 link (or a 1-0) cannot be split.
    Both parts are manual (kept by realign, not approved) and keep the link's note.
    """
    target = project.target(target_key)
    index = _index(target, index)
    link = target.links[index]
    n, m = len(link.src), len(link.tgt)
    for name, at, size in (("source_at", source_at, n), ("target_at", target_at, m)):
        if not isinstance(at, int) or not 0 <= at <= size:
            raise EditError(
                f"{name} {at!r} is outside link {link_number(index)} of {target_key} ({link.kind}): use 0 to {size}."
            )
    if not (0 < source_at < n or 0 < target_at < m):
        raise EditError(
            f"link {link_number(index)} of {target_key} is {link.kind}: there is no boundary inside it at source "
            f"{source_at}, "
            f"target {target_at}. Split between two of its source sentences (0 < source_at < {n}) or two of its "
            f"target sentences (0 < target_at < {m})."
        )
    draft = Draft(project)
    draft.links(target_key)[index : index + 1] = [
        _by_hand(link.src[:source_at], link.tgt[:target_at], link.note),
        _by_hand(link.src[source_at:], link.tgt[target_at:], link.note),
    ]
    return _save(
        project,
        "split_link",
        {"target": target_key, "index": index, "source_at": source_at, "target_at": target_at},
        f"split link {link_number(index)} of {target_key} ({link.kind}) after {source_at} source and {target_at} "
        "target sentences",
        draft,
    )


def unlink(project: Project, target_key: str, index: int) -> HistoryEntry:
    """Say that nothing in a link translates anything else in it: each of its source sentences becomes a 1-0
    link and each target sentence a 0-1 link, in that order, all manual (realigning keeps them unlinked).

    A reviewer needs this for an added or dropped sentence the aligner paired with a stranger; a split cannot
    do it for a 1-1 link, which has no boundary inside.
    """
    target = project.target(target_key)
    index = _index(target, index)
    link = target.links[index]
    if not link.src or not link.tgt:
        raise EditError(f"link {link_number(index)} of {target_key} is {link.kind}: it links nothing already.")
    draft = Draft(project)
    draft.links(target_key)[index : index + 1] = [_by_hand((s,), (), link.note) for s in link.src] + [
        _by_hand((), (t,), link.note) for t in link.tgt
    ]
    return _save(
        project,
        "unlink",
        {"target": target_key, "index": index},
        f"unlink link {link_number(index)} of {target_key} ({link.kind}): its {len(link.src) + len(link.tgt)} "
        "sentences left unlinked",
        draft,
    )


def move_sentence(project: Project, target_key: str, index: int, which: Which, direction: Direction) -> HistoryEntry:
    """Move a link's edge sentence into the neighbouring link: that is, move the boundary between them by one.

    ``direction="previous"`` moves the link's first source (``which="source"``) or target sentence to the end of
    the link before; ``"next"`` moves its last one to the start of the link after. A link left with no sentence
    disappears. Both links come out manual.
    """
    target = project.target(target_key)
    index = _index(target, index)
    if which not in ("source", "target"):
        raise EditError(f"which must be 'source' or 'target', not {which!r}.")
    if direction not in ("previous", "next"):
        raise EditError(f"direction must be 'previous' or 'next', not {direction!r}.")
    other = index - 1 if direction == "previous" else index + 1
    if not 0 <= other < len(target.links):
        raise EditError(
            f"link {link_number(index)} of {target_key} is the {'first' if other < 0 else 'last'}: no {direction} link."
        )
    link, neighbour = target.links[index], target.links[other]
    ids = _ids(link, which)
    if not ids:
        raise EditError(f"link {link_number(index)} of {target_key} ({link.kind}) has no {which} sentence to move.")
    if direction == "previous":
        moved, rest = ids[0], ids[1:]
        gained = (*_ids(neighbour, which), moved)
    else:
        moved, rest = ids[-1], ids[:-1]
        gained = (moved, *_ids(neighbour, which))
    shrunk = _by_hand(*_sides(link, which, rest), link.note)
    grown = _by_hand(*_sides(neighbour, which, gained), neighbour.note)
    pair = [grown, shrunk] if direction == "previous" else [shrunk, grown]
    pair = [x for x in pair if x.src or x.tgt]
    lo = min(index, other)
    draft = Draft(project)
    draft.links(target_key)[lo : lo + 2] = pair
    return _save(
        project,
        "move_sentence",
        {"target": target_key, "index": index, "which": which, "direction": direction, "sentence": moved},
        f"move {which} sentence {moved} from link {link_number(index)} to link {link_number(other)} of {target_key}",
        draft,
    )


# --------------------------------------------------------------------------------------------- review status


def confirm(project: Project, target_key: str, indices: int | Iterable[int]) -> HistoryEntry | None:
    """Mark links as right (one index or several, saved as one edit); realigning will keep them."""
    return _set_status(project, target_key, indices, CONFIRMED, None, "confirm")


def unconfirm(project: Project, target_key: str, indices: int | Iterable[int]) -> HistoryEntry | None:
    """Put links (confirmed, manual or flagged) back to auto, so realigning may change them; notes stay."""
    return _set_status(project, target_key, indices, AUTO, None, "unconfirm")


def flag(project: Project, target_key: str, index: int, note: str = "") -> HistoryEntry | None:
    """Mark a link as a problem, with a note saying what is wrong (the note replaces an earlier one)."""
    return _set_status(project, target_key, index, FLAGGED, note.strip(), "flag")


def _set_status(
    project: Project, target_key: str, indices: int | Iterable[int], status: str, note: str | None, verb: str
) -> HistoryEntry | None:
    target = project.target(target_key)
    wanted = [indices] if isinstance(indices, int) else list(indices)
    chosen = sorted({_index(target, k) for k in wanted})
    if not chosen:
        raise EditError(f"name at least one link of {target_key} to {verb}.")
    now = utc_now()
    draft = Draft(project)
    links = draft.links(target_key)
    for k in chosen:
        changed = replace(links[k], status=status, note=links[k].note if note is None else note)
        if changed != links[k]:
            links[k] = replace(changed, changed=now)
    shown = ", ".join(str(link_number(k)) for k in chosen[:10]) + (" ..." if len(chosen) > 10 else "")
    summary = f"{verb} link{'s' if len(chosen) > 1 else ''} {shown} of {target_key}"
    args: dict[str, object] = {"target": target_key, "indices": chosen}
    if note is not None:
        args["note"] = note
    return save_edit(project, verb, args, summary, draft.steps())


# --------------------------------------------------------------------------------------------- history


def undo(project: Project) -> HistoryEntry:
    """Undo the latest edit not yet undone (after a reload too); :class:`EditError` if there is none."""
    return step_history(project, redo=False)


def redo(project: Project) -> HistoryEntry:
    """Redo the edit undone last, until a new edit discards what was undone."""
    return step_history(project, redo=True)


# --------------------------------------------------------------------------------------------- helpers


def _save(project: Project, op: str, args: dict[str, object], summary: str, draft: Draft) -> HistoryEntry:
    entry = save_edit(project, op, args, summary, draft.steps())
    assert entry is not None, f"{op} changed nothing"  # every structural edit changes a row
    return entry


def _clean(text: str) -> str:
    if not isinstance(text, str):
        raise EditError(f"a sentence's text must be a string, not {type(text).__name__}.")
    return text.strip()


def _index(target: TargetAlignment, index: int) -> int:
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(target.links):
        asked = link_number(index) if isinstance(index, int) and not isinstance(index, bool) else repr(index)
        raise EditError(
            f"target {target.key!r} has no link {asked}: its {len(target.links)} links are numbered 1 to "
            f"{len(target.links)}."
        )
    return index


def _targets_holding(project: Project, side: str) -> list[str]:
    """The targets whose links name sentences of ``side``: all of them for the source."""
    return list(project.targets) if side == SOURCE else [project.target(side).key]


def _which(side: str) -> Which:
    return "source" if side == SOURCE else "target"


def _where(side: str) -> str:
    return "source" if side == SOURCE else f"{side}"


def _ids(link: Link, which: str) -> tuple[str, ...]:
    return link.src if which == SOURCE else link.tgt


def _sides(link: Link, which: str, ids: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (ids, link.tgt) if which == SOURCE else (link.src, ids)


def _with_ids(link: Link, which: str, ids: tuple[str, ...], changed: str) -> Link:
    src, tgt = _sides(link, which, ids)
    return replace(link, src=src, tgt=tgt, changed=changed)


def _by_hand(src: tuple[str, ...], tgt: tuple[str, ...], note: str) -> Link:
    """A link a reviewer built: kept by realign, not approved, and with no confidence (the aligner never scored
    this pairing, so any number would be made up)."""
    return Link(src, tgt, None, MANUAL, note, utc_now())


def _notes(links: Sequence[Link]) -> str:
    notes = [link.note for link in links if link.note]
    return "; ".join(dict.fromkeys(notes))


def _combined(links: Sequence[Link], src: tuple[str, ...], tgt: tuple[str, ...], now: str) -> Link:
    """Links merged as a side effect (not by a reviewer's choice): keep the weakest claim any of them made.

    A flag is never lost; approval survives only if every part was approved; a link whose parts were all decided
    by the reviewer (approved or made by hand) stays decided but not approved, so realign keeps it.
    """
    statuses = {link.status for link in links}
    if FLAGGED in statuses:
        status = FLAGGED
    elif statuses == {CONFIRMED}:
        status = CONFIRMED
    elif statuses <= {CONFIRMED, MANUAL}:
        status = MANUAL
    else:
        status = AUTO
    confidences = [link.confidence for link in links if link.confidence is not None]
    return Link(src, tgt, min(confidences) if confidences else None, status, _notes(links), now)
