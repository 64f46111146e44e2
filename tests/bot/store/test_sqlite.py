"""bot/store/sqlite.py: what only the SQLite file does — its folder, WAL and pragmas, its own thread, the bytes on
disk, and an unusable path reported as such."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from store_suite import KEY

from bot.store import StoreUnavailable, latest_version
from bot.store.migrations import migrations
from bot.store.sqlite import SqliteStore

ALICE = 123456789012345678


def query(path: Path, sql: str) -> list[Any]:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        return conn.execute(sql).fetchall()


def disk_bytes(path: Path) -> bytes:
    """The database and, while it is open, its write-ahead log: everything SQLite has written."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


@pytest.mark.asyncio
async def test_open_creates_folder_and_sets_wal_version_and_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "study.sqlite3"
    async with await SqliteStore.open(path, KEY) as store:
        assert path.is_file()
        assert store.location == str(path)
        assert query(path, "PRAGMA journal_mode") == [("wal",)]
        assert query(path, "PRAGMA user_version") == [(latest_version(),)]
        pragmas = await store._run(
            lambda c: [c.execute(f"PRAGMA {name}").fetchone()[0] for name in ("synchronous", "foreign_keys")]
        )
        assert pragmas == [2, 1]  # synchronous=FULL, foreign keys on
        worker = await store._run(lambda _c: threading.current_thread())
        assert worker is not threading.current_thread()  # SQLite runs off the event loop's thread


@pytest.mark.asyncio
async def test_a_database_of_the_first_schema_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "study.sqlite3"
    with closing(sqlite3.connect(path)) as conn:  # what studybot's first release wrote
        conn.executescript(migrations("sqlite")[0].sql)
        conn.execute(
            "INSERT INTO questions (at, question, kind, asker) VALUES ('2026-01-05T10:00:00+00:00', 'What is osmosis?',"
            " 'unanswered', 'hash')"
        )
        conn.execute("PRAGMA user_version = 1")
        conn.commit()

    async with await SqliteStore.open(path, KEY) as store:
        assert [q.question for q in await store.open_questions()] == ["What is osmosis?"]
        await store.log_question("Who is Nye?", None, ALICE, "unanswered", guild_id=7)  # a column of a later step
    assert query(path, "PRAGMA user_version") == [(latest_version(),)]
    assert query(path, "SELECT question, guild_id FROM questions") == [("What is osmosis?", None), ("Who is Nye?", 7)]


@pytest.mark.asyncio
async def test_the_raw_user_id_never_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "study.sqlite3"
    async with await SqliteStore.open(path, KEY) as store:
        await store.log_question("What is osmosis?", "biology.txt", ALICE, "unanswered")
        await store.record_feedback(ALICE, -1, "What is a cell?", "cell", "biology.txt:3")
        await store.record_quiz(ALICE, True)
        await store.record_ask(ALICE, None, "biology", False, datetime.now(UTC))
        while_open = disk_bytes(path)
    after_close = disk_bytes(path)

    for data in (while_open, after_close):
        assert b"What is osmosis?" in data  # the check does read what was written
        assert str(ALICE).encode() not in data
        assert str(ALICE).encode("utf-16-le") not in data
        assert ALICE.to_bytes(8, "big") not in data


@pytest.mark.asyncio
async def test_an_unusable_path_is_store_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_bytes(b"these are notes, not a database" * 100)

    with pytest.raises(StoreUnavailable) as under_a_file:
        await SqliteStore.open(blocker / "study.sqlite3", KEY)
    with pytest.raises(StoreUnavailable) as garbage:
        await SqliteStore.open(not_a_database, KEY)

    assert str(under_a_file.value) == f"cannot use the database {blocker / 'study.sqlite3'}: File exists"
    assert garbage.value.reason == "file is not a database"
