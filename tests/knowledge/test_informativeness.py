"""General-English frequency: how much a word the material lacks counts, and which words are not typos."""

from __future__ import annotations

import pytest

from knowledge.informativeness import FLOOR, informativeness, is_english, meant, prior_weight, unknown_weight


def test_rare_words_are_telling_and_common_ones_are_not() -> None:
    assert informativeness("photosynthesis") > informativeness("seminar") > informativeness("tomorrow")
    assert informativeness("the") == 0.0
    assert informativeness("zqxjvbl") == 1.0  # never seen: as telling as a word can be


def test_prior_weight_keeps_a_floor_for_common_words() -> None:
    assert prior_weight("the") == FLOOR
    assert FLOOR < prior_weight("president") < prior_weight("photosynthesis") <= 1.0


def test_common_words_are_not_typos_and_misspellings_are() -> None:
    assert is_english("told")
    assert is_english("power")
    assert not is_english("pwoer")
    assert not is_english("foriegn")


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("whta", "what"),
        ("hav", "have"),
        ("precisly", "precisely"),
        ("kettel", "kettle"),
        ("photosinthesis", "photosynthesis"),
    ],
)
def test_a_misspelling_means_the_nearest_frequent_word(typed: str, word: str) -> None:
    assert meant(typed) == word


@pytest.mark.parametrize("word", ["tomorrow", "photosynthesis", "xq7", "zqvvkx", "ab"])
def test_words_of_their_own_and_far_from_any_word_are_meant_as_written(word: str) -> None:
    assert meant(word) == word


def test_a_typo_of_an_everyday_word_weighs_as_little_as_the_word() -> None:
    assert unknown_weight("precisly") == pytest.approx(prior_weight("precisely"))
    assert unknown_weight("precisly") < prior_weight("precisly")
    assert unknown_weight("photosinthesis") == pytest.approx(prior_weight("photosynthesis"))
