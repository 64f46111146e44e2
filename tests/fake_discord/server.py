"""``FakeDiscord``: the REST API and the gateway on one local aiohttp server, plus the test-facing API.

A real ``discord.Client`` talks to it over real HTTP and a real websocket, so what is exercised is the
library's own request, retry, rate-limit, gateway and parsing code, not a mock of it.
"""

# Waiting helpers take ``timeout=`` on purpose: tests read better than wrapping each call in asyncio.timeout.
# ruff: noqa: ASYNC109

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, Self

from aiohttp import web

from .cdn import FakeCdn
from .gateway import RECONNECT, FakeGateway
from .interactions import InteractionFactory, InteractionRecord
from .payloads import JSON
from .recorder import Fault, RecordedRequest, RequestLog
from .rest import RestApi, fault
from .routing import ApiContext, Handler
from .world import FakeWorld

DEFAULT_TOKEN = "fake-bot-token.for-tests"


class FakeDiscord:
    """A fake Discord (API v10) on ``127.0.0.1``; use ``async with FakeDiscord() as fake`` or start()/close()."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = DEFAULT_TOKEN,
        heartbeat_interval_ms: int = 41_250,
        echo_bot_messages: bool = True,
        shards: int = 1,
    ) -> None:
        self.host, self.port, self.token = host, port, token
        self.world = FakeWorld()
        self.log = RequestLog()
        self.interactions = InteractionFactory(self.world)
        self.gateway = FakeGateway(self.world, token, lambda: self.gateway_url, heartbeat_interval_ms)
        self.ctx = ApiContext(
            self.world, self.interactions, self.gateway.emit, lambda: self.gateway_url, echo_bot_messages, shards=shards
        )
        self.rest = RestApi(self.ctx, self.log, token)
        self.cdn = FakeCdn(self.world, lambda: f"http://{self.host}:{self.port}")
        self._runner: web.AppRunner | None = None

    @property
    def interaction_deadline(self) -> float:
        """Seconds the bot has for the initial interaction callback (Discord: 3); lower it to test slow paths."""
        return self.ctx.interaction_deadline

    @interaction_deadline.setter
    def interaction_deadline(self, seconds: float) -> None:
        self.ctx.interaction_deadline = seconds

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> Self:
        """Bind the server (random free port unless one was given)."""
        app = web.Application()
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest.handle)
        app.router.add_get("/attachments/{id}/{filename}", self.cdn.handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def close(self) -> None:
        """Close gateway connections first (an open websocket would hold the runner's shutdown), then the server."""
        if self._runner is None:
            return
        await self.gateway.close()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return f"http://{self.host}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY`` (discord.py appends its own query string)."""
        return f"ws://{self.host}:{self.port}/gateway"

    def attachment(self, filename: str, data: bytes, *, size: int | None = None) -> JSON:
        """A file a user attached, for a slash command option (see :meth:`FakeCdn.attachment`)."""
        return self.cdn.attachment(filename, data, size=size)

    # ----------------------------------------------------------------- world shortcuts

    @property
    def application_id(self) -> str:
        return self.world.application_id

    @property
    def guild_id(self) -> str:
        return self.world.guild_id

    def add_guild(self, name: str, *, shard: tuple[int, int] | None = None) -> str:
        """Another guild (``general`` and ``study`` channels), in shard ``(shard_id, shard_count)`` if given."""
        return self.world.add_guild(name, shard=shard)

    @property
    def channel_ids(self) -> dict[str, str]:
        """``general``, ``study``, ``random`` (text) and ``study-thread`` (type 11 under ``study``)."""
        return self.world.channel_ids

    @property
    def role_ids(self) -> dict[str, str]:
        """``everyone`` (== guild id), ``admin`` (a role *named* admin with no permissions), ``bot``."""
        return self.world.role_ids

    @property
    def users(self) -> dict[str, JSON]:
        """``bot``, ``alice``, ``bob`` user objects."""
        return self.world.users

    @property
    def bot_user(self) -> JSON:
        return self.world.bot_user

    def mention(self, who: str) -> str:
        """``<@id>`` for a user key (``"bot"``, ``"alice"``) or id."""
        return self.world.mention(who)

    # ----------------------------------------------------------------- REST recording

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every REST request so far, oldest first."""
        return self.log.requests

    @property
    def unknown_routes(self) -> list[str]:
        """``"METHOD /path"`` of requests no route handled (answered 404); assert it is empty to catch gaps."""
        return self.log.unknown_routes

    def mark(self) -> int:
        """Current request count; pass as ``since=`` to only look at requests made after this point."""
        return len(self.log.requests)

    def requests_to(
        self, method: str = "*", path_regex: str = ".*", *, status: int | None = None, since: int = 0
    ) -> list[RecordedRequest]:
        """Recorded requests matching ``method`` (or ``"*"``) and a full-match ``path_regex``."""
        return self.log.select(method, path_regex, status=status, since=since)

    async def wait_for_request(
        self,
        method: str,
        path_regex: str,
        *,
        status: int | None = None,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        since: int = 0,
        timeout: float = 2.0,
    ) -> RecordedRequest:
        """The first matching request (already recorded or arriving within ``timeout``; else ``TimeoutError``).

        With ``status`` it waits for a request that was *answered* with that status (e.g. 200 after retries).
        """
        found = await self.log.wait_for(
            method, path_regex, status=status, predicate=predicate, since=since, timeout=timeout
        )
        return found[0]

    async def wait_for_requests(
        self,
        method: str,
        path_regex: str,
        count: int,
        *,
        status: int | None = None,
        since: int = 0,
        timeout: float = 2.0,
    ) -> list[RecordedRequest]:
        """Like ``wait_for_request`` but for the first ``count`` matches."""
        return await self.log.wait_for(method, path_regex, count=count, status=status, since=since, timeout=timeout)

    # ----------------------------------------------------------------- failure injection

    def fail_next(
        self, method: str, path_regex: str, status: int = 500, *, times: int = 1, body: JSON | None = None
    ) -> Fault:
        """Answer the next ``times`` matching requests with ``status`` (e.g. 500/502/403) instead of handling them.

        discord.py retries 500/502/504/524 after ``1 + 2*try`` seconds (so one 500 costs a test ~1 s).
        """
        return self.log.add_fault(fault(method, path_regex, status=status, times=times, body=body))

    def rate_limit_next(
        self, method: str, path_regex: str, *, times: int = 1, retry_after: float = 0.05, is_global: bool = False
    ) -> Fault:
        """Answer the next ``times`` matching requests with a realistic 429 (discord.py sleeps ``retry_after``)."""
        return self.log.add_fault(
            fault(method, path_regex, status=429, times=times, retry_after=retry_after, is_global=is_global)
        )

    def delay_next(self, method: str, path_regex: str, seconds: float, *, times: int = 1) -> Fault:
        """Hold the next ``times`` matching requests for ``seconds`` before answering normally."""
        return self.log.add_fault(fault(method, path_regex, status=None, times=times, delay=seconds))

    def override(self, method: str, path_regex: str, handler: Handler) -> None:
        """Custom handler ``async (request, match) -> (status, body)`` for a route; wins over built-ins."""
        self.rest.override(method, path_regex, handler)

    # ----------------------------------------------------------------- gateway

    async def wait_until_connected(self, timeout: float = 2.0) -> None:
        """Wait until a client has identified (or resumed) on the gateway."""
        await self.gateway.wait_connected(timeout)

    async def dispatch(self, event: str, data: JSON, *, timeout: float = 2.0) -> list[tuple[int, int]]:
        """Send a DISPATCH (e.g. ``"MESSAGE_CREATE"``) to the connected client(s) of its guild's shard; returns the
        ``(shard_id, shard_count)`` of each session it went to."""
        return await self.gateway.dispatch(event, data, timeout=timeout)

    async def send_message(self, payload: JSON) -> JSON:
        """Dispatch MESSAGE_CREATE for a ``make_message`` payload; returns the payload."""
        await self.dispatch("MESSAGE_CREATE", payload)
        return payload

    async def send_interaction(self, payload: JSON) -> InteractionRecord:
        """Dispatch INTERACTION_CREATE for a ``make_*`` interaction; returns its server-side record."""
        record = self.interaction(payload)
        record.sent_at = time.monotonic()
        record.shards = await self.dispatch("INTERACTION_CREATE", payload)
        return record

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: discord.py drops the socket and RESUMEs on ``resume_gateway_url``."""
        await self.gateway.send_raw({"op": RECONNECT, "d": None})

    @property
    def identify_payloads(self) -> list[JSON]:
        """The ``d`` of every IDENTIFY (intents, properties, shard, presence)."""
        return [p["d"] for p in self.gateway.received if p.get("op") == 2]

    # ----------------------------------------------------------------- payload builders

    def make_message(self, content: str, channel_id: str | None = None, **kw: Any) -> JSON:
        """MESSAGE_CREATE payload; kw: ``author``, ``mentions`` (user keys/ids), ``mention_roles``, extra fields."""
        return self.world.make_message(content, channel_id, **kw)

    def make_slash_interaction(self, name: str, options: dict[str, Any] | list[JSON] | None = None, **kw: Any) -> JSON:
        """Slash command; kw: ``user``, ``member_roles``, ``permissions``, ``channel_id``, ``guild_command``."""
        return self.interactions.slash(name, options, **kw)

    def make_autocomplete(
        self, name: str, options: dict[str, Any] | list[JSON], focused: str | None = None, **kw: Any
    ) -> JSON:
        """Autocomplete with ``focused: true`` on ``focused`` (default: the last option)."""
        return self.interactions.autocomplete(name, options, focused, **kw)

    def make_component(self, custom_id: str, **kw: Any) -> JSON:
        """Button/select interaction; kw: ``message_id``, ``component_type``, ``values`` + the common ones."""
        return self.interactions.component(custom_id, **kw)

    def make_modal_submit(self, custom_id: str, values: dict[str, str] | None = None, **kw: Any) -> JSON:
        """Modal submit with text-input ``values`` (custom_id -> text) or raw ``components``."""
        return self.interactions.modal_submit(custom_id, values, **kw)

    def interaction(self, payload_or_id: JSON | str) -> InteractionRecord:
        """Server-side record (callbacks, original/follow-up ids) of an interaction built by this fake."""
        iid = payload_or_id if isinstance(payload_or_id, str) else str(payload_or_id["id"])
        return self.interactions.by_id[iid]

    async def wait_for_callback(self, payload: JSON, *, status: int | None = 200, timeout: float = 2.0) -> JSON:
        """Body of the (successful, by default) callback the bot POSTed for this interaction."""
        path = rf"/interactions/{payload['id']}/{re.escape(payload['token'])}/callback"
        request = await self.wait_for_request("POST", path, status=status, timeout=timeout)
        return dict(request.json or {})
