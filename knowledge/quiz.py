"""Self-testing: grade a student's free-text answer against a curated pair, forgiving typos and word order.

A grade is the idf-weighted share of the curated answer's key terms that the student's answer contains, each key
term matched exactly, by stem, or fuzzily (a misspelt "ecnomic" still counts as "economic"). Words that every
answer shares ("soft power", "Japan") weigh little, so naming the topic back is not an answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from knowledge.models import QAPair
from knowledge.normalize import content_words, stem

RIGHT = 0.5
"""A share of the key terms' weight above this is "right"; exactly half is only "partly right" (else "hard power"
would be a right answer to "soft power")."""
PARTLY = 0.25
"""Share needed for "partly right"."""
FUZZY_CUTOFF = 80.0


class Verdict(StrEnum):
    RIGHT = "right"
    PARTLY = "partly right"
    WRONG = "wrong"


@dataclass(frozen=True, slots=True)
class Grade:
    """How a student's answer compares with the curated one."""

    score: float
    verdict: Verdict
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    """Key words of the curated answer that the student's answer lacks, most important first."""


def key_terms(pair: QAPair, weight: Callable[[str], float]) -> dict[str, tuple[str, float]]:
    """The curated answer's content words by stem, each with a word to show and its weight.

    Words of the question itself are not key terms: repeating the question back earns nothing.
    """
    asked = {stem(w) for w in content_words(pair.question)}
    keys: dict[str, tuple[str, float]] = {}
    for word in content_words(pair.answer):
        stemmed = stem(word)
        if stemmed not in asked and stemmed not in keys:
            keys[stemmed] = (word, weight(stemmed))
    if not keys:  # an answer made only of the question's words: grade on those after all
        for word in content_words(pair.answer):
            keys.setdefault(stem(word), (word, weight(stem(word))))
    return keys


def grade(answer: str, pair: QAPair, weight: Callable[[str], float] = lambda _: 1.0) -> Grade:
    """Grade ``answer`` against ``pair``; ``weight`` (of a stem, e.g. ``Retriever.term_weight``) makes rare words
    count more than common ones."""
    keys = key_terms(pair, weight)
    given = content_words(answer)
    given_stems = {stem(w) for w in given}
    total = sum(importance for _, importance in keys.values())
    matched: list[str] = []
    missing: list[tuple[float, str]] = []
    score = 0.0
    for stemmed, (word, importance) in keys.items():
        if stemmed in given_stems:
            score += importance
            matched.append(word)
            continue
        near = process.extractOne(word, given, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_CUTOFF)
        if near is not None and len(word) >= 4:
            score += importance * near[1] / 100.0
            matched.append(word)
        else:
            missing.append((importance, word))
    share = score / total if total else 0.0
    verdict = Verdict.RIGHT if share > RIGHT else Verdict.PARTLY if share >= PARTLY else Verdict.WRONG
    return Grade(share, verdict, tuple(matched), tuple(w for _, w in sorted(missing, reverse=True)))
