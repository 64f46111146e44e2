"""The retriever on the project's own question set: a golden file, so a retrieval change shows as a readable diff.

Regenerate after an intended change with ``STUDYBOT_UPDATE_GOLDEN=1 python -m pytest tests/knowledge/test_golden.py``
and review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from knowledge.retriever import Retriever, build_retriever

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "bench" / "sets" / "essay" / "own.yaml"
GOLDEN = Path(__file__).resolve().parent / "golden" / "questions.txt"


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return build_retriever()


@pytest.fixture(scope="module")
def questions() -> list[dict[str, object]]:
    return list(yaml.safe_load(QUESTIONS.read_text(encoding="utf-8")))


def _line(retriever: Retriever, question: dict[str, object]) -> str:
    answer = retriever.ask(str(question["q"]))
    if answer.answered:
        citation = answer.citations[0]
        cited = ",".join(f"p{citation.paragraph}.s{n}" for n in citation.sentences)
        via = answer.pair.id if answer.pair else "sentence"
        outcome = f"answered {cited} via {via} ({answer.confidence:.2f})"
    else:
        outcome = f"not covered ({answer.confidence:.2f})"
    expect = ",".join(str(e) for e in question["expect"]) or "abstain"  # type: ignore[attr-defined]
    return f"[{question['kind']}] {question['q']}\n    expect {expect}; {outcome}\n"


def test_answers_match_the_golden_file(retriever: Retriever, questions: list[dict[str, object]]) -> None:
    actual = "".join(_line(retriever, q) for q in questions)
    if os.environ.get("STUDYBOT_UPDATE_GOLDEN"):
        # Rewriting is not a pass: comparing the output with the file just written from it would prove nothing.
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
        pytest.skip(f"rewrote {GOLDEN.name}: review its diff, then run again without STUDYBOT_UPDATE_GOLDEN")
    assert actual == GOLDEN.read_text(encoding="utf-8")


def test_own_set_quality_at_the_shipped_threshold(retriever: Retriever, questions: list[dict[str, object]]) -> None:
    """Top-1 >= 0.95; at most 1 out-of-scope question answered and 2 answers citing the wrong sentence (measured at
    threshold 0.59: none answered out of scope; one wrong, "japan academic exchanges" answered with whom the exchanges
    attract, at 0.78). Worse than this, with one to spare, is a regression."""
    top1 = wrong = answerable = false_answers = 0
    for question in questions:
        expect = {str(e) for e in question["expect"]}  # type: ignore[attr-defined]
        options = retriever.consider(str(question["q"]))
        answer = retriever.ask(str(question["q"]))
        cited = (
            {f"p{answer.citations[0].paragraph}.s{n}" for n in answer.citations[0].sentences}
            if answer.answered
            else set()
        )
        if not expect:
            false_answers += answer.answered
            continue
        answerable += 1
        first = options[0].candidate.citation if options else None
        top1 += bool(first and {f"p{first.paragraph}.s{n}" for n in first.sentences} & expect)
        wrong += bool(cited) and not cited & expect
    assert false_answers <= 1
    assert wrong <= 2
    assert top1 / answerable >= 0.95
