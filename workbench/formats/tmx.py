"""TMX 1.4b, the translation-memory exchange format every CAT tool reads.

Export writes one ``<tu>`` a unit with a ``<tuv xml:lang="...">`` for each side; the sentences of an n-m unit
are joined by a space, and an empty side (0-1, 1-0) is written as an empty ``<seg/>`` so the pair stays
explicit. What TMX has no element for travels in ``<prop type="x-workbench-...">`` (confidence, status, source
and target ids, the exact change time, the link number) and the reviewer's note in ``<note>``, so a TMX we write
reads back into the same units; other tools show the note and ignore the props. The change time also goes into
the standard ``changedate`` attribute, which TM tools sort by. A unit's ``tuid`` is its link number as the
project shows it (from 1), so a filtered export still names links as people know them; a unit that is no
project's link gets its place in the file.

Characters XML 1.0 forbids (C0 controls other than tab, LF and CR) cannot be written in TMX at all, not even as
character references, and TMX has no escape for them. Rather than drop them silently (as translate-toolkit
does) export refuses, naming the unit, the field and the character; XLIFF 2.0, JSONL and TSV carry them.

Import reads any TMX (ours or another tool's) safely (see :mod:`workbench.formats.xmlsafe`); inline codes
(``<bpt>``, ``<ph>``, ...) are dropped, their surrounding text kept. From a multilingual TMX it takes the
language pair asked for, and refuses to guess when more than one target is present.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import BinaryIO

from lxml import etree

import workbench
from workbench.errors import InputError
from workbench.formats.fields import (
    check_corpus,
    check_lang,
    check_text,
    check_unit,
    join_ids,
    normalise_lang,
    parse_confidence,
    parse_link_number,
    parse_status,
    pick_lang,
    segments_from_text,
    split_ids,
    unit_fields,
    unit_ids,
)
from workbench.formats.units import MultilingualCorpus, ParallelCorpus, TranslationUnit
from workbench.formats.xmlsafe import XML_LANG, inline_text, local_name, parse_xml

TMX_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
PROP_PREFIX = "x-workbench-"
# TMX inline elements whose content is native code of the original format, not text a reader sees.
_CODE_ELEMENTS = frozenset({"bpt", "ept", "it", "ph", "ut"})
_TMX_DATE = "%Y%m%dT%H%M%SZ"


def export_tmx(corpus: ParallelCorpus) -> bytes:
    """The corpus as a TMX 1.4b document (UTF-8 bytes); refuses what TMX cannot carry (see the module docstring)."""
    check_corpus(corpus, "TMX", xml_texts=True, xml_fields=True)
    root, body = _skeleton(corpus.source_lang, corpus.name, target_lang=corpus.target_lang)
    for unit_id, unit in zip(unit_ids(corpus.units), corpus.units, strict=True):
        body.append(_tu(unit_id, unit, corpus.source_lang, corpus.target_lang))
    return _serialise(root)


def stream_tmx(
    handle: BinaryIO, source_lang: str, target_lang: str, units: Iterable[TranslationUnit], name: str = ""
) -> int:
    """Write the TMX :func:`export_tmx` makes of these units, byte for byte, to ``handle`` one unit at a time, and
    return the number of units: a corpus of millions of links is never one tree (nor one list) in memory.

    Each unit is checked as it comes, so a refusal can come after some units are written: write to a temporary
    file and rename it when this returns (as the batch's corpus exports do), and a refused corpus leaves nothing.
    """
    corpus = ParallelCorpus(source_lang, target_lang, [], name=name)
    check_corpus(corpus, "TMX", xml_texts=True, xml_fields=True)  # the languages and the name
    root, _ = _skeleton(corpus.source_lang, corpus.name, target_lang=corpus.target_lang)
    # The header exactly as the whole-tree export writes it; its empty <body/> is where the units go.
    head, tail = _serialise(root).split(b"<body/>")
    linked: dict[int, int] = {}  # link number -> the unit that has it: ids must not repeat (see unit_ids)
    linked_places: set[int] = set()  # units written with their link number, not their place, as id
    count = 0
    for number, unit in enumerate(units, start=1):
        check_unit(unit, number, "TMX", space_free_ids=True, xml_texts=True, xml_fields=True)
        unit_id = number if unit.link_number is None else unit.link_number
        other = linked.get(unit_id)
        if other is None and unit.link_number is not None and unit_id < number and unit_id not in linked_places:
            other = unit_id  # the earlier unit at that place has it as its id
        if other is not None:
            raise InputError(
                f"Unit {number}: its id {unit_id} is also unit {other}'s; a file's unit ids must differ, so "
                "export one target's links at a time."
            )
        if unit.link_number is not None:
            linked[unit_id] = number
            linked_places.add(number)
        if count == 0:
            handle.write(head + b"<body>\n")
        tu = _tu(str(unit_id), unit, corpus.source_lang, corpus.target_lang)
        etree.indent(tu, space="  ", level=2)  # what pretty_print gives a <tu> in <body> in <tmx>
        handle.write(b"    " + etree.tostring(tu, encoding="utf-8", with_tail=False) + b"\n")
        count += 1
    handle.write(head + b"<body/>" + tail if count == 0 else b"  </body>" + tail)
    return count


def _tu(unit_id: str, unit: TranslationUnit, source_lang: str, target_lang: str) -> etree._Element:
    """One unit's ``<tu>``: note, props, then a ``<tuv>`` a side."""
    tu = etree.Element("tu", tuid=unit_id)
    if changedate := _tmx_date(unit.changed):
        tu.set("changedate", changedate)
    if unit.note:
        etree.SubElement(tu, "note").text = unit.note
    for name, value in unit_fields(unit).items():
        etree.SubElement(tu, "prop", type=PROP_PREFIX + name).text = value
    _add_tuv(tu, source_lang, unit.source)
    _add_tuv(tu, target_lang, unit.target)
    return tu


def export_multilingual_tmx(corpus: MultilingualCorpus) -> bytes:
    """One ``<tu>`` a source span: its source ``<tuv>`` and one for each target language that has a text.

    A language with no (or an empty) text for a span gets no ``<tuv>`` there: a TM lacks that translation
    rather than holding an empty one.
    """
    check_lang(corpus.source_lang, "source")
    seen = {corpus.source_lang.lower()}
    for lang in corpus.target_langs:
        check_lang(lang, "target")
        if lang.lower() in seen:
            raise InputError(f"Language {lang!r} is listed twice (as source or target); list each language once.")
        seen.add(lang.lower())
    root, body = _skeleton(corpus.source_lang, corpus.name)
    for number, unit in enumerate(corpus.units, start=1):
        where = f"Unit {number}"
        unknown = sorted(set(unit.targets) - set(corpus.target_langs))
        if unknown:
            raise InputError(
                f"{where} has text in {', '.join(unknown)}, which is not among the corpus's target languages "
                f"({', '.join(corpus.target_langs)}); add the language to target_langs."
            )
        check_text(unit.source, f"{where}: the source", "TMX", xml=True)
        for lang, text in unit.targets.items():
            check_text(text, f"{where}: the {lang} text", "TMX", xml=True)
        for sentence_id in unit.source_ids:
            check_text(sentence_id, f"{where}: a source id", "TMX", xml=True)
            if not sentence_id or any(c.isspace() for c in sentence_id):
                raise InputError(f"{where}: source id {sentence_id!r} is empty or holds whitespace; rename it.")
        tu = etree.SubElement(body, "tu", tuid=str(number))
        if unit.source_ids:
            etree.SubElement(tu, "prop", type=PROP_PREFIX + "source-ids").text = join_ids(unit.source_ids)
        _add_tuv(tu, corpus.source_lang, unit.source)
        for lang in corpus.target_langs:
            if unit.targets.get(lang):
                _add_tuv(tu, lang, unit.targets[lang])
    return _serialise(root)


def import_tmx(
    data: bytes, *, source_lang: str | None = None, target_lang: str | None = None, where: str = "The TMX file"
) -> ParallelCorpus:
    """Read one language pair from a TMX document; ``where`` names the file in error messages.

    The pair is ``source_lang``/``target_lang`` when given (``de`` also finds ``de-DE`` when that is the only
    German), else the header's ``srclang`` and the one other language present.
    """
    root = parse_xml(data, where, "TMX")
    if local_name(root) != "tmx":
        raise InputError(f"{where} is XML but not TMX: its root element is <{local_name(root)}>, not <tmx>.")
    header = _child(root, "header")
    body = _child(root, "body")
    if body is None:
        raise InputError(f"{where} has no <body>; it is truncated or not TMX. Export it again.")
    header_props = _props(header) if header is not None else {}
    tus = [element for element in body if local_name(element) == "tu"]

    present: dict[str, str] = {}  # normalised tag -> the spelling the file uses first
    for number, tu in enumerate(tus, start=1):
        for tuv in _tuvs(tu):
            lang = _tuv_lang(tuv, number, where)
            present.setdefault(normalise_lang(lang), lang)
    header_src = header.get("srclang") if header is not None else None
    if header_src and header_src.lower() != "*all*":
        present.setdefault(normalise_lang(header_src), header_src)
    if hint := header_props.get(PROP_PREFIX + "target-lang"):
        present.setdefault(normalise_lang(hint), hint)

    src = pick_lang(source_lang, present, "source", where)
    if src is None and header_src and header_src.lower() != "*all*":
        src = present[normalise_lang(header_src)]
    tgt = pick_lang(target_lang, present, "target", where)
    if tgt is None and hint and normalise_lang(hint) != normalise_lang(src or ""):
        tgt = present[normalise_lang(hint)]
    chosen = {normalise_lang(src or ""), normalise_lang(tgt or "")}
    others = [lang for key, lang in present.items() if key not in chosen]
    if src is None and tgt is not None and len(others) == 1:
        src = others[0]
    elif tgt is None and src is not None and len(others) == 1:
        tgt = others[0]
    if src is None or tgt is None:
        listed = ", ".join(present.values()) or "no languages"
        missing = "source_lang" if src is None else "target_lang"
        raise InputError(
            f"{where} holds {listed}; cannot tell which pair to read. Pass {missing} (one of the languages listed)."
        )
    if normalise_lang(src) == normalise_lang(tgt):
        raise InputError(f"{where}: source and target language are both {src!r}; pass two different languages.")

    units: list[TranslationUnit] = []
    for number, tu in enumerate(tus, start=1):
        unit = _read_tu(tu, number, src, tgt, where)
        if unit is not None:
            units.append(unit)
    name = header_props.get(PROP_PREFIX + "name", "")
    return ParallelCorpus(source_lang=src, target_lang=tgt, units=units, name=name)


def _skeleton(source_lang: str, name: str, target_lang: str | None = None) -> tuple[etree._Element, etree._Element]:
    """``<tmx>`` with the header TMX 1.4b requires (and our props) and an empty ``<body>``."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool="workbench",
        creationtoolversion=workbench.__version__,
        segtype="sentence",
        datatype="plaintext",
        adminlang="en",
        srclang=source_lang,
        **{"o-tmf": "workbench"},
    )
    if target_lang:
        etree.SubElement(header, "prop", type=PROP_PREFIX + "target-lang").text = target_lang
    if name:
        check_text(name, "The corpus name", "TMX", xml=True)
        etree.SubElement(header, "prop", type=PROP_PREFIX + "name").text = name
    return root, etree.SubElement(root, "body")


def _add_tuv(tu: etree._Element, lang: str, text: str) -> None:
    tuv = etree.SubElement(tu, "tuv")
    tuv.set(XML_LANG, lang)
    etree.SubElement(tuv, "seg").text = text or None


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=TMX_DOCTYPE)


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((child for child in element if local_name(child) == name), None)


def _props(element: etree._Element) -> dict[str, str]:
    """``<prop type="...">`` children as a dict (the first of each type wins)."""
    props: dict[str, str] = {}
    for child in element:
        if local_name(child) == "prop" and child.get("type"):
            props.setdefault(child.get("type"), child.text or "")
    return props


def _tuvs(tu: etree._Element) -> list[etree._Element]:
    return [child for child in tu if local_name(child) == "tuv"]


def _tuv_lang(tuv: etree._Element, number: int, where: str) -> str:
    lang = tuv.get(XML_LANG) or tuv.get("lang")  # ``lang`` is TMX 1.1's spelling
    if not lang:
        raise InputError(
            f"{where}, line {tuv.sourceline} (tu {number}): a <tuv> has no xml:lang; add the language it is in."
        )
    return lang


def _read_tu(tu: etree._Element, number: int, src: str, tgt: str, where: str) -> TranslationUnit | None:
    """One ``<tu>`` as a unit of the pair, or None when it has neither language (another pair's unit)."""
    place = f"{where}, line {tu.sourceline} (tu {number})"
    texts: dict[str, str] = {}
    for tuv in _tuvs(tu):
        lang = normalise_lang(_tuv_lang(tuv, number, where))
        if lang in texts or lang not in (normalise_lang(src), normalise_lang(tgt)):
            continue
        seg = _child(tuv, "seg")
        if seg is None:
            raise InputError(f"{where}, line {tuv.sourceline} (tu {number}): a <tuv> has no <seg>; add one.")
        texts[lang] = inline_text(seg, _CODE_ELEMENTS)
    if not texts:
        return None
    props = _props(tu)
    notes = [note.text or "" for note in tu if local_name(note) == "note"]
    changed = props.get(PROP_PREFIX + "changed") or _iso_date(tu.get("changedate"))
    return TranslationUnit(
        source_segments=segments_from_text(texts.get(normalise_lang(src))),
        target_segments=segments_from_text(texts.get(normalise_lang(tgt))),
        source_ids=split_ids(props.get(PROP_PREFIX + "source-ids")),
        target_ids=split_ids(props.get(PROP_PREFIX + "target-ids")),
        confidence=parse_confidence(props.get(PROP_PREFIX + "confidence"), place),
        status=parse_status(props.get(PROP_PREFIX + "status"), place),
        note="\n".join(notes),
        changed=changed or None,
        link_number=parse_link_number(props.get(PROP_PREFIX + "link-number"), place),
    )


def _tmx_date(changed: str | None) -> str | None:
    """An ISO 8601 time as TMX's ``YYYYMMDDThhmmssZ``; None when there is none or it does not parse."""
    if not changed:
        return None
    try:
        moment = datetime.fromisoformat(changed)
    except ValueError:
        return None
    if moment.tzinfo is None:  # units keep UTC times
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_TMX_DATE)


def _iso_date(changedate: str | None) -> str | None:
    """TMX's ``changedate`` as ISO 8601; another tool's malformed date is metadata we can do without, so None."""
    if not changedate:
        return None
    try:
        return datetime.strptime(changedate, _TMX_DATE).replace(tzinfo=UTC).isoformat()
    except ValueError:
        return None
