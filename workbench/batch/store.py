"""The corpus folder a batch writes, laid out so that a killed run resumes without redoing or half-writing anything.

::

    batch.json            the options and document ids; a resume with other options is refused
    docs/<id>.jsonl       one document's links (written to a temporary file, then renamed)
    done/<id>.json        its finished marker: the summary row (written after the links, also atomically)
    sentences/<id>.json   its sentences, which the links' ids name (to open the document in Review)
    failed/<id>.json      a document that failed, with the reason (retried by the next run)
    checks/<id>.json      the spot-checks' findings (``workbench batch check``)
    reviews/<id>.json     the project a document was opened in for review (``batch open``, the app's Corpus page)
    links.jsonl           every link of every finished document, in manifest order
    links.parquet         the same rows for analysis (pyarrow)
    tmx/<src>-<tgt>.tmx   one TMX a language pair (links with both sides)
    summary.tsv           one row a document, weakest first (also summary.jsonl)

A document counts as finished only when its marker exists, and the marker is written only after its links are in
place, so a kill between the two redoes that one document. The combined files are always rebuilt from the
per-document ones, which makes a resumed run's output identical to an uninterrupted one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from workbench.batch.manifest import DocumentPair
from workbench.batch.pipeline import BatchOptions, PairResult
from workbench.errors import InputError
from workbench.formats import TranslationUnit
from workbench.writing import lock_new_file, remove_abandoned, write_bytes_atomic

#: Below this confidence a link is counted as weak in the summary (the app's red band).
WEAK_CONFIDENCE = 0.5

SUMMARY_COLUMNS = (
    "id",
    "status",
    "src_lang",
    "tgt_lang",
    "src_sentences",
    "tgt_sentences",
    "links",
    "mean_confidence",
    "lowest_confidence",
    "weak_links",
    "related",
    "confirmed",
    "reviewed",
    "errors",
    "warnings",
    "embedder",
    "reason",
)


def unrelated_documents(rows: Sequence[dict[str, Any]]) -> list[tuple[str, float]]:
    """The aligned documents of summary ``rows`` whose two texts do not look like translations of each other, with
    their relatedness share: a wrong file in the manifest still gets links, many confident
    (workbench.alignment.relatedness). Failed and pending rows have no share, short documents None."""
    from workbench.alignment.relatedness import RELATED_SHARE

    return [
        (row["id"], row["related"])
        for row in rows
        if isinstance(row["related"], int | float) and row["related"] < RELATED_SHARE
    ]


def routes_used(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """How many aligned documents of summary ``rows`` each embedder route made. One name (``e5-small``) takes
    another route on another machine (ONNX on a CPU, torch on a GPU: :func:`workbench.embedding.route_for`), so a
    batch resumed or spread over other machines can mix them; their links are close but not the same bytes, which
    whoever compares documents of the corpus should know."""
    counts: dict[str, int] = {}
    for row in rows:
        if row["status"] == "ok" and row["embedder"]:
            counts[row["embedder"]] = counts.get(row["embedder"], 0) + 1
    return counts


def mixed_routes(rows: Sequence[dict[str, Any]]) -> str | None:
    """A sentence for the CLI and the Corpus page when the aligned documents of one language pair in ``rows`` were
    made by more than one route (:func:`routes_used`), else None. Different pairs may be read differently by design
    (the default reads a Chinese side with a second model beside it: :func:`workbench.embedding.combined.pair_helps`).
    """
    by_pair: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for row in rows:
        by_pair.setdefault((row.get("src_lang"), row.get("tgt_lang")), []).append(row)
    mixed = [(pair, routes_used(group)) for pair, group in by_pair.items()]
    mixed = [(pair, counts) for pair, counts in mixed if len(counts) > 1]
    if not mixed:
        return None
    (src, tgt), counts = mixed[0]
    listed = ", ".join(f"{name} made {n}" for name, n in sorted(counts.items(), key=lambda item: -item[1]))
    which = f"the {src}-{tgt} documents" if len(by_pair) > 1 else "the documents"
    return (
        f"{which} were aligned by {len(counts)} routes of the model: {listed} (column embedder). Their links "
        "and confidences are close, not identical; to have one route, align the corpus again into a new --out "
        "folder on one kind of machine."
    )


class CorpusFolder:
    """Reads and writes one batch's output folder (see the module docstring for the layout)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    # -- the run ------------------------------------------------------------------------------------------------

    def start(self, pairs: Sequence[DocumentPair], options: BatchOptions) -> None:
        """Record the options, or check them against those of the run being resumed."""
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"{self.root} is a file; --out names a folder for the corpus.")
        record = self.root / "batch.json"
        if record.exists():
            try:
                earlier = json.loads(record.read_text(encoding="utf-8"))["options"]
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{record} is damaged; give another --out folder.") from None
            if earlier != options.as_dict():
                raise InputError(
                    f"{self.root} holds a batch made with {earlier}, not {options.as_dict()}: resume it with the "
                    "same options, or give another --out folder."
                )
        elif self.root.exists() and any(p.name != ".lock" for p in self.root.iterdir()):
            raise InputError(f"{self.root} is not empty and holds no batch; give a new or empty --out folder.")
        data = {"options": options.as_dict(), "documents": [p.id for p in pairs]}
        _write_json(record, data)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder for one run: a second run into it at the same time would align the same documents
        twice. The lock (``flock``) goes with the process, so a killed run never leaves the folder locked."""
        self.root.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InputError(
                    f"another batch run is writing {self.root}; wait for it, or give another --out folder."
                ) from None
            yield
        finally:
            os.close(descriptor)

    def finished(self, doc_id: str) -> bool:
        return (self.root / "done" / f"{doc_id}.json").exists() and (self.root / "docs" / f"{doc_id}.jsonl").exists()

    def record(self, result: PairResult) -> None:
        """Store one document's outcome: its sentences, its links, then its marker; or its failure."""
        if result.error is not None:
            _write_json(self.root / "failed" / f"{result.id}.json", {"id": result.id, "reason": result.error})
            return
        # timings live only in the marker; "related" is the relatedness share (None: too few links to tell)
        extra = {"embedder": result.embedder, "seconds": result.seconds, "related": result.relatedness}
        self.write_document(
            result.id, result.src_lang, result.tgt_lang, result.src_texts, result.tgt_texts, result.rows, extra
        )
        with contextlib.suppress(FileNotFoundError):
            (self.root / "failed" / f"{result.id}.json").unlink()

    def write_document(
        self,
        doc_id: str,
        src_lang: str | None,
        tgt_lang: str | None,
        src_texts: list[str],
        tgt_texts: list[str],
        rows: list[dict[str, Any]],
        extra: dict[str, Any],
    ) -> None:
        """A document's files, each atomically, the marker last (so a kill before it redoes the document)."""
        _write_json(self.root / "sentences" / f"{doc_id}.json", {"id": doc_id, "src": src_texts, "tgt": tgt_texts})
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        write_bytes_atomic(self.root / "docs" / f"{doc_id}.jsonl", lines.encode("utf-8"))
        # A link a reviewer made by hand has no confidence: the figures are the aligner's links'.
        confidences = [r["confidence"] for r in rows if r["src"] and r["tgt"] and r["confidence"] is not None]
        marker = {
            "id": doc_id,
            "status": "ok",
            "src_lang": src_lang,
            "tgt_lang": tgt_lang,
            "src_sentences": len(src_texts),
            "tgt_sentences": len(tgt_texts),
            "links": len(rows),
            "mean_confidence": round(sum(confidences) / len(confidences), 4) if confidences else 0.0,
            "lowest_confidence": min(confidences, default=0.0),
            "weak_links": sum(c < WEAK_CONFIDENCE for c in confidences),
            "confirmed": sum(r.get("status") == "confirmed" for r in rows),
            **extra,
        }
        _write_json(self.root / "done" / f"{doc_id}.json", marker)

    # -- reading back -------------------------------------------------------------------------------------------

    def document_ids(self) -> list[str]:
        """The ids of the batch, in manifest order."""
        record = self.root / "batch.json"
        if not self.root.exists():
            raise InputError(f"{self.root} does not exist; give the --out folder of a workbench batch align run.")
        if not self.root.is_dir():
            raise InputError(f"{self.root} is a file; give the --out folder of a workbench batch align run.")
        if not record.exists():
            raise InputError(f"{self.root} holds no batch (no batch.json); run workbench batch align first.")
        try:
            return [str(doc_id) for doc_id in json.loads(record.read_text(encoding="utf-8"))["documents"]]
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{record} is damaged; align the batch again into another --out folder.") from None

    def version(self) -> tuple[int, ...]:
        """A value that changes whenever a document is finished, fails, is checked or reviewed: each of those
        renames a file into its folder, which moves the folder's modification time. A reader of a large corpus
        (the app's Corpus page) reads the summary again only then, not on every click."""
        return tuple(_mtime_ns(self.root / name) for name in ("batch.json", "done", "failed", "checks", "reviews"))

    def marker(self, doc_id: str) -> dict[str, Any] | None:
        path = self.root / "done" / f"{doc_id}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def failure(self, doc_id: str) -> str | None:
        path = self.root / "failed" / f"{doc_id}.json"
        return json.loads(path.read_text(encoding="utf-8"))["reason"] if path.exists() else None

    def links(self, doc_id: str) -> list[dict[str, Any]]:
        path = self.root / "docs" / f"{doc_id}.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]

    def sentences(self, doc_id: str) -> tuple[list[str], list[str]]:
        path = self.root / "sentences" / f"{doc_id}.json"
        if not self.finished(doc_id) or not path.exists():
            raise InputError(f"{self.root} has no finished document {doc_id!r}; see its summary.tsv.")
        data = json.loads(path.read_text(encoding="utf-8"))
        return data["src"], data["tgt"]

    def review_project(self, doc_id: str) -> str | None:
        """The name of the project a document was opened in for review, if it was."""
        path = self.root / "reviews" / f"{doc_id}.json"
        return json.loads(path.read_text(encoding="utf-8"))["project"] if path.exists() else None

    def set_review_project(self, doc_id: str, name: str) -> None:
        _write_json(self.root / "reviews" / f"{doc_id}.json", {"id": doc_id, "project": name})

    def findings(self, doc_id: str) -> dict[str, Any] | None:
        path = self.root / "checks" / f"{doc_id}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def write_findings(self, doc_id: str, findings: list[dict[str, Any]]) -> None:
        _write_json(self.root / "checks" / f"{doc_id}.json", {"id": doc_id, "findings": findings})

    def summary(self) -> list[dict[str, Any]]:
        """One row a document, weakest first: failed, then not yet done, then by mean and lowest confidence."""
        rows = []
        for doc_id in self.document_ids():
            marker = self.marker(doc_id) if self.finished(doc_id) else None
            row: dict[str, Any] = dict.fromkeys(SUMMARY_COLUMNS, "")
            row["id"] = doc_id
            if marker is None:
                reason = self.failure(doc_id)
                row.update(status="failed" if reason else "pending", reason=reason or "")
            else:
                row.update({k: v for k, v in marker.items() if k in SUMMARY_COLUMNS})
                found = self.findings(doc_id)
                if found is not None:
                    severities = [f["severity"] for f in found["findings"]]
                    row.update(errors=severities.count("error"), warnings=severities.count("warning"))
            rows.append(row)
        rank = {"failed": 0, "pending": 1, "ok": 2}
        return sorted(
            rows,
            key=lambda r: (
                rank[r["status"]],
                r["mean_confidence"] if r["status"] == "ok" else 0.0,
                r["lowest_confidence"] if r["status"] == "ok" else 0.0,
                r["id"],
            ),
        )

    # -- the corpus exports ---------------------------------------------------------------------------------------

    def write_exports(self) -> dict[str, Path]:
        """Rebuild links.jsonl, links.parquet, the TMX files and the summary from the per-document files.

        Everything is streamed, a document at a time: a corpus of millions of links is never held in memory (the
        TMX of a language pair is written link by link, the same bytes as the whole-tree export)."""
        from workbench.formats.tmx import stream_tmx

        done = [doc_id for doc_id in self.document_ids() if self.finished(doc_id)]
        written: dict[str, Path] = {}
        pairs: dict[tuple[str, str], list[str]] = {}  # language pair -> its documents, in manifest order
        with _atomic_text(self.root / "links.jsonl") as jsonl, _ParquetRows(self.root / "links.parquet") as parquet:
            for doc_id in done:
                rows = self.links(doc_id)
                jsonl.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
                parquet.add(rows)
                for key in dict.fromkeys((row["src_lang"], row["tgt_lang"]) for row in rows):
                    pairs.setdefault(key, []).append(doc_id)
        written["links.jsonl"] = self.root / "links.jsonl"
        written["links.parquet"] = self.root / "links.parquet"
        for (src, tgt), doc_ids in sorted(pairs.items()):
            path = self.root / "tmx" / f"{src}-{tgt}.tmx"
            with _atomic_text(path, binary=True) as handle:
                stream_tmx(handle, src, tgt, self._units(doc_ids, src, tgt), name=f"batch {src}-{tgt}")
            written[path.name] = path
        written.update(self.write_summary())
        return written

    def _units(self, doc_ids: list[str], src: str, tgt: str) -> Iterator[TranslationUnit]:
        """The translation units of one language pair, read a document at a time."""
        for doc_id in doc_ids:
            for row in self.links(doc_id):
                if not (row["src"] and row["tgt"]) or (row["src_lang"], row["tgt_lang"]) != (src, tgt):
                    continue  # a sentence left alone is no translation unit
                yield TranslationUnit(
                    (row["src_text"],),
                    (row["tgt_text"],),
                    source_ids=tuple(f"{doc_id}:{i}" for i in row["src"]),
                    target_ids=tuple(f"{doc_id}:{j}" for j in row["tgt"]),
                    confidence=row["confidence"],
                    status=row["status"],
                )

    def write_summary(self) -> dict[str, Path]:
        rows = self.summary()
        tsv = "\t".join(SUMMARY_COLUMNS) + "\n"
        tsv += "".join("\t".join(_cell(row[c]) for c in SUMMARY_COLUMNS) + "\n" for row in rows)
        write_bytes_atomic(self.root / "summary.tsv", tsv.encode("utf-8"))
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        write_bytes_atomic(self.root / "summary.jsonl", lines.encode("utf-8"))
        return {"summary.tsv": self.root / "summary.tsv", "summary.jsonl": self.root / "summary.jsonl"}


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # not there (yet): a folder made later changes the value
        return 0


def _cell(value: object) -> str:
    return " ".join(str(value).replace("\t", " ").split())


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_bytes_atomic(path, (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))


@contextlib.contextmanager
def _atomic_text(path: Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A text (or ``binary``) file streamed to a temporary name beside ``path`` and renamed over it only when
    complete: the corpus-wide files can be larger than memory should hold, which ``write_bytes_atomic`` needs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name}."
    remove_abandoned(path.parent, prefix, ".tmp")  # what a run killed while writing this file left behind
    while True:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
        if lock_new_file(descriptor, Path(temporary)):  # locked while written: no cleanup takes it for a leftover
            break
        os.close(descriptor)
    try:
        opened = os.fdopen(descriptor, "wb") if binary else os.fdopen(descriptor, "w", encoding="utf-8", newline="\n")
        with opened as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class _ParquetRows:
    """The links as a Parquet file, one row group a document, written to a temporary name and renamed."""

    def __init__(self, path: Path) -> None:
        import pyarrow as pa

        self.path = path
        self.schema = pa.schema(
            [
                ("doc", pa.string()),
                ("link", pa.int32()),
                ("src_lang", pa.string()),
                ("tgt_lang", pa.string()),
                ("type", pa.string()),
                ("src", pa.list_(pa.int32())),
                ("tgt", pa.list_(pa.int32())),
                ("confidence", pa.float64()),
                ("status", pa.string()),
                ("src_text", pa.string()),
                ("tgt_text", pa.string()),
            ]
        )
        self._context = _atomic_text(path)
        self._writer: Any = None

    def __enter__(self) -> _ParquetRows:
        import pyarrow.parquet as pq

        handle = self._context.__enter__()
        self._writer = pq.ParquetWriter(handle.buffer, self.schema)
        return self

    def add(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        if rows:
            self._writer.write_table(pa.Table.from_pylist(rows, schema=self.schema))

    def __exit__(self, *exc_info: object) -> bool:
        self._writer.close()
        return bool(self._context.__exit__(*exc_info))
