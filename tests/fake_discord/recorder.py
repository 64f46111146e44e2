"""Request recording, waiting and failure injection for the fake REST API.

Tests assert on *what the bot sent* (bodies, embeds, allowed_mentions), so every request is recorded on
arrival, before any injected failure or delay, and again updated with the status it got.  Waiters are woken
on both events, which lets a test wait either for "the bot tried" or for "the bot succeeded".
"""

# Waiting helpers take ``timeout=`` on purpose: tests read better than wrapping each call in asyncio.timeout.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RecordedRequest:
    """One REST request as the fake saw it; ``path`` is relative to ``/api/v10`` (e.g. ``/channels/1/messages``)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    """Parsed JSON body; for multipart requests the parsed ``payload_json`` part; ``None`` without a body."""
    files: list[str] = field(default_factory=list)
    """Filenames of uploaded multipart files."""
    file_contents: list[bytes] = field(default_factory=list)
    """The uploaded files' bytes, in the order of :attr:`files`."""
    headers: dict[str, str] = field(default_factory=dict)
    received_at: float = field(default_factory=time.monotonic)
    status: int | None = None
    """HTTP status the fake answered with; ``None`` while the response is pending (e.g. delayed)."""
    response: Any = None
    fault: str | None = None
    """``"429"``/``"500"``/... when this answer was an injected failure, ``"delay"`` if it was delayed."""

    def matches(self, method: str, path_regex: str) -> bool:
        """``method`` may be ``"*"``; ``path_regex`` must match the whole path."""
        return (method == "*" or self.method == method.upper()) and re.fullmatch(path_regex, self.path) is not None


@dataclass
class Fault:
    """A pending injected failure or delay for requests matching ``method`` + ``path_regex``."""

    method: str
    path_regex: str
    status: int | None
    """HTTP status to answer with instead of the real handler, or ``None`` for a pure delay."""
    times: int
    delay: float = 0.0
    retry_after: float = 0.05
    is_global: bool = False
    body: Any = None
    hits: int = 0

    @property
    def exhausted(self) -> bool:
        return self.hits >= self.times


class RequestLog:
    """Ordered list of recorded requests with async waiting and the fault queue."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[str] = []
        """``"METHOD /path"`` for every request no handler knew (answered 404)."""
        self.faults: list[Fault] = []
        self._changed = asyncio.Event()

    def notify(self) -> None:
        """Wake every waiter; they re-scan the log."""
        self._changed.set()
        self._changed = asyncio.Event()

    def add(self, request: RecordedRequest) -> None:
        self.requests.append(request)
        self.notify()

    def take_fault(self, request: RecordedRequest) -> Fault | None:
        """The first non-exhausted matching fault, counting this request as one of its hits."""
        for fault in self.faults:
            if not fault.exhausted and request.matches(fault.method, fault.path_regex):
                fault.hits += 1
                return fault
        return None

    def select(
        self,
        method: str = "*",
        path_regex: str = ".*",
        *,
        status: int | None = None,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        since: int = 0,
    ) -> list[RecordedRequest]:
        """Recorded requests matching all filters, oldest first, starting at index ``since``."""
        return [
            r
            for r in self.requests[since:]
            if r.matches(method, path_regex)
            and (status is None or r.status == status)
            and (predicate is None or predicate(r))
        ]

    async def wait_for(
        self,
        method: str,
        path_regex: str,
        *,
        count: int = 1,
        status: int | None = None,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        since: int = 0,
        timeout: float = 2.0,
    ) -> list[RecordedRequest]:
        """Wait until ``count`` matching requests exist, then return the first ``count`` of them."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    found = self.select(method, path_regex, status=status, predicate=predicate, since=since)
                    if len(found) >= count:
                        return found[:count]
                    await self._changed.wait()
        except TimeoutError:
            seen = "\n  ".join(f"{r.method} {r.path} -> {r.status}" for r in self.requests) or "(none)"
            raise TimeoutError(
                f"no {count}x {method} {path_regex} (status={status}) within {timeout}s; requests seen:\n  {seen}"
            ) from None

    def add_fault(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def describe(self) -> str:
        """Compact one-line-per-request dump for assertion messages."""
        return "\n".join(f"{r.method} {r.path} {r.query or ''} -> {r.status}" for r in self.requests)

    @staticmethod
    def rate_limit_headers(fault: Fault, bucket: str) -> dict[str, str]:
        """Headers of a real 429 (the caller adds ``Via``: without it discord.py assumes a Cloudflare ban)."""
        reset = time.time() + fault.retry_after
        return {
            "Retry-After": f"{fault.retry_after:.3f}",
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{reset:.3f}",
            "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
            "X-RateLimit-Bucket": bucket,
            "X-RateLimit-Scope": "shared" if not fault.is_global else "global",
            **({"X-RateLimit-Global": "true"} if fault.is_global else {}),
        }

    @staticmethod
    def fault_body(fault: Fault) -> dict[str, Any]:
        if fault.body is not None:
            return dict(fault.body)
        if fault.status == 429:
            return {
                "message": "You are being rate limited.",
                "retry_after": fault.retry_after,
                "global": fault.is_global,
            }
        return {"message": f"{fault.status}: Injected server error", "code": 0}


def bucket_for(method: str, path: str) -> str:
    """A stable per-route rate-limit bucket hash (ids stripped), like Discord's ``X-RateLimit-Bucket``."""
    template = re.sub(r"/\d{5,}", "/{id}", path)
    return hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:16]


def ok_rate_limit_headers(method: str, path: str) -> dict[str, str]:
    """Headers of a normal answer: plenty of budget left, so discord.py never pre-emptively sleeps."""
    return {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": bucket_for(method, path),
    }
