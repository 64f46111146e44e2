"""bot/cogs/ask.py's study features through the real client and the fake Discord: the log of questions the text
does not cover, cooldowns between questions, several course texts (``/sources``, ``/ask source:`` and its
autocomplete), and mentions in a thread under a study channel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fake_discord import JSON
from studybot_harness import (
    ANSWERABLE,
    EPHEMERAL,
    ESSAY_QA,
    LEAVE_DEFAULT,
    MANAGE_GUILD,
    NOT_COVERED,
    SECOND_TEXT,
    SECOND_TEXT_BODY,
    SECOND_TEXT_NOT_COVERED,
    SECOND_TEXT_NOT_COVERED_SUGGESTIONS,
    SECOND_TEXT_QUESTION,
    StartStudyBot,
    StudyDiscord,
    add_second_text,
    assert_answered,
    assert_components_fit,
    changed,
    custom_ids,
    embed_of,
    eventually,
    fields_of,
)

from bot.store import LoggedQuestion
from knowledge.corpus import BUNDLED_DIR

pytestmark = pytest.mark.asyncio

ESSAY = "soft-power-essay"
COOLDOWN = re.compile(r"One moment: you can ask again in (\d+) s\.")
SECOND_TEXT_SOURCE = "photosynthesis.txt · ¶1 · sentence 3 · lines 2–3"


# ----------------------------------------------------------------- helpers


async def logged(study: StudyDiscord, count: int) -> list[LoggedQuestion]:
    """The open questions once there are ``count`` of them (the bot logs a question after it has replied)."""
    storage = study.bot.storage
    assert storage is not None

    async def enough() -> list[LoggedQuestion] | None:
        found = await storage.open_questions()
        assert len(found) <= count, found
        return found if len(found) == count else None

    return await eventually(enough)


async def ask_in(study: StudyDiscord, question: str, source: str, **kw: Any) -> JSON:
    """``/ask question source``: the callback body."""
    interaction = study.fake.make_slash_interaction("ask", {"question": question, "source": source}, **kw)
    await study.fake.send_interaction(interaction)
    return await study.fake.wait_for_callback(interaction)


async def source_choices(study: StudyDiscord, typed: str) -> list[JSON]:
    """What the user sees while typing ``typed`` into ``/ask source:`` (a question already typed)."""
    interaction = study.fake.make_autocomplete("ask", {"question": "why", "source": typed}, focused="source")
    await study.fake.send_interaction(interaction)
    body = await study.fake.wait_for_callback(interaction)
    assert body["type"] == 8, body
    return list(body["data"]["choices"])


def is_not_covered(body: JSON) -> bool:
    assert body["type"] == 4, body
    return bool(embed_of(body["data"])["title"] == "Not covered by the text")


def private_text(body: JSON) -> str:
    assert body["type"] == 4, body
    assert body["data"]["flags"] == EPHEMERAL, body
    assert not body["data"].get("embeds"), body
    return str(body["data"]["content"])


def user_hash(study: StudyDiscord, who: str) -> str:
    assert study.bot.storage is not None
    return study.bot.storage.user_hash(int(study.fake.users[who]["id"]))


@pytest.fixture
def two_texts(knowledge_dir: Path) -> Path:
    """The essay and the small photosynthesis text, in one knowledge folder."""
    return add_second_text(knowledge_dir)


# ----------------------------------------------------------------- the log of questions not covered


async def test_a_question_not_covered_is_logged_for_the_curators(studybot: StartStudyBot) -> None:
    study = await studybot()

    await study.ask(ANSWERABLE)  # answered: not logged
    assert is_not_covered(await study.ask(NOT_COVERED, user="bob"))

    [question] = await logged(study, 1)
    assert (question.question, question.kind, question.source, question.pair_key) == (
        NOT_COVERED,
        "unanswered",
        None,
        None,
    )
    assert question.asker == user_hash(study, "bob")
    assert study.fake.users["bob"]["id"] not in question.asker


async def test_a_question_not_covered_by_mention_is_logged(studybot: StartStudyBot) -> None:
    study = await studybot()

    await study.reply_to(await study.mention(NOT_COVERED, "study-thread"))

    [question] = await logged(study, 1)
    assert (question.question, question.kind, question.source) == (NOT_COVERED, "unanswered", None)
    assert question.asker == user_hash(study, "alice")


async def test_a_question_not_covered_by_the_named_text_is_logged_with_it(
    studybot: StartStudyBot, two_texts: Path
) -> None:
    study = await studybot(knowledge_dir=two_texts)

    assert is_not_covered(await ask_in(study, SECOND_TEXT_QUESTION, ESSAY))

    [question] = await logged(study, 1)
    assert (question.question, question.kind, question.source) == (SECOND_TEXT_QUESTION, "unanswered", ESSAY)


async def test_refused_questions_are_not_logged(studybot: StartStudyBot) -> None:
    study = await studybot()

    private_text(await study.ask("?!?"))
    private_text(await ask_in(study, NOT_COVERED, "no-such-text"))
    assert is_not_covered(await study.ask(NOT_COVERED))  # logged after the two above were handled

    [question] = await logged(study, 1)
    assert question.question == NOT_COVERED


# ----------------------------------------------------------------- cooldowns


async def test_asking_again_within_the_cooldown_is_refused_privately(studybot: StartStudyBot) -> None:
    study = await studybot(cooldown_seconds=30)

    first = await study.ask(ANSWERABLE)
    again = await study.ask(ANSWERABLE)
    other = await study.ask(ANSWERABLE, user="bob")

    assert_answered(embed_of(first["data"]))
    match = COOLDOWN.fullmatch(private_text(again))
    assert match is not None, again
    assert 1 <= int(match[1]) <= 30
    assert again["data"]["allowed_mentions"] == {"parse": []}
    assert_answered(embed_of(other["data"]))  # bob has his own cooldown


async def test_mentioning_again_within_the_cooldown_gets_a_reply_to_wait(studybot: StartStudyBot) -> None:
    study = await studybot(cooldown_seconds=30)

    first = await study.reply_to(await study.mention(ANSWERABLE))
    again = await study.reply_to(await study.mention(ANSWERABLE))
    other = await study.reply_to(await study.mention(ANSWERABLE, author="bob"))

    assert_answered(embed_of(first.json))
    assert not again.json.get("embeds")
    match = COOLDOWN.fullmatch(again.json["content"])
    assert match is not None, again.json
    assert 1 <= int(match[1]) <= 30
    assert again.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert_answered(embed_of(other.json))


async def test_one_cooldown_covers_ask_and_mentions(studybot: StartStudyBot) -> None:
    study = await studybot(cooldown_seconds=30)

    first = await study.ask(ANSWERABLE)
    mentioned = await study.reply_to(await study.mention(ANSWERABLE))

    assert_answered(embed_of(first["data"]))
    assert COOLDOWN.fullmatch(mentioned.json["content"]) is not None, mentioned.json


async def test_a_refused_question_does_not_spend_the_cooldown(studybot: StartStudyBot) -> None:
    study = await studybot(cooldown_seconds=30)

    refused = await ask_in(study, ANSWERABLE, "no-such-text")
    answered = await study.ask(ANSWERABLE)

    assert COOLDOWN.fullmatch(private_text(refused)) is None, refused
    assert_answered(embed_of(answered["data"]))


async def test_by_default_a_second_question_within_5_seconds_is_refused(studybot: StartStudyBot) -> None:
    study = await studybot(cooldown_seconds=LEAVE_DEFAULT)

    first = await study.ask(ANSWERABLE)
    again = await study.ask(ANSWERABLE)
    mentioned = await study.reply_to(await study.mention(ANSWERABLE))

    assert_answered(embed_of(first["data"]))
    assert private_text(again) == "One moment: you can ask again in 5 s."
    assert mentioned.json["content"] == "One moment: you can ask again in 5 s."


async def test_a_cooldown_of_zero_lets_anyone_ask_at_once(studybot: StartStudyBot) -> None:
    study = await studybot(cooldown_seconds=0)

    asked = [await study.ask(ANSWERABLE) for _ in range(3)]
    mentioned = [await study.reply_to(await study.mention(ANSWERABLE)) for _ in range(3)]

    for body in asked:
        assert_answered(embed_of(body["data"]))
    for reply in mentioned:
        assert_answered(embed_of(reply.json))


# ----------------------------------------------------------------- several texts


async def test_sources_lists_every_text_with_its_size_privately(studybot: StartStudyBot, two_texts: Path) -> None:
    study = await studybot(knowledge_dir=two_texts)
    essay = study.bot.tenancy.shared.retriever.knowledge.document(ESSAY)
    assert essay is not None
    essay_words = sum(len(sentence.text.split()) for sentence in essay.sentences)
    assert abs(essay_words - len((BUNDLED_DIR / f"{ESSAY}.txt").read_text(encoding="utf-8").split())) <= 1
    essay_pairs = (BUNDLED_DIR / ESSAY_QA).read_text(encoding="utf-8").count("\n- id: ")
    interaction = study.fake.make_slash_interaction("sources")

    await study.fake.send_interaction(interaction)
    body = await study.fake.wait_for_callback(interaction)

    assert body["data"]["flags"] == EPHEMERAL
    embed = embed_of(body["data"])
    assert embed["title"] == "Course texts"
    assert fields_of(embed) == {
        SECOND_TEXT: f"{len(SECOND_TEXT_BODY.split())} words · 2 paragraphs · 6 sentences · 3 curated Q&A",
        ESSAY: (
            f"{essay_words:,} words · {len(essay.paragraphs)} paragraphs · {len(essay.sentences)} sentences · "
            f"{essay_pairs} curated Q&A"
        ),
    }
    assert essay_pairs == 45


async def test_ask_with_a_source_answers_from_that_text_only(studybot: StartStudyBot, two_texts: Path) -> None:
    study = await studybot(knowledge_dir=two_texts)

    from_second = await ask_in(study, SECOND_TEXT_QUESTION, SECOND_TEXT)
    anywhere = await study.ask(SECOND_TEXT_QUESTION)
    from_essay = await ask_in(study, SECOND_TEXT_QUESTION, ESSAY)
    essay_question_from_second = await ask_in(study, ANSWERABLE, SECOND_TEXT)
    essay_question_from_essay = await ask_in(study, ANSWERABLE, ESSAY)

    for body in (from_second, anywhere):
        embed = embed_of(body["data"])
        assert embed["title"] == f"Q: {SECOND_TEXT_QUESTION}"
        assert fields_of(embed)["Source"] == SECOND_TEXT_SOURCE
    assert is_not_covered(from_essay)
    assert is_not_covered(essay_question_from_second)
    assert_answered(embed_of(essay_question_from_essay["data"]))
    for body in (from_second, from_essay, essay_question_from_essay):
        assert_components_fit(body["data"])


async def test_not_covered_in_the_named_text_suggests_only_its_questions(
    studybot: StartStudyBot, two_texts: Path
) -> None:
    study = await studybot(knowledge_dir=two_texts)

    body = await ask_in(study, SECOND_TEXT_NOT_COVERED, SECOND_TEXT)

    assert is_not_covered(body)
    choices = [c for c in custom_ids(body["data"]) if c.startswith("sb:ask:")]
    assert choices == [f"sb:ask:{key}" for key, _ in SECOND_TEXT_NOT_COVERED_SUGGESTIONS], changed(
        f"what the bot offers instead of answering {SECOND_TEXT_NOT_COVERED!r} from {SECOND_TEXT}"
    )
    assert all(c.startswith(f"sb:ask:{SECOND_TEXT}/") for c in choices)


async def test_source_autocomplete_offers_the_loaded_texts(studybot: StartStudyBot, two_texts: Path) -> None:
    study = await studybot(knowledge_dir=two_texts)

    everything = await source_choices(study, "")
    essay = await source_choices(study, "ESSAY")
    nothing = await source_choices(study, "chemistry")

    assert everything == [{"name": SECOND_TEXT, "value": SECOND_TEXT}, {"name": ESSAY, "value": ESSAY}]
    assert essay == [{"name": ESSAY, "value": ESSAY}]
    assert nothing == []


async def test_source_autocomplete_follows_a_reload(studybot: StartStudyBot, two_texts: Path) -> None:
    study = await studybot(knowledge_dir=two_texts)
    for suffix in (".txt", ".qa.yaml"):
        (two_texts / f"{SECOND_TEXT}{suffix}").unlink()

    await study.reload(permissions=MANAGE_GUILD)

    assert await source_choices(study, "") == [{"name": ESSAY, "value": ESSAY}]
    assert private_text(await ask_in(study, SECOND_TEXT_QUESTION, SECOND_TEXT)) == (
        f"There is no text called '{SECOND_TEXT}'; /sources lists them."
    )


@pytest.mark.parametrize("source", ["Chemistry", "Soft-Power-Essay", "x" * 300])
async def test_an_unknown_source_gets_a_clear_private_message(
    studybot: StartStudyBot, two_texts: Path, source: str
) -> None:
    study = await studybot(knowledge_dir=two_texts)

    text = private_text(await ask_in(study, ANSWERABLE, source))

    shown = source if len(source) <= 100 else source[:99] + "…"
    assert text == f"There is no text called {shown!r}; /sources lists them."  # spelled as typed: names are exact


# ----------------------------------------------------------------- mentions in threads


async def test_a_mention_in_a_thread_under_a_study_channel_is_answered_in_the_thread(
    studybot: StartStudyBot,
) -> None:
    study = await studybot()
    thread = study.fake.channel_ids["study-thread"]

    message = await study.mention(NOT_COVERED, "study-thread")
    reply = await study.reply_to(message)

    assert reply.path == f"/channels/{thread}/messages"
    assert reply.response["channel_id"] == thread
    assert str(reply.json["message_reference"]["message_id"]) == message["id"]
    assert embed_of(reply.json)["title"] == "Not covered by the text"
    assert_components_fit(reply.json)
    assert custom_ids(reply.json)[0] == f"sb:delete:{study.fake.users['alice']['id']}"
