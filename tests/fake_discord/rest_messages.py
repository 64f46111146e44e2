"""REST routes that create or change messages: channel messages, interaction callbacks, webhooks/follow-ups.

Messages are built from what the bot sent and stored in the world, so a later GET/PATCH, a component
interaction on that message, or a test assertion sees the same object Discord would have returned.
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from . import payloads as p
from .interactions import InteractionRecord
from .payloads import JSON, error_body
from .recorder import RecordedRequest
from .routing import ApiContext, ApiRoute, Reply, not_found, route

_EDITABLE = ("content", "embeds", "components", "flags", "poll")


class MessageRoutes:
    """Handlers for ``/channels/{id}/messages...``, ``/interactions/...`` and ``/webhooks/...``."""

    def __init__(self, ctx: ApiContext) -> None:
        self.ctx = ctx

    def routes(self) -> list[ApiRoute]:
        msg = r"/channels/(\d+)/messages/(\d+)"
        hook = r"/webhooks/(\d+)/([^/]+)"
        return [
            route("POST", r"/channels/(\d+)/messages", self.create),
            route("GET", r"/channels/(\d+)/messages", self.history),
            route("GET", msg, self.get),
            route("PATCH", msg, self.edit),
            route("DELETE", msg, self.delete),
            route("POST", r"/channels/(\d+)/typing", self.no_content),
            route("PUT", msg + r"/reactions/[^/]+/@me", self.no_content),
            route("DELETE", msg + r"/reactions/[^/]+/(@me|\d+)", self.no_content),
            route("POST", r"/users/@me/channels", self.open_dm),
            route("POST", r"/interactions/(\d+)/([^/]+)/callback", self.callback, needs_auth=False),
            route("POST", hook, self.followup, needs_auth=False),
            route("GET", hook + r"/messages/(@original|\d+)", self.hook_get, needs_auth=False),
            route("PATCH", hook + r"/messages/(@original|\d+)", self.hook_edit, needs_auth=False),
            route("DELETE", hook + r"/messages/(@original|\d+)", self.hook_delete, needs_auth=False),
        ]

    # ----------------------------------------------------------------- building blocks

    def build_message(self, channel_id: str, body: JSON, req: RecordedRequest, interaction: JSON | None = None) -> JSON:
        """A bot-authored message from a create body: mentions resolved against ``allowed_mentions``."""
        w = self.ctx.world
        gid = w.guild_of(channel_id)
        content = str(body.get("content") or "")
        users, roles, everyone = p.resolve_mentions(content, body.get("allowed_mentions"))
        mentions = self._mentions(channel_id, users)
        extra: JSON = {
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "flags": int(body.get("flags") or 0),
            "tts": bool(body.get("tts", False)),
            "mention_everyone": everyone,
            "attachments": _attachments(req, body, w.new_id),
        }
        if "poll" in body:
            extra["poll"] = body["poll"]
        ref = body.get("message_reference")
        if ref:
            extra["type"] = 19
            ids = {k: str(v) for k, v in ref.items() if k in ("message_id", "channel_id", "guild_id") and v}
            extra["message_reference"] = {"type": 0, "channel_id": channel_id, **ids}
            referenced = w.messages.get(str(ref.get("message_id")))
            extra["referenced_message"] = copy.deepcopy(referenced)
        if interaction is not None:
            extra |= {
                "type": 20 if interaction["type"] == 2 else 0,
                "webhook_id": w.application_id,
                "application_id": w.application_id,
                "interaction_metadata": {
                    "id": interaction["id"],
                    "type": interaction["type"],
                    "user": (interaction.get("member") or {}).get("user") or interaction.get("user"),
                    "authorizing_integration_owners": interaction.get("authorizing_integration_owners", {}),
                },
            }
        msg = p.message(
            w.new_id(),
            channel_id,
            w.bot_user,
            content,
            guild_id=gid,
            author_member=w.member_of(w.bot_user["id"], with_user=False, guild_id=gid) if gid else None,
            mentions=mentions,
            mention_roles=roles,
            **extra,
        )
        w.messages[msg["id"]] = msg
        if self.ctx.echo_bot_messages and not msg["flags"] & p.FLAG_EPHEMERAL:
            self.ctx.emit("MESSAGE_CREATE", copy.deepcopy(msg))
        return msg

    def _mentions(self, channel_id: str, user_ids: list[str]) -> list[JSON]:
        """``mentions`` entries: users with a nested ``member`` in guild channels, bare users in DMs."""
        w = self.ctx.world
        known = [u for u in user_ids if _known(w, u)]
        gid = w.guild_of(channel_id)
        if gid is not None:
            return [w.mention_object(u, gid) for u in known]
        return [w.user_by_key_or_id(u) for u in known]

    def apply_edit(self, msg: JSON, body: JSON, req: RecordedRequest) -> JSON:
        """Apply a PATCH body to a stored message (only the fields Discord lets you edit)."""
        for key in _EDITABLE:
            if key in body and body[key] is not None:
                msg[key] = body[key]
        if "attachments" in body or req.files:
            kept = {str(a.get("id")) for a in body.get("attachments") or []}
            old = [a for a in msg.get("attachments") or [] if a["id"] in kept]
            msg["attachments"] = old + _attachments(req, body, self.ctx.world.new_id)
        if "content" in body:
            users, roles, everyone = p.resolve_mentions(str(body["content"] or ""), body.get("allowed_mentions"))
            msg["mentions"] = self._mentions(msg["channel_id"], users)
            msg["mention_roles"], msg["mention_everyone"] = roles, everyone
        msg["edited_timestamp"] = p.iso_now()
        if self.ctx.echo_bot_messages and not msg["flags"] & p.FLAG_EPHEMERAL:
            self.ctx.emit("MESSAGE_UPDATE", copy.deepcopy(msg))
        return msg

    def _forget(self, msg: JSON) -> None:
        self.ctx.world.messages.pop(msg["id"], None)
        if self.ctx.echo_bot_messages and not msg["flags"] & p.FLAG_EPHEMERAL:
            event = {"id": msg["id"], "channel_id": msg["channel_id"]}
            if "guild_id" in msg:
                event["guild_id"] = msg["guild_id"]
            self.ctx.emit("MESSAGE_DELETE", event)

    # ----------------------------------------------------------------- channel messages

    async def create(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        if m[1] not in self.ctx.world.channels:
            return not_found("Channel", 10003)
        body = req.json or {}
        if not (body.get("content") or body.get("embeds") or req.files or body.get("components") or body.get("poll")):
            return 400, error_body("Cannot send an empty message", 50006)
        return 200, self.build_message(m[1], body, req)

    async def history(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        limit = int(req.query.get("limit", 50))
        found = [msg for msg in self.ctx.world.messages.values() if msg["channel_id"] == m[1]]
        return 200, sorted(found, key=lambda msg: int(msg["id"]), reverse=True)[:limit]

    async def get(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        msg = self.ctx.world.messages.get(m[2])
        return (200, msg) if msg and msg["channel_id"] == m[1] else not_found("Message", 10008)

    async def edit(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        msg = self.ctx.world.messages.get(m[2])
        if not msg or msg["channel_id"] != m[1]:
            return not_found("Message", 10008)
        if msg["author"]["id"] != self.ctx.world.bot_user["id"]:
            return 403, error_body("Cannot edit a message authored by another user", 50005)
        return 200, self.apply_edit(msg, req.json or {}, req)

    async def delete(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        msg = self.ctx.world.messages.get(m[2])
        if not msg or msg["channel_id"] != m[1]:
            return not_found("Message", 10008)
        self._forget(msg)
        return 204, None

    async def no_content(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        return 204, None

    async def open_dm(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        w = self.ctx.world
        recipient_id = str((req.json or {}).get("recipient_id"))
        if not _known(w, recipient_id):
            return not_found("User", 10013)
        for channel in w.channels.values():
            if channel["type"] == 1 and channel["recipients"][0]["id"] == recipient_id:
                return 200, channel
        channel = p.dm_channel(w.new_id(), w.user_by_key_or_id(recipient_id))
        w.channels[channel["id"]] = channel
        return 200, channel

    # ----------------------------------------------------------------- interactions

    async def callback(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        """The initial response; answers ``{"interaction": ..., "resource": ...}`` (discord.py uses with_response=1)."""
        rec = self.ctx.interactions.by_id.get(m[1])
        if rec is None or rec.token != m[2]:
            return not_found("interaction", 10062)
        if rec.callbacks:
            return 400, error_body("Interaction has already been acknowledged.", 40060)
        if time.monotonic() - rec.sent_at > self.ctx.interaction_deadline:
            return not_found("interaction", 10062)
        body = req.json or {}
        kind, data = int(body.get("type", 0)), body.get("data") or {}
        rec.callbacks.append(body)
        flags = int(data.get("flags") or 0)
        resource: JSON = {"type": kind}
        if kind == 4:
            resource["message"] = self._original(
                rec, self.build_message(rec.payload["channel_id"], data, req, rec.payload)
            )
        elif kind == 5:
            loading = {"content": "", "flags": flags | p.FLAG_LOADING}
            resource["message"] = self._original(
                rec, self.build_message(rec.payload["channel_id"], loading, req, rec.payload)
            )
        elif kind in (6, 7) and "message" in rec.payload:
            shown: JSON = rec.payload["message"]
            target = self.ctx.world.messages.get(shown["id"]) or shown
            rec.original_id = target["id"]
            if kind == 7:
                resource["message"] = self.apply_edit(target, data, req)
        interaction = {
            "id": rec.id,
            "type": rec.payload["type"],
            "activity_instance_id": None,
            "response_message_id": rec.original_id if kind in (4, 5, 7) else None,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(flags & p.FLAG_EPHEMERAL),
        }
        return 200, {"interaction": interaction, "resource": resource}

    @staticmethod
    def _original(rec: InteractionRecord, msg: JSON) -> JSON:
        rec.original_id = msg["id"]
        return msg

    def _hook(self, m: re.Match[str]) -> InteractionRecord | None:
        rec = self.ctx.interactions.by_token.get(m[2])
        return rec if rec is not None and m[1] == self.ctx.world.application_id else None

    def _hook_message(self, m: re.Match[str]) -> JSON | None:
        rec = self._hook(m)
        if rec is None:
            return None
        mid = rec.original_id if m[3] == "@original" else m[3]
        if mid is None or (m[3] != "@original" and mid not in rec.followup_ids):
            return None
        return self.ctx.world.messages.get(mid)

    async def followup(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        rec = self._hook(m)
        if rec is None:
            return not_found("Webhook", 10015)
        if not rec.callbacks:
            return 400, error_body("Interaction has not been acknowledged.", 40060)
        msg = self.build_message(rec.payload["channel_id"], req.json or {}, req, rec.payload)
        rec.followup_ids.append(msg["id"])
        return (200, msg) if req.query.get("wait") in ("1", "true", "True") else (204, None)

    async def hook_get(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        msg = self._hook_message(m)
        return (200, msg) if msg else not_found("Message", 10008)

    async def hook_edit(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        msg = self._hook_message(m)
        if msg is None:
            return not_found("Message", 10008)
        if msg["flags"] & p.FLAG_LOADING:
            msg["flags"] &= ~p.FLAG_LOADING
        return 200, self.apply_edit(msg, req.json or {}, req)

    async def hook_delete(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        msg = self._hook_message(m)
        if msg is None:
            return not_found("Message", 10008)
        self._forget(msg)
        return 204, None


def _known(world: Any, user_id: str) -> bool:
    try:
        world.user_by_key_or_id(user_id)
    except KeyError:
        return False
    return True


def _attachments(req: RecordedRequest, body: JSON, new_id: Any) -> list[JSON]:
    """Attachment objects for uploaded files (discord.py sends ``files[n]`` parts plus ``attachments`` metadata)."""
    out: list[JSON] = []
    for index, filename in enumerate(req.files):
        meta: JSON = next((a for a in body.get("attachments") or [] if str(a.get("id")) == str(index)), {})
        aid = new_id()
        url = f"https://cdn.example.invalid/attachments/{aid}/{filename}"
        out.append(
            {
                "id": aid,
                "filename": filename,
                "size": 0,
                "url": url,
                "proxy_url": url,
                "description": meta.get("description"),
            }
        )
    return out
