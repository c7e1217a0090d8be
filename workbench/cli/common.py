"""What several sub-commands share: reading documents, loading the embedder, options, progress bars."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from workbench.errors import WorkbenchError


def embedding_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--embedder",
        default=None,
        help=(
            "e5-small (default), use, e5-small+use (both: the best links on Chinese), "
            "or a sentence-transformers model name or folder"
        ),
    )
    p.add_argument("--allow-download", action="store_true", help="let a named hub model download (needs a network)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the embedding cache")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def aligner_options(p: argparse.ArgumentParser) -> None:
    from workbench.alignment.model import AlignParams

    defaults = AlignParams()
    p.add_argument(
        "--max-link",
        type=int,
        default=None,
        help=f"largest n-m link, as n + m sentences (default {defaults.max_bead})",
    )
    p.add_argument(
        "--skip",
        type=float,
        default=None,
        help=f"score of leaving out a finished sentence (default {defaults.skip}; short or unfinished lines cost less)",
    )


def language_codes(text: str, option: str) -> list[str]:
    """The codes of a comma-separated option (``--to pt,es``), each checked before any work starts: a bad one
    fails the command at once instead of after the languages before it were done."""
    codes = [code.strip() for code in text.split(",") if code.strip()]
    for code in codes:
        check_language(code, option)
    if not codes:
        raise WorkbenchError(f"{option} needs at least one language code, e.g. {option} pt,es.")
    return codes


def check_language(code: str, option: str) -> str:
    """``code`` if it looks like a language tag (en, pt-BR, zh-Hant), else a one-line refusal that does not
    echo what could be a path back into hints or file names."""
    from workbench.formats.fields import LANG_RE

    if not LANG_RE.fullmatch(code) or len(code) > 35:
        raise WorkbenchError(
            f"{option} takes language codes such as 'en', 'pt' or 'pt-BR' (letters, digits and '-'); "
            f"{code[:40]!r} is not one."
        )
    return code


def read_document(source: str, lang: str | None, presplit: bool):
    from workbench.documents import document_from_text, load_document

    if lang is not None:
        check_language(lang, "the language option")
    if source == "-":
        if not lang:
            raise WorkbenchError("reading standard input needs --lang.")
        return document_from_text(sys.stdin.read(), lang, name="stdin", presplit=presplit)
    document = load_document(source, lang, presplit=presplit)
    if lang and _tag(document.lang) != _tag(lang):
        # The front matter's lang: wins over the option; saying nothing would align or translate the wrong language.
        raise WorkbenchError(
            f"{source} says it is in {document.lang!r} (lang: in its front matter), but the command says "
            f"{lang!r}. Leave out the language option, or correct the front matter."
        )
    return document


def _tag(code: str) -> str:
    return code.strip().lower().replace("_", "-")


def load_embedder(args: argparse.Namespace):
    from workbench.embedding import DEFAULT_EMBEDDER, load_embedder

    name = args.embedder or DEFAULT_EMBEDDER
    if not args.quiet:
        print(f"loading embedder {name} ...", file=sys.stderr)
    return load_embedder(name, allow_download=args.allow_download, use_cache=not args.no_cache, threads=2)


def progress_bar(quiet: bool, desc: str, unit: str = "sent"):
    """A tqdm bar on stderr fed by (done, total) callbacks, and its close; (None, no-op) when quiet."""
    if quiet:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=0, desc=desc, unit=unit, file=sys.stderr, leave=False, unit_scale=unit == "B")

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def alignment_progress(quiet: bool, label: str, src: Sequence[str], tgt: Sequence[str], embedder, refine: bool = True):
    """Print the estimate of aligning ``src`` with ``tgt`` and return a ``stages`` callback that draws one tqdm bar
    on stderr for the whole job (embedding, first pass, second pass) with the time left, and its close.

    The estimate measures this machine's embedding rate on a small sample of the sentences (kept in the cache).
    (None, no-op) when quiet.
    """
    if quiet:
        return None, lambda: None
    from tqdm import tqdm

    from workbench.alignment.estimate import AlignmentProgress, estimate_alignment

    estimate = estimate_alignment(src, tgt, embedder, refine=refine)
    print(f"{label}: {estimate.describe()}", file=sys.stderr)
    steps = 1000
    bar = tqdm(total=steps, desc=label, file=sys.stderr, leave=False, bar_format="{desc}: |{bar}|{postfix}")

    def redraw(tracker: AlignmentProgress) -> None:
        bar.n = round(tracker.fraction * steps)
        bar.set_postfix_str(tracker.describe(), refresh=False)
        bar.refresh()

    def close() -> None:
        bar.close()
        if tracker.fraction >= 1.0:  # not after a failure: its message is the one to read
            print(f"{label}: done in {tracker.elapsed:.1f} s (estimated {estimate.seconds:.1f} s)", file=sys.stderr)

    tracker = AlignmentProgress(estimate, embedder.name, on_change=redraw)
    return tracker, close


def clip(text: str, width: int = 100) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 3] + "..."
