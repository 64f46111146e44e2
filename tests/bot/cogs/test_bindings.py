"""``/bind`` and ``/unbind``: a channel (and the threads under it) answers from one text of its server's view."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio
from fake_discord import FakeDiscord
from servers_harness import (
    ADMIN,
    ESSAY_ONLY_QUESTION,
    HISTORY,
    HISTORY_ANSWER,
    HISTORY_QUESTION,
    MEMBER,
    NOT_COVERED_TITLE,
    PHOTOSYNTHESIS_ANSWER,
    PHOTOSYNTHESIS_QUESTION,
    TwoServers,
    two_servers,
)
from studybot_harness import ANSWER_TEXT, ANSWERABLE, SECOND_TEXT, StartStudyBot, embed_of

pytestmark = pytest.mark.asyncio
ESSAY = "soft-power-essay"


@pytest_asyncio.fixture
async def servers(studybot: StartStudyBot, fake_discord: FakeDiscord, knowledge_dir: Path) -> TwoServers:
    return await two_servers(studybot, fake_discord, knowledge_dir)


async def bind(servers: TwoServers, guild: str, source: str, channel: str = "study") -> str:
    shown = await servers.shown(guild, "bind", {"source": source}, channel=channel, **ADMIN)
    return str(shown["content"])


async def test_a_bound_channel_answers_from_its_text_unless_asked_otherwise(servers: TwoServers) -> None:
    said = await bind(servers, servers.first, SECOND_TEXT)

    bound = await servers.ask(servers.first, ANSWERABLE)
    named = await servers.ask(servers.first, ANSWERABLE, options={"source": ESSAY})
    elsewhere = await servers.ask(servers.first, ANSWERABLE, channel="general")

    assert said == (
        f"Questions in this channel (and its threads) are now answered from `{SECOND_TEXT}`, unless one names another."
    )
    assert bound["title"] == NOT_COVERED_TITLE
    assert named["description"] == ANSWER_TEXT
    assert elsewhere["description"] == ANSWER_TEXT


async def test_mentions_in_a_bound_channel_and_its_threads(servers: TwoServers) -> None:
    await bind(servers, servers.first, SECOND_TEXT)
    study = servers.study

    in_thread = await study.reply_to(await study.mention(ANSWERABLE, "study-thread"))
    in_channel = await study.reply_to(await study.mention(PHOTOSYNTHESIS_QUESTION, "study"))

    assert embed_of(in_thread.json)["title"] == NOT_COVERED_TITLE
    assert embed_of(in_channel.json)["description"] == PHOTOSYNTHESIS_ANSWER


async def test_a_bound_channel_outside_the_study_channels_answers_mentions(servers: TwoServers) -> None:
    second, study = servers.second, servers.study
    general = servers.channel(second, "general")
    silent = await study.mention(HISTORY_QUESTION, servers.channel(second, "study"))
    await bind(servers, second, HISTORY, channel="general")

    reply = await study.reply_to(await study.mention(HISTORY_QUESTION, general))

    assert embed_of(reply.json)["description"] == HISTORY_ANSWER
    with pytest.raises(TimeoutError):
        await study.reply_to(silent, timeout=0.5)


async def test_unbind_answers_from_every_text_again(servers: TwoServers) -> None:
    await bind(servers, servers.first, SECOND_TEXT)

    unbound = await servers.shown(servers.first, "unbind", **ADMIN)
    again = await servers.shown(servers.first, "unbind", **ADMIN)

    assert unbound["content"] == "This channel answers from every text again."
    assert again["content"] == "This channel was not bound to a text."
    assert (await servers.ask(servers.first, ANSWERABLE))["description"] == ANSWER_TEXT


async def test_bindings_are_kept_in_the_database_per_server(
    studybot: StartStudyBot, fake_discord: FakeDiscord, knowledge_dir: Path
) -> None:
    servers = await two_servers(studybot, fake_discord, knowledge_dir)
    await bind(servers, servers.first, SECOND_TEXT)
    await bind(servers, servers.second, HISTORY)
    storage = servers.study.bot.storage
    assert storage is not None

    assert await storage.channel_bindings(int(servers.first)) == {int(servers.channel(servers.first)): SECOND_TEXT}
    assert await storage.channel_bindings(int(servers.second)) == {int(servers.channel(servers.second)): HISTORY}
    assert (await servers.ask(servers.second, ESSAY_ONLY_QUESTION))["title"] == NOT_COVERED_TITLE
    assert (await servers.ask(servers.second, ESSAY_ONLY_QUESTION, channel="general"))["title"] != NOT_COVERED_TITLE
    assert (await servers.ask(servers.second, HISTORY_QUESTION))["description"] == HISTORY_ANSWER


async def test_bind_refuses_members_and_other_servers_texts(servers: TwoServers) -> None:
    member = await servers.shown(servers.first, "bind", {"source": SECOND_TEXT}, **MEMBER)
    foreign = await bind(servers, servers.first, HISTORY)
    storage = servers.study.bot.storage
    assert storage is not None

    assert member["content"] == "Sorry, only server admins can change this server's texts."
    assert foreign == f"There is no text called {HISTORY!r}; /sources lists them."
    assert await storage.channel_bindings(int(servers.first)) == {}


async def test_bind_autocomplete_lists_the_servers_view(servers: TwoServers) -> None:
    assert await servers.autocomplete(servers.first, "bind", {"source": ""}) == [ESSAY, SECOND_TEXT]
    assert await servers.autocomplete(servers.second, "bind", {"source": "me"}) == [HISTORY]


async def test_removing_a_text_unbinds_its_channels(servers: TwoServers) -> None:
    await bind(servers, servers.first, SECOND_TEXT)
    await bind(servers, servers.first, ESSAY, channel="general")
    storage = servers.study.bot.storage
    assert storage is not None

    removed = await servers.shown(servers.first, "remove", {"source": SECOND_TEXT}, **ADMIN)

    assert removed["content"].startswith(f"Removed `{SECOND_TEXT}`."), removed
    assert await storage.channel_bindings(int(servers.first)) == {int(servers.channel(servers.first, "general")): ESSAY}
    assert (await servers.ask(servers.first, ANSWERABLE))["description"] == ANSWER_TEXT


async def test_a_threads_own_binding_wins_over_its_channels(servers: TwoServers) -> None:
    await bind(servers, servers.first, SECOND_TEXT)
    await bind(servers, servers.first, ESSAY, channel="study-thread")
    study = servers.study

    in_thread = await study.reply_to(await study.mention(ANSWERABLE, "study-thread"))
    in_channel = await study.reply_to(await study.mention(ANSWERABLE, "study"))

    assert embed_of(in_thread.json)["description"] == ANSWER_TEXT
    assert embed_of(in_channel.json)["title"] == NOT_COVERED_TITLE
