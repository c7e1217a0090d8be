"""Links between source and target sentences ("beads"), and the standard gold text format for them.

A bead lists 0-based sentence ids on each side: ``[6, 7]:[9]`` is a 2-1 link, ``[]:[22]`` a target sentence with
no source, ``[11]:[]`` a source sentence with no target. An optional ``:score`` may follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from workbench.errors import InputError


@dataclass(frozen=True)
class Bead:
    """One link. ``confidence`` is in [0, 1]: how sure the aligner is that this link is right."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 1.0
    evidence: float | None = field(default=None, compare=False, repr=False)
    """While the aligner works: the part of the link's final confidence that is its own, to which
    :func:`workbench.alignment.model.settle_confidences` adds its neighbours'. None once settled, and for skips."""

    @property
    def kind(self) -> str:
        """'1-1', '2-1', '0-1', ...: the link type reviewers filter on."""
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_skip(self) -> bool:
        return not self.src or not self.tgt


_BEAD = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*([-+0-9.eE]+))?\s*$")


def parse_bead(line: str) -> Bead:
    """Parse one gold-format line; raises :class:`InputError` on anything else."""
    match = _BEAD.match(line)
    if not match:
        raise InputError(f"not an alignment line (expected e.g. '[0, 1]:[2]'): {line.strip()[:60]!r}")
    src, tgt, score = match.groups()
    return Bead(_ids(src), _ids(tgt), float(score) if score else 1.0)


def read_beads(lines: Iterable[str]) -> list[Bead]:
    """Parse gold-format lines, skipping blank ones."""
    return [parse_bead(line) for line in lines if line.strip()]


def format_bead(bead: Bead, *, with_score: bool = False) -> str:
    text = f"[{', '.join(map(str, bead.src))}]:[{', '.join(map(str, bead.tgt))}]"
    return f"{text}:{bead.confidence:.4f}" if with_score else text


def check_beads(beads: Sequence[Bead], n_src: int, n_tgt: int) -> None:
    """Raise :class:`InputError` unless ``beads`` cover every sentence once, in order (a monotone alignment)."""
    next_src = next_tgt = 0
    for bead in beads:
        for side, ids, expected in (("source", bead.src, next_src), ("target", bead.tgt, next_tgt)):
            if ids and list(ids) != list(range(expected, expected + len(ids))):
                raise InputError(f"link {format_bead(bead)} is out of order: expected {side} id {expected} next.")
        next_src += len(bead.src)
        next_tgt += len(bead.tgt)
    if (next_src, next_tgt) != (n_src, n_tgt):
        raise InputError(
            f"the links cover {next_src}/{n_src} source and {next_tgt}/{n_tgt} target sentences, not all of them."
        )


def source_skips_first(beads: Sequence[Bead]) -> list[Bead]:
    """The same links with each run of unlinked sentences in one order: source sentences, then target ones.

    Where a 1-0 and a 0-1 link meet, either order is the same alignment; the aligner's path may take either.
    One order keeps a reviewer's unlinked pair where they left it when the rest is realigned.
    """
    out: list[Bead] = []
    run: list[Bead] = []
    for bead in [*beads, None]:
        if bead is not None and bead.is_skip:
            run.append(bead)
            continue
        out.extend(b for b in run if b.src)
        out.extend(b for b in run if not b.src)
        run = []
        if bead is not None:
            out.append(bead)
    return out


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.split(r"[,\s]+", text.strip()) if x)
