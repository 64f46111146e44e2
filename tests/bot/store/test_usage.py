"""bot/store/usage.py: what the figures are made of, apart from any database — the window of UTC days, the text a
vote is about, and which logged questions count as one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bot.store.usage import Window, percent, question_key, source_of_citation


def test_the_window_ends_with_today_in_utc_and_runs_midnight_to_midnight() -> None:
    late_evening_in_new_york = datetime(2026, 3, 31, 22, 0, tzinfo=timezone(timedelta(hours=-4)))  # 02:00 UTC

    window = Window.ending(3, late_evening_in_new_york)

    assert (window.first, window.last) == (date(2026, 3, 30), date(2026, 4, 1))
    assert window.days == [date(2026, 3, 30), date(2026, 3, 31), date(2026, 4, 1)]
    assert (window.since, window.until) == (datetime(2026, 3, 30, tzinfo=UTC), datetime(2026, 4, 2, tzinfo=UTC))


@pytest.mark.parametrize(
    ("cited", "source"),
    [
        ("essay/soft-power-goal", "essay"),
        ("essay#p4.s2", "essay"),
        ("essay#p4.s2,3", "essay"),
        ("notes #2#p1.s1", "notes #2"),  # a '#' in a text's name
        ("Week 3 – Reading/intro", "Week 3 – Reading"),
    ],
)
def test_the_text_a_vote_is_about(cited: str, source: str) -> None:
    assert source_of_citation(cited) == source


def test_questions_are_one_when_their_words_are() -> None:
    assert question_key("What is  SOFT power?!") == question_key("what is soft power") == "what is soft power"
    assert question_key("Japan's soft power") == question_key("japan soft power")
    assert question_key("What is soft power?") != question_key("What is hard power?")


def test_percent_for_people() -> None:
    assert (percent(1, 3), percent(2, 3), percent(3, 3), percent(0, 0)) == ("33%", "67%", "100%", "–")
