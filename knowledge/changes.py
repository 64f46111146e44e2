"""What a reload changes: which curated pairs were added, removed or edited, for the admin who asked for it."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.corpus import Knowledge
from knowledge.models import QAPair


@dataclass(frozen=True, slots=True)
class KnowledgeChanges:
    """Pair keys (``source/id``) by what happened to them, and the sources that came or went."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    sources_added: tuple[str, ...]
    sources_removed: tuple[str, ...]

    @property
    def nothing(self) -> bool:
        return not (self.added or self.removed or self.changed or self.sources_added or self.sources_removed)

    def summary(self) -> str:
        """One line, e.g. ``2 pairs added, 1 removed, 3 changed``."""
        if self.nothing:
            return "no changes"
        parts = [f"{len(self.added)} added", f"{len(self.removed)} removed", f"{len(self.changed)} changed"]
        text = "pairs: " + ", ".join(parts)
        if self.sources_added:
            text += "; new texts: " + ", ".join(self.sources_added)
        if self.sources_removed:
            text += "; texts gone: " + ", ".join(self.sources_removed)
        return text


def compare(old: Knowledge, new: Knowledge) -> KnowledgeChanges:
    """Compare two loaded folders pair by pair (by ``source/id``; any edited field counts as a change)."""
    before = {pair.key: pair for pair in old.pairs}
    after = {pair.key: pair for pair in new.pairs}
    old_sources = {d.source for d in old.documents}
    new_sources = {d.source for d in new.documents}
    return KnowledgeChanges(
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(sorted(k for k in before.keys() & after.keys() if _content(before[k]) != _content(after[k]))),
        sources_added=tuple(sorted(new_sources - old_sources)),
        sources_removed=tuple(sorted(old_sources - new_sources)),
    )


def _content(pair: QAPair) -> tuple[object, ...]:
    return (pair.question, pair.alternates, pair.answer, pair.quote, pair.citation)
