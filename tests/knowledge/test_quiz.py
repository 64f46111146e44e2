"""knowledge/quiz.py: grading a student's free-text answer against a curated pair — typos and word order forgiven,
unrelated or question-only answers wrong, half the key words partly right."""

from __future__ import annotations

import dataclasses

import pytest

from knowledge.corpus import Knowledge
from knowledge.models import QAPair
from knowledge.quiz import PARTLY, RIGHT, Grade, Verdict, grade, key_terms
from knowledge.retriever import Retriever

ONLY_GOAL = "soft-power-only-goal"
"""Question "What is the only goal of soft power?", answer "The achievement of the desired economic and political
results." Its key words by weight in the essay: desired, economic = results, achievement, political."""


@pytest.fixture(scope="module")
def only_goal(bundled: Knowledge) -> QAPair:
    return next(pair for pair in bundled.pairs if pair.id == ONLY_GOAL)


def with_answer(pair: QAPair, answer: str, question: str | None = None) -> QAPair:
    return dataclasses.replace(pair, answer=answer, question=question or pair.question)


def test_the_curated_answer_itself_is_right(only_goal: QAPair, retriever: Retriever) -> None:
    result = grade(only_goal.answer, only_goal, retriever.term_weight)
    assert result == Grade(1.0, Verdict.RIGHT, ("achievement", "desired", "economic", "political", "results"), ())


@pytest.mark.parametrize(
    "answer",
    [
        "the achievment of desird ecnomic and politcal results",  # four typos
        "The Achievement Of The Desired Economic And Political Results!!",
        "political and economic results, as desired: that is what it achieves",  # other order, other forms
        "results political economic desired achievement",
    ],
)
def test_typos_case_and_word_order_are_forgiven(answer: str, only_goal: QAPair, retriever: Retriever) -> None:
    result = grade(answer, only_goal, retriever.term_weight)
    assert result.verdict is Verdict.RIGHT
    assert result.score > 0.9
    assert result.missing == ()


def test_a_typo_earns_a_little_less_than_the_right_spelling(only_goal: QAPair, retriever: Retriever) -> None:
    exact = grade("desired economic political results", only_goal, retriever.term_weight)
    typo = grade("desird economic political results", only_goal, retriever.term_weight)
    assert 0.0 < exact.score - typo.score < 0.05
    assert typo.matched == exact.matched


@pytest.mark.parametrize("answer", ["pizza is tasty", "", "   ", "?!", "I don't know", "42"])
def test_an_unrelated_answer_is_wrong(answer: str, only_goal: QAPair, retriever: Retriever) -> None:
    result = grade(answer, only_goal, retriever.term_weight)
    assert result.verdict is Verdict.WRONG
    assert result.score == 0.0
    assert result.matched == ()
    assert result.missing == ("desired", "results", "economic", "achievement", "political")  # most telling first


@pytest.mark.parametrize(
    ("answer", "score"),
    [("desired economic", 0.474), ("political results", 0.347), ("the achievement of economic things", 0.391)],
)
def test_half_the_key_words_is_partly_right(answer: str, score: float, only_goal: QAPair, retriever: Retriever) -> None:
    result = grade(answer, only_goal, retriever.term_weight)
    assert result.verdict is Verdict.PARTLY
    assert result.score == pytest.approx(score, abs=0.001)
    assert len(result.matched) == 2
    assert len(result.missing) == 3


def test_question_words_earn_nothing(only_goal: QAPair, retriever: Retriever) -> None:
    for answer in (only_goal.question, "soft power's only goal", "the goal of soft power, only that"):
        result = grade(answer, only_goal, retriever.term_weight)
        assert result.verdict is Verdict.WRONG, answer
        assert result.score == 0.0, answer


def test_every_curated_answer_is_right_and_its_question_is_not(bundled: Knowledge, retriever: Retriever) -> None:
    for pair in bundled.pairs:
        assert grade(pair.answer, pair, retriever.term_weight).verdict is Verdict.RIGHT, pair.key
        assert grade(pair.question, pair, retriever.term_weight).verdict is not Verdict.RIGHT, pair.key


def test_key_terms_leave_out_the_question_words(only_goal: QAPair, retriever: Retriever) -> None:
    keys = key_terms(only_goal, retriever.term_weight)
    assert [word for word, _ in keys.values()] == ["achievement", "desired", "economic", "political", "results"]
    assert all(weight > 0 for _, weight in keys.values())
    weights = dict(keys.values())
    assert weights["desired"] > weights["economic"] == weights["results"] > weights["achievement"]
    assert weights["achievement"] > weights["political"]  # "political" is common in the essay: it tells least


def test_an_answer_made_of_question_words_is_graded_on_them(only_goal: QAPair) -> None:
    pair = with_answer(only_goal, "Soft power.", question="What is the only goal of soft power?")
    assert [word for word, _ in key_terms(pair, lambda _: 1.0).values()] == ["soft", "power"]
    assert grade("soft power", pair).verdict is Verdict.RIGHT
    assert grade("hard power", pair).verdict is Verdict.PARTLY
    assert grade("pizza", pair).verdict is Verdict.WRONG


def test_an_answer_without_key_words_cannot_be_answered_right(only_goal: QAPair) -> None:
    pair = with_answer(only_goal, "No.")
    assert key_terms(pair, lambda _: 1.0) == {}
    assert grade("No.", pair) == Grade(0.0, Verdict.WRONG, (), ())


def test_thresholds_with_equal_weights(only_goal: QAPair) -> None:
    pair = with_answer(only_goal, "alpha bravo charlie delta", question="Which four code words?")
    assert grade("alpha", pair) == Grade(0.25, Verdict.PARTLY, ("alpha",), ("delta", "charlie", "bravo"))
    assert grade("alpha bravo", pair) == Grade(RIGHT, Verdict.PARTLY, ("alpha", "bravo"), ("delta", "charlie"))
    assert grade("alpha bravo delta", pair).verdict is Verdict.RIGHT  # more than half
    assert grade("charlie", pair).score == PARTLY
    assert grade("", pair).verdict is Verdict.WRONG
    assert grade("delta charlie bravo alpha", pair).score == 1.0


def test_short_words_need_the_right_spelling(only_goal: QAPair) -> None:
    """Under four letters a one-letter slip is another word ("war" and "was"): no fuzzy credit."""
    pair = with_answer(only_goal, "A war with oil.", question="What happened?")
    assert grade("war oil", pair).score == 1.0
    assert grade("wat oik", pair).score == 0.0


def test_weights_make_rare_words_count_more(only_goal: QAPair) -> None:
    pair = with_answer(only_goal, "rare common", question="Which words?")
    weights = {"rare": 3.0, "common": 1.0}
    assert grade("rare", pair, lambda stem: weights[stem]).score == pytest.approx(0.75)
    assert grade("common", pair, lambda stem: weights[stem]).score == pytest.approx(0.25)
    assert grade("common", pair, lambda stem: weights[stem]).missing == ("rare",)
