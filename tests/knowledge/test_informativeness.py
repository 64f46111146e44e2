"""General-English frequency: how much a word the material lacks counts, and which words are not typos."""

from __future__ import annotations

from knowledge.informativeness import FLOOR, informativeness, is_english, prior_weight


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
