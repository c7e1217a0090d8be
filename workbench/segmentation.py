"""Sentence splitting, language-aware, with character offsets.

The splitting itself is Wikimedia's ``sentencex`` (rule-based, abbreviation lists and fallback chains for 240+
languages, CJK full stops, no model download). We add only what it does not give us:

* offsets into the paragraph, so every sentence points back at the original text;
* never splitting across paragraphs (callers pass one paragraph at a time);
* a repair for one known weakness: at the very start of a sentence it cuts after a short honorific
  ("Dr. Who came." -> "Dr. " + "Who came."; French "M. Dupont"). A piece that is a single short
  capitalised abbreviation cannot be a sentence, so it is joined to the next piece;
* a repair for another: sentencex never splits inside quotation marks, and pairs quotation marks by count, so one
  quotation mark left unclosed (a translation dropped the other) makes it run every sentence up to the next quote
  into one, a whole paragraph at times. Quotation marks are paired here by what surrounds them (an opening one
  follows a space and precedes a letter, a closing one the other way round), and a piece holding one that pairs
  with none is split again with that mark read as a space: a quote that is closed still holds its sentences
  together, an unclosed one holds none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentencex import segment as _sentencex_segment

from workbench.language_tags import base_language

# A lone abbreviation like "Dr.", "M.", "Mme.", "Prof.", "St." (<= 5 letters, capitalised, one period).
_LONE_ABBREVIATION = re.compile(r"^\s*[A-ZÀ-Þ][a-zà-ÿ]{0,4}\.\s*$")


@dataclass(frozen=True)
class Span:
    """A sentence as a half-open character range ``[start, end)`` of the text it was cut from."""

    start: int
    end: int


def split_sentences(text: str, lang: str) -> list[Span]:
    """Split one paragraph into sentence spans, stripped of surrounding whitespace.

    ``lang`` is an ISO 639-1 (or BCP 47) code; unknown codes fall back to sentencex's generic rules, which
    still handle Latin, CJK and most other scripts' sentence-final punctuation.
    """
    base = _base_language(lang)
    pieces = _split_unclosed_quotes(list(_sentencex_segment(base, text)), base)
    # sentencex returns consecutive pieces that concatenate back to the input; check that rather than trust it,
    # because offsets are only right if it holds.
    if "".join(pieces) != text:
        return _spans_by_search(text, pieces)
    spans: list[Span] = []
    pos = 0
    pending_start: int | None = None
    for piece in pieces:
        start, end = pos, pos + len(piece)
        pos = end
        if pending_start is not None:
            start = pending_start
            pending_start = None
        if _LONE_ABBREVIATION.match(text[start:end]):
            pending_start = start
            continue
        span = _strip(text, start, end)
        if span is not None:
            spans.append(span)
    if pending_start is not None:
        span = _strip(text, pending_start, len(text))
        if span is not None:
            spans.append(span)
    return spans


# Double quotation marks of every convention ("", “”, „“, «», ‹›). Single ones (' ‘ ’) are left alone: they are
# apostrophes as often as quotes (don't, l'homme), and no splitter pairs them across sentences.
_QUOTES = frozenset('"“”„«»‹›')


def _unpaired_quotes(piece: str) -> list[int]:
    """Positions of the quotation marks in ``piece`` that open or close nothing, read from their surroundings."""
    opened: list[int] = []
    unpaired: list[int] = []
    for k, char in enumerate(piece):
        if char not in _QUOTES:
            continue
        before = piece[k - 1] if k else " "
        after = piece[k + 1] if k + 1 < len(piece) else " "
        if char in "«‹„":  # always opening (French guillemets stand apart from their words: « Non »)
            opening, closing = True, False
        elif char in "»›":
            opening, closing = False, True
        else:  # " “ ”: opening in one language closes in another (German „...“), so read the surroundings
            opening = (before.isspace() or before in "([{—–-/") and not after.isspace()
            closing = not before.isspace() and (after.isspace() or not after.isalnum())
        if opening and not closing:
            opened.append(k)
        elif closing and not opening:
            if opened:
                opened.pop()
            else:
                unpaired.append(k)
    return sorted(unpaired + opened)


def _split_unclosed_quotes(pieces: list[str], lang: str) -> list[str]:
    """Pieces split again where an unpaired quotation mark made sentencex hold sentences together; they still tile
    the text."""
    result: list[str] = []
    for piece in pieces:
        unpaired = _unpaired_quotes(piece) if any(char in _QUOTES for char in piece) else []
        if not unpaired:
            result.append(piece)
            continue
        masked = list(piece)
        for k in unpaired:
            masked[k] = " "
        again = list(_sentencex_segment(lang, "".join(masked)))
        if len(again) < 2 or "".join(again) != "".join(masked):
            result.append(piece)
            continue
        start = 0
        for part in again:  # the same lengths: cut the original piece where the masked one was cut
            result.append(piece[start : start + len(part)])
            start += len(part)
    return result


def _spans_by_search(text: str, pieces: list[str]) -> list[Span]:
    """Fallback when pieces do not tile the text: locate each stripped piece in order."""
    spans: list[Span] = []
    pos = 0
    for piece in pieces:
        needle = piece.strip()
        if not needle:
            continue
        found = text.find(needle, pos)
        if found < 0:
            continue
        spans.append(Span(found, found + len(needle)))
        pos = found + len(needle)
    return spans


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def _base_language(lang: str) -> str:
    """'pt-BR' -> 'pt', 'zh_Hant' -> 'zh': sentencex keys its rules on the base code."""
    return base_language(lang) or "en"
