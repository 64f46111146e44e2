"""The PostgreSQL store (``STUDYBOT_DATABASE_URL=postgresql://…``): one database for several bot processes.

asyncpg's idioms throughout: one connection pool per process, ``async with conn.transaction()`` around each write.
Writers in other processes are made exact by the statements themselves, not by luck: a quiz answer is one atomic
upsert (two processes adding to one streak both count), one user's votes on one question take a transaction-scoped
advisory lock, and migrations run under another, so processes starting together never migrate twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Self
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.store.base import Kind, LoggedQuestion, StoreUnavailable, Streak, check_vote, hash_user
from bot.store.migrations import latest_version, pending
from bot.store.postgres_usage import read_usage
from bot.store.usage import DEFAULT_DAYS, RETENTION_DAYS, Usage, Window

log = logging.getLogger(__name__)

POOL_SIZE = 5
"""Connections per process: writes are a few a second at most, and each is one short transaction."""
CONNECT_TIMEOUT = 10.0
MIGRATION_LOCK = 0x5354_5544_5942_4F54  # "STUDYBOT": the advisory lock key every studybot process migrates under
_FAILURES = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


def redact(url: str) -> str:
    """The URL without its password, to show in logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


class PostgresStore:
    """An open pool. Create with ``await PostgresStore.open(url, key)``; close with :meth:`close` or ``async with``."""

    def __init__(self, pool: asyncpg.Pool, location: str, user_key: bytes) -> None:
        self._pool = pool
        self._key = user_key
        self._closed = False
        self.location = location

    @classmethod
    async def open(cls, url: str, user_key: bytes) -> PostgresStore:
        """Connect and migrate to the current schema; raise :class:`StoreUnavailable` if the server cannot be used."""
        if not user_key:
            raise ValueError("user_key must not be empty: it is what keeps user ids out of the database")
        location = redact(url)
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=POOL_SIZE, timeout=CONNECT_TIMEOUT)
        except (*_FAILURES, ValueError) as exc:  # ValueError: a URL asyncpg cannot parse
            raise StoreUnavailable(location, str(exc) or type(exc).__name__) from exc
        try:
            await cls._migrate(pool, location)
        except BaseException:
            await pool.close()
            raise
        log.info("database open: %s (PostgreSQL, schema version %d)", location, latest_version())
        return cls(pool, location, user_key)

    @staticmethod
    async def _migrate(pool: asyncpg.Pool, location: str) -> None:
        """Apply the missing steps, each in the same transaction as its version row."""
        try:
            async with pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version"
                    " (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
                )
                current = await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_version")
                for step in pending("postgresql", current, location):
                    await conn.execute(step.sql)
                    await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", step.version)
        except _FAILURES as exc:
            raise StoreUnavailable(location, str(exc) or type(exc).__name__) from exc

    async def close(self) -> None:
        """Wait for the transactions under way, then close the pool; later calls raise. Closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        await self._pool.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def user_hash(self, user_id: int) -> str:
        """The user's id as stored: an HMAC, never the id."""
        return hash_user(self._key, user_id)

    def _pool_or_raise(self) -> asyncpg.Pool:
        if self._closed:
            raise RuntimeError("storage is closed")
        return self._pool

    async def _fetch(self, sql: str, *params: object) -> list[Any]:
        return list(await self._pool_or_raise().fetch(sql, *params))

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
        await self._pool_or_raise().execute(
            "INSERT INTO questions (at, question, source, kind, asker, pair_key, guild_id)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            datetime.now(UTC), question, source, kind, self.user_hash(user_id), pair_key, guild_id,
        )  # fmt: skip
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
        """Record or replace a vote, and log or unlog the question as ``downvoted`` (see :class:`bot.store.Store`).

        The advisory lock serialises one user's votes on one question: a 👍 decides whether to unlog the question
        by reading their other votes on it, which a 👎 committing alongside would otherwise slip past.
        """
        check_vote(vote)
        voter, at = self.user_hash(user_id), datetime.now(UTC)
        async with self._pool_or_raise().acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"{voter}\n{question}")
            await conn.execute(
                "INSERT INTO feedback (voter, question, citation, pair_key, vote, at, guild_id)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (voter, md5(question), citation) DO UPDATE"
                " SET vote = excluded.vote, pair_key = excluded.pair_key, at = excluded.at,"
                " guild_id = excluded.guild_id",
                voter, question, citation, pair_key, vote, at, guild_id,
            )  # fmt: skip
            if vote < 0:
                await conn.execute(
                    "INSERT INTO questions (at, question, source, kind, asker, pair_key, guild_id)"
                    " VALUES ($1, $2, NULL, 'downvoted', $3, $4, $5)"
                    " ON CONFLICT (asker, md5(question)) WHERE kind = 'downvoted' DO NOTHING",
                    at, question, voter, pair_key, guild_id,
                )  # fmt: skip
            else:
                await conn.execute(
                    "DELETE FROM questions WHERE kind = 'downvoted' AND asker = $1 AND question = $2"
                    " AND resolved_at IS NULL AND NOT EXISTS"
                    " (SELECT 1 FROM feedback WHERE voter = $1 AND question = $2 AND vote < 0)",
                    voter, question,
                )  # fmt: skip

    async def open_questions(self, limit: int = 200, *, guild_id: int | None = None) -> list[LoggedQuestion]:
        """Questions no curated pair answers yet, newest first (one server's when ``guild_id`` is given)."""
        rows = await self._fetch(
            "SELECT id, at, question, source, kind, asker, pair_key FROM questions"
            " WHERE resolved_at IS NULL AND ($2::bigint IS NULL OR guild_id = $2) ORDER BY id DESC LIMIT $1",
            limit,
            guild_id,
        )
        return [LoggedQuestion(*row) for row in rows]

    async def recent_questions(self, limit: int = 200, *, guild_id: int | None = None) -> list[str]:
        """The latest distinct logged texts, answered or not, newest first (one server's when ``guild_id`` is given)."""
        sql = (
            "SELECT question FROM questions WHERE $2::bigint IS NULL OR guild_id = $2"
            " GROUP BY question ORDER BY max(id) DESC LIMIT $1"
        )
        return [row[0] for row in await self._fetch(sql, limit, guild_id)]

    async def bind_channel(self, guild_id: int, channel_id: int, source: str) -> None:
        """Bind the channel to ``source`` (see :class:`bot.store.Store`)."""
        await self._pool_or_raise().execute(
            "INSERT INTO channel_bindings (guild_id, channel_id, source, bound_at) VALUES ($1, $2, $3, now())"
            " ON CONFLICT (guild_id, channel_id) DO UPDATE SET source = excluded.source, bound_at = excluded.bound_at",
            guild_id, channel_id, source,
        )  # fmt: skip

    async def unbind_channel(self, guild_id: int, channel_id: int) -> bool:
        """Remove the channel's binding; whether there was one."""
        sql = "DELETE FROM channel_bindings WHERE guild_id = $1 AND channel_id = $2 RETURNING channel_id"
        return bool(await self._fetch(sql, guild_id, channel_id))

    async def channel_bindings(self, guild_id: int) -> dict[int, str]:
        """Every bound channel of a server, to its text."""
        rows = await self._fetch("SELECT channel_id, source FROM channel_bindings WHERE guild_id = $1", guild_id)
        return {int(channel): str(source) for channel, source in rows}

    async def mark_answered(self, ids: Sequence[int], pair_key: str) -> int:
        """Close these questions as answered by ``pair_key``; returns how many were still open (row locks make two
        processes closing the same question count it once)."""
        if not ids:
            return 0
        closed = await self._fetch(
            "UPDATE questions SET resolved_at = $1, resolved_by = $2"
            " WHERE id = ANY($3::bigint[]) AND resolved_at IS NULL RETURNING id",
            datetime.now(UTC), pair_key, list(dict.fromkeys(ids)),
        )  # fmt: skip
        log.info("%d question(s) marked answered by pair %s", len(closed), pair_key)
        return len(closed)

    async def record_quiz(self, user_id: int, correct: bool) -> Streak:
        """Count one quiz answer in one upsert: the row lock it takes makes concurrent answers add up exactly."""
        row = await self._pool_or_raise().fetchrow(
            'INSERT INTO streaks AS s ("user", current, best, answered, "right") VALUES ($1, $2, $2, 1, $2)'
            " ON CONFLICT (\"user\") DO UPDATE SET"
            " current = CASE WHEN $3 THEN s.current + 1 ELSE 0 END,"
            " best = greatest(s.best, CASE WHEN $3 THEN s.current + 1 ELSE 0 END),"
            ' answered = s.answered + 1, "right" = s."right" + $2'
            ' RETURNING current, best, answered, "right"',
            self.user_hash(user_id), int(correct), correct,
        )  # fmt: skip
        assert row is not None  # an upsert always returns its row
        return Streak(*row)

    async def counts(self) -> dict[str, int]:
        """Numbers for the admin summary (see :class:`bot.store.Store`)."""
        [row] = await self._fetch(
            "SELECT (SELECT count(*) FROM questions WHERE resolved_at IS NULL),"
            " (SELECT count(DISTINCT asker) FROM questions WHERE resolved_at IS NULL),"
            " (SELECT count(*) FROM feedback WHERE vote > 0), (SELECT count(*) FROM feedback WHERE vote < 0)"
        )
        return dict(zip(("open_questions", "open_askers", "feedback_up", "feedback_down"), row, strict=True))

    async def record_ask(
        self, user_id: int, guild_id: int | None, source: str | None, answered: bool, at: datetime
    ) -> None:
        """Count one question for the usage figures, and drop the counts older than the retention in the same
        transaction (see :class:`bot.store.Store`)."""
        async with self._pool_or_raise().acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO asks (at, guild_id, source, answered, asker) VALUES ($1, $2, $3, $4, $5)",
                at, guild_id, source, answered, self.user_hash(user_id),
            )  # fmt: skip
            await conn.execute("DELETE FROM asks WHERE at < $1", at - timedelta(days=RETENTION_DAYS))

    async def usage(self, guild_id: int | None, days: int = DEFAULT_DAYS, *, now: datetime | None = None) -> Usage:
        """The usage figures of one server, or of all (``None``), over the last ``days`` UTC days."""
        window = Window.ending(days, now)
        return await read_usage(self._pool_or_raise(), guild_id, window)

    async def beat(self, instance: str) -> None:
        """Record that ``instance`` is alive now, by the server's clock (see :meth:`heartbeat_age`)."""
        await self._pool_or_raise().execute(
            "INSERT INTO heartbeats (instance, beat_at) VALUES ($1, now())"
            " ON CONFLICT (instance) DO UPDATE SET beat_at = now()",
            instance,
        )

    async def heartbeat_age(self, instance: str) -> float | None:
        """Seconds since ``instance`` last beat, or None; measured by the server's clock alone, so a health check in
        another container sees no skew between its clock and the bot's."""
        sql = "SELECT extract(epoch FROM now() - beat_at)::float8 FROM heartbeats WHERE instance = $1"
        age: float | None = await self._pool_or_raise().fetchval(sql, instance)
        return age

    async def forget_heartbeat(self, instance: str) -> None:
        """Remove ``instance``'s beat."""
        await self._pool_or_raise().execute("DELETE FROM heartbeats WHERE instance = $1", instance)
