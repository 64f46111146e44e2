"""The heartbeat: the running bot writes it to its store; ``studybot health`` reads it, for a container's health check.

A beat is written every :data:`HEARTBEAT_SECONDS` while every shard of the process is connected, under the name of
the shards it runs (``Settings.shards_served``), so processes sharing one PostgreSQL each have their own. A bot that
stops cleanly removes its beat, so ``studybot health`` fails at once; a killed or hung one fails once its last beat
is older than :data:`STALE_AFTER`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from bot.settings import Settings
from bot.store import READ_ONLY_KEY, SchemaTooNew, Store, StoreUnavailable, is_postgres, open_store

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
"""How often a connected bot beats (at most 20 s, so that two missed beats still leave it healthy)."""
OFFLINE_POLL_SECONDS = 1.0
"""How soon a bot that is not (or no longer) connected looks again, so its first beat follows its connection."""
STALE_AFTER = 60.0
"""A beat older than this means the bot is down or hung."""
EXIT_HEALTHY = 0
EXIT_UNHEALTHY = 1


class Heartbeat:
    """Beats for ``instance`` in ``store`` while ``online()`` is true, from :meth:`start` until :meth:`stop`."""

    def __init__(self, store: Store, instance: str, online: Callable[[], bool]) -> None:
        self._store = store
        self._instance = instance
        self._online = online
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="studybot-heartbeat")

    async def _run(self) -> None:
        while True:
            online = self._online()
            if online:
                try:
                    await self._store.beat(self._instance)
                except Exception as exc:  # a database hiccup must not end the beating: the next beat may succeed
                    log.warning("could not write the heartbeat: %s", exc)
            await asyncio.sleep(HEARTBEAT_SECONDS if online else OFFLINE_POLL_SECONDS)

    async def stop(self) -> None:
        """Stop beating and remove the beat (a stopped bot is not healthy)."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        try:
            await self._store.forget_heartbeat(self._instance)
        except Exception as exc:
            log.warning("could not remove the heartbeat: %s", exc)


def run_health(settings: Settings) -> int:
    """``studybot health``: one line saying how old this process's beat is; exit 0 if fresh, 1 if stale or absent."""
    served, database = settings.shards_served, settings.database
    if not is_postgres(database) and not Path(database).exists():
        print(f"unhealthy: no heartbeat from {served}: {database} does not exist")
        return EXIT_UNHEALTHY
    try:
        age, location = asyncio.run(_heartbeat_age(database, served))
    except (StoreUnavailable, SchemaTooNew) as exc:
        print(f"unhealthy: {exc}")
        return EXIT_UNHEALTHY
    if age is None:
        print(f"unhealthy: no heartbeat from {served} in {location} (not running, or stopped)")
        return EXIT_UNHEALTHY
    if age > STALE_AFTER:
        print(f"unhealthy: the last heartbeat from {served} is {age:.0f} s old (more than {STALE_AFTER:.0f} s)")
        return EXIT_UNHEALTHY
    print(f"healthy: {served} beat {age:.0f} s ago")
    return EXIT_HEALTHY


async def _heartbeat_age(database: str, instance: str) -> tuple[float | None, str]:
    async with await open_store(database, READ_ONLY_KEY) as store:
        return await store.heartbeat_age(instance), store.location
