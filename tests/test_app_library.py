"""The library pieces the app draws on: review lists, uploads, alignment pictures, a side as a document, the server.

No Streamlit here: these run as any other library code, on real projects, documents and corpora.
"""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from workbench.alignment.beads import Bead
from workbench.alignment.picture import (
    draw_alignment,
    draw_confidences,
    link_window,
    similarity_matrix,
    window_similarity,
)
from workbench.app.server import MAIN_SCRIPT, check_port, free_port, streamlit_command
from workbench.checks.quality import LinkQuality
from workbench.cli import main as cli_main
from workbench.documents import document_from_text, load_document
from workbench.embedding import CachedEmbedder
from workbench.errors import InputError, WorkbenchError
from workbench.formats import ParallelCorpus, TranslationUnit
from workbench.formats.tmx import export_tmx
from workbench.formats.tsv import export_tsv
from workbench.projects import (
    AUTO,
    FLAGGED,
    add_target,
    confirm,
    create_project,
    edit_sentence,
    flag,
)
from workbench.projects.documents import side_document
from workbench.review import (
    LinkFilter,
    confidence_band,
    filter_links,
    fold_for_search,
    multilingual_rows,
    page_count,
    weakest_order,
    weakness,
)
from workbench.uploads import (
    corpus_from_upload,
    decode_upload,
    document_from_upload,
    free_project_name,
    guess_corpus_languages,
    guess_language,
    upload_kind,
)


def _project(tmp_path: Path, confidences: list[float]):
    n = len(confidences)
    source = document_from_text(" ".join(f"Apple number {k} is red." for k in range(n)), "en", name="s")
    target = document_from_text(" ".join(f"A maçã {k} é vermelha." for k in range(n)), "pt", name="t")
    project = create_project("review", source, tmp_path)
    add_target(project, target, "pt", beads=[Bead((k,), (k,), c) for k, c in enumerate(confidences)])
    return project


# --------------------------------------------------------------------------------------------- review


def test_confidence_bands() -> None:
    assert [confidence_band(c) for c in (None, 0.0, 0.49, 0.5, 0.79, 0.8, 1.0)] == [
        "none",
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]


def test_filters_combine_status_confidence_and_text(tmp_path: Path) -> None:
    project = _project(tmp_path, [0.9, 0.2, 0.6, 0.1, 0.95])
    confirm(project, "pt", 3)
    flag(project, "pt", 1, "wrong")
    assert filter_links(project, "pt") == [0, 1, 2, 3, 4]
    assert filter_links(project, "pt", LinkFilter(statuses=frozenset({AUTO}))) == [0, 2, 4]
    assert filter_links(project, "pt", LinkFilter(statuses=frozenset({FLAGGED}))) == [1]
    assert filter_links(project, "pt", LinkFilter(below=0.5)) == [1, 3]
    assert filter_links(project, "pt", LinkFilter(statuses=frozenset({AUTO}), below=0.7)) == [2]
    assert filter_links(project, "pt", LinkFilter(text="MAÇÃ 4")) == [4]  # either side, any case
    assert filter_links(project, "pt", LinkFilter(text="number 2")) == [2]


def test_search_ignores_accents_and_case(tmp_path: Path) -> None:
    source = document_from_text(
        "The elections in Serbia.\nKosovo and Servia talk.\nNothing here.\n", "en", presplit=True
    )
    target = document_from_text("As eleições na Sérvia.\nO Kosovo e a SERVIA falam.\nNada aqui.\n", "pt", presplit=True)
    project = create_project("search", source, tmp_path)
    add_target(project, target, "pt", beads=[Bead((k,), (k,), 0.9) for k in range(3)])
    found = {text: filter_links(project, "pt", LinkFilter(text=text)) for text in ("eleicoes", "ELEIÇÕES", "Sérvia")}
    assert found == {"eleicoes": [0], "ELEIÇÕES": [0], "Sérvia": [0, 1]}  # "Sérvia" finds "Servia" and "SERVIA"
    assert filter_links(project, "pt", LinkFilter(text="servia")) == [0, 1]
    assert filter_links(project, "pt", LinkFilter(text="serbian")) == []  # folding does not loosen the match
    assert fold_for_search("Eleições na SÉRVIA, ﬁm") == "eleicoes na servia, fim"  # NFKD: the ligature too
    assert fold_for_search("Straße") == fold_for_search("STRASSE")


def test_pages() -> None:
    items = list(range(0, 230, 2))  # 115 items
    assert page_count(len(items), 50) == 3 and page_count(0, 50) == 1


def test_weakest_order_ranks_links_to_review_by_both_signals(tmp_path: Path) -> None:
    project = _project(tmp_path, [0.9, 0.2, 0.6, 0.1, 0.95, 0.2])
    assert weakest_order(project, "pt") == [3, 1, 5, 2, 0, 4]  # confidence alone; ties in document order
    confirm(project, "pt", 3)
    flag(project, "pt", 5, "check")
    assert weakest_order(project, "pt") == [1, 2, 0, 4]  # approved and flagged links are reviewed
    # A good pairing of a poor translation comes before a doubtful pairing of a good one; a link with neither
    # signal known comes first, as nothing vouches for it.
    quality = [LinkQuality(0.3, "poor"), None, LinkQuality(1.0, "good"), None, LinkQuality(None, "unknown"), None]
    assert weakest_order(project, "pt", quality) == [1, 0, 2, 4]
    assert weakness(None, None) < weakness(0.1, None) == weakness(None, 0.1) < weakness(0.9, 0.2) == 0.2


def test_multilingual_rows_group_spans_every_target_agrees_on(tmp_path: Path) -> None:
    project = _project(tmp_path, [0.9, 0.2, 0.6, 0.7])
    german = document_from_text("Apfel null und eins sind rot. Apfel zwei. Apfel drei. Noch einer.", "de", name="d")
    add_target(project, german, "de", beads=[Bead((0, 1), (0,), 0.5), Bead((2,), (1,), 0.9), Bead((3,), (2, 3), 0.4)])
    flag(project, "pt", 1, "check")
    rows = multilingual_rows(project)
    assert [(r.start, r.end) for r in rows] == [(0, 2), (2, 3), (3, 4)]
    first = rows[0]
    assert first.source == "Apple number 0 is red. Apple number 1 is red."
    assert first.cells["pt"].text == "A maçã 0 é vermelha. A maçã 1 é vermelha."
    assert (first.cells["pt"].status, first.cells["pt"].confidence, first.cells["pt"].links) == (FLAGGED, 0.2, (0, 1))
    assert first.cells["de"].text == "Apfel null und eins sind rot."
    assert rows[2].cells["de"].text == "Apfel drei. Noch einer."
    assert multilingual_rows(project, ["de"])[0].cells.keys() == {"de"}


# --------------------------------------------------------------------------------------------- uploads


def test_upload_kinds() -> None:
    assert upload_kind("a.TXT") == upload_kind("b.md") == "document"
    assert {upload_kind(n) for n in ("c.tmx", "d.tsv", "e.xlf", "f.jsonl")} == {"corpus"}
    assert upload_kind("scan.pdf") == upload_kind("film.srt") == "document"  # the readers open them
    with pytest.raises(InputError, match=r"\.txt"):
        upload_kind("sheet.xlsx")


def test_language_guess_front_matter_then_detection() -> None:
    assert guess_language("---\nlang: fr\n---\nThis text is English.").how == "front matter"
    assert guess_language("---\nlang: fr\n---\nThis text is English.").lang == "fr"
    guess = guess_language("Der Bundestag hat am Donnerstag ein neues Gesetz verabschiedet.")
    assert (guess.lang, guess.how) == ("de", "detected") and guess.probability > 0.9
    assert "detected" in guess.describe()
    assert guess_language("12345 678").lang == "und"


def test_document_from_upload_needs_a_language() -> None:
    doc = document_from_upload("Hoy llueve mucho en Madrid. Mañana hará sol.\n\nBien.", "saludo.md", "es")
    assert (doc.name, doc.lang, len(doc.sentences), len(doc.paragraphs)) == ("saludo", "es", 3, 2)
    with pytest.raises(InputError, match="which language"):
        document_from_upload("Hola.", "x.txt", "und")


def test_corpus_uploads_tmx_and_tsv() -> None:
    corpus = ParallelCorpus("en", "de", [TranslationUnit(("Good morning.",), ("Guten Morgen.",))], name="g")
    read = corpus_from_upload(export_tmx(corpus), "g.tmx")
    assert (read.source_lang, read.target_lang, read.units[0].target) == ("en", "de", "Guten Morgen.")
    tsv = export_tsv(
        ParallelCorpus("en", "de", [TranslationUnit(("The house is big and old.",), ("Das Haus ist groß und alt.",))])
    )
    src, tgt = guess_corpus_languages(tsv, "houses.tsv")
    assert (src.lang, tgt.lang, src.how) == ("en", "de", "detected")
    assert guess_corpus_languages(export_tmx(corpus), "g.tmx")[1].lang == "de"
    with pytest.raises(InputError, match="TSV"):
        corpus_from_upload(tsv, "houses.tsv")  # TSV does not say its languages
    with pytest.raises(InputError):
        corpus_from_upload(b"<tmx><oops", "broken.tmx")


def test_free_project_names() -> None:
    assert free_project_name("kosovo-dialogue", set()) == "kosovo-dialogue"
    assert free_project_name("kosovo-dialogue", {"kosovo-dialogue", "kosovo-dialogue-2"}) == "kosovo-dialogue-3"
    assert free_project_name("my notes (v2)!", set()) == "my-notes-v2"
    assert free_project_name("...", set()) == "project"


# --------------------------------------------------------------------------------------------- side as document


def test_side_document_keeps_sentences_and_paragraphs(tmp_path: Path) -> None:
    doc = load_document("kosovo-dialogue")
    project = create_project("side", doc, tmp_path)
    edit_sentence(project, "source", "p2s1", "An edited sentence, with a comma.")
    rebuilt = side_document(project.source)
    assert rebuilt.sentence_texts() == project.source.texts()
    assert [s.id for s in rebuilt.sentences] == project.source.ids()
    assert len(rebuilt.paragraphs) == len(doc.paragraphs)
    assert all(rebuilt.text[s.start : s.end] == s.text for s in rebuilt.sentences)
    assert (rebuilt.title, rebuilt.lang) == (doc.title, "en")


# --------------------------------------------------------------------------------------------- pictures


def test_link_window_and_similarity() -> None:
    beads = [Bead((0,), (0,), 0.9), Bead((1, 2), (1,), 0.4), Bead((), (2,), 0.2), Bead((3,), (3, 4), 0.7)]
    assert link_window(beads, 1, 3) == link_window(beads, 1, 3)
    window = link_window(beads, 1, 3)
    assert (window.src_start, window.src_end, window.tgt_start, window.tgt_end) == (1, 3, 1, 3)
    assert link_window(beads, 2, 99).last == 4
    vectors = np.eye(3, dtype=np.float32)
    assert similarity_matrix(vectors, vectors[[1, 0]]).tolist() == [[0, 1], [1, 0], [0, 0]]
    assert similarity_matrix(vectors[:0], vectors).shape == (0, 3)


def test_pictures_draw_for_real_embeddings(e5: CachedEmbedder) -> None:
    src = ["The cat sleeps.", "It rains in Lisbon.", "Prices rose by 5%."]
    tgt = ["O gato dorme.", "Chove em Lisboa.", "Os preços subiram 5%."]
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.3), Bead((2,), (2,), 0.6)]
    window = link_window(beads, 0, 3)
    similarity = window_similarity(e5, src, tgt, window)
    assert similarity.shape == (3, 3)
    assert all(similarity[k, k] == similarity[k].max() for k in range(3))  # translations are most similar
    figure = draw_alignment(similarity, beads, window, highlight=1)
    assert isinstance(figure, Figure)
    boxes = [p for p in figure.axes[0].patches]
    assert len(boxes) == 3 and boxes[1].get_linewidth() == 3  # the selected link stands out
    assert draw_alignment(similarity, beads, link_window(beads, 1, 3)).axes[0].get_title() == "links 2-3"
    spread = draw_confidences([0.9, 0.3, None, 0.6], window)
    assert "1 without confidence" in spread.axes[0].get_title()
    assert spread.axes[1].get_xlim() == (0.5, 4.5)  # the track's links are numbered 1 to 4, as people read them
    spread.savefig(Path("/dev/null"), format="png")  # renders without pyplot


# --------------------------------------------------------------------------------------------- server and CLI


def test_streamlit_command_binds_to_localhost_only() -> None:
    command = streamlit_command(8765)
    assert command[1:5] == ["-m", "streamlit", "run", str(MAIN_SCRIPT)]
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert options["--server.address"] == "127.0.0.1" and options["--server.port"] == "8765"
    assert options["--server.headless"] == "true" and options["--browser.gatherUsageStats"] == "false"
    assert MAIN_SCRIPT.is_file()


def test_busy_or_bad_port_is_refused_with_advice(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(WorkbenchError, match=f"port {port} .* in use"):
            check_port(port)
        assert cli_main(["app", "--port", str(port)]) == 2
    assert "--port" in capsys.readouterr().err
    with pytest.raises(WorkbenchError, match="not a TCP port"):
        check_port(70000)
    check_port(free_port())


def test_uploads_open_word_documents_and_po_files() -> None:
    """The Open and Translate pages take what the readers open (a .docx here) and PO files as corpora."""
    import io

    import docx
    import polib

    made = docx.Document()
    made.core_properties.title = "Relatório anual"
    made.add_heading("Um título", 1)
    made.add_paragraph("Primeira frase do texto. Segunda frase do texto.")
    made.add_paragraph("Um item da lista", style="List Bullet")
    buffer = io.BytesIO()
    made.save(buffer)
    assert upload_kind("relatorio.docx") == "document" and upload_kind("app.po") == "corpus"
    text = decode_upload(buffer.getvalue(), "relatorio.docx")
    document = document_from_upload(text, "relatorio.docx", "pt")
    assert document.title == "Relatório anual" and document.name == "relatorio"
    assert [s.text for s in document.sentences] == [
        "Um título",
        "Primeira frase do texto.",
        "Segunda frase do texto.",
        "Um item da lista",
    ]
    assert len({s.paragraph for s in document.sentences}) == 3  # heading, paragraph and list item stay apart
    with pytest.raises(InputError):
        decode_upload(b"PK\x03\x04 not really a zip", "broken.docx")

    po = polib.POFile()
    po.metadata = {"Language": "pt"}
    po.append(polib.POEntry(msgid="Open file", msgstr="Abrir ficheiro"))
    corpus = corpus_from_upload(str(po).encode(), "app.po", "en", "pt")
    assert [(u.source, u.target) for u in corpus.units] == [("Open file", "Abrir ficheiro")]
