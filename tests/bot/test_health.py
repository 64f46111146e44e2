"""bot/health.py: the heartbeat a running bot writes, and ``studybot health`` as a container's health check runs it:
0 while the beat is fresh, 1 once it is a minute old or absent. (``studybot run`` and ``health`` together, as the image
runs them: tests/bot/test_deployment.py.)"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fake_discord import FakeDiscord, running_bot
from studybot_harness import clean_environment, eventually, settings_for, studybot_command

from bot import health
from bot.app import create_bot
from bot.store import open_store

KEY = b"test key"


def studybot_health(cwd: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """``studybot health`` in ``cwd`` with only ``settings``, as the container's health check runs it."""
    return subprocess.run(
        studybot_command("health"),
        cwd=cwd,
        env=clean_environment(**settings),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


async def beat(database: str, instance: str, age: float = 0.0) -> None:
    """Write ``instance``'s heartbeat into ``database`` as if the bot had beaten ``age`` seconds ago."""
    async with await open_store(database, KEY) as store:
        await store.beat(instance)
    if age:
        then = (datetime.now(UTC) - timedelta(seconds=age)).isoformat()
        with closing(sqlite3.connect(database)) as conn, conn:
            conn.execute("UPDATE heartbeats SET beat_at = ? WHERE instance = ?", (then, instance))


async def heartbeat_age(database: str, instance: str = "all shards") -> float | None:
    async with await open_store(database, KEY) as store:
        return await store.heartbeat_age(instance)


def test_no_database_or_no_beat_is_unhealthy(tmp_path: Path) -> None:
    missing = studybot_health(tmp_path)
    asyncio.run(beat(str(tmp_path / "studybot.sqlite3"), "shard 0 of 2"))
    none_of_ours = studybot_health(tmp_path)

    assert (missing.returncode, missing.stdout) == (
        1,
        "unhealthy: no heartbeat from all shards: studybot.sqlite3 does not exist\n",
    )
    assert (none_of_ours.returncode, none_of_ours.stdout) == (
        1,
        "unhealthy: no heartbeat from all shards in studybot.sqlite3 (not running, or stopped)\n",
    )


@pytest.mark.parametrize(
    ("age", "code", "said"),
    [
        (0, 0, r"healthy: shard 1 of 2 beat [0-5] s ago"),
        (55, 0, r"healthy: shard 1 of 2 beat 5[5-9] s ago"),
        (61, 1, r"unhealthy: the last heartbeat from shard 1 of 2 is 6[1-6] s old \(more than 60 s\)"),
    ],
)
def test_health_reads_the_age_of_its_own_shards_beat(tmp_path: Path, age: float, code: int, said: str) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    asyncio.run(beat(str(database), "shard 1 of 2", age))

    checked = studybot_health(tmp_path, database_path=str(database), shard_count="2", shard_ids="1")

    assert checked.returncode == code
    assert re.fullmatch(said, checked.stdout.strip()), checked.stdout


def test_health_reads_postgresql_by_its_clock(tmp_path: Path, postgres_url: str) -> None:
    asyncio.run(beat(postgres_url, "all shards"))

    checked = studybot_health(tmp_path, database_url=postgres_url)

    assert checked.returncode == 0
    assert re.fullmatch(r"healthy: all shards beat [0-5] s ago\n", checked.stdout)


@pytest.mark.asyncio
async def test_the_bot_beats_while_connected_and_removes_its_beat_when_it_stops(
    fake_discord: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "HEARTBEAT_SECONDS", 0.05)
    database = str(tmp_path / "studybot.sqlite3")
    bot = create_bot(settings_for(fake_discord, Path(database)))

    async with running_bot(fake_discord, bot):
        await eventually(lambda: heartbeat_age(database))

        async def beaten_again() -> bool | None:
            age = await heartbeat_age(database)
            return True if age is not None and age < 0.04 else None

        await asyncio.sleep(0.04)
        await eventually(beaten_again)  # a newer beat replaced the first

    assert await heartbeat_age(database) is None
