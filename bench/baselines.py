"""The standard first tries, measured in the same run as studybot: what a retriever has to beat.

- ``token_set_ratio``: rapidfuzz ``process.extractOne`` over the sentences, the usual fuzzy-matching FAQ bot;
- ``bm25``: Okapi BM25 (the ``rank_bm25`` package) over the sentences' lowercased words, the usual search engine.

Neither knows about curated pairs: both answer with a sentence. Each gets a cut-off below which it abstains,
chosen on the tuning sets by the same rule as studybot's threshold (see ``run.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process

from bench.evaluation import ids
from knowledge.models import Sentence
from knowledge.normalize import words


class FuzzyBaseline:
    """The single sentence with the best ``token_set_ratio`` (0-100)."""

    name = "token_set_ratio"

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.sentences = list(sentences)
        self.choices = [s.text.casefold() for s in self.sentences]

    def best(self, question: str) -> tuple[frozenset[str], float]:
        found = process.extractOne(
            question.casefold(), self.choices, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=0
        )
        if found is None:
            return frozenset(), 0.0
        sentence = self.sentences[found[2]]
        return ids(sentence.paragraph, [sentence.number]), float(found[1])


class BM25Baseline:
    """The single sentence with the best Okapi BM25 score."""

    name = "bm25"

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.sentences = list(sentences)
        self.index = BM25Okapi([words(s.text) for s in self.sentences])

    def best(self, question: str) -> tuple[frozenset[str], float]:
        scores = self.index.get_scores(words(question))
        at = max(range(len(scores)), key=scores.__getitem__)
        sentence = self.sentences[at]
        return ids(sentence.paragraph, [sentence.number]), float(scores[at])
