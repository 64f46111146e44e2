"""bot/storage.py: the SQLite store for the question log, feedback and quiz streaks — what it keeps, what it never
keeps (a user id in clear), and that a killed process leaves every committed write and nothing half-written."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.storage import SCHEMA_VERSION, LoggedQuestion, Storage, Streak, derive_user_key

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("storage_writer.py")
WRITER_KEY = b"kill-test key"  # storage_writer.KEY
KEY = b"test key"
ALICE = 123456789012345678  # Discord-sized ids: 18 digits, which would stand out in the file's bytes
BOB = 876543210987654321


@pytest_asyncio.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    async with await Storage.open(tmp_path / "study.sqlite3", KEY) as opened:
        yield opened


def query(path: Path, sql: str) -> list[Any]:
    """Read the file with a connection of the test's own, as another process (an admin's sqlite3 shell) would."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        return conn.execute(sql).fetchall()


def disk_bytes(path: Path) -> bytes:
    """The database and, while it is open, its write-ahead log: everything SQLite has written."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def test_derive_user_key() -> None:
    assert derive_user_key("my secret", "token") == b"my secret"
    from_token = derive_user_key(None, "token")
    assert from_token == derive_user_key("", "token")  # an empty setting counts as unset
    assert from_token != b"token"  # derived, not the token itself
    assert len(from_token) == 32
    assert derive_user_key(None, "other token") != from_token
    with pytest.raises(ValueError, match="STUDYBOT_USER_HASH_KEY"):
        derive_user_key(None, "")


@pytest.mark.asyncio
async def test_user_hash_is_stable_per_key_and_differs_between_keys(tmp_path: Path) -> None:
    async with (
        await Storage.open(tmp_path / "a.sqlite3", KEY) as first,
        await Storage.open(tmp_path / "b.sqlite3", KEY) as second,
        await Storage.open(tmp_path / "c.sqlite3", b"another key") as other,
    ):
        digest = first.user_hash(ALICE)
        assert len(digest) == 64
        assert int(digest, 16) >= 0
        assert first.user_hash(ALICE) == digest == second.user_hash(ALICE)
        assert first.user_hash(BOB) != digest
        assert other.user_hash(ALICE) != digest


@pytest.mark.asyncio
async def test_open_creates_folder_and_sets_wal_version_and_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "study.sqlite3"
    async with await Storage.open(path, KEY) as storage:
        assert path.is_file()
        assert query(path, "PRAGMA journal_mode") == [("wal",)]
        assert query(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        assert SCHEMA_VERSION == 1
        pragmas = await storage._run(
            lambda c: [c.execute(f"PRAGMA {name}").fetchone()[0] for name in ("synchronous", "foreign_keys")]
        )
        assert pragmas == [2, 1]  # synchronous=FULL, foreign keys on
        worker = await storage._run(lambda _c: threading.current_thread())
        assert worker is not threading.current_thread()  # SQLite runs off the event loop's thread
    # Opening again runs no migration twice.
    async with await Storage.open(path, KEY):
        assert query(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


@pytest.mark.asyncio
async def test_open_refuses_a_newer_schema_and_an_empty_key(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    query(path, "PRAGMA user_version = 99")
    with pytest.raises(RuntimeError, match="schema version 99"):
        await Storage.open(path, KEY)
    with pytest.raises(ValueError, match="user_key"):
        await Storage.open(tmp_path / "x.sqlite3", b"")


@pytest.mark.asyncio
async def test_close_is_idempotent_and_later_calls_raise(tmp_path: Path) -> None:
    storage = await Storage.open(tmp_path / "study.sqlite3", KEY)
    await storage.close()
    await storage.close()
    with pytest.raises(RuntimeError, match="closed"):
        await storage.counts()


@pytest.mark.asyncio
async def test_log_question_and_open_questions(storage: Storage) -> None:
    before = datetime.now(UTC)
    await storage.log_question("What is osmosis?", "biology.txt", ALICE, "unanswered")
    await storage.log_question("Why is the sky blue?", None, BOB, "downvoted", pair_key="sky-colour")
    await storage.log_question("What is a cell?", None, ALICE, "unanswered")

    questions = await storage.open_questions()

    assert [q.question for q in questions] == ["What is a cell?", "Why is the sky blue?", "What is osmosis?"]
    oldest = questions[-1]
    assert oldest == LoggedQuestion(
        oldest.id, oldest.at, "What is osmosis?", "biology.txt", "unanswered", storage.user_hash(ALICE), None
    )
    assert questions[1].kind == "downvoted"
    assert questions[1].pair_key == "sky-colour"
    assert questions[1].asker == storage.user_hash(BOB)
    assert len({q.id for q in questions}) == 3
    for q in questions:
        assert q.at.tzinfo is not None
        assert before - timedelta(seconds=1) <= q.at <= datetime.now(UTC)
    assert [q.question for q in await storage.open_questions(limit=1)] == ["What is a cell?"]


@pytest.mark.asyncio
async def test_unknown_kind_is_refused(storage: Storage) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await storage.log_question("q", None, ALICE, "answered")  # type: ignore[arg-type]
    assert await storage.open_questions() == []  # the failed transaction left nothing behind
    await storage.log_question("q", None, ALICE, "unanswered")  # and the connection is usable after it
    assert len(await storage.open_questions()) == 1


@pytest.mark.asyncio
async def test_reopening_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "study.sqlite3"
    async with await Storage.open(path, KEY) as storage:
        await storage.log_question("What is osmosis?", None, ALICE, "unanswered")
        await storage.record_feedback(BOB, 1, "What is a cell?", "cell", "biology.txt:3")
        await storage.record_quiz(ALICE, True)
    async with await Storage.open(path, KEY) as storage:
        assert [q.question for q in await storage.open_questions()] == ["What is osmosis?"]
        assert (await storage.counts())["feedback_up"] == 1
        assert await storage.record_quiz(ALICE, True) == Streak(current=2, best=2, answered=2, right=2)


@pytest.mark.asyncio
async def test_votes_replace_and_a_downvote_logs_the_question_once(storage: Storage) -> None:
    question = "What is osmosis?"
    await storage.record_feedback(ALICE, 1, question, "osmosis", "biology.txt:12")
    assert await storage.counts() == {"open_questions": 0, "open_askers": 0, "feedback_up": 1, "feedback_down": 0}

    await storage.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:12")
    await storage.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:12")
    await storage.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:40")  # another citation: its own vote

    counts = await storage.counts()
    assert (counts["feedback_up"], counts["feedback_down"]) == (0, 2)
    [logged] = await storage.open_questions()
    assert (logged.question, logged.kind, logged.pair_key, logged.source) == (question, "downvoted", "osmosis", None)
    assert logged.asker == storage.user_hash(ALICE)

    await storage.record_feedback(BOB, -1, question, "osmosis", "biology.txt:12")  # another user: logged again
    assert await storage.counts() == {"open_questions": 2, "open_askers": 2, "feedback_up": 0, "feedback_down": 3}

    with pytest.raises(ValueError, match="vote"):
        await storage.record_feedback(ALICE, 0, question, None, "biology.txt:12")


@pytest.mark.asyncio
async def test_a_downvote_taken_back_leaves_the_curators_list(storage: Storage) -> None:
    question = "What is osmosis?"
    await storage.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:12")
    await storage.record_feedback(ALICE, -1, question, "osmosis", "biology.txt:40")

    await storage.record_feedback(ALICE, 1, question, "osmosis", "biology.txt:12")
    assert [q.kind for q in await storage.open_questions()] == ["downvoted"]  # the other 👎 still stands

    await storage.record_feedback(ALICE, 1, question, "osmosis", "biology.txt:40")
    assert await storage.open_questions() == []


@pytest.mark.asyncio
async def test_mark_answered_hides_questions_from_open_questions(storage: Storage) -> None:
    for text in ("one", "two", "three"):
        await storage.log_question(text, None, ALICE, "unanswered")
    by_text = {q.question: q.id for q in await storage.open_questions()}

    assert await storage.mark_answered([by_text["one"], by_text["three"], by_text["one"]], "pair-1") == 2
    assert [q.question for q in await storage.open_questions()] == ["two"]
    assert await storage.mark_answered([by_text["one"]], "pair-2") == 0  # already answered: left as it was
    assert await storage.mark_answered([], "pair-2") == 0
    assert await storage.mark_answered([999], "pair-2") == 0

    rows = await storage._fetch("SELECT question, resolved_by, resolved_at IS NOT NULL FROM questions ORDER BY id")
    assert rows == [("one", "pair-1", 1), ("two", None, 0), ("three", "pair-1", 1)]
    assert await storage.counts() == {"open_questions": 1, "open_askers": 1, "feedback_up": 0, "feedback_down": 0}


@pytest.mark.asyncio
async def test_recent_questions_includes_answered_ones_newest_first_without_repeats(storage: Storage) -> None:
    for text in ("old", "answered", "repeated", "new", "repeated"):
        await storage.log_question(text, None, BOB, "unanswered")
    answered = [q.id for q in await storage.open_questions() if q.question == "answered"]
    await storage.mark_answered(answered, "pair")

    assert await storage.recent_questions() == ["repeated", "new", "answered", "old"]
    assert await storage.recent_questions(limit=2) == ["repeated", "new"]


@pytest.mark.asyncio
async def test_quiz_streaks(storage: Storage) -> None:
    results = [await storage.record_quiz(ALICE, correct) for correct in (True, True, True, False, True)]

    assert results == [
        Streak(current=1, best=1, answered=1, right=1),
        Streak(current=2, best=2, answered=2, right=2),
        Streak(current=3, best=3, answered=3, right=3),
        Streak(current=0, best=3, answered=4, right=3),
        Streak(current=1, best=3, answered=5, right=4),
    ]
    assert await storage.record_quiz(BOB, False) == Streak(current=0, best=0, answered=1, right=0)


@pytest.mark.asyncio
async def test_the_raw_user_id_never_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "study.sqlite3"
    async with await Storage.open(path, KEY) as storage:
        await storage.log_question("What is osmosis?", "biology.txt", ALICE, "unanswered")
        await storage.record_feedback(ALICE, -1, "What is a cell?", "cell", "biology.txt:3")
        await storage.record_quiz(ALICE, True)
        while_open = disk_bytes(path)
    after_close = disk_bytes(path)

    for data in (while_open, after_close):
        assert b"What is osmosis?" in data  # the check does read what was written
        assert str(ALICE).encode() not in data
        assert str(ALICE).encode("utf-16-le") not in data
        assert ALICE.to_bytes(8, "big") not in data


@pytest.mark.asyncio
async def test_question_texts_are_not_logged_at_info(storage: Storage, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.storage")
    await storage.log_question("secret question text", None, ALICE, "unanswered")
    await storage.record_feedback(ALICE, -1, "secret question text", "pair", "biology.txt:3")
    await storage.mark_answered([q.id for q in await storage.open_questions()], "pair")

    assert caplog.records  # something is logged...
    assert all("secret question" not in r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


@pytest.mark.asyncio
async def test_concurrent_writes_all_land(storage: Storage) -> None:
    await asyncio.gather(*(storage.log_question(f"question {n}", None, n, "unanswered") for n in range(100)))

    logged = await storage.open_questions(limit=1000)
    assert sorted(q.question for q in logged) == sorted(f"question {n}" for n in range(100))
    assert (await storage.counts())["open_askers"] == 100


async def write_until_killed(path: Path, start: int, lines_first: int, delay: float) -> set[int]:
    """Run ``storage_writer.py`` until it has reported ``lines_first`` commits, wait ``delay`` (so the kill lands
    at a different point of a write each round), SIGKILL it, and return every number it reported committed."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(WRITER), str(path), str(start), stdout=asyncio.subprocess.PIPE, env=env, cwd=REPO
    )
    assert child.stdout is not None
    lines: list[bytes] = []
    try:
        async with asyncio.timeout(10):
            while len(lines) < lines_first:
                line = await child.stdout.readline()
                assert line, "the writer stopped before being killed"
                lines.append(line)
            await asyncio.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        lines += (await child.stdout.read()).splitlines()  # anything printed since: committed too
        await child.wait()
    assert child.returncode == -signal.SIGKILL
    return {int(line) for line in lines}


@pytest.mark.asyncio
async def test_a_process_killed_mid_write_loses_no_committed_write(tmp_path: Path) -> None:
    path = tmp_path / "study.sqlite3"
    voted: set[int] = set()
    for delay in (0.0, 0.0005, 0.001, 0.002, 0.003, 0.005):
        start = max(voted, default=-1) + 1
        committed = await write_until_killed(path, start, 10, delay)
        assert committed == set(range(start, start + len(committed)))

        assert query(path, "PRAGMA integrity_check") == [("ok",)]
        async with await Storage.open(path, WRITER_KEY) as storage:
            votes = await storage._fetch("SELECT citation FROM feedback")
            logged = await storage.open_questions(limit=100_000)
            assert (await storage.counts())["feedback_down"] == len(votes)
        voted = {int(citation.split()[1]) for (citation,) in votes}
        assert committed <= voted  # every write the child reported is there...
        assert voted <= set(range(start + len(committed) + 1))  # ...plus at most one committed but not yet printed
        # ...and each write is whole: its vote and its logged question came in together.
        assert {int(q.question.split()[1]) for q in logged} == voted
        assert all(q.asker == storage.user_hash(int(q.question.split()[1])) for q in logged)
