"""Workflows: what the command line and the app both do, composed once from the library beneath.

The CLI (:mod:`workbench.cli`) and the app (:mod:`workbench.app`) are two faces of the same operations; each
workflow here is the one copy of an operation both call, so the two cannot drift apart (same file names, same
bytes, same checks). A workflow takes a project and plain options and returns data (bytes, names, counts); it
prints nothing, draws nothing and asks nothing.

- :mod:`.export`: a project's links as a file to download or save (bytes, file name, MIME type).
- :mod:`.checks`: the checks' names and limits as people give them, and a run's reports (CSV, HTML) as bytes.
- :mod:`.imports`: an aligned corpus as a new project or target, named by one rule.
- :mod:`.translation`: translate a document or a project (from its source as edited) into languages, add a target
  (a machine translation or a person's), and a translation as a file (in the source's form for .srt/.vtt/.docx).
"""

from __future__ import annotations

from workbench.workflows.export import MULTILINGUAL, ExportFile, export_file_name, export_project, save_export

__all__ = ["MULTILINGUAL", "ExportFile", "export_file_name", "export_project", "save_export"]
