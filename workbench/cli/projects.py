"""Sub-commands of saved projects: ``workbench project new | list | show | delete``.

Projects live in ``alignments/`` (``WORKBENCH_ALIGNMENTS`` moves it); everything here is a thin layer over
:mod:`workbench.projects`, which the app uses too.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.cli.common import (
    alignment_progress,
    clip,
    embedding_options,
    language_codes,
    load_embedder,
    read_document,
)
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.projects import Project
    from workbench.workflows.translation import OnAlign


def register(sub: argparse._SubParsersAction) -> None:
    project = sub.add_parser("project", help="saved alignment projects: create, list, show, delete")
    actions = project.add_subparsers(metavar="ACTION")
    project.set_defaults(handler=lambda _args: project.print_help() or 0)

    p = actions.add_parser("new", help="create a project from a source document and align targets to it")
    p.add_argument("name", help="the project's name: a folder in the alignments folder")
    p.add_argument("--source", required=True, help="a .txt/.md file or a seed name (e.g. kosovo-dialogue)")
    p.add_argument("--from", dest="src_lang", help="source language (ISO 639-1); front matter if omitted")
    p.add_argument(
        "--target",
        dest="targets",
        action=_TargetFile,
        default=[],
        metavar="FILE",
        help="a translation to align; repeat",
    )
    p.add_argument(
        "--lang", dest="targets", action=_TargetSetting, metavar="XX", help="language of the --target before it"
    )
    p.add_argument(
        "--key",
        dest="targets",
        action=_TargetSetting,
        metavar="KEY",
        help="key of the --target before it (default: its language; pt-2 for a second pt)",
    )
    p.add_argument(
        "--translate",
        metavar="LANGS",
        help="translate the source offline into these languages (pt,es,fr) and align each as a target",
    )
    p.add_argument("--engine", help="with --translate: use only this engine (argos, bergamot, apertium)")
    p.add_argument("--no-refine", action="store_true", help="skip the aligner's second pass")
    embedding_options(p)
    p.set_defaults(handler=_cmd_new)

    p = actions.add_parser("list", help="list the saved projects with their targets and review progress")
    p.set_defaults(handler=_cmd_list)

    p = actions.add_parser("show", help="a project's summary and its links with their confidence")
    p.add_argument("name")
    p.add_argument("--lang", dest="keys", action="append", metavar="KEY", help="only this target (repeat for more)")
    p.add_argument("--width", type=int, default=100, help="clip sentences to this many characters (0: never)")
    p.set_defaults(handler=_cmd_show)

    p = actions.add_parser("delete", help="delete a project and everything in its folder")
    p.add_argument("name")
    p.add_argument("--yes", action="store_true", help="do not ask first")
    p.set_defaults(handler=_cmd_delete)

    from workbench.formats import FORMATS, READ_ONLY_FORMATS
    from workbench.workflows.export import DOCUMENT_FORMATS

    p = sub.add_parser(
        "export",
        help="export a project's links as an aligned corpus (TMX, XLIFF, TSV, Moses, JSONL), or a project made from "
        "a subtitle or Word file back as .srt/.vtt/.docx",
    )
    p.add_argument("name", help="the project")
    p.add_argument(
        "--lang",
        dest="keys",
        action="append",
        metavar="KEY",
        help="the target to export (default: the only one); repeat with --format tmx for one multilingual TMX",
    )
    p.add_argument(
        "--format",
        dest="fmt",
        choices=[*FORMATS, *DOCUMENT_FORMATS],
        default="tmx",
        help="srt/vtt: the target text on the source's cue times; docx: the source's styles (projects made from "
        "such files)",
    )
    p.add_argument("--confirmed-only", action="store_true", help="only links a reviewer approved (confirmed)")
    p.add_argument("--min-confidence", type=_share, metavar="X", help="only links of at least this confidence (0 to 1)")
    p.add_argument("--no-unpaired", action="store_true", help="leave out 0-n and n-0 links")
    p.add_argument("--out", type=Path, help="file to write (default: in the project's folder in alignments/)")
    p.add_argument("--force", action="store_true", help="replace the file (or symbolic link) if it exists")
    p.set_defaults(handler=_cmd_export)

    p = sub.add_parser(
        "import",
        help="make a project from a corpus (TMX, XLIFF, TSV, Moses, JSONL) or align a source and its translation",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="a corpus file; or SOURCE TRANSLATION (documents); "
                   "or SOURCE.xx TARGET.yy Moses files")  # fmt: skip
    p.add_argument("--name", help="the project to create (default: from the file name)")
    p.add_argument("--into", metavar="PROJECT", help="add the target to this existing project instead")
    p.add_argument("--key", help="the new target's key (default: its language)")
    p.add_argument(
        "--format",
        dest="fmt",
        choices=[*FORMATS, *READ_ONLY_FORMATS],
        help="the corpus format (default: from the suffix)",
    )
    p.add_argument("--from", dest="src_lang", help="source language (ISO 639-1) where the file does not say")
    p.add_argument("--to", dest="tgt_lang", help="target language (ISO 639-1) where the file does not say")
    p.add_argument("--presplit", action="store_true", help="two documents of one sentence a line, taken as given")
    p.add_argument("--no-refine", action="store_true", help="skip the aligner's second pass")
    embedding_options(p)
    p.set_defaults(handler=_cmd_import)


def _share(text: str) -> float:
    """A number from 0 to 1 (argparse's ``float`` takes 'nan', which no confidence is at least: 0 links, no word)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:  # False for nan too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1 (e.g. 0.8)")
    return value


class _TargetFile(argparse.Action):
    """``--target FILE`` starts a new target; ``--lang``/``--key`` after it describe that target."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None
    ) -> None:
        targets = [*getattr(namespace, self.dest, []), {"file": values, "lang": None, "key": None}]
        setattr(namespace, self.dest, targets)


class _TargetSetting(argparse.Action):
    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None
    ) -> None:
        targets = getattr(namespace, self.dest, [])
        setting = str(option).lstrip("-")
        if not targets:
            parser.error(f"{option} describes a target: put it after the --target FILE it belongs to.")
        if targets[-1][setting] is not None:
            parser.error(f"{option} is given twice for --target {targets[-1]['file']}.")
        targets[-1][setting] = values


def _root() -> Path:
    from workbench.paths import default_alignments_dir

    return default_alignments_dir()


def _cmd_new(args: argparse.Namespace) -> int:
    from workbench.projects import PROJECT_FILE, ProjectExistsError, create_project, delete_project, project_dir
    from workbench.projects.model import check_target_key
    from workbench.workflows.translation import add_translation, translate_project

    root = _root()
    if (project_dir(args.name, root, new=True) / PROJECT_FILE).exists():  # before reading files and loading the model
        raise ProjectExistsError(f"there is already a project named {args.name!r} in {root}; choose another name.")
    langs = language_codes(args.translate, "--translate") if args.translate else []  # bad codes fail before work
    # Read everything first, so that a missing file fails before a project exists.
    source = read_document(args.source, args.src_lang, False)
    targets = []
    for spec in args.targets:
        if spec["key"] is not None:
            check_target_key(spec["key"])
        targets.append((read_document(spec["file"], spec["lang"], False), spec["key"]))
    embedder = load_embedder(args) if targets or langs else None
    project = create_project(args.name, source, root)
    on_align = _alignment_hook(args, embedder)
    failures = 0
    try:
        for document, key in targets:
            add_translation(project, document, embedder, key, refine=not args.no_refine, on_align=on_align)
        if langs:
            # The one translate-then-align workflow (the app's too): from the project's source, paragraphs kept.
            from workbench.cli.translation import route_progress, translation_cache

            added = translate_project(
                project,
                langs,
                embedder,
                engine=args.engine,
                cache=translation_cache(),
                refine=not args.no_refine,
                on_route=route_progress(args.quiet),
                on_align=on_align,
            )
            for done in added:
                if done.error:  # a pair that cannot be translated is one line; the others still go on
                    failures += 1
                    print(f"workbench: error: {done.error}", file=sys.stderr)
            if not project.targets:
                raise WorkbenchError(
                    "none of the --translate languages can be translated here (see above); nothing made."
                )
    except BaseException:
        delete_project(args.name, root)  # a project is made whole or not at all: rerunning the command works
        raise
    print(f"created project {project.name} in {project.path.parent}")
    _print_summary(project)
    return 2 if failures else 0


def _alignment_hook(args: argparse.Namespace, embedder: Any) -> OnAlign:
    """The command line's face of an alignment: its estimate printed, then one tqdm bar with the time left."""

    def started(label: str, src: Sequence[str], tgt: Sequence[str], reader: Any) -> tuple[Any, Callable[[], None]]:
        return alignment_progress(args.quiet, label, src, tgt, reader, refine=not args.no_refine)

    return started


def _cmd_list(args: argparse.Namespace) -> int:
    from workbench.projects import list_projects

    root = _root()
    summaries = list_projects(root)
    if not summaries:
        print(f"no projects in {root} (make one: workbench project new NAME --source FILE --target FILE)")
        return 0
    width = max(len(s.name) for s in summaries)
    for s in summaries:
        if s.error:
            print(f"{s.name:{width}s}  UNREADABLE: {s.error}")
            continue
        targets = "; ".join(
            f"{t.key} {t.links} links, {t.confirmed} confirmed, {t.flagged} flagged, {t.to_review} to review"
            + (f" ({t.manual} made by hand)" if t.manual else "")
            for t in s.targets
        )
        print(f"{s.name:{width}s}  {s.source_lang:3s} -> {targets or 'no targets'}  (modified {s.modified})")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from workbench.projects import link_number, open_project

    project = open_project(args.name, _root())
    keys = args.keys or list(project.targets)
    targets = [project.target(k) for k in keys]  # an unknown key fails before anything is printed
    _print_summary(project)
    source_text = {s.id: s.text for s in project.source.sentences}
    width = args.width if args.width > 0 else 10**9
    out = sys.stdout
    for target in targets:
        target_text = {s.id: s.text for s in target.side.sentences}
        out.write(f"\nlinks of {target.key} ({project.source.lang} -> {target.lang}):\n")
        for k, link in enumerate(target.links):
            confidence = "   - " if link.confidence is None else f"{link.confidence:.2f} "
            ids = f"{' '.join(link.src) or '-'} : {' '.join(link.tgt) or '-'}"
            out.write(f"{link_number(k):4d}  {link.kind:4s} {confidence} {link.status:9s} {ids}\n")
            out.write(f"{'':6s}{clip(' '.join(source_text[i] for i in link.src), width) or '(no source)'}\n")
            out.write(f"{'':6s}{clip(' '.join(target_text[j] for j in link.tgt), width) or '(no target)'}\n")
            if link.note:
                out.write(f"{'':6s}note: {clip(link.note, width)}\n")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    from workbench.projects import delete_project, project_dir

    folder = project_dir(args.name, _root())
    if not args.yes:
        if not sys.stdin.isatty():
            raise WorkbenchError(f"deleting project {args.name!r} cannot be undone: add --yes to confirm.")
        answer = input(f"delete project {args.name!r} and everything in {folder}? [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            print("nothing deleted")
            return 1
    delete_project(args.name, _root())
    print(f"deleted project {args.name} ({folder})")
    return 0


def _print_summary(project: Project) -> None:
    from workbench.projects import MANUAL, TO_REVIEW

    source = project.source
    title = f" \u201c{source.title}\u201d" if source.title else ""
    print(
        f"{project.name}:{title} {source.lang}, {len(source.sentences)} sentences in {len(source.paragraphs())} "
        f"paragraphs; revision {project.revision}, modified {project.modified}"
    )
    last = project.next_undo()
    if last:
        print(f"  last edit: {last.summary} ({last.at})")
    for target in project.targets.values():
        counts = target.counts()
        scores = [x.confidence for x in target.links if x.confidence is not None]
        mean = f", mean confidence {sum(scores) / len(scores):.2f}" if scores else ""
        made_by = target.signature.get("embedder") or target.signature.get("aligner", "")
        print(
            f"  target {target.key} ({target.lang}, {len(target.side.sentences)} sentences): {counts['links']} links, "
            f"{counts['confirmed']} confirmed, {counts['flagged']} flagged, {counts[TO_REVIEW]} to review"
            + (f" ({counts[MANUAL]} made by hand)" if counts[MANUAL] else "")
            + mean
            + (f"; by {made_by}" if made_by else "")
        )


def _cmd_export(args: argparse.Namespace) -> int:
    from workbench.projects import open_project
    from workbench.workflows.export import export_project, save_export

    project = open_project(args.name, _root())
    keys = args.keys or list(project.targets)
    if len(keys) > 1 and args.fmt != "tmx":
        raise WorkbenchError(
            f"project {project.name!r} has targets {', '.join(keys)}: pick one with --lang KEY, or export them all "
            "together with --format tmx (a multilingual TMX)."
        )
    made = export_project(
        project,
        keys,
        args.fmt,
        confirmed_only=args.confirmed_only,
        min_confidence=args.min_confidence,
        drop_unpaired=args.no_unpaired,
    )
    try:
        written = save_export(made, args.out, project.path.parent, replace=args.force)
    except WorkbenchError as exc:
        if args.out is None and str(exc).startswith("Cannot write"):  # e.g. a read-only project's own folder
            raise WorkbenchError(f"{exc} Or export elsewhere: --out FILE.") from None
        raise
    for path in written:
        print(path)
    print(f"{made.units} links exported", file=sys.stderr)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from workbench.formats import CORPUS_SUFFIXES, read_corpus
    from workbench.projects import create_project, delete_project, open_project
    from workbench.workflows.imports import import_corpus
    from workbench.workflows.translation import add_translation

    root = _root()
    files = [Path(f) for f in args.files]
    if len(files) > 2:
        raise WorkbenchError("import takes one corpus file, or two files: a source and its translation.")
    first = files[0]
    is_corpus = args.fmt is not None or (len(files) == 1 and first.suffix.lower() in CORPUS_SUFFIXES)
    if is_corpus:
        if len(files) == 2 and args.fmt != "moses":
            raise WorkbenchError("two files are read as Moses only with --format moses; a corpus is one file.")
        corpus = read_corpus(
            first,
            args.fmt,
            source_lang=args.src_lang,
            target_lang=args.tgt_lang,
            target_path=files[1] if len(files) == 2 else None,
        )
        into = open_project(args.into, root) if args.into else None
        made = import_corpus(corpus, args.name or _name_from(first), root, into=into, key=args.key)
        print(
            f"imported {len(made.target.links)} links into project {made.project.name}, target {made.target.key}"
            + (f"; {made.left_out}" if made.left_out else "")
        )
        _print_summary(made.project)
        return 0
    if args.into:
        if len(files) != 1:
            raise WorkbenchError("with --into, give only the translation: it is aligned to the project's source.")
        project = open_project(args.into, root)
        target_doc = read_document(str(first), args.tgt_lang, args.presplit)
        created = False
    else:
        if len(files) != 2:
            raise WorkbenchError(
                f"{first.name} is not a corpus file ({', '.join(CORPUS_SUFFIXES)}, or --format); to align a document "
                "and its translation give both files: workbench import SOURCE TRANSLATION."
            )
        source = read_document(str(first), args.src_lang, args.presplit)
        target_doc = read_document(str(files[1]), args.tgt_lang, args.presplit)
        project = create_project(args.name or _name_from(first), source, root)
        created = True
    embedder = load_embedder(args)
    try:
        target = add_translation(
            project, target_doc, embedder, args.key, refine=not args.no_refine, on_align=_alignment_hook(args, embedder)
        )
    except BaseException:
        if created:
            delete_project(project.name, root)
        raise
    print(f"aligned {len(target.links)} links into project {project.name}, target {target.key}")
    _print_summary(project)
    return 0


def _name_from(path: Path) -> str:
    """A project name from a file name: 'kosovo-dialogue.en-de.tmx' -> 'kosovo-dialogue' (the app's rule; an
    existing project of that name is still an error, never silently renamed)."""
    from workbench.workflows.imports import project_name_for

    return project_name_for(path.name)
