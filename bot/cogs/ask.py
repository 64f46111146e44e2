"""``/ask`` with autocomplete, ``/sources``, and answers to mentions in study channels.

Glue only: the retriever decides, :mod:`bot.render` and :mod:`bot.views` present, :mod:`bot.store` remembers
what the bot could not answer.
"""

from __future__ import annotations

import logging
import math
import re
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import (
    NO_MENTIONS,
    choices,
    clip,
    cooldown_message,
    notice,
    source_choices,
    sources_embed,
)
from bot.render_answers import answer_embed
from bot.replies import serving_for, unavailable
from bot.serving import ask_in_thread
from bot.views import answer_view
from knowledge.errors import KnowledgeError
from knowledge.models import Answer
from knowledge.questions import MAX_QUESTION_CHARS, check_question, clean_question
from knowledge.view import View

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

DEFER_AFTER = timedelta(seconds=1.5)
"""An interaction that waited this long in a backlog is deferred first, so Discord's 3-second window holds."""
MAX_TRACKED_MEMBERS = 10_000


class MemberCooldowns:
    """One question per member every ``seconds``, shared by ``/ask`` and mentions; spent only by a real question."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last: dict[int, float] = {}

    def retry_after(self, member_id: int) -> float:
        """Seconds the member must still wait, or 0 (and the question counts from now)."""
        if self.seconds <= 0:
            return 0.0
        now = time.monotonic()
        waited = now - self._last.get(member_id, -math.inf)
        if waited < self.seconds:
            return self.seconds - waited
        if len(self._last) > MAX_TRACKED_MEMBERS:  # forget members whose cooldown is over
            self._last = {m: t for m, t in self._last.items() if now - t < self.seconds}
        self._last[member_id] = now
        return 0.0


class Ask(commands.Cog):
    """Questions from students, by slash command or by mention."""

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.cooldowns = MemberCooldowns(bot.settings.cooldown_seconds)

    @app_commands.command(name="ask", description="Ask a question about the course text; the answer cites it.")
    @app_commands.describe(
        question="Your question about the text (start typing to see questions I can answer)",
        source="Answer from this text only (when there are several)",
    )
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
        source: str | None = None,
    ) -> None:
        cleaned = question_from(question)
        problem = check_question(cleaned)
        serving = await serving_for(interaction)
        if serving is None:
            return
        retriever = serving.retriever
        if problem is None and source is not None and retriever.knowledge.document(source) is None:
            problem = f"there is no text called {clip(source, 100)!r}; /sources lists them"
        if source is None:
            source = await self._bound_source(retriever, interaction.guild_id, interaction.channel)
        if problem is not None:
            await interaction.response.send_message(notice(_sentence(problem) + "."), ephemeral=True)
            return
        retry_after = self.cooldowns.retry_after(interaction.user.id)
        if retry_after:
            await interaction.response.send_message(cooldown_message(retry_after), ephemeral=True)
            return
        if discord.utils.utcnow() - interaction.created_at > DEFER_AFTER:
            await interaction.response.defer(thinking=True)
        answer = await ask_in_thread(retriever, cleaned, source)
        log.info("/ask answered=%s confidence=%.2f chars=%d", answer.answered, answer.confidence, len(cleaned))
        embed, view = answer_embed(answer), answer_view(answer, interaction.user.id)
        if interaction.response.is_done():
            await interaction.followup.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        await self._remember(answer, source, interaction.user.id, interaction.guild_id, interaction.created_at)

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Curated questions matching what is typed so far, typo-tolerant, at most 25 of at most 100 characters."""
        try:
            retriever = (await self.bot.tenancy.serving(interaction.guild_id)).retriever
        except KnowledgeError:
            return []
        return choices(retriever.suggest(question_from(current)[:MAX_QUESTION_CHARS]))

    @ask.autocomplete("source")
    async def source_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The server's texts (their names change with /reload, so they are offered live, not as fixed choices)."""
        return await server_sources(self.bot, interaction, current)

    @app_commands.command(name="sources", description="List the course texts I answer from.")
    async def sources(self, interaction: discord.Interaction) -> None:
        serving = await serving_for(interaction)
        if serving is None:
            return
        embed = sources_embed(serving.retriever.knowledge)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer a message that mentions the bot in a study channel (or a thread under one), as a reply there."""
        me = self.bot.user
        if me is None or message.author.bot or me not in message.mentions:
            return
        guild_id = message.guild.id if message.guild is not None else None
        channel = message.channel
        parent_id = channel.parent_id if isinstance(channel, discord.Thread) else None
        bound = await self.bot.tenancy.bound_source(guild_id, channel.id, parent_id)
        if bound is None and not self._in_study_channel(channel):
            return
        try:
            retriever = (await self.bot.tenancy.serving(guild_id)).retriever
        except KnowledgeError as exc:
            await message.reply(notice(unavailable(exc)), mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        if bound is not None and retriever.knowledge.document(bound) is None:
            bound = None  # bound to a text since removed: answer from every text
        question = question_from(message.content)
        problem = check_question(question)
        if problem is not None:
            text = f"{_sentence(problem)}. Mention me with a question, e.g. “@{me.name} what is soft power?”"
            await message.reply(notice(text), mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        retry_after = self.cooldowns.retry_after(message.author.id)
        if retry_after:
            await message.reply(cooldown_message(retry_after), mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        answer = await ask_in_thread(retriever, question, bound)
        log.info("mention answered=%s confidence=%.2f chars=%d", answer.answered, answer.confidence, len(question))
        await message.reply(
            embed=answer_embed(answer),
            view=answer_view(answer, message.author.id),
            mention_author=False,
            allowed_mentions=NO_MENTIONS,
        )
        await self._remember(answer, bound, message.author.id, guild_id, message.created_at)

    async def _remember(
        self, answer: Answer, source: str | None, user_id: int, guild_id: int | None, asked_at: datetime
    ) -> None:
        """Log a question the text did not cover, for the server's curators' /unanswered list (first: a curator may
        be looking), then count it for /stats under the text cited, else the one it was asked of."""
        storage = self.bot.storage
        if storage is None:
            return
        if not answer.answered:
            await storage.log_question(answer.question, source, user_id, "unanswered", guild_id=guild_id)
        cited = answer.citations[0].source if answer.answered and answer.citations else source
        await storage.record_ask(user_id, guild_id, cited, answer.answered, asked_at)

    async def _bound_source(self, retriever: View, guild_id: int | None, channel: object) -> str | None:
        """The text the channel (or a thread's parent channel) is bound to, if it is still in the server's view
        (a binding to a text since removed is ignored: the answer comes from every text)."""
        channel_id = getattr(channel, "id", 0)
        parent_id = getattr(channel, "parent_id", None) if isinstance(channel, discord.Thread) else None
        source = await self.bot.tenancy.bound_source(guild_id, channel_id, parent_id)
        return source if source is not None and retriever.knowledge.document(source) is not None else None

    def _in_study_channel(self, channel: object) -> bool:
        allowed = self.bot.settings.study_channels
        channel_id = getattr(channel, "id", None)
        parent_id = getattr(channel, "parent_id", None) if isinstance(channel, discord.Thread) else None
        return channel_id in allowed or (parent_id is not None and parent_id in allowed)


def _sentence(text: str) -> str:
    """``text`` with a capital first letter. Not ``str.capitalize``: that lowercases the rest, a text's name too."""
    return text[:1].upper() + text[1:]


_MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>|@(?:everyone|here)\b")
"""Discord's markup for mentions: users (the bot too, also in the legacy ``<@!id>`` form), roles, channels."""


def question_from(typed: str) -> str:
    """The question in what someone typed, whether by ``/ask``, into its autocomplete or in a mention.

    Mentions (the bot's own and any other, ``@everyone`` too) are not words of the question, and control characters
    and runs of spaces are not either: one cleaning for all three ways of asking, so the same words always get the
    same answer.
    """
    return clean_question(_MENTION.sub(" ", typed))


async def server_sources(
    bot: StudyBot, interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete for a ``source`` option: the texts of the interaction's server whose name contains ``current``."""
    try:
        knowledge = (await bot.tenancy.serving(interaction.guild_id)).retriever.knowledge
    except KnowledgeError:
        return []
    return source_choices(knowledge, current)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Ask(bot))
