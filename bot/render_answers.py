"""An answer → Discord: the reply embed (one question, or several in one message), and the passage behind a quote.

Built from :mod:`bot.render`'s clipping helpers, so every string is within Discord's limits however long the
question, the answer or the quote; the tests check the edges.
"""

from __future__ import annotations

import re

import discord

from bot.render import (
    ANSWERED_COLOUR,
    ELLIPSIS,
    EMBED_DESCRIPTION_CHARS,
    EMBED_FIELD_NAME_CHARS,
    EMBED_FIELD_VALUE_CHARS,
    EMBED_TITLE_CHARS,
    NOT_COVERED_COLOUR,
    add_citation,
    clip,
    confidence_label,
    fit_embed,
    locator,
    quote_block,
    suggestion_list,
)
from knowledge.models import Answer, Citation, Paragraph

PART_QUESTION_CHARS = 200
PART_ANSWER_CHARS = 500
PART_LOCATOR_CHARS = 150
PART_QUOTE_CHARS = 1000
"""Limits for each question of a several-question reply: three of them, with the title and the footer, stay within
Discord's 6000 characters for the whole embed (the tests build the longest such reply)."""


def answer_embed(answer: Answer) -> discord.Embed:
    """The reply to a question: the answer, its citation and quote, and the confidence; or "not covered"."""
    question = discord.utils.escape_markdown(" ".join(answer.question.split()))
    if not answer.answered or answer.text is None:
        nearest = answer.closest
        embed = discord.Embed(
            title="Not covered by the text",
            description=clip(
                "I could not find this in the course text, so I won't guess. "
                + (
                    "The passage that came nearest is below: read it yourself, it may not say."
                    if nearest is not None
                    else "Try rephrasing with the text's own words, or ask one of the questions below."
                ),
                EMBED_DESCRIPTION_CHARS,
            ),
            colour=NOT_COVERED_COLOUR,
        )
        embed.add_field(name="You asked", value=clip(question, EMBED_FIELD_VALUE_CHARS), inline=False)
        if nearest is not None:
            where = clip(locator(nearest), EMBED_FIELD_VALUE_CHARS // 4)
            quote = quote_block(nearest.quote, EMBED_FIELD_VALUE_CHARS - len(where) - 1)
            embed.add_field(name="Nearest passage", value=f"{where}\n{quote}", inline=False)
        if answer.suggestions:
            embed.add_field(
                name="Questions I can answer",
                value=suggestion_list(answer.suggestions, EMBED_FIELD_VALUE_CHARS),
                inline=False,
            )
        return embed
    if answer.parts:
        return _parts_embed(question, answer.parts)
    embed = discord.Embed(
        title=clip(f"Q: {question}", EMBED_TITLE_CHARS),
        description=clip(discord.utils.escape_markdown(answer.text), EMBED_DESCRIPTION_CHARS),
        colour=ANSWERED_COLOUR,
    )
    if answer.rephrased:
        matched = discord.utils.escape_markdown(answer.rephrased)
        embed.add_field(name="Answering", value=clip(matched, EMBED_FIELD_VALUE_CHARS), inline=False)
    for citation in answer.citations[:1]:
        add_citation(embed, citation)
    if answer.suggestions:
        embed.add_field(
            name="Not quite? Did you mean", value=suggestion_list(answer.suggestions, EMBED_FIELD_VALUE_CHARS)
        )
    embed.set_footer(text=f"Confidence {confidence_label(answer.confidence)}")
    return fit_embed(embed)


def _parts_embed(question: str, parts: tuple[Answer, ...]) -> discord.Embed:
    """The reply to a message asking several questions: each question with its answer, source and quote, or "not
    covered", in the order asked; the confidence of each in the footer."""
    embed = discord.Embed(title=clip(f"Q: {question}", EMBED_TITLE_CHARS), colour=ANSWERED_COLOUR)
    confidences = []
    for number, part in enumerate(parts, 1):
        asked = discord.utils.escape_markdown(" ".join(part.question.split()))
        asked = clip(f"{number}. {asked}", min(PART_QUESTION_CHARS, EMBED_FIELD_NAME_CHARS))
        if not part.answered or part.text is None or not part.citations:
            embed.add_field(name=asked, value="Not covered by the text, so I won't guess.", inline=False)
            continue
        said = part.text if part.rephrased is None else f"Answering: {part.rephrased}\n{part.text}"
        embed.add_field(name=asked, value=clip(discord.utils.escape_markdown(said), PART_ANSWER_CHARS), inline=False)
        add_citation(embed, part.citations[0], PART_LOCATOR_CHARS, PART_QUOTE_CHARS)
        confidences.append(f"{number}. {confidence_label(part.confidence)}")
    embed.set_footer(text="Confidence " + " · ".join(confidences))
    return fit_embed(embed)


_ESCAPED = re.compile(r"\\([\\*_`~|>#:\-\[\]()])")


def question_of(message: discord.Message | None) -> str | None:
    """The question an answer embed answers (from its title or "You asked" field), for logging feedback."""
    if message is None or not message.embeds:
        return None
    embed = message.embeds[0]
    if embed.title and embed.title.startswith("Q: "):
        return _ESCAPED.sub(r"\1", embed.title[3:])
    field = next((f for f in embed.fields if f.name == "You asked"), None)
    return _ESCAPED.sub(r"\1", field.value) if field is not None and field.value else None


def passage_embed(paragraph: Paragraph, highlighted: tuple[int, ...]) -> discord.Embed:
    """The whole paragraph around a citation, the cited sentences in bold, with where it is (its page or headings,
    and its line numbers where the file has lines)."""
    parts = []
    for sentence in paragraph.sentences:
        text = discord.utils.escape_markdown(sentence.text)
        parts.append(f"**{text}**" if sentence.number in highlighted else text)
    body = " ".join(parts)
    if len(body) > EMBED_DESCRIPTION_CHARS:  # keep the highlighted part in view: cut around it
        first = next((s for s in paragraph.sentences if s.number in highlighted), paragraph.sentences[0])
        start = body.find(discord.utils.escape_markdown(first.text)[:40])
        cut = max(0, start - 200)
        body = (ELLIPSIS if cut else "") + body[cut:]  # an ellipsis only where something was left out
    whole = Citation.of(paragraph.sentences, paragraph.text)
    embed = discord.Embed(
        title=clip(" · ".join(whole.where(sentences=False)), EMBED_TITLE_CHARS),
        description=clip(body, EMBED_DESCRIPTION_CHARS),
        colour=ANSWERED_COLOUR,
    )
    lines = f"Lines {whole.lines[0]}–{whole.lines[1]}; the" if whole.lines is not None else "The"
    embed.set_footer(text=f"{lines} cited sentences are in bold.")
    return fit_embed(embed)
