"""``/stats``: the usage figures of the server it is used in, for its admins, with a chart when one can be drawn.

Glue only: the store computes the figures (:meth:`bot.store.Store.usage`), :mod:`bot.render_usage` and
:mod:`bot.usage_chart` present them.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.admin import is_admin
from bot.render import NO_MENTIONS
from bot.render_usage import usage_embed
from bot.store import DEFAULT_DAYS, RETENTION_DAYS
from bot.usage_chart import CHART_FILE, chart_png, charts_available

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

ADMINS_ONLY = "Sorry, only server admins can see the usage figures."


class Stats(commands.Cog):
    """How much the bot is asked, and how well it answers, in one server."""

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    # No default_permissions, as /reload: members with an admin role (STUDYBOT_ADMIN_ROLES) must see it too.
    @app_commands.command(name="stats", description="Admins: questions per day, share answered, 👍/👎, per text")
    @app_commands.describe(days=f"How many days back, today included (default {DEFAULT_DAYS})")
    @app_commands.guild_only()
    async def stats(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, RETENTION_DAYS] = DEFAULT_DAYS
    ) -> None:
        if not is_admin(interaction, self.bot.settings.admin_roles) or interaction.guild_id is None:
            await interaction.response.send_message(ADMINS_ONLY, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        storage = self.bot.storage
        if storage is None:
            await interaction.response.send_message(
                "No figures are kept here: the bot runs without its database (see its log).", ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        usage = await storage.usage(interaction.guild_id, days)
        files = []
        if charts_available():
            png = await asyncio.to_thread(chart_png, usage)  # a tenth of a second or more: off the event loop
            files.append(discord.File(io.BytesIO(png), filename=CHART_FILE, description="Questions per day"))
        embed = usage_embed(usage, chart_file=CHART_FILE if files else None)
        log.info("/stats over %d days: %d questions", days, usage.asked)
        await interaction.followup.send(embed=embed, files=files, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Stats(bot))
