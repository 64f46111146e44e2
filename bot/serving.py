"""The knowledge the bot is serving right now, and the reload that replaces it without ever losing it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from knowledge.changes import KnowledgeChanges, compare
from knowledge.retriever import Retriever, build_retriever

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReloadReport:
    """What a successful reload did."""

    changes: KnowledgeChanges
    pairs: int
    sentences: int


class ServingKnowledge:
    """Holds the current retriever; a reload builds and validates a new one off the event loop, then swaps it in.

    Handlers read :attr:`retriever` once per question, so a question being answered during a reload gets the old
    or the new knowledge, whole, never a half-built one. A reload that fails raises and changes nothing.
    """

    def __init__(self, retriever: Retriever, knowledge_dir: str | None, threshold: float) -> None:
        self.retriever = retriever
        self._knowledge_dir = knowledge_dir
        self._threshold = threshold
        self._lock = asyncio.Lock()

    async def reload(self) -> ReloadReport:
        """Load the folder again; raise :class:`knowledge.errors.KnowledgeError` (old knowledge kept) if broken."""
        async with self._lock:
            fresh = await asyncio.to_thread(build_retriever, self._knowledge_dir, self._threshold)
            changes = compare(self.retriever.knowledge, fresh.knowledge)
            self.retriever = fresh
        knowledge = fresh.knowledge
        sentences = sum(len(d.sentences) for d in knowledge.documents)
        log.info("knowledge reloaded: %s", changes.summary())
        return ReloadReport(changes, len(knowledge.pairs), sentences)
