"""Corpora at scale: align many document pairs into one corpus folder, on this machine or on a Ray cluster.

``read_manifest`` names the pairs (TSV, JSONL or two folders), ``run_batch`` aligns those not finished yet with an
executor (:class:`LocalExecutor`: worker processes each loading the model once; :class:`RayExecutor`: embedding
actors and alignment tasks) and writes the corpus (:mod:`workbench.batch.store` has the layout), ``check_batch``
adds the spot-checks' counts to its summary, ``open_document_project`` makes one document a project for Review
(``review_document`` finds it again, as the app's Corpus page does) and ``update_from_project`` puts the reviewed
links back.
"""

from workbench.batch.check import check_batch
from workbench.batch.local import LocalExecutor
from workbench.batch.manifest import DocumentPair, read_manifest
from workbench.batch.pipeline import BatchOptions, PairResult, align_pair
from workbench.batch.ray_executor import RAY_HINT, RayExecutor, require_ray
from workbench.batch.review import (
    corpus_summary,
    document_corpus,
    open_document_project,
    review_document,
    review_project_name,
    update_from_project,
)
from workbench.batch.run import BatchProgress, BatchReport, Executor, run_batch
from workbench.batch.store import SUMMARY_COLUMNS, CorpusFolder, mixed_routes, routes_used, unrelated_documents

__all__ = [
    "RAY_HINT",
    "SUMMARY_COLUMNS",
    "BatchOptions",
    "BatchProgress",
    "BatchReport",
    "CorpusFolder",
    "DocumentPair",
    "Executor",
    "LocalExecutor",
    "PairResult",
    "RayExecutor",
    "align_pair",
    "check_batch",
    "corpus_summary",
    "document_corpus",
    "mixed_routes",
    "open_document_project",
    "read_manifest",
    "require_ray",
    "review_document",
    "review_project_name",
    "routes_used",
    "run_batch",
    "unrelated_documents",
    "update_from_project",
]
