"""Teaching the bot from Discord: ``/unanswered`` shows what students asked in vain, ``/teach`` adds a pair.

Admins only (Manage Server or an admin role). A taught pair is validated against the text before its file is
touched, written atomically, and served at once; the logged questions it now answers are marked answered.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.admin import REPLAY_QUESTIONS, is_admin
from bot.cogs.ask import server_sources
from bot.render import NO_MENTIONS, clip, notice, reload_report, unanswered_embed
from bot.replies import report_failure, serving_for
from bot.serving import SavedButNotReloaded
from knowledge.curation import answered_by, group_similar
from knowledge.errors import KnowledgeError
from knowledge.questions import clean_question

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

ADMINS_ONLY = "Sorry, only server admins can curate the bot's knowledge."
SHARED_TEXT = (
    "{source!r} is shared by every server, so only the bot's owner can teach on it. Teach on your server's own "
    "texts (/upload adds one)."
)


class Curation(commands.Cog):
    """What the bot could not answer, and teaching it the answer."""

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(name="unanswered", description="Admins: the questions I could not answer, most asked first")
    @app_commands.guild_only()
    async def unanswered(self, interaction: discord.Interaction) -> None:
        if not is_admin(interaction, self.bot.settings.admin_roles):
            await interaction.response.send_message(ADMINS_ONLY, ephemeral=True)
            return
        if self.bot.storage is None:
            await interaction.response.send_message("No question log is kept here.", ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        logged = await self.bot.storage.open_questions(500, guild_id=interaction.guild_id)
        # Off the event loop: comparing every pair of up to 500 questions takes a while.
        groups = await asyncio.to_thread(group_similar, [q.question for q in logged])
        embed = unanswered_embed([[logged[i] for i in group] for group in groups])
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="teach", description="Admins: add a question and its answer, quoted from the text")
    @app_commands.describe(source="The text the answer is quoted from")
    @app_commands.guild_only()
    async def teach(self, interaction: discord.Interaction, source: str) -> None:
        if not is_admin(interaction, self.bot.settings.admin_roles):
            await interaction.response.send_message(ADMINS_ONLY, ephemeral=True)
            return
        serving = await serving_for(interaction)
        if serving is None:
            return
        if not serving.writable:
            await interaction.response.send_message(
                "The bundled essay is read-only: set STUDYBOT_KNOWLEDGE_DIR to a knowledge folder of your own.",
                ephemeral=True,
            )
            return
        view = serving.retriever
        if view.knowledge.document(source) is None:
            await interaction.response.send_message(
                notice(f"There is no text called {clip(source, 100)!r}; /sources lists them."), ephemeral=True
            )
            return
        if view.is_shared(source) and not await self.bot.is_owner(interaction.user):
            await interaction.response.send_message(
                notice(SHARED_TEXT.format(source=clip(source, 100))), ephemeral=True
            )
            return
        await interaction.response.send_modal(TeachModal(self.bot, source))

    @teach.autocomplete("source")
    async def teach_source(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await server_sources(self.bot, interaction, current)


class TeachModal(discord.ui.Modal, title="Teach studybot a Q&A pair"):
    """The pair's three parts; the quote must be words of the text, copied exactly."""

    question: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Question", placeholder="How a student would ask it", max_length=300
    )
    answer: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Answer", style=discord.TextStyle.paragraph, placeholder="Short, faithful to the text", max_length=1000
    )
    quote: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Quote (exact words of the text)",
        style=discord.TextStyle.paragraph,
        placeholder="Copy the sentence that answers it",
        max_length=1000,
    )

    def __init__(self, bot: StudyBot, source: str) -> None:
        super().__init__(timeout=15 * 60)
        self.bot = bot
        self.source = source

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        serving = await serving_for(interaction)
        if serving is None:
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        storage, guild_id = self.bot.storage, interaction.guild_id
        recent = await storage.recent_questions(REPLAY_QUESTIONS, guild_id=guild_id) if storage else []
        try:
            pair, report = await serving.teach(
                self.source,
                clean_question(self.question.value),
                " ".join(self.answer.value.split()),
                self.quote.value,
                recent,
            )
        except SavedButNotReloaded as exc:
            log.warning("taught %s, but the reload failed: %s", exc.pair.key, exc.error)
            text = (
                f"Saved `{exc.pair.key}` to its file, but the reload failed, so I am still serving the previous "
                f"knowledge (fix the folder, then /reload):\n`{exc.error}`"
            )
            await interaction.followup.send(notice(text), ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        except KnowledgeError as exc:
            log.info("teach refused: %s", exc.reason)
            await interaction.followup.send(
                notice(f"Not saved (the file is unchanged): {exc.reason}"), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        if serving.retriever.is_shared(pair.source) and self.bot.tenancy.has_own(guild_id):
            await self._reload_shared()
        self.bot.tenancy.forget_unused()
        marked = 0
        if storage is not None:
            logged = await storage.open_questions(500, guild_id=guild_id)
            # Off the event loop, as every answer: up to 500 questions asked again.
            now = await asyncio.to_thread(answered_by, serving.retriever, [q.question for q in logged], pair.key)
            answered = [q.id for q, found in zip(logged, now, strict=True) if found]
            marked = await storage.mark_answered(answered, pair.key) if answered else 0
        where = " · ".join(pair.citation.where())
        text = f"Saved `{pair.key}` (quoting {where}) and reloaded. {marked} logged questions are now answered by it.\n"
        await interaction.followup.send(
            notice(text + reload_report(report)), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    async def _reload_shared(self) -> None:
        """After the owner taught on a shared text from a server with texts of its own: serve the new pair to the
        servers without texts of their own too (other servers' views take it at their next /reload)."""
        try:
            await self.bot.tenancy.reload(None)
        except KnowledgeError as exc:
            log.warning("taught on a shared text, but the shared texts did not reload: %s", exc)

    # discord.py's Modal.on_error takes no item, unlike the View it inherits from, whose signature mypy sees.
    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        await report_failure(
            interaction, error, "teach", "Sorry, something went wrong while saving; it has been logged."
        )


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Curation(bot))
