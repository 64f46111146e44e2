"""bot/render_usage.py: the usage embed stays within Discord's limits whatever the figures (a year of days, hundreds
of texts, the longest questions), keeps whole lines and says how many it left out, and cannot be formatted by what
students typed."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from bot.render import (
    EMBED_DESCRIPTION_CHARS,
    EMBED_FIELD_NAME_CHARS,
    EMBED_FIELD_VALUE_CHARS,
    EMBED_FIELDS,
    EMBED_FOOTER_CHARS,
    EMBED_TITLE_CHARS,
    EMBED_TOTAL_CHARS,
)
from bot.render_usage import NO_CHART_NOTE, QUESTION_CHARS, lines_within, usage_embed
from bot.store.usage import RETENTION_DAYS, Usage, Window, assemble_usage
from bot.usage_chart import CHART_FILE

NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def usage_of(days: int = 30, *, texts: int = 1, questions: int = 1, question_chars: int = 20) -> Usage:
    """Figures with ``texts`` texts of the longest names and ``questions`` open questions of that length."""
    window = Window.ending(days, NOW)
    return assemble_usage(
        1,
        window,
        day_rows=[(day, answered, 9999) for day in window.days for answered in (True, False)],
        text_rows=[(f"text-{n:03d}-" + "x" * 60, 99999, 99998) for n in range(texts)],
        vote_rows=[(f"text-{n:03d}-" + "x" * 60 + "/pair", 999, 999) for n in range(texts)],
        unanswered_rows=[(f"{n} " + "*why* " * (question_chars // 6), f"asker{n}", 999) for n in range(questions)],
        askers=99999,
    )


def assert_within_limits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= EMBED_TITLE_CHARS
    assert len(embed.description or "") <= EMBED_DESCRIPTION_CHARS
    assert len(embed.fields) <= EMBED_FIELDS
    for field in embed.fields:
        assert len(field.name or "") <= EMBED_FIELD_NAME_CHARS
        assert 0 < len(field.value or "") <= EMBED_FIELD_VALUE_CHARS
    assert len(embed.footer.text or "") <= EMBED_FOOTER_CHARS
    assert len(embed) <= EMBED_TOTAL_CHARS


@pytest.mark.parametrize("chart", [CHART_FILE, None])
def test_the_largest_figures_fit_an_embed(chart: str | None) -> None:
    usage = usage_of(RETENTION_DAYS, texts=500, questions=10, question_chars=1000)

    embed = usage_embed(usage, chart_file=chart)

    assert_within_limits(embed)
    fields = {field.name: field.value or "" for field in embed.fields}
    assert fields["Per text"].splitlines()[-1].startswith("…and ")
    assert fields["Most asked, still unanswered"].splitlines()[0].endswith("(1 person)")
    if chart is None:
        table = fields["Per day"]
        assert table.startswith("```\nday (UTC)")
        assert table.endswith(" earlier days)")  # a year does not fit: the latest days do, then a count
        assert table.count("```") == 2


def test_what_is_left_out_is_counted() -> None:
    usage = usage_of(texts=500)

    value = next(f.value for f in usage_embed(usage, chart_file=CHART_FILE).fields if f.name == "Per text") or ""

    lines = value.splitlines()
    assert lines[-1] == f"…and {500 - (len(lines) - 1)} more"


def test_questions_are_clipped_and_escaped() -> None:
    usage = usage_of(questions=1, question_chars=1000)

    value = next(f.value for f in usage_embed(usage, chart_file=None).fields if f.name.startswith("Most asked")) or ""

    assert value.startswith("**999×** 0 \\*why\\* \\*why\\*")
    assert len(value) < QUESTION_CHARS * 2  # clipped (then escaped: each * gains a backslash)


def test_figures_and_the_chart_or_the_note() -> None:
    usage = usage_of(days=2, texts=1, questions=0)

    with_chart = usage_embed(usage, chart_file=CHART_FILE)
    without = usage_embed(usage, chart_file=None)

    assert with_chart.description == (
        "**39996** questions from 99999 people, **50%** answered · 👍 999 👎 999\n30 Mar 2026 to 31 Mar 2026 (UTC days)"
    )
    assert with_chart.image.url == f"attachment://{CHART_FILE}"
    assert [f.name for f in with_chart.fields] == ["Per text"]
    assert not (with_chart.footer.text or "").startswith(NO_CHART_NOTE)
    assert [f.name for f in without.fields] == ["Per day", "Per text"]
    assert (without.footer.text or "").startswith(NO_CHART_NOTE)
    assert without.image.url is None


def test_nothing_asked() -> None:
    window = Window.ending(30, NOW)
    usage = assemble_usage(1, window, day_rows=[], text_rows=[], vote_rows=[], unanswered_rows=[], askers=0)

    embed = usage_embed(usage, chart_file=CHART_FILE)

    assert (embed.description or "").startswith("**0** questions from 0 people, **–** answered")
    assert embed.fields == []


@pytest.mark.parametrize(
    ("lines", "limit", "expected"),
    [
        (["aaaa", "bbbb"], 9, "aaaa\nbbbb"),  # exactly the limit
        (["a" * 10, "b" * 10, "c" * 10], 32, "a" * 10 + "\n" + "b" * 10 + "\n" + "c" * 10),
        (["a" * 10, "b" * 10, "c" * 10], 31, "a" * 10 + "\n…and 2 more"),  # one short: two lines left out
        (["a" * 10, "b" * 10, "c" * 10], 22, "a" * 10 + "\n…and 2 more"),
        (["a" * 10, "b" * 10, "c" * 10], 21, "…and 3 more"),
        ([], 10, ""),
    ],
)
def test_lines_within(lines: list[str], limit: int, expected: str) -> None:
    kept = lines_within(lines, limit)

    assert kept == expected
    assert len(kept) <= limit
