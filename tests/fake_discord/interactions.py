"""INTERACTION_CREATE payload builders and the per-interaction state the callback/webhook routes need.

Each built interaction is registered under its id and token, so the fake can answer the callback like
Discord does: 404 ``Unknown interaction`` (10062) for a token it never issued, 400 ``Interaction has already
been acknowledged`` (40060) for a second callback, and an ``@original`` message once a response exists.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from . import payloads as p
from .payloads import JSON
from .world import FakeWorld

# Interaction types (https://discord.com/developers/docs/interactions/receiving-and-responding).
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5


@dataclass
class InteractionRecord:
    """Server-side view of one interaction: what was sent to the bot and how the bot answered."""

    payload: JSON
    callbacks: list[JSON] = field(default_factory=list)
    """Bodies of every accepted ``POST /interactions/{id}/{token}/callback`` (normally exactly one)."""
    original_id: str | None = None
    """Id of the ``@original`` response message, once one exists."""
    followup_ids: list[str] = field(default_factory=list)
    sent_at: float = field(default_factory=time.monotonic)
    """When the interaction was built or (``FakeDiscord.send_interaction``) dispatched; starts the 3 s clock."""
    shards: list[tuple[int, int]] = field(default_factory=list)
    """The ``(shard_id, shard_count)`` of each gateway session ``FakeDiscord.send_interaction`` delivered it to."""

    @property
    def id(self) -> str:
        return str(self.payload["id"])

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def response_type(self) -> int | None:
        """The callback ``type`` the bot chose (4 message, 5 defer, 6/7 component update, 8 choices, 9 modal)."""
        return self.callbacks[0]["type"] if self.callbacks else None


class InteractionFactory:
    """Builds realistic INTERACTION_CREATE payloads for the world's guild and remembers them."""

    def __init__(self, world: FakeWorld) -> None:
        self.world = world
        self.by_id: dict[str, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}

    def _base(
        self,
        kind: int,
        data: JSON,
        *,
        user: str = "alice",
        member_roles: list[str] | None = None,
        permissions: int | str | None = None,
        channel_id: str | None = None,
        locale: str = "en-US",
    ) -> JSON:
        w = self.world
        iid = w.new_id()
        author = w.user_by_key_or_id(user)
        if member_roles is not None:
            w.member_roles[author["id"]] = [w.role_ids.get(r, r) for r in member_roles]
        cid = w.resolve_channel(channel_id)
        gid = w.guild_of(cid)
        perms = w.permissions_of(author["id"], gid) if permissions is None else permissions
        payload: JSON = {
            "id": iid,
            "application_id": w.application_id,
            "type": kind,
            "data": data,
            "token": f"fake-interaction-token-{iid}",
            "version": 1,
            "channel_id": cid,
            "channel": copy.deepcopy(w.channels[cid]),
            "locale": locale,
            "entitlements": [],
            "authorizing_integration_owners": {"0": gid or w.guild_id},
            "attachment_size_limit": 10 * 1024 * 1024,
            "app_permissions": str(w.permissions_of(w.bot_user["id"], gid)),
        }
        if gid is not None:
            payload |= {
                "guild_id": gid,
                "guild": {"id": gid, "locale": "en-US", "features": []},
                "guild_locale": "en-US",
                "context": 0,
                "member": w.member_of(author["id"], permissions=perms, guild_id=gid),
            }
        else:
            payload |= {"user": author, "context": 1}
        record = InteractionRecord(payload)
        self.by_id[iid] = record
        self.by_token[record.token] = record
        return payload

    def _command_data(self, name: str, options: list[JSON], guild_command: bool) -> JSON:
        w = self.world
        registered = (w.guild_commands.get(w.guild_id, {}) if guild_command else w.global_commands).get(name)
        data: JSON = {"id": registered["id"] if registered else w.new_id(), "name": name, "type": 1}
        if options:
            data["options"] = options
        if guild_command:
            data["guild_id"] = w.guild_id
        return data

    @staticmethod
    def _options(options: dict[str, Any] | list[JSON] | None, focused: str | None = None) -> list[JSON]:
        if options is None:
            return []
        if isinstance(options, list):
            return copy.deepcopy(options)
        return [p.option(k, v, focused=k == focused) for k, v in options.items()]

    def slash(
        self, name: str, options: dict[str, Any] | list[JSON] | None = None, *, guild_command: bool = False, **kw: Any
    ) -> JSON:
        """Slash command (type 2).  ``options``: ``{name: value}`` (types inferred) or raw option dicts.

        An option whose value is an attachment object (:meth:`FakeDiscord.attachment`) is sent as Discord sends a
        file: an ATTACHMENT option with its id, and the object under ``resolved.attachments``.

        Keyword args: ``user``, ``member_roles`` (role keys/ids; replaces the member's roles),
        ``permissions`` (the invoking member's permission integer; default computed from roles),
        ``channel_id`` (id or name), ``locale``.
        """
        data = self._command_data(name, self._options(options), guild_command)
        files = [v for v in (options.values() if isinstance(options, dict) else ()) if isinstance(v, dict)]
        if files:  # attachment options: Discord sends the attachment objects beside the ids
            data["resolved"] = {"attachments": {f["id"]: copy.deepcopy(f) for f in files if "filename" in f}}
        return self._base(APPLICATION_COMMAND, data, **kw)

    def autocomplete(
        self,
        name: str,
        options: dict[str, Any] | list[JSON],
        focused: str | None = None,
        *,
        guild_command: bool = False,
        **kw: Any,
    ) -> JSON:
        """Autocomplete (type 4): like ``slash`` but one option carries ``focused: true``.

        ``focused`` defaults to the last option, i.e. the one the user is typing.
        """
        opts = self._options(options)
        target = focused or (opts[-1]["name"] if opts else None)
        for opt in opts:
            if opt["name"] == target:
                opt["focused"] = True
        return self._base(AUTOCOMPLETE, self._command_data(name, opts, guild_command), **kw)

    def component(
        self,
        custom_id: str,
        *,
        message_id: str | None = None,
        component_type: int = 2,
        values: list[str] | None = None,
        **kw: Any,
    ) -> JSON:
        """Button (component_type 2) or select (3, with ``values``) press on a message.

        ``message_id`` should be a message the bot sent through the fake (so its components and id match
        the bot's view); otherwise a bot-authored placeholder message is invented.
        """
        data: JSON = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        payload = self._base(MESSAGE_COMPONENT, data, **kw)
        msg = self.world.messages.get(message_id or "")
        if msg is None:
            w = self.world
            msg = p.message(
                message_id or w.new_id(), payload["channel_id"], w.bot_user, "", guild_id=payload.get("guild_id")
            )
            w.messages[msg["id"]] = msg
        payload["message"] = copy.deepcopy(msg)
        return payload

    def modal_submit(
        self, custom_id: str, values: dict[str, str] | None = None, *, components: list[JSON] | None = None, **kw: Any
    ) -> JSON:
        """Modal submit (type 5).  ``values``: text-input custom_id -> typed text (wrapped in action rows)."""
        rows = (
            components
            if components is not None
            else [
                {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in (values or {}).items()
            ]
        )
        return self._base(MODAL_SUBMIT, {"custom_id": custom_id, "components": rows}, **kw)
