"""Pure builders for Discord API v10 JSON objects, shaped the way discord.py 2.7.1 parses them.

Every builder returns a fresh plain ``dict`` (JSON-ready; ids are snowflake *strings*, as Discord sends
them).  The key sets follow what discord.py actually reads: a missing required key does not fail loudly
in the fake, it fails later inside the client's parser with a ``KeyError`` that is hard to trace, so the
builders err on the side of sending the full object.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38

EVERYONE_PERMISSIONS = (
    ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)
BOT_ROLE_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES

# Message flags.
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7


class SnowflakeFactory:
    """Generates increasing, well-formed snowflakes so ``created_at`` on every object is plausible."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def __call__(self) -> str:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._counter) & 0x3FFFFF))


def iso_now() -> str:
    """Current time in the ISO-8601 form Discord uses for ``timestamp`` fields."""
    return dt.datetime.now(dt.UTC).isoformat()


def user(user_id: str, username: str, *, bot: bool = False) -> JSON:
    """A user object (discord.py requires ``username``, ``id``, ``discriminator`` and ``avatar``)."""
    return {
        "id": user_id,
        "username": username,
        "global_name": None if bot else username.capitalize(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "system": False,
        "public_flags": 0,
    }


def member(user_obj: JSON | None, role_ids: list[str], *, permissions: int | str | None = None) -> JSON:
    """A guild member; ``user_obj=None`` gives the partial form nested in MESSAGE_CREATE / mentions.

    ``permissions`` is only present on interaction members (Discord sends it as a string).
    """
    data: JSON = {
        "roles": list(role_ids),
        "joined_at": "2024-01-01T00:00:00+00:00",
        "premium_since": None,
        "nick": None,
        "avatar": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if user_obj is not None:
        data["user"] = user_obj
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def role(role_id: str, name: str, *, position: int, permissions: int = 0, managed: bool = False) -> JSON:
    """A role object; the @everyone role has the guild's id and position 0."""
    return {
        "id": role_id,
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": managed,
        "mentionable": False,
        "flags": 0,
    }


def text_channel(channel_id: str, guild_id: str, name: str, *, position: int) -> JSON:
    """A guild text channel (type 0)."""
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "topic": None,
        "nsfw": False,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "parent_id": None,
        "flags": 0,
    }


def thread_channel(thread_id: str, guild_id: str, parent_id: str, owner_id: str, name: str) -> JSON:
    """A public thread (type 11); GUILD_CREATE lists these under ``threads``, not ``channels``."""
    return {
        "id": thread_id,
        "type": 11,
        "guild_id": guild_id,
        "parent_id": parent_id,
        "owner_id": owner_id,
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 2,
        "total_message_sent": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2024-01-01T00:00:00+00:00",
            "locked": False,
            "invitable": True,
        },
    }


def dm_channel(channel_id: str, recipient: JSON) -> JSON:
    """A DM channel (type 1) as returned by ``POST /users/@me/channels``."""
    return {"id": channel_id, "type": 1, "recipients": [recipient], "last_message_id": None, "flags": 0}


def message(
    message_id: str,
    channel_id: str,
    author: JSON,
    content: str,
    *,
    guild_id: str | None = None,
    author_member: JSON | None = None,
    mentions: list[JSON] | None = None,
    mention_roles: list[str] | None = None,
    **extra: Any,
) -> JSON:
    """A message object; ``extra`` overrides/adds any field (embeds, components, flags, ...)."""
    data: JSON = {
        "id": message_id,
        "type": 0,
        "channel_id": channel_id,
        "author": author,
        "content": content,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": mention_roles or [],
        "mention_channels": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "reactions": [],
        "pinned": False,
        "flags": 0,
        "nonce": None,
    }
    if guild_id is not None:
        data["guild_id"] = guild_id
        if author_member is not None:
            data["member"] = author_member
    data.update(extra)
    return data


_USER_MENTION = re.compile(r"<@!?(\d{15,21})>")
_ROLE_MENTION = re.compile(r"<@&(\d{15,21})>")


def resolve_mentions(content: str, allowed: JSON | None) -> tuple[list[str], list[str], bool]:
    """Which user ids, role ids and @everyone actually ping, the way Discord applies ``allowed_mentions``.

    Without ``allowed_mentions`` everything in the content pings; with it, only what ``parse`` or the
    explicit ``users``/``roles`` lists allow.  Tests use the result to check a bot cannot ping by accident.
    """
    users = _USER_MENTION.findall(content)
    roles = _ROLE_MENTION.findall(content)
    everyone = "@everyone" in content or "@here" in content
    if allowed is None:
        return users, roles, everyone
    parse = set(allowed.get("parse") or [])
    ok_users = set(allowed.get("users") or [])
    ok_roles = set(allowed.get("roles") or [])
    users = [u for u in users if "users" in parse or u in ok_users]
    roles = [r for r in roles if "roles" in parse or r in ok_roles]
    return users, roles, everyone and "everyone" in parse


def option(name: str, value: Any, *, focused: bool = False) -> JSON:
    """A slash-command option; the Discord option type is inferred from the Python type of ``value`` (an attachment
    object, from :func:`attachment`, is an ATTACHMENT option whose value is its id)."""
    if isinstance(value, dict) and "filename" in value:
        kind, value = 11, value["id"]
    elif isinstance(value, bool):
        kind = 5
    elif isinstance(value, int):
        kind = 4
    elif isinstance(value, float):
        kind = 10
    else:
        kind = 3
    data: JSON = {"name": name, "type": kind, "value": value}
    if focused:
        data["focused"] = True
    return data


def attachment(attachment_id: str, filename: str, size: int, url: str, content_type: str | None = None) -> JSON:
    """An attachment object, as in a slash command's ``resolved.attachments``: its file is served at ``url``."""
    data: JSON = {"id": attachment_id, "filename": filename, "size": size, "url": url, "proxy_url": url}
    if content_type is not None:
        data["content_type"] = content_type
    return data


def error_body(message: str, code: int = 0) -> JSON:
    """Discord's JSON error envelope (``HTTPException.code`` / ``.text`` come from it)."""
    return {"message": message, "code": code}
