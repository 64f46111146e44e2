"""The vocabulary that forgives typos, and the inverted index that weighs rare words more."""

from __future__ import annotations

import itertools
import random

import pytest

from knowledge.corpus import Knowledge
from knowledge.index import FUZZY_CUTOFF, MIN_FUZZY_LENGTH, InvertedIndex, QueryTerm, Vocabulary
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


def query(index: InvertedIndex, *words: str) -> list[QueryTerm]:
    """Query terms for exact words of the material."""
    return [QueryTerm(w, stem(w), 1.0, index.idf(stem(w))) for w in words]


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


def test_postings_count_occurrences_per_unit() -> None:
    index = InvertedIndex([["a", "b", "a"], ["b"], []])
    assert index.postings == {"a": {0: 2}, "b": {0: 1, 1: 1}}
    assert index.size == 3


def test_unit_weight_is_the_idf_of_its_distinct_terms() -> None:
    index = InvertedIndex([["a", "b", "a"], ["b"], ["c"]])
    assert index.unit_weight == pytest.approx([index.idf("a") + index.idf("b"), index.idf("b"), index.idf("c")])


def test_idf_can_come_from_another_index() -> None:
    corpus = InvertedIndex([["a"], ["a"], ["b"], ["c"]])
    phrasings = InvertedIndex([["a", "b"], ["b"]], idf_from=corpus)
    assert phrasings.idf("a") == corpus.idf("a") < phrasings.idf("b") == corpus.idf("b")
    assert phrasings.unknown_idf == corpus.unknown_idf
    assert phrasings.unit_weight == pytest.approx([corpus.idf("a") + corpus.idf("b"), corpus.idf("b")])


def test_matched_weight_sums_idf_times_weight_per_unit() -> None:
    index = InvertedIndex([["a", "b"], ["b"], ["c"]])
    found = index.matched_weight(
        [QueryTerm("a", "a", 1.0, 2.0), QueryTerm("bb", "b", 0.5, 1.0), QueryTerm("zz", None, 0.0, 3.0)], 0.0
    )
    assert found == pytest.approx({0: 2.5, 1: 0.5})


def test_matched_weight_ignores_terms_the_units_lack() -> None:
    assert InvertedIndex([["a"]]).matched_weight([QueryTerm("x", "x", 1.0, 1.0)], 0.0) == {}


def test_pruning_keeps_every_unit_that_can_reach_the_floor(index: InvertedIndex, sentences: list[str]) -> None:
    rng = random.Random(2024)
    words = sorted({w for s in sentences for w in content_words(s)})
    pruned_something = False
    for _ in range(300):
        question = query(index, *rng.sample(words, rng.randint(2, 6)))
        full = index.matched_weight(question, 0.0)
        for share in (0.3, 0.55, 0.8):
            floor = share * sum(q.idf for q in question)
            pruned = index.matched_weight(question, floor)
            reaching = {unit: weight for unit, weight in full.items() if weight >= floor - 1e-9}
            assert {unit: pruned[unit] for unit in reaching} == pytest.approx(reaching)
            if reaching:
                assert max(pruned.values()) == pytest.approx(max(full.values()))
                assert full[max(pruned, key=pruned.__getitem__)] == pytest.approx(max(full.values()))
            pruned_something |= len(pruned) < len(full)
    assert pruned_something, "no query exercised the pruning"


def test_pruning_same_best_unit_on_an_essay_question(index: InvertedIndex) -> None:
    question = query(index, "japan", "soft", "power", "propaganda", "whipping")
    full = index.matched_weight(question, 0.0)
    pruned = index.matched_weight(question, 0.55 * sum(q.idf for q in question))
    best = max(full, key=full.__getitem__)
    assert max(pruned, key=pruned.__getitem__) == best == 20  # p4.s4: "whipping and propaganda"
    assert pruned[best] == pytest.approx(full[best])
    assert len(pruned) < len(full)


def test_all_terms_from_several_units_add_up(index: InvertedIndex) -> None:
    question = query(index, "japan", "culture")
    found = index.matched_weight(question, 0.0)
    japan, culture = (set(index.postings[stem(w)]) for w in ("japan", "culture"))
    assert set(found) == japan | culture
    for unit in itertools.islice(japan & culture, 3):
        assert found[unit] == pytest.approx(index.idf("japan") + index.idf(stem("culture")))
