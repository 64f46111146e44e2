"""What one server sees: the shared texts' retriever and its own texts' retriever, answered as one.

Each folder of texts (the shared top of a knowledge folder, a server's sub-folder) is indexed once, by one
:class:`~knowledge.retriever.Retriever` (a *shelf*), and every server that sees it holds the same one: memory grows
with the distinct texts, not with servers × texts. A question is asked of each shelf and the most confident answer
wins (confidence is a calibrated probability, so answers from two shelves compare).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from itertools import chain, zip_longest

from knowledge.corpus import Knowledge
from knowledge.models import Answer, QAPair
from knowledge.retriever import MAX_SUGGESTIONS, Retriever


class View:
    """The shelves one server answers from: ``shared`` (the texts every server sees) and ``own`` (its sub-folder)."""

    def __init__(self, shared: Retriever | None, own: Retriever | None, folder: str, own_folder: str | None) -> None:
        shelves = tuple(shelf for shelf in (shared, own) if shelf is not None)
        if not shelves:
            raise ValueError("a view needs at least one shelf of texts")
        self.shared, self.own, self.shelves = shared, own, shelves
        self.own_folder = own_folder
        """Where the server's own texts are: a shelf is shared by every folder with the same files, so its
        knowledge's own ``folder`` may be another server's."""
        self.threshold = shelves[0].threshold
        self.knowledge = Knowledge(
            folder,
            tuple(chain.from_iterable(s.knowledge.documents for s in shelves)),
            tuple(chain.from_iterable(s.knowledge.pairs for s in shelves)),
            tuple(chain.from_iterable(s.knowledge.unreadable for s in shelves)),
        )
        """Every text and pair of the view, for listing and looking up (the shelves keep their own)."""

    def shelf_of(self, source: str) -> Retriever | None:
        """The shelf holding the text ``source``: where its pairs are written, and what grades a quiz on it."""
        return next((s for s in self.shelves if s.knowledge.document(source) is not None), None)

    def home(self, source: str) -> Knowledge | None:
        """The knowledge of the shelf holding ``source``, with the folder its files are in: where its pairs go."""
        shelf = self.shelf_of(source)
        if shelf is None:
            return None
        folder = self.own_folder if shelf is self.own and self.own_folder is not None else self.knowledge.folder
        return dataclasses.replace(shelf.knowledge, folder=folder)

    def is_shared(self, source: str) -> bool:
        """Whether ``source`` is one of the texts every server sees (rather than this server's own)."""
        return self.shared is not None and self.shared.knowledge.document(source) is not None

    def ask(self, question: str, source: str | None = None, *, verbatim: bool = True) -> Answer:
        """The most confident answer of the shelves (of the one holding ``source``, if given), or "not covered"
        with the nearest curated questions of all of them."""
        if len(self.shelves) == 1 or source is not None:
            shelf = self.shelves[0] if source is None else self.shelf_of(source)
            return (shelf or self.shelves[0]).ask(question, source, verbatim=verbatim)
        answers = [shelf.ask(question, verbatim=verbatim) for shelf in self.shelves]
        answered = [a for a in answers if a.answered]
        if answered:
            return max(answered, key=lambda a: a.confidence)
        best = max(answers, key=lambda a: a.confidence)
        nearest = _interleaved([a.suggestions for a in sorted(answers, key=lambda a: -a.confidence)])
        return dataclasses.replace(best, suggestions=tuple(nearest[:MAX_SUGGESTIONS]))

    def suggest(self, typed: str, limit: int = 25) -> list[QAPair]:
        """Curated questions matching what is typed, the shelves' best in turn (the server's own first)."""
        if len(self.shelves) == 1:
            return self.shelves[0].suggest(typed, limit)
        return _interleaved([s.suggest(typed, limit) for s in reversed(self.shelves)])[:limit]


def _interleaved(ranked: Sequence[Sequence[QAPair]]) -> list[QAPair]:
    """The lists' first items, then their second ones…, without repeats."""
    first: dict[str, QAPair] = {}
    for row in zip_longest(*ranked):
        for pair in row:
            if pair is not None:
                first.setdefault(pair.key, pair)
    return list(first.values())
