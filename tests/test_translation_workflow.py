"""One translate-then-align workflow under both faces: the command line's ``project new --translate`` and the
library's :func:`translate_project` make the same project from the same input, a project is translated from its
source as edited, and a pair that cannot be translated costs only itself. Real Bergamot en->pt (from PyPI), the
real e5 model, real project files; German has no engine on this machine, which is the missing pair."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main as cli_main
from workbench.documents import document_from_text, load_document
from workbench.embedding.cache import CachedEmbedder
from workbench.errors import WorkbenchError
from workbench.projects import create_project, edit_sentence, open_project
from workbench.translation.router import Router
from workbench.workflows.translation import add_translation, source_as_edited, translate_into, translate_project

TEXT = (
    "# A short report\n\nThe river rose during the night. The village was warned in time.\n\n"
    "Nobody was hurt. The school stays closed until Monday."
)


@pytest.fixture
def source_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.md"
    path.write_text("---\nlang: en\n---\n" + TEXT, encoding="utf-8")
    return path


def test_cli_and_library_make_the_same_project(
    source_file: Path, e5: CachedEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, e5_folder: Path
) -> None:
    root = tmp_path / "alignments"
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "models").symlink_to(e5_folder.parent, target_is_directory=True)  # the converted model, no copy
    monkeypatch.setenv("WORKBENCH_ALIGNMENTS", str(root))
    monkeypatch.setenv("WORKBENCH_CACHE", str(cache))
    code = cli_main(["project", "new", "by-cli", "--source", str(source_file), "--translate", "pt", "--quiet"])
    assert code == 0

    made = create_project("by-library", load_document(source_file), root)
    (added,) = list(translate_project(made, ["pt"], e5))
    assert added.error is None and added.target is not None and added.target.key == "pt"

    cli, library = open_project("by-cli", root), open_project("by-library", root)
    assert cli.source.texts() == library.source.texts()
    a, b = cli.target("pt"), library.target("pt")
    assert a.side.texts() == b.side.texts() and len(a.side.texts()) >= 4
    assert [s.paragraph for s in a.side.sentences] == [s.paragraph for s in b.side.sentences]
    assert a.side.metadata["translation"] == b.side.metadata["translation"]
    assert [(x.src, x.tgt, x.kind) for x in a.links] == [(x.src, x.tgt, x.kind) for x in b.links]
    assert [x.confidence for x in a.links] == pytest.approx([x.confidence for x in b.links], abs=1e-4)


def test_a_project_is_translated_from_its_source_as_edited(e5: CachedEmbedder, tmp_path: Path) -> None:
    body = TEXT.split("\n\n", 1)[1]  # two paragraphs of two sentences
    project = create_project("edited", document_from_text(body, "en", name="report"), tmp_path)
    first = project.source.sentences[0]
    edit_sentence(project, "source", first.id, "The cat sleeps on the table.")
    as_edited = source_as_edited(project)
    assert as_edited.sentence_texts()[0] == "The cat sleeps on the table."
    assert len(as_edited.paragraphs) == 2  # the paragraphs the project keeps, not one per sentence

    (added,) = list(translate_project(project, ["pt"], e5))
    assert added.target is not None
    translated = " ".join(added.target.side.texts()).lower()
    assert "gato" in translated and "mesa" in translated  # the edit, not the river of the original file
    assert len({s.paragraph for s in added.target.side.sentences}) == 2


@pytest.mark.slow  # translates with the real Bergamot engine
def test_a_pair_that_cannot_be_translated_costs_only_itself(tmp_path: Path) -> None:
    document = document_from_text(TEXT, "en", name="report")
    routes: list[str] = []

    def on_route(route):
        routes.append(f"{route.src}->{route.tgt}")
        return None, lambda: None

    done = list(translate_into(document, ["de", "pt"], router=Router(), on_route=on_route))
    assert [d.lang for d in done] == ["de", "pt"]
    assert done[0].result is None and done[0].error is not None and done[0].error.startswith("en->de: ")
    assert done[1].result is not None and done[1].result.document.lang == "pt"
    assert routes == ["en->pt"]  # no bar was started for the pair that has no route


def test_add_translation_refuses_a_bad_key_before_aligning(tmp_path: Path) -> None:
    project = create_project("keys", document_from_text(TEXT, "en", name="report"), tmp_path)
    human = document_from_text("O rio subiu durante a noite.", "pt", name="human")
    with pytest.raises(WorkbenchError, match="cannot name a target"):
        add_translation(project, human, None, "no/slash")  # type: ignore[arg-type]  # never reaches the model
    assert not open_project("keys", tmp_path).targets
