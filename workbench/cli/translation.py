"""Sub-commands of translation: translate, engines."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.cli.common import language_codes, progress_bar, read_document
from workbench.errors import WorkbenchError
from workbench.writing import write_text_atomic

if TYPE_CHECKING:
    from workbench.documents import Document
    from workbench.translation.cache import TranslationCache
    from workbench.translation.documents import TranslatedDocument


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("translate", help="translate a document offline into one or more languages")
    p.add_argument("file", help="a .txt/.md file or a seed name (e.g. kosovo-dialogue)")
    p.add_argument("--from", dest="src_lang", help="source language (ISO 639-1); front matter if omitted")
    p.add_argument("--to", dest="tgt_langs", required=True, help="target languages, comma-separated: pt,es,fr")
    p.add_argument("--engine", help="use only this engine (argos, bergamot, apertium); default: the best route")
    p.add_argument("--out", type=Path, default=Path("."), help="folder for DIR/<name>.<lang>.txt (default: here)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the translation cache")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_translate)

    p = sub.add_parser("engines", help="list the translation engines and the pairs this machine can translate")
    p.add_argument("--install-argos", type=Path, metavar="FILE", help="install an .argosmodel package file")
    p.add_argument("--download-argos", metavar="SRC-TGT", help="download and install an Argos package (network)")
    p.set_defaults(handler=_cmd_engines)


def translate_each(
    doc: Document, langs: list[str], engine: str | None, quiet: bool, cache: TranslationCache | None
) -> Iterator[tuple[str, TranslatedDocument | None]]:
    """Translate ``doc`` into each language in turn, with a progress bar; a pair that cannot be translated is one
    error line on stderr and yields None, and the other languages still go on."""
    from workbench.translation.documents import translate_document
    from workbench.translation.router import Router

    router = Router()
    for lang in langs:
        try:
            route = router.route(doc.lang, lang, engine=engine)
            if not quiet:
                print(f"{doc.lang}->{lang}: {route.describe()}", file=sys.stderr)
            update, close = progress_bar(quiet, f"{doc.lang}->{lang}")
            try:
                result = translate_document(doc, route, cache=cache, progress=update)
            finally:
                close()
        except WorkbenchError as exc:
            print(f"workbench: error: {doc.lang}->{lang}: {' '.join(str(exc).split())}", file=sys.stderr)
            result = None
        yield lang, result


def translation_cache() -> TranslationCache:
    from workbench.paths import default_cache_dir
    from workbench.translation.cache import TranslationCache

    return TranslationCache(default_cache_dir() / "translations.sqlite")


def _cmd_translate(args: argparse.Namespace) -> int:
    langs = language_codes(args.tgt_langs, "--to")  # every code checked before the first translation
    doc = read_document(args.file, args.src_lang, False)
    cache = None if args.no_cache else translation_cache()
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for lang, result in translate_each(doc, langs, args.engine, args.quiet, cache):
        if result is None:
            failures += 1
            continue
        path = args.out / f"{doc.name}.{lang}.txt"
        try:
            write_text_atomic(path, result.text)
        except WorkbenchError as exc:
            failures += 1
            print(f"workbench: error: {doc.lang}->{lang}: {' '.join(str(exc).split())}", file=sys.stderr)
            continue
        print(f"{path}\t{len(result.document.paragraphs)} paragraphs, {len(result.document.sentences)} sentences")
    return 2 if failures else 0


def _cmd_engines(args: argparse.Namespace) -> int:
    from workbench.translation.argos import ArgosEngine
    from workbench.translation.router import Router

    if args.install_argos:
        package = ArgosEngine().install_file(args.install_argos)
        print(f"installed Argos package {package.name} {package.version} in {package.path}")
    if args.download_argos:
        src, _, tgt = args.download_argos.partition("-")
        if not src or not tgt:
            raise WorkbenchError("--download-argos takes a pair like en-de.")
        update, close = progress_bar(False, f"argos {src}->{tgt}", unit="B")
        try:
            package = ArgosEngine().install_from_index(src, tgt, progress=update)
        finally:
            close()
        print(f"installed Argos package {package.name} {package.version} in {package.path}")
    router = Router()
    print("engines:")
    for engine in router.all_engines:
        reason = engine.unavailable_reason()
        state = f"{len(engine.pairs())} direct pairs" if reason is None else f"unavailable: {reason}"
        print(f"  {engine.name:9s} {engine.kind:10s} {state}")
    pairs = router.available_pairs()
    print(f"\npairs this machine translates ({len(pairs)}):")
    for (src, tgt), route in sorted(pairs.items()):
        path = "->".join([src, *(s.tgt for s in route.steps)])
        engines = "+".join(route.engines)
        print(f"  {src}->{tgt}  {route.kind:16s} {engines:18s} {path}")
    tips = router.suggestions()
    if tips:
        print("\nto translate more:")
        for tip in tips:
            pairs_text = ", ".join(f"{s}->{t}" for s, t in tip.pairs)
            print(f"  {tip.engine}: {tip.how}" + (f"  ({pairs_text})" if pairs_text else ""))
    return 0
