"""The bot's SQLite store for the study features: the question log curators work from, 👍/👎 feedback, quiz streaks.

One worker thread owns the connection and every call runs there, so the event loop never waits on disk and SQLite
never sees two threads. Each write is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``): a process killed mid-write
leaves it wholly in or wholly out. Discord user ids are never stored: only an HMAC of them (see :meth:`user_hash`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Self, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
Kind = Literal["unanswered", "downvoted"]
SCHEMA_VERSION = 1


def derive_user_key(user_hash_key: str | None, token: str) -> bytes:
    """The HMAC key for user ids: ``STUDYBOT_USER_HASH_KEY`` when set, else one derived from the bot token.

    Derived (not the token itself) so the key held in memory and used everywhere is not a credential; a token
    rotation then changes every hash, which only restarts streaks and distinct-asker counts.
    """
    if user_hash_key:
        return user_hash_key.encode()
    if not token:
        raise ValueError("set STUDYBOT_USER_HASH_KEY or STUDYBOT_DISCORD_TOKEN: user ids need a key to be hashed")
    return hmac.new(token.encode(), b"studybot user-id hash key v1", hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    """A question the bot could not answer well, waiting for a curator; ``asker`` is the user's hash."""

    id: int
    at: datetime
    question: str
    source: str | None
    kind: Kind
    asker: str
    pair_key: str | None


@dataclass(frozen=True, slots=True)
class Streak:
    """A user's quiz record after an answer: ``current`` resets to 0 on a wrong answer, ``best`` never drops."""

    current: int
    best: int
    answered: int
    right: int


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    """Schema 1: the question log, votes and streaks. One statement at a time: ``executescript`` would COMMIT first."""
    for statement in (
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, question TEXT NOT NULL, source TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('unanswered', 'downvoted')), asker TEXT NOT NULL, pair_key TEXT,
            resolved_at TEXT, resolved_by TEXT)""",
        "CREATE INDEX questions_open ON questions (id) WHERE resolved_at IS NULL",
        "CREATE UNIQUE INDEX questions_downvoted_once ON questions (asker, question) WHERE kind = 'downvoted'",
        """CREATE TABLE feedback (
            voter TEXT NOT NULL, question TEXT NOT NULL, citation TEXT NOT NULL, pair_key TEXT,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)), at TEXT NOT NULL,
            PRIMARY KEY (voter, question, citation)) WITHOUT ROWID""",
        """CREATE TABLE streaks (
            user TEXT PRIMARY KEY, current INTEGER NOT NULL, best INTEGER NOT NULL, answered INTEGER NOT NULL,
            right INTEGER NOT NULL) WITHOUT ROWID""",
    ):
        conn.execute(statement)


# MIGRATIONS[n] takes a database from version n - 1 to n, in one transaction with its ``user_version`` bump: a crash
# mid-migration leaves the old version, migrated again on the next start.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_to_1}


def _now() -> str:
    return datetime.now(UTC).isoformat()


class Storage:
    """The open store. Create with ``await Storage.open(path, key)``; close with :meth:`close` or ``async with``."""

    def __init__(self, executor: ThreadPoolExecutor, conn: sqlite3.Connection, user_key: bytes) -> None:
        self._executor = executor
        self._conn = conn
        self._key = user_key
        self._closed = False

    @classmethod
    async def open(cls, path: Path, user_key: bytes) -> Storage:
        """Open (creating the file and its folder) and migrate to the current schema, all on the worker thread."""
        if not user_key:
            raise ValueError("user_key must not be empty: it is what keeps user ids out of the database")
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studybot-storage")
        try:
            conn = await asyncio.get_running_loop().run_in_executor(executor, cls._connect, path)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        log.info("storage open: %s (schema version %d)", path, SCHEMA_VERSION)
        return cls(executor, conn, user_key)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; every write states its own BEGIN IMMEDIATE / COMMIT.
        conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        try:
            if conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] != "wal":
                log.warning("%s: SQLite refused WAL mode here; writes stay atomic but block readers", path)
            # FULL, not NORMAL: with WAL both survive a killed process, but NORMAL can lose the last commits on a
            # power cut. Writes here are a few per minute, so an fsync per commit costs nothing worth saving.
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")  # schema 1 has no references yet; later migrations' will hold
            conn.execute("BEGIN IMMEDIATE")  # under the write lock: two processes starting never migrate twice
            version: int = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{path} has schema version {version}, newer than this bot's {SCHEMA_VERSION}")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](conn)
                conn.execute(f"PRAGMA user_version={target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.close()  # an open transaction is rolled back
            raise
        return conn

    async def close(self) -> None:
        """Finish the writes already queued, then close; later calls raise. Closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._conn.close)
        finally:
            self._executor.shutdown(wait=False)  # the thread exits once the close above has run

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def user_hash(self, user_id: int) -> str:
        """Hex HMAC-SHA256 of the id: stable per key, so one user's rows link up, but no id is readable on disk."""
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` on the worker thread, which alone touches the connection (one call at a time, in order)."""
        if self._closed:
            raise RuntimeError("storage is closed")
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, self._conn)

    async def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` in its own transaction: committed whole, or rolled back whole if it raises."""

        def transaction(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # some errors (a full disk) have already rolled it back
                    conn.execute("ROLLBACK")
                raise
            return result

        return await self._run(transaction)

    async def _fetch(self, sql: str, *params: object) -> list[Any]:
        return await self._run(lambda c: c.execute(sql, params).fetchall())

    async def log_question(
        self, question: str, source: str | None, user_id: int, kind: Kind, pair_key: str | None = None
    ) -> None:
        """Keep a question for curators: ``unanswered`` (the bot said not covered) or ``downvoted`` (a 👎 on the
        answer, ``pair_key`` saying what was answered). The text is stored, as curators need it, but never logged."""
        sql = "INSERT INTO questions (at, question, source, kind, asker, pair_key) VALUES (?, ?, ?, ?, ?, ?)"
        row = (_now(), question, source, kind, self.user_hash(user_id), pair_key)
        await self._write(lambda c: c.execute(sql, row))
        log.debug("logged a question (%s)", kind)

    async def record_feedback(
        self, user_id: int, vote: int, question: str, pair_key: str | None, citation: str
    ) -> None:
        """One vote per user per (question, citation), so a vote again replaces it; a 👎 (-1) also puts the
        question in the log as ``downvoted``, once per user and question however often they vote, and a 👍 that
        replaces it takes it off again while no curator has dealt with it and no other 👎 of theirs on it stands."""
        if vote not in (1, -1):
            raise ValueError(f"vote must be +1 or -1, not {vote}")
        voter, at = self.user_hash(user_id), _now()

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO feedback (voter, question, citation, pair_key, vote, at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (voter, question, citation) DO UPDATE"
                " SET vote = excluded.vote, pair_key = excluded.pair_key, at = excluded.at",
                (voter, question, citation, pair_key, vote, at),
            )
            if vote < 0:
                conn.execute(
                    "INSERT INTO questions (at, question, source, kind, asker, pair_key)"
                    " VALUES (?, ?, NULL, 'downvoted', ?, ?)"
                    " ON CONFLICT (asker, question) WHERE kind = 'downvoted' DO NOTHING",
                    (at, question, voter, pair_key),
                )
            else:
                conn.execute(
                    "DELETE FROM questions WHERE kind = 'downvoted' AND asker = ? AND question = ?"
                    " AND resolved_at IS NULL AND NOT EXISTS"
                    " (SELECT 1 FROM feedback WHERE voter = ? AND question = ? AND vote < 0)",
                    (voter, question, voter, question),
                )

        await self._write(write)

    async def open_questions(self, limit: int = 200) -> list[LoggedQuestion]:
        """Questions no curated pair answers yet, newest first: the curators' to-do list."""
        rows = await self._fetch(
            "SELECT id, at, question, source, kind, asker, pair_key FROM questions"
            " WHERE resolved_at IS NULL ORDER BY id DESC LIMIT ?",
            limit,
        )
        return [LoggedQuestion(r[0], datetime.fromisoformat(r[1]), *r[2:]) for r in rows]

    async def recent_questions(self, limit: int = 200) -> list[str]:
        """The latest distinct logged texts, answered or not, newest first: replayed against new knowledge to show
        what an edit changes for questions people really asked."""
        sql = "SELECT question FROM questions GROUP BY question ORDER BY MAX(id) DESC LIMIT ?"
        return [r[0] for r in await self._fetch(sql, limit)]

    async def mark_answered(self, ids: Sequence[int], pair_key: str) -> int:
        """Close these questions as answered by the curated pair ``pair_key``; returns how many were still open."""
        params = [(_now(), pair_key, i) for i in dict.fromkeys(ids)]
        if not params:
            return 0
        sql = "UPDATE questions SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL"
        count = await self._write(lambda c: c.executemany(sql, params).rowcount)
        log.info("%d question(s) marked answered by pair %s", count, pair_key)
        return count

    async def record_quiz(self, user_id: int, correct: bool) -> Streak:
        """Count one quiz answer for this user and return their streak after it."""
        user = self.user_hash(user_id)

        def write(conn: sqlite3.Connection) -> Streak:
            row = conn.execute("SELECT current, best, answered, right FROM streaks WHERE user = ?", (user,)).fetchone()
            current, best, answered, right = row or (0, 0, 0, 0)
            current = current + 1 if correct else 0
            streak = Streak(current, max(best, current), answered + 1, right + int(correct))
            conn.execute(
                "INSERT OR REPLACE INTO streaks (user, current, best, answered, right) VALUES (?, ?, ?, ?, ?)",
                (user, streak.current, streak.best, streak.answered, streak.right),
            )
            return streak

        return await self._write(write)

    async def counts(self) -> dict[str, int]:
        """Numbers for the admin summary: ``open_questions``, ``open_askers`` (distinct hashes), ``feedback_up``,
        ``feedback_down`` (current votes, a replaced vote counted once)."""
        [row] = await self._fetch(
            "SELECT (SELECT COUNT(*) FROM questions WHERE resolved_at IS NULL),"
            " (SELECT COUNT(DISTINCT asker) FROM questions WHERE resolved_at IS NULL),"
            " (SELECT COUNT(*) FROM feedback WHERE vote > 0), (SELECT COUNT(*) FROM feedback WHERE vote < 0)"
        )
        return dict(zip(("open_questions", "open_askers", "feedback_up", "feedback_down"), row, strict=True))
