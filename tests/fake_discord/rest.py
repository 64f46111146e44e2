"""The fake REST API: one aiohttp catch-all handler that records, injects faults, then routes.

Replies mimic Discord where discord.py depends on it: ``Content-Type`` is exactly ``application/json``
(discord.py compares the header verbatim and treats anything else as text), every answer carries ``Via``
(without it a 429 is taken as a Cloudflare ban and raised instead of retried), and successful answers
carry ``X-RateLimit-*`` headers with budget left.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from typing import Any

from aiohttp import web

from .payloads import JSON, error_body
from .recorder import Fault, RecordedRequest, RequestLog, bucket_for, ok_rate_limit_headers
from .rest_messages import MessageRoutes
from .routing import ApiContext, ApiRoute, Handler, Reply, not_found, route

_RECORDED_HEADERS = ("Authorization", "Content-Type", "User-Agent", "X-Audit-Log-Reason")


class RestApi:
    """Routes ``/api/v10/...`` requests; tests add overrides with ``override`` and faults via the log."""

    def __init__(self, ctx: ApiContext, log: RequestLog, token: str) -> None:
        self.ctx = ctx
        self.log = log
        self.token = token
        self.overrides: list[ApiRoute] = []
        self.routes: list[ApiRoute] = [*CoreRoutes(ctx).routes(), *MessageRoutes(ctx).routes()]

    def override(self, method: str, path_regex: str, handler: Handler) -> None:
        """Replace (or add) a route; overrides win over built-ins, newest first."""
        self.overrides.insert(0, route(method.upper(), path_regex, handler, needs_auth=False))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """aiohttp entry point for every REST request."""
        rec = await self._record(request)
        fault = self.log.take_fault(rec)
        headers = {"Via": "1.1 google"}
        if fault is not None and fault.delay:
            rec.fault = "delay"
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.status is not None:
            status, body = fault.status, RequestLog.fault_body(fault)
            rec.fault = str(fault.status)
            if fault.status == 429:
                headers |= RequestLog.rate_limit_headers(fault, bucket_for(rec.method, rec.path))
        else:
            status, body = await self._dispatch(rec, request.headers.get("Authorization"))
            if 200 <= status < 300:
                headers |= ok_rate_limit_headers(rec.method, rec.path)
        rec.status, rec.response = status, copy.deepcopy(body)
        self.log.notify()
        if body is None:
            return web.Response(status=status, headers=headers)
        headers["Content-Type"] = "application/json"
        return web.Response(status=status, body=json.dumps(body).encode(), headers=headers)

    async def _record(self, request: web.Request) -> RecordedRequest:
        body: Any = None
        files: list[str] = []
        contents: list[bytes] = []
        if request.content_type == "multipart/form-data":
            form = await request.post()
            for name, value in form.items():
                if name == "payload_json":
                    body = json.loads(str(value))
                elif isinstance(value, web.FileField):
                    files.append(value.filename)
                    contents.append(value.file.read())
        elif request.body_exists:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        rec = RecordedRequest(
            method=request.method,
            path="/" + request.match_info["tail"],
            query=dict(request.query),
            json=body,
            files=files,
            file_contents=contents,
            headers={h: request.headers[h] for h in _RECORDED_HEADERS if h in request.headers},
        )
        self.log.add(rec)
        return rec

    async def _dispatch(self, rec: RecordedRequest, authorization: str | None) -> Reply:
        for candidate in [*self.overrides, *self.routes]:
            if candidate.method != rec.method:
                continue
            match = candidate.pattern.fullmatch(rec.path)
            if match is None:
                continue
            if candidate.needs_auth and authorization != f"Bot {self.token}":
                return 401, error_body("401: Unauthorized", 0)
            return await candidate.handler(rec, match)
        self.log.unknown_routes.append(f"{rec.method} {rec.path}")
        return 404, error_body("404: Not Found", 0)


class CoreRoutes:
    """Identity, gateway discovery, channels/guilds/users lookups and application-command sync."""

    def __init__(self, ctx: ApiContext) -> None:
        self.ctx = ctx

    def routes(self) -> list[ApiRoute]:
        cmds = r"/applications/(\d+)(?:/guilds/(\d+))?/commands"
        return [
            route("GET", r"/users/@me", self.me),
            route("GET", r"/(?:oauth2/)?applications/@me", self.application),
            route("GET", r"/gateway", self.gateway, needs_auth=False),
            route("GET", r"/gateway/bot", self.gateway),
            route("GET", r"/users/(\d+)", self.get_user),
            route("GET", r"/channels/(\d+)", self.get_channel),
            route("GET", r"/guilds/(\d+)", self.get_guild),
            route("GET", r"/guilds/(\d+)/channels", self.guild_channels),
            route("GET", r"/guilds/(\d+)/members/(\d+)", self.get_member),
            route("GET", r"/guilds/(\d+)/roles", self.guild_roles),
            route("PUT", cmds, self.put_commands),
            route("GET", cmds, self.get_commands),
            route("POST", cmds, self.post_command),
            route("GET", cmds + r"/(\d+)", self.get_command),
            route("PATCH", cmds + r"/(\d+)", self.patch_command),
            route("DELETE", cmds + r"/(\d+)", self.delete_command),
        ]

    async def me(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        return 200, {**self.ctx.world.bot_user, "verified": True, "mfa_enabled": False, "flags": 0, "email": None}

    async def application(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        w = self.ctx.world
        owner = w.users["alice"]
        return 200, {
            "id": w.application_id,
            "name": "studybot",
            "description": "Fake application for tests",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": owner,
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
            "interactions_endpoint_url": None,
            "bot": w.bot_user,
        }

    async def gateway(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return 200, {"url": self.ctx.gateway_url(), "shards": self.ctx.shards, "session_start_limit": limit}

    async def get_user(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        try:
            return 200, self.ctx.world.user_by_key_or_id(m[1])
        except KeyError:
            return not_found("User", 10013)

    async def get_channel(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        channel = self.ctx.world.channels.get(m[1])
        return (200, channel) if channel else not_found("Channel", 10003)

    def _guild(self, gid: str) -> bool:
        return gid in self.ctx.world.guild_ids

    async def get_guild(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        if not self._guild(m[1]):
            return not_found("Guild", 10004)
        data = self.ctx.world.guild_payload(m[1])
        for key in ("members", "channels", "threads", "presences", "voice_states"):
            data.pop(key)
        return 200, data

    async def guild_channels(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        if not self._guild(m[1]):
            return not_found("Guild", 10004)
        return 200, self.ctx.world.guild_payload(m[1])["channels"]

    async def guild_roles(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        return (200, self.ctx.world.guild_payload(m[1])["roles"]) if self._guild(m[1]) else not_found("Guild", 10004)

    async def get_member(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        w = self.ctx.world
        if not self._guild(m[1]) or m[2] not in w.member_roles:
            return not_found("Member", 10007)
        return 200, w.member_of(m[2], guild_id=m[1])

    # ----------------------------------------------------------------- application commands

    def _table(self, m: re.Match[str]) -> dict[str, JSON] | None:
        w = self.ctx.world
        if m[1] != w.application_id:
            return None
        if m[2] is None:
            return w.global_commands
        return w.guild_commands.setdefault(m[2], {}) if self._guild(m[2]) else None

    def _store(self, table: dict[str, JSON], m: re.Match[str], body: JSON, cmd_id: str | None = None) -> JSON:
        """Save a command; re-registering a name keeps its id, as Discord does."""
        w = self.ctx.world
        previous = table.get(body["name"])
        cmd: JSON = {
            "type": 1,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **copy.deepcopy(body),
            "id": cmd_id or (previous["id"] if previous else w.new_id()),
            "application_id": w.application_id,
            "version": w.new_id(),
        }
        if m[2] is not None:
            cmd["guild_id"] = m[2]
        table[cmd["name"]] = cmd
        return cmd

    async def put_commands(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        table = self._table(m)
        if table is None:
            return not_found("Application", 10002)
        old = dict(table)
        table.clear()
        for body in req.json or []:
            if body["name"] in old:
                table[body["name"]] = old[body["name"]]
            self._store(table, m, body)
        return 200, list(table.values())

    async def get_commands(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        table = self._table(m)
        return (200, list(table.values())) if table is not None else not_found("Application", 10002)

    async def post_command(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        table = self._table(m)
        if table is None:
            return not_found("Application", 10002)
        existed = (req.json or {}).get("name") in table
        return (200 if existed else 201), self._store(table, m, req.json or {})

    def _find(self, m: re.Match[str]) -> tuple[dict[str, JSON], JSON] | None:
        table = self._table(m)
        cmd = next((c for c in (table or {}).values() if c["id"] == m[3]), None)
        return None if table is None or cmd is None else (table, cmd)

    async def get_command(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        found = self._find(m)
        return (200, found[1]) if found else not_found("application command", 10063)

    async def patch_command(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        found = self._find(m)
        if found is None:
            return not_found("application command", 10063)
        table, cmd = found
        del table[cmd["name"]]
        return 200, self._store(table, m, {**cmd, **(req.json or {})}, cmd_id=cmd["id"])

    async def delete_command(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        found = self._find(m)
        if found is None:
            return not_found("application command", 10063)
        del found[0][found[1]["name"]]
        return 204, None


def fault(method: str, path_regex: str, **kwargs: Any) -> Fault:
    """Convenience constructor that normalises the method name."""
    return Fault(method=method.upper() if method != "*" else "*", path_regex=path_regex, **kwargs)
