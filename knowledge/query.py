"""Turn a question into what the ranker searches for: its words resolved to the material's terms, and weighed.

:mod:`knowledge.reading` reads the message as a student wrote it (shorthand, fillers, context, two questions);
this module maps what is left onto one material's vocabulary. A word the material never uses still counts, by how
telling it is in general English (:mod:`knowledge.informativeness`), so that "photosynthesis" weighs against every
answer and "tomorrow" hardly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from knowledge.chat import STUDY_TALK, is_content
from knowledge.headings import is_heading, prose_paragraphs
from knowledge.informativeness import meant, unknown_weight
from knowledge.models import Document
from knowledge.parts import Asked
from knowledge.purpose import PURPOSE
from knowledge.ranking import QueryTerm, Ranker
from knowledge.reading import read_question
from knowledge.sections import Section, paragraphs_in, section_mentioned
from knowledge.structure import STRUCTURE_WORDS, Place, Position, is_ordinal

MAX_QUERY_WORDS = 64
"""Longer questions are cut: no real question has more content words, and it bounds the work a query can cause."""


class Query(NamedTuple):
    """A question as the retriever sees it."""

    terms: list[QueryTerm]
    unknown: float
    """The weight of the words the material never uses (general-English rarity on the idf scale)."""
    length: int
    unknown_names: list[str]
    wants_quantity: bool
    measure: str | None
    """The measure it asks for (:attr:`~knowledge.wanted.Wanted.measure`)."""
    wants_name: bool
    wants_ones: bool
    """It asks which ones of a kind (:attr:`~knowledge.wanted.Wanted.ones`)."""
    kind: tuple[str | None, str | None] | None
    """The terms of the kind it asks which ones of, and of its modifier (:attr:`~knowledge.wanted.Wanted.kind`)."""
    names: frozenset[str | None]
    """The terms of the question's words: a name in a candidate that the question already uses is not new."""
    place: Place | None
    topic: bool
    """Whether the question names a topic besides any place (a content word other than a place word, whether the
    material uses it or not)."""
    asked: list[Asked]
    """Each question of its own in the message, when it asks two or more (:attr:`Reading.questions
    <knowledge.reading.Reading.questions>`): each is answered as if asked alone."""
    wording: frozenset[str] | None
    """Its terms, when the material knows every word of it: if a curated phrasing has the same, the question is
    that phrasing in other word forms or order ("what's soft power" for "What is soft power?")."""
    person: str | None
    """The kind of person whose name it asks (:attr:`~knowledge.wanted.Wanted.person`), as written."""


class QueryReader:
    """Reads questions against one material's vocabulary and weights (those of ``ranker``)."""

    def __init__(self, ranker: Ranker, documents: Sequence[Document] = ()) -> None:
        self.ranker = ranker
        self._documents = documents
        """The texts, to tell a section a question names by its heading ("the chapter on X") from a topic."""
        self._unknown_idf = ranker.sentence_index.unknown_idf
        term, sureness = ranker.vocabulary.resolve(PURPOSE)
        self.purpose_term = term if sureness == 1.0 else None
        """The material's term for the word "purpose", if it uses it (:mod:`knowledge.purpose`)."""

    def read(self, question: str, context: str = "") -> Query:
        """Resolve the question's words to index terms, weighed, once each, in the order asked (``context``: the
        question before it that it refers back to, :attr:`~knowledge.parts.Asked.context`)."""
        reading = read_question(question, context)
        place = reading.place
        if place is not None and place.section is None:
            place = self._with_section(place, question)
        resolve = self.ranker.vocabulary.resolve
        idf = self.ranker.sentence_index.idf
        in_text = self.ranker.sentence_index.postings
        unknown_names = (
            {word for name in reading.names if not self._is_known_name(name) for word in name} if reading.names else ()
        )
        resolved: dict[str, QueryTerm] = {}
        unknown_capitalised = []
        for word, part_weight in reading.content[:MAX_QUERY_WORDS]:
            if word.isdigit() and names_place(word, place):
                continue  # the 3 of "paragraph 3" is where, not what
            term, sureness = (None, 0.0) if word in unknown_names else resolve(word)
            if word in STUDY_TALK and term not in in_text:
                continue  # how students talk about studying, in no text: "exam", "flashcards", "tomorrow"
            if term is None:
                if not is_content(meant(word)):
                    continue  # a misspelt "what" or "have" ("whta", "hav") is no more a topic than the word itself
                found = QueryTerm(word, None, part_weight, unknown_weight(word) * self._unknown_idf)
                key = "?" + word
                if word in reading.capitalised:
                    unknown_capitalised.append(word)
            else:
                found = QueryTerm(word, term, sureness * part_weight, idf(term))
                key = term
            if key not in resolved or resolved[key].gain < found.gain:
                resolved[key] = found
        terms = list(resolved.values())
        if reading.purpose:  # "what's the actual point of X" is "what is the actual purpose of X", not "what is X"
            terms += self._purpose(resolved)
        wording = (
            None  # a paragraph named by number ("how does paragraph 2 end") is a word no phrasing's terms hold
            if any(q.term is None and q.gain > 0 for q in terms) or (place is not None and place.numbered)
            else frozenset(q.term for q in terms if q.term)
        )
        # A word the material never uses is a topic too: "what does the essay say about photosynthesis" asks about
        # something the essay does not hold, not for its key sentences.
        line_topic = _LENGTH_IN_LINES.search(question) is None
        topic = any((q.term is not None or q.gain > 0) and not names_place(q.word, place, line_topic) for q in terms)
        if topic:  # rank on the topic; words naming the place match only by accident ("first", "end")
            terms = [q for q in terms if not names_place(q.word, place, line_topic)]
        return Query(
            terms,
            sum(q.gain for q in terms if q.term is None),
            len(reading.content),
            unknown_capitalised,
            reading.wants.quantity,
            reading.wants.measure,
            reading.wants.name,
            reading.wants.ones,
            (resolve(reading.wants.kind[0])[0], resolve(reading.wants.kind[1])[0]) if reading.wants.kind else None,
            frozenset(q.term for q in terms),
            place,
            topic,
            reading.questions,
            wording,
            reading.wants.person,
        )

    def _purpose(self, resolved: dict[str, QueryTerm]) -> list[QueryTerm]:
        """The word "purpose", for a question asking what something is for in other words ("what's the point of
        X"), if the material uses it and the question does not: where a text or a curated question says "the
        purpose of X", that is what was asked. Nothing where it does not: the question did not use the word, so it
        must not count against an answer as a word the material lacks."""
        term = self.purpose_term
        if term is None or term in resolved:
            return []
        return [QueryTerm(PURPOSE, term, 1.0, self.ranker.sentence_index.idf(term))]

    def _with_section(self, place: Place, question: str) -> Place:
        """The place counted within the section a question names by its heading's words, if a text has that heading
        ("how does the chapter on the Articles of Confederation end?"); else the place as read."""
        mentioned = section_mentioned(question)
        if mentioned is None or not any(_is_part(document, mentioned) for document in self._documents):
            return place
        return place._replace(section=mentioned)

    def _is_known_name(self, name: tuple[str, ...]) -> bool:
        """Whether the material uses this name as a phrase: "Japan Foundation" is not "Japan" plus "foundations"."""
        stems = [self.ranker.vocabulary.resolve(word)[0] for word in name]
        return all(pair in self.ranker.phrases for pair in pairwise(stems))


def _is_part(document: Document, section: Section) -> bool:
    """Whether a heading of the text holds the section's words and heads part of it, not all of it: "the part about
    what chalk is" does not mean the whole lecture "On a Piece of Chalk"."""
    found = paragraphs_in(document, section, is_heading)
    return found is not None and 0 < len(found) < len(prose_paragraphs(document))


_LINES = frozenset({"line", "lines"})
"""Words naming a place only as the line asked for ("the first line", "the last line of paragraph 2"), or how long the
answer should be (:data:`_LENGTH_IN_LINES`): otherwise a topic ("the part on Line" in a lecture on painting)."""
_LENGTH_IN_LINES = re.compile(r"\b(?:one|two|three|single|few|couple|\d+)[- ]lines?\b", re.IGNORECASE)
"""How long an answer is asked to be ("a one-line summary", "the short two-line passage")."""


def names_place(word: str, place: Place | None, line_topic: bool = False) -> bool:
    """Whether a word of the question is part of how it names a place ("paragraph", "3rd", "conclusion", "Chapter II",
    "the warm bath heading"); with ``line_topic``, "line" does so only as the line asked for (:data:`_LINES`)."""
    return place is not None and (
        (word in STRUCTURE_WORDS and not (line_topic and word in _LINES and place.position is Position.KEY))
        or (place.numbered and is_ordinal(word))
        or (place.section is not None and word in place.section.words)
    )
