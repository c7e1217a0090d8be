"""Sub-commands of translation: translate, engines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.cli.common import check_language, clip, language_codes, progress_bar, read_document
from workbench.errors import WorkbenchError
from workbench.writing import write_bytes_atomic

if TYPE_CHECKING:
    from workbench.translation.cache import TranslationCache


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("translate", help="translate a document offline into one or more languages")
    p.add_argument(
        "file",
        help="a document (.txt, .md, .docx, .srt, .vtt, ...) or a seed name (e.g. kosovo-dialogue); a .docx, .srt "
        "or .vtt is translated into the same form (its styles, its cue times)",
    )
    p.add_argument("--from", dest="src_lang", help="source language (ISO 639-1); front matter if omitted")
    p.add_argument("--to", dest="tgt_langs", required=True, help="target languages, comma-separated: pt,es,fr")
    p.add_argument("--engine", help="only this engine (argos, opus-mt, bergamot, apertium); default: best route or pin")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        help="folder for DIR/<name>.<lang>.txt (.docx/.srt/.vtt for those) (default: here)",
    )
    p.add_argument("--no-cache", action="store_true", help="do not read or write the translation cache")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_translate)

    p = sub.add_parser(
        "engines",
        help="list the translation engines and pairs; install models; compare routes; pin an engine to a pair",
    )
    p.add_argument(
        "--install",
        type=Path,
        metavar="FILE_OR_FOLDER",
        help="install a model: a Firefox Translations/Bergamot folder or .tar.gz, a CTranslate2 OPUS-MT folder, "
        "or an .argosmodel file",
    )
    p.add_argument("--remove", metavar="NAME", help="uninstall an installed model (its folder name, as listed)")
    p.add_argument("--from", dest="src_lang", help="source language: of --compare, or of --install when unstated")
    p.add_argument("--to", dest="tgt_lang", help="target language: of --compare, or of --install when unstated")
    p.add_argument("--compare", action="store_true", help="translate sample sentences through every route --from --to")
    p.add_argument("--file", help="--compare: a document or seed in the --from language (default: a seed in it)")
    p.add_argument("--sentences", type=int, default=20, help="--compare: how many of its sentences (default 20)")
    p.add_argument("--pin", metavar="SRC-TGT=ENGINE", help="always translate a pair with one engine (en-pt=opus-mt)")
    p.add_argument("--unpin", metavar="SRC-TGT", help="let the best route translate a pair again")
    p.add_argument("--install-argos", type=Path, metavar="FILE", help="install an .argosmodel package file")
    p.add_argument("--download-argos", metavar="SRC-TGT", help="download and install an Argos package (network)")
    p.set_defaults(handler=_cmd_engines)


def route_progress(quiet: bool):
    """The command line's face of a translation: the route on stderr and a tqdm bar (an ``OnRoute`` hook)."""

    def started(route):
        if not quiet:
            print(f"{route.src}->{route.tgt}: {route.describe()}", file=sys.stderr)
        return progress_bar(quiet, f"{route.src}->{route.tgt}")

    return started


def translation_cache() -> TranslationCache:
    from workbench.paths import default_cache_dir
    from workbench.translation.cache import TranslationCache

    return TranslationCache(default_cache_dir() / "translations.sqlite")


def _cmd_translate(args: argparse.Namespace) -> int:
    from workbench.workflows.translation import translate_into, translated_file

    langs = language_codes(args.tgt_langs, "--to")  # every code checked before the first translation
    doc = read_document(args.file, args.src_lang, False)
    cache = None if args.no_cache else translation_cache()
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for done in translate_into(doc, langs, engine=args.engine, cache=cache, on_route=route_progress(args.quiet)):
        if done.result is None:
            failures += 1
            print(f"workbench: error: {done.error}", file=sys.stderr)
            continue
        try:
            name, data = translated_file(doc, done.result)  # a subtitle or Word source: in the same form
            path = args.out / name
            write_bytes_atomic(path, data)
        except WorkbenchError as exc:
            failures += 1
            print(f"workbench: error: {doc.lang}->{done.lang}: {' '.join(str(exc).split())}", file=sys.stderr)
            continue
        document = done.result.document
        print(f"{path}\t{len(document.paragraphs)} paragraphs, {len(document.sentences)} sentences")
    return 2 if failures else 0


def _cmd_engines(args: argparse.Namespace) -> int:
    from workbench.paths import default_models_dir
    from workbench.translation.argos import ArgosEngine
    from workbench.translation.router import Router

    models_dir = default_models_dir()
    for code, option in ((args.src_lang, "--from"), (args.tgt_lang, "--to")):
        if code:
            check_language(code, option)
    if args.install:
        _install(args.install, models_dir, args.src_lang, args.tgt_lang)
    if args.remove:
        from workbench.translation.installed import remove_model

        removed = remove_model(models_dir, args.remove)
        print(f"removed {removed.label()}")
    if args.pin or args.unpin:
        _pin(models_dir, args.pin, args.unpin)
    if args.compare:
        return _compare(args, models_dir)
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
    router = Router(models_dir=models_dir)
    print("engines:")
    for engine in router.all_engines:
        reason = engine.unavailable_reason()
        state = f"{len(engine.pairs())} direct pairs" if reason is None else f"unavailable: {reason}"
        print(f"  {engine.name:9s} {engine.kind:10s} {state}")
    from workbench.translation.installed import installed_models

    models = installed_models(models_dir)
    if models:
        print(f"\nmodels installed in {models_dir} (--remove NAME):")
        for model in models:
            print(f"  {model.path.name:24s} {model.kind:9s} {model.src}->{model.tgt}  {model.name}")
    pairs = router.available_pairs()
    print(f"\npairs this machine translates ({len(pairs)}):")
    for (src, tgt), route in sorted(pairs.items()):
        path = "->".join([src, *(s.tgt for s in route.steps)])
        engines = "+".join(route.engines)
        pinned = "  (pinned)" if (src, tgt) in router.pins else ""
        print(f"  {src}->{tgt}  {route.kind:16s} {engines:18s} {path}{pinned}")
    stale = [f"{s}->{t}={e}" for (s, t), e in sorted(router.pins.items()) if (s, t) not in pairs]
    if stale:
        print(f"\npinned to an engine that cannot translate them here: {', '.join(stale)} (--unpin SRC-TGT)")
    tips = router.suggestions()
    if tips:
        print("\nto translate more:")
        for tip in tips:
            pairs_text = ", ".join(f"{s}->{t}" for s, t in tip.pairs)
            print(f"  {tip.engine}: {tip.how}" + (f"  ({pairs_text})" if pairs_text else ""))
    return 0


def _install(path: Path, models_dir: Path, src: str | None, tgt: str | None) -> None:
    """Check and install one model; print its new pairs. Errors are the user's to fix and say how."""
    from workbench.translation.installed import install_model
    from workbench.translation.router import Router

    before = set(Router(models_dir=models_dir).available_pairs())
    print(f"checking {path.name} (files, languages, a test sentence) ...", file=sys.stderr)
    model, sample = install_model(path, models_dir, src, tgt)
    print(f"installed {model.kind} model {model.name}: {model.src}->{model.tgt} in {model.path}")
    if sample:
        print(f"  test sentence: {sample}")
    new = sorted(set(Router(models_dir=models_dir).available_pairs()) - before)
    print(f"  new pairs ({len(new)}): {', '.join(f'{s}->{t}' for s, t in new) or 'none (it replaces a route)'}")


def _parse_pair(text: str, option: str) -> tuple[str, str]:
    src, _, tgt = text.strip().partition("-")
    if not src or not tgt:
        raise WorkbenchError(f"{option} takes a pair like en-pt.")
    return check_language(src, option), check_language(tgt, option)


def _pin(models_dir: Path, pin: str | None, unpin: str | None) -> None:
    from workbench.translation.installed import load_pins, save_pins
    from workbench.translation.router import default_engines

    pins = load_pins(models_dir)
    if unpin:
        pair = _parse_pair(unpin, "--unpin")
        if pins.pop(pair, None) is None:
            raise WorkbenchError(f"{pair[0]}-{pair[1]} is not pinned.")
        print(f"unpinned {pair[0]}-{pair[1]}: the best route translates it")
    if pin:
        pair_text, _, engine = pin.partition("=")
        pair = _parse_pair(pair_text, "--pin")
        names = [e.name for e in default_engines(models_dir=models_dir)]
        if engine not in names:
            raise WorkbenchError(f"--pin takes SRC-TGT=ENGINE; engines are: {', '.join(names)}.")
        pins[pair] = engine
        print(f"pinned {pair[0]}-{pair[1]} to {engine}")
    save_pins(models_dir, pins)


def _compare(args: argparse.Namespace, models_dir: Path) -> int:
    from workbench.translation.compare import compare_routes
    from workbench.translation.router import Router

    if not args.src_lang or not args.tgt_lang:
        raise WorkbenchError("--compare needs --from and --to, e.g. --compare --from en --to pt.")
    if args.sentences < 1:
        raise WorkbenchError("--sentences must be at least 1.")
    source = args.file or _seed_in(args.src_lang)
    sentences = read_document(source, args.src_lang, False).sentence_texts()[: args.sentences]
    router = Router(models_dir=models_dir)
    bar, close = progress_bar(False, f"routes {args.src_lang}->{args.tgt_lang}", unit="route")
    try:
        results, back = compare_routes(
            router, args.src_lang, args.tgt_lang, sentences, progress=(lambda d, t, _w: bar(d, t)) if bar else None
        )
    finally:
        close()
    print(f"{len(sentences)} sentences of {source}; round trip back by {back.describe()}\n")
    print(f"  {'through':12s} {'engines':20s} {'kind':16s} {'chrF':>6s} {'untranslated':>12s} {'sent/s':>7s}")
    for result in results:
        route = result.route
        through = "->".join([route.src, *(s.tgt for s in route.steps)])
        print(
            f"  {through:12s} {'+'.join(route.engines):20s} {route.kind:16s} {result.chrf:6.1f} "
            f"{result.untranslated:>12d} {result.sentences_per_second:7.1f}"
        )
    print(
        "\nchrF: the round trip's, against the sentences (a route that leaves words untranslated gets them back "
        "as they were);\nuntranslated: sentences that keep words of the source language."
    )
    print("\nmodels:")
    for result in results:
        print(f"  {'+'.join(result.route.engines)}: {', '.join(i.label() for i in result.route.infos())}")
    print("\nfirst sentence:")
    print(f"  source: {clip(sentences[0])}")
    for result in results:
        print(f"  {'+'.join(result.route.engines)}: {clip(result.translations[0])}")
    print(f"\npin one with `workbench engines --pin {args.src_lang}-{args.tgt_lang}=ENGINE`")
    return 0


def _seed_in(lang: str) -> str:
    """A shipped seed document written in ``lang``: the sample --compare uses when given no --file."""
    from workbench.documents import load_document
    from workbench.seeds import list_seeds

    for name in list_seeds():
        if load_document(name).lang == lang:
            return name
    raise WorkbenchError(f"no shipped seed document is in {lang}; give --file with a document in {lang}.")
