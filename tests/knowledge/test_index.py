"""The vocabulary that forgives typos, and the inverted index that weighs rare words more."""

from __future__ import annotations

import random

import pytest

from knowledge.corpus import Knowledge
from knowledge.index import (
    FUZZY_CUTOFF,
    MIN_FUZZY_LENGTH,
    SORT_PER_K,
    InvertedIndex,
    Vocabulary,
    kth_largest,
    score,
)
from knowledge.normalize import content_words, stem, terms


@pytest.fixture(scope="module")
def sentences(bundled: Knowledge) -> list[str]:
    return [s.text for s in bundled.documents[0].sentences]


@pytest.fixture(scope="module")
def vocabulary(sentences: list[str]) -> Vocabulary:
    return Vocabulary(sentences)


@pytest.fixture(scope="module")
def index(sentences: list[str]) -> InvertedIndex:
    return InvertedIndex([terms(s) for s in sentences])


@pytest.mark.parametrize(
    ("word", "term"),
    [("power", "power"), ("innovation", stem("innovation")), ("diplomatic", stem("diplomatic"))],
)
def test_exact_word_resolves_with_full_weight(vocabulary: Vocabulary, word: str, term: str) -> None:
    assert vocabulary.resolve(word) == (term, 1.0)


@pytest.mark.parametrize(
    ("word", "term"),
    [("powers", "power"), ("innovations", stem("innovation")), ("japans", "japan"), ("policies", stem("policy"))],
)
def test_other_forms_resolve_by_stem_with_full_weight(
    vocabulary: Vocabulary, sentences: list[str], word: str, term: str
) -> None:
    assert word not in content_words(" ".join(sentences))  # a form the essay never uses
    assert vocabulary.resolve(word) == (term, 1.0)


def test_capitalised_words_resolve_once_read_as_content_words(vocabulary: Vocabulary) -> None:
    (word,) = content_words("Japans")
    assert vocabulary.resolve(word) == ("japan", 1.0)


@pytest.mark.parametrize(
    ("typo", "term"),
    [
        ("pwoer", "power"),
        ("foriegn", "foreign"),
        ("inovation", stem("innovation")),
        ("propoganda", "propaganda"),
        ("cultre", stem("culture")),
    ],
)
def test_typos_resolve_fuzzily_with_less_weight(vocabulary: Vocabulary, typo: str, term: str) -> None:
    resolved, weight = vocabulary.resolve(typo)
    assert resolved == term
    assert FUZZY_CUTOFF / 100 <= weight < 1.0


@pytest.mark.parametrize(
    ("typo", "term"), [("foriegners", "foreign"), ("tecnologies", stem("technology")), ("ecomomically", "econom")]
)
def test_a_typo_of_another_form_resolves_through_the_english_word_meant(
    vocabulary: Vocabulary, typo: str, term: str
) -> None:
    """Too far in letters from any form the essay writes for its own correction, but one edit from an English word
    ("foreigners", "technologies", "economically") whose stem the essay uses."""
    resolved, weight = vocabulary.resolve(typo)
    assert resolved == term
    assert FUZZY_CUTOFF / 100 <= weight < 1.0


@pytest.mark.parametrize("order", [["white", "write"], ["write", "white"]])
def test_a_swap_of_neighbours_is_nearer_than_two_changed_letters(order: list[str]) -> None:
    """ "wirte" is as near "white" as "write" letter for letter (both 80); the swap is one slip, whichever word the
    material writes first."""
    assert Vocabulary([" ".join(order)]).resolve("wirte") == ("write", 0.8)


@pytest.mark.parametrize("word", ["aum", "tol", "pwr", "ai"])
def test_short_words_are_never_fuzzed(vocabulary: Vocabulary, word: str) -> None:
    assert len(word) < MIN_FUZZY_LENGTH
    assert vocabulary.resolve(word) == (None, 0.0)


def test_four_letter_words_are_fuzzed(vocabulary: Vocabulary) -> None:
    assert MIN_FUZZY_LENGTH == 4
    assert vocabulary.resolve("tols")[0] == "tool"


@pytest.mark.parametrize("word", ["football", "chemistry", "zzzz", "2022", "p0wer", "qwertyuiop", "日本"])
def test_unknown_words_resolve_to_none(vocabulary: Vocabulary, word: str) -> None:
    assert vocabulary.resolve(word) == (None, 0.0)


def test_vocabulary_counts_word_forms() -> None:
    assert len(Vocabulary(["Innovations innovate.", "The innovations!"])) == len({"innovations", "innovate", "innov"})
    assert len(Vocabulary([])) == 0


def test_empty_vocabulary_resolves_nothing() -> None:
    assert Vocabulary([]).resolve("power") == (None, 0.0)


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
