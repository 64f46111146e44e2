"""A server's own texts: ``/upload`` and ``/remove`` change its folder, ``/bind`` and ``/unbind`` tie a channel to a
text. Admins only (Manage Server or an admin role, as for ``/reload``).

Glue: the checks and the file changes are :mod:`knowledge.folders`, which server sees what is :mod:`bot.tenancy`.
An upload or removal that fails changes no file, and the server's view is reloaded only after a change succeeded.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.admin import REPLAY_QUESTIONS, is_admin
from bot.cogs.ask import server_sources
from bot.render import NO_MENTIONS, clip, notice, reload_report
from bot.replies import serving_for
from knowledge.corpus import course_texts
from knowledge.errors import KnowledgeError
from knowledge.folders import ACCEPTED, Refused, add_file, remove_text

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

ADMINS_ONLY = "Sorry, only server admins can change this server's texts."
READ_ONLY = "The bundled essay is read-only: set STUDYBOT_KNOWLEDGE_DIR to a knowledge folder of your own."


class Texts(commands.Cog):
    """Uploading, removing and binding a server's texts."""

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def _refuse(self, interaction: discord.Interaction, text: str) -> None:
        """One clear private line, whether or not the response was deferred."""
        if interaction.response.is_done():
            await interaction.followup.send(notice(text), ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(notice(text), ephemeral=True, allowed_mentions=NO_MENTIONS)

    def _allowed(self, interaction: discord.Interaction) -> str | None:
        """Why the user may not change the server's texts, or None."""
        if not is_admin(interaction, self.bot.settings.admin_roles):
            return ADMINS_ONLY
        if not self.bot.tenancy.writable:
            return READ_ONLY
        return None

    @app_commands.command(name="upload", description="Admins: add a course text (or its .qa.yaml) to this server")
    @app_commands.describe(file=f"The file: {ACCEPTED}")
    @app_commands.guild_only()
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        refusal = self._allowed(interaction)
        limit = self.bot.settings.max_file_mb
        if refusal is None and file.size > limit * 1_000_000:
            size = f"{file.size / 1_000_000:.1f} MB" if file.size >= 1_000_000 else f"{file.size / 1000:.0f} kB"
            refusal = f"Not added: {clip(file.filename, 100)} is {size}, over the limit of {limit:g} MB for one file."
        if refusal is not None:
            await self._refuse(interaction, refusal)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        text = await self._add(interaction, file.filename, data)
        await interaction.followup.send(notice(text), ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def _add(self, interaction: discord.Interaction, filename: str, data: bytes) -> str:
        """Add the file to the server's folder and reload its view; what to tell the admin."""
        tenancy, guild_id = self.bot.tenancy, interaction.guild_id
        folder = tenancy.own_folder(guild_id)
        assert guild_id is not None
        assert folder is not None
        shared = self._shared_names()
        async with tenancy.change_lock(guild_id):
            try:
                added = await asyncio.to_thread(add_file, folder, filename, data, shared, self.bot.settings.reading())
            except Refused as exc:
                log.info("upload refused: %s", exc)
                return f"Not added (no file was changed): {exc}"
            try:
                serving = await tenancy.view_for_change(guild_id)
                async with serving.lock:
                    report = await tenancy.reload_locked(guild_id, serving, await self._recent(guild_id))
            except KnowledgeError as exc:
                await asyncio.to_thread(added.undo)
                log.warning("upload undone, the server's texts did not reload with it: %s", exc)
                return f"Not added (no file was changed): the server's texts did not load with it:\n`{exc}`"
        what = "curated pairs for" if added.path.name.endswith(".qa.yaml") else "the text"
        return f"Added {what} `{added.source}` ({added.sentences} sentences).\n{reload_report(report)}"

    @app_commands.command(name="remove", description="Admins: take one of this server's own texts out")
    @app_commands.describe(source="The text to take out (its curated pairs are kept aside)")
    @app_commands.guild_only()
    async def remove(self, interaction: discord.Interaction, source: str) -> None:
        refusal = self._allowed(interaction) or self._not_removable(interaction.guild_id, source)
        if refusal is not None:
            await self._refuse(interaction, refusal)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send(
            notice(await self._take_out(interaction, source)), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    def _not_removable(self, guild_id: int | None, source: str) -> str | None:
        """Why ``source`` cannot be taken out of the server's folder, or None. Read from the folder itself, not the
        view: a text that breaks the server's view must be removable too."""
        folder = self.bot.tenancy.own_folder(guild_id)
        try:
            own = course_texts(folder) if folder is not None and folder.is_dir() else {}
        except KnowledgeError as exc:
            return f"This server's folder needs fixing by hand first: {exc}"
        shared = self._shared_names()
        if source in shared:
            return f"{clip(source, 100)!r} is shared by every server: it cannot be removed from one."
        if source not in own:
            return f"This server has no text of its own called {clip(source, 100)!r}; /sources lists them."
        if not shared and len(own) == 1:
            return f"{clip(source, 100)!r} is this server's only text: upload another one first."
        return None

    async def _take_out(self, interaction: discord.Interaction, source: str) -> str:
        tenancy, guild_id = self.bot.tenancy, interaction.guild_id
        folder = tenancy.own_folder(guild_id)
        assert guild_id is not None
        assert folder is not None
        async with tenancy.change_lock(guild_id):
            try:
                serving = await tenancy.view_for_change(guild_id)
            except KnowledgeError as exc:  # nothing served to start from, and the folder does not load
                return f"Not removed: the server's texts do not load:\n`{exc}`"
            async with serving.lock:
                try:
                    kept = await asyncio.to_thread(remove_text, folder, source)
                except Refused as exc:
                    return f"Not removed: {exc}"
                for channel, bound in list((await tenancy.bindings(guild_id)).items()):
                    if bound == source:
                        await tenancy.unbind(guild_id, channel)
                try:
                    report = await tenancy.reload_locked(guild_id, serving, await self._recent(guild_id))
                except KnowledgeError as exc:
                    return f"Removed `{source}`, but the server's texts did not reload:\n`{exc}`"
        aside = f" Its curated pairs are kept in `{kept.parent.name}/{kept.name}`." if kept is not None else ""
        return f"Removed `{source}`.{aside}\n{reload_report(report)}"

    @remove.autocomplete("source")
    async def remove_source(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await server_sources(self.bot, interaction, current)

    @app_commands.command(name="bind", description="Admins: answer from one text in this channel and its threads")
    @app_commands.describe(source="The text questions here are answered from")
    @app_commands.guild_only()
    async def bind(self, interaction: discord.Interaction, source: str) -> None:
        if not is_admin(interaction, self.bot.settings.admin_roles):
            await self._refuse(interaction, ADMINS_ONLY)
            return
        serving = await serving_for(interaction)
        if serving is None:
            return
        if serving.retriever.knowledge.document(source) is None:
            await self._refuse(interaction, f"There is no text called {clip(source, 100)!r}; /sources lists them.")
            return
        assert interaction.guild_id is not None
        assert interaction.channel_id is not None
        if not await self.bot.tenancy.bind(interaction.guild_id, interaction.channel_id, source):
            await self._refuse(interaction, "No database is in use here, so a binding could not be kept.")
            return
        text = (
            f"Questions in this channel (and its threads) are now answered from `{source}`, unless one names another."
        )
        await self._refuse(interaction, text)

    @bind.autocomplete("source")
    async def bind_source(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await server_sources(self.bot, interaction, current)

    @app_commands.command(name="unbind", description="Admins: answer from every text in this channel again")
    @app_commands.guild_only()
    async def unbind(self, interaction: discord.Interaction) -> None:
        if not is_admin(interaction, self.bot.settings.admin_roles):
            await self._refuse(interaction, ADMINS_ONLY)
            return
        assert interaction.guild_id is not None
        assert interaction.channel_id is not None
        removed = await self.bot.tenancy.unbind(interaction.guild_id, interaction.channel_id)
        text = "This channel answers from every text again." if removed else "This channel was not bound to a text."
        await self._refuse(interaction, text)

    def _shared_names(self) -> frozenset[str]:
        try:
            return frozenset(d.source for d in self.bot.tenancy.shared.retriever.knowledge.documents)
        except KnowledgeError:
            return frozenset()

    async def _recent(self, guild_id: int) -> list[str]:
        storage = self.bot.storage
        return await storage.recent_questions(REPLAY_QUESTIONS, guild_id=guild_id) if storage else []


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Texts(bot))
