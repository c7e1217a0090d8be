"""Parsing untrusted XML (TMX, XLIFF) without letting the file reach outside itself or exhaust memory.

Corpus files come from other tools and other people. An XML file can declare entities that pull in local files
or URLs (XXE) or expand to gigabytes ("billion laughs"). lxml is told never to load a DTD, never to touch the
network, never to substitute entities and to keep its size limits (``huge_tree=False``); then any file that
declares an entity, or still refers to one, is refused outright: TMX and XLIFF never need entities, and a
declaration in a corpus file is either a mistake or an attack. libxml2's own amplification guard stops an
expansion bomb before our check runs; both paths end in :class:`~workbench.errors.InputError`.

A plain ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, as translate-toolkit and most TMX tools write, is accepted: the
DTD is named, not loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from workbench.errors import InputError

XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
XML_SPACE = f"{{{XML_NS}}}space"


def _parser() -> etree.XMLParser:
    # A fresh parser a call: lxml parsers keep state (error log) and are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, where: str, kind: str) -> etree._Element:
    """Parse ``data`` safely and return its root; ``kind`` (TMX, XLIFF) and ``where`` (the file) name it in errors."""
    if not data.strip():
        raise InputError(f"{where} is empty: there is no {kind} to read.")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc).split("\n")[0]
        if "amplification" in message or "entity reference loop" in message:
            raise InputError(
                f"{where} declares XML entities that expand out of all proportion (line {exc.lineno}); "
                f"such a file is refused. Export the {kind} again from the tool that made it, without a DOCTYPE."
            ) from None
        raise InputError(
            f"{where} is not well-formed XML (line {exc.lineno}: {message}); it may be truncated or not {kind}. "
            "Export it again."
        ) from None
    except ValueError as exc:  # e.g. a str with an encoding declaration; bytes are passed, so rare
        raise InputError(f"{where} cannot be parsed as XML ({exc}). Export it again as UTF-8.") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None:
        for entity in dtd.iterentities():
            raise InputError(
                f"{where} declares the XML entity '{entity.name}' in its DOCTYPE; entities can read local files "
                f"or expand without limit, so such a file is refused. Remove the DOCTYPE's [...] part and try again."
            )
    for entity in root.iter(etree.Entity):
        raise InputError(
            f"{where}, line {entity.sourceline}: the entity reference {entity.text} is not defined in the file; "
            "replace it with the character it stands for."
        )
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace (``tuv`` for ``{ns}tuv``); comments and the like have none."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def inline_text(
    element: etree._Element,
    skip: frozenset[str],
    special: Callable[[etree._Element], str | None] | None = None,
) -> str:
    """The text of a segment with inline markup, as a reader sees it.

    Elements named in ``skip`` hold native code (TMX ``<bpt>``, XLIFF ``<ph>``): their content is left out but
    the text after them kept. ``special`` may turn an element into text (XLIFF 2.0 ``<cp hex="...">``).
    Everything else (``<hi>``, ``<g>``, ``<mrk>``, ``<pc>``) contributes its text.
    """
    parts: list[str] = [element.text or ""]
    for child in element:
        replacement = special(child) if special is not None else None
        if replacement is not None:
            parts.append(replacement)
        elif local_name(child) not in skip:
            parts.append(inline_text(child, skip, special))
        parts.append(child.tail or "")
    return "".join(parts)
