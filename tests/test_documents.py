"""Documents: the seed with its metadata, paragraphs never crossed, pre-split input, bad input refused clearly."""

import pytest

from workbench.documents import document_from_bytes, document_from_text, load_document
from workbench.errors import InputError
from workbench.reading import decode_bytes


def test_seed_opens_by_name_with_metadata_apart_from_the_body() -> None:
    doc = load_document("kosovo-dialogue")
    assert doc.title == "Restoring dialogue, the only correct way to relieve tensions in northern Kosovo"
    assert doc.lang == "en"
    assert doc.metadata["source"] == "China Military Online"
    assert doc.metadata["author"] == "Dong Yifan"
    assert doc.metadata["date"] == "2024-04-29 20:58:24"
    assert "Related News" not in doc.text
    assert "China Military Online" not in doc.text.split("\n")[0]
    assert len(doc.paragraphs) == 9
    assert doc.sentences[0].text.startswith("Recently, the tensions in northern Kosovo")
    assert doc.sentences[-1].text.endswith("do not necessarily reflect the views of")


def test_seed_figures_stay_inside_their_sentences() -> None:
    texts = load_document("kosovo-dialogue").sentence_texts()
    fu_cong = [t for t in texts if "Fu Cong" in t]
    assert len(fu_cong) == 1 and "Resolution 1244" in fu_cong[0] and fu_cong[0].startswith("At the recent UN")
    assert any("90% of the local population" in t for t in texts)


def test_every_sentence_points_back_at_the_text_and_ids_are_stable() -> None:
    doc = load_document("kosovo-dialogue")
    for k, s in enumerate(doc.sentences):
        assert doc.text[s.start : s.end] == s.text
        assert s.index == k
    assert [s.id for s in doc.paragraphs[2].sentences][:2] == ["p3s1", "p3s2"]
    again = load_document("kosovo-dialogue")
    assert [s.id for s in again.sentences] == [s.id for s in doc.sentences]


def test_sentences_never_cross_paragraphs() -> None:
    doc = document_from_text("First paragraph without a stop\n\nSecond paragraph. Two sentences.", "en")
    assert doc.sentence_texts() == ["First paragraph without a stop", "Second paragraph.", "Two sentences."]
    assert [s.paragraph for s in doc.sentences] == [0, 1, 1]


def test_markdown_headings_are_paragraphs_of_their_own() -> None:
    doc = document_from_bytes(b"# A title\nBody text here. More.\n", "en", "note.md")
    assert doc.sentence_texts() == ["# A title", "Body text here.", "More."]


def test_presplit_takes_lines_exactly_as_given() -> None:
    doc = document_from_text("One. Two.\n\nThree\n", "en", presplit=True)
    assert doc.sentence_texts() == ["One. Two.", "", "Three"]


def test_latin1_and_utf16_are_decoded() -> None:
    assert decode_bytes("Très bien. Déjà vu.".encode("latin-1"))[0] == "Très bien. Déjà vu."
    text, encoding = decode_bytes("Привет. Ещё раз.".encode("utf-16"))
    assert text == "Привет. Ещё раз." and encoding == "utf-16"
    assert decode_bytes(b"\xef\xbb\xbfBOM text.")[0] == "BOM text."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"%PDF-1.4\x00\x00\x01\x02binary", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        document_from_bytes(data, "en", "upload.txt")


def test_missing_file_and_unknown_seed_name() -> None:
    with pytest.raises(InputError, match="no such file"):
        load_document("/nonexistent/file.txt", "en")
    with pytest.raises(InputError, match="kosovo-dialogue"):
        load_document("no-such-seed")
