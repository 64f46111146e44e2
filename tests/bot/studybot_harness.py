"""Helpers for driving the real StudyBot against ``FakeDiscord``: settings, a knowledge copy, and one method per
thing a student or an admin does (``/ask``, typing into its autocomplete, a mention, ``/reload``).

Imported by ``tests/bot/conftest.py`` and the test modules by its bare name: pytest's default (prepend) import mode
puts ``tests/bot`` on ``sys.path`` when it loads that conftest, as ``tests/`` is for ``fake_discord``.
"""

# Waiting helpers take ``timeout=`` like the fake's own.
# ruff: noqa: ASYNC109

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_discord import JSON, FakeDiscord, InteractionRecord, RecordedRequest
from fake_discord.payloads import DISCORD_EPOCH_MS

from bot.app import StudyBot
from bot.settings import Settings
from knowledge.corpus import BUNDLED_DIR

CALLBACK = r"/interactions/\d+/[^/]+/callback"
MESSAGES = r"/channels/\d+/messages"
EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5
ESSAY_QA = "soft-power-essay.qa.yaml"

ANSWERABLE = "What is the only goal of soft power?"
ANSWER_TEXT = "The achievement of the desired economic and political results."
ANSWER_SOURCE = "soft-power-essay.txt · ¶4 · sentence 2 · lines 50–51"
ANSWER_QUOTE = (
    "> In fact, the only goal of soft power is the achievement of the desired economic and political results."
)
NOT_COVERED = "soft power of Brazil"
"""Not covered by the essay, yet near enough to curated questions that the bot suggests some."""
FOOTER = re.compile(r"Confidence \d{1,3}% \((high|medium|low)\)")

StartStudyBot = Callable[..., Awaitable["StudyDiscord"]]
"""Type of the ``studybot`` fixture: ``await studybot(**settings)`` starts a StudyBot, returns a StudyDiscord."""

ALL_COMMANDS = {"ask", "quiz", "reload", "sources", "sync", "teach", "unanswered"}
"""Every slash command studybot registers."""


# ----------------------------------------------------------------- settings and knowledge


def settings_for(fake: FakeDiscord, database: Path | None = None, **overrides: Any) -> Settings:
    """Settings pointing at ``fake``, built from explicit values only (never ``.env``; the autouse fixture in
    conftest cleans the environment): the study channel is ``study``, the admin role is the fake's ``admin``,
    no cooldown between questions, and the database (if any) in ``database``."""
    values: dict[str, Any] = {
        "discord_token": fake.token,
        "api_base_url": fake.api_base,
        "gateway_url": fake.gateway_url,
        "study_channels": frozenset({int(fake.channel_ids["study"])}),
        "admin_roles": frozenset({int(fake.role_ids["admin"])}),
        "cooldown_seconds": 0,
    }
    if database is not None:
        values["database_path"] = database
    values.update(overrides)
    return Settings(_env_file=None, **values)


def copy_knowledge(destination: Path) -> Path:
    """A scratch copy of the bundled knowledge folder (texts and Q&A files only) that a test may edit."""
    destination.mkdir(parents=True, exist_ok=True)
    for pattern in ("*.txt", "*.qa.yaml"):
        for path in BUNDLED_DIR.glob(pattern):
            shutil.copyfile(path, destination / path.name)
    return destination


# ----------------------------------------------------------------- what the bot sent


def message_bodies(fake: FakeDiscord) -> list[tuple[RecordedRequest, JSON]]:
    """Every message the bot asked Discord to post or edit, with the request it came in (callbacks that carry a
    message, channel messages, follow-ups and edits)."""
    found: list[tuple[RecordedRequest, JSON]] = []
    for request in fake.requests:
        body = request.json
        if not isinstance(body, dict):
            continue
        if request.matches("POST", CALLBACK):
            if body.get("type") in (4, 7):
                found.append((request, body.get("data") or {}))
        elif request.method in ("POST", "PATCH") and (
            request.matches("*", MESSAGES + r"(/\d+)?") or request.matches("*", r"/webhooks/\d+/[^/]+(/messages/.+)?")
        ):
            found.append((request, body))
    return found


def assert_cannot_ping(body: JSON) -> None:
    """``allowed_mentions`` that lets nothing ping: no ``parse``, no explicit users or roles, no reply ping."""
    allowed = body.get("allowed_mentions")
    assert allowed is not None, f"no allowed_mentions in {body}"
    assert allowed.get("parse") == [], allowed
    assert not allowed.get("users"), allowed
    assert not allowed.get("roles"), allowed
    assert allowed.get("replied_user", False) is False, allowed
    assert set(allowed) <= {"parse", "users", "roles", "replied_user"}, allowed


def embed_of(body: JSON) -> JSON:
    """The one embed of a message body (a callback's ``data`` or a channel message)."""
    embeds = body.get("embeds") or []
    assert len(embeds) == 1, body
    return dict(embeds[0])


def fields_of(embed: JSON) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed.get("fields") or []}


def embed_length(embed: JSON) -> int:
    """Discord's count toward the 6000-character total: title, description, field names and values, footer, author."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields") or [])
    total += len((embed.get("footer") or {}).get("text") or "") + len((embed.get("author") or {}).get("name") or "")
    return total


def assert_answered(embed: JSON, title: str = f"Q: {ANSWERABLE}") -> None:
    assert embed["title"] == title
    assert embed["description"] == ANSWER_TEXT
    assert fields_of(embed) == {"Source": ANSWER_SOURCE, "Quote": ANSWER_QUOTE}
    assert FOOTER.fullmatch(embed["footer"]["text"])


# ----------------------------------------------------------------- driving the bot


def age_interaction(fake: FakeDiscord, interaction: JSON, seconds: float) -> JSON:
    """Make ``interaction`` look created ``seconds`` ago (its snowflake id carries its creation time), as one
    that waited in a backlog would; the fake keeps serving it under the new id."""
    record = fake.interaction(interaction)
    del fake.interactions.by_id[record.id]
    ms = int((time.time() - seconds) * 1000) - DISCORD_EPOCH_MS
    interaction["id"] = str((ms << 22) | (int(interaction["id"]) & 0x3FFFFF))
    fake.interactions.by_id[interaction["id"]] = record
    return interaction


@dataclass
class StudyDiscord:
    """A running StudyBot and the fake Discord it is connected to, with what users do as methods."""

    fake: FakeDiscord
    bot: StudyBot

    async def ask(self, question: str, *, timeout: float = 3.0, **kw: Any) -> JSON:
        """``/ask question`` by alice (or ``user=``); the body of the bot's interaction callback."""
        return (await self.ask_record(question, timeout=timeout, **kw))[1]

    async def ask_record(self, question: str, *, timeout: float = 3.0, **kw: Any) -> tuple[InteractionRecord, JSON]:
        """Like :meth:`ask`, with the fake's record of the interaction (callbacks, the message it created)."""
        interaction = self.fake.make_slash_interaction("ask", {"question": question}, **kw)
        record = await self.fake.send_interaction(interaction)
        return record, await self.fake.wait_for_callback(interaction, timeout=timeout)

    def original(self, record: InteractionRecord) -> JSON:
        """The message an interaction's callback created, as the fake stored it (mentions resolved)."""
        assert record.original_id is not None
        return dict(self.fake.world.messages[record.original_id])

    async def autocomplete(self, typed: str) -> list[JSON]:
        """What the user sees while typing ``typed`` into ``/ask question:``."""
        interaction = self.fake.make_autocomplete("ask", {"question": typed})
        await self.fake.send_interaction(interaction)
        body = await self.fake.wait_for_callback(interaction)
        assert body["type"] == 8, body
        return list(body["data"]["choices"])

    async def mention(self, text: str, channel: str = "study", *, author: str = "alice", **kw: Any) -> JSON:
        """Post ``@studybot text`` in ``channel`` (a name or id); returns the MESSAGE_CREATE payload sent."""
        content = f"{self.fake.mention('bot')} {text}"
        mentions = [*kw.pop("mentions", []), "bot"]
        message = self.fake.make_message(content, channel, author=author, mentions=mentions, **kw)
        return await self.fake.send_message(message)

    async def reply_to(self, message: JSON, *, timeout: float = 2.0) -> RecordedRequest:
        """The bot's successful reply to ``message``."""

        def replies(request: RecordedRequest) -> bool:
            reference = (request.json or {}).get("message_reference") or {}
            return str(reference.get("message_id")) == message["id"]

        return await self.fake.wait_for_request("POST", MESSAGES, status=200, predicate=replies, timeout=timeout)

    async def reload(self, **kw: Any) -> tuple[JSON, JSON]:
        """``/reload``: the callback body, and the body of the message the user finally sees (the callback's
        own message when it answered at once, else the first follow-up)."""
        interaction = self.fake.make_slash_interaction("reload", **kw)
        await self.fake.send_interaction(interaction)
        callback = await self.fake.wait_for_callback(interaction)
        if callback["type"] == 4:
            return callback, callback["data"]
        hook = rf"/webhooks/{self.fake.application_id}/{interaction['token']}"
        followup = await self.fake.wait_for_request("POST", hook, status=200, timeout=3.0)
        return callback, dict(followup.json)


# ----------------------------------------------------------------- the ``studybot`` command as a subprocess


def studybot_command(*args: str) -> list[str]:
    """The installed ``studybot`` console script (beside this Python), or ``python -m bot`` without one."""
    script = Path(sys.executable).with_name("studybot")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "bot", *args]


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any STUDYBOT_* variable, plus ``settings`` (``token="x"`` becomes
    ``STUDYBOT_TOKEN=x``); run the command with ``cwd`` a scratch folder so that no ``.env`` is read either."""
    env = {name: value for name, value in os.environ.items() if not name.upper().startswith("STUDYBOT_")}
    env.update({"STUDYBOT_" + name.upper(): value for name, value in settings.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env
