"""Language tags, in one place: what a tag looks like, its one spelling, and the language beneath it.

Tags come in from files (``xml:lang``, front matter, a PO header), file names, command lines and the app,
spelled many ways: ``pt_BR``, ``PT-br``, ``zh_Hant``. Each is normalised once, on the way in (a
:class:`~workbench.documents.Document`, a :class:`~workbench.formats.units.ParallelCorpus`), to its BCP 47
spelling (``pt-BR``, ``zh-Hant``): hyphens, the language in lower case, a script in title case, a region in upper
case. Only the spelling changes, never the code: ``tl`` stays ``tl`` even where BCP 47 now prefers ``fil``,
because the translation engines and the seeds key on the codes people give. ``langcodes`` parses the tag.

Everything that needs the language without script or region (the segmenter's rules, the identifier's model,
the checks' tables, whether sentences are joined with a space) asks :func:`base_language`.
"""

from __future__ import annotations

import functools
import re

import langcodes

#: A language tag as it may appear in a file name and an ``xml:lang``: BCP 47 letters, digits and hyphens
#: (underscores too, as in ``pt_BR``), nothing that could escape a folder.
TAG_RE = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*")
#: The tag for "not known yet" (ISO 639-2 ``und``).
UNDETERMINED = "und"


@functools.lru_cache(maxsize=1024)
def normalise_tag(tag: str) -> str:
    """The BCP 47 spelling of ``tag``: ``zh_Hant`` -> ``zh-Hant``, ``PT-br`` -> ``pt-BR``, ``EN`` -> ``en``.

    Whatever is not a well-formed tag comes back as given (stripped), so the check that refuses it
    (:func:`is_tag`, ``check_lang`` in the formats) can name it as the user wrote it.
    """
    if not isinstance(tag, str):  # a caller's None or number: left for its own check to refuse
        return tag
    text = tag.strip()
    if not TAG_RE.fullmatch(text):
        return text
    try:
        return str(langcodes.Language.get(text.replace("_", "-"), normalize=False).to_tag())
    except (langcodes.LanguageTagError, ValueError):
        return text


def is_tag(tag: object) -> bool:
    """Whether ``tag`` is a string shaped like a language tag (see :data:`TAG_RE`)."""
    return isinstance(tag, str) and TAG_RE.fullmatch(tag) is not None


@functools.lru_cache(maxsize=1024)
def base_language(tag: str) -> str:
    """The primary language subtag, lower-cased: ``pt-BR``, ``pt_BR`` -> ``pt``; ``zh_Hant`` -> ``zh``."""
    return re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()


def tag_key(tag: str) -> str:
    """A tag in the form used to compare tags: ``pt_BR``, ``PT-br`` and ``pt-BR`` are one language."""
    return tag.strip().lower().replace("_", "-")


__all__ = ["TAG_RE", "UNDETERMINED", "base_language", "is_tag", "normalise_tag", "tag_key"]
