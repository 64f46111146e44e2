"""Private replies to an interaction, whatever state its response is in, and how a handler that failed ends."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar, cast

import discord
from discord import app_commands

from bot.render import NO_MENTIONS, notice
from bot.serving import ServingKnowledge
from knowledge.errors import KnowledgeError

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

UNKNOWN_INTERACTION = 10062
"""Discord's error code for a response to an interaction it no longer knows: one not acknowledged within 3 s."""

ItemT = TypeVar("ItemT", bound=discord.ui.Item[Any])


async def reply_privately(interaction: discord.Interaction[Any], text: str) -> None:
    """Send ``text`` only to the user, as the response or, if one was already sent, as a follow-up.

    Used where something failed: a failure to report the failure is not worth a second traceback.
    """
    with contextlib.suppress(discord.HTTPException):
        if interaction.response.is_done():
            await interaction.followup.send(notice(text), ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(notice(text), ephemeral=True, allowed_mentions=NO_MENTIONS)


def unavailable(error: KnowledgeError) -> str:
    """Why a server's texts cannot be served, for its members: the file and the reason, and what fixes it."""
    return (
        "This server's course texts cannot be loaded, so I cannot answer here until an admin fixes them and runs "
        f"/reload:\n`{error}`"
    )


async def serving_for(interaction: discord.Interaction[Any]) -> ServingKnowledge | None:
    """The view of the interaction's server (the shared one in a direct message), or None once the user has been
    told privately why it cannot be served."""
    bot = cast("StudyBot", interaction.client)
    try:
        return await bot.tenancy.serving(interaction.guild_id)
    except KnowledgeError as exc:
        await reply_privately(interaction, unavailable(exc))
        return None


def answered_too_late(error: BaseException) -> bool:
    """Whether ``error`` (or the command error wrapping it) is Discord refusing a response that came too late.

    Nothing can be sent for such an interaction any more, not even an apology, and it is no bug of ours: a busy
    moment (a backlog of interactions, a slow host) is enough.
    """
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    return isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION


def warn_answered_too_late(interaction: discord.Interaction[Any], what: str) -> None:
    """One warning line, no traceback: the interaction, and how late it was (the usual cause is a backlog)."""
    late = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    log.warning(
        "%s: Discord no longer knew the interaction when it was answered (%.1f s after it was sent; the limit is "
        "3 s), so nothing was sent",
        what,
        late,
    )


async def report_failure(interaction: discord.Interaction[Any], error: BaseException, what: str, apology: str) -> None:
    """How a failed handler ends: the traceback to the log and ``apology`` privately to the user; or, for an
    interaction answered too late, one warning and nothing sent (Discord would refuse it)."""
    if answered_too_late(error):
        warn_answered_too_late(interaction, what)
        return
    log.error("%s failed", what, exc_info=error)
    await reply_privately(interaction, apology)


def warns_if_answered_too_late(
    callback: Callable[[ItemT, discord.Interaction[Any]], Awaitable[None]],
) -> Callable[[ItemT, discord.Interaction[Any]], Coroutine[Any, Any, None]]:
    """Wrap a button's callback so that an interaction answered too late is one warning, not the traceback that
    discord.py logs as an error for any exception a persistent button's callback raises."""

    @functools.wraps(callback)
    async def answer(item: ItemT, interaction: discord.Interaction[Any]) -> None:
        try:
            await callback(item, interaction)
        except discord.NotFound as error:
            if not answered_too_late(error):
                raise
            warn_answered_too_late(interaction, f"the {type(item).__name__} button")

    return answer
