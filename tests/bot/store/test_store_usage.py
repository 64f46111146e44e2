"""bot/store: the usage figures every backend owes ``/stats`` and ``studybot stats``, on SQLite and PostgreSQL alike:
days bucketed at UTC with empty days as 0, a server's figures its own alone, per text, votes, the most asked open
questions, and the retention of the counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from store_suite import KEY, rows

from bot.store import RETENTION_DAYS, DayCount, Store, TextUsage, UnansweredQuestion, is_postgres, open_store

ALICE = 123456789012345678
BOB = 876543210987654321
HOME = 111111111111111111  # a server
OTHER = 222222222222222222  # another server
NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def far_from_utc(database: str) -> None:
    """Give a PostgreSQL database a session time zone 14 hours ahead of UTC, where a date cast would use local days.
    (SQLite has no session time zone: its times are stored as UTC text.)"""
    if is_postgres(database):
        await rows(
            database,
            "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), "
            "'Pacific/Kiritimati'); END $$",
        )


@pytest.mark.asyncio
async def test_questions_per_utc_day_over_the_window_with_empty_days_as_zero(database: str) -> None:
    await (await open_store(database, KEY)).close()  # the database now exists, to be given a time zone
    await far_from_utc(database)
    async with await open_store(database, KEY) as store:
        await days_and_window(store)


async def days_and_window(store: Store) -> None:
    asked = [
        ("2026-03-31T00:00:00+00:00", True),  # today's first instant
        ("2026-03-31T11:59:59+00:00", False),
        ("2026-03-30T23:59:59.999999+00:00", True),  # yesterday's last
        ("2026-03-31T01:30:00+05:00", True),  # 20:30 UTC yesterday: the day is UTC's, not the asker's
        ("2026-03-02T00:00:00+00:00", False),  # the first of the 30 days
        ("2026-03-01T23:59:59+00:00", True),  # the day before: not counted
        ("2026-04-01T00:00:00+00:00", True),  # after today: not counted
    ]
    for when, answered in asked:
        await store.record_ask(ALICE, HOME, "essay", answered, at(when))

    usage = await store.usage(HOME, 30, now=NOW)

    assert (usage.window.first, usage.window.last) == (date(2026, 3, 2), date(2026, 3, 31))
    assert [d.day for d in usage.days] == [date(2026, 3, 2) + timedelta(days=n) for n in range(30)]
    assert usage.days[0] == DayCount(date(2026, 3, 2), answered=0, unanswered=1)
    assert usage.days[-2] == DayCount(date(2026, 3, 30), answered=2, unanswered=0)
    assert usage.days[-1] == DayCount(date(2026, 3, 31), answered=1, unanswered=1)
    assert all(d.asked == 0 for d in usage.days[1:-2])
    assert (usage.asked, usage.answered, usage.share_answered) == (5, 3, 0.6)
    assert usage.askers == 1

    week = await store.usage(HOME, 1, now=NOW)
    assert [(d.day, d.asked) for d in week.days] == [(date(2026, 3, 31), 2)]


@pytest.mark.asyncio
async def test_no_question_asked_is_thirty_zero_days_and_no_share(store: Store) -> None:
    usage = await store.usage(HOME, now=NOW)

    assert len(usage.days) == 30
    assert usage.asked == 0
    assert usage.share_answered is None
    assert (usage.texts, usage.unanswered, usage.askers, usage.up, usage.down) == ((), (), 0, 0, 0)


@pytest.mark.asyncio
async def test_a_server_sees_only_its_own_figures_and_none_sees_all(store: Store) -> None:
    now = datetime.now(UTC)
    await store.record_ask(ALICE, HOME, "essay", True, now)
    await store.record_ask(BOB, OTHER, "essay", True, now)
    await store.record_ask(BOB, OTHER, None, False, now)
    await store.record_ask(BOB, None, "essay", True, now)  # a direct message
    await store.log_question("Who is Nye?", None, BOB, "unanswered", guild_id=OTHER)
    await store.record_feedback(BOB, -1, "What is soft power?", "essay/soft-power", "essay/soft-power", guild_id=OTHER)
    await store.record_feedback(ALICE, 1, "What is soft power?", "essay/soft-power", "essay/soft-power", guild_id=HOME)

    home = await store.usage(HOME)
    other = await store.usage(OTHER)
    everywhere = await store.usage(None)

    assert (home.asked, home.askers, home.up, home.down, home.unanswered) == (1, 1, 1, 0, ())
    assert (other.asked, other.answered, other.askers, other.up, other.down) == (2, 1, 1, 0, 1)
    assert [q.question for q in other.unanswered] == ["Who is Nye?"]
    assert (everywhere.asked, everywhere.askers, everywhere.up, everywhere.down) == (4, 2, 1, 1)
    assert (await store.usage(333)).asked == 0


@pytest.mark.asyncio
async def test_figures_per_text_with_votes_most_asked_first(store: Store) -> None:
    now = datetime.now(UTC)
    for source, answered in [("essay", True), ("essay", True), ("notes", True), ("notes", False), (None, False)]:
        await store.record_ask(ALICE, HOME, source, answered, now)
    await store.record_feedback(ALICE, 1, "q1", "essay/goal", "essay/goal", guild_id=HOME)
    await store.record_feedback(BOB, 1, "q1", "essay/goal", "essay/goal", guild_id=HOME)
    await store.record_feedback(BOB, -1, "q2", None, "notes#p4.s2", guild_id=HOME)
    await store.record_feedback(BOB, -1, "q3", None, "slides#p1.s1", guild_id=HOME)  # voted on, never asked here

    usage = await store.usage(HOME)

    assert usage.texts == (
        TextUsage("essay", asked=2, answered=2, up=2, down=0),
        TextUsage("notes", asked=2, answered=1, up=0, down=1),
        TextUsage(None, asked=1, answered=0),
        TextUsage("slides", asked=0, answered=0, up=0, down=1),
    )
    assert (usage.up, usage.down) == (2, 2)


@pytest.mark.asyncio
async def test_most_asked_open_questions_grouped_by_their_words(store: Store) -> None:
    for text, user in [
        ("What is osmosis?", ALICE),
        ("What is osmosis?", ALICE),
        ("what is  OSMOSIS", BOB),
        ("Who wrote the essay?", BOB),
        ("Who wrote the essay?", BOB),
        ("Who wrote the essay?", BOB),
        ("When?", ALICE),
        ("Taught since", ALICE),
    ]:
        await store.log_question(text, None, user, "unanswered", guild_id=HOME)
    await store.record_feedback(ALICE, -1, "A downvoted one", None, "essay#p1.s1", guild_id=HOME)
    taught = [q.id for q in await store.open_questions() if q.question == "Taught since"]
    await store.mark_answered(taught, "essay/taught")

    usage = await store.usage(HOME)

    assert usage.unanswered == (
        UnansweredQuestion("What is osmosis?", asked=3, askers=2),  # in the wording asked most; more askers first
        UnansweredQuestion("Who wrote the essay?", asked=3, askers=1),
        UnansweredQuestion("When?", asked=1, askers=1),
    )  # not the taught one, nor the 👎 one (its answer was given)
    assert (await store.usage(OTHER)).unanswered == ()


@pytest.mark.asyncio
async def test_counts_older_than_the_retention_are_deleted(store: Store, database: str) -> None:
    now = datetime.now(UTC)
    await store.record_ask(ALICE, HOME, "essay", True, now - timedelta(days=RETENTION_DAYS, seconds=1))
    await store.record_ask(ALICE, HOME, "essay", True, now - timedelta(days=RETENTION_DAYS - 1))
    assert len(await rows(database, "SELECT * FROM asks")) == 2  # nothing expires until the next question

    await store.record_ask(ALICE, HOME, "essay", True, now)

    assert len(await rows(database, "SELECT * FROM asks")) == 2
    assert (await store.usage(HOME, RETENTION_DAYS)).asked == 2


@pytest.mark.asyncio
async def test_a_window_of_no_day_or_beyond_the_retention_is_refused(store: Store) -> None:
    for days in (0, RETENTION_DAYS + 1):
        with pytest.raises(ValueError, match="days must be between 1 and 365"):
            await store.usage(HOME, days)


@pytest.mark.asyncio
async def test_an_ask_row_keeps_no_text_and_no_user_id(store: Store, database: str) -> None:
    await store.record_ask(ALICE, HOME, "essay", False, datetime.now(timezone(timedelta(hours=-7))))

    [row] = await rows(database, "SELECT * FROM asks")

    assert str(ALICE) not in str(row)
    assert store.user_hash(ALICE) in row
    assert HOME in row
