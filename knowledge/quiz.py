"""Self-testing: grade a student's free-text answer against a curated pair, forgiving typos and word order.

A grade is the idf-weighted share of the curated answer's key terms that the student's answer contains, each key
term matched exactly, by stem, or fuzzily (a misspelt "ecnomic" still counts as "economic"). Words that every
answer shares ("soft power", "Japan") weigh little, so naming the topic back is not an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from knowledge.models import QAPair
from knowledge.normalize import content_words, stem

RIGHT = 0.5
"""Share of the key terms' weight needed for "right"."""
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


def key_terms(pair: QAPair, idf: dict[str, float]) -> dict[str, tuple[str, float]]:
    """The curated answer's content words by stem, each with a word to show and its weight (idf, default 1).

    Words of the question itself are not key terms: repeating the question back earns nothing.
    """
    asked = {stem(w) for w in content_words(pair.question)}
    keys: dict[str, tuple[str, float]] = {}
    for word in content_words(pair.answer):
        stemmed = stem(word)
        if stemmed not in asked and stemmed not in keys:
            keys[stemmed] = (word, idf.get(stemmed, 1.0))
    if not keys:  # an answer made only of the question's words: grade on those after all
        for word in content_words(pair.answer):
            keys.setdefault(stem(word), (word, idf.get(stem(word), 1.0)))
    return keys


def grade(answer: str, pair: QAPair, idf: dict[str, float] | None = None) -> Grade:
    """Grade ``answer`` against ``pair``; ``idf`` (stem → weight) makes rare words count more."""
    keys = key_terms(pair, idf or {})
    given = content_words(answer)
    given_stems = {stem(w) for w in given}
    total = sum(weight for _, weight in keys.values())
    matched: list[str] = []
    missing: list[tuple[float, str]] = []
    score = 0.0
    for stemmed, (word, weight) in keys.items():
        if stemmed in given_stems:
            score += weight
            matched.append(word)
            continue
        near = process.extractOne(word, given, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_CUTOFF)
        if near is not None and len(word) >= 4:
            score += weight * near[1] / 100.0
            matched.append(word)
        else:
            missing.append((weight, word))
    share = score / total if total else 0.0
    verdict = Verdict.RIGHT if share >= RIGHT else Verdict.PARTLY if share >= PARTLY else Verdict.WRONG
    return Grade(share, verdict, tuple(matched), tuple(w for _, w in sorted(missing, reverse=True)))
