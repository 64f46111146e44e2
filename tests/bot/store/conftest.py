"""The store suite runs once per backend: ``database`` is a SQLite path or a PostgreSQL URL, ``store`` is open on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from store_suite import KEY

from bot.store import Store, open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the store under test lives: a fresh SQLite file, or a fresh database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "study.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


@pytest_asyncio.fixture
async def store(database: str) -> AsyncIterator[Store]:
    async with await open_store(database, KEY) as opened:
        yield opened
