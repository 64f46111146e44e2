"""Private replies to an interaction, whatever state its response is in."""

from __future__ import annotations

import contextlib
from typing import Any

import discord

from bot.render import NO_MENTIONS, notice


async def reply_privately(interaction: discord.Interaction[Any], text: str) -> None:
    """Send ``text`` only to the user, as the response or, if one was already sent, as a follow-up.

    Used where something failed: a failure to report the failure is not worth a second traceback.
    """
    with contextlib.suppress(discord.HTTPException):
        if interaction.response.is_done():
            await interaction.followup.send(notice(text), ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(notice(text), ephemeral=True, allowed_mentions=NO_MENTIONS)
