"""The SQLite store: one file, the embedded default for a single study group (``STUDYBOT_DATABASE_PATH``).

One worker thread owns the connection and every call runs there, so the event loop never waits on disk and SQLite
never sees two threads. Each write is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``): a process killed mid-write
leaves it wholly in or wholly out, and SQLite's file lock serialises writers from several processes.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self, TypeVar

from bot.store.base import Kind, LoggedQuestion, StoreUnavailable, Streak, check_vote, hash_user
from bot.store.migrations import latest_version, pending
from bot.store.sqlite_usage import read_usage
from bot.store.usage import DEFAULT_DAYS, RETENTION_DAYS, Usage, Window

log = logging.getLogger(__name__)

T = TypeVar("T")


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _iso(at: datetime) -> str:
    """A time as stored: ISO 8601 in UTC, so text order is time order and its first 10 characters its UTC day."""
    return at.astimezone(UTC).isoformat()


def _statements(sql: str) -> Iterator[str]:
    """The statements of a migration file, one at a time: ``executescript`` would COMMIT the open transaction."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement
            statement = ""
    if statement.strip():
        raise RuntimeError(f"unfinished SQL statement at the end of a migration: {statement.strip()[:60]}")


class SqliteStore:
    """The open file. Create with ``await SqliteStore.open(path, key)``; close with :meth:`close` or ``async with``."""

    def __init__(self, executor: ThreadPoolExecutor, conn: sqlite3.Connection, path: Path, user_key: bytes) -> None:
        self._executor = executor
        self._conn = conn
        self._key = user_key
        self._closed = False
        self.location = str(path)

    @classmethod
    async def open(cls, path: Path, user_key: bytes) -> SqliteStore:
        """Open (creating the file and its folder) and migrate to the current schema, all on the worker thread;
        raise :class:`StoreUnavailable` if the file cannot be used (a read-only folder, a file that is no database)."""
        if not user_key:
            raise ValueError("user_key must not be empty: it is what keeps user ids out of the database")
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studybot-sqlite")
        try:
            conn = await asyncio.get_running_loop().run_in_executor(executor, cls._connect, path)
        except (OSError, sqlite3.Error) as exc:
            executor.shutdown(wait=False)
            raise StoreUnavailable(str(path), getattr(exc, "strerror", None) or str(exc)) from exc
        except BaseException:
            executor.shutdown(wait=False)
            raise
        log.info("database open: %s (SQLite, schema version %d)", path, latest_version())
        return cls(executor, conn, path, user_key)

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
            conn.execute("PRAGMA foreign_keys=ON")  # no references yet; later migrations' will hold
            conn.execute("BEGIN IMMEDIATE")  # under the write lock: two processes starting never migrate twice
            version: int = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in pending("sqlite", version, str(path)):
                for statement in _statements(step.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version={step.version}")
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
        """The user's id as stored: an HMAC, never the id."""
        return hash_user(self._key, user_id)

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
        self,
        question: str,
        source: str | None,
        user_id: int,
        kind: Kind,
        pair_key: str | None = None,
        *,
        guild_id: int | None = None,
    ) -> None:
        """Keep a question for curators (see :class:`bot.store.Store`)."""
        sql = (
            "INSERT INTO questions (at, question, source, kind, asker, pair_key, guild_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        row = (_now(), question, source, kind, self.user_hash(user_id), pair_key, guild_id)
        await self._write(lambda c: c.execute(sql, row))
        log.debug("logged a question (%s)", kind)

    async def record_feedback(
        self,
        user_id: int,
        vote: int,
        question: str,
        pair_key: str | None,
        citation: str,
        *,
        guild_id: int | None = None,
    ) -> None:
        """Record or replace a vote, and log or unlog the question as ``downvoted`` (see :class:`bot.store.Store`)."""
        check_vote(vote)
        voter, at = self.user_hash(user_id), _now()

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO feedback (voter, question, citation, pair_key, vote, at, guild_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (voter, question, citation) DO UPDATE"
                " SET vote = excluded.vote, pair_key = excluded.pair_key, at = excluded.at,"
                " guild_id = excluded.guild_id",
                (voter, question, citation, pair_key, vote, at, guild_id),
            )
            if vote < 0:
                conn.execute(
                    "INSERT INTO questions (at, question, source, kind, asker, pair_key, guild_id)"
                    " VALUES (?, ?, NULL, 'downvoted', ?, ?, ?)"
                    " ON CONFLICT (asker, question) WHERE kind = 'downvoted' DO NOTHING",
                    (at, question, voter, pair_key, guild_id),
                )
            else:
                conn.execute(
                    "DELETE FROM questions WHERE kind = 'downvoted' AND asker = ? AND question = ?"
                    " AND resolved_at IS NULL AND NOT EXISTS"
                    " (SELECT 1 FROM feedback WHERE voter = ? AND question = ? AND vote < 0)",
                    (voter, question, voter, question),
                )

        await self._write(write)

    async def open_questions(self, limit: int = 200, *, guild_id: int | None = None) -> list[LoggedQuestion]:
        """Questions no curated pair answers yet, newest first (one server's when ``guild_id`` is given)."""
        rows = await self._fetch(
            "SELECT id, at, question, source, kind, asker, pair_key FROM questions"
            " WHERE resolved_at IS NULL AND (? IS NULL OR guild_id = ?) ORDER BY id DESC LIMIT ?",
            guild_id,
            guild_id,
            limit,
        )
        return [LoggedQuestion(r[0], datetime.fromisoformat(r[1]), *r[2:]) for r in rows]

    async def recent_questions(self, limit: int = 200, *, guild_id: int | None = None) -> list[str]:
        """The latest distinct logged texts, answered or not, newest first (one server's when ``guild_id`` is given)."""
        sql = (
            "SELECT question FROM questions WHERE ? IS NULL OR guild_id = ?"
            " GROUP BY question ORDER BY MAX(id) DESC LIMIT ?"
        )
        return [r[0] for r in await self._fetch(sql, guild_id, guild_id, limit)]

    async def bind_channel(self, guild_id: int, channel_id: int, source: str) -> None:
        """Bind the channel to ``source`` (see :class:`bot.store.Store`)."""
        sql = "INSERT OR REPLACE INTO channel_bindings (guild_id, channel_id, source, bound_at) VALUES (?, ?, ?, ?)"
        row = (guild_id, channel_id, source, _now())
        await self._write(lambda c: c.execute(sql, row))

    async def unbind_channel(self, guild_id: int, channel_id: int) -> bool:
        """Remove the channel's binding; whether there was one."""
        sql = "DELETE FROM channel_bindings WHERE guild_id = ? AND channel_id = ?"
        removed: int = await self._write(lambda c: c.execute(sql, (guild_id, channel_id)).rowcount)
        return removed > 0

    async def channel_bindings(self, guild_id: int) -> dict[int, str]:
        """Every bound channel of a server, to its text."""
        rows = await self._fetch("SELECT channel_id, source FROM channel_bindings WHERE guild_id = ?", guild_id)
        return {int(channel): str(source) for channel, source in rows}

    async def mark_answered(self, ids: Sequence[int], pair_key: str) -> int:
        """Close these questions as answered by ``pair_key``; returns how many were still open."""
        params = [(_now(), pair_key, i) for i in dict.fromkeys(ids)]
        if not params:
            return 0
        sql = "UPDATE questions SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL"
        count = await self._write(lambda c: c.executemany(sql, params).rowcount)
        log.info("%d question(s) marked answered by pair %s", count, pair_key)
        return count

    async def record_quiz(self, user_id: int, correct: bool) -> Streak:
        """Count one quiz answer; the read and the write share one write-locked transaction, so none is lost."""
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
        """Numbers for the admin summary (see :class:`bot.store.Store`)."""
        [row] = await self._fetch(
            "SELECT (SELECT COUNT(*) FROM questions WHERE resolved_at IS NULL),"
            " (SELECT COUNT(DISTINCT asker) FROM questions WHERE resolved_at IS NULL),"
            " (SELECT COUNT(*) FROM feedback WHERE vote > 0), (SELECT COUNT(*) FROM feedback WHERE vote < 0)"
        )
        return dict(zip(("open_questions", "open_askers", "feedback_up", "feedback_down"), row, strict=True))

    async def record_ask(
        self, user_id: int, guild_id: int | None, source: str | None, answered: bool, at: datetime
    ) -> None:
        """Count one question for the usage figures, and drop the counts older than the retention in the same
        transaction (see :class:`bot.store.Store`)."""
        row = (_iso(at), guild_id, source, int(answered), self.user_hash(user_id))
        expired = (_iso(at - timedelta(days=RETENTION_DAYS)),)

        def write(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO asks (at, guild_id, source, answered, asker) VALUES (?, ?, ?, ?, ?)", row)
            conn.execute("DELETE FROM asks WHERE at < ?", expired)

        await self._write(write)

    async def usage(self, guild_id: int | None, days: int = DEFAULT_DAYS, *, now: datetime | None = None) -> Usage:
        """The usage figures of one server, or of all (``None``), over the last ``days`` UTC days."""
        window = Window.ending(days, now)
        return await self._run(lambda conn: read_usage(conn, guild_id, window))

    async def beat(self, instance: str) -> None:
        """Record that ``instance`` is alive now (see :class:`bot.store.Store`)."""
        sql = "INSERT OR REPLACE INTO heartbeats (instance, beat_at) VALUES (?, ?)"
        row = (instance, _now())
        await self._write(lambda c: c.execute(sql, row))

    async def heartbeat_age(self, instance: str) -> float | None:
        """Seconds since ``instance`` last beat, or None (the bot and ``studybot health`` share one machine's clock)."""
        found = await self._fetch("SELECT beat_at FROM heartbeats WHERE instance = ?", instance)
        return (datetime.now(UTC) - datetime.fromisoformat(found[0][0])).total_seconds() if found else None

    async def forget_heartbeat(self, instance: str) -> None:
        """Remove ``instance``'s beat."""
        await self._write(lambda c: c.execute("DELETE FROM heartbeats WHERE instance = ?", (instance,)))
