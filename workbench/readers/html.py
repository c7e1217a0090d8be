"""HTML (.html, .htm, .xhtml) with BeautifulSoup on lxml: the main text, without menus, banners and footers.

What is not the text is dropped first: ``nav``, ``header``, ``footer``, ``aside``, forms, scripts and styles,
anything with the ARIA role of one of them, and elements whose class or id is one of the usual names of page
furniture (``footer``, ``navbar``, ``sidebar``, ``breadcrumb`` ...; whole names only). Then the main part is read
(``<main>``, else the one ``<article>``, else ``<body>``): headings, paragraphs, list items and table cells each a
block, text directly inside a ``div`` a paragraph. The encoding is the page's (BOM, ``<meta charset>``, else
guessed by BeautifulSoup). Title: ``<title>``, else the first ``<h1>``; language: ``<html lang>`` (or
``xml:lang``). Lost: links, emphasis, images, alt texts, anything a script would have written.
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import Comment, ProcessingInstruction

from workbench.documents import Block, Extracted
from workbench.errors import InputError
from workbench.readers.safety import expect_text

_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg",
         "button", "select", "textarea", "head", "menu", "dialog")  # fmt: skip
# Class or id tokens of page furniture on sites that use plain divs (``<div id="footer">``); whole tokens only, so
# "footnote" or "menu-item-text" inside an article are kept.
_DROP_NAMES = {"nav", "navbar", "navigation", "menu", "mainmenu", "footer", "site-footer", "site-header", "sidebar",
               "breadcrumb", "breadcrumbs", "cookie-banner", "cookies", "skip-link", "share", "social"}  # fmt: skip
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_KINDS = {"li": "list-item", "dt": "list-item", "dd": "list-item", "td": "table-cell", "th": "table-cell"}
# Elements that start a new block; everything else (a, em, span ...) is inline text of the block around it.
_BLOCK_TAGS = {
    *_HEADINGS, *_KINDS, "p", "div", "section", "article", "main", "ul", "ol", "dl", "table", "thead", "tbody",
    "tfoot", "tr", "blockquote", "pre", "figure", "figcaption", "caption", "address", "hr", "body", "details",
    "summary",
}  # fmt: skip


def read(data: bytes, name: str) -> Extracted:
    """The main text of a web page as blocks, with its title and ``lang``."""
    expect_text(data, name, "an HTML page")
    return extract_html(data, name)


def extract_html(data: bytes | str, name: str) -> Extracted:
    """Blocks of an HTML page or an EPUB chapter (the EPUB reader calls this for each chapter)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # XHTML (EPUB) reads well as HTML
            soup = BeautifulSoup(data, "lxml")
    except Exception as exc:  # lxml copes with nearly anything; what it cannot parse is not HTML
        raise InputError(f"{name} cannot be read as HTML ({type(exc).__name__}).") from None
    root_tag = soup.find("html")
    lang = None
    if isinstance(root_tag, Tag):
        lang = root_tag.get("lang") or root_tag.get("xml:lang")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if isinstance(title_tag, Tag) else ""
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": True}):
        if not tag.decomposed and str(tag.get("role", "")).lower() in _DROP_ROLES:
            tag.decompose()
    for tag in soup.find_all(_is_furniture):
        if not tag.decomposed:
            tag.decompose()
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main is None:
        articles = soup.find_all("article")
        main = articles[0] if len(articles) == 1 else soup.find("body") or soup
    blocks: list[Block] = []
    _walk(main, "paragraph", 0, blocks)
    if not title:
        first = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
        title = first.text if first else ""
    return Extracted(
        blocks=[b for b in blocks if b.text.strip()], title=title or None, lang=str(lang) if lang else None
    )


def _is_furniture(tag: Tag) -> bool:
    """A div or similar whose class or id names it as navigation, a footer, a sidebar ..."""
    if tag.name in ("html", "body", "main", "article"):
        return False
    tokens = [str(c).lower() for c in tag.get("class") or []]
    tokens.append(str(tag.get("id") or "").lower())
    return any(token in _DROP_NAMES for token in tokens)


def _walk(element: Tag | BeautifulSoup, kind: str, level: int, blocks: list[Block]) -> None:
    """Inline text gathers into the current block; a block-level child flushes it and starts its own."""
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        if text:
            blocks.append(Block(text, kind, level))
        buffer.clear()

    for child in element.children:
        if isinstance(child, (Comment, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            buffer.append(str(child))
        elif isinstance(child, Tag):
            if child.name == "br":
                buffer.append(" ")
            elif child.name in _BLOCK_TAGS:
                flush()
                if child.name in _HEADINGS:
                    _walk(child, "heading", _HEADINGS[child.name], blocks)
                elif child.name in _KINDS:
                    _walk(child, _KINDS[child.name], 0, blocks)
                elif child.name in ("ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"):
                    _walk(child, kind if kind != "heading" else "paragraph", 0, blocks)
                else:
                    _walk(child, "paragraph" if kind == "heading" else kind, level if kind != "heading" else 0,
                          blocks)  # fmt: skip
            else:
                _walk_inline(child, buffer, blocks, kind, level)
    flush()


def _walk_inline(element: Tag, buffer: list[str], blocks: list[Block], kind: str, level: int) -> None:
    """Inline markup (``a``, ``em``, ``span``): its text joins the block; a block hidden inside it still splits."""
    if any(isinstance(d, Tag) and d.name in _BLOCK_TAGS for d in element.descendants):
        text = " ".join("".join(buffer).split())
        if text:
            blocks.append(Block(text, kind, level))
        buffer.clear()
        _walk(element, kind, level, blocks)
        return
    buffer.append(element.get_text())
