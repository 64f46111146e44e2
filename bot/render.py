"""Answer → Discord: embeds, replies and autocomplete choices that are within Discord's limits by construction.

Every string that reaches Discord passes through :func:`clip` here, once, whatever the question or the knowledge
files say; the tests check the edges (exactly at, and one past, each limit).
"""

from __future__ import annotations

import discord
from discord import app_commands

from knowledge.models import Answer, Citation, QAPair

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits and the interaction docs.
MESSAGE_CHARS = 2000
EMBED_TITLE_CHARS = 256
EMBED_DESCRIPTION_CHARS = 4096
EMBED_FIELD_NAME_CHARS = 256
EMBED_FIELD_VALUE_CHARS = 1024
EMBED_FOOTER_CHARS = 2048
EMBED_TOTAL_CHARS = 6000
CHOICES = 25
CHOICE_CHARS = 100

ELLIPSIS = "…"
ANSWERED_COLOUR = discord.Colour.green()
NOT_COVERED_COLOUR = discord.Colour.light_grey()
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
    """Where to check the quote: file, paragraph, sentences and lines."""
    label = "sentences" if len(citation.sentences) > 1 else "sentence"
    numbers = ", ".join(str(n) for n in citation.sentences)
    return (
        f"{citation.source}.txt · ¶{citation.paragraph} · {label} {numbers} · "
        f"lines {citation.lines[0]}–{citation.lines[1]}"
    )


def answer_embed(answer: Answer) -> discord.Embed:
    """The reply to a question: the answer, its citation and quote, and the confidence; or "not covered"."""
    question = discord.utils.escape_markdown(" ".join(answer.question.split()))
    if not answer.answered or answer.text is None:
        embed = discord.Embed(
            title="Not covered by the text",
            description=clip(
                "I could not find this in the course text, so I won't guess. "
                "Try rephrasing with the text's own words, or ask one of the questions below.",
                EMBED_DESCRIPTION_CHARS,
            ),
            colour=NOT_COVERED_COLOUR,
        )
        embed.add_field(name="You asked", value=clip(question, EMBED_FIELD_VALUE_CHARS), inline=False)
        if answer.suggestions:
            embed.add_field(
                name="Questions I can answer",
                value=suggestion_list(answer.suggestions, EMBED_FIELD_VALUE_CHARS),
                inline=False,
            )
        return embed
    embed = discord.Embed(
        title=clip(f"Q: {question}", EMBED_TITLE_CHARS),
        description=clip(discord.utils.escape_markdown(answer.text), EMBED_DESCRIPTION_CHARS),
        colour=ANSWERED_COLOUR,
    )
    if answer.pair is not None and answer.pair.question.casefold() != answer.question.casefold():
        matched = discord.utils.escape_markdown(answer.pair.question)
        embed.add_field(name="Answering", value=clip(matched, EMBED_FIELD_VALUE_CHARS), inline=False)
    for citation in answer.citations[:1]:
        embed.add_field(name="Source", value=clip(locator(citation), EMBED_FIELD_VALUE_CHARS), inline=False)
        embed.add_field(name="Quote", value=quote_block(citation.quote, EMBED_FIELD_VALUE_CHARS), inline=False)
    embed.set_footer(text=f"Confidence {confidence_label(answer.confidence)}")
    return fit_embed(embed)


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


def notice(text: str) -> str:
    """A plain message (errors, refusals, reload reports) cut to Discord's 2000 characters."""
    return clip(text, MESSAGE_CHARS)
