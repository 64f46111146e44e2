"""Cut a message into its parts: the questions of its own it holds ("what's X and also why Y?") and the context
around them ("I'm making flashcards for tomorrow's seminar."), each lowercased with chat shorthand spelled out; and
write each question of a message asking several as a question by itself (:func:`questions_of`).

:mod:`knowledge.reading` reads what each part asks; this module only finds where parts begin and end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from knowledge.chat import FILLERS, SHORTHAND
from knowledge.text import is_abbreviated

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[?]+|[.!;]+")
_CONTRACTIONS = ("s", "m", "re", "ve", "ll", "d")
"""Endings dropped after an apostrophe: "Japan's" is "japan", "I'm" is "i", "they're" is "they"."""
_QUESTION_START = frozenset(
    """
    what why how who whom whose where when which whats is are was were do does did can could should would will has
    have had explain summarize summarise describe define tell remind give list compare name
    """.split()
)
_JOINERS = frozenset({"also", "plus"})
_STOPS = "?.!;"
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_JOINS = frozenset({"also", "plus", "and", "Also", "Plus", "And", "ALSO", "PLUS", "AND"})
"""Words before which a message may hold another part ("what is X and why Y", "also"), as written."""
_AND = "and"
_SPLITS = frozenset({"also", "plus", "and"})
"""Words before which a message may hold another part (besides "?", ".", "!" and ";" before its end)."""
_VERB_FIRST = frozenset("is are was were do does did can could should would will has have had".split())
"""Question words that are verbs: after "and" they start a question only with a subject after them."""
_NO_SUBJECT = frozenset(
    """not never nothing be been being always often also still just only even ever done made given taken seen known
    shown become gone got gotten brought thought found led kept held left built sent begun grown""".split()
)
"""Words that after "and has", "and is", "and can"... show the verb goes on without a subject: it continues the
question before ("what happens when the mule understands you and has gained your confidence"), asks nothing new."""


class Part(NamedTuple):
    """A stretch of the message: a question of its own, or context around one."""

    tokens: tuple[str, ...]
    """Its words as written."""
    words: tuple[str, ...]
    """The same words lowercased, shorthand spelled out, fillers and stopwords kept (they mark questions)."""
    is_question: bool


class Asked(NamedTuple):
    """One question of a message that asks several, to be read by itself."""

    question: str
    """As written, its leading "also" or "and" dropped and a "?" ended: "who are the new actors?"."""
    context: str
    """The question before it, when it refers back to it ("... and is it part of Japan's soft power?"): read as
    context, so that "it" brings what it stands for, and any name the material lacks."""


def split_message(folded: str) -> list[Part]:
    """The parts of a message (folded by :func:`knowledge.normalize.fold`), in order."""
    body = folded.rstrip().rstrip("?.!; ")
    tokens = _WORD.findall(body)
    if "?" in body or "." in body or "!" in body or ";" in body or not _JOINS.isdisjoint(tokens):
        return _parts(_TOKEN.findall(folded), "'" in folded)
    return _one_part(tokens, "'" in body, folded.rstrip().endswith("?"))  # one part, as most questions are


def words_of(text: str) -> list[str]:
    """A text's words, lowercased as a part's are (possessives and contractions dropped)."""
    return [_lower(word) for word in _WORD.findall(text)]


def _one_part(tokens: list[str], apostrophes: bool, question_mark: bool) -> list[Part]:
    """The message as a single part (no sentence end or joining word inside it)."""
    if not tokens:
        return []
    lowered = [_lower(t) for t in tokens] if apostrophes else [t.casefold() for t in tokens]
    words = tuple([SHORTHAND.get(w, w) for w in lowered])
    first = first_word(words)
    return [Part(tuple(tokens), words, question_mark or first in _QUESTION_START)]


def starts_at(words: Sequence[str]) -> int:
    """Where a part's own words start: after fillers and joining words ("so", "also", "and")."""
    return next((i for i, w in enumerate(words) if w not in FILLERS and w not in _JOINERS and w != _AND), len(words))


def _ends_at(words: Sequence[str]) -> int:
    """Where a part's own words end: before trailing fillers and joining words ("... and", "... lol")."""
    end = len(words)
    while end and (words[end - 1] in FILLERS or words[end - 1] in _JOINERS or words[end - 1] == _AND):
        end -= 1
    return end


def first_word(words: Sequence[str]) -> str:
    """A part's first word of its own (see :func:`starts_at`), or "" if it has none."""
    start = starts_at(words)
    return words[start] if start < len(words) else ""


def _lower(token: str) -> str:
    """A token lowercased with its possessive or contraction dropped ("Japan's" is "japan", "I'm" is "i")."""
    low = token.casefold()
    if "'" in low:
        stem, _, ending = low.rpartition("'")
        if ending in _CONTRACTIONS:
            return stem
    return low


def _parts(tokens: list[str], apostrophes: bool) -> list[Part]:
    """Cut the message where one question or sentence ends and another begins.

    A part ends at "?", ".", "!" or ";", before "also"/"plus", and before "and" followed by a question word
    ("what is X and why Y"). A part is a question if it ended with "?" or starts with a question word or an
    imperative such as "explain"; a message with no such part is all question (a keyword search, say).
    """
    lowered = [_lower(t) for t in tokens] if apostrophes else [t.casefold() for t in tokens]
    lowered = [SHORTHAND.get(w, w) for w in lowered]
    if _SPLITS.isdisjoint(lowered) and not any(w[0] in _STOPS for w in lowered[:-1]):  # one part, as most are
        words = tuple(w for w in lowered if w[0] not in _STOPS)
        if not words:
            return []
        first = first_word(words)
        written = tuple(t for t in tokens if t[0] not in _STOPS)
        return [Part(written, words, lowered[-1][0] == "?" or first in _QUESTION_START)]
    parts: list[Part] = []
    start = 0

    def close(end: int, question_mark: bool) -> None:
        words = tuple(w for w in lowered[start:end] if w[0] not in _STOPS)
        if words:
            first = first_word(words)
            written = tuple(t for t in tokens[start:end] if t[0] not in _STOPS)
            parts.append(Part(written, words, question_mark or first in _QUESTION_START))

    for i, word in enumerate(lowered):
        if word[0] in _STOPS:
            if word == "." and 0 < i < len(lowered) - 1 and _abbreviated(tokens[i - 1]):
                continue  # "what else did Dr. Dauglish invent?", "Mr. G. W. Hillyard": one part
            close(i, word[0] == "?")
            start = i + 1
        elif word in _JOINERS or (word == _AND and _starts_question(lowered[i + 1 : i + 3])):
            close(i, False)
            start = i
    close(len(lowered), False)
    return parts


def _starts_question(words: Sequence[str]) -> bool:
    """Whether the words after an "and" start a question of their own: a question word, and after a verb such as
    "is" or "has" a subject ("and is it...", "and does japan..."), not more of the verb ("and has gained...")."""
    if not words or words[0] not in _QUESTION_START:
        return False
    if words[0] not in _VERB_FIRST or len(words) < 2:
        return True
    after = words[1]
    return after not in _NO_SUBJECT and not (len(after) > 4 and after.endswith("ed"))


def _abbreviated(token: str) -> bool:
    """Whether a full stop after ``token`` marks an abbreviation ("Dr.", "St.", "Prof.") or an initial ("G."), not the
    end of a question or sentence."""
    return is_abbreviated(token) or (len(token) == 1 and token.isupper())


_REFERS_BACK = frozenset("it its they them their he him his she her this that these those".split())
"""Words by which a question may lean on the one before ("what is the JET Programme and is it part of...")."""


def questions_of(asks: list[Part]) -> list[Asked]:
    """The questions of a message (its parts that ask something), each to be read by itself (see :class:`Asked`);
    none if there are fewer than two."""
    if len(asks) < 2:
        return []
    found = [Asked(_as_asked(asks[0]), "")]
    for before, part in pairwise(asks):
        found.append(Asked(_as_asked(part), _as_asked(before) if not _REFERS_BACK.isdisjoint(part.words) else ""))
    return found


def _as_asked(part: Part) -> str:
    """A part of a message written as a question by itself: "also who are the new actors lol" is "who are the new
    actors?" (a part has a content word, so something is left)."""
    return " ".join(part.tokens[starts_at(part.words) : _ends_at(part.words)]) + "?"
