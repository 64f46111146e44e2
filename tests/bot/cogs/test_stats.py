"""bot/cogs/stats.py (``/stats``) and the counting in bot/cogs/ask.py and bot/views.py, through the real discord.py
client and the fake Discord, with a real SQLite database: an admin sees their own server's figures and the chart, a
member is refused, another server's questions and votes are not counted."""

from __future__ import annotations

import re
import struct
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from fake_discord import JSON, FakeDiscord, RecordedRequest
from studybot_harness import (
    ANSWERABLE,
    EPHEMERAL,
    NOT_COVERED,
    StartStudyBot,
    StudyDiscord,
    custom_id_starting,
    embed_length,
    eventually,
    fields_of,
    press,
)

import bot.usage_chart
from bot.app import StudyBot
from bot.cogs.stats import ADMINS_ONLY
from bot.render import EMBED_TOTAL_CHARS
from bot.render_usage import NO_CHART_NOTE
from bot.usage_chart import CHART_FILE

pytestmark = pytest.mark.asyncio

ADMIN: dict[str, Any] = {"member_roles": ["admin"]}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ESSAY = "soft-power-essay"


async def counted(bot: StudyBot, guild_id: int | None, asked: int) -> None:
    """Wait until ``asked`` questions of that server are counted: a question is counted after its reply."""
    assert bot.storage is not None
    storage = bot.storage

    async def enough() -> int | None:
        found = (await storage.usage(guild_id)).asked
        assert found <= asked, f"{found} questions counted, expected {asked}"
        return found if found == asked else None

    await eventually(enough)


async def stats(study: StudyDiscord, **kw: Any) -> tuple[JSON, RecordedRequest | None]:
    """``/stats``: the callback body, and the follow-up request with the figures (None if refused at once)."""
    interaction = study.fake.make_slash_interaction("stats", **kw)
    await study.fake.send_interaction(interaction)
    callback = await study.fake.wait_for_callback(interaction)
    if callback["type"] == 4:
        return callback, None
    hook = rf"/webhooks/{study.fake.application_id}/{re.escape(interaction['token'])}"
    return callback, await study.fake.wait_for_request("POST", hook, status=200, timeout=10.0)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header chunk."""
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def ask_in_two_servers(study: StudyDiscord, other_study_channel: str) -> None:
    """Here: one answered (with a 👍) and one not covered, by alice; there: two by bob, one of them with a 👎."""
    here = int(study.fake.world.guild_id)
    there = int(study.fake.world.guild_of(other_study_channel) or 0)
    record, body = await study.ask_record(ANSWERABLE)
    assert body["type"] == 4
    await study.ask(NOT_COVERED)
    await counted(study.bot, here, 2)
    message = study.original(record)
    _, voted = await press(study.fake, message, custom_id_starting(message, "sb:vote:up:"))
    assert voted["type"] == 4
    record, _ = await study.ask_record(ANSWERABLE, user="bob", channel_id=other_study_channel)
    message = study.original(record)
    _, voted = await press(study.fake, message, custom_id_starting(message, "sb:vote:down:"), user="bob")
    assert voted["type"] == 4
    await study.ask("Who won the 1998 world cup?", user="bob", channel_id=other_study_channel)
    await counted(study.bot, there, 2)


async def test_an_admin_sees_their_own_servers_figures_with_the_chart(
    studybot: StartStudyBot, fake_discord: FakeDiscord
) -> None:
    other = fake_discord.world.add_guild("Another school")
    study = await studybot()
    await ask_in_two_servers(study, fake_discord.world.guild_channels[other]["study"])

    callback, followup = await stats(study, **ADMIN)

    assert callback == {"type": 5, "data": {"flags": EPHEMERAL}}  # deferred before the database is read
    assert followup is not None
    assert followup.json["flags"] == EPHEMERAL
    assert followup.json["allowed_mentions"] == {"parse": []}
    embed = followup.json["embeds"][0]
    assert embed["title"] == "Questions over the last 30 days"
    assert embed["description"].startswith("**2** questions from 1 person, **50%** answered · 👍 1 👎 0\n")
    fields = fields_of(embed)
    assert fields["Per text"].splitlines() == [
        f"`{ESSAY}`: 1 asked, 100% answered · 👍 1 👎 0",
        "*no text covered it*: 1 asked, 0% answered · 👍 0 👎 0",
    ]
    assert fields["Most asked, still unanswered"] == f"**1×** {NOT_COVERED} (1 person)"
    assert "Who won" not in str(embed)  # the other server's question
    assert embed["image"]["url"] == f"attachment://{CHART_FILE}"
    assert "Per day" not in fields  # the chart says it
    assert embed_length(embed) <= EMBED_TOTAL_CHARS
    assert followup.files == [CHART_FILE]
    assert png_size(followup.file_contents[0]) == (800, 300)


async def test_the_other_servers_admin_sees_only_theirs(studybot: StartStudyBot, fake_discord: FakeDiscord) -> None:
    other = fake_discord.world.add_guild("Another school")
    study = await studybot()
    channel = fake_discord.world.guild_channels[other]["study"]
    await ask_in_two_servers(study, channel)

    _, followup = await stats(study, user="bob", channel_id=channel, permissions=1 << 5)  # Manage Server there

    assert followup is not None
    embed = followup.json["embeds"][0]
    assert embed["description"].startswith("**2** questions from 1 person, **50%** answered · 👍 0 👎 1\n")
    assert fields_of(embed)["Most asked, still unanswered"] == "**1×** Who won the 1998 world cup? (1 person)"


async def test_a_member_who_is_not_an_admin_is_refused(studybot: StartStudyBot) -> None:
    study = await studybot()
    await study.ask(NOT_COVERED)

    callback, followup = await stats(study, user="bob", member_roles=[])

    assert followup is None
    assert callback["type"] == 4
    assert callback["data"]["content"] == ADMINS_ONLY
    assert callback["data"]["flags"] == EPHEMERAL


async def test_days_choose_the_window(studybot: StartStudyBot) -> None:
    study = await studybot()
    await study.ask(ANSWERABLE)
    await counted(study.bot, int(study.fake.world.guild_id), 1)

    _, followup = await stats(study, options={"days": 7}, **ADMIN)

    assert followup is not None
    assert followup.json["embeds"][0]["title"] == "Questions over the last 7 days"


async def test_without_the_charts_extra_the_figures_come_as_a_table_with_a_note(
    studybot: StartStudyBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if matplotlib were not installed (the cog module is loaded afresh by the bot, so its import is patched).
    monkeypatch.setattr(bot.usage_chart, "find_spec", lambda name: None if name == "matplotlib" else find_spec(name))
    study = await studybot()
    await study.ask(ANSWERABLE)
    await counted(study.bot, int(study.fake.world.guild_id), 1)

    _, followup = await stats(study, **ADMIN)

    assert followup is not None
    assert followup.files == []
    embed = followup.json["embeds"][0]
    assert "image" not in embed
    table = fields_of(embed)["Per day"].splitlines()
    assert table[0] == table[-1] == "```"
    assert len(table) == 1 + 1 + 30 + 1  # fences, a header, every day
    assert table[2].endswith("    1         1")  # today, newest first: one asked, one answered
    assert embed["footer"]["text"].startswith(NO_CHART_NOTE)


async def test_without_a_database_stats_says_so(studybot: StartStudyBot, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    study = await studybot(database_path=blocker / "studybot.sqlite3")

    callback, _ = await stats(study, **ADMIN)

    assert callback["data"]["content"] == "No figures are kept here: the bot runs without its database (see its log)."


async def test_a_mention_is_counted_in_its_server(studybot: StartStudyBot) -> None:
    study = await studybot()

    await study.reply_to(await study.mention(ANSWERABLE))

    await counted(study.bot, int(study.fake.world.guild_id), 1)
    assert study.bot.storage is not None
    [text] = (await study.bot.storage.usage(None)).texts
    assert (text.source, text.asked, text.answered) == (ESSAY, 1, 1)
