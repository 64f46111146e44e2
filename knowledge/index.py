"""The inverted index: stemmed terms to the units that contain them, and a fuzzy map from typed words to terms.

Typos are fixed against the vocabulary, not the corpus: a word the index does not know is compared with rapidfuzz
to known words of about the same length that share its first or last letter, so the fuzzy step grows with the
vocabulary, never with the number of passages.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz, process

from knowledge.normalize import content_words, stem, terms

MIN_FUZZY_LENGTH = 4
"""Shorter words are too easily one edit away from another word ("cup" and "up") to be corrected safely."""
FUZZY_CUTOFF = 80.0
"""``fuzz.ratio`` needed to accept a correction: one swap in five letters ("pwoer" → "power") scores 80."""
MIN_ROOT_LENGTH = 5
"""A root shorter than this is too likely to be another word that happens to begin the stem."""
ROOT_ENDINGS = ("es", "an", "n", "i")
MAX_QUERY_WORDS = 64
"""Longer questions are cut: no real question has more content words, and it bounds the work a query can cause."""


class QueryTerm(NamedTuple):
    """A word of the question, resolved to an index term (or None if the material never uses it).

    A named tuple rather than a frozen dataclass: a query makes several, and this is the hot path.
    """

    word: str
    term: str | None
    weight: float
    """How sure the match is: 1.0 for an exact or stemmed match, the fuzzy similarity (0.8-1.0) for a typo."""
    idf: float


@dataclass(frozen=True, slots=True)
class Query:
    """A question as the index sees it."""

    terms: tuple[QueryTerm, ...]
    unknown_names: tuple[str, ...]
    """Capitalised words the material never uses ("China", "Nye"): the question is about something else."""
    wants_quantity: bool


class Vocabulary:
    """Every word form seen in the material, mapped to its stem, with buckets for fuzzy correction."""

    def __init__(self, texts: Iterable[str]) -> None:
        stem_of: dict[str, str] = {}
        for text in texts:
            for word in content_words(text):
                if word not in stem_of:
                    stem_of[word] = stem(word)
                    # The stem is a spelling too: "borow" is closer to "borrow" than to "borrowing".
                    stem_of.setdefault(stem_of[word], stem_of[word])
        self._stems = frozenset(stem_of.values())
        self._root = {s: s for s in self._stems}
        for s in sorted(self._stems, key=len):
            self._root[s] = self.root(s)
        self._stem_of = {word: self._root[s] for word, s in stem_of.items()}
        buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for word in self._stem_of:
            if len(word) >= MIN_FUZZY_LENGTH - 1 and word.isalpha():
                buckets[(len(word), word[0])].append(word)
                buckets[(len(word), "$" + word[-1])].append(word)
        self._buckets = dict(buckets)

    def __len__(self) -> int:
        return len(self._stem_of)

    def root(self, stemmed: str) -> str:
        """The family a stem belongs to: a known stem it extends by a demonym or noun ending, else itself.

        Snowball keeps "japan"/"japanes", "korea"/"korean" and "econom"/"economi" apart; a question says
        "Japan's" where the text says "Japanese", so both are indexed and asked under one root. Only these endings
        count: a general prefix rule would also join "count" and "countri".
        """
        for ending in ROOT_ENDINGS:
            if stemmed.endswith(ending) and len(stemmed) - len(ending) >= MIN_ROOT_LENGTH:
                found = self._root.get(stemmed[: -len(ending)])
                if found is not None:
                    return found
        return self._root.get(stemmed, stemmed)

    def terms(self, text: str) -> list[str]:
        """The index terms of a text: stemmed content words, each under its family root."""
        return [self._root.get(t) or self.root(t) for t in terms(text)]

    def resolve(self, word: str) -> tuple[str | None, float]:
        """Map a typed word to a known stem and how sure that is; ``(None, 0.0)`` if nothing is close enough."""
        known = self._stem_of.get(word)
        if known is not None:
            return known, 1.0
        stemmed = self.root(stem(word))
        if stemmed in self._stems:
            return stemmed, 1.0
        if len(word) < MIN_FUZZY_LENGTH or not word.isalpha():
            return None, 0.0
        candidates: list[str] = []
        for length in (len(word) - 1, len(word), len(word) + 1):
            candidates += self._buckets.get((length, word[0]), ())
            candidates += self._buckets.get((length, "$" + word[-1]), ())
        best = process.extractOne(word, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None, 0.0
        return self._stem_of[best[0]], best[1] / 100.0


class InvertedIndex:
    """Postings of stemmed terms over a list of units (sentences, or curated phrasings), with BM25-style idf."""

    def __init__(self, units: Sequence[Sequence[str]], idf_from: InvertedIndex | None = None) -> None:
        """Index ``units`` (each a list of terms); take idf from ``idf_from`` when these units are not the corpus."""
        postings: dict[str, dict[int, int]] = defaultdict(dict)
        for number, unit in enumerate(units):
            for term in unit:
                postings[term][number] = postings[term].get(number, 0) + 1
        self.postings: dict[str, dict[int, int]] = dict(postings)
        self.size = len(units)
        self._idf_source = idf_from
        self.unknown_idf: float = idf_from.unknown_idf if idf_from else _idf(self.size, 0)
        self._idf = {term: _idf(self.size, len(found)) for term, found in self.postings.items()}
        # What each unit is worth in idf when fully matched: the denominator of "how much of this unit was asked".
        self.unit_weight = [sum(self.idf(t) for t in set(unit)) for unit in units]

    def idf(self, term: str | None) -> float:
        """Inverse document frequency; a term the corpus never uses is as specific as a term can be."""
        if self._idf_source is not None:
            return self._idf_source.idf(term)
        return self._idf.get(term, self.unknown_idf) if term is not None else self.unknown_idf

    def matched_weight(self, query: Sequence[QueryTerm], floor: float) -> dict[int, float]:
        """Sum, per unit, the weight of query terms it contains; skip units that cannot reach ``floor``.

        Rare terms are visited first. Once the terms still to come cannot lift a new unit to ``floor`` on their
        own, only units already found are updated: at 10,000 passages the common words' long postings are never
        walked.
        """
        gains = sorted(((q.idf * q.weight, q.term) for q in query if q.term is not None), reverse=True)
        remaining = sum(gain for gain, _ in gains)
        found: dict[int, float] = {}
        get = found.get
        for gain, term in gains:
            units = self.postings.get(term)
            if units is not None:
                if remaining >= floor:
                    for unit in units:
                        found[unit] = get(unit, 0.0) + gain
                else:
                    for unit in found.keys() & units.keys():
                        found[unit] += gain
            remaining -= gain
        return found


def _idf(size: int, frequency: int) -> float:
    return math.log(1.0 + (size - frequency + 0.5) / (frequency + 0.5))
