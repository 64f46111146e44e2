"""Questions about where in the text: which paragraph, which sentence of it, counted as a reader counts them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.corpus import load_knowledge
from knowledge.headings import is_title, prose_paragraphs, section_titles
from knowledge.models import Document, Paragraph, Sentence
from knowledge.ranking import Ranker
from knowledge.reading import read_question
from knowledge.structure import KeySentences, Place, Position, find_place, locate, paragraph_at

MakeFolder = Callable[..., Path]


def place(question: str) -> Place | None:
    return read_question(question).place


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What does paragraph 3 say?", Place(3, Position.KEY, True)),
        ("summarize para 2", Place(2, Position.KEY, True)),
        ("main argument of the second paragraph", Place(2, Position.KEY, True)),
        ("Can you give me a one-line summary of the 15th paragraph?", Place(15, Position.KEY, True)),
        ("what's in the last paragraph", Place(-1, Position.KEY, True)),
        ("the second to last paragraph?", Place(-2, Position.KEY, True)),
        ("What does the third-to-last paragraph say?", Place(-3, Position.KEY, True)),
        ("what is the 4th from last paragraph about", Place(-4, Position.KEY, True)),
        ("What's the topic sentence of paragraph 3?", Place(3, Position.FIRST, True)),
        ("How does the second paragraph end?", Place(2, Position.LAST, True)),
        ("What point does paragraph 3 finish on?", Place(3, Position.LAST, True)),
        ("What's the last point made in paragraph 2?", Place(2, Position.LAST, True)),
        ("what is the first point made in paragraph 4", Place(4, Position.FIRST, True)),
        ("what's the final point of paragraph 2", Place(2, Position.KEY, True)),  # its point, not its last words
        ("summarize the intro", Place(1, Position.KEY, False)),
        ("What's the conclusion?", Place(-1, Position.KEY, False)),
        ("How does the essay end?", Place(-1, Position.ENDING, False)),  # its point, and its last words
        ("how does the chapter end", Place(-1, Position.ENDING, False)),
        ("how does the essay wrap up", Place(-1, Position.ENDING, False)),
        ("How does the chapter finish?", Place(-1, Position.ENDING, False)),
        ("What is this text about?", Place(None, Position.KEY, False)),
        ("What's the main argument of the essay?", Place(-1, Position.KEY, False)),  # stated in its conclusion
        ("what's the big takeaway of this chapter", Place(-1, Position.KEY, False)),
        ("What is the main idea of the intro?", Place(1, Position.KEY, False)),
        ("How does the essay open?", Place(1, Position.KEY, False)),
        ("How does the text begin?", Place(1, Position.KEY, False)),
        ("What is the opening sentence of the essay about?", Place(None, Position.FIRST, False)),
        ("What does the very last sentence of the essay argue?", Place(None, Position.LAST, False)),
        ("What's the topic of the paragraph right after the introduction?", Place(2, Position.KEY, True)),
        ("What does the paragraph before the conclusion talk about?", Place(-2, Position.KEY, True)),
        ("summarize the paragraph following paragraph 2", Place(3, Position.KEY, True)),
        ("what is the paragraph preceding the 3rd paragraph about", Place(2, Position.KEY, True)),
        ("whats the paragraph just before the ending about", Place(-2, Position.KEY, True)),  # not how it ends
        ("how does the paragraph after the intro end?", Place(2, Position.LAST, True)),
        ("what does the paragraph before the intro say", Place(1, Position.KEY, False)),  # none: the intro itself
    ],
)
def test_places_are_read_from_the_question(question: str, expected: Place) -> None:
    found = place(question)
    assert found is not None
    assert found._replace(sums_up=False) == expected  # whether it sums up: the test below


@pytest.mark.parametrize(
    ("question", "sums_up"),
    [
        ("give me the gist of what it says about chalk", True),
        ("What is the paragraph about educational exchanges mainly saying?", True),
        ("what's the main point of the paragraph on the honours given to Morse", True),
        ("summarize paragraph 3", True),
        ("What's the short version of Cook's time working in Staithes?", True),
        ("Give me the main points about Cook's apprenticeship", True),
        ("in a nutshell, why does chalk matter", True),
        ("quick recap of the part on milk teeth pls", True),
        ("when did japan start using soft power", False),  # "start" names the opening in passing
        ("How does the essay open?", False),
    ],
)
def test_a_place_asked_for_its_point_sums_up(question: str, sums_up: bool) -> None:
    found = place(question)
    assert found is not None
    assert found.sums_up is sums_up


@pytest.mark.parametrize(
    "question",
    [
        "What is soft power?",
        "How does Japan attract students?",
        "Why do rivers flood in spring?",
        "japan economy",
        "should players wrap up warm after a match",  # no text wraps up here
        "how long does the varnish take to finish drying",
    ],
)
def test_a_question_about_a_topic_names_no_place(question: str) -> None:
    assert place(question) is None


@pytest.mark.parametrize(
    "question",
    ["What is soft power really for, in the end?", "at the end of the day, what does Japan want from exchanges?"],
)
def test_in_the_end_meaning_ultimately_names_no_place(question: str) -> None:
    assert place(question) is None
    concluded = place("In the end, what does the essay conclude?")
    assert concluded is not None
    assert concluded.paragraph == -1


def test_find_place_needs_one_of_its_words() -> None:
    assert find_place("What is soft power?", {"what", "is", "soft", "power"}) is None


@pytest.fixture
def chapter(make_folder: MakeFolder) -> Document:
    text = (
        "CHAPTER 1. EARLY YEARS.\n\n"
        "Digestion.\n\n"
        "The first paragraph opens here. It has a second sentence.\n\n"
        "The second paragraph starts. Food is chewed. Saliva helps the food. Then the food is swallowed.\n\n"
        "The last paragraph. It ends the chapter.\n"
    )
    return load_knowledge(make_folder(**{"chapter.txt": text})).documents[0]


def test_headings_are_not_counted_as_paragraphs(chapter: Document) -> None:
    assert [p.number for p in prose_paragraphs(chapter)] == [3, 4, 5]
    first = paragraph_at(chapter, 1)
    assert first is not None
    assert first.sentences[0].text == "The first paragraph opens here."
    assert paragraph_at(chapter, -1) == chapter.paragraphs[-1]
    assert paragraph_at(chapter, 4) is None
    assert paragraph_at(chapter, -4) is None


def test_a_title_in_capitals_over_two_lines_is_not_counted_as_a_paragraph(make_folder: MakeFolder) -> None:
    body = (
        "I have long had it in contemplation\nto write something about the mule.\n\n"
        "The mule is a patient animal that served the army well.\n"
    )
    heading = "CHAPTER I.\nHOW MULES SHOULD BE TREATED IN BREAKING.\n\n"
    document = load_knowledge(make_folder(**{"mules.txt": heading + body})).documents[0]
    assert [p.number for p in prose_paragraphs(document)] == [2, 3]
    first = paragraph_at(document, 1)
    assert first is not None
    assert first.sentences[0].text.startswith("I have long had it")
    # Lines in capitals past a title's length, or two lines not all in capitals, are prose.
    shouted = "AND SO\nWE SAY\nIT AGAIN\nAND AGAIN.\n\n"
    long = load_knowledge(make_folder("long", **{"mules.txt": shouted + body})).documents[0]
    assert [p.number for p in prose_paragraphs(long)] == [1, 2, 3]
    mixed = load_knowledge(make_folder("mixed", **{"mules.txt": "CHAPTER I.\nHow mules are broken.\n\n" + body}))
    assert [p.number for p in prose_paragraphs(mixed.documents[0])] == [1, 2, 3]


def test_a_motto_under_the_title_is_not_counted_as_a_paragraph(make_folder: MakeFolder) -> None:
    text = (
        "CHAPTER III\n\nLEARNING BORN OF PLAY\n\n     Play, which is the business of their lives.\n\n"
        "There may be nothing new under the sun, but it does seem\nfair to say that Froebel valued play.\n\n"
        "Play is not the opposite of work.\n"
    )
    document = load_knowledge(make_folder(**{"play.txt": text})).documents[0]
    assert [p.number for p in prose_paragraphs(document)] == [4, 5]
    # Without a title above it, or before a paragraph no longer than itself, a short first line is a paragraph.
    untitled = load_knowledge(make_folder("untitled", **{"play.txt": text.split("\n\n", 2)[2]})).documents[0]
    assert [p.number for p in prose_paragraphs(untitled)] == [1, 2, 3]
    assert [
        p.number
        for p in prose_paragraphs(
            load_knowledge(make_folder("short", **{"play.txt": text.replace("seem\nfair", "seem fair")})).documents[0]
        )
    ] == [3, 4, 5]


def test_locate_the_first_last_and_key_sentences(chapter: Document) -> None:
    def key(paragraph: Paragraph) -> tuple[Sentence, ...]:
        return paragraph.sentences[1:2]

    second = chapter.paragraphs[3]
    assert locate(chapter, Place(2, Position.FIRST, True), key) == second.sentences[:1]
    assert locate(chapter, Place(2, Position.LAST, True), key) == second.sentences[-1:]
    assert locate(chapter, Place(2, Position.KEY, True), key) == second.sentences[1:2]
    assert locate(chapter, Place(None, Position.LAST, False), key)[0].text == "It ends the chapter."
    assert locate(chapter, Place(9, Position.KEY, True), key) == ()


def test_how_the_text_ends_is_its_last_paragraphs_point_and_its_last_sentence(chapter: Document) -> None:
    def first(paragraph: Paragraph) -> tuple[Sentence, ...]:
        return paragraph.sentences[:1]

    last = chapter.paragraphs[-1]
    assert locate(chapter, Place(-1, Position.ENDING, False), first) == last.sentences
    assert locate(chapter, Place(-1, Position.ENDING, False), lambda p: p.sentences[-1:]) == last.sentences[-1:]


@pytest.mark.parametrize(
    "text",
    [
        "Digestion.",
        "The Pharynx and OEsophagus.",
        "Deglutition, or Swallowing.",
        "128.",
        "CHAPTER 1. EARLY YEARS.",
        "Sec.2. _The Law of Diminishing Utility_.",
    ],
)
def test_a_short_capitalised_sentence_is_a_title(text: str) -> None:
    assert is_title(text)


@pytest.mark.parametrize(
    "text",
    ["It is a prodigious plain.", "Food is chewed.", "The Structure of the Teeth of Mammals and of Birds.", "", "..."],
)
def test_a_sentence_that_says_something_is_no_title(text: str) -> None:
    assert not is_title(text)


def test_each_sentence_knows_the_heading_it_is_under(make_folder: MakeFolder) -> None:
    text = (
        "Digestion.\n\n"
        "128. The Teeth. The teeth are hard. They grind food.\n\n"
        "Milk teeth come first.\n\n"
        "129. Saliva. Saliva wets the food.\n"
    )
    document = load_knowledge(make_folder(**{"book.txt": text})).documents[0]
    found = dict(zip((s.text for s in document.sentences), section_titles(document), strict=True))
    assert found["Digestion."] == (True, "")
    assert found["128."] == found["The Teeth."] == (True, "")
    assert found["The teeth are hard."] == found["Milk teeth come first."] == (False, "128. The Teeth.")
    assert found["Saliva wets the food."] == (False, "129. Saliva.")


def test_key_sentences_are_the_first_and_the_one_sharing_most(chapter: Document) -> None:
    def terms(text: str) -> list[str]:
        return [w.strip(".").lower() for w in text.split()]

    key = KeySentences(terms, lambda term: 1.0)
    second = chapter.paragraphs[3]
    assert key(second) == (second.sentences[0], second.sentences[3])  # "Then the food is swallowed": "the food is"
    assert key(chapter.paragraphs[2]) == chapter.paragraphs[2].sentences[:1]


def test_key_sentences_leave_out_a_section_number_and_title(make_folder: MakeFolder) -> None:
    text = "129. Absorption of Food. The food passes into the blood. Then the blood carries the food to the cells.\n"
    paragraph = load_knowledge(make_folder(**{"book.txt": text})).documents[0].paragraphs[0]
    key = KeySentences(lambda text: [w.strip(".").lower() for w in text.split()], lambda term: 1.0)
    assert [s.text for s in key(paragraph)] == ["The food passes into the blood."]  # two sentences left: one says it


def test_a_paragraph_opens_with_its_first_sentence_after_any_title(make_folder: MakeFolder) -> None:
    text = "Digestion.\n\n128. The Teeth. The teeth are hard. They grind food.\n\nMilk teeth come first. Then more.\n"
    ranker = Ranker(load_knowledge(make_folder(**{"book.txt": text})))
    opens = {s.text for s, first in zip(ranker.sentences, ranker.opens, strict=True) if first}
    assert opens == {"The teeth are hard.", "Milk teeth come first."}
