"""What corpus formats read and write: aligned units of text, independent of how a project stores them.

A project (``workbench.projects``) turns its links into these units for export and builds links from them on
import; the formats never see a project, so each can be tested and reused alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.language_tags import normalise_tag

#: A link's review status: made by the aligner, made by a reviewer's hand (not approved yet), approved, flagged.
STATUSES = ("auto", "manual", "confirmed", "flagged")


@dataclass(frozen=True)
class TranslationUnit:
    """One alignment link as text: the joined source sentences and the joined target sentences.

    ``source_segments``/``target_segments`` keep the sentences of an n-m link apart so that formats able to
    carry them (JSONL, XLIFF 2.0) round-trip the link's inner structure; ``source``/``target`` are their join.
    """

    source_segments: tuple[str, ...]
    target_segments: tuple[str, ...]
    source_ids: tuple[str, ...] = ()
    target_ids: tuple[str, ...] = ()
    confidence: float | None = None
    status: str = "auto"
    note: str = ""
    changed: str | None = None  # ISO 8601 UTC time of the link's last change
    #: The link's number as people see it in its project (from 1), so a filtered export's unit ids still name
    #: the link the Review page, a finding or a note calls by that number; None for a unit that is no project's.
    link_number: int | None = None

    @property
    def source(self) -> str:
        return " ".join(self.source_segments)

    @property
    def target(self) -> str:
        return " ".join(self.target_segments)


@dataclass
class ParallelCorpus:
    """Units of one language pair, in document order."""

    source_lang: str
    target_lang: str
    units: list[TranslationUnit] = field(default_factory=list)
    name: str = ""

    def __post_init__(self) -> None:
        # One spelling from here on, whatever the file wrote ('zh_Hant' is 'zh-Hant'); see workbench.language_tags.
        self.source_lang, self.target_lang = normalise_tag(self.source_lang), normalise_tag(self.target_lang)


@dataclass(frozen=True)
class MultilingualUnit:
    """One source span with its text in every target language (multilingual TMX)."""

    source: str
    targets: dict[str, str]
    source_ids: tuple[str, ...] = ()


@dataclass
class MultilingualCorpus:
    source_lang: str
    target_langs: list[str]
    units: list[MultilingualUnit] = field(default_factory=list)
    name: str = ""

    def __post_init__(self) -> None:
        self.source_lang = normalise_tag(self.source_lang)
        self.target_langs = [normalise_tag(lang) for lang in self.target_langs]
