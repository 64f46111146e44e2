"""The study features' store: :func:`open_store` picks the backend from ``STUDYBOT_DATABASE_URL``.

A SQLite path (the default, one file beside the bot) or a ``postgresql://`` URL (one server for several bot
processes); both keep the same tables (:mod:`bot.store.migrations`) behind one :class:`Store` protocol.
"""

from __future__ import annotations

from pathlib import Path

from bot.store.base import (
    READ_ONLY_KEY,
    Kind,
    LoggedQuestion,
    Store,
    StoreUnavailable,
    Streak,
    derive_user_key,
)
from bot.store.migrations import SchemaTooNew, latest_version
from bot.store.usage import DEFAULT_DAYS, RETENTION_DAYS, DayCount, TextUsage, UnansweredQuestion, Usage, Window

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

__all__ = [
    "DEFAULT_DAYS",
    "POSTGRES_SCHEMES",
    "READ_ONLY_KEY",
    "RETENTION_DAYS",
    "DayCount",
    "Kind",
    "LoggedQuestion",
    "SchemaTooNew",
    "Store",
    "StoreUnavailable",
    "Streak",
    "TextUsage",
    "UnansweredQuestion",
    "Usage",
    "Window",
    "derive_user_key",
    "is_postgres",
    "latest_version",
    "open_store",
]


def is_postgres(location: str) -> bool:
    """Whether ``location`` names a PostgreSQL server rather than a SQLite file."""
    return location.startswith(POSTGRES_SCHEMES)


async def open_store(location: str, user_key: bytes) -> Store:
    """Open and migrate the store at ``location``.

    Raises :class:`StoreUnavailable` when it cannot be used (the bot then runs without it) and
    :class:`SchemaTooNew` when a newer studybot wrote it (the bot then refuses to start).
    """
    if is_postgres(location):
        from bot.store.postgres import PostgresStore  # asyncpg only for those who use it

        return await PostgresStore.open(location, user_key)
    from bot.store.sqlite import SqliteStore

    return await SqliteStore.open(Path(location), user_key)
