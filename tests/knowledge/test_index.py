"""The inverted index that weighs rare words more, and its search for the best units."""

from __future__ import annotations

import random

import pytest

from knowledge.corpus import Knowledge
from knowledge.index import SORT_PER_K, InvertedIndex, kth_largest, score
from knowledge.normalize import content_words, stem, terms


@pytest.fixture(scope="module")
def sentences(bundled: Knowledge) -> list[str]:
    return [s.text for s in bundled.documents[0].sentences]


@pytest.fixture(scope="module")
def index(sentences: list[str]) -> InvertedIndex:
    return InvertedIndex([terms(s) for s in sentences])


def test_rare_terms_weigh_more_than_common_ones(index: InvertedIndex) -> None:
    japan, soft, propaganda = (index.idf(stem(w)) for w in ("japan", "soft", "propaganda"))
    assert len(index.postings["japan"]) > len(index.postings["soft"]) > len(index.postings["propaganda"]) == 1
    assert japan < soft < propaganda
    assert propaganda < index.unknown_idf == index.idf(None) == index.idf("neverseen")
    assert japan > 0.0


def test_postings_weigh_own_terms_fully_and_context_terms_less() -> None:
    index = InvertedIndex([["a", "b", "a"], ["b"], []], context=[[], ["a"], ["b"]], context_weight=0.5)
    assert index.postings == {"a": {0: 1.0, 1: 0.5}, "b": {0: 1.0, 1: 1.0, 2: 0.5}}
    assert index.size == 3
    # idf counts only the units that use a term themselves
    assert index.idf("a") == InvertedIndex([["a"], ["b"], []]).idf("a")


def test_unit_weight_counts_context_terms_at_their_weight() -> None:
    index = InvertedIndex([["a"], ["b"]], context=[[], ["a"]], context_weight=0.5)
    assert index.unit_weight == pytest.approx([index.idf("a"), index.idf("b") + 0.5 * index.idf("a")])


def test_priors_scale_idf_and_give_vocabulary_only_terms_a_weight() -> None:
    plain = InvertedIndex([["a"], ["b"], ["c"]])
    weighed = InvertedIndex([["a"], ["b"], ["c"]], priors={"a": 0.5, "z": 0.4})
    assert weighed.idf("a") == pytest.approx(0.5 * plain.idf("a"))
    assert weighed.idf("b") == pytest.approx(plain.idf("b"))
    # "z" is in the vocabulary (a curated question uses it) but in no unit: as if one unit did, times its prior
    assert weighed.idf("z") == pytest.approx(0.4 * plain.idf("a"))
    assert weighed.idf("never") == weighed.unknown_idf == weighed.idf(None)


def gains(index: InvertedIndex, *terms: str) -> list[tuple[float, str]]:
    return sorted(((index.idf(t), t) for t in terms), reverse=True)


def brute_force(index: InvertedIndex, found: list[tuple[float, str]]) -> dict[int, tuple[float, float]]:
    """Every unit matching anything, scored the slow way: unit -> (score, coverage)."""
    total = sum(g for g, _ in found)
    scored = {}
    for unit in range(index.size):
        matched = sum(g * index.postings.get(t, {}).get(unit, 0.0) for g, t in found)
        if matched:
            scored[unit] = (score(matched, index.unit_weight[unit], total), matched / total)
    return scored


def test_top_sums_gain_times_weight_per_unit() -> None:
    index = InvertedIndex([["a", "b"], ["b"], ["c"]])
    found = {hit.unit: hit for hit in index.top([(2.0, "a"), (0.5, "b")], 3, 2.5)}
    assert set(found) == {0, 1}
    assert found[0].matched == pytest.approx(2.5)
    assert found[1].matched == pytest.approx(0.5)
    assert found[0].rarest == pytest.approx(2.0)  # the gain of the rarest term it holds
    assert found[1].rarest == pytest.approx(0.5)


def test_top_ignores_terms_no_unit_has() -> None:
    assert InvertedIndex([["a"]]).top([(1.0, "x")], 3, 1.0) == []


def test_top_respects_the_scope() -> None:
    index = InvertedIndex([["a"], ["a"], ["a", "b"]])
    assert [hit.unit for hit in index.top(gains(index, "a", "b"), 3, 1.0, scope=frozenset({0, 1}))] in ([0, 1], [1, 0])


def test_pruned_search_finds_the_same_best_units_as_brute_force(index: InvertedIndex, sentences: list[str]) -> None:
    rng = random.Random(2024)
    words = sorted({w for s in sentences for w in content_words(s)})
    pruned_something = False
    for _ in range(300):
        found = gains(index, *{stem(w) for w in rng.sample(words, rng.randint(2, 6))})
        total = sum(g for g, _ in found)
        every = brute_force(index, found)
        ranked = sorted((value[0] for value in every.values()), reverse=True)
        for k in (1, 3, 8):
            hits = index.top(found, k, total)
            # the same scores in the same order (units that tie may swap)
            assert [score(h.matched, index.unit_weight[h.unit], total) for h in hits] == pytest.approx(ranked[:k])
        best_score, best_coverage = max(every.values(), default=(0.0, 0.0))
        for floor in (0.2, 0.5):
            hits = index.top(found, 3, total, floor=floor)
            if best_coverage >= floor:  # a floor never loses the best unit when it covers that much
                assert score(hits[0].matched, index.unit_weight[hits[0].unit], total) == pytest.approx(best_score)
            pruned_something |= len(hits) < min(3, len(every))
    assert pruned_something, "no question exercised the floor"


def test_many_units_found_still_give_the_best_scores() -> None:
    """Hundreds of units match: only those that could be among the best are scored, and none of those is lost."""
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(40)]
    units = [rng.sample(vocabulary, rng.randint(1, 12)) for _ in range(600)]
    index = InvertedIndex(units)
    for _ in range(100):
        found = gains(index, *rng.sample(vocabulary, rng.randint(2, 6)))
        total = sum(g for g, _ in found)
        ranked = sorted((value[0] for value in brute_force(index, found).values()), reverse=True)
        for k in (1, 4, 18):
            hits = index.top(found, k, total)
            assert [score(h.matched, index.unit_weight[h.unit], total) for h in hits] == pytest.approx(ranked[:k])


def test_top_best_unit_on_an_essay_question(index: InvertedIndex) -> None:
    found = gains(index, "japan", "soft", "power", "propaganda", "whip")
    [best] = index.top(found, 1, sum(g for g, _ in found))
    assert best.unit == 20  # p4.s4: "whipping and propaganda"


@pytest.mark.parametrize("k", [1, 4, 18])
@pytest.mark.parametrize("size", [20, 2000])
def test_kth_largest_agrees_with_a_full_sort_on_both_sides_of_the_switch(k: int, size: int) -> None:
    rng = random.Random(size * k)
    values = {unit: float(rng.randint(0, 50)) for unit in range(size)}  # ties included
    assert (size <= SORT_PER_K * k) == (size == 20)
    assert kth_largest(values.values(), k) == sorted(values.values(), reverse=True)[k - 1]
