"""What counts as a question: one place that cleans what people type and says, plainly, what is wrong with it."""

from __future__ import annotations

import re
import unicodedata

from knowledge.normalize import INVISIBLE
from knowledge.reading import is_small_talk

MAX_QUESTION_CHARS = 1000
"""Longer text is not a question (a pasted essay, a flood); Discord's own option limit is 6000."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_DROP = dict.fromkeys(map(ord, INVISIBLE))


def clean_question(text: str) -> str:
    """Drop invisible characters (they join what they sit in: ``so\u200bft`` is "soft"), turn control characters
    into spaces, and fold whitespace to single spaces."""
    return " ".join(_CONTROL.sub(" ", text.translate(_DROP)).split())


def check_question(question: str) -> str | None:
    """Why ``question`` cannot be asked, in words a user understands; None if it can."""
    if not question:
        return "the question is empty: ask something about the text"
    if len(question) > MAX_QUESTION_CHARS:
        return f"the question is too long ({len(question):,} characters; the limit is {MAX_QUESTION_CHARS:,})"
    if not any(unicodedata.category(char)[0] in "LN" for char in question):
        return "the question has no words in it: ask something about the text"
    if is_small_talk(question):
        return "that reads as a greeting, not a question: ask something about the text"
    return None
