"""What a project holds: a source side, target sides each aligned to it by links, and the history of edits.

Sentences are named by ids that stay put while the text around them changes (``p3s2`` from the document; the
second half of a split ``p3s2`` becomes ``p3s2.2``), so a link, a note or an open page of the app still points
at the same sentence after edits elsewhere: nothing is ever renumbered. Order is kept by position in the lists,
never by comparing ids. Links name sentences by id too, and are themselves named by their position in their
target's list (``target.links[12]``), which is what the edit operations take. People read link numbers from 1
(:func:`link_number`): ``target.links[12]`` is "link 13" in every message, table, picture and export.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.alignment.beads import Bead
from workbench.documents import sentence_joiner
from workbench.projects.errors import EditError, ProjectNameError, ProjectNotFoundError

#: The key of the source side wherever a side is named (targets have their own keys: "de", "pt-2").
SOURCE = "source"

AUTO = "auto"  # made by the aligner (or imported so), not looked at yet
#: Made by a reviewer's hand (merge, split, move, unlink): realign keeps it, but it is not approved until the
#: reviewer approves (confirms) it. It has no confidence: the aligner did not make that pairing.
MANUAL = "manual"
CONFIRMED = "confirmed"  # a reviewer says it is right (approved); realigning keeps it
FLAGGED = "flagged"  # a reviewer says something is wrong here; the note says what
STATUSES = (AUTO, MANUAL, CONFIRMED, FLAGGED)
#: The key of :meth:`TargetAlignment.counts` for links not approved and not flagged (auto and manual).
TO_REVIEW = "to_review"
#: Statuses realign keeps as they are: a reviewer decided these links, approved or not yet.
KEPT_BY_REALIGN = frozenset({MANUAL, CONFIRMED})

_TARGET_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
_SPLIT_SUFFIX = re.compile(r"\.\d+$")


def link_number(index: int) -> int:
    """The number people read for the link at 0-based ``index``: links are numbered from 1 wherever a person sees
    them (messages, tables, pictures, findings, exported unit ids), while the API stays 0-based."""
    return index + 1


def link_index(number: int) -> int:
    """The 0-based index of the link a person calls ``number`` (the inverse of :func:`link_number`)."""
    return number - 1


def utc_now() -> str:
    """ISO 8601 UTC to the second, the form links carry as their last change and exports write."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def jsonable(value: Any) -> Any:
    """``value`` as it comes back from the file (tuples become lists, YAML dates ISO strings), so that a project
    in memory equals the same project reloaded."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def check_target_key(key: str) -> str:
    """A target key is a short tag ("pt", "pt-2", "zh-Hant"): it names the target in URLs, files and commands."""
    if not isinstance(key, str) or not _TARGET_KEY.fullmatch(key) or key == SOURCE:
        raise ProjectNameError(
            f"{key!r} cannot name a target: use letters, digits, '-' and '_' (up to 32, e.g. 'pt' or 'pt-2'), "
            f"and not '{SOURCE}'."
        )
    return key


@dataclass(frozen=True)
class ProjectSentence:
    """One sentence of a side: its stable id, the paragraph it belongs to (0-based) and its current text."""

    id: str
    paragraph: int
    text: str


@dataclass
class Side:
    """The sentences of one document (the source, or one target) and what the document said about itself."""

    key: str
    name: str
    lang: str
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    sentences: list[ProjectSentence] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def ids(self) -> list[str]:
        return [s.id for s in self.sentences]

    def position(self, sentence_id: str) -> int:
        """Where a sentence is now; :class:`EditError` names the side if there is no such sentence."""
        for k, s in enumerate(self.sentences):
            if s.id == sentence_id:
                return k
        raise EditError(f"there is no sentence {sentence_id!r} on the {self.describe()}.")

    def sentence(self, sentence_id: str) -> ProjectSentence:
        return self.sentences[self.position(sentence_id)]

    def paragraphs(self) -> list[list[ProjectSentence]]:
        """Sentences grouped by paragraph, in order (what the app draws as blocks)."""
        groups: list[list[ProjectSentence]] = []
        for s in self.sentences:
            if not groups or groups[-1][-1].paragraph != s.paragraph:
                groups.append([])
            groups[-1].append(s)
        return groups

    def joiner(self) -> str:
        """What goes between two sentences' texts when they are joined: a space, or nothing in Chinese, Thai ..."""
        return sentence_joiner(self.lang)

    def new_sentence_id(self, base: str) -> str:
        """A fresh id for the second half of ``base``: ``p3s2`` -> ``p3s2.2`` (then ``.3``), unique on this side."""
        root = _SPLIT_SUFFIX.sub("", base)
        taken = set(self.ids())
        k = 2
        while f"{root}.{k}" in taken:
            k += 1
        return f"{root}.{k}"

    def describe(self) -> str:
        return "source side" if self.key == SOURCE else f"target side {self.key!r}"


@dataclass(frozen=True)
class Link:
    """A link: the source and target sentences (by id) that translate each other, and what a reviewer said.

    ``confidence`` is the aligner's (None when imported without one, and for a link a reviewer built by hand);
    ``changed`` is when the link last changed (ISO 8601 UTC).
    """

    src: tuple[str, ...]
    tgt: tuple[str, ...]
    confidence: float | None = None
    status: str = AUTO
    note: str = ""
    changed: str = ""

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_skip(self) -> bool:
        return not self.src or not self.tgt


@dataclass
class TargetAlignment:
    """One target document and its links to the source, covering every sentence of both sides once, in order."""

    key: str
    side: Side
    links: list[Link] = field(default_factory=list)
    signature: dict[str, Any] = field(default_factory=dict)  # how the links were made (aligner, embedder ...)
    position: int = 0  # order among the project's targets

    @property
    def lang(self) -> str:
        return self.side.lang

    def link_of(self, which: str, sentence_id: str) -> int:
        """Index of the link holding a sentence of the source (``which="source"``) or of this target."""
        for k, link in enumerate(self.links):
            if sentence_id in (link.src if which == SOURCE else link.tgt):
                return k
        raise EditError(f"no link of target {self.key!r} holds sentence {sentence_id!r}.")

    def beads(self, source: Side) -> list[Bead]:
        """The links as the aligner's beads (positions instead of ids)."""
        src_pos = {sid: k for k, sid in enumerate(source.ids())}
        tgt_pos = {sid: k for k, sid in enumerate(self.side.ids())}
        return [
            Bead(
                tuple(src_pos[s] for s in link.src),
                tuple(tgt_pos[t] for t in link.tgt),
                1.0 if link.confidence is None else link.confidence,
            )
            for link in self.links
        ]

    def counts(self) -> dict[str, int]:
        """Links in all and by status, and ``"to_review"``: the progress a reviewer sees.

        ``"confirmed"`` counts approved links only; ``"to_review"`` counts every link neither approved nor
        flagged (auto and manual), what is left to look at.
        """
        out = {"links": len(self.links), **dict.fromkeys(STATUSES, 0)}
        for link in self.links:
            out[link.status] += 1
        out[TO_REVIEW] = out[AUTO] + out[MANUAL]
        return out


@dataclass(frozen=True)
class HistoryEntry:
    """One edit in the project's history: ``seq`` orders them; an undone edit waits to be redone."""

    seq: int
    op: str
    summary: str
    at: str
    undone: bool = False


@dataclass
class Project:
    """A saved project as loaded: its sides, its links and where it stands in its history.

    ``revision`` counts the saves; a save from a copy whose revision is no longer the file's is refused
    (:class:`~workbench.errors.ConflictError`) instead of overwriting someone else's work.
    """

    name: str
    path: Path
    source: Side
    targets: dict[str, TargetAlignment] = field(default_factory=dict)
    revision: int = 0
    created: str = ""
    modified: str = ""
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        """The project's folder in the alignments folder: where its exports belong too."""
        return self.path.parent

    def target(self, key: str) -> TargetAlignment:
        try:
            return self.targets[key]
        except KeyError:
            known = ", ".join(self.targets) or "none yet"
            raise ProjectNotFoundError(f"project {self.name!r} has no target {key!r} (targets: {known}).") from None

    def side(self, key: str) -> Side:
        """The source side (``"source"``) or a target's side, by key."""
        return self.source if key == SOURCE else self.target(key).side

    @property
    def can_undo(self) -> bool:
        return any(not h.undone for h in self.history)

    @property
    def can_redo(self) -> bool:
        return any(h.undone for h in self.history)

    def next_undo(self) -> HistoryEntry | None:
        done = [h for h in self.history if not h.undone]
        return done[-1] if done else None

    def next_redo(self) -> HistoryEntry | None:
        undone = [h for h in self.history if h.undone]
        return undone[0] if undone else None
