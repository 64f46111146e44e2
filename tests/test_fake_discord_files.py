"""Proves the fake Discord's attachments: a slash command's ATTACHMENT option resolves to a real
``discord.Attachment`` whose ``read()`` downloads the bytes from the fake CDN route, and an unknown file is a 404."""

from __future__ import annotations

import aiohttp
import discord
import pytest
from discord.ext import commands
from fake_discord import BotStarter, FakeDiscord

pytestmark = pytest.mark.asyncio


def file_bot() -> commands.Bot:
    """A bot with ``/file``: it answers with the attachment's name, reported size and the bytes it downloaded."""
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.default())

    @bot.tree.command(name="file", description="Reads an attached file")
    async def file(interaction: discord.Interaction, attached: discord.Attachment) -> None:
        data = await attached.read()
        text = f"{attached.filename} {attached.size} {data.decode()}"
        await interaction.response.send_message(text, allowed_mentions=discord.AllowedMentions.none())

    return bot


async def test_an_attachment_option_is_downloaded_from_the_cdn(
    fake_discord: FakeDiscord, start_bot: BotStarter
) -> None:
    await start_bot(file_bot())
    attached = fake_discord.attachment("notes.txt", b"Osmosis.", size=123)

    interaction = fake_discord.make_slash_interaction("file", {"attached": attached})
    await fake_discord.send_interaction(interaction)
    body = await fake_discord.wait_for_callback(interaction)

    assert interaction["data"]["options"] == [{"name": "attached", "type": 11, "value": attached["id"]}]
    assert body["data"]["content"] == "notes.txt 123 Osmosis."
    assert fake_discord.cdn.downloads == [attached["id"]]


async def test_an_unknown_attachment_is_not_found(fake_discord: FakeDiscord) -> None:
    url = f"http://{fake_discord.host}:{fake_discord.port}/attachments/1/missing.txt"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 404
    assert fake_discord.cdn.downloads == []
