"""Apertium, the rule-based engine from Debian, where the ``apertium`` binary and its language pairs are installed.

Starting a process per sentence costs ~0.3 s, so a whole batch goes through one process: sentences are joined by
blank lines, which Apertium keeps as they are and its rules do not cross. The output is split on the same blank
lines; should a count ever differ, the batch is halved and retried until every sentence is matched, so sentence
boundaries are exact whatever the text holds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from functools import cached_property

from workbench.errors import ModelUnavailableError
from workbench.translation.base import RULE_BASED, EngineInfo, Progress, Suggestion, TranslationEngine, check_pair

# Apertium names languages by ISO 639-3 or 639-1 codes; the workbench speaks 639-1. Only the codes of pairs that
# Apertium ships are needed, so a short table is clearer than a dependency.
_TO_ISO1 = {
    "eng": "en", "spa": "es", "cat": "ca", "glg": "gl", "por": "pt", "fra": "fr", "ita": "it", "eus": "eu",
    "oci": "oc", "arg": "an", "ast": "ast", "ron": "ro", "deu": "de", "nld": "nl", "afr": "af", "swe": "sv",
    "dan": "da", "nob": "nb", "nno": "nn", "isl": "is", "hbs": "sh", "mkd": "mk", "bul": "bg", "bel": "be",
    "rus": "ru", "ukr": "uk", "pol": "pl", "ces": "cs", "slk": "sk", "slv": "sl", "epo": "eo", "cym": "cy",
    "gle": "ga", "bre": "br", "mlt": "mt", "ara": "ar", "heb": "he", "kaz": "kk", "tat": "tt", "urd": "ur",
    "hin": "hi", "ind": "id", "msa": "ms", "srd": "sc", "cos": "co", "fin": "fi", "sme": "se",
}  # fmt: skip

# Debian packages for pairs with English and through Spanish (../shared/docs/offline-models.md); shown to users
# who lack them.
DEBIAN_PAIRS = {
    "apertium-eng-spa": (("en", "es"), ("es", "en")),
    "apertium-eng-cat": (("en", "ca"), ("ca", "en")),
    "apertium-en-gl": (("en", "gl"), ("gl", "en")),
    "apertium-es-pt": (("es", "pt"), ("pt", "es")),
    "apertium-fr-es": (("fr", "es"), ("es", "fr")),
    "apertium-spa-ita": (("es", "it"), ("it", "es")),
}
DEBIAN_INSTALL = "apt-get install apertium " + " ".join(DEBIAN_PAIRS)

_SEPARATOR = "\n\n"
_MAX_BATCH_CHARS = 200_000  # keep one process's input and output comfortably in memory


class ApertiumEngine(TranslationEngine):
    name = "apertium"
    kind = RULE_BASED

    def __init__(self, binary: str = "apertium", timeout_s: float = 600) -> None:
        self.binary = binary
        self.timeout_s = timeout_s

    def unavailable_reason(self) -> str | None:
        if shutil.which(self.binary) is None:
            return f"the apertium program is not installed; on Debian/Ubuntu: {DEBIAN_INSTALL}"
        if not self._modes:
            return f"apertium has no language pairs installed; on Debian/Ubuntu: {DEBIAN_INSTALL}"
        return None

    @cached_property
    def _modes(self) -> dict[tuple[str, str], str]:
        """(src, tgt) -> Apertium mode, from ``apertium -l``; plain modes win over variants (eng-cat_valencia)."""
        if shutil.which(self.binary) is None:
            return {}
        try:
            listing = subprocess.run([self.binary, "-l"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return {}
        modes: dict[tuple[str, str], str] = {}
        for mode in sorted(listing.split(), key=lambda m: ("_" in m, m)):
            parts = mode.split("-")
            if len(parts) != 2:  # e.g. "eco-es-fr": auxiliary modes, not translation directions
                continue
            src, tgt = (_TO_ISO1.get(p.split("_")[0], p.split("_")[0]) for p in parts)
            if len(src) == 2 and len(tgt) == 2:
                modes.setdefault((src, tgt), mode)
        return modes

    def pairs(self) -> list[tuple[str, str]]:
        return sorted(self._modes)

    def info(self, src: str, tgt: str) -> EngineInfo:
        mode = self._modes.get((src, tgt), f"{src}-{tgt}")
        return EngineInfo(self.name, mode, self._version)

    @cached_property
    def _version(self) -> str:
        dpkg = shutil.which("dpkg-query")
        if dpkg:
            result = subprocess.run(
                [dpkg, "-W", "-f=${Version}", "apertium"], capture_output=True, text=True, check=False
            )
            if result.returncode == 0 and result.stdout:
                return result.stdout.strip()
        return "unknown"

    def translate(self, sentences: Sequence[str], src: str, tgt: str, progress: Progress | None = None) -> list[str]:
        check_pair(self, src, tgt)
        mode = self._modes[(src, tgt)]
        # A sentence with an inner blank line would be split by the separator: inner whitespace becomes one space.
        texts = [" ".join(s.split()) for s in sentences]
        out: list[str] = [""] * len(texts)
        done = 0
        for start, end in _batches(texts):
            for k, translated in zip(range(start, end), self._translate_exact(mode, texts[start:end]), strict=True):
                out[k] = translated
            done = end
            if progress:
                progress(done, len(texts))
        return out

    def _translate_exact(self, mode: str, texts: list[str]) -> list[str]:
        """Translate ``texts`` in one process; halve and retry where the output's boundaries do not match."""
        todo = [k for k, t in enumerate(texts) if t]
        result = [""] * len(texts)
        if not todo:
            return result
        pieces = self._run(mode, _SEPARATOR.join(texts[k] for k in todo))
        if len(pieces) == len(todo):
            for k, piece in zip(todo, pieces, strict=True):
                result[k] = piece
            return result
        if len(todo) == 1:  # one sentence: whatever came out is its translation
            result[todo[0]] = " ".join(" ".join(pieces).split())
            return result
        half = len(texts) // 2
        return self._translate_exact(mode, texts[:half]) + self._translate_exact(mode, texts[half:])

    def _run(self, mode: str, text: str) -> list[str]:
        try:
            completed = subprocess.run(
                [self.binary, "-u", mode],  # -u: unknown words as they are, without Apertium's "*" marks
                input=text,
                capture_output=True,
                text=True,
                timeout=self.timeout_s,
            )
        except subprocess.TimeoutExpired as exc:
            raise ModelUnavailableError(f"apertium {mode} did not finish within {self.timeout_s:.0f} s.") from exc
        if completed.returncode != 0:
            detail = " ".join(completed.stderr.split())[:200]
            raise ModelUnavailableError(
                f"apertium {mode} failed: {detail or 'exit status ' + str(completed.returncode)}"
            )
        return [p.strip() for p in re.split(r"\n\s*\n", completed.stdout.strip())] if completed.stdout.strip() else []

    def suggestions(self) -> list[Suggestion]:
        have = set(self.pairs())
        missing = [
            Suggestion(self.name, pairs, f"apt-get install apertium {package}")
            for package, pairs in DEBIAN_PAIRS.items()
            if not set(pairs) <= have
        ]
        return missing


def _batches(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Consecutive ranges whose joined text stays under the size limit."""
    ranges: list[tuple[int, int]] = []
    start, size = 0, 0
    for k, text in enumerate(texts):
        if k > start and size + len(text) > _MAX_BATCH_CHARS:
            ranges.append((start, k))
            start, size = k, 0
        size += len(text) + len(_SEPARATOR)
    if start < len(texts) or not texts:
        ranges.append((start, len(texts)))
    return [r for r in ranges if r[1] > r[0]]
