"""Splitting a course text into paragraphs and sentences located by line, without ever editing the text."""

from __future__ import annotations

import pytest

from knowledge.errors import KnowledgeError
from knowledge.formats import text as plain
from knowledge.formats.extracted import Block, Extracted, Span
from knowledge.models import Document, Place, Sentence
from knowledge.text import split_document

# (id, first line, last line, how the sentence starts, how it ends) for every sentence of the bundled essay.
ESSAY_SENTENCES = [
    ("p1.s1", 1, 3, "The problem of “soft power” in", "given its insufficient scientific study."),
    ("p1.s2", 3, 6, "Due to the prevailing general attitude", "their goals in the international arena."),
    ("p1.s3", 6, 9, "The need to study the use", "information and technological spheres."),
    ("p1.s4", 9, 12, "With the emergence of new actors", "make full use of new tools."),
    ("p1.s5", 12, 13, "Thus, the aim of the study", "features of the concept of “soft power”."),
    ("p2.s1", 15, 16, "Japan’s soft power policy is", "implementation of this diplomatic tool."),
    ("p2.s2", 16, 19, "In Japan, the use of soft power tools", "the interests of national business."),
    ("p2.s3", 19, 21, "Innovation, culture, language and much more", "between Japan and other countries."),
    (
        "p2.s4",
        21,
        23,
        "Japan is attractive not only",
        "in the field innovation e.g.. Innovation is one of the foundations of its economic model development.",
    ),
    ("p2.s5", 24, 26, "Both Japan and the countries of the region", "Central Asia complement each other."),
    ("p3.s1", 28, 29, "It can be concluded that", "most of its own cultural potential."),
    ("p3.s2", 29, 32, "Attracting the achievements of traditional", "for themselves in Japanese culture."),
    ("p3.s3", 33, 34, "Japan actively organizes educational", "solving several problems at once."),
    ("p3.s4", 34, 36, "By attracting students, researchers", "science and technology industry is maintained."),
    ("p3.s5", 36, 42, "Secondly, it allows you to open up", "different cultures increases."),
    ("p3.s6", 42, 44, "The growth of global student traffic", "foreign languages, especially English."),
    ("p3.s7", 44, 46, "This is fundamentally important", "even when compared to other Asian countries."),
    ("p4.s1", 48, 50, "In conclusion, the implementation", "interesting things for your own state."),
    ("p4.s2", 50, 51, "In fact, the only goal of soft power", "desired economic and political results."),
    ("p4.s3", 51, 53, "It also has a very good effect", "who feel this policy on themselves."),
    ("p4.s4", 53, 54, "It is these ways of conducting", "than whipping and propaganda of political tastes."),
]


def split(raw: str) -> Document:
    return split_document("t", "t.txt", plain.read(raw.encode()))


def texts(document: Document) -> list[list[str]]:
    """The sentence texts of each paragraph."""
    return [[s.text for s in p.sentences] for p in document.paragraphs]


def by_id(document: Document) -> dict[str, Sentence]:
    return {s.id: s for s in document.sentences}


@pytest.fixture(scope="module")
def essay(essay_raw: str) -> Document:
    return split_document("soft-power-essay", "soft-power-essay.txt", plain.read(essay_raw.encode()))


def test_essay_has_four_paragraphs_of_21_sentences(essay: Document) -> None:
    assert [len(p.sentences) for p in essay.paragraphs] == [5, 5, 7, 4]
    assert [s.id for s in essay.sentences] == [row[0] for row in ESSAY_SENTENCES]


def folded_lines(raw: str, first: int, last: int) -> str:
    """Lines ``first`` to ``last`` of ``raw`` (1-based, inclusive) with whitespace folded."""
    return " ".join(" ".join(raw.split("\n")[first - 1 : last]).split())


@pytest.mark.parametrize("row", ESSAY_SENTENCES, ids=[row[0] for row in ESSAY_SENTENCES])
def test_essay_sentence_is_located(essay: Document, essay_raw: str, row: tuple[str, int, int, str, str]) -> None:
    sentence_id, first, last, starts, ends = row
    sentence = by_id(essay)[sentence_id]
    assert (sentence.line_start, sentence.line_end) == (first, last)
    assert sentence.text.startswith(starts)
    assert sentence.text.endswith(ends)
    assert sentence.source == "soft-power-essay"
    # The sentence is on exactly those lines of the file: within them, and not within any narrower range.
    assert sentence.text in folded_lines(essay_raw, first, last)
    if first < last:
        assert sentence.text not in folded_lines(essay_raw, first + 1, last)
        assert sentence.text not in folded_lines(essay_raw, first, last - 1)


def test_paragraph_lines_span_their_sentences(essay: Document) -> None:
    assert [(p.number, p.line_start, p.line_end) for p in essay.paragraphs] == [
        (1, 1, 13),
        (2, 15, 26),
        (3, 28, 46),
        (4, 48, 54),
    ]


def test_page_break_inside_a_sentence_is_not_a_paragraph_break(essay: Document) -> None:
    sentence = by_id(essay)["p3.s5"]
    assert sentence.text.startswith("Secondly, it allows you to open up more to the world")
    assert (sentence.line_start, sentence.line_end) == (36, 42)
    assert sentence.paragraph == 3


def test_full_stop_glued_to_a_capital_splits_two_sentences(essay: Document) -> None:
    sentences = by_id(essay)
    assert sentences["p1.s1"].text.endswith("insufficient scientific study.")
    assert sentences["p1.s2"].text.startswith("Due to the prevailing")
    assert sentences["p1.s1"].line_end == sentences["p1.s2"].line_start == 3
    assert "study.Due" in essay.paragraphs[0].text  # the paragraph keeps the original characters


def test_glued_full_stop_in_synthetic_text() -> None:
    assert texts(split("It was studied.Due to this, it changed.")) == [["It was studied.", "Due to this, it changed."]]


@pytest.mark.parametrize(
    "raw",
    [
        "See e.g. Japan and Korea for examples.",
        "See e.g.. Japan and Korea for examples.",
        "That is, i.e. Japan and Korea are examples.",
        "The idea comes from J. S. Nye and his book.",
        "According to Dr. Nye it works.",
        "Growth was 3.5 percent in one year.",
        "See e.g.Japan for an example.",
        "In 1853, Lieut. Brooke obtained mud from the bottom.",
        "He was apprenticed to Messrs. John and Henry Walker of Whitby.",
        "Capt. Cook and Col. Smith met Rev. Jones at Mt. Edgecumbe.",
        "The lines covered the planet from 60 deg. N. to 60 deg. S. Lat. in a network.",
    ],
)
def test_abbreviations_initials_and_decimals_do_not_end_a_sentence(raw: str) -> None:
    assert texts(split(raw + " Next sentence here.")) == [[raw, "Next sentence here."]]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Is it? Yes! Fine… Then go.", ["Is it?", "Yes!", "Fine…", "Then go."]),
        ("He said “Stop.” Then he left.", ["He said “Stop.”", "Then he left."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("It ended in 2004. 2022 was different.", ["It ended in 2004.", "2022 was different."]),
        ("It ended. “A new one” began.", ["It ended.", "“A new one” began."]),
        ("No full stop at the end", ["No full stop at the end"]),
        ("It ended. then it went on.", ["It ended. then it went on."]),
    ],
)
def test_sentence_ends(raw: str, expected: list[str]) -> None:
    assert texts(split(raw)) == [expected]


def test_blank_lines_after_a_finished_sentence_end_the_paragraph() -> None:
    document = split("It was done.\n\nanother paragraph starts in lower case.\n")
    assert texts(document) == [["It was done."], ["another paragraph starts in lower case."]]
    assert [(s.id, s.line_start, s.line_end) for s in document.sentences] == [("p1.s1", 1, 1), ("p2.s1", 3, 3)]


def test_blank_lines_inside_a_sentence_continue_it() -> None:
    document = split("The work went on and\n\n\n\nthen it was finished.\n")
    assert texts(document) == [["The work went on and then it was finished."]]
    assert (document.sentences[0].line_start, document.sentences[0].line_end) == (1, 5)


def test_heading_before_a_capitalised_paragraph_is_its_own_paragraph() -> None:
    document = split("Introduction\n\nThe body starts here. It goes on.\n")
    assert texts(document) == [["Introduction"], ["The body starts here.", "It goes on."]]
    assert [p.number for p in document.paragraphs] == [1, 2]


def test_lines_are_numbered_from_the_file_including_leading_blank_lines() -> None:
    document = split("\n\n   First sentence\ncontinues here. Second\nsentence.\n\n\nNew paragraph.")
    assert [(s.id, s.line_start, s.line_end, s.text) for s in document.sentences] == [
        ("p1.s1", 3, 4, "First sentence continues here."),
        ("p1.s2", 4, 5, "Second sentence."),
        ("p2.s1", 8, 8, "New paragraph."),
    ]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_endings_give_the_same_lines(essay: Document, essay_raw: str, newline: str) -> None:
    other = split_document(
        "soft-power-essay", "soft-power-essay.txt", plain.read(essay_raw.replace("\n", newline).encode())
    )
    assert other == essay


@pytest.mark.parametrize("raw", ["", "\n\n", "   \n\t\n \r\n"])
def test_empty_text_raises(raw: str) -> None:
    with pytest.raises(KnowledgeError) as caught:
        split_document("t", "folder/t.txt", plain.read(raw.encode()))
    assert str(caught.value) == "folder/t.txt:1: the text is empty"
    assert (caught.value.path, caught.value.line) == ("folder/t.txt", 1)


def test_text_is_never_edited(essay: Document, essay_raw: str) -> None:
    folded = " ".join(essay_raw.split())
    for paragraph in essay.paragraphs:
        assert paragraph.text in folded
        at = 0
        for sentence in paragraph.sentences:
            # Each sentence is the next slice of its paragraph, in order, with only whitespace between them.
            found = paragraph.text.index(sentence.text, at)
            assert paragraph.text[at:found].strip() == ""
            at = found + len(sentence.text)
        assert at == len(paragraph.text)
    # Nothing dropped, nothing added: all non-space characters of the file, in order.
    assert "".join(s.text for s in essay.sentences).replace(" ", "") == "".join(essay_raw.split())


def test_whitespace_inside_lines_is_folded_but_characters_are_kept() -> None:
    document = split("  Japan’s  “soft\tpower”\u00a0works.  \n")
    assert document.sentences[0].text == "Japan’s “soft power” works."


def test_document_keeps_source_and_path() -> None:
    document = split_document("my-text", "some/dir/my-text.txt", plain.read(b"One. Two."))
    assert (document.source, document.path) == ("my-text", "some/dir/my-text.txt")
    assert {s.source for s in document.sentences} == {"my-text"}
    assert {p.source for p in document.paragraphs} == {"my-text"}


# ----------------------------------------------------------------- locators of other formats


def located(*blocks: Block, labels: tuple[str, ...] = ()) -> Document:
    return split_document("t", "dir/t.pdf", Extracted(blocks, labels))


def test_a_sentence_over_a_page_break_is_cited_with_both_pages_and_counted_on_each() -> None:
    document = located(
        Block((Span("First page text. It ends mid", page=1), Span("sentence here. Then more.", page=2))),
        Block((Span("A second paragraph on page two.", page=2),)),
        labels=("xi", "xii"),
    )
    places = [(s.id, s.place.pages, s.place.paragraph, s.place.sentences) for s in document.sentences]
    assert places == [
        ("p1.s1", ("xi", "xi"), 1, (1,)),
        ("p1.s2", ("xi", "xii"), 1, (2,)),
        ("p1.s3", ("xii", "xii"), 1, (2,)),  # the sentence continued from page xi is the first on page xii
        ("p2.s1", ("xii", "xii"), 2, (1,)),
    ]
    assert [(s.line_start, s.line_end) for s in document.sentences] == [(0, 0)] * 4
    assert {s.place.file for s in document.sentences} == {"t.pdf"}


def test_pages_without_labels_are_numbered() -> None:
    document = located(Block((Span("One.", page=1),)), Block((Span("Two.", page=3),)))
    assert [s.place.pages for s in document.sentences] == [("1", "1"), ("3", "3")]


def test_paragraphs_are_counted_under_their_headings() -> None:
    document = split_document(
        "t",
        "t.md",
        Extracted(
            (
                Block((Span("Before any heading.", line=1),), headings=()),
                Block((Span("First under methods.", line=3),), headings=("Methods",)),
                Block((Span("Sampling. Second sentence.", line=5),), headings=("Methods", "Sampling")),
                Block(
                    (Span("Next under sampling", line=7), Span("on two lines.", line=8)),
                    headings=("Methods", "Sampling"),
                ),
            )
        ),
    )
    assert [
        (s.id, s.place.section, s.place.paragraph, s.place.sentences, s.line_start, s.line_end)
        for s in document.sentences
    ] == [
        ("p1.s1", (), 1, (1,), 1, 1),
        ("p2.s1", ("Methods",), 1, (1,), 3, 3),
        ("p3.s1", ("Methods", "Sampling"), 1, (1,), 5, 5),
        ("p3.s2", ("Methods", "Sampling"), 1, (2,), 5, 5),
        ("p4.s1", ("Methods", "Sampling"), 2, (1,), 7, 8),
    ]


def test_plain_text_is_located_by_paragraph_and_sentence_of_the_whole_text(essay: Document) -> None:
    sentence = by_id(essay)["p4.s2"]
    assert sentence.place == Place("soft-power-essay.txt", 4, (2,))
