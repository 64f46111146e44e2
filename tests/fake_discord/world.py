"""The fake's server-side state: a guild with users, roles, channels and a thread, plus what bots create.

More guilds can be added (:meth:`FakeWorld.add_guild`), each with its own ``general`` and ``study`` channels and its
``@everyone`` role, for sharding: a guild belongs to shard ``(guild_id >> 22) % shard_count``, as on Discord.

Keeping all state in one object lets REST handlers and gateway builders agree on ids (a message the bot
sent through REST can later be the ``message`` of a component interaction, a synced command's id appears
in the slash interaction, and so on).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from . import payloads as p
from .payloads import JSON


@dataclass
class FakeWorld:
    """Everything the fake Discord knows; ids are snowflake strings."""

    new_id: p.SnowflakeFactory = field(default_factory=p.SnowflakeFactory)
    application_id: str = ""
    guild_id: str = ""
    guild_name: str = "Study Hall"
    users: dict[str, JSON] = field(default_factory=dict)
    """Users by short key: ``"bot"``, ``"alice"``, ``"bob"``."""
    role_ids: dict[str, str] = field(default_factory=dict)
    """Role ids by key: ``"everyone"`` (id == guild id), ``"admin"`` (no permissions), ``"bot"`` (managed)."""
    roles: dict[str, JSON] = field(default_factory=dict)
    """Role objects by role id."""
    member_roles: dict[str, list[str]] = field(default_factory=dict)
    """Role ids of each member, by user id (@everyone is implicit, as in Discord)."""
    channel_ids: dict[str, str] = field(default_factory=dict)
    """Channel ids by name: ``"general"``, ``"study"``, ``"random"`` and the thread ``"study-thread"``."""
    channels: dict[str, JSON] = field(default_factory=dict)
    """Every channel object (guild text channels, threads, DMs) by channel id."""
    messages: dict[str, JSON] = field(default_factory=dict)
    """Every message known to the fake (injected or created by the bot), by message id."""
    global_commands: dict[str, JSON] = field(default_factory=dict)
    """Synced global application commands by name."""
    guild_commands: dict[str, dict[str, JSON]] = field(default_factory=dict)
    """Synced guild application commands: guild id -> name -> command."""
    guild_ids: list[str] = field(default_factory=list)
    """Every guild, the first (``guild_id``) first."""
    guild_names: dict[str, str] = field(default_factory=dict)
    guild_roles: dict[str, list[str]] = field(default_factory=dict)
    """Role ids of each guild (its ``@everyone`` first)."""
    guild_channels: dict[str, dict[str, str]] = field(default_factory=dict)
    """Channel ids by name, per guild (the first guild's are also :attr:`channel_ids`)."""

    def __post_init__(self) -> None:
        self.application_id = self.application_id or self.new_id()
        self.guild_id = self.guild_id or self.new_id()
        self.users["bot"] = p.user(self.application_id, "studybot", bot=True)
        for name in ("alice", "bob"):
            self.users[name] = p.user(self.new_id(), name)
        gid = self.guild_id
        self.role_ids = {"everyone": gid, "admin": self.new_id(), "bot": self.new_id()}
        self.roles = {
            gid: p.role(gid, "@everyone", position=0, permissions=p.EVERYONE_PERMISSIONS),
            self.role_ids["admin"]: p.role(self.role_ids["admin"], "admin", position=1),
            self.role_ids["bot"]: p.role(
                self.role_ids["bot"], "studybot", position=2, permissions=p.BOT_ROLE_PERMISSIONS, managed=True
            ),
        }
        self.member_roles = {
            self.users["bot"]["id"]: [self.role_ids["bot"]],
            self.users["alice"]["id"]: [],
            self.users["bob"]["id"]: [],
        }
        for position, name in enumerate(("general", "study", "random")):
            cid = self.new_id()
            self.channel_ids[name] = cid
            self.channels[cid] = p.text_channel(cid, gid, name, position=position)
        tid = self.new_id()
        self.channel_ids["study-thread"] = tid
        self.channels[tid] = p.thread_channel(
            tid, gid, self.channel_ids["study"], self.users["alice"]["id"], "study-thread"
        )
        self.guild_ids = [gid]
        self.guild_names = {gid: self.guild_name}
        self.guild_roles = {gid: list(self.roles)}
        self.guild_channels = {gid: self.channel_ids}

    def add_guild(self, name: str, *, shard: tuple[int, int] | None = None) -> str:
        """Another guild with ``general`` and ``study`` channels, where the users are members without roles.

        ``shard=(shard_id, shard_count)`` picks an id that falls in that shard. Returns the guild id.
        """
        gid = self.new_id()
        while shard is not None and shard_of(gid, shard[1]) != shard[0]:
            gid = self.new_id()
        self.guild_ids.append(gid)
        self.guild_names[gid] = name
        self.roles[gid] = p.role(gid, "@everyone", position=0, permissions=p.EVERYONE_PERMISSIONS)
        self.guild_roles[gid] = [gid]
        self.guild_channels[gid] = {}
        for position, channel in enumerate(("general", "study")):
            cid = self.new_id()
            self.guild_channels[gid][channel] = cid
            self.channels[cid] = p.text_channel(cid, gid, channel, position=position)
        return gid

    # ----------------------------------------------------------------- lookups

    @property
    def bot_user(self) -> JSON:
        """The bot's own user object (its id equals the application id, as for real bots)."""
        return self.users["bot"]

    def user_by_key_or_id(self, who: str) -> JSON:
        """Accept ``"alice"`` or a user id; raises ``KeyError`` for strangers."""
        if who in self.users:
            return self.users[who]
        for u in self.users.values():
            if u["id"] == who:
                return u
        raise KeyError(who)

    def resolve_channel(self, name_or_id: str | None) -> str:
        """Resolve a channel name (``"study"``) or id; ``None`` means ``"general"``."""
        if name_or_id is None:
            return self.channel_ids["general"]
        return self.channel_ids.get(name_or_id, name_or_id)

    def guild_of(self, channel_id: str) -> str | None:
        """The guild a channel belongs to; ``None`` for DMs."""
        gid = self.channels.get(channel_id, {}).get("guild_id")
        return gid if gid in self.guild_names else None

    def is_guild_channel(self, channel_id: str) -> bool:
        """Whether messages in the channel carry ``guild_id`` (DMs do not)."""
        return self.guild_of(channel_id) is not None

    def _roles_in(self, user_id: str, guild_id: str | None) -> list[str]:
        """The member's roles: those of :attr:`member_roles` in the first guild, none in the others."""
        roles = self.member_roles.setdefault(user_id, [])
        return roles if guild_id in (None, self.guild_id) else []

    def member_of(
        self,
        user_id: str,
        *,
        with_user: bool = True,
        permissions: int | str | None = None,
        guild_id: str | None = None,
    ) -> JSON:
        """The member object for a user in the guild (auto-joins unknown users with no roles)."""
        roles = self._roles_in(user_id, guild_id)
        return p.member(self.user_by_key_or_id(user_id) if with_user else None, roles, permissions=permissions)

    def permissions_of(self, user_id: str, guild_id: str | None = None) -> int:
        """Guild-level permissions: @everyone plus every role the member has."""
        value = int(self.roles[guild_id or self.guild_id]["permissions"])
        for rid in self._roles_in(user_id, guild_id):
            value |= int(self.roles[rid]["permissions"])
        return value

    def mention_object(self, who: str, guild_id: str | None = None) -> JSON:
        """An entry of ``MESSAGE_CREATE.mentions``: a user with a partial ``member`` nested in it."""
        u = copy.deepcopy(self.user_by_key_or_id(who))
        u["member"] = self.member_of(u["id"], with_user=False, guild_id=guild_id)
        return u

    # ----------------------------------------------------------------- gateway payloads

    def guilds_of_shard(self, shard: tuple[int, int]) -> list[str]:
        """The guilds Discord sends to the session of ``shard`` (``(shard_id, shard_count)``)."""
        return [gid for gid in self.guild_ids if shard_of(gid, shard[1]) == shard[0]]

    def ready_payload(self, session_id: str, resume_url: str, shard: tuple[int, int]) -> JSON:
        """READY: the bot user, the shard's guilds as unavailable stubs, and the application (id + flags)."""
        data: JSON = {
            "v": 10,
            "user": {**self.bot_user, "verified": True, "mfa_enabled": False, "flags": 0, "email": None},
            "guilds": [{"id": gid, "unavailable": True} for gid in self.guilds_of_shard(shard)],
            "session_id": session_id,
            "session_type": "normal",
            "resume_gateway_url": resume_url,
            "application": {"id": self.application_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["us-east"],
            "user_settings": {},
        }
        data["shard"] = list(shard)
        return data

    def guild_payload(self, guild_id: str | None = None) -> JSON:
        """GUILD_CREATE for a guild (the first by default); ``member_count`` equals the member list so no chunking
        is needed."""
        gid = guild_id or self.guild_id
        members = [self.member_of(uid, guild_id=gid) for uid in self.member_roles]
        guild_channels = [c for c in self.channels.values() if c.get("guild_id") == gid]
        return {
            "id": gid,
            "name": self.guild_names[gid],
            "icon": None,
            "owner_id": self.users["alice"]["id"],
            "unavailable": False,
            "large": False,
            "member_count": len(members),
            "members": members,
            "roles": [self.roles[rid] for rid in self.guild_roles[gid]],
            "channels": [c for c in guild_channels if c["type"] != 11],
            "threads": [c for c in guild_channels if c["type"] == 11],
            "features": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "preferred_locale": "en-US",
            "premium_tier": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "afk_timeout": 300,
            "system_channel_id": self.guild_channels[gid]["general"],
        }

    def make_message(
        self,
        content: str,
        channel_id: str | None = None,
        *,
        author: str = "alice",
        mentions: list[str] | None = None,
        mention_roles: list[str] | None = None,
        **extra: Any,
    ) -> JSON:
        """A MESSAGE_CREATE payload from ``author`` (key or id); also remembered as a known message.

        ``channel_id`` is a channel id or name (``"study-thread"`` works: Discord sends a thread as the channel).
        ``mentions`` are user keys or ids; their ``<@id>`` text is not added to ``content`` automatically.
        """
        cid = self.resolve_channel(channel_id)
        author_user = self.user_by_key_or_id(author)
        gid = self.guild_of(cid)
        msg = p.message(
            self.new_id(),
            cid,
            author_user,
            content,
            guild_id=gid,
            author_member=self.member_of(author_user["id"], with_user=False, guild_id=gid) if gid else None,
            mentions=[self.mention_object(m, gid) if gid else self.user_by_key_or_id(m) for m in mentions or []],
            mention_roles=[self.role_ids.get(r, r) for r in mention_roles or []],
            **extra,
        )
        self.messages[msg["id"]] = msg
        return msg

    def mention(self, who: str) -> str:
        """``<@id>`` text for a user key or id, to put in message content."""
        return f"<@{self.user_by_key_or_id(who)['id']}>"


def shard_of(guild_id: str, shard_count: int) -> int:
    """The shard a guild's events go to: ``(guild_id >> 22) % shard_count``, Discord's own formula."""
    return (int(guild_id) >> 22) % shard_count
