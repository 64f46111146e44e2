"""The numpy search of a large index finds exactly what the Python search finds, and numpy stays optional."""

from __future__ import annotations

import random
import sys

import pytest

import knowledge.index
from knowledge.corpus import Knowledge
from knowledge.index import InvertedIndex
from knowledge.retriever import Retriever

pytest.importorskip("numpy")


def corpus(seed: int, size: int) -> list[list[str]]:
    """Units of Zipf-distributed terms, duplicates and one-term units included: ties and long postings."""
    rng = random.Random(seed)
    vocabulary = [f"t{i}" for i in range(120)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    units = [rng.choices(vocabulary, weights=weights, k=rng.randint(1, 14)) for _ in range(size)]
    return units + units[:20]  # the same unit twice: equal scores, broken by unit number


def both(monkeypatch: pytest.MonkeyPatch, units: list[list[str]]) -> tuple[InvertedIndex, InvertedIndex]:
    """The same index searched in Python and with numpy."""
    monkeypatch.setattr(knowledge.index, "DENSE_FROM", 10**9)
    python = InvertedIndex(units, context=[units[i - 1] if i else [] for i in range(len(units))], context_weight=0.5)
    monkeypatch.setattr(knowledge.index, "DENSE_FROM", 0)
    dense = InvertedIndex(units, context=[units[i - 1] if i else [] for i in range(len(units))], context_weight=0.5)
    assert not python.uses_numpy
    assert dense.uses_numpy
    return python, dense


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_numpy_finds_exactly_the_units_python_finds(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    units = corpus(seed, 400)
    python, dense = both(monkeypatch, units)
    rng = random.Random(seed)
    vocabulary = [*sorted({t for unit in units for t in unit}), "absent"]
    scopes: list[range | frozenset[int] | None] = [None, range(50, 300), frozenset(rng.sample(range(420), 90))]
    for _ in range(150):
        asked = rng.sample(vocabulary, rng.randint(1, 7))
        gains = sorted(((rng.uniform(0.2, 1.0) * python.idf(t), t) for t in asked), reverse=True)
        total = sum(g for g, _ in gains) + rng.choice([0.0, 2.0])  # words the material lacks count too
        for k in (1, 4, 18):
            for floor in (0.0, 0.2, 0.6):
                for scope in scopes:
                    for rarest in (True, False):
                        expected = python.top(gains, k, total, scope, floor, rarest=rarest)
                        assert dense.top(gains, k, total, scope, floor, rarest=rarest) == expected


def test_a_retriever_answers_the_same_with_numpy(monkeypatch: pytest.MonkeyPatch, bundled: Knowledge) -> None:
    questions = [
        "What is soft power?", "why do so many students come to japan lol", "summarize paragraph 3",
        "What makes Japan attractive and why does it matter?", "japan academic exchanges",
        "how does photosynthesis work", "give me the gist of what it says about exchanges",
    ]  # fmt: skip
    monkeypatch.setattr(knowledge.index, "DENSE_FROM", 10**9)
    python = Retriever(bundled)
    monkeypatch.setattr(knowledge.index, "DENSE_FROM", 0)
    dense = Retriever(bundled)
    assert dense.ranker.sentence_index.uses_numpy
    assert dense.ranker.phrasing_index.uses_numpy
    for question in questions:
        assert dense.ask(question) == python.ask(question)
        assert dense.consider(question) == python.consider(question)


def test_without_numpy_the_index_searches_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy now fails, as where the extra is not installed
    monkeypatch.delitem(sys.modules, "knowledge.dense", raising=False)
    monkeypatch.setattr(knowledge.index, "DENSE_FROM", 0)
    index = InvertedIndex([["a", "b"], ["b"]])
    assert not index.uses_numpy
    assert [hit.unit for hit in index.top([(1.0, "a"), (0.5, "b")], 2, 1.5)] == [0, 1]


def test_small_indexes_search_in_python() -> None:
    assert not InvertedIndex([["a"]] * (knowledge.index.DENSE_FROM - 1)).uses_numpy
    assert InvertedIndex([["a"]] * knowledge.index.DENSE_FROM).uses_numpy
