"""The usage figures' SQL for PostgreSQL: times are ``timestamptz``, bucketed into days at UTC whatever the
server's or the session's time zone."""

from __future__ import annotations

import asyncpg

from bot.store.usage import UNANSWERED_ROWS, Usage, Window, assemble_usage

# One statement for one server and for all of them ($3 NULL).
_IN_SCOPE = "at >= $1 AND at < $2 AND ($3::bigint IS NULL OR guild_id = $3)"


async def read_usage(pool: asyncpg.Pool, guild_id: int | None, window: Window) -> Usage:
    """Every figure from one snapshot: a read-only transaction at REPEATABLE READ."""
    scope = (window.since, window.until, guild_id)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        days = await conn.fetch(
            f"SELECT (at AT TIME ZONE 'UTC')::date, answered, count(*) FROM asks WHERE {_IN_SCOPE} GROUP BY 1, 2",
            *scope,
        )
        texts = await conn.fetch(
            f"SELECT source, count(*), count(*) FILTER (WHERE answered) FROM asks WHERE {_IN_SCOPE} GROUP BY source",
            *scope,
        )
        votes = await conn.fetch(
            "SELECT citation, count(*) FILTER (WHERE vote > 0), count(*) FILTER (WHERE vote < 0) FROM feedback"
            f" WHERE {_IN_SCOPE} GROUP BY citation",
            *scope,
        )
        unanswered = await conn.fetch(
            "SELECT question, asker, count(*) FROM questions WHERE kind = 'unanswered' AND resolved_at IS NULL"
            f" AND {_IN_SCOPE} GROUP BY question, asker ORDER BY count(*) DESC LIMIT $4",
            *scope,
            UNANSWERED_ROWS,
        )
        askers = await conn.fetchval(f"SELECT count(DISTINCT asker) FROM asks WHERE {_IN_SCOPE}", *scope)
    return assemble_usage(
        guild_id,
        window,
        day_rows=[(day, answered, number) for day, answered, number in days],
        text_rows=[(source, asked, answered) for source, asked, answered in texts],
        vote_rows=[(cited, up, down) for cited, up, down in votes],
        unanswered_rows=[(question, asker, number) for question, asker, number in unanswered],
        askers=askers,
    )
