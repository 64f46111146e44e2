"""Questions about the text's structure: "what does paragraph 3 say", "summarize the intro", "how does it end".

Such a question names a place, not a topic, so it is answered from that place: its key sentence, or the sentence
it points at ("the topic sentence of paragraph 3", "the very last sentence"). Paragraphs are counted as a reader
counts them, headings left out. Works for any text: nothing here knows the essay.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from enum import Enum
from typing import NamedTuple

from knowledge.headings import is_heading, is_title, prose_paragraphs
from knowledge.models import Document, Paragraph, Sentence
from knowledge.sections import Section, paragraphs_in, section_named

_ORDINALS = {
    "first": 1, "one": 1, "opening": 1, "second": 2, "two": 2, "third": 3, "three": 3, "fourth": 4, "four": 4,
    "fifth": 5, "five": 5, "sixth": 6, "six": 6, "seventh": 7, "seven": 7, "eighth": 8, "eight": 8, "ninth": 9,
    "nine": 9, "tenth": 10, "ten": 10, "eleventh": 11, "eleven": 11, "twelfth": 12, "twelve": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "last": -1, "final": -1, "closing": -1, "concluding": -1, "penultimate": -2,
}  # fmt: skip
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)|" + "|".join(sorted(_ORDINALS, key=len, reverse=True))
_PARAGRAPH = r"(?:paragraph|para|par|¶)"
_FROM_LAST = r"(?:second|third|fourth|fifth|2nd|3rd|4th|5th)[ -](?:to|from)[ -]last"
"""Counting back from the end: "the second-to-last paragraph", "the third from last"."""
_NUMBERED = re.compile(
    rf"\b(?:(?P<before>{_FROM_LAST}|{_ORDINAL})\s+{_PARAGRAPH}s?\b"
    rf"|{_PARAGRAPH}\s*(?:(?:no\.?|number|#)\s*)?(?P<after>\d{{1,3}}|{_ORDINAL})\b|¶\s*(?P<mark>\d{{1,3}}))",
    re.IGNORECASE,
)
_BESIDE = re.compile(
    rf"\b{_PARAGRAPH}\s+(?:that\s+(?:comes|is)\s+)?(?:right\s+|just\s+|immediately\s+|directly\s+)?"
    r"(?P<way>before|after|following|preceding)\b",
    re.IGNORECASE,
)
"""A paragraph named by the place next to it: "the paragraph right after the introduction", "the paragraph before
the conclusion", "the paragraph following paragraph 2"."""
_INTRO = re.compile(
    r"\b(?:intro|introduction|introductory|opening|beginning|start)\b(?!\s+(?:sentence|line|words?)\b)", re.IGNORECASE
)
_THE_TEXT = r"(?:text|essay|article|reading|passage|paper|chapter|excerpt|lecture|book)"
"""Names a student gives the whole text, as in "how does the essay open" or "how does the chapter finish"."""
_OPENS = re.compile(
    rf"\b(?:{_THE_TEXT}|this)\s+(?:opens?|begins?|starts?)"
    r"\b(?!\s+(?:with|by)\b)",
    re.IGNORECASE,
)
"""How the text opens ("how does the essay open?", "how does the text begin?"): its first paragraph. "The essay opens
with..." asks for the first sentence instead (:data:`_FIRST_SENTENCE`)."""
_PART = re.compile(r"\b(?:paragraph|para|section|passage)s?\b", re.IGNORECASE)
"""A part of the text asked about by its topic ("the paragraph about exchanges"): a place, and a request for its
point."""
_ENDING = re.compile(
    r"(?<!\bfor in the )(?<!\bfor, in the )"
    r"\b(?:conclusion|conclude|concluding|ending|ends?|outro|closing|final part|last part|last section|"
    rf"{_THE_TEXT}\s+(?:wraps?\s+up|finish(?:es)?))\b"
    r"(?!\s+(?:sentence|line|words?|of the day)\b)",
    re.IGNORECASE,
)
"""The text's end, not "for in the end" or "at the end of the day" ("what is it for in the end": ultimately); "how does
the essay wrap up" or "finish" too, but not "wrap up warm after a match"."""
_MAIN_POINT = re.compile(
    r"\b(?:(?:main|central|key|overall|big)\s+(?:idea|point|argument|thesis|message|claim|takeaway)s?|takeaways?)\b",
    re.IGNORECASE,
)
"""The whole text's main point: where an essay or a chapter states what it has argued, its conclusion (its opening
says what it is about)."""
_WHOLE = re.compile(
    r"\b(?:(?:text|essay|article|reading|passage|paper|chapter|it|this)\s+(?:about|say|says|argue|argues)\b|"
    r"thesis|tl\s*;?\s*dr|gist|summar(?:y|ize|ise)|overview|sum (?:it )?up|in a nutshell|short version|rundown|recap|"
    r"(?:main|key) points)",
    re.IGNORECASE,
)
_FIRST_SENTENCE = re.compile(
    r"\b(?:first|opening|topic|initial)\s+(?:sentence|line|words?)\b|\b(?:first|opening)\s+point\s+(?:made|it\s+makes)\b|"
    r"\b(?:start|begin|open)(?:s|ing)?\s+(?:with|by)\b",
    re.IGNORECASE,
)
_LAST_SENTENCE = re.compile(
    r"\b(?:(?:very\s+)?(?:last|final|closing|concluding)\s+(?:sentence|line|words?|point\s+(?:made|it\s+makes)))\b",
    re.IGNORECASE,
)
_ENDS_ON = re.compile(r"\b(?:ends?|ending|finish(?:es)?|close[sd]?|wraps? up)\b", re.IGNORECASE)
STRUCTURE_WORDS = frozenset(
    """paragraph paragraphs para par intro introduction introductory opening beginning start begin begins conclusion
    conclude concluding ending end ends outro closing close closes wrap wraps final last first second third fourth
    fifth sixth seventh eighth ninth tenth penultimate sentence sentences line lines topic main central key overall
    big idea point argument thesis message claim takeaway gist summary summarize summarise overview sum finish example
    finishes text essay article reading passage paper chapter part section initial very
    simple simply plain terms words word brief briefly short saying make makes made making ask asks asked talk talks
    explained cover covers covered question questions open opens opened starts started began nutshell version rundown
    recap points before after following preceding right just immediately directly""".split()
)
"""Words that name a place in the text, or say what to do with it ("explain paragraph 4 in simple terms", "what
question does paragraph 6 ask", "the point made in the last paragraph", "the paragraph right after the intro", "what
example does paragraph 2 finish with"), rather than a topic: left out when judging whether a topic remains."""


class Position(Enum):
    """Which sentence of the place the question wants."""

    KEY = "key"
    FIRST = "first"
    LAST = "last"
    ENDING = "ending"
    """How the whole text ends ("how does the essay end?"): its last paragraph's key sentences and its last one."""


def structural_kind(position: Position, topic: bool) -> str:
    """Which rate a structural answer is given (the key of :data:`knowledge.confidence.STRUCTURAL`): a place asked
    about with a topic it may not hold, a named sentence ("the last sentence of paragraph 2"), or key sentences."""
    if topic:
        return "with_topic"
    return "exact" if position in (Position.FIRST, Position.LAST) else "key"


class Place(NamedTuple):
    """Where a structural question points: a paragraph (1-based among prose paragraphs, -1 the last), or the whole
    text (``paragraph`` is None), and which sentence of it."""

    paragraph: int | None
    position: Position
    numbered: bool
    """Whether the paragraph was named by its number ("paragraph 3", "the second paragraph"), not as a part."""
    sums_up: bool = False
    """Whether the question asks what the place says ("gist", "summarize", "main point", "the paragraph about..."),
    rather than naming a place in passing ("when did Japan start...")."""
    section: Section | None = None
    """The section the paragraph is counted in ("the first paragraph of Chapter II"); None: the whole text."""


_TRIGGERS = frozenset(
    """paragraph paragraphs para par intro introduction introductory opening beginning start starts begin begins open
    opens conclusion conclude concludes concluding ending end ends outro closing final last part section topic sentence
    line thesis tl tldr gist summary summarize summarise overview sum finish finishes wrap wraps idea ideas point
    points argument claim message takeaway nutshell version rundown recap""".split()
)
"""Words one of which most places need: most questions have none, and a set lookup tells."""
_SAYS = frozenset({"about", "say", "says", "argue", "argues"})
_WHOLE_TEXT = frozenset({"text", "essay", "article", "reading", "passage", "paper", "chapter", "it", "this"})


def find_place(question: str, words: Iterable[str]) -> Place | None:
    """The place a question names, or None if it names none (then it is about a topic); ``words`` are its
    lowercased words.

    "the end of paragraph 2" is that paragraph's last sentence; "the conclusion" alone is the last paragraph, and
    "how does it end" that paragraph with its last sentence; "the last sentence of the essay" is the text's very
    last sentence.
    """
    unplaced = _TRIGGERS.isdisjoint(words) and (_SAYS.isdisjoint(words) or _WHOLE_TEXT.isdisjoint(words))
    if unplaced and "¶" not in question:
        return None
    numbered = _NUMBERED.search(question)
    first = _FIRST_SENTENCE.search(question) is not None
    last = _LAST_SENTENCE.search(question) is not None
    main_point = _MAIN_POINT.search(question) is not None
    sums_up = main_point or _WHOLE.search(question) is not None or _PART.search(question) is not None
    paragraph: int | None
    beside = _beside(question)
    asked = question  # what the question says of the place, without how it names it ("the para before the ending")
    if beside is not None:
        paragraph, asked = beside
    elif numbered:
        paragraph = _numbered(numbered)
    elif _INTRO.search(question) or _OPENS.search(question):
        paragraph = 1
    elif _ENDING.search(question) or main_point:
        paragraph = -1
    elif sums_up or first or last:
        paragraph = None
    else:
        return None
    by_number = beside is not None or numbered is not None
    if first:
        position = Position.FIRST
    elif last or (by_number and _ENDS_ON.search(asked)):
        position = Position.LAST
    elif paragraph == -1 and _ENDS_ON.search(asked):
        position = Position.ENDING
    else:
        position = Position.KEY
    return Place(paragraph, position, by_number, sums_up, section_named(question))


def _beside(question: str) -> tuple[int, str] | None:
    """The paragraph a question names by the place next to it (:data:`_BESIDE`), counted as the others are (-2: the
    one before the last), and the question without the place it counts from ("how does the paragraph before the
    conclusion end" asks how that paragraph ends); None if it names none, or one past either end ("the paragraph
    before the introduction")."""
    found = _BESIDE.search(question)
    if found is None:
        return None
    rest = question[found.end() :]
    anchor: int | None
    if (named := _NUMBERED.search(rest)) is not None:
        anchor = _numbered(named)
    elif (named := _INTRO.search(rest)) is not None:
        anchor = 1
    elif (named := _ENDING.search(rest)) is not None:
        anchor = -1
    else:
        return None
    if anchor is None:
        return None
    moved = anchor + (-1 if found["way"].casefold() in ("before", "preceding") else 1)
    if moved == 0 or (moved > 0) != (anchor > 0):
        return None
    return moved, question[: found.end()] + rest[: named.start()] + rest[named.end() :]


def is_ordinal(word: str) -> bool:
    """Whether a lowercased word can number a paragraph ("3", "3rd", "third")."""
    return _number(word) is not None


def _numbered(found: re.Match[str]) -> int | None:
    """The paragraph a match of :data:`_NUMBERED` names."""
    return _counted((found.group("before") or found.group("after") or found.group("mark")).casefold())


def _counted(word: str) -> int | None:
    """The paragraph a numbering word names: 3 for "third" or "3rd", -1 for "last", -3 for "third-to-last"."""
    if word != "last" and word.endswith("last"):  # counted back from the end: "second to last", "3rd from last"
        back = _number(re.split(r"[ -]", word, maxsplit=1)[0])
        return -back if back else None
    return _number(word)


def _number(word: str) -> int | None:
    digits = word.rstrip("stndrh")
    return int(digits) if digits.isdigit() else _ORDINALS.get(word)


def paragraph_at(document: Document, number: int, section: Section | None = None) -> Paragraph | None:
    """The ``number``-th prose paragraph of a text or of a section of it (1-based; -1 the last, -2 the one before),
    if it has one."""
    paragraphs = prose_paragraphs(document) if section is None else paragraphs_in(document, section, is_heading)
    if paragraphs is None:
        return None
    index = number - 1 if number > 0 else len(paragraphs) + number
    return paragraphs[index] if 0 <= index < len(paragraphs) else None


def locate(document: Document, place: Place, key: Callable[[Paragraph], tuple[Sentence, ...]]) -> tuple[Sentence, ...]:
    """The sentences a place points at in ``document`` (none if it has no such place); ``key`` picks a
    paragraph's key sentences.

    The whole text's first sentence is its first paragraph's, its last the last paragraph's, and its key sentence
    the first paragraph's key sentence (where a text says what it is about).
    """
    if place.paragraph is not None:
        paragraph = paragraph_at(document, place.paragraph, place.section)
    else:
        paragraph = paragraph_at(document, -1 if place.position is Position.LAST else 1, place.section)
    if paragraph is None:
        return ()
    if place.position is Position.FIRST:
        return paragraph.sentences[:1]
    if place.position is Position.LAST:
        return paragraph.sentences[-1:]
    found = key(paragraph)
    if place.position is Position.ENDING and paragraph.sentences[-1] not in found:
        return (*found, paragraph.sentences[-1])
    return found


KEY_SENTENCES_FROM = 3
"""A paragraph this long is summed up by two sentences, not one."""


class KeySentences:
    """What a paragraph is about: its first sentence (the topic sentence of most prose; titles aside) and, in a
    paragraph of three sentences or more, the one that shares most with the others, in reading order.

    Shared words are weighed by ``idf`` (a material's own weights, so that "Japan" in every sentence counts for
    little) and a sentence's total is damped by its length, so a long sentence does not win by size alone.
    """

    def __init__(self, terms: Callable[[str], Iterable[str]], idf: Callable[[str], float]) -> None:
        self._terms = terms
        self._idf = idf
        self._found: dict[int, tuple[Sentence, ...]] = {}

    def __call__(self, paragraph: Paragraph) -> tuple[Sentence, ...]:
        found = self._found.get(id(paragraph))
        if found is None:
            # A section's number or title at the paragraph's start ("129.", "Absorption of Food.") says nothing.
            sentences = tuple(s for s in paragraph.sentences if not is_title(s.text)) or paragraph.sentences
            found = sentences[:1]
            if len(sentences) >= KEY_SENTENCES_FROM:
                terms = [set(self._terms(s.text)) for s in sentences]

                def shared(i: int) -> float:
                    others = set().union(*terms[:i], *terms[i + 1 :])
                    return sum(self._idf(t) for t in terms[i] & others) / math.sqrt(1 + len(terms[i]))

                found = (sentences[0], sentences[max(range(1, len(sentences)), key=shared)])
            self._found[id(paragraph)] = found
        return found
