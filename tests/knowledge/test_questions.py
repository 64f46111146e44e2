"""What counts as a question: cleaning what people type, and saying plainly what is wrong with it."""

from __future__ import annotations

import time

import pytest

from knowledge.questions import MAX_QUESTION_CHARS, check_question, clean_question


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("  What is\tsoft   power?\n", "What is soft power?"),
        ("What\x00is\x07soft\x1bpower?", "What is soft power?"),
        ("so\u200bft po\u200dwer\u00ad policy\ufeff", "soft power policy"),
        ("dip\u2060lo\u200cmacy\u200e", "diplomacy"),
        ("\u202eWhat is soft power?\u202c", "What is soft power?"),
        ("What is\r\nsoft power?\x7f", "What is soft power?"),
        ("\x01\x02\x03", ""),
        ("日本のソフトパワー", "日本のソフトパワー"),
        ("Japan’s “soft power”", "Japan’s “soft power”"),
    ],
)
def test_clean_question_drops_invisible_characters_and_spaces_control_ones(typed: str, clean: str) -> None:
    assert clean_question(typed) == clean


def test_a_normal_question_is_fine() -> None:
    assert check_question("What is soft power?") is None


@pytest.mark.parametrize("question", ["2022?", "日本とは", "¿Qué es?", "x"])
def test_any_letter_or_digit_makes_a_question(question: str) -> None:
    assert check_question(question) is None


def test_empty_question() -> None:
    assert check_question("") == "the question is empty: ask something about the text"


@pytest.mark.parametrize("question", ["???", "😀😀", "... !!!", "🇯🇵 ❤️"])
def test_question_without_words(question: str) -> None:
    assert check_question(question) == "the question has no words in it: ask something about the text"


@pytest.mark.parametrize("greeting", ["hey how's it going", "Good morning all!", "hi", "how r u 😊"])
def test_a_greeting_alone_is_no_question(greeting: str) -> None:
    assert check_question(greeting) == "that reads as a greeting, not a question: ask something about the text"


@pytest.mark.parametrize("question", ["hi! what is soft power?", "what is up with japan's culture", "thanks"])
def test_a_greeting_with_a_question_or_a_thank_you_is_asked(question: str) -> None:
    assert check_question(question) is None


def test_question_of_exactly_the_limit_is_accepted() -> None:
    assert check_question("a" * MAX_QUESTION_CHARS) is None


def test_question_over_the_limit_is_rejected_with_its_length() -> None:
    assert check_question("a" * (MAX_QUESTION_CHARS + 1)) == (
        f"the question is too long ({MAX_QUESTION_CHARS + 1:,} characters; the limit is {MAX_QUESTION_CHARS:,})"
    )


def test_ten_megabyte_question_is_rejected_quickly() -> None:
    huge = "What is soft power? " * 500_000
    started = time.perf_counter()
    cleaned = clean_question(huge)
    problem = check_question(cleaned)
    assert time.perf_counter() - started < 2.0
    assert problem == f"the question is too long ({len(cleaned):,} characters; the limit is 1,000)"
