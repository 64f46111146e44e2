"""bot/store/postgres.py: what only the PostgreSQL store does — its version table, a password kept out of every
message, and a server that cannot be used reported as such."""

from __future__ import annotations

import socket

import pytest
from store_suite import KEY, rows

from bot.store import StoreUnavailable, latest_version
from bot.store.postgres import PostgresStore, redact


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://bot:s3cret@db:5432/studybot", "postgresql://bot:***@db:5432/studybot"),
        ("postgres://bot:p%40ss@db/studybot?sslmode=require", "postgres://bot:***@db/studybot?sslmode=require"),
        ("postgresql://bot@db/studybot", "postgresql://bot@db/studybot"),
        ("postgresql://postgres@/test?host=/tmp/x", "postgresql://postgres@/test?host=/tmp/x"),
    ],
)
def test_redact_hides_only_the_password(url: str, shown: str) -> None:
    assert redact(url) == shown


@pytest.mark.asyncio
async def test_each_applied_step_is_a_row_of_schema_version(postgres_url: str) -> None:
    async with await PostgresStore.open(postgres_url, KEY) as store:
        assert store.location == postgres_url

    applied = await rows(postgres_url, "SELECT version FROM schema_version ORDER BY version")
    assert applied == [(version,) for version in range(1, latest_version() + 1)]


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.asyncio
async def test_no_server_is_store_unavailable_without_the_password() -> None:
    port = unused_port()

    with pytest.raises(StoreUnavailable) as refused:
        await PostgresStore.open(f"postgresql://bot:s3cret@127.0.0.1:{port}/studybot", KEY)

    assert refused.value.location == f"postgresql://bot:***@127.0.0.1:{port}/studybot"
    assert "s3cret" not in str(refused.value)
    assert "connect call failed" in refused.value.reason.lower()


@pytest.mark.asyncio
async def test_a_missing_database_is_store_unavailable(postgres_url: str) -> None:
    missing = postgres_url.replace("/test_", "/no_such_database_", 1)

    with pytest.raises(StoreUnavailable, match='database "no_such_database_'):
        await PostgresStore.open(missing, KEY)


@pytest.mark.asyncio
async def test_a_malformed_url_is_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable, match="notaport"):
        await PostgresStore.open("postgresql://bot:s3cret@db:notaport/studybot", KEY)
