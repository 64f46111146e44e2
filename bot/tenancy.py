"""Which texts each server sees, and which text each channel answers from: the one place that knows.

A knowledge folder holds the shared texts at its top and, in sub-folders, each server's own: a folder named by the
server's id, or by the name ``STUDYBOT_GUILD_FOLDERS`` maps its id to. A server without a sub-folder (and a direct
message) sees the shared texts; a server with one sees both. A server's own view is loaded the first time the server
uses the bot, not at start-up, so start-up time does not grow with the number of servers; once loaded it is kept
until the next ``/reload``. A broken sub-folder fails its own server's view only, with the file and the reason.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from bot.serving import ReloadReport, ServingKnowledge
from bot.store import Store
from knowledge.errors import KnowledgeError
from knowledge.library import Library

log = logging.getLogger(__name__)


class Tenancy:
    """The views being served, by server, and the channel bindings, by server and channel."""

    def __init__(
        self,
        library: Library,
        root: Path,
        shared: ServingKnowledge | KnowledgeError,
        folders: Mapping[int, str],
        writable: bool,
    ) -> None:
        self.library = library
        self.root = root
        self._shared = shared
        self._folders = dict(folders)
        self.writable = writable
        """Whether texts and pairs may be written: a knowledge folder of one's own, not the bundled one."""
        self.storage: Store | None = None
        """Where bindings are kept; set once the bot has opened its database (none: no bindings)."""
        self._views: dict[int, ServingKnowledge] = {}
        self._failed: dict[int, KnowledgeError] = {}
        self._loading: dict[int, asyncio.Task[ServingKnowledge]] = {}
        self._bindings: dict[int, dict[int, str]] = {}
        self._changing: dict[int, asyncio.Lock] = {}

    def change_lock(self, guild_id: int) -> asyncio.Lock:
        """Held while a server's folder changes (an upload, a removal): one change at a time per server."""
        return self._changing.setdefault(guild_id, asyncio.Lock())

    # ----------------------------------------------------------------- folders and views

    def own_folder(self, guild_id: int | None) -> Path | None:
        """Where a server's own texts live (the folder may not exist yet); None for direct messages, or when the
        knowledge is read-only."""
        if guild_id is None or not self.writable:
            return None
        return self.root / self._folders.get(guild_id, str(guild_id))

    def has_own(self, guild_id: int | None) -> bool:
        """Whether the server has a folder of its own (checked each time: an upload may have just created it)."""
        folder = self.own_folder(guild_id)
        return folder is not None and folder.is_dir()

    @property
    def shared(self) -> ServingKnowledge:
        """The view of the shared texts; raises :class:`KnowledgeError` if they cannot be served."""
        if isinstance(self._shared, KnowledgeError):
            raise self._shared
        return self._shared

    async def serving(self, guild_id: int | None) -> ServingKnowledge:
        """The view a server sees, loaded (off the event loop) on its first use; raise :class:`KnowledgeError`,
        naming the file and the reason, if it cannot be loaded (until a ``/reload`` succeeds)."""
        if guild_id is None or not self.has_own(guild_id):
            return self.shared
        found = self._views.get(guild_id)
        if found is not None:
            return found
        if guild_id in self._failed:
            raise self._failed[guild_id]
        loading = self._loading.get(guild_id)
        if loading is None:
            loading = self._loading[guild_id] = asyncio.create_task(self._load(guild_id))
        try:
            return await asyncio.shield(loading)
        finally:
            self._loading.pop(guild_id, None)

    async def _load(self, guild_id: int) -> ServingKnowledge:
        load = partial(self.library.view, self.root, self.own_folder(guild_id))
        shared = self._shared.retriever if isinstance(self._shared, ServingKnowledge) else None
        try:
            view = await asyncio.to_thread(load, shared=shared)  # the shared texts as served: not read again
            view.knowledge.check_complete()
        except KnowledgeError as exc:
            log.warning("server %d: its texts cannot be served: %s", guild_id, exc)
            self._failed[guild_id] = exc
            raise
        serving = self._views[guild_id] = ServingKnowledge(view, load, self.writable)
        log.info("server %d: loaded %d texts", guild_id, len(view.knowledge.documents))
        return serving

    async def reload(self, guild_id: int | None, recent: Sequence[str] = ()) -> ReloadReport:
        """Read a server's view again (the shared one for a server without texts of its own) and swap it in;
        raise :class:`KnowledgeError` if it is broken (whatever was served keeps serving)."""
        if guild_id is None:
            return await self._reload(None, recent)
        async with self.change_lock(guild_id):  # not while an upload or a removal changes the folder
            return await self._reload(guild_id, recent)

    async def _reload(self, guild_id: int | None, recent: Sequence[str]) -> ReloadReport:
        serving = await self._reloadable(guild_id)
        async with serving.lock:
            return await self.reload_locked(guild_id, serving, recent)

    async def reload_locked(
        self, guild_id: int | None, serving: ServingKnowledge, recent: Sequence[str] = ()
    ) -> ReloadReport:
        """:meth:`reload` for a caller holding ``serving.lock`` (an upload, a removal) on the view it changed."""
        report = await serving.reload_locked(recent)
        if guild_id is not None and self.has_own(guild_id):
            self._views[guild_id] = serving
            self._failed.pop(guild_id, None)
        elif serving is not self._shared:
            self._shared = serving
        self.forget_unused()
        return report

    def forget_unused(self) -> None:
        """Let go of the texts and indexes no served view uses any more (after a reload or a taught pair)."""
        self.library.keep_only(s.retriever for s in self.served())

    async def _reloadable(self, guild_id: int | None) -> ServingKnowledge:
        """The view to reload: the one served, or a new one starting from the shared texts (or from nothing)."""
        own = self.own_folder(guild_id) if self.has_own(guild_id) else None
        if guild_id is not None and own is not None and guild_id in self._views:
            return self._views[guild_id]
        if own is None and isinstance(self._shared, ServingKnowledge):
            return self._shared
        load = partial(self.library.view, self.root, own)
        if own is not None and isinstance(self._shared, ServingKnowledge):
            return ServingKnowledge(self._shared.retriever, load, self.writable)
        view = await asyncio.to_thread(load)  # nothing served yet to compare with: the first load is the base
        return ServingKnowledge(view, load, self.writable)

    async def view_for_change(self, guild_id: int) -> ServingKnowledge:
        """The view an upload or a removal changes and then reloads with :meth:`reload_locked` (under its lock).

        Call it once the server's folder exists, so that the view is its own and not the shared one.
        """
        return await self._reloadable(guild_id)

    def served(self) -> list[ServingKnowledge]:
        """Every view being served now."""
        shared = [self._shared] if isinstance(self._shared, ServingKnowledge) else []
        return shared + list(self._views.values())

    # ----------------------------------------------------------------- channel bindings

    async def bindings(self, guild_id: int) -> dict[int, str]:
        """A server's bound channels to their texts, read from the database once, then kept in step."""
        found = self._bindings.get(guild_id)
        if found is None:
            found = await self.storage.channel_bindings(guild_id) if self.storage is not None else {}
            self._bindings[guild_id] = found
        return found

    async def bound_source(self, guild_id: int | None, channel_id: int, parent_id: int | None) -> str | None:
        """The text a channel answers from: its own binding, else (for a thread) its parent channel's."""
        if guild_id is None:
            return None
        bound = await self.bindings(guild_id)
        return bound.get(channel_id) or (bound.get(parent_id) if parent_id is not None else None)

    async def bind(self, guild_id: int, channel_id: int, source: str) -> bool:
        """Bind the channel to ``source``; False (nothing bound) when no database is in use to keep it."""
        if self.storage is None:
            return False
        await self.storage.bind_channel(guild_id, channel_id, source)
        (await self.bindings(guild_id))[channel_id] = source
        return True

    async def unbind(self, guild_id: int, channel_id: int) -> bool:
        """Remove the channel's binding; whether there was one."""
        if self.storage is None:
            return False
        removed = await self.storage.unbind_channel(guild_id, channel_id)
        (await self.bindings(guild_id)).pop(channel_id, None)
        return removed
