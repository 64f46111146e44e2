"""Shared types for the REST route modules: the route table entry and the context handlers work on."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .interactions import InteractionFactory
from .payloads import JSON, error_body
from .recorder import RecordedRequest
from .world import FakeWorld

Reply = tuple[int, Any]
"""(HTTP status, JSON-able body or ``None`` for an empty 204)."""
Handler = Callable[[RecordedRequest, re.Match[str]], Awaitable[Reply]]


@dataclass(frozen=True)
class ApiRoute:
    """One REST route: ``pattern`` must match the whole path below ``/api/v10``."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    needs_auth: bool = True
    """Interaction callbacks and webhook routes are authenticated by their token in the URL, not a header."""


def route(method: str, pattern: str, handler: Handler, *, needs_auth: bool = True) -> ApiRoute:
    """Build an ``ApiRoute`` from a regex string."""
    return ApiRoute(method, re.compile(pattern), handler, needs_auth)


@dataclass
class ApiContext:
    """What route handlers share: the world state, the interactions, and a way to emit gateway events."""

    world: FakeWorld
    interactions: InteractionFactory
    emit: Callable[[str, JSON], None]
    """Schedule a gateway DISPATCH (event name, data) to connected clients without blocking the reply."""
    gateway_url: Callable[[], str]
    echo_bot_messages: bool = True
    """Echo MESSAGE_CREATE/UPDATE/DELETE for what the bot does over REST, as Discord does."""
    interaction_deadline: float = 3.0
    """Seconds a bot has to send the initial callback; later ones get 404 ``Unknown interaction`` like Discord."""
    shards: int = 1
    """The shard count ``GET /gateway/bot`` recommends (an AutoShardedBot without a shard count runs that many)."""
    extra: dict[str, Any] = field(default_factory=dict)


def not_found(what: str, code: int) -> Reply:
    """Discord's 404 shape, e.g. ``Unknown Message`` (10008), ``Unknown Channel`` (10003)."""
    return 404, error_body(f"Unknown {what}", code)
