"""Checks every reader runs before a library sees the bytes: what the file really is, and zip bombs.

Libraries fail on bad input with their own exceptions (``KeyError: 'word/document.xml'``, ``PdfReadError``) or,
worse, unpack a 4 GB member into memory. Here a file whose content does not match its suffix is named for what it
is, and a zip container (docx, odt, epub) is refused from its directory alone, by the sizes its members declare,
before anything is unpacked. zipfile never yields more than a member's declared size (and checks the CRC), so a
member that lies about its size fails as a corrupt file instead of inflating.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from workbench.errors import InputError

#: Most a zip container may unpack to in all: far beyond any document's text, far below a machine's memory.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Members a container may hold; a book has hundreds, not tens of thousands.
MAX_MEMBERS = 10_000
#: A member this large that compresses better than :data:`MAX_RATIO` to one is a bomb: XML compresses 5-20 to one.
BOMB_MEMBER_BYTES = 1024 * 1024
MAX_RATIO = 200

_ZIP_KINDS = {
    "docx": "a Word document (.docx)",
    "odt": "an OpenDocument text (.odt)",
    "epub": "an EPUB book (.epub)",
}


def sniff(data: bytes) -> str | None:
    """What the bytes are, whatever the name says: ``pdf``, ``docx``, ``odt``, ``epub``, ``zip``, ``ole`` (old
    .doc, or an encrypted Office file), or None for anything else (text included)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" not in names and "META-INF/container.xml" in names and "content.xml" not in names:
                    return "epub"  # some tools leave out the EPUB's mimetype member; its container still says it
                if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                    mimetype = archive.read("mimetype").strip()
                    if mimetype == b"application/epub+zip":
                        return "epub"
                    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
                        return "odt"
        except Exception:  # any damage (bad header, unknown method or version, encryption): a zip, not a document
            return "zip"
        return "zip"
    return None


_DESCRIBE = {
    "pdf": "a PDF (.pdf)",
    "ole": "an old Word file (.doc) or a password-protected Office file",
    "zip": "a zip archive",
    **_ZIP_KINDS,
}


def describe(data: bytes) -> str | None:
    """What a binary file is, in words with its suffix (``a PDF (.pdf)``), None when it is none of ours."""
    found = sniff(data)
    return _DESCRIBE[found] if found in ("pdf", "docx", "odt", "epub") else None


def expect(data: bytes, name: str, kind: str) -> None:
    """Refuse ``data`` unless it is ``kind`` (``pdf``, ``docx``, ``odt``, ``epub``); a zip is checked for bombs."""
    if not data:
        raise InputError(f"{name} is empty: there is no text to read.")
    found = sniff(data)  # reads at most a zip's directory and its tiny "mimetype" member
    if found == kind:
        if kind in _ZIP_KINDS:
            check_zip(data, name)
        return
    if found == "ole" and kind in _ZIP_KINDS:
        raise InputError(
            f"{name} is password-protected (encrypted) or an old .doc file; remove the password or save it as "
            f"{_ZIP_KINDS[kind]} in Word or LibreOffice, then open that."
        )
    if found == "zip":
        check_zip(data, name)  # a damaged container says so; a sound one is some other zip
        raise InputError(f"{name} is a zip file but not {_DESCRIBE[kind]}: it is damaged or misnamed.")
    if found is not None:
        raise InputError(f"{name} is named like {_DESCRIBE[kind]} but is {_DESCRIBE[found]}; rename it to what it is.")
    raise InputError(f"{name} is not {_DESCRIBE[kind]} (it looks like text or another format): damaged or misnamed.")


def expect_text(data: bytes, name: str, what: str) -> None:
    """Refuse a binary file (a PDF, a Word file ...) named like a text format (``.html``, ``.srt`` ...)."""
    found = sniff(data)
    if found is not None:
        raise InputError(f"{name} is named like {what} but is {_DESCRIBE[found]}; rename it to what it is.")


def check_zip(data: bytes, name: str) -> None:
    """Refuse a zip container from its directory alone: too many members, too large unpacked, or a member that
    inflates like a bomb. Nothing is unpacked here."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:  # zipfile raises BadZipFile, OSError, ValueError, NotImplementedError ... on damage
        raise InputError(f"{name} is damaged: it is not a readable zip container (docx, odt and epub are).") from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{name} holds {len(infos):,} files; a document holds far fewer. Refused as unsafe.")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            f"{name} would unpack to {total / 1e6:,.0f} MB (the limit is {MAX_UNPACKED_BYTES / 1e6:.0f} MB): "
            "refused as a zip bomb."
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(f"{name} is encrypted; remove the password and save it again, then open that.")
        if info.file_size > BOMB_MEMBER_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"{name}: its part {info.filename!r} would inflate {info.file_size // max(info.compress_size, 1):,} "
                "times: refused as a zip bomb."
            )
