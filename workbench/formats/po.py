"""Gettext PO/POT (.po, .pot) with polib: each msgid and its msgstr are already a pair, read as one unit each.

Read only (software localisation hands these out; a reviewed corpus goes back out as TMX or XLIFF). Each entry
becomes a unit: msgid -> msgstr; a plural entry keeps ``msgid``/``msgid_plural`` and its ``msgstr[n]`` forms as
separate segments. A fuzzy entry is ``flagged`` with the note ``fuzzy`` (its translation is a guess to check);
a translated one is ``auto`` (to review, as anything not approved here); an untranslated one (every entry of a
.pot) has an empty target. The note also carries the context (``msgctxt``) and the translator's comment. The
header entry and obsolete (``#~``) entries are left out. Lost: source references, flags other than fuzzy, the
previous msgid, the header's fields.

Languages: the target is the header's ``Language:``, else the file name's (``pt_BR.po``), else the caller's;
the source is ``X-Source-Language:`` when the header has it, else the caller's, else English, which is what
gettext's msgids are by convention.
"""

from __future__ import annotations

import re

import polib

from workbench.errors import InputError
from workbench.formats.fields import check_lang, normalise_lang
from workbench.formats.units import ParallelCorpus, TranslationUnit

_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
# A file named for its language, as gettext projects name them: de.po, pt_BR.po, sr@latin is left alone.
_LANG_NAME = re.compile(r"[a-z]{2,3}(?:[_-][A-Z]{2}|[_-][A-Z][a-z]{3})?")


def import_po(
    data: bytes,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    where: str = "The PO file",
    name: str = "",
) -> ParallelCorpus:
    """Read a PO or POT file's entries as units; ``name`` (the file's stem) may say the target language."""
    text = _decode(data, where)
    try:
        catalog = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        reason = " ".join(str(exc).split())
        raise InputError(f"{where} is not a valid PO file: {reason}.") from None
    header_target = catalog.metadata.get("Language", "").strip().replace("_", "-") or None
    header_source = catalog.metadata.get("X-Source-Language", "").strip().replace("_", "-") or None
    name_target = name.replace("_", "-") if _LANG_NAME.fullmatch(name) else None
    tgt = header_target or name_target or target_lang
    if target_lang and tgt and normalise_lang(tgt).split("-")[0] != normalise_lang(target_lang).split("-")[0]:
        raise InputError(f"{where} says its language is {tgt!r}, not {target_lang!r}; leave the language out.")
    tgt = target_lang or tgt
    if not tgt:
        raise InputError(
            f"{where} does not say its language (no 'Language:' in its header, as in a .pot); pass the target "
            "language, or name the file <language>.po (e.g. pt_BR.po)."
        )
    src = source_lang or header_source or "en"
    check_lang(src, "source")
    check_lang(tgt, "target")
    units = [_unit(entry) for entry in catalog if not entry.obsolete and entry.msgid]
    if not units:
        raise InputError(f"{where} holds no messages (msgid entries) to review.")
    return ParallelCorpus(source_lang=src, target_lang=tgt, units=units, name=name)


def _unit(entry: polib.POEntry) -> TranslationUnit:
    if entry.msgid_plural:
        sources = (entry.msgid, entry.msgid_plural)
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        targets = tuple(form for form in forms if form)
    else:
        sources = (entry.msgid,)
        targets = (entry.msgstr,) if entry.msgstr else ()
    fuzzy = "fuzzy" in entry.flags
    note = "; ".join(
        part
        for part in ("fuzzy" if fuzzy else "", f"context: {entry.msgctxt}" if entry.msgctxt else "", entry.tcomment)
        if part
    )
    return TranslationUnit(
        source_segments=sources,
        target_segments=targets,
        status="flagged" if fuzzy and targets else "auto",
        note=note,
    )


def _decode(data: bytes, where: str) -> str:
    """The file's text in the charset its header names (UTF-8 when it names none, or ``CHARSET`` in a .pot)."""
    found = _CHARSET.search(data[:4096])
    charset = found.group(1).decode("ascii") if found else "utf-8"
    if charset.upper() == "CHARSET":
        charset = "utf-8"
    try:
        return data.decode(charset).lstrip("\ufeff")
    except LookupError:
        raise InputError(f"{where} names an unknown charset {charset!r} in its header; re-save it as UTF-8.") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{where}, line {line}: not {charset} text as its header says; re-save it as UTF-8.") from None
