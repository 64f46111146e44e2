"""The fake CDN: files users attached, served at their attachment's ``url`` as Discord's CDN serves them."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from . import payloads as p
from .payloads import JSON
from .world import FakeWorld


class FakeCdn:
    """Attachment bytes by id, and which of them the bot downloaded."""

    def __init__(self, world: FakeWorld, base_url: Callable[[], str]) -> None:
        self.world = world
        self.base_url = base_url
        self.files: dict[str, bytes] = {}
        self.downloads: list[str] = []
        """The attachment ids served, in order."""

    def attachment(self, filename: str, data: bytes, *, size: int | None = None) -> JSON:
        """An attachment object whose ``url`` serves ``data``; ``size`` is what Discord reports (the real length by
        default; a test may claim another)."""
        attachment_id = self.world.new_id()
        self.files[attachment_id] = data
        url = f"{self.base_url()}/attachments/{attachment_id}/{filename}"
        return p.attachment(attachment_id, filename, len(data) if size is None else size, url)

    async def handle(self, request: web.Request) -> web.Response:
        """``GET /attachments/{id}/{filename}``: the bytes as ``Attachment.read()`` downloads them; 404 if unknown."""
        attachment_id = request.match_info["id"]
        if attachment_id not in self.files:
            return web.Response(status=404)
        self.downloads.append(attachment_id)
        return web.Response(body=self.files[attachment_id], content_type="application/octet-stream")
