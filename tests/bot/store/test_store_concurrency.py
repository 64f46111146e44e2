"""bot/store, with several writers: concurrent calls in one process, two processes opening, migrating and writing
at once (exact totals), and a writer killed mid-transaction (nothing committed lost, nothing half-written); run
against SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from store_suite import KEY, rows

from bot.store import Store, Streak, open_store

REPO = Path(__file__).resolve().parents[3]
WRITER = Path(__file__).with_name("store_writer.py")
WRITER_KEY = b"second-process key"  # store_writer.KEY


@pytest.mark.asyncio
async def test_two_processes_opening_a_new_database_at_once_migrate_it_once(database: str) -> None:
    code = "import asyncio, sys; from bot.store import open_store; asyncio.run(open_store(sys.argv[1], b'k'))"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    children = [
        await asyncio.create_subprocess_exec(sys.executable, "-c", code, database, env=env, cwd=REPO) for _ in range(3)
    ]
    assert [await child.wait() for child in children] == [0, 0, 0]

    async with await open_store(database, KEY) as store:
        assert await store.counts() == {"open_questions": 0, "open_askers": 0, "feedback_up": 0, "feedback_down": 0}


@pytest.mark.asyncio
async def test_concurrent_writes_all_land(store: Store) -> None:
    await asyncio.gather(*(store.log_question(f"question {n}", None, n, "unanswered") for n in range(100)))

    logged = await store.open_questions(limit=1000)
    assert sorted(q.question for q in logged) == sorted(f"question {n}" for n in range(100))
    assert (await store.counts())["open_askers"] == 100


async def start_writer(*args: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return await asyncio.create_subprocess_exec(
        sys.executable, str(WRITER), *args, stdout=asyncio.subprocess.PIPE, env=env, cwd=REPO
    )


@pytest.mark.asyncio
async def test_two_processes_writing_at_once_give_exact_totals(database: str) -> None:
    rounds = 60
    await (await open_store(database, KEY)).close()  # migrated beforehand: the writers race on data, not on DDL
    writers = [await start_writer("burst", database, str(writer), str(rounds)) for writer in (1, 2)]
    outputs = await asyncio.wait_for(asyncio.gather(*(writer.communicate() for writer in writers)), 60)

    assert [output for output, _ in outputs] == [b"done\n", b"done\n"]
    assert [writer.returncode for writer in writers] == [0, 0]
    async with await open_store(database, WRITER_KEY) as store:
        # Every quiz answer of both processes counted: none lost to a concurrent read-modify-write.
        every = 2 * rounds + 1  # both processes' answers, and this one
        assert await store.record_quiz(42, True) == Streak(every, every, every, every)
        logged = await store.open_questions(limit=10_000)
        unanswered = [q.question for q in logged if q.kind == "unanswered"]
        assert sorted(unanswered) == sorted(f"writer {w} question {n}" for w in (1, 2) for n in range(rounds))
        # Both processes' 👎 by one voter on one question: two votes (two citations), the question logged once.
        assert len([q for q in logged if q.kind == "downvoted"]) == rounds
        assert (await store.counts())["feedback_down"] == 2 * rounds


async def write_until_killed(database: str, start: int, lines_first: int, delay: float) -> set[int]:
    """Run the writer until it has reported ``lines_first`` commits, wait ``delay`` (so the kill lands at a different
    point of a write each round), SIGKILL it, and return every number it reported committed."""
    child = await start_writer("kill", database, str(start))
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
async def test_a_process_killed_mid_write_loses_no_committed_write(database: str) -> None:
    voted: set[int] = set()
    for delay in (0.0, 0.0005, 0.001, 0.002, 0.003, 0.005):
        start = max(voted, default=-1) + 1
        committed = await write_until_killed(database, start, 10, delay)
        assert committed == set(range(start, start + len(committed)))

        async with await open_store(database, WRITER_KEY) as store:
            votes = await rows(database, "SELECT citation FROM feedback")
            logged = await store.open_questions(limit=100_000)
            assert (await store.counts())["feedback_down"] == len(votes)
        voted = {int(citation.split()[1]) for (citation,) in votes}
        assert committed <= voted  # every write the child reported is there...
        assert voted <= set(range(start + len(committed) + 1))  # ...plus at most one committed but not yet printed
        # ...and each write is whole: its vote and its logged question came in together.
        assert {int(q.question.split()[1]) for q in logged} == voted
        assert all(q.asker == store.user_hash(int(q.question.split()[1])) for q in logged)
