"""What every store keeps and how the bot talks to it: the :class:`Store` protocol and its records.

One protocol, one module per backend (:mod:`bot.store.sqlite`, :mod:`bot.store.postgres`), the same test suite run
against each. Discord user ids never reach a store: only an HMAC of them (:func:`hash_user`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, Self

from bot.store.usage import DEFAULT_DAYS, Usage

Kind = Literal["unanswered", "downvoted"]


READ_ONLY_KEY = b"studybot reads this store, never hashes into it"
"""The key for a command that only reads a store (``studybot check``, ``health``, ``stats``): a store wants a key to
hash user ids with, and one that never writes needs no real one."""


def derive_user_key(user_hash_key: str | None, token: str) -> bytes:
    """The HMAC key for user ids: ``STUDYBOT_USER_HASH_KEY`` when set, else one derived from the bot token.

    Derived (not the token itself) so the key held in memory and used everywhere is not a credential; a token
    rotation then changes every hash, which only restarts streaks and distinct-asker counts.
    """
    if user_hash_key:
        return user_hash_key.encode()
    if not token:
        raise ValueError("set STUDYBOT_USER_HASH_KEY or STUDYBOT_DISCORD_TOKEN: user ids need a key to be hashed")
    return hmac.new(token.encode(), b"studybot user-id hash key v1", hashlib.sha256).digest()


def hash_user(key: bytes, user_id: int) -> str:
    """Hex HMAC-SHA256 of the id: stable per key, so one user's rows link up, but no id is readable in a store."""
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()


def check_vote(vote: int) -> None:
    """Refuse anything but 👍 (+1) and 👎 (-1) before a store is touched."""
    if vote not in (1, -1):
        raise ValueError(f"vote must be +1 or -1, not {vote}")


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    """A question the bot could not answer well, waiting for a curator; ``asker`` is the user's hash."""

    id: int
    at: datetime
    question: str
    source: str | None
    kind: Kind
    asker: str
    pair_key: str | None


@dataclass(frozen=True, slots=True)
class Streak:
    """A user's quiz record after an answer: ``current`` resets to 0 on a wrong answer, ``best`` never drops."""

    current: int
    best: int
    answered: int
    right: int


class StoreUnavailable(Exception):
    """The store cannot be opened (no such folder, no server, a refused password): the bot runs without it."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"cannot use the database {location}: {reason}")
        self.location = location
        self.reason = reason


class Store(Protocol):
    """The study features' memory. Every write is one transaction: wholly in or wholly out, even if the process is
    killed mid-write, and exact when several processes write at once."""

    location: str
    """Where the data lives, fit to show a person (a file path, or a URL without its password)."""

    def user_hash(self, user_id: int) -> str:
        """The user's id as stored (see :func:`hash_user`)."""
        ...

    async def log_question(
        self,
        question: str,
        source: str | None,
        user_id: int,
        kind: Kind,
        pair_key: str | None = None,
        *,
        guild_id: int | None = None,
    ) -> None:
        """Keep a question for curators: ``unanswered`` (the bot said not covered) or ``downvoted`` (a 👎 on the
        answer, ``pair_key`` saying what was answered), asked in server ``guild_id`` (None: a direct message), so
        that each server curates, and counts, its own. The text is stored, as curators need it, but never logged."""
        ...

    async def record_feedback(
        self,
        user_id: int,
        vote: int,
        question: str,
        pair_key: str | None,
        citation: str,
        *,
        guild_id: int | None = None,
    ) -> None:
        """One vote per user per (question, citation), so a vote again replaces it; a 👎 (-1) also puts the
        question in the log as ``downvoted`` (in server ``guild_id``), once per user and question however often
        they vote, and a 👍 that replaces it takes it off again while no curator has dealt with it and no other 👎 of
        theirs on it stands. ``guild_id`` is the server voted in (a replaced vote takes the new one's)."""
        ...

    async def record_ask(
        self, user_id: int, guild_id: int | None, source: str | None, answered: bool, at: datetime
    ) -> None:
        """Count one question asked at ``at`` in server ``guild_id`` (None: a direct message) for the usage figures:
        whether it was answered and the text cited (or asked of, or None). No question text is kept here; rows older
        than :data:`bot.store.usage.RETENTION_DAYS` are deleted in the same transaction."""
        ...

    async def usage(self, guild_id: int | None, days: int = DEFAULT_DAYS, *, now: datetime | None = None) -> Usage:
        """The figures of server ``guild_id`` alone (None: every server and direct messages) over the ``days`` UTC
        days ending with ``now``'s (default: today), from one consistent snapshot."""
        ...

    async def open_questions(self, limit: int = 200, *, guild_id: int | None = None) -> list[LoggedQuestion]:
        """Questions no curated pair answers yet, newest first: the curators' to-do list (only server
        ``guild_id``'s when given, as each server curates its own texts)."""
        ...

    async def recent_questions(self, limit: int = 200, *, guild_id: int | None = None) -> list[str]:
        """The latest distinct logged texts, answered or not, newest first (only server ``guild_id``'s when given):
        replayed against new knowledge to show what an edit changes for questions people really asked."""
        ...

    async def bind_channel(self, guild_id: int, channel_id: int, source: str) -> None:
        """Make the channel (and the threads under it) answer from the text ``source``; binding again replaces it."""
        ...

    async def unbind_channel(self, guild_id: int, channel_id: int) -> bool:
        """Remove the channel's binding; whether there was one."""
        ...

    async def channel_bindings(self, guild_id: int) -> dict[int, str]:
        """Every bound channel of a server, to the text it answers from."""
        ...

    async def mark_answered(self, ids: Sequence[int], pair_key: str) -> int:
        """Close these questions as answered by the curated pair ``pair_key``; returns how many were still open."""
        ...

    async def record_quiz(self, user_id: int, correct: bool) -> Streak:
        """Count one quiz answer for this user and return their streak after it."""
        ...

    async def counts(self) -> dict[str, int]:
        """Numbers for the admin summary: ``open_questions``, ``open_askers`` (distinct hashes), ``feedback_up``,
        ``feedback_down`` (current votes, a replaced vote counted once)."""
        ...

    async def beat(self, instance: str) -> None:
        """Record that the bot running ``instance`` (its shards, in words) is alive now."""
        ...

    async def heartbeat_age(self, instance: str) -> float | None:
        """Seconds since ``instance`` last beat, or None if it never did or stopped cleanly."""
        ...

    async def forget_heartbeat(self, instance: str) -> None:
        """Remove ``instance``'s beat: a bot that stopped cleanly is not alive, and should not look it for a minute."""
        ...

    async def close(self) -> None:
        """Finish the writes under way, then close; later calls raise. Closing twice is harmless."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc_info: object) -> None: ...
