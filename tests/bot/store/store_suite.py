"""What the store tests share besides fixtures: the key they hash with, and a way to read the database directly."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bot.store import is_postgres

KEY = b"test key"


async def rows(database: str, sql: str) -> list[tuple[Any, ...]]:
    """``sql`` (no parameters) run outside the store under test, as another process (an admin's shell) would."""
    if is_postgres(database):
        conn = await asyncpg.connect(database)
        try:
            return [tuple(record) for record in await conn.fetch(sql)]
        finally:
            await conn.close()
    with closing(sqlite3.connect(database, isolation_level=None)) as conn:
        return conn.execute(sql).fetchall()


async def age_heartbeats(database: str, seconds: float) -> None:
    """Make every stored heartbeat ``seconds`` old, as if the bot had stopped beating then."""
    if is_postgres(database):
        await rows(database, f"UPDATE heartbeats SET beat_at = now() - interval '{seconds} seconds'")
    else:
        then = (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat()
        await rows(database, f"UPDATE heartbeats SET beat_at = '{then}'")
