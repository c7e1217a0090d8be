"""Brackets and quotation marks the translation breaks: unbalanced in the target, or added where the source has none.

Quotation marks differ by language (“English”, „Deutsch“, »Deutsch«, « français », ”svenska”, 「日本語」), so the
rules avoid assuming which mark opens: double quotes of the curly/straight family must come in an even number,
guillemets in equal numbers of « and », corner brackets nest. Single quotes are judged in the target language's
convention, and only by whether every opening mark has a closing one after it, because ’ is also the apostrophe.
A target is flagged only where the source is not broken the same way (a quotation may span two sentences).
Written by hand: translate-toolkit's pofilter counts brackets and straight quotes only, for software strings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from workbench.checks.base import CheckContext, Finding, Severity, is_paired
from workbench.checks.text import word_set
from workbench.language_id import base_language

BRACKETS = {"(": ")", "[": "]", "{": "}", "【": "】", "〔": "〕", "〈": "〉", "《": "》"}
CORNER_QUOTES = {"「": "」", "『": "』"}
DOUBLE_QUOTES = frozenset('"“”„‟〝〞〟')
# Languages whose single quotation opens low (‚…‘): there ‘ closes, elsewhere it opens (‘…’).
LOW_SINGLE_OPENING = word_set("bg bs cs de et hr is ka lb lt mk sk sl sr")


def _pair_imbalance(text: str, opening: str, closing: str) -> tuple[int, int]:
    """(openings never closed, closings never opened) for one kind of pair."""
    if opening not in text and closing not in text:
        return 0, 0
    depth = unopened = 0
    for char in text:
        if char == opening:
            depth += 1
        elif char == closing:
            if depth:
                depth -= 1
            else:
                unopened += 1
    return depth, unopened


def bracket_problems(text: str) -> dict[str, tuple[int, int]]:
    """Per opening bracket, its imbalance; brackets that pair up are left out."""
    text = unicodedata.normalize("NFKC", text)  # full-width （） are brackets too
    problems = {}
    for opening, closing in BRACKETS.items():
        imbalance = _pair_imbalance(text, opening, closing)
        if imbalance != (0, 0):
            problems[opening] = imbalance
    return problems


def quote_problems(text: str, lang: str) -> list[str]:
    """What is wrong with the quotation marks of ``text`` read in ``lang``'s convention, in words."""
    text = unicodedata.normalize("NFKC", text)  # full-width ＂ is a straight quote
    problems = []
    doubles = sum(1 for c in text if c in DOUBLE_QUOTES)
    if doubles % 2:
        problems.append("an odd number of double quotation marks")
    for opening, closing in (("«", "»"), ("‹", "›")):
        if text.count(opening) != text.count(closing):
            problems.append(f"{text.count(opening)} {opening} against {text.count(closing)} {closing}")
    for opening, closing in CORNER_QUOTES.items():
        unclosed, unopened = _pair_imbalance(text, opening, closing)
        if unclosed or unopened:
            problems.append(f"an unpaired {opening if unclosed else closing}")
    if base_language(lang) in LOW_SINGLE_OPENING:
        openers, closers = text.count("‚"), text.count("‘") + text.count("’")
    else:
        openers, closers = text.count("‘"), text.count("’")
    if closers < openers:
        problems.append("a single quotation mark that is never closed")
    return problems


# Single quotes are left out: ’ and ' are apostrophes as often as quotation marks.
_QUOTE = re.compile("[" + "".join(sorted(DOUBLE_QUOTES)) + "«»‹›「」『』]")
_BRACKET = re.compile("[" + re.escape("".join(BRACKETS)) + "]")


def _has_quotes(text: str) -> bool:
    return bool(_QUOTE.search(unicodedata.normalize("NFKC", text)))


def _describe_brackets(problems: dict[str, tuple[int, int]]) -> list[str]:
    parts = []
    for opening, (unclosed, unopened) in problems.items():
        if unclosed:
            parts.append(f"{unclosed} “{opening}” never closed")
        if unopened:
            parts.append(f"{unopened} “{BRACKETS[opening]}” never opened")
    return parts


def check_brackets(context: CheckContext) -> Iterator[Finding]:
    """Flag unbalanced brackets or quotes in the target (warning) and ones the source lacks (info)."""
    for index, unit in enumerate(context.units):
        if not is_paired(unit):
            continue
        verdict = _link_marks(unit.source, unit.target, context.source_lang, context.target_lang)
        if verdict is not None:
            severity, message, problem, marks = verdict
            yield Finding("brackets", severity, message, index, {"problem": problem, "marks": list(marks)})


@functools.lru_cache(maxsize=1 << 16)
def _link_marks(
    source: str, target: str, source_lang: str, target_lang: str
) -> tuple[Severity, str, str, tuple[str, ...]] | None:
    """One link's verdict (severity, message, problem, marks), or None; remembered, because the app checks a
    whole document again after every edit and only the edited links are new."""
    source_brackets, target_brackets = bracket_problems(source), bracket_problems(target)
    broken = {k: v for k, v in target_brackets.items() if source_brackets.get(k) != v}
    target_quotes = quote_problems(target, target_lang)
    quotes_broken = bool(target_quotes) and not quote_problems(source, source_lang)
    if broken or quotes_broken:
        parts = _describe_brackets(broken) + (target_quotes if quotes_broken else [])
        message = "Unbalanced marks in the target (the source has none such): " + "; ".join(parts) + "."
        return "warning", message, "unbalanced", tuple(parts)
    added = []
    if _BRACKET.search(unicodedata.normalize("NFKC", target)) and not _BRACKET.search(
        unicodedata.normalize("NFKC", source)
    ):
        added.append("brackets")
    if _has_quotes(target) and not _has_quotes(source):
        added.append("quotation marks")
    if added:
        message = f"The target has {' and '.join(added)} the source does not: check nothing was added or mis-marked."
        return "info", message, "added", tuple(added)
    return None
