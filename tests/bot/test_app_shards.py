"""bot/app.py, sharded: shards are settings (``STUDYBOT_SHARD_COUNT``, ``STUDYBOT_SHARD_IDS``), not code paths. Two
``studybot run`` processes on the two shards of the fake Discord answer every server's questions exactly once
between them, each only its own servers'; one process can also run several shards."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from fake_discord import JSON, BotStarter, FakeDiscord, InteractionRecord
from fake_discord.world import shard_of
from studybot_harness import (
    ANSWERABLE,
    CALLBACK,
    MESSAGES,
    NOT_COVERED,
    assert_answered,
    embed_of,
    eventually,
    settings_for,
)
from studybot_process import against, assert_clean, studybot_process

from bot.app import create_bot
from bot.store import open_store

SHARDS = 2
SERVERS_PER_SHARD = 2  # besides the fake's first server, which falls in one shard or the other


def add_servers(fake: FakeDiscord) -> dict[int, list[str]]:
    """Servers in each shard, the fake's own first one included: shard id -> guild ids."""
    for shard in range(SHARDS):
        for number in range(SERVERS_PER_SHARD):
            fake.add_guild(f"shard {shard} server {number}", shard=(shard, SHARDS))
    return {shard: [g for g in fake.world.guild_ids if shard_of(g, SHARDS) == shard] for shard in range(SHARDS)}


def channel(fake: FakeDiscord, guild: str, name: str) -> str:
    return fake.world.guild_channels[guild][name]


def replies_to(fake: FakeDiscord, message: JSON) -> list[JSON]:
    """Every reply the bot posted to ``message``."""
    return [
        request.json
        for request in fake.requests_to("POST", MESSAGES, status=200)
        if str(((request.json or {}).get("message_reference") or {}).get("message_id")) == message["id"]
    ]


@pytest.mark.asyncio
async def test_two_processes_on_two_shards_answer_each_server_once_and_only_their_own(
    fake_discord: FakeDiscord, tmp_path: Path, postgres_url: str
) -> None:
    fake = fake_discord
    servers = add_servers(fake)
    study = ",".join(channel(fake, guild, "study") for guild in fake.world.guild_ids)
    folders = [tmp_path / f"shard-{shard}" for shard in range(SHARDS)]
    for folder in folders:
        folder.mkdir()
    settings = against(
        fake, shard_count=str(SHARDS), study_channels=study, database_url=postgres_url, cooldown_seconds="0"
    )

    async with (
        studybot_process(folders[0], "run", shard_ids="0", **settings) as first,
        studybot_process(folders[1], "run", shard_ids="1", **settings) as second,
    ):
        await first.until_identified(fake)
        await second.until_identified(fake, count=2)
        asked: list[tuple[str, InteractionRecord]] = []
        mentions: list[JSON] = []
        for guild in fake.world.guild_ids:
            for question in (ANSWERABLE, NOT_COVERED):
                interaction = fake.make_slash_interaction(
                    "ask", {"question": question}, channel_id=channel(fake, guild, "general")
                )
                asked.append((question, await fake.send_interaction(interaction)))
            content = f"{fake.mention('bot')} {ANSWERABLE}"
            mentions.append(
                await fake.send_message(fake.make_message(content, channel(fake, guild, "study"), mentions=["bot"]))
            )

        for question, record in asked:
            body = await fake.wait_for_callback(record.payload, timeout=10.0)
            if question == ANSWERABLE:
                assert_answered(embed_of(body["data"]))
        for message in mentions:
            await fake.wait_for_request(
                "POST",
                MESSAGES,
                status=200,
                timeout=10.0,
                predicate=lambda r, m=message: (
                    str(((r.json or {}).get("message_reference") or {}).get("message_id")) == m["id"]
                ),
            )

        async def all_logged() -> int | None:  # one not-covered question per server, from whichever process
            async with await open_store(postgres_url, b"reader") as store:
                found = (await store.counts())["open_questions"]
            return found if found == len(fake.world.guild_ids) else None

        await eventually(all_logged, timeout=10.0)
        for process in (first, second):
            process.process.send_signal(signal.SIGTERM)
        codes = [await first.exit_code(), await second.exit_code()]

    assert codes == [0, 0], first.stderr + second.stderr
    assert sorted(identify["shard"] for identify in fake.identify_payloads) == [[0, SHARDS], [1, SHARDS]]
    # None lost, none answered twice: every interaction got exactly one callback, every mention exactly one reply...
    assert [len(record.callbacks) for _, record in asked] == [1] * len(asked)
    assert fake.requests_to("POST", CALLBACK, status=400) == []
    assert [len(replies_to(fake, message)) for message in mentions] == [1] * len(mentions)
    # ...each delivered to the one session of its server's shard, and answered by the process running that shard.
    for _, record in asked:
        assert record.shards == [(shard_of(record.payload["guild_id"], SHARDS), SHARDS)]
    for shard, process in enumerate((first, second)):
        assert_clean(process.stderr)
        assert process.stderr.count("/ask answered=") == 2 * len(servers[shard])
        assert process.stderr.count("mention answered=") == len(servers[shard])


@pytest.mark.asyncio
async def test_one_process_runs_every_shard_discord_recommends(
    fake_discord: FakeDiscord, start_bot: BotStarter, tmp_path: Path
) -> None:
    fake = fake_discord
    fake.ctx.shards = SHARDS  # GET /gateway/bot recommends two shards
    servers = add_servers(fake)
    bot = create_bot(settings_for(fake, tmp_path / "studybot.sqlite3"))

    await start_bot(bot, ready_timeout=15.0)  # discord.py waits 5 s between two IDENTIFYs

    assert sorted(identify["shard"] for identify in fake.identify_payloads) == [[0, SHARDS], [1, SHARDS]]
    assert sorted(bot.shards) == [0, 1]
    assert {str(guild.id) for guild in bot.guilds} == set(fake.world.guild_ids)
    for shard, guilds in servers.items():
        interaction = fake.make_slash_interaction(
            "ask", {"question": ANSWERABLE}, channel_id=channel(fake, guilds[0], "general")
        )
        record = await fake.send_interaction(interaction)
        assert_answered(embed_of((await fake.wait_for_callback(interaction))["data"]))
        assert record.shards == [(shard, SHARDS)]
