"""Spot-checks over a batch's corpus: each finished document's links through :func:`workbench.checks.run_checks`,
findings stored beside it and counted in the summary (errors, warnings)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.batch.store import CorpusFolder


def check_batch(out: str | Path, progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Check every finished document of the batch in ``out`` and rewrite the summary; returns its rows.

    Documents checked before are checked again (cheap next to aligning them), so the counts always follow the
    current checks. The round-trip check needs a translation engine and is left to the project view.
    """
    folder = CorpusFolder(out)
    folder.document_ids()  # a folder that holds no batch is refused before anything is made in it
    with folder.locked():  # not while a batch run writes the same folder
        return _check_locked(folder, progress)


def _check_locked(folder: CorpusFolder, progress: Callable[[int, int], None] | None) -> list[dict]:
    from workbench.checks import run_checks
    from workbench.formats import TranslationUnit

    done = [doc_id for doc_id in folder.document_ids() if folder.finished(doc_id)]
    for number, doc_id in enumerate(done, 1):
        rows = folder.links(doc_id)
        units = [TranslationUnit((row["src_text"],), (row["tgt_text"],), confidence=row["confidence"]) for row in rows]
        findings = []
        if rows:
            for finding in run_checks(units, rows[0]["src_lang"], rows[0]["tgt_lang"]):
                item = finding.to_dict()
                item["link"] = rows[finding.unit_index]["link"]
                findings.append(item)
        folder.write_findings(doc_id, findings)
        if progress:
            progress(number, len(done))
    folder.write_summary()
    return folder.summary()
