"""The store keeps servers apart: channel bindings per server, and each server's logged questions (both backends)."""

from __future__ import annotations

import pytest

from bot.store import Store

GUILD, OTHER = 111, 222
STUDY, LAB = 1001, 1002
ALICE = 42


@pytest.mark.asyncio
async def test_bind_rebind_and_unbind_a_channel(store: Store) -> None:
    assert await store.channel_bindings(GUILD) == {}

    await store.bind_channel(GUILD, STUDY, "biology")
    await store.bind_channel(GUILD, LAB, "chemistry notes")
    await store.bind_channel(OTHER, STUDY, "history")
    await store.bind_channel(GUILD, STUDY, "soft-power-essay")  # binding again replaces

    assert await store.channel_bindings(GUILD) == {STUDY: "soft-power-essay", LAB: "chemistry notes"}
    assert await store.channel_bindings(OTHER) == {STUDY: "history"}
    assert await store.unbind_channel(GUILD, STUDY) is True
    assert await store.unbind_channel(GUILD, STUDY) is False
    assert await store.channel_bindings(GUILD) == {LAB: "chemistry notes"}
    assert await store.channel_bindings(OTHER) == {STUDY: "history"}


@pytest.mark.asyncio
async def test_snowflake_sized_ids_survive(store: Store) -> None:
    guild, channel = 1_234_567_890_123_456_789, 9_223_372_036_854_775_807  # the largest signed 64-bit id
    await store.bind_channel(guild, channel, "essay")

    assert await store.channel_bindings(guild) == {channel: "essay"}


@pytest.mark.asyncio
async def test_open_and_recent_questions_per_server(store: Store) -> None:
    await store.log_question("What is osmosis?", None, ALICE, "unanswered", guild_id=GUILD)
    await store.log_question("Who was Meiji?", "history", ALICE, "unanswered", guild_id=OTHER)
    await store.log_question("What is a cell?", None, ALICE, "unanswered")  # a direct message
    await store.record_feedback(ALICE, -1, "Why is the sky blue?", None, "essay#p1.s1", guild_id=GUILD)

    mine = await store.open_questions(guild_id=GUILD)
    theirs = await store.open_questions(guild_id=OTHER)

    assert [q.question for q in mine] == ["Why is the sky blue?", "What is osmosis?"]
    assert [q.question for q in theirs] == ["Who was Meiji?"]
    assert len(await store.open_questions()) == 4
    assert await store.recent_questions(guild_id=OTHER) == ["Who was Meiji?"]
    assert await store.recent_questions(guild_id=GUILD) == ["Why is the sky blue?", "What is osmosis?"]
    assert len(await store.recent_questions()) == 4
