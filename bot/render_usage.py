"""Usage figures → one Discord embed, within Discord's limits by construction.

At most four fields, each value built line by line up to 1,024 characters (lines that do not fit are counted, not
cut mid-line), a short description and footer: the whole stays far below the 6,000 characters of an embed, however
many texts or questions there are. The chart, when there is one, is the embed's image (an attachment).
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.render import EMBED_FIELD_VALUE_CHARS, clip, fit_embed
from bot.store.usage import RETENTION_DAYS, DayCount, TextUsage, UnansweredQuestion, Usage, percent

USAGE_COLOUR = discord.Colour.blurple()
QUESTION_CHARS = 150
"""A question in the list is cut to this, so several fit in one field."""
TEXT_NAME_CHARS = 60
NO_CHART_NOTE = "No chart: install studybot[charts] (matplotlib) to get one."


def lines_within(lines: Sequence[str], limit: int, more: str = "…and {n} more") -> str:
    """All ``lines`` if they fit in ``limit`` characters; else as many whole ones as fit beside a last line, ``more``,
    saying how many were left out."""
    whole = "\n".join(lines)
    if len(whole) <= limit:
        return whole
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 + len(more.format(n=len(lines) - index - 1)) > limit:
            break
        kept.append(line)
        used += len(line) + 1
    return clip("\n".join([*kept, more.format(n=len(lines) - len(kept))]), limit)


def _escaped(text: str, limit: int) -> str:
    """User or file-name text, on one line and clipped, that cannot format the embed."""
    return discord.utils.escape_markdown(clip(" ".join(text.split()), limit))


def _day_lines(days: Sequence[DayCount]) -> list[str]:
    """A small table, newest first (what fits is the most recent)."""
    rows = [f"{d.day:%a %d %b}  {d.asked:>5}  {d.answered:>8}" for d in reversed(days)]
    return ["```", f"{'day (UTC)':<10}  {'asked':>5}  {'answered':>8}", *rows]


def _days_field(days: Sequence[DayCount]) -> str:
    """The day table in a code block, as many recent days as fit; the closing fence is always kept."""
    table = lines_within(_day_lines(days), EMBED_FIELD_VALUE_CHARS - 4, more="(and {n} earlier days)")
    if table.endswith("earlier days)"):
        body, _, more = table.rpartition("\n")
        return f"{body}\n```{more}"
    return table + "\n```"


def _text_line(text: TextUsage) -> str:
    name = f"`{clip(text.source, TEXT_NAME_CHARS)}`" if text.source is not None else "*no text covered it*"
    return f"{name}: {text.asked} asked, {percent(text.answered, text.asked)} answered · 👍 {text.up} 👎 {text.down}"


def _question_line(question: UnansweredQuestion) -> str:
    people = f"{question.askers} {'person' if question.askers == 1 else 'people'}"
    return f"**{question.asked}×** {_escaped(question.question, QUESTION_CHARS)} ({people})"


def usage_embed(usage: Usage, *, chart_file: str | None) -> discord.Embed:
    """The figures as one embed; ``chart_file`` names the attached chart to show, or None to show the day table."""
    window = usage.window
    embed = discord.Embed(title=f"Questions over the last {len(usage.days)} days", colour=USAGE_COLOUR)
    share = percent(usage.answered, usage.asked)
    people = f"{usage.askers} {'person' if usage.askers == 1 else 'people'}"
    embed.description = (
        f"**{usage.asked}** questions from {people}, **{share}** answered · 👍 {usage.up} 👎 {usage.down}\n"
        f"{window.first:%d %b %Y} to {window.last:%d %b %Y} (UTC days)"
    )
    if chart_file is not None:
        embed.set_image(url=f"attachment://{chart_file}")
    else:
        embed.add_field(name="Per day", value=_days_field(usage.days), inline=False)
    if usage.texts:
        texts = lines_within([_text_line(t) for t in usage.texts], EMBED_FIELD_VALUE_CHARS)
        embed.add_field(name="Per text", value=texts, inline=False)
    if usage.unanswered:
        questions = lines_within([_question_line(q) for q in usage.unanswered], EMBED_FIELD_VALUE_CHARS)
        embed.add_field(name="Most asked, still unanswered", value=questions, inline=False)
    footer = f"Counts are kept {RETENTION_DAYS} days. Answer open questions with /teach."
    embed.set_footer(text=footer if chart_file is not None else f"{NO_CHART_NOTE} {footer}")
    return fit_embed(embed)
