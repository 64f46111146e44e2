"""The domain models: stable ids, locations derived from sentences, and the JSON shape of answers."""

from __future__ import annotations

import dataclasses
import json

import pytest

from knowledge.models import Answer, Citation, Document, Paragraph, Place, QAPair, Sentence


def sentence(paragraph: int, number: int, lines: tuple[int, int], text: str = "Text.") -> Sentence:
    return Sentence("essay", paragraph, number, lines[0], lines[1], text, Place("essay.txt", paragraph, (number,)))


CITATION = Citation("essay", 2, (3, 4), (19, 23), "Innovation, culture, “language”.", Place("essay.txt", 2, (3, 4)))


def pair(pair_id: str = "innovation", alternates: tuple[str, ...] = ("alt one", "alt two")) -> QAPair:
    return QAPair(pair_id, "essay", "What matters?", alternates, "Innovation.", "quote", CITATION, 7)


def test_sentence_id_names_paragraph_and_number() -> None:
    assert sentence(2, 3, (19, 21)).id == "p2.s3"
    assert sentence(10, 12, (1, 1)).id == "p10.s12"


def test_paragraph_lines_run_from_first_to_last_sentence() -> None:
    sentences = (sentence(3, 1, (28, 29)), sentence(3, 2, (29, 32)), sentence(3, 3, (33, 34)))
    paragraph = Paragraph("essay", 3, "A. B. C.", sentences)
    assert (paragraph.line_start, paragraph.line_end) == (28, 34)


def test_document_sentences_are_in_reading_order() -> None:
    first = Paragraph("essay", 1, "A. B.", (sentence(1, 1, (1, 1)), sentence(1, 2, (2, 2))))
    second = Paragraph("essay", 2, "C.", (sentence(2, 1, (4, 4)),))
    document = Document("essay", "essay.txt", (first, second))
    assert [s.id for s in document.sentences] == ["p1.s1", "p1.s2", "p2.s1"]


def test_citation_json_shape() -> None:
    assert CITATION.to_dict() == {
        "source": "essay",
        "paragraph": 2,
        "sentences": [3, 4],
        "lines": [19, 23],
        "quote": "Innovation, culture, “language”.",
        "file": "essay.txt",
        "page": None,
        "section": None,
    }


def test_pair_key_and_phrasings() -> None:
    assert pair().key == "essay/innovation"
    assert pair().phrasings == ("What matters?", "alt one", "alt two")
    assert pair(alternates=()).phrasings == ("What matters?",)


def test_answered_json_shape() -> None:
    answer = Answer("What matters?", True, "Innovation.", 0.876543, (CITATION,), pair())
    value = answer.to_dict()
    assert value == {
        "question": "What matters?",
        "answered": True,
        "answer": "Innovation.",
        "confidence": 0.8765,
        "citations": [CITATION.to_dict()],
        "closest": None,
        "parts": [],
    }
    assert json.loads(json.dumps(value)) == value


def test_not_covered_json_shape() -> None:
    answer = Answer("Who won the cup?", False, None, 0.1, suggestions=(pair(),))
    assert answer.to_dict() == {
        "question": "Who won the cup?",
        "answered": False,
        "answer": None,
        "confidence": 0.1,
        "citations": [],
        "closest": None,
        "parts": [],
    }
    assert answer.citations == ()
    assert answer.pair is None


def test_not_covered_json_with_the_nearest_passage() -> None:
    answer = Answer("What matters most?", False, None, 0.45, closest=CITATION)
    value = answer.to_dict()
    assert value["citations"] == []
    assert value["closest"] == CITATION.to_dict()
    assert json.loads(json.dumps(value)) == value


@pytest.mark.parametrize(
    ("value", "attribute"),
    [
        (sentence(1, 1, (1, 1)), "text"),
        (CITATION, "quote"),
        (pair(), "answer"),
        (Answer("q", False, None, 0.0), "text"),
    ],
)
def test_models_are_frozen(value: object, attribute: str) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, attribute, "changed")


def pdf_sentence(number: int, pages: tuple[str, str], on_page: tuple[int, int]) -> Sentence:
    place = Place("essay.pdf", on_page[0], (on_page[1],), pages=pages)
    return Sentence("essay", 3, number, 0, 0, f"Sentence {number}.", place)


def test_a_pdf_citation_over_a_page_break_counts_on_from_its_first_page() -> None:
    sentences = (pdf_sentence(4, ("1", "2"), (2, 3)), pdf_sentence(5, ("2", "2"), (1, 2)))
    citation = Citation.of(sentences, "Sentence 4. Sentence 5.")
    assert (citation.paragraph, citation.sentences, citation.lines) == (3, (4, 5), None)
    assert citation.place == Place("essay.pdf", 2, (3, 4), pages=("1", "2"))
    assert citation.where() == ["essay.pdf", "pp. 1–2", "¶2", "sentences 3, 4"]
    assert citation.where(sentences=False) == ["essay.pdf", "pp. 1–2", "¶2"]
    assert citation.to_dict() == {
        "source": "essay",
        "paragraph": 3,
        "sentences": [4, 5],
        "lines": None,
        "quote": "Sentence 4. Sentence 5.",
        "file": "essay.pdf",
        "page": {"first": "1", "last": "2", "paragraph": 2, "sentences": [3, 4]},
        "section": None,
    }


def test_a_citation_on_one_printed_page() -> None:
    citation = Citation.of((pdf_sentence(1, ("xii", "xii"), (1, 1)),), "Sentence 1.")
    assert citation.where() == ["essay.pdf", "p. xii", "¶1", "sentence 1"]


def test_a_section_citation_names_the_heading_path_and_keeps_lines_where_the_file_has_them() -> None:
    place = Place("notes.md", 2, (1,), section=("Methods", "Sampling"))
    sentence = Sentence("notes", 7, 1, 14, 15, "Samples were drawn.", place)
    citation = Citation.of((sentence,), "Samples were drawn.")
    assert citation.where() == ["notes.md", "Methods › Sampling", "¶2", "sentence 1", "lines 14–15"]
    assert citation.to_dict()["section"] == {"headings": ["Methods", "Sampling"], "paragraph": 2, "sentences": [1]}
    assert citation.to_dict()["page"] is None
    before_headings = Citation.of(
        (Sentence("notes", 1, 1, 0, 0, "Hi.", Place("notes.docx", 1, (1,), section=())),), "Hi."
    )
    assert before_headings.where() == ["notes.docx", "¶1", "sentence 1"]
    assert before_headings.to_dict()["section"] == {"headings": [], "paragraph": 1, "sentences": [1]}


def test_a_plain_text_citation_reads_as_before() -> None:
    assert CITATION.where() == ["essay.txt", "¶2", "sentences 3, 4", "lines 19–23"]
