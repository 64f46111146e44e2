"""bot/store: the behaviour every backend owes the bot, run against SQLite and PostgreSQL alike — opening and the
schema's version, what a store keeps, and what it never keeps (a user id in clear). Several writers at once:
test_store_concurrency.py."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from store_suite import KEY, age_heartbeats, rows

from bot.store import LoggedQuestion, SchemaTooNew, Store, Streak, is_postgres, latest_version, open_store

ALICE = 123456789012345678  # Discord-sized ids: 18 digits, which would stand out in a stored row
BOB = 876543210987654321


# ----------------------------------------------------------------- opening, schema, closing


@pytest.mark.asyncio
async def test_open_migrates_once_and_reopening_keeps_data(database: str) -> None:
    async with await open_store(database, KEY) as store:
        await store.log_question("What is osmosis?", None, ALICE, "unanswered")
        await store.record_feedback(BOB, 1, "What is a cell?", "cell", "biology.txt:3")
        await store.record_quiz(ALICE, True)
    async with await open_store(database, KEY) as store:
        assert [q.question for q in await store.open_questions()] == ["What is osmosis?"]
        assert (await store.counts())["feedback_up"] == 1
        assert await store.record_quiz(ALICE, True) == Streak(current=2, best=2, answered=2, right=2)


async def set_schema_version(database: str, version: int) -> None:
    """Make the database look written by a studybot whose schema is at ``version``."""
    if is_postgres(database):
        await rows(database, f"INSERT INTO schema_version (version) VALUES ({version})")
    else:
        await rows(database, f"PRAGMA user_version = {version}")


@pytest.mark.asyncio
async def test_open_refuses_a_newer_schema_and_an_empty_key(database: str) -> None:
    await (await open_store(database, KEY)).close()
    await set_schema_version(database, 99)

    with pytest.raises(SchemaTooNew) as refused:
        await open_store(database, KEY)

    assert (refused.value.found, refused.value.supported) == (99, latest_version())
    assert str(refused.value).endswith(
        f"has schema version 99, newer than this studybot's {latest_version()}: "
        "upgrade studybot, or point STUDYBOT_DATABASE_URL at another database"
    )
    assert "\n" not in str(refused.value)
    with pytest.raises(ValueError, match="user_key"):
        await open_store(database, b"")


@pytest.mark.asyncio
async def test_close_is_idempotent_and_later_calls_raise(database: str) -> None:
    store = await open_store(database, KEY)
    await store.close()
    await store.close()
    with pytest.raises(RuntimeError, match="closed"):
        await store.counts()


# ----------------------------------------------------------------- what is kept


@pytest.mark.asyncio
async def test_log_question_and_open_questions(store: Store) -> None:
    before = datetime.now(UTC)
    await store.log_question("What is osmosis?", "biology.txt", ALICE, "unanswered")
    await store.log_question("Why is the sky blue?", None, BOB, "downvoted", pair_key="sky-colour")
    await store.log_question("What is a cell?", None, ALICE, "unanswered")

    questions = await store.open_questions()

    assert [q.question for q in questions] == ["What is a cell?", "Why is the sky blue?", "What is osmosis?"]
    oldest = questions[-1]
    assert oldest == LoggedQuestion(
        oldest.id, oldest.at, "What is osmosis?", "biology.txt", "unanswered", store.user_hash(ALICE), None
    )
    assert questions[1].kind == "downvoted"
    assert questions[1].pair_key == "sky-colour"
    assert questions[1].asker == store.user_hash(BOB)
    assert len({q.id for q in questions}) == 3
    for q in questions:
        assert q.at.tzinfo is not None
        assert before - timedelta(seconds=1) <= q.at <= datetime.now(UTC)
    assert [q.question for q in await store.open_questions(limit=1)] == ["What is a cell?"]


@pytest.mark.asyncio
async def test_unknown_kind_is_refused(store: Store) -> None:
    with pytest.raises((sqlite3.IntegrityError, asyncpg.CheckViolationError)):
        await store.log_question("q", None, ALICE, "answered")  # type: ignore[arg-type]
    assert await store.open_questions() == []  # the failed transaction left nothing behind
    await store.log_question("q", None, ALICE, "unanswered")  # and the store is usable after it
    assert len(await store.open_questions()) == 1


@pytest.mark.asyncio
async def test_votes_replace_and_a_downvote_logs_the_question_once(store: Store) -> None:
    question = "What is osmosis?"
    await store.record_feedback(ALICE, 1, question, "osmosis", "biology.txt:12")
    assert await store.counts() == {"open_questions": 0, "open_askers": 0, "feedback_up": 1, "feedback_down": 0}

    await store.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:12")
    await store.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:12")
    await store.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:40")  # another citation: its own vote

    counts = await store.counts()
    assert (counts["feedback_up"], counts["feedback_down"]) == (0, 2)
    [logged] = await store.open_questions()
    assert (logged.question, logged.kind, logged.pair_key, logged.source) == (question, "downvoted", "osmosis", None)
    assert logged.asker == store.user_hash(ALICE)

    await store.record_feedback(BOB, -1, question, "osmosis", "biology.txt:12")  # another user: logged again
    assert await store.counts() == {"open_questions": 2, "open_askers": 2, "feedback_up": 0, "feedback_down": 3}

    with pytest.raises(ValueError, match="vote"):
        await store.record_feedback(ALICE, 0, question, None, "biology.txt:12")


@pytest.mark.asyncio
async def test_a_long_question_can_be_voted_on_and_logged_once(store: Store) -> None:
    question = "Why " + "ever " * 2000 + "?"  # 10 kB: longer than any index entry may be

    for _ in range(2):
        await store.record_feedback(ALICE, -1, question, None, "biology.txt:1")

    [logged] = await store.open_questions()
    assert logged.question == question
    assert (await store.counts())["feedback_down"] == 1


@pytest.mark.asyncio
async def test_a_downvote_taken_back_leaves_the_curators_list(store: Store) -> None:
    question = "What is osmosis?"
    await store.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:12")
    await store.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:40")

    await store.record_feedback(ALICE, 1, question, "osmosis", "biology.txt:12")
    assert [q.kind for q in await store.open_questions()] == ["downvoted"]  # the other 👎 still stands

    await store.record_feedback(ALICE, 1, question, "osmosis", "biology.txt:40")
    assert await store.open_questions() == []


@pytest.mark.asyncio
async def test_mark_answered_hides_questions_from_open_questions(store: Store, database: str) -> None:
    for text in ("one", "two", "three"):
        await store.log_question(text, None, ALICE, "unanswered")
    by_text = {q.question: q.id for q in await store.open_questions()}

    assert await store.mark_answered([by_text["one"], by_text["three"], by_text["one"]], "pair-1") == 2
    assert [q.question for q in await store.open_questions()] == ["two"]
    assert await store.mark_answered([by_text["one"]], "pair-2") == 0  # already answered: left as it was
    assert await store.mark_answered([], "pair-2") == 0
    assert await store.mark_answered([999], "pair-2") == 0

    found = await rows(database, "SELECT question, resolved_by, resolved_at IS NOT NULL FROM questions ORDER BY id")
    assert [(text, by, bool(resolved)) for text, by, resolved in found] == [
        ("one", "pair-1", True),
        ("two", None, False),
        ("three", "pair-1", True),
    ]
    assert await store.counts() == {"open_questions": 1, "open_askers": 1, "feedback_up": 0, "feedback_down": 0}


@pytest.mark.asyncio
async def test_recent_questions_includes_answered_ones_newest_first_without_repeats(store: Store) -> None:
    for text in ("old", "answered", "repeated", "new", "repeated"):
        await store.log_question(text, None, BOB, "unanswered")
    answered = [q.id for q in await store.open_questions() if q.question == "answered"]
    await store.mark_answered(answered, "pair")

    assert await store.recent_questions() == ["repeated", "new", "answered", "old"]
    assert await store.recent_questions(limit=2) == ["repeated", "new"]


@pytest.mark.asyncio
async def test_quiz_streaks(store: Store) -> None:
    results = [await store.record_quiz(ALICE, correct) for correct in (True, True, True, False, True)]

    assert results == [
        Streak(current=1, best=1, answered=1, right=1),
        Streak(current=2, best=2, answered=2, right=2),
        Streak(current=3, best=3, answered=3, right=3),
        Streak(current=0, best=3, answered=4, right=3),
        Streak(current=1, best=3, answered=5, right=4),
    ]
    assert await store.record_quiz(BOB, False) == Streak(current=0, best=0, answered=1, right=0)


@pytest.mark.asyncio
async def test_heartbeats_per_instance(store: Store, database: str) -> None:
    assert await store.heartbeat_age("shard 0 of 2") is None

    await store.beat("shard 0 of 2")
    await store.beat("shard 0 of 2")  # beating again replaces the beat
    fresh = await store.heartbeat_age("shard 0 of 2")
    assert fresh is not None
    assert 0 <= fresh < 5
    assert await store.heartbeat_age("shard 1 of 2") is None  # each process has its own

    await age_heartbeats(database, 61)
    stale = await store.heartbeat_age("shard 0 of 2")
    assert stale is not None
    assert 60 < stale < 70
    await store.beat("shard 0 of 2")
    assert (await store.heartbeat_age("shard 0 of 2") or 99) < 5

    await store.forget_heartbeat("shard 0 of 2")
    assert await store.heartbeat_age("shard 0 of 2") is None


# ----------------------------------------------------------------- what is never kept, or logged


@pytest.mark.asyncio
async def test_no_stored_row_holds_a_user_id(store: Store, database: str) -> None:
    await store.log_question("What is osmosis?", "biology.txt", ALICE, "unanswered")
    await store.record_feedback(ALICE, -1, "What is a cell?", "cell", "biology.txt:3")
    await store.record_quiz(ALICE, True)
    await store.record_ask(ALICE, None, "biology", True, datetime.now(UTC))

    tables = ("questions", "feedback", "streaks", "asks")
    stored = [str(row) for table in tables for row in await rows(database, f"SELECT * FROM {table}")]

    assert len(stored) == 5  # two logged questions (one from the 👎), one vote, one streak, one question counted
    assert any("What is osmosis?" in row for row in stored)  # the check does read what was written
    assert all(str(ALICE) not in row for row in stored)
    assert sum(store.user_hash(ALICE) in row for row in stored) == 5


@pytest.mark.asyncio
async def test_question_texts_are_not_logged_at_info(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.store")
    await store.log_question("secret question text", None, ALICE, "unanswered")
    await store.record_feedback(ALICE, -1, "secret question text", "pair", "biology.txt:3")
    await store.mark_answered([q.id for q in await store.open_questions()], "pair")

    assert caplog.records  # something is logged...
    assert all("secret question" not in r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
