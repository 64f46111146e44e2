"""pytest fixtures and helpers that run a real discord.py client against ``FakeDiscord``.

Register in ``tests/conftest.py`` with ``pytest_plugins = ["tests.fake_discord.fixtures"]`` (or import the
fixtures by name).  pytest-asyncio runs in strict mode, hence ``pytest_asyncio.fixture``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any, Protocol, TypeVar

import discord
import pytest_asyncio
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


class BotStarter(Protocol):
    """Type of the ``start_bot`` fixture: returns the same (now ready) client it was given."""

    async def __call__(self, client: ClientT, **kwargs: Any) -> ClientT: ...


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and gateway URL at ``fake``; restore the real ones afterwards.

    ``Route.BASE`` is a class attribute read each time a ``Route`` is built (webhooks and interaction
    callbacks use the same ``Route``), so it has to stay patched until the client is closed.
    """
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    client: ClientT,
    *,
    token: str | None = None,
    ready_timeout: float = 5.0,
    guild_ready_timeout: float | None = 0.05,
    reconnect: bool = True,
) -> AsyncIterator[ClientT]:
    """Log ``client`` in against ``fake``, connect, wait for ``on_ready``; close it (cleanly) on exit.

    ``guild_ready_timeout`` (seconds discord.py waits after the last GUILD_CREATE before ``on_ready``,
    default 2 s) is lowered so tests start fast; pass ``None`` to keep the client's own value.
    Setup errors (bad token, crash in ``setup_hook``, gateway refusal) are raised here, not swallowed.
    """
    with pointed_at(fake):
        if guild_ready_timeout is not None:
            client._connection.guild_ready_timeout = guild_ready_timeout
        connect: asyncio.Task[None] | None = None
        try:
            await client.login(token or fake.token)
            connect = asyncio.create_task(client.connect(reconnect=reconnect), name="fake-discord-connect")
            await _wait_ready(client, connect, ready_timeout)
            yield client
        finally:
            await client.close()
            if connect is not None:
                await _finish(connect)


async def _wait_ready(client: discord.Client, connect: asyncio.Task[None], limit: float) -> None:
    ready = asyncio.create_task(client.wait_until_ready())
    done, _ = await asyncio.wait({ready, connect}, timeout=limit, return_when=asyncio.FIRST_COMPLETED)
    if ready in done:
        return
    ready.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await ready
    if connect in done:
        connect.result()  # re-raise why the connection ended
        raise RuntimeError("client.connect() returned before the client became ready")
    raise TimeoutError(f"discord client not ready after {limit}s")


async def _finish(connect: asyncio.Task[None]) -> None:
    """Let ``connect`` end after ``close()``; a stuck task is cancelled rather than leaked."""
    try:
        await asyncio.wait_for(asyncio.shield(connect), timeout=2.0)
    except TimeoutError:
        connect.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await connect


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started ``FakeDiscord`` on 127.0.0.1 with a random port; closed after the test."""
    async with FakeDiscord() as fake:
        yield fake


@pytest_asyncio.fixture
async def start_bot(fake_discord: FakeDiscord) -> AsyncIterator[BotStarter]:
    """Factory: ``bot = await start_bot(bot, **running_bot_kwargs)`` runs it until the test ends.

    Bots are closed before ``fake_discord`` shuts down (fixture order), so no warnings about unclosed
    sessions or sockets reach pytest's ``filterwarnings = error``.
    """
    async with contextlib.AsyncExitStack() as stack:

        async def start(client: ClientT, **kwargs: Any) -> ClientT:
            return await stack.enter_async_context(running_bot(fake_discord, client, **kwargs))

        yield start
