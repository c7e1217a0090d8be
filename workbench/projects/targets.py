"""Targets and the aligner: add a target document (aligned to the source), remove one, realign what a reviewer has
not decided (links neither confirmed nor made by hand).

These are edits like the others (saved at once, undoable): undoing ``add_target`` removes the target again, so
the history stays one straight line even across targets added and removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from workbench.alignment import AlignParams, align_sentences
from workbench.alignment.beads import Bead, check_beads
from workbench.alignment.estimate import StageProgress
from workbench.documents import Document
from workbench.embedding.base import Embedder, Progress
from workbench.errors import InputError
from workbench.projects.errors import EditError, ProjectExistsError
from workbench.projects.model import (
    AUTO,
    CONFIRMED,
    FLAGGED,
    KEPT_BY_REALIGN,
    MANUAL,
    SOURCE,
    HistoryEntry,
    Link,
    Project,
    Side,
    TargetAlignment,
    check_target_key,
    utc_now,
)
from workbench.projects.patches import LINKS, SENTENCES, SIDE, Draft, Step, side_record
from workbench.projects.store import save_edit, side_from_document


def add_target(
    project: Project,
    target: Document,
    key: str | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    *,
    params: AlignParams | None = None,
    refine: bool = True,
    beads: Sequence[Bead] | None = None,
    stages: StageProgress | None = None,
) -> TargetAlignment:
    """Add a target document aligned to the project's source (as it is now, edits included) and save it.

    ``key`` defaults to the document's language, then ``pt-2``, ``pt-3`` ... for another translation into the
    same language. ``progress(done, total)`` counts sentences embedded. ``beads`` takes links as they are (a gold
    file, links made elsewhere) instead of aligning; then no embedder is needed. ``stages`` follows the alignment
    stage by stage (see :func:`workbench.alignment.align_sentences`).
    """
    key = free_target_key(project, key, target.lang)
    side = side_from_document(key, target)
    if beads is None:
        if embedder is None:
            raise EditError("adding a target needs an embedder to align it (or links given as beads).")
        alignment = align_sentences(
            project.source.texts(),
            side.texts(),
            embedder,
            params,
            progress=progress,
            refine=refine,
            stages=stages,
            languages=(project.source.lang, side.lang),
            paragraphs=(paragraph_numbers(project.source), paragraph_numbers(side)),
        )
        beads, signature = alignment.beads, alignment.signature
    else:
        check_beads(beads, len(project.source.sentences), len(side.sentences))
        signature = {"aligner": "given links"}
    signature = {**signature, "src_lang": project.source.lang, "tgt_lang": side.lang}
    now = utc_now()
    src_ids, tgt_ids = project.source.ids(), side.ids()
    links = [
        Link(tuple(src_ids[i] for i in b.src), tuple(tgt_ids[j] for j in b.tgt), b.confidence, AUTO, "", now)
        for b in beads
    ]
    return add_target_links(project, key, side, links, signature, op="add_target")


def add_target_links(
    project: Project, key: str, side: Side, links: list[Link], signature: dict[str, Any], *, op: str
) -> TargetAlignment:
    """Save a new target with links already made (aligned, given, imported) as one undoable edit."""
    key = free_target_key(project, key, side.lang, exact=True)
    side = replace(side, key=key)
    covered_src = [s for link in links for s in link.src]
    covered_tgt = [t for link in links for t in link.tgt]
    if covered_src != project.source.ids() or covered_tgt != side.ids() or any(not x.src and not x.tgt for x in links):
        raise InputError(f"the links for target {key!r} do not cover both sides' sentences once, in order.")
    position = max((t.position for t in project.targets.values()), default=0) + 1
    record = side_record(TargetAlignment(key, side, [], signature, position))
    patch = [
        Step(SIDE, key, 0, None, record),
        Step(SENTENCES, key, 0, [], list(side.sentences)),
        Step(LINKS, key, 0, [], list(links)),
    ]
    summary = f"add target {key} ({side.lang}, {len(side.sentences)} sentences, {len(links)} links)"
    save_edit(project, op, {"key": key, "document": side.name}, summary, patch)
    return project.target(key)


def remove_target(project: Project, key: str) -> HistoryEntry:
    """Remove a target and its links (undo brings them back)."""
    target = project.target(key)
    patch = [
        Step(LINKS, key, 0, list(target.links), []),
        Step(SENTENCES, key, 0, list(target.side.sentences), []),
        Step(SIDE, key, 0, side_record(target), None),
    ]
    entry = save_edit(project, "remove_target", {"key": key}, f"remove target {key}", patch)
    assert entry is not None
    return entry


def realign(
    project: Project,
    embedder: Embedder,
    target_key: str | None = None,
    progress: Progress | None = None,
    *,
    params: AlignParams | None = None,
    refine: bool = True,
    stages: StageProgress | None = None,
) -> HistoryEntry | None:
    """Realign every stretch between the links a reviewer decided, in one target or (``None``) all.

    Confirmed links and links made by hand (manual: merged, split, moved, unlinked) stay as they are, times
    included: the aligner gets them as fixed links.

    Texts go through the embedder as they are now, so with a cached embedder only edited sentences are embedded.
    A link the aligner makes again keeps its status, note and time (with the new confidence); a flag whose link
    is gone moves, with its note, to the new link that holds its first sentence, so no note is lost.
    Saved as one edit (None if nothing changed). ``stages`` follows each target's alignment in turn.
    """
    keys = list(project.targets) if target_key is None else [project.target(target_key).key]
    if not keys:
        raise EditError(f"project {project.name!r} has no target to realign; add one first.")
    sizes = [len(project.source.sentences) + len(project.target(k).side.sentences) for k in keys]
    total, offset = sum(sizes), 0
    now = utc_now()
    draft = Draft(project)
    for key, size in zip(keys, sizes, strict=True):
        target = project.target(key)
        beads = target.beads(project.source)
        fixed = [b for b, link in zip(beads, target.links, strict=True) if link.status in KEPT_BY_REALIGN]

        def step(done: int, _total: int, base: int = offset) -> None:
            if progress:
                progress(base + done, total)

        alignment = align_sentences(
            project.source.texts(),
            target.side.texts(),
            embedder,
            params,
            fixed,
            progress=step,
            refine=refine,
            stages=stages,
            languages=(project.source.lang, target.side.lang),
            paragraphs=(paragraph_numbers(project.source), paragraph_numbers(target.side)),
        )
        offset += size
        links = _relinked(project, target, alignment.beads, now)
        if links == target.links:
            continue  # nothing to save, not even when it was realigned: undo should never do nothing
        draft.links(key)[:] = links
        draft.set_signature(
            key,
            {
                **alignment.signature,
                "src_lang": project.source.lang,
                "tgt_lang": target.lang,
                # what the reviewer had decided and realign kept: approved links, and links made by hand
                "kept_confirmed": sum(link.status == CONFIRMED for link in target.links),
                "kept_manual": sum(link.status == MANUAL for link in target.links),
                "realigned": now,
            },
        )
    where = target_key or "all targets"
    summary = f"realign {where}, keeping confirmed and hand-made links"
    return save_edit(project, "realign", {"target": target_key}, summary, draft.steps())


def _relinked(project: Project, target: TargetAlignment, beads: Sequence[Bead], now: str) -> list[Link]:
    src_ids, tgt_ids = project.source.ids(), target.side.ids()
    before = {(link.src, link.tgt): link for link in target.links}
    links: list[Link] = []
    for bead in beads:
        src, tgt = tuple(src_ids[i] for i in bead.src), tuple(tgt_ids[j] for j in bead.tgt)
        old = before.get((src, tgt))
        if old is not None and old.status in KEPT_BY_REALIGN:
            links.append(old)  # the aligner returns fixed links unchanged; keep them exactly
        elif old is not None:
            links.append(replace(old, confidence=bead.confidence))
        else:
            links.append(Link(src, tgt, bead.confidence, AUTO, "", now))
    kept = {(link.src, link.tgt) for link in links}
    for old in target.links:
        if old.status != FLAGGED or (old.src, old.tgt) in kept:
            continue
        first = old.src[0] if old.src else old.tgt[0]
        k = next(k for k, link in enumerate(links) if first in (link.src if old.src else link.tgt))
        note = "; ".join(x for x in dict.fromkeys([links[k].note, old.note]) if x)
        links[k] = replace(links[k], status=FLAGGED, note=note, changed=now)
    return links


def free_target_key(project: Project, key: str | None, lang: str, *, exact: bool = False) -> str:
    """The key asked for (refused if taken), or the language, then ``lang-2``, ``lang-3`` ... if it is taken."""
    if key is not None:
        check_target_key(key)
        if key in project.targets:
            raise ProjectExistsError(f"project {project.name!r} already has a target {key!r}; choose another key.")
        return key
    if exact:
        raise EditError("a target needs a key.")
    base = check_target_key(lang)
    candidate, k = base, 1
    while candidate in project.targets or candidate == SOURCE:
        k += 1
        candidate = f"{base}-{k}"
    return candidate


def paragraph_numbers(side: Side) -> list[int]:
    """Each sentence's paragraph, for the aligner (links learn to end where both versions end a paragraph)."""
    return [sentence.paragraph for sentence in side.sentences]
