"""bot/cogs/ask.py through the real discord.py client and the fake Discord: ``/ask``, its autocomplete, and
mentions in study channels. Assertions are on what the bot sent (callback bodies, channel messages)."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Sequence

import numpy as np
import pytest
from fake_discord import JSON, FakeDiscord
from fake_discord import payloads as p
from numpy.typing import NDArray
from studybot_harness import (
    ANSWER_TEXT,
    ANSWERABLE,
    CALLBACK,
    EPHEMERAL,
    MESSAGES,
    NEAR,
    NEAR_QUOTE,
    NEAR_SOURCE,
    NEAR_SUGGESTIONS,
    NOT_COVERED,
    NOT_COVERED_SUGGESTIONS,
    StartStudyBot,
    age_interaction,
    assert_answered,
    changed,
    embed_length,
    embed_of,
    fields_of,
)

from bot.render import CHOICE_CHARS, CHOICES, MESSAGE_CHARS
from bot.settings import Settings

pytestmark = pytest.mark.asyncio


def assert_valid_embed(embed: JSON) -> None:
    """Within Discord's limits, and no unescaped Markdown that could swallow the rest of the embed."""
    assert embed_length(embed) <= 6000
    assert len(embed.get("title") or "") <= 256
    assert len(embed.get("description") or "") <= 4096
    for field in embed.get("fields") or []:
        assert 0 < len(field["value"]) <= 1024
    for text in [embed.get("title") or "", *(f["value"] for f in embed.get("fields") or [])]:
        assert re.search(r"(?<!\\)[`*_~|]", text) is None, text


def assert_choices_fit(choices: list[JSON]) -> None:
    assert len(choices) <= CHOICES
    for choice in choices:
        assert 0 < len(choice["name"]) <= CHOICE_CHARS
        assert choice["value"] == choice["name"]


def reply_count(fake: FakeDiscord) -> int:
    return len(fake.requests_to("POST", MESSAGES))


# ----------------------------------------------------------------- /ask


async def test_ask_answered_with_source_quote_and_confidence(studybot: StartStudyBot) -> None:
    study = await studybot()

    record, body = await study.ask_record(ANSWERABLE)

    assert body["type"] == 4
    data = body["data"]
    assert data["allowed_mentions"] == {"parse": []}
    assert not (data.get("flags") or 0) & EPHEMERAL
    assert data["content"] is None
    assert_answered(embed_of(data))
    assert study.original(record)["embeds"] == data["embeds"]


async def test_ask_not_covered_says_so_and_lists_suggestions(studybot: StartStudyBot) -> None:
    study = await studybot()

    body = await study.ask(NOT_COVERED)

    embed = embed_of(body["data"])
    assert body["data"]["allowed_mentions"] == {"parse": []}
    assert embed["title"] == "Not covered by the text"
    assert "won't guess" in embed["description"]
    fields = fields_of(embed)
    assert fields["You asked"] == NOT_COVERED
    assert fields["Questions I can answer"].split("\n") == [
        f"• {question}" for _, question in NOT_COVERED_SUGGESTIONS
    ], changed(f"what the bot offers instead of answering {NOT_COVERED!r}")
    assert "footer" not in embed


async def test_ask_not_covered_but_near_points_at_the_nearest_passage(studybot: StartStudyBot) -> None:
    study = await studybot()

    body = await study.ask(NEAR)

    embed = embed_of(body["data"])
    assert embed["title"] == "Not covered by the text"
    assert "won't guess" in embed["description"]
    assert "nearest is below: read it yourself" in embed["description"]
    fields = fields_of(embed)
    assert list(fields) == ["You asked", "Nearest passage", "Questions I can answer"]
    assert fields["Nearest passage"] == f"{NEAR_SOURCE}\n{NEAR_QUOTE}", changed(f"the passage nearest to {NEAR!r}")
    assert fields["Questions I can answer"].split("\n") == [f"• {question}" for _, question in NEAR_SUGGESTIONS]
    assert "footer" not in embed  # no confidence shown: it is not an answer
    assert_valid_embed(embed)


class SlowQuestions:
    """An encoder (:class:`knowledge.semantic.Encoder`) that takes ``seconds`` over each question, as a
    sentence-embedding model may under load; a material's sentences (many texts at once) it encodes at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.busy = threading.Event()

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if len(texts) == 1:
            self.busy.set()
            time.sleep(self.seconds)
            self.busy.clear()
        vectors = np.zeros((len(texts), 2), dtype=np.float32)
        vectors[:, 0] = 1.0
        return vectors


async def test_a_slow_answer_leaves_the_bot_free_to_acknowledge_others(
    studybot: StartStudyBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowQuestions(seconds=1.5)
    monkeypatch.setattr(Settings, "encoder", lambda self: slow)
    study = await studybot()
    asking = study.fake.make_slash_interaction("ask", {"question": "why do the exchanges matter to japan"})
    await study.fake.send_interaction(asking)
    for _ in range(200):  # until the answer is being worked out
        if slow.busy.is_set():
            break
        await asyncio.sleep(0.01)
    assert slow.busy.is_set()

    typing = study.fake.make_autocomplete("ask", {"question": "soft pow"})
    await study.fake.send_interaction(typing)
    choices = await study.fake.wait_for_callback(typing, timeout=1.0)

    assert choices["type"] == 8
    assert slow.busy.is_set(), "acknowledged only once the slow answer was done: the event loop was held"
    answered = await study.fake.wait_for_callback(asking, timeout=5.0)
    assert answered["type"] == 4


async def test_ask_question_is_escaped_in_the_embed(studybot: StartStudyBot) -> None:
    study = await studybot()

    answered = embed_of((await study.ask("What is the *only* goal of __soft power__?"))["data"])
    not_covered = embed_of((await study.ask("Is `Paris` the **capital** of ~~France~~?"))["data"])

    assert answered["title"] == r"Q: What is the \*only\* goal of \_\_soft power\_\_?"
    assert answered["description"] == ANSWER_TEXT
    assert fields_of(not_covered)["You asked"] == r"Is \`Paris\` the \*\*capital\*\* of \~\~France\~\~?"
    assert_valid_embed(answered)
    assert_valid_embed(not_covered)


async def test_ask_with_mentions_in_the_question_cannot_ping(studybot: StartStudyBot) -> None:
    study = await studybot()
    hostile = f"@everyone @here <@&{study.fake.role_ids['admin']}> {study.fake.mention('bob')} what is soft power?"

    record, body = await study.ask_record(hostile)

    assert body["data"]["allowed_mentions"] == {"parse": []}
    posted = study.original(record)
    assert (posted["mentions"], posted["mention_roles"], posted["mention_everyone"]) == ([], [], False)


async def test_ask_reads_a_question_with_mentions_like_the_question_alone(studybot: StartStudyBot) -> None:
    study = await studybot()

    record, with_mentions = await study.ask_record("@everyone <@5555> What is soft power?")
    plain = await study.ask("What is soft power?")

    data = with_mentions["data"]
    embed = embed_of(data)
    assert embed["title"] == "Q: What is soft power?"  # the mentions are not part of the question
    what = changed("the answer to 'What is soft power?'")
    assert fields_of(embed)["Source"] == "soft-power-essay.txt · ¶1 · sentence 2 · lines 3–6", what
    assert embed["footer"]["text"] == "Confidence 99% (high)", what
    assert (data["embeds"], data["components"]) == (plain["data"]["embeds"], plain["data"]["components"])
    assert data["allowed_mentions"] == {"parse": []}
    posted = study.original(record)
    assert (posted["mentions"], posted["mention_roles"], posted["mention_everyone"]) == ([], [], False)


async def test_ask_too_long_is_refused_privately(studybot: StartStudyBot) -> None:
    study = await studybot()

    body = await study.ask("why " * 300)  # 1,199 characters once cleaned; Discord would stop it at 1,000

    assert body["type"] == 4
    assert body["data"]["flags"] == EPHEMERAL
    assert body["data"]["content"] == "The question is too long (1,199 characters; the limit is 1,000)."
    assert "embeds" not in body["data"]


async def test_ask_without_words_is_refused_privately(studybot: StartStudyBot) -> None:
    study = await studybot()

    body = await study.ask("?!? …")

    assert body["data"]["flags"] == EPHEMERAL
    assert body["data"]["content"] == "The question has no words in it: ask something about the text."


async def test_ask_from_a_backlog_is_deferred_then_answered_by_follow_up(studybot: StartStudyBot) -> None:
    study = await studybot()
    interaction = age_interaction(study.fake, study.fake.make_slash_interaction("ask", {"question": ANSWERABLE}), 2.0)
    hook = rf"/webhooks/{study.fake.application_id}/{interaction['token']}"

    await study.fake.send_interaction(interaction)
    followup = await study.fake.wait_for_request("POST", hook, status=200)

    assert (await study.fake.wait_for_callback(interaction))["type"] == 5
    assert followup.json["allowed_mentions"] == {"parse": []}
    assert_answered(embed_of(followup.json))


# ----------------------------------------------------------------- autocomplete


async def test_autocomplete_with_nothing_typed_offers_25_curated_questions(studybot: StartStudyBot) -> None:
    study = await studybot()
    pairs = study.bot.tenancy.shared.retriever.knowledge.pairs
    assert len(pairs) > CHOICES

    choices = await study.autocomplete("")

    assert len(choices) == CHOICES
    assert_choices_fit(choices)
    assert choices[0]["name"] == pairs[0].question


async def test_autocomplete_with_one_match(studybot: StartStudyBot) -> None:
    study = await studybot()

    choices = await study.autocomplete("propaganda")

    only = "How does soft power compare with whipping and propaganda?"
    assert choices == [{"name": only, "value": only}], changed("the autocomplete choices for 'propaganda'")


async def test_autocomplete_with_more_than_25_matches_offers_25(studybot: StartStudyBot) -> None:
    study = await studybot()

    choices = await study.autocomplete("soft power Japan")  # 40 of the essay's 45 curated questions match it

    assert len(choices) == CHOICES
    assert_choices_fit(choices)
    assert [choice["name"] for choice in choices[:3]] == [
        "What problem does the essay study?",
        "Why is soft power an interesting problem for research?",
        "What is soft power?",
    ], changed("the autocomplete choices for 'soft power Japan'")


async def test_autocomplete_forgives_typos(studybot: StartStudyBot) -> None:
    study = await studybot()

    typo = await study.autocomplete("soft pwoer")
    spelled = await study.autocomplete("soft power")

    assert "What is soft power?" in [choice["name"] for choice in typo]
    names = [choice["name"] for choice in typo[:5]]
    assert sum(choice["name"] in names for choice in spelled[:5]) >= 4  # nearly the same first choices
    assert_choices_fit(typo)


async def test_autocomplete_ignores_mentions_like_ask_does(studybot: StartStudyBot) -> None:
    study = await studybot()

    with_mentions = await study.autocomplete("@everyone <@5555> only goal")
    plain = await study.autocomplete("only goal")

    assert with_mentions == plain
    assert with_mentions[0]["name"] == "What is the only goal of soft power?"


async def test_autocomplete_of_nonsense_offers_nothing(studybot: StartStudyBot) -> None:
    study = await studybot()

    assert await study.autocomplete("xqzv blorf") == []


async def test_autocomplete_clips_long_questions_and_survives_long_input(studybot: StartStudyBot) -> None:
    study = await studybot()
    long_pairs = [p for p in study.bot.tenancy.shared.retriever.knowledge.pairs if len(p.question) > CHOICE_CHARS]

    choices = await study.autocomplete("word " * 2000)
    everything = await study.autocomplete("")

    assert_choices_fit(choices)
    assert_choices_fit(everything)
    if long_pairs:  # the essay has one curated question over 100 characters: offered clipped, never dropped
        clipped = [c["name"] for c in everything if c["name"].endswith("…")]
        assert clipped
        assert all(len(name) == CHOICE_CHARS or len(name) == CHOICE_CHARS - 1 for name in clipped)


# ----------------------------------------------------------------- mentions


async def test_mention_in_a_study_channel_gets_a_reply(studybot: StartStudyBot) -> None:
    study = await studybot()

    message = await study.mention(ANSWERABLE)
    reply = await study.reply_to(message)

    assert reply.path == f"/channels/{study.fake.channel_ids['study']}/messages"
    assert str(reply.json["message_reference"]["message_id"]) == message["id"]
    assert reply.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert_answered(embed_of(reply.json))
    assert reply.response["type"] == 19  # a reply, as Discord shows it


async def test_mention_in_a_thread_under_a_study_channel_gets_a_reply(studybot: StartStudyBot) -> None:
    study = await studybot()

    message = await study.mention(ANSWERABLE, "study-thread")
    reply = await study.reply_to(message)

    assert reply.path == f"/channels/{study.fake.channel_ids['study-thread']}/messages"
    assert_answered(embed_of(reply.json))


async def test_legacy_nickname_mention_is_understood(studybot: StartStudyBot) -> None:
    study = await studybot()
    bot_id = study.fake.bot_user["id"]
    message = study.fake.make_message(f"<@!{bot_id}> {ANSWERABLE}", "study", mentions=["bot"])

    await study.fake.send_message(message)

    assert_answered(embed_of((await study.reply_to(message)).json))


@pytest.mark.parametrize("channel", ["general", "random"])
async def test_mention_outside_study_channels_is_ignored(studybot: StartStudyBot, channel: str) -> None:
    study = await studybot()

    await study.mention(ANSWERABLE, channel)
    barrier = await study.mention(ANSWERABLE)  # handled after the first: once answered, the first was ignored
    await study.reply_to(barrier)

    assert reply_count(study.fake) == 1


async def test_thread_under_a_channel_that_is_not_for_study_is_ignored(
    studybot: StartStudyBot, fake_discord: FakeDiscord
) -> None:
    study = await studybot(study_channels=frozenset({int(fake_discord.channel_ids["general"])}))

    await study.mention(ANSWERABLE, "study-thread")
    await study.mention(ANSWERABLE, "study")
    barrier = await study.mention(ANSWERABLE, "general")
    await study.reply_to(barrier)

    assert reply_count(fake_discord) == 1


async def test_messages_from_bots_are_ignored(studybot: StartStudyBot) -> None:
    study = await studybot()
    fake = study.fake
    other = p.user(fake.world.new_id(), "quizbot", bot=True)
    fake.world.users["quizbot"] = other

    await study.mention(ANSWERABLE, author="quizbot")
    await study.mention(ANSWERABLE, author="bot")  # its own message, as Discord echoes it
    barrier = await study.mention(ANSWERABLE)
    await study.reply_to(barrier)

    assert reply_count(fake) == 1


async def test_message_that_does_not_mention_the_bot_is_ignored(studybot: StartStudyBot) -> None:
    study = await studybot()
    fake = study.fake

    await fake.send_message(fake.make_message(ANSWERABLE, "study"))
    await fake.send_message(fake.make_message(f"{fake.mention('bob')} {ANSWERABLE}", "study", mentions=["bob"]))
    barrier = await study.mention(ANSWERABLE)
    await study.reply_to(barrier)

    assert reply_count(fake) == 1


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "The question is empty: ask something about the text."),
        ("hey how's it going", "That reads as a greeting, not a question: ask something about the text."),
    ],
)
async def test_mention_without_a_question_gets_a_short_help_reply(
    studybot: StartStudyBot, typed: str, problem: str
) -> None:
    """An empty mention, or a greeting alone: how to ask, not a "not covered" answer."""
    study = await studybot()

    reply = await study.reply_to(await study.mention(typed))

    assert reply.json["content"] == f"{problem} Mention me with a question, e.g. “@studybot what is soft power?”"
    assert not reply.json.get("embeds")
    assert reply.json["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_mass_mention_in_the_question_pings_nobody(studybot: StartStudyBot) -> None:
    study = await studybot()
    fake = study.fake
    admin = fake.role_ids["admin"]
    text = f"@everyone @here <@&{admin}> {fake.mention('bob')} {ANSWERABLE} @everyone"

    message = await study.mention(text, mentions=["bob"], mention_roles=["admin"], mention_everyone=True)
    reply = await study.reply_to(message)

    assert reply.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    posted = reply.response
    assert (posted["mentions"], posted["mention_roles"], posted["mention_everyone"]) == ([], [], False)
    assert_answered(embed_of(reply.json), title=f"Q: {ANSWERABLE}")  # mentions are not part of the question


async def test_very_long_question_by_mention_gets_a_clear_message(studybot: StartStudyBot) -> None:
    study = await studybot()
    question = "Why " + "really " * 427 + "so, eh?"
    assert len(question) == 3000

    reply = await study.reply_to(await study.mention(question))

    content = reply.json["content"]
    assert content.startswith("The question is too long (3,000 characters; the limit is 1,000).")
    assert len(content) <= MESSAGE_CHARS
    assert not reply.json.get("embeds")


@pytest.mark.parametrize(
    "question",
    [
        "```py\nimport os\n``` **what** is the _only_ goal of soft power?",
        "```What is the only goal of soft power?```",
        "What is the only goal of soft power? `code` ~~x~~ ||spoiler|| > quote [link](http://x.invalid)",
        "*" * 900,
    ],
)
async def test_markdown_in_the_question_does_not_break_the_embed(studybot: StartStudyBot, question: str) -> None:
    study = await studybot()

    reply = await study.reply_to(await study.mention(question))

    if reply.json.get("embeds"):
        assert_valid_embed(embed_of(reply.json))
    else:
        assert reply.json["content"].startswith("The question has no words in it")


# ----------------------------------------------------------------- Discord errors on the way out


async def test_rate_limited_callback_is_delivered_once(studybot: StartStudyBot) -> None:
    study = await studybot()
    study.fake.rate_limit_next("POST", CALLBACK, retry_after=0.05)

    record, body = await study.ask_record(ANSWERABLE)

    assert_answered(embed_of(body["data"]))
    assert [r.status for r in study.fake.requests_to("POST", CALLBACK)] == [429, 200]
    assert len(record.callbacks) == 1


async def test_server_error_on_the_callback_is_retried_and_delivered_once(studybot: StartStudyBot) -> None:
    study = await studybot()
    study.fake.fail_next("POST", CALLBACK, 500)

    record, body = await study.ask_record(ANSWERABLE, timeout=3.0)  # discord.py waits 1 s before retrying a 500

    assert_answered(embed_of(body["data"]))
    assert [r.status for r in study.fake.requests_to("POST", CALLBACK)] == [500, 200]
    assert len(record.callbacks) == 1


async def test_rate_limited_reply_is_delivered_once(studybot: StartStudyBot) -> None:
    study = await studybot()
    study.fake.rate_limit_next("POST", MESSAGES, times=2, retry_after=0.05)

    message = await study.mention(ANSWERABLE)
    await study.reply_to(message)

    assert [r.status for r in study.fake.requests_to("POST", MESSAGES)] == [429, 429, 200]
    replies = [m for m in study.fake.world.messages.values() if m.get("message_reference", {}).get("message_id")]
    assert [m["message_reference"]["message_id"] for m in replies] == [message["id"]]


async def test_server_error_on_the_reply_is_retried_and_delivered_once(studybot: StartStudyBot) -> None:
    study = await studybot()
    study.fake.fail_next("POST", MESSAGES, 500)

    message = await study.mention(ANSWERABLE)
    reply = await study.reply_to(message, timeout=3.0)

    assert_answered(embed_of(reply.json))
    assert [r.status for r in study.fake.requests_to("POST", MESSAGES)] == [500, 200]
    bot_messages = [m for m in study.fake.world.messages.values() if m["author"]["id"] == study.fake.bot_user["id"]]
    assert len(bot_messages) == 1
