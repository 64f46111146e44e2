"""How students write in chat, whatever the material: shorthand to spell out, fillers and small talk that name no
topic, and talk about studying that names one only where the material uses it.

Word lists and patterns only; :mod:`knowledge.reading` reads a question with them.
"""

from __future__ import annotations

import re

from knowledge.normalize import STOPWORDS

SHORTHAND = {
    "u": "you",
    "ur": "your",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "abt": "about",
    "smth": "something",
    "sth": "something",
    "w": "with",
    "wo": "without",
    "govt": "government",
    "gov": "government",
    "tho": "though",
    "thru": "through",
    "ppl": "people",
    "bcs": "because",
    "diff": "difference",
    "info": "information",
    "intl": "international",
    "econ": "economy",
    "tech": "technology",
    "edu": "education",
    "pol": "politics",
    "whats": "what",
    "wats": "what",
    "wat": "what",
    "wut": "what",
}
"""Chat abbreviations, spelled out so they can match the text (``w/`` reads as ``w``)."""

FILLERS = frozenset(
    """
    lol lmao lmfao rofl ngl tbh imo imho idk idc omg omfg fr frfr rn btw bruh bro bros dude guys yall ya yeah yea yep
    yup nope nah ok okay okk kk hmm hm huh um uh umm wait so literally basically actually honestly anyway
    anyways sorry pls plz please thx thanks thank ty hey hi hello sup yo gonna wanna gotta kinda sorta lowkey
    highkey deadass smh istg tldr tl dr though like even sus mid
    """.split()
)
"""Chat fillers and slang that carry no topic, whatever the material ("like" and "though" as chat uses them: "is
innovation like the base of the economy", "why tho"; "even" as emphasis, "what even is the margin", which says no
more than "actually")."""

TAGS = frozenset({"right", "correct"})
"""Words that end a question asking for agreement ("so it's all about money, right?"): no topic there."""

STUDY_TALK = frozenset(
    """
    exam exams test tests quiz quizzes midterm midterms final finals homework assignment assignments coursework
    essay essays seminar seminars lecture lectures lecturer lecturers prof profs professor professors teacher
    teachers tutor tutors tutorial class classes classmate classmates course courses module modules syllabus
    reading readings notes note flashcard flashcards slide slides presentation presentations revise revising
    revision studying cram cramming grade grades mark marks tomorrow tonight today week friend friends roommate
    group remind reminder help confused confusing mixing mix understand understanding get getting point
    summarize summarise summary sum gist overview recap nutshell briefly quick quickly short version main
    paragraph paragraphs section sections part parts bit bits chapter page state states stated way ways
    argue argues argued arguing claim claims claimed suggest suggests suggested
    """.split()
)
"""How students talk about studying. These words are about the asking, not the topic: a word here that the
material does not use weighs nothing (one the material uses, say "lecture" in a text about lectures, or "state" in
a text about states, counts)."""

_SMALL_TALK = re.compile(
    r"(?:\b(?:hi|hey|hello|yo|good (?:morning|afternoon|evening))|^\W*(?:morning|afternoon|evening))(?: there)?"
    r"(?:,? (?:everyone|everybody|all|guys|folks|y'?all|team))?\b"
    r"|\bhow(?:'s| is| are| r)? (?:it|things) going\b"
    r"|\bhow(?:'s| is| are| r) (?:you|u|ya|everyone|everybody)(?: doing)?\b"
    r"|\bhow (?:was|were) (?:your|ur|the) (?:weekend|day|week|break|holidays?|vacation)\b"
    r"|\bwhat(?:'s| is)? up\b|\bgood night\b|\bsee (?:you|ya|u) (?:later|soon|tomorrow)\b",
    re.IGNORECASE,
)
"""Greetings and small talk, which name no topic: "hey how's it going" is not a question about "going", and "hi
everyone! what is soft power?" is not about everyone."""
_SMALL_TALK_WORD = re.compile(
    r"\b(?:hi|hey|hello|yo|morning|afternoon|evening|going|you|u|ya|weekend|day|week|break|holidays?|vacation|up"
    r"|night)\b",
    re.IGNORECASE,
)
"""A word every kind of small talk above has: most questions have none, and this is 5 times quicker to look for."""


def drop_small_talk(text: str) -> str:
    """``text`` without its greetings and small talk ("hi everyone! what is soft power?" is "what is soft power?")."""
    return _SMALL_TALK.sub(" ", text) if _SMALL_TALK_WORD.search(text) else text


def is_content(word: str) -> bool:
    """Whether a lowercased word can carry the question's topic: not a stopword, not chat's filler."""
    return (len(word) > 1 or word.isdigit()) and word not in _NOT_CONTENT


_NOT_CONTENT = STOPWORDS | FILLERS
