"""Sub-commands of saved projects: ``workbench project new | list | show | delete``.

Projects live in ``alignments/`` (``WORKBENCH_ALIGNMENTS`` moves it); everything here is a thin layer over
:mod:`workbench.projects`, which the app uses too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.cli.common import clip, embedding_options, load_embedder, progress_bar, read_document
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.projects import Project


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
    # --translate LANGS (translate the source offline and align each translation as a target) belongs here,
    # beside --target: add it to this parser and handle it in _cmd_new where the targets are read.
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

    # `project export` and `project import` (workbench.formats over workbench.projects.corpus) register here.


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
    from workbench.projects import (
        PROJECT_FILE,
        ProjectExistsError,
        add_target,
        create_project,
        delete_project,
        project_dir,
    )
    from workbench.projects.model import check_target_key

    root = _root()
    if (project_dir(args.name, root) / PROJECT_FILE).exists():  # before reading files and loading the model
        raise ProjectExistsError(f"there is already a project named {args.name!r} in {root}; choose another name.")
    # Read everything first, so that a missing file fails before a project exists.
    source = read_document(args.source, args.src_lang, False)
    targets = []
    for spec in args.targets:
        if spec["key"] is not None:
            check_target_key(spec["key"])
        targets.append((read_document(spec["file"], spec["lang"], False), spec["key"]))
    embedder = load_embedder(args) if targets else None
    project = create_project(args.name, source, root)
    try:
        for document, key in targets:
            update, close = progress_bar(args.quiet, f"aligning {key or document.lang}")
            try:
                add_target(project, document, key, embedder, progress=update, refine=not args.no_refine)
            finally:
                close()
    except BaseException:
        delete_project(args.name, root)  # a project is made whole or not at all: rerunning the command works
        raise
    print(f"created project {project.name} in {project.path.parent}")
    _print_summary(project)
    return 0


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
        targets = "; ".join(f"{t.key} {t.links} links, {t.confirmed} confirmed, {t.flagged} flagged" for t in s.targets)
        print(f"{s.name:{width}s}  {s.source_lang:3s} -> {targets or 'no targets'}  (modified {s.modified})")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from workbench.projects import open_project

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
            out.write(f"{k:4d}  {link.kind:4s} {confidence} {link.status:9s} {ids}\n")
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
            f"{counts['confirmed']} confirmed, {counts['flagged']} flagged{mean}"
            + (f"; by {made_by}" if made_by else "")
        )
