"""The knowledge the bot is serving right now, and the reloads that replace it without ever losing it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from knowledge.changes import KnowledgeChanges, compare
from knowledge.curation import LoneQuote, Miss, add_pair, lone_quotes, misses, replay
from knowledge.errors import KnowledgeError
from knowledge.models import Answer, QAPair
from knowledge.view import View

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReloadReport:
    """What a successful reload did, and what it will do to the answers people get."""

    changes: KnowledgeChanges
    pairs: int
    sentences: int
    replayed: int
    """How many recently logged questions were asked again of the old and the new knowledge."""
    answers_changed: int
    """How many of those would now get a different answer (answered or not, or another citation)."""
    misses: tuple[Miss, ...]
    """Curated phrasings the new knowledge does not answer with their own pair."""
    lone_quotes: tuple[LoneQuote, ...] = ()
    """Curated quotes that open pointing back at a sentence they leave out ("This is fundamentally important...")."""


class SavedButNotReloaded(Exception):
    """A taught pair was written to its file, but reloading the folder then failed (another file in it is broken):
    the previous knowledge keeps serving until the folder is fixed and reloaded."""

    def __init__(self, pair: QAPair, error: KnowledgeError) -> None:
        super().__init__(f"saved {pair.key}, but the reload failed: {error}")
        self.pair = pair
        self.error = error


class ServingKnowledge:
    """Holds one view's current retriever; a reload builds and validates a new one off the event loop, then swaps it
    in.

    Handlers read :attr:`retriever` once per question, so a question being answered during a reload gets the old
    or the new knowledge, whole, never a half-built one. A reload that fails raises and changes nothing. Reloads
    and teaching are serialised by one lock, so two admins cannot overwrite each other's pairs.
    """

    def __init__(self, retriever: View, load: Callable[[], View], writable: bool) -> None:
        self.retriever = retriever
        self._load = load
        self.writable = writable
        """Whether curated pairs can be added: only to a knowledge folder of one's own, not the bundled one."""
        self._lock = asyncio.Lock()

    @property
    def lock(self) -> asyncio.Lock:
        """Held while the view's files change: uploads and removals take it too, so they never cross a reload."""
        return self._lock

    async def reload(self, recent_questions: Sequence[str] = ()) -> ReloadReport:
        """Load the folder again; raise :class:`KnowledgeError` (old knowledge kept) if anything in it is broken,
        a text that cannot be read included (each unreadable text is one line of the error)."""
        async with self._lock:
            return await self._reload(recent_questions)

    async def teach(
        self, source: str, question: str, answer: str, quote: str, recent_questions: Sequence[str] = ()
    ) -> tuple[QAPair, ReloadReport]:
        """Add a curated pair to ``source``'s Q&A file (validated first, written atomically) and reload.

        Raises :class:`KnowledgeError` if the pair is invalid (nothing written), :class:`SavedButNotReloaded` if it
        was written but the folder then failed to load.
        """
        if not self.writable:
            raise KnowledgeError("(bundled)", 0, "the bundled knowledge is read-only: set STUDYBOT_KNOWLEDGE_DIR")
        async with self._lock:
            home = self.retriever.home(source)
            if home is None:
                raise KnowledgeError(self.retriever.knowledge.folder, 0, f"no course text named {source!r}")
            pair = await asyncio.to_thread(add_pair, home, source, question, answer, quote)
            try:
                report = await self._reload(recent_questions)
            except KnowledgeError as exc:
                raise SavedButNotReloaded(pair, exc) from exc
            return pair, report

    async def reload_locked(self, recent_questions: Sequence[str] = ()) -> ReloadReport:
        """:meth:`reload` for a caller that already holds :attr:`lock` (having changed the view's files under it)."""
        return await self._reload(recent_questions)

    async def _reload(self, recent_questions: Sequence[str]) -> ReloadReport:
        old = self.retriever
        fresh = await asyncio.to_thread(self._load)
        fresh.knowledge.check_complete()
        changed = await asyncio.to_thread(replay, recent_questions, old, fresh)
        missed = await asyncio.to_thread(misses, fresh)
        changes = compare(old.knowledge, fresh.knowledge)
        self.retriever = fresh
        knowledge = fresh.knowledge
        sentences = sum(len(d.sentences) for d in knowledge.documents)
        log.info("knowledge reloaded: %s; %d curated questions miss their pair", changes.summary(), len(missed))
        lone = tuple(lone_quotes(knowledge))
        return ReloadReport(
            changes, len(knowledge.pairs), sentences, len(recent_questions), changed, tuple(missed), lone
        )


async def ask_in_thread(retriever: View, question: str, source: str | None = None) -> Answer:
    """``retriever.ask`` off the event loop (handlers read the served retriever once per question and pass it).

    An answer takes well under a millisecond from words alone, but 10-30 ms with closeness in meaning (a
    sentence-embedding model), and a loop that is answering acknowledges nothing else: with many members asking at
    once, interactions would wait past Discord's 3 seconds. The retriever's memos are safe to share between threads
    (a race computes a value twice), and the model serialises its own use (:class:`~knowledge.semantic.MiniLM`).
    """
    return await asyncio.to_thread(retriever.ask, question, source)
