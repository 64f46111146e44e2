"""Proves ``tests/fake_discord`` drives a real discord.py ``commands.Bot`` end to end.

The bot below is deliberately tiny; each test checks one thing the studybot tests will rely on: login and
READY, slash commands through the interaction callback route, autocomplete, deferral + follow-ups (multipart),
message replies, components, modals, command sync, retries on 429/5xx, delays, the 3 s interaction deadline, a
gateway RESUME, and sharding as Discord does it.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Awaitable, Callable

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands
from fake_discord import BotStarter, FakeDiscord
from fake_discord.world import shard_of

TOPICS = ["Photosynthesis", "Cell respiration", "Mitosis", "Meiosis"]
MESSAGES = r"/channels/\d+/messages"
CALLBACK = r"/interactions/\d+/[^/]+/callback"


class PingView(discord.ui.View):
    """A one-button view, to exercise component interactions."""

    @discord.ui.button(label="Again", custom_id="ping:again")
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button[PingView]) -> None:
        await interaction.response.edit_message(content="pong again", view=None)


class NoteModal(discord.ui.Modal, title="Note"):
    """A one-field modal, to exercise modal submits."""

    text: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(label="Text", custom_id="note:text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"noted: {self.text.value}", ephemeral=True)


def make_bot() -> commands.Bot:
    """A minimal bot: /ping, /topic (autocomplete), /buttons, /slow (defer + follow-up), /sleepy (too late),
    /note (modal), and a reply when mentioned."""
    intents = discord.Intents.default()
    intents.message_content = True
    bot = commands.Bot(command_prefix="!", intents=intents)

    @bot.tree.command(name="ping", description="Replies pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", allowed_mentions=discord.AllowedMentions.none())

    async def topic_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TOPICS if current.lower() in t.lower()]

    @bot.tree.command(name="topic", description="Pick a topic")
    @app_commands.autocomplete(topic=topic_choices)
    async def topic(interaction: discord.Interaction, topic: str) -> None:
        await interaction.response.send_message(f"Topic: {topic}", ephemeral=True)

    @bot.tree.command(name="buttons", description="Sends a button")
    async def buttons(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", view=PingView())

    @bot.tree.command(name="slow", description="Defers, edits, follows up with a file")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="done")
        notes = discord.File(io.BytesIO(b"chapter 2"), filename="notes.txt")
        await interaction.followup.send("here are your notes", file=notes, ephemeral=True)
        original = await interaction.original_response()
        await original.delete()

    @bot.tree.command(name="sleepy", description="Answers too late")
    async def sleepy(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.2)
        await interaction.response.send_message("finally")

    @bot.tree.command(name="note", description="Opens a modal")
    async def note(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(NoteModal(custom_id="note:modal"))

    @bot.listen()
    async def on_message(message: discord.Message) -> None:
        if message.author.bot or bot.user is None or bot.user not in message.mentions:
            return
        await message.reply(f"Hi {message.author.mention}!", mention_author=False)

    return bot


@pytest.mark.asyncio
async def test_bot_connects_and_sees_the_guild(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    bot = await start_bot(make_bot())

    assert bot.user is not None
    assert str(bot.user.id) == fake_discord.application_id
    guild = bot.get_guild(int(fake_discord.guild_id))
    assert guild is not None
    assert guild.me is not None
    assert {c.name for c in guild.text_channels} == {"general", "study", "random"}
    thread = guild.get_thread(int(fake_discord.channel_ids["study-thread"]))
    assert thread is not None
    assert thread.parent_id == int(fake_discord.channel_ids["study"])
    admin = guild.get_role(int(fake_discord.role_ids["admin"]))
    assert admin is not None
    assert admin.permissions.value == 0
    assert fake_discord.identify_payloads[0]["intents"] == bot.intents.value
    assert [r.path for r in fake_discord.requests] == ["/users/@me", "/oauth2/applications/@me"]
    assert fake_discord.unknown_routes == []


@pytest.mark.asyncio
async def test_slash_command_is_answered_through_the_callback(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    await start_bot(make_bot())
    interaction = fake_discord.make_slash_interaction("ping", member_roles=["admin"], channel_id="study-thread")

    record = await fake_discord.send_interaction(interaction)
    request = await fake_discord.wait_for_request("POST", CALLBACK, status=200)

    assert request.query == {"with_response": "1"}
    assert request.json == {"type": 4, "data": {"tts": False, "content": "pong", "allowed_mentions": {"parse": []}}}
    assert record.response_type == 4
    assert record.original_id is not None
    assert fake_discord.world.messages[record.original_id]["channel_id"] == fake_discord.channel_ids["study-thread"]


@pytest.mark.asyncio
async def test_autocomplete_returns_choices(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    await start_bot(make_bot())
    interaction = fake_discord.make_autocomplete("topic", {"topic": "osis"})

    await fake_discord.send_interaction(interaction)
    body = await fake_discord.wait_for_callback(interaction)

    assert body["type"] == 8
    assert body["data"]["choices"] == [{"name": "Mitosis", "value": "Mitosis"}, {"name": "Meiosis", "value": "Meiosis"}]


@pytest.mark.asyncio
async def test_mention_gets_a_reply_in_the_channel(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    await start_bot(make_bot())
    message = fake_discord.make_message(f"{fake_discord.mention('bot')} hello", "general", mentions=["bot"])

    await fake_discord.send_message(message)
    request = await fake_discord.wait_for_request("POST", MESSAGES, status=200)

    assert request.path == f"/channels/{fake_discord.channel_ids['general']}/messages"
    assert request.json["content"] == f"Hi {fake_discord.mention('alice')}!"
    assert str(request.json["message_reference"]["message_id"]) == message["id"]  # discord.py sends an int
    assert request.json["allowed_mentions"]["replied_user"] is False
    assert request.response["type"] == 19
    assert request.response["referenced_message"]["id"] == message["id"]


@pytest.mark.asyncio
async def test_rate_limited_callback_is_retried(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    await start_bot(make_bot())
    fake_discord.rate_limit_next("POST", CALLBACK, retry_after=0.1)
    interaction = fake_discord.make_slash_interaction("ping")

    await fake_discord.send_interaction(interaction)
    await fake_discord.wait_for_callback(interaction)

    first, second = fake_discord.requests_to("POST", CALLBACK)
    assert (first.status, first.fault, second.status) == (429, "429", 200)
    assert second.received_at - first.received_at >= 0.1
    assert second.json == first.json


@pytest.mark.asyncio
async def test_rate_limited_message_is_retried_and_delivered_once(
    fake_discord: FakeDiscord, start_bot: BotStarter
) -> None:
    await start_bot(make_bot())
    fake_discord.rate_limit_next("POST", MESSAGES, times=2)

    await fake_discord.send_message(fake_discord.make_message(fake_discord.mention("bot"), mentions=["bot"]))
    await fake_discord.wait_for_request("POST", MESSAGES, status=200)

    assert [r.status for r in fake_discord.requests_to("POST", MESSAGES)] == [429, 429, 200]
    bot_messages = [m for m in fake_discord.world.messages.values() if m["author"]["bot"]]
    assert len(bot_messages) == 1


@pytest.mark.asyncio
async def test_server_error_is_retried(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    await start_bot(make_bot())
    fake_discord.fail_next("POST", MESSAGES, 500)

    await fake_discord.send_message(fake_discord.make_message(fake_discord.mention("bot"), mentions=["bot"]))
    await fake_discord.wait_for_request("POST", MESSAGES, status=200, timeout=3.0)  # discord.py waits 1 s

    assert [r.status for r in fake_discord.requests_to("POST", MESSAGES)] == [500, 200]


@pytest.mark.asyncio
async def test_delayed_response_is_still_delivered(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    await start_bot(make_bot())
    fake_discord.delay_next("POST", MESSAGES, 0.2)
    started = time.monotonic()

    await fake_discord.send_message(fake_discord.make_message(fake_discord.mention("bot"), mentions=["bot"]))
    arrived = await fake_discord.wait_for_request("POST", MESSAGES)
    assert arrived.status is None  # recorded on arrival, answer still held back
    await fake_discord.wait_for_request("POST", MESSAGES, status=200)

    assert time.monotonic() - started >= 0.2


@pytest.mark.asyncio
async def test_tree_sync_puts_commands(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    bot = await start_bot(make_bot())
    guild = discord.Object(int(fake_discord.guild_id))

    synced = await bot.tree.sync()
    bot.tree.copy_global_to(guild=guild)
    guild_synced = await bot.tree.sync(guild=guild)

    put = await fake_discord.wait_for_request("PUT", rf"/applications/{fake_discord.application_id}/commands")
    assert sorted(c["name"] for c in put.json) == ["buttons", "note", "ping", "sleepy", "slow", "topic"]
    assert all(c.id for c in synced)
    assert {c.name for c in guild_synced} == {c.name for c in synced}
    assert fake_discord.requests_to("PUT", rf"/applications/\d+/guilds/{fake_discord.guild_id}/commands")
    interaction = fake_discord.make_slash_interaction("ping")
    assert interaction["data"]["id"] == str(next(c.id for c in synced if c.name == "ping"))


@pytest.mark.asyncio
async def test_deferred_response_edit_followup_and_delete(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    await start_bot(make_bot())
    interaction = fake_discord.make_slash_interaction("slow")
    hook = rf"/webhooks/{fake_discord.application_id}/{interaction['token']}"

    record = await fake_discord.send_interaction(interaction)
    delete = await fake_discord.wait_for_request("DELETE", hook + "/messages/@original", status=204)

    assert (await fake_discord.wait_for_callback(interaction))["type"] == 5
    edit = fake_discord.requests_to("PATCH", hook + "/messages/@original")[0]
    assert edit.json["content"] == "done"
    followup = fake_discord.requests_to("POST", hook)[0]
    assert followup.query["wait"] == "1"
    assert followup.files == ["notes.txt"]  # multipart/form-data with a payload_json part
    assert followup.json["content"] == "here are your notes"
    assert followup.json["flags"] == 64
    assert followup.response["attachments"][0]["filename"] == "notes.txt"
    assert fake_discord.requests_to("GET", hook + "/messages/@original", status=200)
    assert delete.received_at > edit.received_at
    assert record.original_id not in fake_discord.world.messages
    assert fake_discord.unknown_routes == []


@pytest.mark.asyncio
async def test_late_callback_is_rejected_like_discord(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    bot = await start_bot(make_bot())
    failed: asyncio.Future[app_commands.AppCommandError] = asyncio.get_running_loop().create_future()

    async def on_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        failed.set_result(error)

    bot.tree.on_error = on_error  # type: ignore[method-assign]
    fake_discord.interaction_deadline = 0.1
    interaction = fake_discord.make_slash_interaction("sleepy")

    await fake_discord.send_interaction(interaction)
    late = await fake_discord.wait_for_request("POST", CALLBACK, status=404)
    error = await asyncio.wait_for(failed, 1.0)

    assert late.response == {"message": "Unknown interaction", "code": 10062}
    assert isinstance(error, app_commands.CommandInvokeError)
    assert isinstance(error.original, discord.NotFound)
    assert error.original.code == 10062
    assert fake_discord.interaction(interaction).callbacks == []


@pytest.mark.asyncio
async def test_button_press_edits_the_message(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    await start_bot(make_bot())
    record = await fake_discord.send_interaction(fake_discord.make_slash_interaction("buttons"))
    await fake_discord.wait_for_request("POST", CALLBACK, status=200)
    assert record.original_id is not None

    press = fake_discord.make_component("ping:again", message_id=record.original_id)
    await fake_discord.send_interaction(press)
    body = await fake_discord.wait_for_callback(press)

    assert body["type"] == 7
    assert body["data"]["content"] == "pong again"
    assert fake_discord.world.messages[record.original_id]["components"] == []


@pytest.mark.asyncio
async def test_modal_round_trip(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    await start_bot(make_bot())
    opener = fake_discord.make_slash_interaction("note")
    await fake_discord.send_interaction(opener)
    assert (await fake_discord.wait_for_callback(opener))["type"] == 9

    submit = fake_discord.make_modal_submit("note:modal", {"note:text": "read chapter 2"})
    await fake_discord.send_interaction(submit)
    body = await fake_discord.wait_for_callback(submit)

    assert body == {"type": 4, "data": {"tts": False, "content": "noted: read chapter 2", "flags": 64}}


@pytest.mark.asyncio
async def test_unknown_routes_are_reported(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    bot = await start_bot(make_bot())

    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/no/such/route"))

    assert fake_discord.unknown_routes == ["GET /no/such/route"]


@pytest.mark.asyncio
async def test_gateway_reconnect_resumes_the_session(fake_discord: FakeDiscord, start_bot: BotStarter) -> None:
    bot = await start_bot(make_bot())
    session_id = fake_discord.gateway.sessions[0].session_id

    await fake_discord.request_reconnect()
    (resume,) = await fake_discord.gateway.wait_for_op(6)
    await fake_discord.wait_until_connected()

    assert resume["d"]["session_id"] == session_id
    assert len(fake_discord.identify_payloads) == 1
    await fake_discord.send_message(fake_discord.make_message(fake_discord.mention("bot"), mentions=["bot"]))
    await fake_discord.wait_for_request("POST", MESSAGES, status=200)
    assert bot.is_ready()


@pytest.mark.asyncio
async def test_each_shard_gets_its_guilds_and_their_events_only(
    fake_discord: FakeDiscord, start_bot: BotStarter
) -> None:
    fake = fake_discord
    fake.ctx.shards = 2
    home = shard_of(fake.guild_id, 2)
    other = fake.add_guild("Other", shard=(1 - home, 2))
    seen: dict[int, list[str]] = {0: [], 1: []}

    def recorder(shard: int) -> Callable[[discord.Message], Awaitable[None]]:
        async def on_message(message: discord.Message) -> None:
            seen[shard].append(message.content)

        return on_message

    clients = {}
    for shard in (0, 1):
        client = discord.Client(intents=discord.Intents.default(), shard_id=shard, shard_count=2)
        client.event(recorder(shard))
        clients[shard] = await start_bot(client)

    assert sorted(identify["shard"] for identify in fake.identify_payloads) == [[0, 2], [1, 2]]
    assert [str(guild.id) for guild in clients[home].guilds] == [fake.guild_id]
    assert [str(guild.id) for guild in clients[1 - home].guilds] == [other]
    assert (await clients[0].http.get_bot_gateway())[0] == 2  # the recommended shard count
    for guild in (fake.guild_id, other):
        message = fake.make_message(f"in {guild}", fake.world.guild_channels[guild]["general"], author="bob")
        assert await fake.dispatch("MESSAGE_CREATE", message) == [(shard_of(guild, 2), 2)]
    assert await fake.dispatch("USER_UPDATE", fake.bot_user) == [(0, 2)]  # events without a guild: shard 0
    await asyncio.sleep(0.05)
    assert seen[home] == [f"in {fake.guild_id}"]
    assert seen[1 - home] == [f"in {other}"]


@pytest.mark.asyncio
async def test_identify_with_a_shard_beyond_the_count_is_closed_4010(fake_discord: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(fake_discord.gateway_url) as ws:
        hello = await ws.receive_json()
        await ws.send_json({"op": 2, "d": {"token": fake_discord.token, "intents": 0, "shard": [2, 2]}})
        closing = await ws.receive()

    assert hello["op"] == 10
    assert closing.type is aiohttp.WSMsgType.CLOSE
    assert closing.data == 4010
