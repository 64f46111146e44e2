"""The vocabulary that maps what a student typed onto the material's terms: word forms, stems, typos."""

from __future__ import annotations

import pytest

from knowledge.corpus import Knowledge
from knowledge.normalize import content_words, stem
from knowledge.vocabulary import FUZZY_CUTOFF, MIN_FUZZY_LENGTH, Vocabulary


@pytest.fixture(scope="module")
def sentences(bundled: Knowledge) -> list[str]:
    return [s.text for s in bundled.documents[0].sentences]


@pytest.fixture(scope="module")
def vocabulary(sentences: list[str]) -> Vocabulary:
    return Vocabulary(sentences)


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


def test_a_typo_nearer_an_english_word_than_any_of_the_materials_is_that_word() -> None:
    """ "auther" is one slip from "author" and two from the material's "rather": it is "author", which this material
    never uses; "pwoer" is still the material's "power", however many English words are near it."""
    vocabulary = Vocabulary(["He would rather have a good knife.", "Soft power is attraction."])
    assert vocabulary.resolve("auther") == (None, 0.0)
    assert vocabulary.resolve("pwoer") == ("power", 0.8)


def test_a_typo_of_an_english_word_the_material_spells_otherwise_is_the_materials_spelling() -> None:
    """ "medeival" is "medieval", which the material writes "mediaeval"."""
    vocabulary = Vocabulary(["Our mediaeval friend believed in comets."])
    assert vocabulary.resolve("medeival")[0] == stem("mediaeval")


def test_a_swap_of_neighbours_in_a_short_word_is_the_materials_word() -> None:
    """ "sfot" is one swap from the material's "soft" (though letter for letter only 75 from it) and one letter from
    the commoner "shot", which the material never uses; "mext" (an acronym, say) is one letter from the material's
    "text", no swap: not corrected."""
    vocabulary = Vocabulary(["Soft power is the text of a long term."])
    assert vocabulary.resolve("sfot") == ("soft", 0.75)
    assert vocabulary.resolve("trem") == ("term", 0.75)
    assert vocabulary.resolve("mext") == (None, 0.0)
