"""How much a word says in general English, from wordfreq's frequency lists.

A question word the material never uses may be the topic ("photosynthesis": the text does not cover it) or just
how people talk ("tomorrow", "slide"). Rare words in English are the telling ones, so a word's weight against an
answer falls with its Zipf frequency (log10 of its count per billion words): "the" is 7.7, "tomorrow" 5.0,
"seminar" 3.8, "photosynthesis" 3.0. wordfreq is imported on first use only: most questions never need it.
"""

from __future__ import annotations

from functools import lru_cache

COMMON_ZIPF = 6.0
"""A word this frequent or more says least about a topic ("first", "good", "make")."""
RARE_ZIPF = 3.0
"""A word this rare or rarer is as telling as a word can be ("photosynthesis", "mercantilism")."""
FLOOR = 0.3
"""The weight left to the commonest words: "president" (Zipf 5.3) is still the topic of a question about one."""


TYPO_ZIPF = 3.0
"""A word at least this frequent is a word of its own, not a misspelling to correct ("told" is not "old")."""


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """The word's Zipf frequency in English (0 for a word wordfreq has never seen)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def informativeness(word: str) -> float:
    """0 for a word everybody uses all the time, 1 for a rare one, linear in Zipf frequency in between."""
    return min(1.0, max(0.0, (COMMON_ZIPF - zipf(word)) / (COMMON_ZIPF - RARE_ZIPF)))


def prior_weight(word: str) -> float:
    """How much a match on (or a lack of) this word should count, from its frequency: :data:`FLOOR` to 1."""
    return FLOOR + (1.0 - FLOOR) * informativeness(word)


def is_english(word: str) -> bool:
    """Whether a word is common enough in English to be meant as written rather than a typo of another."""
    return zipf(word) >= TYPO_ZIPF
