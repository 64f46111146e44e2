"""Extraction debris folded away the same way for every format."""

from __future__ import annotations

import pytest

from knowledge.formats.clean import clean, continues


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The ﬁrst eﬀort ﬂows", "The first effort flows"),
        ("diplo\u00admacy and zero\u200bwidth", "diplomacy and zerowidth"),
        ("  spread \t over\n lines  ", "spread over lines"),
        ("soft power¹² is cultural.³", "soft power is cultural."),
        ("an area of 12 m² or 3 km²", "an area of 12 m2 or 3 km2"),
        ("“Quoted”¹ words", "“Quoted” words"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("the page ends in the middle of a", "sentence that goes on.", True),
        ("The sentence ends.", "another starts in lower case.", False),
        ("A heading", "The text below it.", False),
        ("A list follows:", "items in lower case", False),
        ("“Quoted and ended.”", "then lower case", False),
    ],
)
def test_a_break_continues_a_sentence(before: str, after: str, expected: bool) -> None:
    assert continues(before, after) is expected
