"""The material's vocabulary: every word form it uses, mapped to the stemmed term the index counts, and a fuzzy map
from what a student typed to those terms.

Typos are fixed against the vocabulary, not the corpus: a word the material does not use is compared with
rapidfuzz to known words of about the same length that share its first or last letter, so the fuzzy step grows with
the vocabulary, never with the number of passages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from knowledge.informativeness import is_english, meant, prior_weight
from knowledge.normalize import content_words, stem, terms

MIN_FUZZY_LENGTH = 4
"""Shorter words are too easily one edit away from another word ("cup" and "up") to be corrected safely."""
FUZZY_CUTOFF = 80.0
"""``fuzz.ratio`` needed to accept a correction: one swap in five letters ("pwoer" → "power") scores 80."""
MIN_ROOT_LENGTH = 5
"""A root shorter than this is too likely to be another word that happens to begin the stem."""
ROOT_ENDINGS = ("es", "an", "n", "i")


class Vocabulary:
    """Every word form seen in the material, mapped to its stem, with buckets for fuzzy correction."""

    def __init__(self, texts: Iterable[str]) -> None:
        stem_of: dict[str, str] = {}
        written: list[str] = []
        for text in texts:
            for word in content_words(text):
                if word not in stem_of:
                    written.append(word)
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
        self._written = written

    def priors(self) -> dict[str, float]:
        """Each term's general-English weight (:func:`prior_weight`), from the commonest way the material writes it:
        a match on "first" or "good" says less than a match on "propaganda", however rare both are in the text."""
        found: dict[str, float] = {}
        for word in self._written:
            term = self._stem_of[word]
            found[term] = min(found.get(term, 1.0), prior_weight(word))
        return found

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
        if len(word) < MIN_FUZZY_LENGTH or not word.isalpha() or is_english(word):
            return None, 0.0
        candidates: list[str] = []
        for length in (len(word) - 1, len(word), len(word) + 1):
            candidates += self._buckets.get((length, word[0]), ())
            candidates += self._buckets.get((length, "$" + word[-1]), ())
        near = process.extract(
            word, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_CUTOFF, limit=None
        ) or [
            # A swap of neighbours in a short word is one slip, though letter for letter "sfot" is only 75 from "soft".
            (hit, fuzz.ratio(word, hit), 0)
            for hit, _, _ in process.extract(word, candidates, scorer=OSA.distance, processor=None, score_cutoff=1)
            if sorted(hit) == sorted(word)  # the same letters: a swap, not another word ("mext" is not "next")
        ]
        if near:
            # Letter for letter "wirte" is as near "white" as "write"; a swap of neighbours is one slip, not two.
            best = min(near, key=lambda hit: (OSA.distance(word, hit[0]), -hit[1]))
            corrected = meant(word)
            if corrected != word and OSA.distance(word, corrected) < OSA.distance(word, best[0]):
                # "auther" is one slip from "author", two from the material's "rather": the English word is meant,
                # unless the material spells it otherwise ("medeival": "medieval", the material's "mediaeval").
                term, sureness = self._resolve_meant(word, corrected)
                if term is not None or OSA.distance(corrected, best[0]) > 1:
                    return term, sureness
            return self._stem_of[best[0]], best[1] / 100.0
        # A misspelling of a word the material uses in another form: "foriegners" is "foreigners", which the
        # material knows as "foreign", too far in letters from "foriegners" for the vocabulary's own correction.
        return self._resolve_meant(word, meant(word))

    def _resolve_meant(self, word: str, corrected: str) -> tuple[str | None, float]:
        """Resolve the English word ``corrected`` a misspelt ``word`` is taken for, less sure by how far it is."""
        if corrected == word:
            return None, 0.0
        term, sureness = self.resolve(corrected)
        return term, sureness * fuzz.ratio(word, corrected) / 100.0
