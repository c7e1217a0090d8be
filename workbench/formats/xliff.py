"""XLIFF 1.2 and 2.0, the exchange formats of localisation tools, written and read.

**1.2** writes one ``<trans-unit>`` a unit with ``<source>`` and ``<target>`` (always present, empty for an
empty side, so the state has a home); an n-m unit's sentences are joined by a space. **2.0** keeps an n-m unit's
sentences apart: one ``<segment>`` a sentence in one ``<unit>``, source k beside target k, the shorter side
padded with empty ``<source/>``/``<target/>`` (an empty segment is read back as no sentence).

The status maps onto the standard states, so other tools see the review:

=========  ===================================================  ======================================
status     XLIFF 1.2 ``<target state>``                         XLIFF 2.0 ``<segment state>``
=========  ===================================================  ======================================
auto       translated                                           translated
manual     needs-review-translation,                            translated, ``subState="workbench:manual"``
           ``state-qualifier="x-workbench-manual"``
confirmed  final (and ``approved="yes"``)                       final
flagged    needs-review-translation                             initial, ``subState="workbench:flagged"``
=========  ===================================================  ======================================

A manual link (made by a reviewer's hand, not approved yet) gets 1.2's standard state for "needs review", as a
flagged one does; our ``x-`` qualifier (1.2 allows ``x-`` values) tells the two apart when read back. And back:
``final``/``signed-off``/``approved="yes"`` (1.2) and ``final``/``reviewed`` (2.0) read as confirmed,
``needs-review-*`` (1.2) as manual with our qualifier and flagged without, our subStates (2.0) as manual (while
the state is still translated) and flagged, anything else as auto: a state another tool changed wins over our
marks. Confidence, ids, the exact change time and the link number are attributes in our own namespace
(:data:`WORKBENCH_NS`) on the unit, which both versions allow; the note is a ``<note>``; the corpus name is the
file's ``original``. Unit ids are link numbers as the project shows them (from 1), or a unit's place in the file
when it is no project's link. Sides keep ``xml:space="preserve"`` so tabs and newlines survive tools that would
otherwise normalise whitespace.

Characters XML 1.0 forbids: 2.0 writes them as ``<cp hex="..."/>``, the standard's own element for them, and
reads them back; 1.2 has no such element, so export refuses them, naming the unit (as TMX does). A note cannot
hold ``<cp>`` in either version, so a note with one is refused too.

Import reads either version whatever name the caller used (the root says which), safely
(:mod:`workbench.formats.xmlsafe`); inline codes are dropped, their surrounding text kept.
"""

from __future__ import annotations

from lxml import etree

import workbench
from workbench.errors import InputError
from workbench.formats.fields import (
    XML_ILLEGAL_RE,
    check_corpus,
    normalise_lang,
    parse_confidence,
    parse_link_number,
    pick_lang,
    segments_from_text,
    split_ids,
    unit_fields,
    unit_ids,
)
from workbench.formats.units import ParallelCorpus, TranslationUnit
from workbench.formats.xmlsafe import XML_SPACE, inline_text, local_name, parse_xml

XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20_NS = "urn:oasis:names:tc:xliff:document:2.0"
#: Our extension attributes (confidence, source-ids, target-ids, changed) live in this namespace.
WORKBENCH_NS = "urn:x-workbench:corpus:1"
FLAGGED_SUBSTATE = "workbench:flagged"
MANUAL_SUBSTATE = "workbench:manual"
MANUAL_QUALIFIER_12 = "x-workbench-manual"
VERSIONS = ("1.2", "2.0")

_STATE_12 = {
    "auto": "translated",
    "manual": "needs-review-translation",
    "confirmed": "final",
    "flagged": "needs-review-translation",
}
_STATE_20 = {"auto": "translated", "manual": "translated", "confirmed": "final", "flagged": "initial"}
_SUBSTATE_20 = {"manual": MANUAL_SUBSTATE, "flagged": FLAGGED_SUBSTATE}
# Inline elements whose content is native code (or which are empty anyway), not text a reader sees.
_CODE_12 = frozenset({"bpt", "ept", "it", "ph", "x", "bx", "ex"})
_CODE_20 = frozenset({"ph", "sc", "ec", "sm", "em"})


def export_xliff(corpus: ParallelCorpus, version: str = "1.2") -> bytes:
    """The corpus as an XLIFF document of ``version`` ("1.2" or "2.0"), UTF-8 bytes."""
    if version not in VERSIONS:
        raise InputError(f"XLIFF version {version!r} is not supported; use one of {', '.join(VERSIONS)}.")
    if version == "1.2":
        check_corpus(corpus, "XLIFF 1.2", xml_texts=True, xml_fields=True)
        root = _export_12(corpus)
    else:
        check_corpus(corpus, "XLIFF 2.0", xml_texts=False, xml_fields=True)
        root = _export_20(corpus)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def import_xliff(
    data: bytes, *, source_lang: str | None = None, target_lang: str | None = None, where: str = "The XLIFF file"
) -> ParallelCorpus:
    """Read an XLIFF 1.x or 2.x document; ``where`` names the file in error messages.

    A 1.2 document may hold several ``<file>``s; those of the pair asked for (or of the only pair present) are
    read in order.
    """
    root = parse_xml(data, where, "XLIFF")
    if local_name(root) != "xliff":
        raise InputError(f"{where} is XML but not XLIFF: its root element is <{local_name(root)}>, not <xliff>.")
    namespace = etree.QName(root).namespace or ""
    version = root.get("version", "")
    if namespace.startswith("urn:oasis:names:tc:xliff:document:2.") or (not namespace and version.startswith("2")):
        return _import_20(root, source_lang, target_lang, where)
    if namespace and not namespace.startswith("urn:oasis:names:tc:xliff:document:1."):
        raise InputError(f"{where}: XLIFF namespace {namespace!r} is not one this tool reads (1.x or 2.x).")
    return _import_12(root, source_lang, target_lang, where)


# --- writing ----------------------------------------------------------------------------------------------


def _wb(name: str) -> str:
    return f"{{{WORKBENCH_NS}}}{name}"


def _set_extensions(element: etree._Element, unit: TranslationUnit) -> None:
    """Our fields XLIFF has no attribute for, as attributes in :data:`WORKBENCH_NS`."""
    for name, value in unit_fields(unit, status=False).items():
        element.set(_wb(name), value)


def _export_12(corpus: ParallelCorpus) -> etree._Element:
    ns = f"{{{XLIFF12_NS}}}"
    root = etree.Element(ns + "xliff", nsmap={None: XLIFF12_NS, "wb": WORKBENCH_NS}, version="1.2")
    file = etree.SubElement(
        root,
        ns + "file",
        original=corpus.name or "corpus",
        datatype="plaintext",
        **{"source-language": corpus.source_lang, "target-language": corpus.target_lang, "tool-id": "workbench"},
    )
    header = etree.SubElement(file, ns + "header")
    etree.SubElement(
        header,
        ns + "tool",
        **{"tool-id": "workbench", "tool-name": "workbench", "tool-version": workbench.__version__},
    )
    body = etree.SubElement(file, ns + "body")
    for unit_id, unit in zip(unit_ids(corpus.units), corpus.units, strict=True):
        trans_unit = etree.SubElement(body, ns + "trans-unit", id=unit_id)
        trans_unit.set(XML_SPACE, "preserve")
        if unit.status == "confirmed":
            trans_unit.set("approved", "yes")
        _set_extensions(trans_unit, unit)
        etree.SubElement(trans_unit, ns + "source").text = unit.source or None
        target = etree.SubElement(trans_unit, ns + "target", state=_STATE_12[unit.status])
        if unit.status == "manual":
            target.set("state-qualifier", MANUAL_QUALIFIER_12)
        target.text = unit.target or None
        if unit.note:
            etree.SubElement(trans_unit, ns + "note").text = unit.note
    return root


def _export_20(corpus: ParallelCorpus) -> etree._Element:
    ns = f"{{{XLIFF20_NS}}}"
    root = etree.Element(
        ns + "xliff",
        nsmap={None: XLIFF20_NS, "wb": WORKBENCH_NS},
        version="2.0",
        srcLang=corpus.source_lang,
        trgLang=corpus.target_lang,
    )
    file = etree.SubElement(root, ns + "file", id="f1")
    if corpus.name:
        file.set("original", corpus.name)
    for unit_id, unit in zip(unit_ids(corpus.units), corpus.units, strict=True):
        element = etree.SubElement(file, ns + "unit", id=unit_id)
        _set_extensions(element, unit)
        if unit.note:
            notes = etree.SubElement(element, ns + "notes")
            etree.SubElement(notes, ns + "note").text = unit.note
        sources, targets = unit.source_segments, unit.target_segments
        for k in range(max(len(sources), len(targets), 1)):
            segment = etree.SubElement(element, ns + "segment", id=str(k + 1), state=_STATE_20[unit.status])
            if unit.status in _SUBSTATE_20:
                segment.set("subState", _SUBSTATE_20[unit.status])
            for tag, texts in (("source", sources), ("target", targets)):
                side = etree.SubElement(segment, ns + tag)
                side.set(XML_SPACE, "preserve")
                _set_text_with_cp(side, texts[k] if k < len(texts) else "", ns)
    return root


def _set_text_with_cp(element: etree._Element, text: str, ns: str) -> None:
    """Put ``text`` in ``element``, each character XML forbids as an XLIFF 2.0 ``<cp hex="..."/>``."""
    chunks = XML_ILLEGAL_RE.split(text)
    element.text = chunks[0] or None
    for char, chunk in zip(XML_ILLEGAL_RE.findall(text), chunks[1:], strict=True):
        cp = etree.SubElement(element, ns + "cp", hex=f"{ord(char):04X}")
        cp.tail = chunk or None


# --- reading ----------------------------------------------------------------------------------------------


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]


def _descendants(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element.iter() if local_name(child) == name]


def _choose_pair(
    pairs: list[tuple[str, str]], source_lang: str | None, target_lang: str | None, where: str
) -> tuple[str, str]:
    """The pair to read from the (source, target) pairs the document's files declare."""
    listed = ", ".join(f"{s}-{t}" for s, t in dict.fromkeys(pairs)) or "no language pair"
    sources = {normalise_lang(s): s for s, _ in pairs}
    targets = {normalise_lang(t): t for _, t in pairs}
    src = pick_lang(source_lang, sources, "source", where) if sources else source_lang
    tgt = pick_lang(target_lang, targets, "target", where) if targets else target_lang
    candidates = [
        (s, t)
        for s, t in dict.fromkeys(pairs)
        if (src is None or normalise_lang(s) == normalise_lang(src))
        and (tgt is None or normalise_lang(t) == normalise_lang(tgt))
    ]
    if len(candidates) == 1:
        return candidates[0]
    raise InputError(
        f"{where} holds {listed}; pass source_lang and target_lang to say which pair to read."
        if candidates
        else f"{where} holds {listed}, not {src or '?'}-{tgt or '?'}; pass languages it holds."
    )


def _status_12(trans_unit: etree._Element, target: etree._Element | None) -> str:
    state = (target.get("state") or "") if target is not None else ""
    if state.startswith("needs-review"):
        qualifier = target.get("state-qualifier") if target is not None else None
        return "manual" if qualifier == MANUAL_QUALIFIER_12 else "flagged"
    if trans_unit.get("approved") == "yes" or state in ("final", "signed-off"):
        return "confirmed"
    return "auto"


def _status_20(segments: list[etree._Element]) -> str:
    states = [(segment.get("state") or "initial", segment.get("subState") or "") for segment in segments]
    if any(sub == FLAGGED_SUBSTATE for _, sub in states):
        return "flagged"
    if states and all(state in ("final", "reviewed") for state, _ in states):
        return "confirmed"
    if states and all(state == "translated" and sub == MANUAL_SUBSTATE for state, sub in states):
        return "manual"
    return "auto"


def _unit_fields(element: etree._Element, place: str) -> dict:
    """Our extension attributes of a unit, read back (and absent ones defaulted) for :class:`TranslationUnit`."""
    return {
        "source_ids": split_ids(element.get(_wb("source-ids"))),
        "target_ids": split_ids(element.get(_wb("target-ids"))),
        "confidence": parse_confidence(element.get(_wb("confidence")), place),
        "changed": element.get(_wb("changed")) or None,
        "link_number": parse_link_number(element.get(_wb("link-number")), place),
    }


def _import_12(root: etree._Element, source_lang: str | None, target_lang: str | None, where: str) -> ParallelCorpus:
    files = _children(root, "file")
    if not files:
        raise InputError(f"{where} has no <file>; it is truncated or not XLIFF. Export it again.")
    pairs = []
    for file in files:
        src, tgt = file.get("source-language"), file.get("target-language") or target_lang
        if not src or not tgt:
            raise InputError(
                f"{where}, line {file.sourceline}: the <file> lacks a "
                f"{'source-language' if not src else 'target-language'}; pass target_lang or fix the file."
            )
        pairs.append((src, tgt))
    src, tgt = _choose_pair(pairs, source_lang, target_lang, where)
    units: list[TranslationUnit] = []
    number = 0
    for file, pair in zip(files, pairs, strict=True):
        if pair != (src, tgt):
            continue
        for trans_unit in _descendants(file, "trans-unit"):
            number += 1
            place = f"{where}, line {trans_unit.sourceline} (trans-unit {number})"
            source = next(iter(_children(trans_unit, "source")), None)
            if source is None:
                raise InputError(f"{place}: the <trans-unit> has no <source>; add one or remove the unit.")
            target = next(iter(_children(trans_unit, "target")), None)
            notes = [note.text or "" for note in _children(trans_unit, "note")]
            units.append(
                TranslationUnit(
                    source_segments=segments_from_text(inline_text(source, _CODE_12)),
                    target_segments=segments_from_text(inline_text(target, _CODE_12) if target is not None else ""),
                    status=_status_12(trans_unit, target),
                    note="\n".join(notes),
                    **_unit_fields(trans_unit, place),
                )
            )
    name = next((f.get("original", "") for f, p in zip(files, pairs, strict=True) if p == (src, tgt)), "")
    return ParallelCorpus(source_lang=src, target_lang=tgt, units=units, name=name)


def _import_20(root: etree._Element, source_lang: str | None, target_lang: str | None, where: str) -> ParallelCorpus:
    src, tgt = root.get("srcLang"), root.get("trgLang") or target_lang
    if not src or not tgt:
        raise InputError(
            f"{where}: the <xliff> element lacks {'srcLang' if not src else 'trgLang'}; "
            "pass target_lang or fix the file."
        )
    src, tgt = _choose_pair([(src, tgt)], source_lang, target_lang, where)
    files = _children(root, "file")
    if not files:
        raise InputError(f"{where} has no <file>; it is truncated or not XLIFF. Export it again.")
    units: list[TranslationUnit] = []
    number = 0
    for file in files:
        for element in _descendants(file, "unit"):
            number += 1
            place = f"{where}, line {element.sourceline} (unit {number})"
            segments = _children(element, "segment")
            if not segments:
                raise InputError(f"{place}: the <unit> has no <segment>; add one or remove the unit.")
            sources: list[str] = []
            targets: list[str] = []
            for segment in segments:
                source = next(iter(_children(segment, "source")), None)
                if source is None:
                    raise InputError(
                        f"{where}, line {segment.sourceline} (unit {number}): a <segment> has no <source>; add one."
                    )
                target = next(iter(_children(segment, "target")), None)
                sources.append(_text_20(source, where))
                targets.append(_text_20(target, where) if target is not None else "")
            notes = [note.text or "" for notes in _children(element, "notes") for note in _children(notes, "note")]
            units.append(
                TranslationUnit(
                    source_segments=tuple(text for text in sources if text),
                    target_segments=tuple(text for text in targets if text),
                    status=_status_20(segments),
                    note="\n".join(notes),
                    **_unit_fields(element, place),
                )
            )
    return ParallelCorpus(source_lang=src, target_lang=tgt, units=units, name=files[0].get("original", ""))


def _text_20(element: etree._Element, where: str) -> str:
    """A 2.0 ``<source>``/``<target>``'s text, ``<cp>`` elements turned back into their characters."""

    def code_point(child: etree._Element) -> str | None:
        if local_name(child) != "cp":
            return None
        try:
            return chr(int(child.get("hex", ""), 16))
        except (ValueError, OverflowError):
            raise InputError(
                f"{where}, line {child.sourceline}: <cp hex={child.get('hex')!r}> is not a hexadecimal code point; "
                "fix or remove it."
            ) from None

    return inline_text(element, _CODE_20, code_point)
