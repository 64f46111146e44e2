"""``/ask`` with autocomplete, and answers to mentions in study channels. Glue only: the retriever decides."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import NO_MENTIONS, answer_embed, choices, notice
from knowledge.questions import MAX_QUESTION_CHARS, check_question, clean_question

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

DEFER_AFTER = timedelta(seconds=1.5)
"""An interaction that waited this long in a backlog is deferred first, so Discord's 3-second window holds."""


class Ask(commands.Cog):
    """Questions from students, by slash command or by mention."""

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask", description="Ask a question about the course text; the answer cites it.")
    @app_commands.describe(question="Your question about the text (start typing to see questions I can answer)")
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION_CHARS]
    ) -> None:
        cleaned = clean_question(question)
        problem = check_question(cleaned)
        if problem is not None:
            await interaction.response.send_message(notice(problem.capitalize() + "."), ephemeral=True)
            return
        if discord.utils.utcnow() - interaction.created_at > DEFER_AFTER:
            await interaction.response.defer(thinking=True)
        answer = self.bot.serving.retriever.ask(cleaned)
        log.info("/ask answered=%s confidence=%.2f chars=%d", answer.answered, answer.confidence, len(cleaned))
        if interaction.response.is_done():
            await interaction.followup.send(embed=answer_embed(answer), allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(embed=answer_embed(answer), allowed_mentions=NO_MENTIONS)

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Curated questions matching what is typed so far, typo-tolerant, at most 25 of at most 100 characters."""
        return choices(self.bot.serving.retriever.suggest(clean_question(current)[:MAX_QUESTION_CHARS]))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer a message that mentions the bot in a study channel (or a thread under one), as a reply."""
        me = self.bot.user
        if me is None or message.author.bot or me not in message.mentions:
            return
        if not self._in_study_channel(message.channel):
            return
        question = clean_question(_without_mentions(message.content))
        problem = check_question(question)
        if problem is not None:
            text = f"{problem.capitalize()}. Mention me with a question, e.g. “@{me.name} what is soft power?”"
            await message.reply(notice(text), mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        answer = self.bot.serving.retriever.ask(question)
        log.info("mention answered=%s confidence=%.2f chars=%d", answer.answered, answer.confidence, len(question))
        await message.reply(embed=answer_embed(answer), mention_author=False, allowed_mentions=NO_MENTIONS)

    def _in_study_channel(self, channel: object) -> bool:
        allowed = self.bot.settings.study_channels
        channel_id = getattr(channel, "id", None)
        parent_id = getattr(channel, "parent_id", None) if isinstance(channel, discord.Thread) else None
        return channel_id in allowed or (parent_id is not None and parent_id in allowed)


_MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>|@(?:everyone|here)\b")
"""Discord's markup for mentions: users (the bot too, also in the legacy ``<@!id>`` form), roles, channels."""


def _without_mentions(content: str) -> str:
    """The message text without mentions (the bot's own and any other): they are not words of the question."""
    return _MENTION.sub(" ", content)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Ask(bot))
