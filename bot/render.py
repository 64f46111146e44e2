"""Studybot → Discord: embeds, replies and autocomplete choices that are within Discord's limits by construction.

Every string that reaches Discord passes through :func:`clip` here, once, whatever the question or the knowledge
files say; the tests check the edges (exactly at, and one past, each limit).
"""

from __future__ import annotations

import math

import discord
from discord import app_commands

from bot.serving import ReloadReport
from bot.store import LoggedQuestion, Streak
from knowledge.corpus import Knowledge
from knowledge.curation import Miss
from knowledge.models import Citation, QAPair
from knowledge.quiz import Grade, Verdict

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits and the interaction docs.
MESSAGE_CHARS = 2000
EMBED_TITLE_CHARS = 256
EMBED_DESCRIPTION_CHARS = 4096
EMBED_FIELD_NAME_CHARS = 256
EMBED_FIELD_VALUE_CHARS = 1024
EMBED_FOOTER_CHARS = 2048
EMBED_TOTAL_CHARS = 6000
EMBED_FIELDS = 25
CHOICES = 25
CHOICE_CHARS = 100
CUSTOM_ID_CHARS = 100
BUTTON_LABEL_CHARS = 80
TEXT_INPUT_PLACEHOLDER_CHARS = 100

ELLIPSIS = "…"
ANSWERED_COLOUR = discord.Colour.green()
NOT_COVERED_COLOUR = discord.Colour.light_grey()
QUIZ_COLOUR = discord.Colour.gold()
NO_MENTIONS = discord.AllowedMentions.none()
"""Sent with every message: no user text, and no knowledge file, can ever ping @everyone, a role or a user."""


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def confidence_label(confidence: float) -> str:
    """Confidence as a person reads it: a percentage and a word."""
    word = "high" if confidence >= 0.85 else "medium" if confidence >= 0.7 else "low"
    return f"{round(confidence * 100)}% ({word})"


def quote_block(text: str, limit: int) -> str:
    """A Markdown block quote of verbatim text, escaped so the source's own characters cannot format it."""
    return clip("> " + discord.utils.escape_markdown(" ".join(text.split())), limit)


def locator(citation: Citation) -> str:
    """Where to check the quote: file, page or headings, paragraph, sentences and lines (as the format has them)."""
    return " · ".join(citation.where())


def add_citation(
    embed: discord.Embed,
    citation: Citation,
    where_chars: int = EMBED_FIELD_VALUE_CHARS,
    quote_chars: int = EMBED_FIELD_VALUE_CHARS,
) -> None:
    """The "Source" and "Quote" fields every answer shows, each clipped to its limit."""
    embed.add_field(name="Source", value=clip(locator(citation), where_chars), inline=False)
    embed.add_field(name="Quote", value=quote_block(citation.quote, quote_chars), inline=False)


def suggestion_list(pairs: tuple[QAPair, ...] | list[QAPair], limit: int) -> str:
    """A bulleted list of curated questions that stays within ``limit`` by dropping whole lines."""
    lines: list[str] = []
    for pair in pairs:
        line = "• " + clip(discord.utils.escape_markdown(pair.question), 200)
        if len("\n".join([*lines, line])) > limit:
            break
        lines.append(line)
    return "\n".join(lines) or ELLIPSIS


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Shorten the description until the whole embed is within Discord's 6000-character total."""
    excess = len(embed) - EMBED_TOTAL_CHARS
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, max(1, len(embed.description) - excess))
    return embed


def choices(pairs: list[QAPair]) -> list[app_commands.Choice[str]]:
    """Autocomplete choices: at most 25, each name and value at most 100 characters, no duplicates."""
    seen: set[str] = set()
    out: list[app_commands.Choice[str]] = []
    for pair in pairs:
        value = clip(" ".join(pair.question.split()), CHOICE_CHARS)
        if value in seen:
            continue
        seen.add(value)
        out.append(app_commands.Choice(name=value, value=value))
        if len(out) == CHOICES:
            break
    return out


def sources_embed(knowledge: Knowledge) -> discord.Embed:
    """The loaded texts with their size and how many curated pairs each has (at most 25 fields)."""
    embed = discord.Embed(title="Course texts", colour=ANSWERED_COLOUR)
    for document in knowledge.documents[:EMBED_FIELDS]:
        pairs = len(knowledge.pairs_of(document.source))
        words = sum(len(s.text.split()) for s in document.sentences)
        embed.add_field(
            name=clip(document.source, EMBED_FIELD_NAME_CHARS),
            value=clip(
                f"{words:,} words · {len(document.paragraphs)} paragraphs · {len(document.sentences)} sentences · "
                f"{pairs} curated Q&A",
                EMBED_FIELD_VALUE_CHARS,
            ),
            inline=False,
        )
    if len(knowledge.documents) > EMBED_FIELDS:
        embed.set_footer(text=f"and {len(knowledge.documents) - EMBED_FIELDS} more")
    return fit_embed(embed)


def reload_report(report: ReloadReport) -> str:
    """What a reload did, for the admin: sizes, pair changes, answers that change, colliding pairs, quotes that
    point back at a sentence they leave out."""
    lines = [
        f"Reloaded: {report.pairs} Q&A pairs over {report.sentences} sentences.",
        f"Changes: {report.changes.summary()}.",
    ]
    for label, keys in (
        ("Added", report.changes.added),
        ("Removed", report.changes.removed),
        ("Changed", report.changes.changed),
    ):
        if keys:
            lines.append(f"{label}: " + ", ".join(f"`{key}`" for key in keys))
    if report.replayed:
        lines.append(
            f"Of the {report.replayed} questions logged lately, {report.answers_changed} would now be answered "
            "differently."
        )
    if report.misses:
        lines.append(f"⚠️ {len(report.misses)} curated questions do not bring back their own pair:")
        lines += [f"• “{clip(m.phrasing, 80)}” (`{m.pair.key}`) → {_outcome(m)}" for m in report.misses[:10]]
    if report.lone_quotes:
        many = len(report.lone_quotes) > 1
        lines.append(
            f"⚠️ {len(report.lone_quotes)} quote{'s open' if many else ' opens'} pointing back at a sentence "
            f"{'they leave' if many else 'it leaves'} out (start {'each' if many else 'it'} there, so students see "
            "what it refers to):"
        )
        lines += [
            f"• `{q.pair.key}` “{clip(q.pair.quote, 40)}” → ¶{q.before.paragraph} sentence {q.before.number}"
            for q in report.lone_quotes[:10]
        ]
    return notice("\n".join(lines))


def _outcome(miss: Miss) -> str:
    other = miss.answered_by
    return f"`{other.key}`" if other is not None else miss.outcome()


def unanswered_embed(groups: list[list[LoggedQuestion]]) -> discord.Embed:
    """Open questions grouped by similarity, most asked first: what to teach next."""
    embed = discord.Embed(title="Questions I could not answer", colour=NOT_COVERED_COLOUR)
    if not groups:
        embed.description = "None so far: every question was answered."
        return embed
    lines: list[str] = []
    for group in groups:
        first = group[0]
        askers = len({q.asker for q in group})
        kinds = "👎 " if all(q.kind == "downvoted" for q in group) else ""
        text = discord.utils.escape_markdown(" ".join(first.question.split()))
        line = f"**{len(group)}×** {kinds}{clip(text, 200)} ({askers} asker{'s' if askers != 1 else ''})"
        if len("\n".join([*lines, line])) > EMBED_DESCRIPTION_CHARS - 100:
            break
        lines.append(line)
    embed.description = "\n".join(lines)
    total = sum(len(g) for g in groups)
    embed.set_footer(text=f"{total} open questions in {len(groups)} groups. Answer one with /teach.")
    return fit_embed(embed)


def source_choices(knowledge: Knowledge, typed: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for a ``source`` option: the loaded texts whose name contains what is typed."""
    wanted = typed.casefold()
    names = [d.source for d in knowledge.documents if wanted in d.source.casefold() and len(d.source) <= CHOICE_CHARS]
    return [app_commands.Choice(name=name, value=name) for name in names[:CHOICES]]


def quiz_embed(pair: QAPair) -> discord.Embed:
    """A quiz question, with where it comes from (not the answer)."""
    embed = discord.Embed(
        title="Quiz",
        description=clip(f"**{discord.utils.escape_markdown(pair.question)}**", EMBED_DESCRIPTION_CHARS),
        colour=QUIZ_COLOUR,
    )
    embed.set_footer(
        text=clip(f"From {pair.citation.place.file} · press Answer and reply in your own words", EMBED_FOOTER_CHARS)
    )
    return embed


GRADE_TITLES = {Verdict.RIGHT: "✅ Right", Verdict.PARTLY: "🟡 Partly right", Verdict.WRONG: "❌ Not quite"}


def grade_embed(pair: QAPair, result: Grade, streak: Streak | None) -> discord.Embed:
    """The grade of a quiz answer, the curated answer and its citation, and the student's streak."""
    title = GRADE_TITLES[result.verdict]
    embed = discord.Embed(
        title=f"{title} ({round(result.score * 100)}%)",
        description=clip(discord.utils.escape_markdown(pair.answer), EMBED_DESCRIPTION_CHARS),
        colour=ANSWERED_COLOUR if result.verdict is Verdict.RIGHT else QUIZ_COLOUR,
    )
    embed.add_field(name="Question", value=clip(discord.utils.escape_markdown(pair.question), 1024), inline=False)
    if result.missing:
        embed.add_field(name="Key words you missed", value=clip(", ".join(result.missing), 1024), inline=False)
    add_citation(embed, pair.citation)
    if streak is not None:
        embed.set_footer(
            text=f"Streak {streak.current} (best {streak.best}) · {streak.right}/{streak.answered} right so far"
        )
    return fit_embed(embed)


def cooldown_message(retry_after: float) -> str:
    """The friendly refusal for someone asking faster than the cooldown allows."""
    return f"One moment: you can ask again in {max(1, math.ceil(retry_after))} s."


def notice(text: str) -> str:
    """A plain message (errors, refusals, reload reports) cut to Discord's 2000 characters."""
    return clip(text, MESSAGE_CHARS)
