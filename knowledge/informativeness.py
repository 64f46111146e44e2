"""How much a word says in general English, from wordfreq's frequency lists.

A question word the material never uses may be the topic ("photosynthesis": the text does not cover it) or just
how people talk ("tomorrow", "slide"). Rare words in English are the telling ones, so a word's weight against an
answer falls with its Zipf frequency (log10 of its count per billion words): "the" is 7.7, "tomorrow" 5.0,
"seminar" 3.8, "photosynthesis" 3.0. wordfreq is imported on first use only: most questions never need it.

A word wordfreq does not know is usually a typo, and a typo of an everyday word ("teh", "whta", "precisly") says
as little as the word meant: it is weighed as the frequent English word one or two edits away, when there is one.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

WORDLIST = "small"
"""wordfreq's list of the words used at least once per million (Zipf 3): below that every word already weighs as
much as a word can (:data:`RARE_ZIPF`) and counts as a misspelling (:data:`TYPO_ZIPF`), so the large list would
change nothing but the load time (10 ms instead of 130, on every start)."""
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

    return float(zipf_frequency(word, "en", wordlist=WORDLIST))


def informativeness(word: str) -> float:
    """0 for a word everybody uses all the time, 1 for a rare one, linear in Zipf frequency in between."""
    return min(1.0, max(0.0, (COMMON_ZIPF - zipf(word)) / (COMMON_ZIPF - RARE_ZIPF)))


def prior_weight(word: str) -> float:
    """How much a match on (or a lack of) this word should count, from its frequency: :data:`FLOOR` to 1."""
    return FLOOR + (1.0 - FLOOR) * informativeness(word)


def is_english(word: str) -> bool:
    """Whether a word is common enough in English to be meant as written rather than a typo of another."""
    return zipf(word) >= TYPO_ZIPF


SPELLING_WORDS = 30_000
"""How many of English's most frequent words a misspelling is corrected to (the small list has about 29,000):
everyday words, not the rare ones a question names its topic with (a misspelt rare word keeps its full weight
either way)."""


@cache
def _frequent_by_length() -> dict[int, list[str]]:
    """wordfreq's most frequent English words (letters only), by length, commonest first."""
    from wordfreq import top_n_list

    found: dict[int, list[str]] = defaultdict(list)
    for word in top_n_list("en", SPELLING_WORDS, wordlist=WORDLIST):
        if word.isalpha():
            found[len(word)].append(word)
    return dict(found)


@lru_cache(maxsize=65536)
def meant(word: str) -> str:
    """The frequent English word ``word`` is most likely a misspelling of, or ``word`` itself.

    A word wordfreq knows is meant as written. Otherwise the nearest of the :data:`SPELLING_WORDS` commonest words
    by optimal string alignment (a swap of neighbours is one edit): one edit away for a word of up to five letters,
    two for a longer one; among equally near words, the commonest.
    """
    if len(word) < 3 or not word.isalpha() or is_english(word):
        return word
    edits = 1 if len(word) <= 5 else 2
    by_length = _frequent_by_length()
    choices = [w for n in range(len(word) - edits, len(word) + edits + 1) for w in by_length.get(n, ())]
    near = process.extract(word, choices, scorer=OSA.distance, processor=None, score_cutoff=edits, limit=None)
    if not near:
        return word
    return min(near, key=lambda hit: (hit[1], -zipf(hit[0])))[0]


def unknown_weight(word: str) -> float:
    """How much a question word the material never uses counts against every answer: :func:`prior_weight` of the
    word meant, so a typo of an everyday word weighs as little as the word itself."""
    return prior_weight(meant(word))
