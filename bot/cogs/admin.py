"""Admin commands: ``/reload`` the knowledge without a restart, and the owner's ``/sync``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import NO_MENTIONS, notice, reload_report
from knowledge.errors import KnowledgeError

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

REPLAY_QUESTIONS = 200
"""How many recently logged questions a reload asks again of the old and the new knowledge."""


def is_admin(interaction: discord.Interaction, admin_roles: frozenset[int]) -> bool:
    """Members with Manage Server, or with one of the roles in ``STUDYBOT_ADMIN_ROLES``."""
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    if interaction.permissions.manage_guild:
        return True
    return any(role.id in admin_roles for role in member.roles)


class Admin(commands.Cog):
    """Keeping the knowledge current while the bot runs."""

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    # No default_permissions: members given an admin role (STUDYBOT_ADMIN_ROLES) must see the command too, so the
    # check below is what guards it.
    @app_commands.command(name="reload", description="Admins: reload this server's texts (the old ones stay if broken)")
    @app_commands.guild_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        if not is_admin(interaction, self.bot.settings.admin_roles):
            await interaction.response.send_message(
                "Sorry, only server admins can reload the knowledge.", ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            guild_id = interaction.guild_id
            report = await self.bot.tenancy.reload(guild_id, await self.recent_questions(guild_id))
        except KnowledgeError as exc:
            log.warning("reload refused: %s", exc)
            problems = "\n".join(f"`{line}`" for line in str(exc).splitlines())
            text = f"Reload failed, so I am still serving the previous knowledge.\n{problems}"
        else:
            text = reload_report(report)
        await interaction.followup.send(notice(text), ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def recent_questions(self, guild_id: int | None) -> list[str]:
        """The questions logged lately in the server, to replay against its new knowledge."""
        storage = self.bot.storage
        return await storage.recent_questions(REPLAY_QUESTIONS, guild_id=guild_id) if storage else []

    @app_commands.command(name="sync", description="Bot owner: register the slash commands with Discord again")
    async def sync(self, interaction: discord.Interaction) -> None:
        if not await self.bot.is_owner(interaction.user):
            await interaction.response.send_message(
                "Only the bot's owner can sync its commands.", ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        synced = await self.bot.tree.sync()
        names = ", ".join("/" + command.name for command in synced)
        await interaction.followup.send(notice(f"Synced {len(synced)} global commands: {names}"), ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Admin(bot))
