"""Deleting a project from the Open page: only after the tick box, the open project closes, others stay."""

from __future__ import annotations

from pathlib import Path

from test_app import app_cache, button, root, start  # noqa: F401 (fixtures)

from workbench.documents import load_document
from workbench.projects import create_project, list_projects


def test_a_project_is_deleted_only_when_the_box_is_ticked(root: Path) -> None:  # noqa: F811
    for name in ("keep", "drop"):
        create_project(name, load_document("kosovo-dialogue"), root)
    at = start("drop", "open")
    assert at.session_state["project"].name == "drop"
    delete = next(b for b in at.button if b.key == "delete-project-drop")
    assert delete.disabled  # nothing happens without the tick
    at.checkbox(key="delete-sure-drop").check().run()
    next(b for b in at.button if b.key == "delete-project-drop").click().run()
    assert not at.exception, at.exception
    assert [s.name for s in list_projects(root)] == ["keep"]
    assert at.session_state["project"] is None  # the deleted project was the open one: it is closed
    assert any("Deleted drop" in m.value for m in at.success)
