"""OPUS-MT models converted to CTranslate2 (``ct2-transformers-converter`` output), installed by the user.

Each folder holds ``model.bin`` and the model's own SentencePiece models (``source.spm``, ``target.spm``), as
Hugging Face's MarianTokenizer uses them: source pieces plus ``</s>`` in, target pieces out. The sentences come
already split, so one ``translate_batch`` call per chunk translates them, as the Argos engine does; ctranslate2
and sentencepiece come with argostranslate.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbench.translation.base import (
    NEURAL,
    EngineInfo,
    Progress,
    Suggestion,
    TranslationEngine,
    check_pair,
    in_length_batches,
)
from workbench.translation.installed import OPUS_MT, InstalledModel, installed_models

_BATCH = 16  # sentences a progress step; CTranslate2 batches by tokens inside it anyway


class OpusMTEngine(TranslationEngine):
    name = "opus-mt"
    kind = NEURAL

    def __init__(self, models_dir: Path | None = None, threads: int = 2, beam_size: int = 4) -> None:
        """``models_dir``: the user's installed models; None lists none (an install still tests one)."""
        self.models_dir = models_dir
        self.threads = max(1, threads)
        self.beam_size = beam_size
        self._loaded: dict[Path, tuple[Any, Any, Any]] = {}
        self._lock = threading.Lock()

    def models(self) -> list[InstalledModel]:
        return installed_models(self.models_dir, OPUS_MT) if self.models_dir is not None else []

    def unavailable_reason(self) -> str | None:
        try:
            import ctranslate2  # noqa: F401
            import sentencepiece  # noqa: F401
        except ImportError as exc:
            return f"ctranslate2/sentencepiece are not installed ({exc}); run ./setup.sh."
        if not self.models():
            return (
                "no OPUS-MT models are installed; convert one with ct2-transformers-converter and install the "
                "folder (workbench engines --install FOLDER, or the app's Models page)."
            )
        return None

    def pairs(self) -> list[tuple[str, str]]:
        return sorted({(m.src, m.tgt) for m in self.models()})

    def _model(self, src: str, tgt: str) -> InstalledModel:
        check_pair(self, src, tgt)
        return next(m for m in self.models() if (m.src, m.tgt) == (src, tgt))

    def info(self, src: str, tgt: str) -> EngineInfo:
        model = self._model(src, tgt)
        from importlib import metadata

        version = f"ctranslate2 {metadata.version('ctranslate2')}, installed {model.installed}"
        return EngineInfo(self.name, f"{model.name} ({model.path.name})", version)

    def suggestions(self) -> list[Suggestion]:
        return [
            Suggestion(
                self.name,
                (),
                "an OPUS-MT model (Helsinki-NLP/opus-mt-SRC-TGT) converted on a machine with a network: "
                "`ct2-transformers-converter --model Helsinki-NLP/opus-mt-en-de --output_dir opus-mt-en-de "
                "--copy_files source.spm target.spm tokenizer_config.json`, then `workbench engines --install "
                "opus-mt-en-de`",
            )
        ]

    def translate(self, sentences: Sequence[str], src: str, tgt: str, progress: Progress | None = None) -> list[str]:
        return self.translate_with(self._model(src, tgt), sentences, progress, keep=True)

    def translate_with(
        self, model: InstalledModel, sentences: Sequence[str], progress: Progress | None = None, keep: bool = False
    ) -> list[str]:
        """Translate with one model folder; ``keep`` holds it loaded for the next call (installed models only)."""
        translator, source_sp, target_sp = self._load(model.path)
        try:
            return self._run(translator, source_sp, target_sp, model.target_token, sentences, progress)
        finally:
            if not keep:
                with self._lock:
                    self._loaded.pop(model.path, None)

    def _run(
        self,
        translator: Any,
        source_sp: Any,
        target_sp: Any,
        target_token: str,
        sentences: Sequence[str],
        progress: Progress | None,
    ) -> list[str]:
        """The sentences through a loaded model, a batch at a time (:func:`in_length_batches`)."""

        def run(texts: list[str]) -> list[str]:
            lead = [target_token] if target_token else []
            tokens = [[*lead, *source_sp.encode(text, out_type=str), "</s>"] for text in texts]
            results = translator.translate_batch(
                tokens,
                beam_size=self.beam_size,
                max_batch_size=_BATCH,
                max_decoding_length=max(16, 3 * max(len(t) for t in tokens)),
            )
            pieces = [[p for p in result.hypotheses[0] if p not in ("</s>", "<pad>")] for result in results]
            return [target_sp.decode_pieces(piece).strip() for piece in pieces]

        return in_length_batches(sentences, _BATCH, run, progress)

    def _load(self, folder: Path) -> tuple[Any, Any, Any]:
        with self._lock:
            if folder not in self._loaded:
                import ctranslate2
                import sentencepiece

                translator = ctranslate2.Translator(
                    str(folder), device="cpu", inter_threads=1, intra_threads=self.threads, compute_type="auto"
                )
                source_sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
                target_sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
                self._loaded[folder] = (translator, source_sp, target_sp)
            return self._loaded[folder]
