"""Questions asking what something is for, in words that do not say so."""

from __future__ import annotations

import pytest

from knowledge.normalize import fold
from knowledge.parts import split_message
from knowledge.purpose import asks_purpose


def _asks(question: str) -> bool:
    return any(asks_purpose(part.words) for part in split_message(fold(question)))


@pytest.mark.parametrize(
    "question",
    [
        "whats the point",
        "What's the point of student exchanges?",
        "wait so whats the actual point of this essay lol",
        "is the real point of it money?",
        "What is soft power for?",
        "what are the exchanges even for",
        "What is soft power really for, in the end?",
        "so whats soft power actually for in the end. just money + politics?",
    ],
)
def test_a_question_asking_what_something_is_for(question: str) -> None:
    assert _asks(question)


@pytest.mark.parametrize(
    "question",
    [
        "What's the main point of the second paragraph?",  # a place's gist
        "What is the boiling point of aluminum?",
        "What point does the author make about exchanges?",
        "what were the crypts used for?",  # a use, stated in the text's own words
        "what is japan known for",
        "What is this essay arguing for?",
        "what did he pay for",
        "what was the reason for the war?",
        "is soft power good for japan",
    ],
)
def test_other_questions_with_point_or_for_ask_no_purpose(question: str) -> None:
    assert not _asks(question)
