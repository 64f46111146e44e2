"""Several servers through the fake Discord: each answers from the shared texts plus its own folder's, in every
command, and a broken folder fails its own server only."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio
from fake_discord import FakeDiscord
from fake_discord import payloads as p
from servers_harness import (
    ADMIN,
    HISTORY,
    HISTORY_ANSWER,
    HISTORY_QUESTION,
    NOT_COVERED_TITLE,
    PHOTOSYNTHESIS_ANSWER,
    PHOTOSYNTHESIS_QUESTION,
    TwoServers,
    two_servers,
)
from studybot_harness import (
    ANSWER_TEXT,
    ANSWERABLE,
    SECOND_TEXT,
    StartStudyBot,
    fields_of,
    logged_questions,
    shown_to_user,
    submit_modal,
)

ESSAY = "soft-power-essay"
pytestmark = pytest.mark.asyncio
BROKEN_QA = (
    "- id: broken\n  question: What?\n  alternates: [what]\n  answer: Nothing.\n"
    "  quote: This sentence is not in the text.\n"
)


@pytest_asyncio.fixture
async def servers(studybot: StartStudyBot, fake_discord: FakeDiscord, knowledge_dir: Path) -> TwoServers:
    return await two_servers(studybot, fake_discord, knowledge_dir)


async def test_each_server_answers_from_the_shared_texts_and_its_own(servers: TwoServers) -> None:
    first, second = servers.first, servers.second

    assert (await servers.ask(first, PHOTOSYNTHESIS_QUESTION))["description"] == PHOTOSYNTHESIS_ANSWER
    assert (await servers.ask(second, HISTORY_QUESTION))["description"] == HISTORY_ANSWER
    assert (await servers.ask(first, HISTORY_QUESTION))["title"] == NOT_COVERED_TITLE
    assert (await servers.ask(second, PHOTOSYNTHESIS_QUESTION))["title"] == NOT_COVERED_TITLE
    assert (await servers.ask(first, ANSWERABLE))["description"] == ANSWER_TEXT
    assert (await servers.ask(second, ANSWERABLE))["description"] == ANSWER_TEXT


async def test_a_server_cannot_name_another_servers_text(servers: TwoServers) -> None:
    shown = await servers.shown(servers.first, "ask", {"question": HISTORY_QUESTION, "source": HISTORY})

    assert shown["content"] == f"There is no text called {HISTORY!r}; /sources lists them."


async def test_autocomplete_offers_the_servers_own_view(servers: TwoServers) -> None:
    first, second = servers.first, servers.second

    first_questions = await servers.autocomplete(first, "ask", {"question": "why leaves"})
    second_questions = await servers.autocomplete(second, "ask", {"question": "meiji restoration"})
    assert PHOTOSYNTHESIS_QUESTION in first_questions
    assert HISTORY_QUESTION in second_questions
    assert HISTORY_QUESTION not in await servers.autocomplete(first, "ask", {"question": "meiji restoration"})
    assert PHOTOSYNTHESIS_QUESTION not in await servers.autocomplete(second, "ask", {"question": "why leaves"})
    assert await servers.autocomplete(first, "ask", {"question": "x", "source": ""}) == [ESSAY, SECOND_TEXT]
    assert await servers.autocomplete(second, "ask", {"question": "x", "source": ""}) == [ESSAY, HISTORY]
    assert await servers.autocomplete(second, "quiz", {"source": ""}) == [ESSAY, HISTORY]


async def test_sources_lists_the_servers_own_view(servers: TwoServers) -> None:
    first = fields_of((await servers.shown(servers.first, "sources"))["embeds"][0])
    second = fields_of((await servers.shown(servers.second, "sources"))["embeds"][0])

    assert list(first) == [ESSAY, SECOND_TEXT]
    assert list(second) == [ESSAY, HISTORY]


async def test_quiz_asks_only_about_the_servers_texts(servers: TwoServers) -> None:
    own = await servers.shown(servers.second, "quiz", {"source": HISTORY})
    elsewhere = await servers.shown(servers.first, "quiz", {"source": HISTORY})

    assert own["embeds"][0]["description"] == f"**{HISTORY_QUESTION}**"
    assert elsewhere["content"] == f"I have no curated questions about {HISTORY!r}."


async def test_a_quiz_button_from_another_server_finds_no_question(servers: TwoServers) -> None:
    record = servers.fake.interaction(await servers.run(servers.second, "quiz", {"source": HISTORY}))
    await servers.fake.wait_for_callback(record.payload)
    assert record.original_id is not None
    interaction = servers.fake.make_component(
        f"sb:quiz:{HISTORY}/meiji-start", message_id=record.original_id, channel_id=servers.channel(servers.first)
    )
    await servers.fake.send_interaction(interaction)
    body = await servers.fake.wait_for_callback(interaction)

    assert body["data"]["content"] == "That question is no longer in the knowledge; try /quiz again."


async def test_teach_writes_only_to_the_servers_own_folder(servers: TwoServers) -> None:
    second_pairs = servers.folder(servers.second) / f"{HISTORY}.qa.yaml"
    before = second_pairs.read_text(encoding="utf-8")
    opened = await servers.fake.wait_for_callback(
        await servers.run(servers.second, "teach", {"source": HISTORY}, user="bob", **ADMIN)
    )
    submitted = await submit_modal(
        servers.fake,
        opened,
        "What did the new government abolish?",
        "The feudal domains.",
        "The new government abolished the feudal domains and created prefectures in their place.",
        user="bob",
        channel_id=servers.channel(servers.second),
    )
    shown = await shown_to_user(servers.fake, submitted, timeout=10.0)

    assert shown["content"].startswith(f"Saved `{HISTORY}/what-did-the-new-government-abolish`"), shown
    assert second_pairs.read_text(encoding="utf-8").startswith(before)
    assert "feudal domains" in second_pairs.read_text(encoding="utf-8")[len(before) :]
    answer = await servers.ask(servers.second, "What did the new government abolish?")
    assert answer["description"] == "The feudal domains."
    elsewhere = await servers.ask(servers.first, "What did the new government abolish?")
    assert elsewhere.get("description") != "The feudal domains."
    assert not (servers.folder(servers.first) / f"{HISTORY}.qa.yaml").exists()


async def test_teach_on_a_shared_text_is_for_the_bots_owner_only(servers: TwoServers) -> None:
    shared_pairs = servers.root / f"{ESSAY}.qa.yaml"
    before = shared_pairs.read_bytes()

    refused = await servers.fake.wait_for_callback(
        await servers.run(servers.second, "teach", {"source": ESSAY}, user="bob", permissions=1 << 5)
    )
    allowed = await servers.fake.wait_for_callback(
        await servers.run(servers.second, "teach", {"source": ESSAY}, user="alice", permissions=1 << 5)
    )

    assert refused["data"]["content"] == (
        f"{ESSAY!r} is shared by every server, so only the bot's owner can teach on it. Teach on your server's own "
        "texts (/upload adds one)."
    )
    assert allowed["type"] == 9  # a modal: alice owns the application
    assert allowed["data"]["title"] == "Teach studybot a Q&A pair"
    assert shared_pairs.read_bytes() == before


async def test_reload_reloads_only_the_servers_view(servers: TwoServers) -> None:
    assert (await servers.ask(servers.first, PHOTOSYNTHESIS_QUESTION))["description"] == PHOTOSYNTHESIS_ANSWER
    assert (await servers.ask(servers.second, HISTORY_QUESTION))["description"] == HISTORY_ANSWER
    (servers.folder(servers.first) / f"{SECOND_TEXT}.qa.yaml").write_text(BROKEN_QA, encoding="utf-8")
    (servers.folder(servers.second) / f"{HISTORY}.qa.yaml").write_text(
        "- id: meiji-end\n  question: What had Japan become within a few decades?\n  alternates: [meiji industry]\n"
        "  answer: An industrial power.\n"
        "  quote: Within a few decades Japan had become an industrial power.\n",
        encoding="utf-8",
    )

    second = await servers.shown(servers.second, "reload", **ADMIN)
    first = await servers.shown(servers.first, "reload", **ADMIN)

    assert second["content"] == (
        "Reloaded: 46 Q&A pairs over 25 sentences.\nChanges: pairs: 1 added, 1 removed, 0 changed.\n"
        "Added: `meiji/meiji-end`\nRemoved: `meiji/meiji-start`"
    ), second
    assert first["content"].startswith("Reload failed, so I am still serving the previous knowledge."), first
    assert f"{SECOND_TEXT}.qa.yaml:5: quote not found" in first["content"]
    assert (await servers.ask(servers.first, PHOTOSYNTHESIS_QUESTION))["description"] == PHOTOSYNTHESIS_ANSWER
    answer = await servers.ask(servers.second, "What had Japan become within a few decades?")
    assert answer["description"] == "An industrial power."
    assert (await servers.ask(servers.second, HISTORY_QUESTION))["description"] != HISTORY_ANSWER


async def test_a_broken_folder_fails_its_own_server_only(
    studybot: StartStudyBot, fake_discord: FakeDiscord, knowledge_dir: Path
) -> None:
    servers = await two_servers(studybot, fake_discord, knowledge_dir)
    (servers.folder(servers.first) / f"{SECOND_TEXT}.qa.yaml").write_text(BROKEN_QA, encoding="utf-8")

    broken = await servers.shown(servers.first, "ask", {"question": ANSWERABLE})
    mention = await servers.study.mention(PHOTOSYNTHESIS_QUESTION)
    reply = await servers.study.reply_to(mention)

    assert broken["content"].startswith("This server's course texts cannot be loaded, so I cannot answer here")
    assert f"{SECOND_TEXT}.qa.yaml:5: quote not found" in broken["content"]
    assert broken["flags"] == 1 << 6
    assert reply.json["content"] == broken["content"]
    assert (await servers.ask(servers.second, HISTORY_QUESTION))["description"] == HISTORY_ANSWER
    assert await servers.autocomplete(servers.first, "ask", {"question": "why"}) == []
    (servers.folder(servers.first) / f"{SECOND_TEXT}.qa.yaml").unlink()
    fixed = await servers.shown(servers.first, "reload", **ADMIN)
    assert fixed["content"].startswith("Reloaded: "), fixed
    assert (await servers.ask(servers.first, ANSWERABLE))["description"] == ANSWER_TEXT


async def test_unanswered_lists_each_servers_own_questions(servers: TwoServers) -> None:
    await servers.ask(servers.first, "What is the zanzibar doctrine?")
    await servers.ask(servers.second, "Who was the first shogun?")
    await logged_questions(servers.study.bot, 2)

    first = (await servers.shown(servers.first, "unanswered", **ADMIN))["embeds"][0]["description"]
    second = (await servers.shown(servers.second, "unanswered", **ADMIN))["embeds"][0]["description"]

    assert "zanzibar" in first
    assert "shogun" not in first
    assert "shogun" in second
    assert "zanzibar" not in second


async def test_servers_without_a_folder_and_dms_see_the_shared_texts(
    studybot: StartStudyBot, fake_discord: FakeDiscord, knowledge_dir: Path
) -> None:
    servers = await two_servers(studybot, fake_discord, knowledge_dir)
    third = fake_discord.add_guild("Third Hall")  # joins after start-up, has no folder
    await fake_discord.dispatch("GUILD_CREATE", fake_discord.world.guild_payload(third))

    answer = await servers.ask(third, ANSWERABLE)
    sources = await servers.autocomplete(third, "ask", {"question": "x", "source": ""})

    assert answer["description"] == ANSWER_TEXT
    assert sources == [ESSAY]
    assert servers.study.bot.tenancy.shared.retriever.shared is not None
    assert not (knowledge_dir / third).exists()


async def test_the_owner_teaching_on_a_shared_text_reaches_servers_without_a_folder(
    studybot: StartStudyBot, fake_discord: FakeDiscord, knowledge_dir: Path
) -> None:
    servers = await two_servers(studybot, fake_discord, knowledge_dir)
    third = fake_discord.add_guild("Third Hall")
    await fake_discord.dispatch("GUILD_CREATE", fake_discord.world.guild_payload(third))
    question = "What is the zanzibar doctrine?"
    assert (await servers.ask(third, question))["title"] == NOT_COVERED_TITLE
    opened = await fake_discord.wait_for_callback(
        await servers.run(servers.second, "teach", {"source": ESSAY}, user="alice", **ADMIN)
    )
    quote = "Innovation is one of the foundations of its economic model"
    submitted = await submit_modal(
        fake_discord, opened, question, "Taught by the owner.", quote, channel_id=servers.channel(servers.second)
    )

    shown = await shown_to_user(fake_discord, submitted, timeout=10.0)

    assert shown["content"].startswith(f"Saved `{ESSAY}/what-is-the-zanzibar-doctrine`"), shown
    assert "zanzibar" in (knowledge_dir / f"{ESSAY}.qa.yaml").read_text(encoding="utf-8")
    assert (await servers.ask(servers.second, question))["description"] == "Taught by the owner."
    assert (await servers.ask(third, question))["description"] == "Taught by the owner."
    assert not (servers.folder(servers.second) / f"{ESSAY}.qa.yaml").exists()


async def test_a_direct_message_sees_the_shared_texts_only(servers: TwoServers) -> None:
    fake = servers.fake
    dm = p.dm_channel(fake.world.new_id(), fake.users["alice"])
    fake.world.channels[dm["id"]] = dm

    async def ask(question: str) -> dict[str, str]:
        interaction = fake.make_slash_interaction("ask", {"question": question}, channel_id=dm["id"])
        await fake.send_interaction(interaction)
        return dict((await shown_to_user(fake, interaction))["embeds"][0])

    assert (await ask(ANSWERABLE))["description"] == ANSWER_TEXT
    assert (await ask(PHOTOSYNTHESIS_QUESTION))["title"] == NOT_COVERED_TITLE
    assert (await ask(HISTORY_QUESTION))["title"] == NOT_COVERED_TITLE
