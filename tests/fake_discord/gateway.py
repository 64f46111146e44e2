"""The fake gateway websocket: HELLO, heartbeat ACKs, IDENTIFY -> READY + GUILD_CREATE, RESUME, dispatches.

Sharded as Discord is: IDENTIFY's ``shard: [id, count]`` (``[0, 1]`` when absent) picks the session's guilds, a guild
belongs to shard ``(guild_id >> 22) % count``, and an event about a guild goes only to the sessions of its shard
(events without a guild, DMs, to shard 0).

discord.py asks for ``?v=10&encoding=json&compress=zlib-stream`` (``zstd-stream`` on Python 3.14+), but it only
decompresses *binary* frames: text frames are parsed as plain JSON.  So the fake ignores ``compress`` and
sends every payload as an uncompressed text frame, which works with either transport setting.
"""

# Waiting helpers take ``timeout=`` on purpose: tests read better than wrapping each call in asyncio.timeout.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .payloads import JSON
from .world import FakeWorld, shard_of

HELLO, HEARTBEAT, IDENTIFY, PRESENCE, RESUME, RECONNECT, REQUEST_MEMBERS, INVALID_SESSION = 10, 1, 2, 3, 6, 7, 8, 9
HEARTBEAT_ACK, DISPATCH = 11, 0


@dataclass
class GatewaySession:
    """One websocket connection; ``session_id`` is set once it identified or resumed."""

    ws: web.WebSocketResponse
    query: dict[str, str]
    session_id: str | None = None
    shard: tuple[int, int] = (0, 1)
    """``(shard_id, shard_count)`` from IDENTIFY."""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def receives(self, guild_id: str | None) -> bool:
        """Whether Discord would send this session an event about ``guild_id`` (``None``: a DM, shard 0's)."""
        shard_id, count = self.shard
        return shard_id == (0 if guild_id is None else shard_of(guild_id, count))


def guild_of_event(event: str, data: JSON) -> str | None:
    """The guild an event is about: its ``guild_id``, or for ``GUILD_*`` events about the guild itself, its ``id``."""
    if event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"):
        return str(data["id"])
    guild_id = data.get("guild_id")
    return None if guild_id is None else str(guild_id)


class FakeGateway:
    """Accepts discord.py gateway connections and lets tests push events to them."""

    def __init__(self, world: FakeWorld, token: str, resume_url: Any, heartbeat_interval_ms: int = 41_250) -> None:
        self.world = world
        self.token = token
        self.resume_url = resume_url
        """Zero-argument callable returning the ws URL put in READY's ``resume_gateway_url``."""
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: list[GatewaySession] = []
        self.sessions_by_id: dict[str, GatewaySession] = {}
        """Every session that identified, by session id (kept after it closes, for RESUME)."""
        self.sequences: dict[str, int] = {}
        """Last sequence number per session id (kept across reconnects so RESUME can continue it)."""
        self.received: list[JSON] = []
        """Every payload the client sent (heartbeats, IDENTIFY, RESUME, presence updates, ...)."""
        self.connect_queries: list[dict[str, str]] = []
        """The query string of each connection (``v``, ``encoding``, ``compress``)."""
        self.ready_count = 0
        self._changed = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    # ----------------------------------------------------------------- connection handling

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """aiohttp websocket handler for ``/gateway``."""
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        session = GatewaySession(ws=ws, query=dict(request.query))
        self.connect_queries.append(session.query)
        self.sessions.append(session)
        try:
            await self._send(session, {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_payload(session, json.loads(msg.data))
        finally:
            self.sessions.remove(session)
            self._notify()
        return ws

    async def _on_payload(self, session: GatewaySession, payload: JSON) -> None:
        self.received.append(payload)
        self._notify()
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            await self._send(session, {"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(session, data or {})
        elif op == RESUME:
            await self._resume(session, data or {})
        elif op == REQUEST_MEMBERS:
            guild_id = str((data or {}).get("guild_id") or self.world.guild_id)
            members = self.world.guild_payload(guild_id)["members"]
            chunk = {"guild_id": guild_id, "members": members, "chunk_index": 0, "chunk_count": 1}
            nonce = (data or {}).get("nonce")
            if nonce:
                chunk["nonce"] = nonce
            await self._dispatch_to(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def _identify(self, session: GatewaySession, data: JSON) -> None:
        if data.get("token") != self.token:
            await session.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard_id, count = data.get("shard") or (0, 1)
        if not 0 <= shard_id < count:
            await session.ws.close(code=4010, message=b"Invalid shard.")
            return
        session.shard = (shard_id, count)
        session.session_id = self.world.new_id()
        self.sessions_by_id[session.session_id] = session
        self.sequences[session.session_id] = 0
        ready = self.world.ready_payload(session.session_id, self.resume_url(), session.shard)
        await self._dispatch_to(session, "READY", ready)
        for guild_id in self.world.guilds_of_shard(session.shard):
            await self._dispatch_to(session, "GUILD_CREATE", self.world.guild_payload(guild_id))
        self.ready_count += 1
        self._notify()

    async def _resume(self, session: GatewaySession, data: JSON) -> None:
        sid = data.get("session_id")
        if data.get("token") != self.token or sid not in self.sequences:
            await self._send(session, {"op": INVALID_SESSION, "d": False})
            return
        session.session_id = sid
        session.shard = self.sessions_by_id[sid].shard
        await self._dispatch_to(session, "RESUMED", {})
        self._notify()

    # ----------------------------------------------------------------- sending

    async def _send(self, session: GatewaySession, payload: JSON) -> None:
        async with session.lock:
            if not session.ws.closed:
                await session.ws.send_str(json.dumps(payload))

    async def _dispatch_to(self, session: GatewaySession, event: str, data: JSON) -> None:
        assert session.session_id is not None
        self.sequences[session.session_id] += 1
        seq = self.sequences[session.session_id]
        await self._send(session, {"op": DISPATCH, "t": event, "s": seq, "d": data})

    def _live(self, guild_id: str | None = None, *, any_shard: bool = True) -> list[GatewaySession]:
        live = [s for s in self.sessions if s.session_id is not None and not s.ws.closed]
        return live if any_shard else [s for s in live if s.receives(guild_id)]

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_connected(
        self, timeout: float = 2.0, *, guild_id: str | None = None, any_shard: bool = True
    ) -> None:
        """Wait until a client has identified (or resumed) on an open connection; with ``any_shard=False``, on the
        shard of ``guild_id`` (``None``: shard 0, where DMs go)."""
        async with asyncio.timeout(timeout):
            while not self._live(guild_id, any_shard=any_shard):
                await self._changed.wait()

    async def wait_for_op(self, op: int, *, count: int = 1, timeout: float = 2.0) -> list[JSON]:
        """Wait until the client sent ``count`` payloads with opcode ``op``; returns them."""
        async with asyncio.timeout(timeout):
            while len(found := [r for r in self.received if r.get("op") == op]) < count:
                await self._changed.wait()
        return found[:count]

    async def dispatch(self, event: str, data: JSON, *, timeout: float = 2.0) -> list[tuple[int, int]]:
        """Send DISPATCH ``event`` to every identified client of the shard it belongs to (waiting up to ``timeout``
        for one to exist); returns the shards it went to."""
        guild_id = guild_of_event(event, data)
        await self.wait_connected(timeout, guild_id=guild_id, any_shard=False)
        sessions = self._live(guild_id, any_shard=False)
        for session in sessions:
            await self._dispatch_to(session, event, data)
        return [session.shard for session in sessions]

    def emit(self, event: str, data: JSON) -> None:
        """Fire-and-forget dispatch used by REST handlers (echoes); dropped when nobody of its shard is connected."""
        if not self._live(guild_of_event(event, data), any_shard=False):
            return
        task = asyncio.get_running_loop().create_task(self.dispatch(event, data, timeout=0.1))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def send_raw(self, payload: JSON) -> None:
        """Send an arbitrary gateway payload (any opcode) to every open connection."""
        for session in list(self.sessions):
            await self._send(session, payload)

    async def close(self, code: int = 1001) -> None:
        """Cancel echo tasks and close every open websocket (needed before the aiohttp runner can stop)."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, TimeoutError, ConnectionError):
                await task
        for session in list(self.sessions):
            with contextlib.suppress(ConnectionError):
                await session.ws.close(code=code)
