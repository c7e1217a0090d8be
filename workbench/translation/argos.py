"""Argos Translate: the installed ``.argosmodel`` packages, installing more, and batched translation.

We use argostranslate for what it is good at (finding and reading packages, their SentencePiece/BPE tokenizers,
installing) and drive each package's CTranslate2 model ourselves: the documents are already split into
sentences, so one ``translate_batch`` over all of them replaces argostranslate's per-call sentence splitting,
which downloads a splitter model at run time (fails offline) and translates paragraph by paragraph.
``argostranslate.translate`` (stanza, spaCy; ~7 s to import) is never imported.

Pivoting through English when no direct package exists is the router's job, as for every engine.
"""

from __future__ import annotations

import io
import json
import os
import socket
import tempfile
import threading
import urllib.request
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from workbench.errors import InputError, ModelUnavailableError
from workbench.translation.base import (
    NEURAL,
    EngineInfo,
    Progress,
    Suggestion,
    TranslationEngine,
    check_pair,
    in_length_batches,
)

INDEX_HOST = "raw.githubusercontent.com"
INDEX_URL = f"https://{INDEX_HOST}/argosopentech/argospm-index/main/index.json"
_BATCH = 16  # sentences a progress step; CTranslate2 batches by tokens inside it anyway


@dataclass(frozen=True)
class ArgosPackage:
    """An installed package, as the workbench lists it."""

    from_code: str
    to_code: str
    version: str
    path: Path

    @property
    def name(self) -> str:
        return f"translate-{self.from_code}_{self.to_code}"


class ArgosEngine(TranslationEngine):
    name = "argos"
    kind = NEURAL

    def __init__(self, packages_dir: Path | None = None, threads: int = 2, beam_size: int = 4) -> None:
        """``packages_dir``: where packages are installed; argostranslate's own folder when None
        (``$ARGOS_PACKAGES_DIR`` or ``~/.local/share/argos-translate/packages``)."""
        self._packages_dir = packages_dir
        self.threads = max(1, threads)
        self.beam_size = beam_size
        self._translators: dict[Path, Any] = {}
        self._lock = threading.Lock()

    # ---------------------------------------------------------------------------------------------- packages

    @property
    def packages_dir(self) -> Path:
        if self._packages_dir is not None:
            return self._packages_dir
        from argostranslate import settings

        return Path(settings.package_data_dir)

    def unavailable_reason(self) -> str | None:
        try:
            import argostranslate.package  # noqa: F401
            import ctranslate2  # noqa: F401
        except ImportError as exc:
            return f"argostranslate is not installed ({exc}); run ./setup.sh."
        if not self.packages():
            return (
                f"no Argos packages are installed in {self.packages_dir}; install an .argosmodel file (the app's "
                "Models page, or workbench engines --install FILE) or, with a network, from the Argos index."
            )
        return None

    def packages(self) -> list[ArgosPackage]:
        """Installed translation packages, newest version first for each pair."""
        folder = self.packages_dir
        if not folder.is_dir():
            return []
        found = []
        for child in sorted(folder.iterdir()):
            meta = _read_metadata(child / "metadata.json")
            if meta is None or meta.get("type", "translate") != "translate":
                continue
            if not (child / "model").is_dir() or not meta.get("from_code") or not meta.get("to_code"):
                continue
            found.append(ArgosPackage(meta["from_code"], meta["to_code"], str(meta.get("package_version", "")), child))
        return sorted(found, key=lambda p: (p.from_code, p.to_code, _version_key(p.version)), reverse=True)

    def pairs(self) -> list[tuple[str, str]]:
        return sorted({(p.from_code, p.to_code) for p in self.packages()})

    def _package(self, src: str, tgt: str) -> ArgosPackage:
        for package in self.packages():
            if (package.from_code, package.to_code) == (src, tgt):
                return package
        raise ModelUnavailableError(f"no Argos package {src}->{tgt} is installed in {self.packages_dir}.")

    def info(self, src: str, tgt: str) -> EngineInfo:
        package = self._package(src, tgt)
        return EngineInfo(self.name, package.name, package.version)

    def install_file(self, source: Path | str | bytes | BinaryIO, name: str | None = None) -> ArgosPackage:
        """Install an ``.argosmodel`` file (what a user downloaded), or its bytes or a stream of them (an upload:
        no temporary copy), after checking it; ``name`` names bytes or a stream in messages."""
        if isinstance(source, bytes | bytearray):
            source = io.BytesIO(source)
        if isinstance(source, str | Path):
            path = Path(source)
            if not path.is_file():
                raise InputError(f"{path}: no such file.")
            label: str = path.name
            archive_file: Path | BinaryIO = path
        else:
            label = Path(name).name if name else "the uploaded package"
            archive_file = source
        if not zipfile.is_zipfile(archive_file):
            raise InputError(f"{label} is not an Argos package (an .argosmodel file is a zip archive).")
        if not isinstance(archive_file, Path):
            archive_file.seek(0)  # is_zipfile read it
        with zipfile.ZipFile(archive_file) as archive:
            names = archive.namelist()
            tops = {n.split("/", 1)[0] for n in names}
            metas = [n for n in names if n.count("/") == 1 and n.endswith("/metadata.json")]
            if len(tops) != 1 or len(metas) != 1 or any(n.startswith("/") or ".." in n.split("/") for n in names):
                raise InputError(f"{label}: not an Argos package (expected one folder with a metadata.json).")
            top = tops.pop()
            try:
                meta = json.loads(archive.read(metas[0]))
            except ValueError as exc:
                raise InputError(f"{label}: its metadata.json is not valid JSON ({exc}).") from exc
            if not meta.get("from_code") or not meta.get("to_code"):
                raise InputError(f"{label}: metadata.json names no from_code/to_code.")
            if not any(n.startswith(f"{top}/model/") for n in names):
                raise InputError(f"{label}: the package has no model/ folder (CTranslate2 weights).")
            target = self.packages_dir
            target.mkdir(parents=True, exist_ok=True)
            # Unpack beside the destination, then rename: a failed unpack never leaves half a package installed.
            with tempfile.TemporaryDirectory(dir=target, prefix=".installing-") as staging:
                archive.extractall(staging)
                final = target / top
                if final.exists():
                    _remove_tree(final)
                os.replace(Path(staging) / top, final)
        with self._lock:
            self._translators.pop(final, None)
        return ArgosPackage(meta["from_code"], meta["to_code"], str(meta.get("package_version", "")), final)

    def install_from_index(
        self, src: str, tgt: str, progress: Callable[[int, int], None] | None = None
    ) -> ArgosPackage:
        """Download and install the index's package for a pair. Needs a network; says so within seconds if none."""
        if not network_available():
            raise ModelUnavailableError(
                f"no network: the Argos package index ({INDEX_HOST}) cannot be reached from this machine. Download "
                f"translate-{src}_{tgt}.argosmodel on a machine with a network and install the file instead."
            )
        with urllib.request.urlopen(INDEX_URL, timeout=20) as response:
            index = json.load(response)
        candidates = [m for m in index if m.get("from_code") == src and m.get("to_code") == tgt]
        if not candidates:
            raise ModelUnavailableError(f"the Argos index has no {src}->{tgt} package.")
        meta = max(candidates, key=lambda m: _version_key(str(m.get("package_version", ""))))
        links = meta.get("links") or []
        if not links:
            raise ModelUnavailableError(f"the Argos index lists {src}->{tgt} without a download link.")
        with tempfile.TemporaryDirectory() as tmp:
            file = Path(tmp) / f"translate-{src}_{tgt}.argosmodel"
            _download(links[0], file, progress)
            return self.install_file(file)

    def suggestions(self) -> list[Suggestion]:
        return [
            Suggestion(
                self.name,
                (),
                "any pair from the Argos index: with a network `argospm install translate-en_de` (or the app's "
                "Models page); without one, download the .argosmodel elsewhere and install the file",
            )
        ]

    # ---------------------------------------------------------------------------------------------- translate

    def translate(self, sentences: Sequence[str], src: str, tgt: str, progress: Progress | None = None) -> list[str]:
        check_pair(self, src, tgt)
        package = self._package(src, tgt)
        translator, tokenizer, prefix = self._load(package.path)

        def run(texts: list[str]) -> list[str]:
            tokens = [tokenizer.encode(text) for text in texts]
            results = translator.translate_batch(
                tokens,
                target_prefix=[[prefix]] * len(texts) if prefix else None,
                beam_size=self.beam_size,
                max_batch_size=_BATCH,
                replace_unknowns=True,
                max_decoding_length=max(16, 3 * max(len(t) for t in tokens)),
            )
            values = []
            for result in results:
                value = tokenizer.decode(result.hypotheses[0])
                if prefix and value.startswith(prefix):
                    value = value[len(prefix) :]
                values.append(value.strip())
            return values

        return in_length_batches(sentences, _BATCH, run, progress)

    def _load(self, path: Path) -> tuple[Any, Any, str]:
        with self._lock:
            if path not in self._translators:
                import ctranslate2
                from argostranslate.package import Package

                package = Package(path)
                if not hasattr(package, "tokenizer"):
                    raise ModelUnavailableError(f"the Argos package in {path} has no tokenizer model.")
                # compute_type "auto" as argostranslate sets it: int8 where the CPU supports it (the speed users
                # of Argos get), the model's own type elsewhere.
                translator = ctranslate2.Translator(
                    str(path / "model"), device="cpu", inter_threads=1, intra_threads=self.threads, compute_type="auto"
                )
                self._translators[path] = (translator, package.tokenizer, package.target_prefix)
            return self._translators[path]


def network_available(host: str = INDEX_HOST, timeout_s: float = 3.0) -> bool:
    """Can this machine open a connection to ``host``? Answers within ``timeout_s`` (DNS included, mostly)."""
    try:
        with socket.create_connection((host, 443), timeout=timeout_s):
            return True
    except OSError:
        return False


def _download(url: str, file: Path, progress: Callable[[int, int], None] | None) -> None:
    with urllib.request.urlopen(url, timeout=30) as response, open(file, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        while chunk := response.read(1 << 20):
            out.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total or done)


def _read_metadata(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path)
