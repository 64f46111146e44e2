"""Sections a question names ("the first paragraph of Chapter II"), and the paragraphs counted within them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.corpus import load_knowledge
from knowledge.models import Document
from knowledge.retriever import Retriever
from knowledge.sections import Section, section_named
from knowledge.structure import paragraph_at

MakeFolder = Callable[..., Path]

BOOK = (
    "CHAPTER I.\n\n"
    "EARLY OBSERVERS.\n\n"
    "Herschel watched the polar caps grow and shrink. He wrote about the seasons.\n\n"
    "_The Canals._\n\n"
    "Schiaparelli saw long dark lines in 1877. He called them channels.\n\n"
    "CHAPTER II.\n\n"
    "BATHS.\n\n"
    "THE WARM BATH.\n\n"
    "The warm bath soothes a restless child. It should last ten minutes.\n\n"
    "The water is kept at one heat throughout. A thermometer stays in the bath.\n\n"
    "SEA BATHING.\n\n"
    "Sea bathing begins in summer. The child goes in at low tide.\n"
)


@pytest.fixture
def book(make_folder: MakeFolder) -> Document:
    return load_knowledge(make_folder(**{"book.txt": BOOK})).documents[0]


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("What does the first paragraph of Chapter II say?", Section("chapter", 2, ("chapter", "ii"))),
        ("summarize the last paragraph of chap. 1", Section("chapter", 1, ("chap", "1"))),
        (
            "What is the first paragraph under the warm bath heading about?",
            Section(None, None, ("warm", "bath", "heading")),
        ),
        (
            "Summarize the opening paragraph of the chapter on the origin of the constitution.",
            Section(None, None, ("the", "origin", "of", "the", "constitution", "chapter")),
        ),
        ("tl;dr of the part about the octagon", None),  # a topic, answered on it
        ("what happened in the first part of the war", None),
        ("What is the last paragraph of the first part about?", None),  # which part, not what it is called
    ],
)
def test_sections_are_read_from_the_question(question: str, section: Section | None) -> None:
    assert section_named(question) == section


def test_paragraphs_are_counted_within_the_section(book: Document) -> None:
    """A chapter holds until the next chapter, its sub-headings inside it; a titled section until the next heading."""
    first_of_two = paragraph_at(book, 1, Section("chapter", 2, ()))
    assert first_of_two is not None
    assert first_of_two.sentences[0].text.startswith("The warm bath soothes")
    last_of_one = paragraph_at(book, -1, Section("chapter", 1, ()))
    assert last_of_one is not None
    assert last_of_one.sentences[0].text.startswith("Schiaparelli")
    last_of_warm = paragraph_at(book, -1, Section(None, None, ("warm", "bath")))
    assert last_of_warm is not None
    assert last_of_warm.sentences[0].text.startswith("The water is kept")
    assert paragraph_at(book, 1, Section("chapter", 3, ())) is None  # no such chapter
    assert paragraph_at(book, 1, Section(None, None, ("snow",))) is None
    baths = paragraph_at(book, -1, Section(None, None, ("baths", "chapter")))  # the chapter's title: all of it
    assert baths is not None
    assert baths.sentences[0].text.startswith("Sea bathing begins")


def test_a_question_about_a_paragraph_of_a_chapter_is_answered_from_it(make_folder: MakeFolder) -> None:
    retriever = Retriever(load_knowledge(make_folder(**{"book.txt": BOOK})))
    answer = retriever.ask("What does the first paragraph of Chapter II say?")
    assert answer.answered
    assert answer.citations[0].quote.startswith("The warm bath soothes")
    under = retriever.ask("What is the last paragraph under the sea bathing heading about?")
    assert under.answered
    assert under.citations[0].quote.startswith("Sea bathing begins")


def test_a_section_named_by_its_heading_is_one_only_if_the_text_has_that_heading(make_folder: MakeFolder) -> None:
    """ "How does the chapter on baths end?" counts in the chapter headed "BATHS."; "the part about the dark lines"
    has no heading of its own, so it is a topic, answered on it."""
    retriever = Retriever(load_knowledge(make_folder(**{"book.txt": BOOK})))
    ending = retriever.ask("How does the chapter on baths end?")
    assert ending.answered
    assert ending.citations[0].quote.endswith("The child goes in at low tide.")
    place = retriever.read("How does the chapter on baths end?").place
    assert place is not None
    assert place.section is not None
    topic = retriever.read("Summarize the part about the dark lines.")
    assert topic.place is not None
    assert topic.place.section is None
    assert topic.topic


def test_a_heading_over_the_whole_text_names_no_section(make_folder: MakeFolder) -> None:
    """A title is no section: "the part about what chalk is" in a lecture titled "On a Piece of Chalk" is a topic."""
    lecture = (
        "ON A PIECE OF CHALK.\n\nChalk is made of tiny shells. It lies under much of England.\n\nIt burns to lime.\n"
    )
    retriever = Retriever(load_knowledge(make_folder(**{"chalk.txt": lecture})))
    query = retriever.read("can u sum up the part about what chalk is")
    assert query.place is not None
    assert query.place.section is None
