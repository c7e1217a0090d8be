"""Between projects and corpora: a project's links as the units export formats write, and units back as links.

The formats (``workbench.formats``) never see a project; this module is the only place that knows both sides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbench.formats.units import MultilingualCorpus, MultilingualUnit, ParallelCorpus, TranslationUnit
from workbench.language_tags import base_language
from workbench.projects.errors import CorpusError
from workbench.projects.model import (
    AUTO,
    CONFIRMED,
    SOURCE,
    STATUSES,
    Link,
    Project,
    ProjectSentence,
    Side,
    TargetAlignment,
    check_target_key,
    link_number,
    utc_now,
)
from workbench.projects.store import create_from_sides
from workbench.projects.targets import add_target_links, free_target_key

# --------------------------------------------------------------------------------------------- export


def project_to_corpus(
    project: Project,
    target_key: str,
    confirmed_only: bool = False,
    min_confidence: float | None = None,
    drop_unpaired: bool = False,
    tag_variant: bool = True,
) -> ParallelCorpus:
    """One target's links as translation units, in document order, filtered.

    ``tag_variant`` (on: what the formats' language fields should say) tags the target language with the variant
    its text reads as when the project's code does not say (``pt`` -> ``pt-PT``; :func:`export_language`). File
    names never follow it: the export workflow names files by target key, and an import takes the key back from
    the base language (:func:`import_key`), so a round trip keeps the key.

    ``confirmed_only`` keeps confirmed (approved) links, not manual ones a reviewer made but has not approved;
    ``min_confidence`` drops unconfirmed links below it (a confirmed link is right whatever the aligner thought,
    and a link without a confidence, a manual one included, does not pass); ``drop_unpaired`` drops 1-0 and 0-1
    links. Units carry each side's sentences as segments, their ids, confidence, status, note, the link's last
    change and its number as people see it (:func:`~workbench.projects.model.link_number`), which formats with
    unit ids write as the id, so a filtered export still names each link as the Review page does.
    """
    target = project.target(target_key)
    source_text = {s.id: s.text for s in project.source.sentences}
    target_text = {s.id: s.text for s in target.side.sentences}
    units = [
        TranslationUnit(
            source_segments=tuple(source_text[i] for i in link.src),
            target_segments=tuple(target_text[j] for j in link.tgt),
            source_ids=link.src,
            target_ids=link.tgt,
            confidence=link.confidence,
            status=link.status,
            note=link.note,
            changed=link.changed or None,
            link_number=link_number(k),
        )
        for k, link in enumerate(target.links)
        if _passes(link, confirmed_only, min_confidence) and not (drop_unpaired and link.is_skip)
    ]
    lang = export_language(project, target_key) if tag_variant else target.lang
    return ParallelCorpus(project.source.lang, lang, units, name=project.name)


def export_language(project: Project, target_key: str) -> str:
    """A target's language as an export should tag it: its code, with the region or script its text's variant
    markers point to when the code has none (``pt`` -> ``pt-PT``, ``zh`` -> ``zh-Hant``); the code as it is when
    it names one already, when the language has no variants known, or when the markers do not decide."""
    from workbench.checks.variant import detect_variant  # the markers live with the check that reports mixing

    lang = project.target(target_key).lang
    if "-" in lang.replace("_", "-"):
        return lang
    variant, _counts = detect_variant([s.text for s in project.target(target_key).side.sentences], lang)
    return variant or lang


def source_spans(project: Project, target_keys: Sequence[str] | None = None) -> list[tuple[int, int]]:
    """The coarsest grouping of source sentences every target's links agree with, as ``[start, end)`` positions.

    A boundary between source sentences i and i+1 is kept only where every target has a link boundary there:
    then each span is a whole number of links in every target, and its translations line up across languages.
    """
    keys = _keys(project, target_keys)
    n = len(project.source.sentences)
    cut = [True] * (n - 1)  # cut[i]: a boundary between source sentences i and i+1
    for key in keys:
        link_of = _source_link_numbers(project.target(key))
        for i in range(n - 1):
            cut[i] = cut[i] and link_of[i] != link_of[i + 1]
    spans, start = [], 0
    for i in range(n - 1):
        if cut[i]:
            spans.append((start, i + 1))
            start = i + 1
    spans.append((start, n))
    return spans


def project_to_multilingual(
    project: Project,
    target_keys: Sequence[str] | None = None,
    confirmed_only: bool = False,
    min_confidence: float | None = None,
    drop_unpaired: bool = False,
    tag_variant: bool = True,
) -> MultilingualCorpus:
    """The source cut into :func:`source_spans`, each with its text in every target language (multilingual TMX).

    Targets are named by language (with its variant), so two targets in one language cannot go together: choose with
    ``target_keys``. A target's text for a span is left out unless all its links there pass the filters (as in
    :func:`project_to_corpus`); ``drop_unpaired`` keeps only spans with a text in every language. Target
    sentences of a 0-n link belong to the span of the link before them (the first span at the very start).
    ``tag_variant`` tags each language with its text's variant, as :func:`project_to_corpus` does.
    """
    keys = _keys(project, target_keys)
    # Each target under the tag it is written with: two Portuguese targets, one pt-PT and one pt-BR, can go together.
    tagged = {key: export_language(project, key) if tag_variant else project.target(key).lang for key in keys}
    langs: dict[str, str] = {}
    for key in keys:
        lang = tagged[key]
        if lang in langs:
            raise CorpusError(
                f"targets {langs[lang]!r} and {key!r} are both in {lang}: a multilingual corpus holds one text a "
                "language. Choose one of them (target_keys)."
            )
        langs[lang] = key
    spans = source_spans(project, keys)
    span_of = [0] * len(project.source.sentences)
    for k, (start, end) in enumerate(spans):
        span_of[start:end] = [k] * (end - start)
    source_pos = {sid: i for i, sid in enumerate(project.source.ids())}
    # Per target: the links that fall in each span.
    grouped: dict[str, list[list[Link]]] = {}
    for key in keys:
        groups: list[list[Link]] = [[] for _ in spans]
        current = 0
        for link in project.target(key).links:
            if link.src:
                current = span_of[source_pos[link.src[0]]]
            groups[current].append(link)
        grouped[key] = groups
    source = project.source
    units = []
    for k, (start, end) in enumerate(spans):
        sentences = source.sentences[start:end]
        texts: dict[str, str] = {}
        for key in keys:
            target = project.target(key)
            links = grouped[key][k]
            if not all(_passes(link, confirmed_only, min_confidence) for link in links):
                continue
            text = target.side.joiner().join(target.side.sentence(t).text for link in links for t in link.tgt)
            if text:
                texts[tagged[key]] = text
        if not texts or (drop_unpaired and len(texts) < len(keys)):
            continue
        units.append(
            MultilingualUnit(source.joiner().join(s.text for s in sentences), texts, tuple(s.id for s in sentences))
        )
    return MultilingualCorpus(source.lang, list(langs), units, name=project.name)


def _keys(project: Project, target_keys: Sequence[str] | None) -> list[str]:
    keys = list(project.targets) if target_keys is None else [project.target(k).key for k in target_keys]
    if not keys:
        raise CorpusError(f"project {project.name!r} has no target to export; add one first.")
    return keys


def _source_link_numbers(target: TargetAlignment) -> list[int]:
    """For each source sentence in order, the index of the link that holds it in ``target``."""
    return [k for k, link in enumerate(target.links) for _ in link.src]


def _passes(link: Link, confirmed_only: bool, min_confidence: float | None) -> bool:
    if confirmed_only and link.status != CONFIRMED:
        return False
    if min_confidence is not None and link.status != CONFIRMED:
        return link.confidence is not None and link.confidence >= min_confidence
    return True


# --------------------------------------------------------------------------------------------- import


def project_from_corpus(
    name: str,
    corpus: ParallelCorpus,
    root: Path | None = None,
    *,
    key: str | None = None,
    signature: dict[str, Any] | None = None,
) -> Project:
    """A new project from an imported corpus: its source side, one target (``key``: the target language), and a
    link for each unit with the unit's confidence, status and note. ``signature`` adds to the target's signature
    what is known of how the links were made (a batch's relatedness).

    Sentence ids come from the units when they name every segment once (as this workbench's exports do, which
    also gives back paragraphs from ``p3s2``-style ids); otherwise they are numbered ``p1s1``, ``p1s2`` ...
    """
    units = _usable_units(corpus)
    source_sentences, source_ids = _sentences([(u.source_segments, u.source_ids) for u in units])
    if not source_sentences:
        raise CorpusError(f"corpus {corpus.name or name!r} has no source sentences to make a project of.")
    key = check_target_key(key or import_key(corpus.target_lang))
    target_sentences, target_ids = _sentences([(u.target_segments, u.target_ids) for u in units])
    source = Side(SOURCE, corpus.name or name, corpus.source_lang, None, {}, source_sentences)
    side = Side(key, corpus.name or name, corpus.target_lang, None, {}, target_sentences)
    links = _links(units, source_ids, target_ids)
    target = TargetAlignment(key, side, links, {**_signature(corpus, source, side), **(signature or {})}, position=1)
    return create_from_sides(name, source, [target], root)


def add_target_from_corpus(project: Project, corpus: ParallelCorpus, key: str | None = None) -> TargetAlignment:
    """Add a target from a corpus whose source side is this project's source (say, an edited export).

    The source segments must be the project's source sentences, in order (whitespace aside); each unit
    becomes a link, with its status, confidence and note.
    """
    if corpus.source_lang and corpus.source_lang != project.source.lang:
        raise CorpusError(f"the corpus is from {corpus.source_lang}, the project's source is in {project.source.lang}.")
    units = _usable_units(corpus)
    segments = [_normal(s) for u in units for s in _kept(u.source_segments)]
    expected = [_normal(t) for t in project.source.texts()]
    if segments != expected:
        k = next((k for k, (a, b) in enumerate(zip(segments, expected, strict=False)) if a != b), None)
        if k is None:
            what = f"it has {len(segments)} source sentences, the project {len(expected)}"
        else:
            what = f"source sentence {k} differs: {segments[k][:60]!r} in the corpus, {expected[k][:60]!r} here"
        raise CorpusError(f"the corpus's source side is not project {project.name!r}'s source: {what}.")
    key = free_target_key(project, key, import_key(corpus.target_lang))
    ids = iter(project.source.ids())
    source_ids = [tuple(next(ids) for _ in _kept(u.source_segments)) for u in units]
    target_sentences, target_ids = _sentences([(u.target_segments, u.target_ids) for u in units])
    side = Side(key, corpus.name or project.name, corpus.target_lang, None, {}, target_sentences)
    links = _links(units, source_ids, target_ids)
    signature = _signature(corpus, project.source, side)
    return add_target_links(project, key, side, links, signature, op="add_target_from_corpus")


def import_key(lang: str) -> str:
    """The target key an imported corpus's language proposes: its base language (``pt-PT`` -> ``pt``), since
    exports tag the variant in the language fields (:func:`export_language`) and a round trip must give back the
    key the project had. The full tag is kept as the target side's language, where the variant is remembered."""
    return base_language(lang) if lang else lang


_PARAGRAPH_ID = re.compile(r"p(\d+)s\d+(?:\.\d+)?")


def _kept(segments: Sequence[str]) -> list[str]:
    return [s.strip() for s in segments if s.strip()]


def _normal(text: str) -> str:
    return " ".join(text.split())


def _usable_units(corpus: ParallelCorpus) -> list[TranslationUnit]:
    return [u for u in corpus.units if _kept(u.source_segments) or _kept(u.target_segments)]


def empty_units(corpus: ParallelCorpus) -> list[int]:
    """Numbers (from 1) of the units with no text on either side: an import leaves them out (a link needs a
    sentence), and says so, so that "5 units" never quietly becomes 3 links."""
    return [
        k for k, u in enumerate(corpus.units, start=1) if not (_kept(u.source_segments) or _kept(u.target_segments))
    ]


def describe_left_out(corpus: ParallelCorpus) -> str:
    """'' when every unit becomes a link, else what is left out, for the import's message."""
    empty = empty_units(corpus)
    if not empty:
        return ""
    shown = ", ".join(map(str, empty[:10])) + (" ..." if len(empty) > 10 else "")
    plural = "s" if len(empty) > 1 else ""
    return f"{len(empty)} unit{plural} with no text on either side left out (unit{plural} {shown})"


def _sentences(
    units: list[tuple[Sequence[str], Sequence[str]]],
) -> tuple[list[ProjectSentence], list[tuple[str, ...]]]:
    """Sentences of one side from the units' segments, and each unit's ids on that side."""
    texts = [[s.strip() for s in segments if s.strip()] for segments, _ in units]
    given = [
        [i for s, i in zip(segments, ids, strict=True) if s.strip()] if len(ids) == len(segments) else None
        for segments, ids in units
    ]
    flat = [i for ids in given if ids is not None for i in ids]
    usable = (
        all(ids is not None for ids in given)
        and all(i and not any(c.isspace() for c in i) for i in flat)
        and len(set(flat)) == len(flat)
    )
    if usable:
        ids_per_unit = [tuple(ids or ()) for ids in given]
    else:
        counter = iter(range(1, 1 + sum(map(len, texts))))
        ids_per_unit = [tuple(f"p1s{next(counter)}" for _ in unit) for unit in texts]
    all_ids = [i for ids in ids_per_unit for i in ids]
    paragraphs = _paragraphs(all_ids) if usable else [0] * len(all_ids)
    all_texts = [t for unit in texts for t in unit]
    sentences = [ProjectSentence(i, p, t) for i, p, t in zip(all_ids, paragraphs, all_texts, strict=True)]
    return sentences, ids_per_unit


def _paragraphs(ids: list[str]) -> list[int]:
    """Paragraphs from ``p3s2``-style ids, numbered from 0 in order; one paragraph if the ids do not say."""
    numbers = []
    for i in ids:
        match = _PARAGRAPH_ID.fullmatch(i)
        if not match:
            return [0] * len(ids)
        numbers.append(int(match.group(1)))
    if numbers != sorted(numbers):
        return [0] * len(ids)
    rank = {n: k for k, n in enumerate(dict.fromkeys(numbers))}
    return [rank[n] for n in numbers]


def _links(
    units: list[TranslationUnit], source_ids: list[tuple[str, ...]], target_ids: list[tuple[str, ...]]
) -> list[Link]:
    now = utc_now()
    return [
        Link(
            src,
            tgt,
            unit.confidence,
            unit.status if unit.status in STATUSES else AUTO,
            unit.note or "",
            unit.changed or now,
        )
        for unit, src, tgt in zip(units, source_ids, target_ids, strict=True)
    ]


def _signature(corpus: ParallelCorpus, source: Side, side: Side) -> dict[str, Any]:
    return {"aligner": "imported corpus", "corpus": corpus.name, "src_lang": source.lang, "tgt_lang": side.lang}
