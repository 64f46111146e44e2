"""Autocomplete: the curated questions that match what a student has typed so far, typos forgiven."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from knowledge.models import QAPair
from knowledge.normalize import words

SUGGEST_CUTOFF = 60.0
"""WRatio below this is noise: unrelated questions of similar length already score around 40-50."""


class Suggestions:
    """The curated phrasings of one material, ready to be matched against a question being typed."""

    def __init__(self, pairs: Sequence[QAPair]) -> None:
        self._pairs = list(pairs)
        self._keys = [" ".join(words(phrasing)) for pair in self._pairs for phrasing in pair.phrasings]
        self._pair_of = [i for i, pair in enumerate(self._pairs) for _ in pair.phrasings]

    def matching(self, typed: str, limit: int = 25) -> list[QAPair]:
        """Curated pairs whose phrasings best match what has been typed so far, best first, each once.

        Nothing typed yet lists the curated questions in file order; otherwise rapidfuzz's WRatio (which scores a
        partial, still-being-typed question against a whole one) ranks the phrasings, so typos are forgiven.
        """
        wanted = " ".join(words(typed))
        if not wanted:
            return self._pairs[:limit]
        found = process.extract(
            wanted, self._keys, scorer=fuzz.WRatio, processor=None, limit=None, score_cutoff=SUGGEST_CUTOFF
        )
        ranked = sorted(found, key=lambda hit: (-hit[1], hit[2]))
        return list(dict.fromkeys(self._pairs[self._pair_of[i]] for _, _, i in ranked))[:limit]
