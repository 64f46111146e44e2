"""Answer a question from the material, with a citation, or say honestly that the material does not cover it.

How a question is answered:

1. Its content words are mapped onto the material's vocabulary (exactly, by stem, or fuzzily for typos).
2. Two inverted indexes are searched: the sentences of the texts, and the curated phrasings of the Q&A pairs
   (question and alternates). Every hit is scored in idf units, so a rare word counts more than "Japan".
3. Each candidate gets two numbers in [0, 1]: *coverage*, the share of the question's weight that the candidate
   contains (a word the material never uses counts fully against it), and *fit*, the F1 of coverage and of the
   share of the candidate that the question asks about (so a short, precise match beats a long, vague one).
   A curated pair's coverage is measured against its phrasings, answer and quoted sentences together.
4. The best candidate by ``coverage + fit`` is answered if its confidence (their mean) reaches the threshold;
   otherwise the answer is "not covered", with the nearest curated questions as suggestions.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from rapidfuzz import fuzz, process

from knowledge.corpus import DEFAULT_READING, Knowledge
from knowledge.formats.reading import Reading
from knowledge.index import MAX_QUERY_WORDS, InvertedIndex, Query, QueryTerm, Vocabulary
from knowledge.models import Answer, Citation, QAPair, Sentence
from knowledge.normalize import has_quantity, read_question, words

DEFAULT_THRESHOLD = 0.64
"""Confidence needed to answer; chosen on bench/questions.yaml (see bench/README.md) and shipped as the default."""
MAX_SUGGESTIONS = 5
CERTAIN = 0.8
"""Below this confidence an answer is given but flagged uncertain, with the competing questions offered."""
CLOSE_CALL = 0.05
"""A runner-up (citing something else) this close behind makes the answer uncertain too."""
SUGGEST_CUTOFF = 60.0
"""WRatio below this is noise: unrelated questions of similar length already score around 40-50."""


class Candidate(NamedTuple):
    """A possible answer: a curated pair or a bare sentence, with how well it matches the question."""

    coverage: float
    fit: float
    pair: QAPair | None
    sentence: Sentence | None

    @property
    def confidence(self) -> float:
        return (self.coverage + self.fit) / 2.0

    @property
    def citation(self) -> Citation:
        if self.pair is not None:
            return self.pair.citation
        assert self.sentence is not None
        return _cite(self.sentence)


class Retriever:
    """Ranks curated Q&A pairs and text sentences for a question, and decides whether to answer."""

    def __init__(self, knowledge: Knowledge, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.knowledge = knowledge
        self.threshold = threshold
        self._sentences = [s for d in knowledge.documents for s in d.sentences]
        self._pairs = list(knowledge.pairs)
        self._phrasing_pair = [i for i, p in enumerate(self._pairs) for _ in p.phrasings]
        texts = [s.text for s in self._sentences] + [f"{' '.join(p.phrasings)} {p.answer}" for p in self._pairs]
        self.vocabulary = Vocabulary(texts)
        index_terms = self.vocabulary.terms
        self._phrases = {pair for text in texts for pair in pairwise(index_terms(text))}
        self.sentences = InvertedIndex([index_terms(s.text) for s in self._sentences])
        self.phrasings = InvertedIndex(
            [index_terms(phrasing) for p in self._pairs for phrasing in p.phrasings], idf_from=self.sentences
        )
        # Each pair's phrasings by term, so that only the few pairs still in the running are visited.
        self._pair_terms: list[dict[str, list[int]]] = [{} for _ in self._pairs]
        for term, found in self.phrasings.postings.items():
            for phrasing in found:
                self._pair_terms[self._phrasing_pair[phrasing]].setdefault(term, []).append(phrasing)
        self._cited = {(s.source, s.paragraph, s.number): i for i, s in enumerate(self._sentences)}
        # The full evidence for a pair: how it is asked, what it answers, and the sentences it quotes.
        self.evidence = InvertedIndex(
            [
                index_terms(" ".join([*p.phrasings, p.answer, *(s.text for s in self._pair_sentences(p))]))
                for p in self._pairs
            ],
            idf_from=self.sentences,
        )
        self._phrasing_keys = [" ".join(words(phrasing)) for p in self._pairs for phrasing in p.phrasings]

    def _pair_sentences(self, pair: QAPair) -> list[Sentence]:
        c = pair.citation
        return [self._sentences[self._cited[(c.source, c.paragraph, n)]] for n in c.sentences]

    def read(self, question: str) -> Query:
        """Resolve the question's content words to index terms, once each, in the order asked."""
        read = read_question(question)
        unknown_names = {word for name in read.names if not self._is_known_name(name) for word in name}
        resolved: dict[str, QueryTerm] = {}
        unknown_capitalised = []
        for word in read.content[:MAX_QUERY_WORDS]:
            term, weight = (None, 0.0) if word in unknown_names else self.vocabulary.resolve(word)
            key = term if term is not None else "?" + word
            if key not in resolved:
                resolved[key] = QueryTerm(word, term, weight, self.sentences.idf(term))
            if term is None and word in read.capitalised:
                unknown_capitalised.append(word)
        return Query(tuple(resolved.values()), tuple(unknown_capitalised), read.wants_quantity)

    def term_weight(self, stemmed: str) -> float:
        """How telling a (Snowball-stemmed) word is in this material: its idf, as the ranker weighs it."""
        return self.sentences.idf(self.vocabulary.root(stemmed))

    def _is_known_name(self, name: tuple[str, ...]) -> bool:
        """Whether the material uses this name as a phrase: "Japan Foundation" is not "Japan" plus "foundations"."""
        stems = [self.vocabulary.resolve(word)[0] for word in name]
        return all(pair in self._phrases for pair in pairwise(stems))

    def rank(self, question: str, min_confidence: float | None = None) -> list[Candidate]:
        """Candidate answers best first; sentences that cannot reach ``min_confidence`` (default: the threshold)
        are skipped early, which is what keeps a large corpus fast."""
        floor = self.threshold if min_confidence is None else min_confidence
        return self._rank(self.read(question).terms, floor)

    def ask(self, question: str, source: str | None = None) -> Answer:
        """Answer ``question`` from the material (or from the text ``source`` only), or say it is not covered.

        Besides the threshold, two checks keep near-topic questions out: a name the material never mentions
        ("What is China's strategy?") means the question is about something else, and a question that asks for a
        number or a date can only be answered by a passage that states one.

        An uncertain answer (low confidence, or a runner-up close behind) carries the competing curated questions
        as ``suggestions``, so a reader can pick what they meant; a not-covered one carries the nearest ones.
        """
        query = self.read(question)
        ranked = [] if query.unknown_names else self._rank(query.terms, self.threshold)
        if source is not None:
            ranked = self._within(ranked, source)
        if query.wants_quantity:
            ranked = [c for c in ranked if has_quantity(f"{c.citation.quote} {c.pair.answer if c.pair else ''}")]
        if not ranked:
            # The slow path, only when abstaining: rank everything to report how close it came and what to ask.
            nearest = self._within(self._rank(query.terms, 0.0, max_sentences=1), source)
            confidence = nearest[0].confidence if nearest else 0.0
            suggestions = _unique([c.pair for c in nearest if c.pair is not None])[:MAX_SUGGESTIONS]
            return Answer(question, False, None, confidence, suggestions=suggestions)
        best = ranked[0]
        text = best.pair.answer if best.pair is not None else best.citation.quote
        runner_up = next((c for c in ranked[1:] if c.citation != best.citation), None)
        uncertain = best.confidence < CERTAIN or (
            runner_up is not None and best.confidence - runner_up.confidence < CLOSE_CALL
        )
        others = [c.pair for c in ranked[1:] if c.pair is not None and c.pair != best.pair] if uncertain else []
        return Answer(
            question, True, text, best.confidence, (best.citation,), best.pair, _unique(others)[:MAX_SUGGESTIONS]
        )

    @staticmethod
    def _within(ranked: list[Candidate], source: str | None) -> list[Candidate]:
        return ranked if source is None else [c for c in ranked if c.citation.source == source]

    def suggest(self, typed: str, limit: int = 25) -> list[QAPair]:
        """Curated pairs whose phrasings best match what has been typed so far, for autocomplete.

        Nothing typed yet lists the curated questions in file order; otherwise rapidfuzz's WRatio (which scores a
        partial, still-being-typed question against a whole one) ranks the phrasings, so typos are forgiven.
        """
        wanted = " ".join(words(typed))
        if not wanted:
            return self._pairs[:limit]
        found = process.extract(
            wanted, self._phrasing_keys, scorer=fuzz.WRatio, processor=None, limit=None, score_cutoff=SUGGEST_CUTOFF
        )
        ranked = sorted(found, key=lambda hit: (-hit[1], hit[2]))
        return list(dict.fromkeys(self._pairs[self._phrasing_pair[i]] for _, _, i in ranked))[:limit]

    def _rank(self, query: Sequence[QueryTerm], min_confidence: float, max_sentences: int = 0) -> list[Candidate]:
        """Rank pairs and sentences; keep only the best ``max_sentences`` sentences if it is not 0."""
        total = sum(q.idf for q in query)
        if total <= 0.0:
            return []
        min_coverage = _min_coverage(min_confidence) * total
        candidates = self._rank_sentences(query, total, min_coverage, min_confidence, max_sentences)
        candidates += self._rank_pairs(query, total, min_coverage, min_confidence)
        candidates.sort(key=lambda c: -(c.coverage + c.fit))
        return candidates

    def _rank_sentences(
        self, query: Sequence[QueryTerm], total: float, min_coverage: float, min_confidence: float, limit: int
    ) -> list[Candidate]:
        scored = []
        for i, weight in self.sentences.matched_weight(query, min_coverage).items():
            coverage = weight / total
            fit = 2.0 * weight / (total + self.sentences.unit_weight[i])  # F1 of coverage and of precision
            if coverage + fit >= 2.0 * min_confidence:
                scored.append((coverage + fit, coverage, fit, i))
        if limit:
            scored = heapq.nlargest(limit, scored)
        return [Candidate(coverage, fit, None, self._sentences[i]) for _, coverage, fit, i in scored]

    def _rank_pairs(
        self, query: Sequence[QueryTerm], total: float, min_coverage: float, min_confidence: float
    ) -> list[Candidate]:
        """Score the pairs whose evidence can still pass by their best-fitting phrasing.

        A pair with evidence coverage c needs a phrasing whose fit reaches f = 2t - c, which takes a matched weight
        of at least f / (2 - f) of the question's; rare terms come first, and once the terms left weigh less than
        that, a phrasing the question has not touched yet is not started.
        """
        evidence = self.evidence.matched_weight(query, min_coverage)
        if not evidence:
            return []
        needed: dict[int, float] = {}
        for pair, weight in evidence.items():
            least_fit = 2.0 * min_confidence - weight / total
            if least_fit <= 1.0:
                needed[pair] = least_fit / (2.0 - least_fit) * total if least_fit > 0.0 else 0.0
        matched = self._phrasing_weights(query, needed)
        best_fit: dict[int, float] = {}
        unit_weight = self.phrasings.unit_weight
        for phrasing, weight in matched.items():
            fit = 2.0 * weight / (total + unit_weight[phrasing])  # the F1 of weight/total and weight/unit_weight
            pair = self._phrasing_pair[phrasing]
            if fit > best_fit.get(pair, 0.0):
                best_fit[pair] = fit
        return [
            Candidate(evidence[pair] / total, fit, self._pairs[pair], None)
            for pair, fit in best_fit.items()
            if evidence[pair] / total + fit >= 2.0 * min_confidence
        ]

    def _phrasing_weights(self, query: Sequence[QueryTerm], needed: dict[int, float]) -> dict[int, float]:
        """Matched weight per phrasing of the given pairs, not starting phrasings that cannot reach ``needed``."""
        gains = sorted(((q.idf * q.weight, q.term) for q in query if q.term is not None), reverse=True)
        everything = sum(gain for gain, _ in gains)
        matched: dict[int, float] = {}
        get = matched.get
        for pair, least_weight in needed.items():
            by_term = self._pair_terms[pair]
            remaining = everything
            for gain, term in gains:
                phrasings = by_term.get(term)
                if phrasings is not None:
                    if remaining >= least_weight:
                        for phrasing in phrasings:
                            matched[phrasing] = get(phrasing, 0.0) + gain
                    else:
                        for phrasing in phrasings:
                            if phrasing in matched:
                                matched[phrasing] += gain
                remaining -= gain
        return matched


def _min_coverage(confidence: float) -> float:
    """The least coverage c at which a candidate can still reach ``confidence``.

    Confidence is (c + fit) / 2 and fit, an F1 of c and a precision of at most 1, is at most 2c / (1 + c); solving
    (c + 2c / (1 + c)) / 2 = t for c gives the root below.
    """
    t = confidence
    return float((-(3.0 - 2.0 * t) + ((3.0 - 2.0 * t) ** 2 + 8.0 * t) ** 0.5) / 2.0)


def _cite(sentence: Sentence) -> Citation:
    return Citation.of((sentence,), sentence.text)


def _unique(pairs: Sequence[QAPair]) -> tuple[QAPair, ...]:
    return tuple(dict.fromkeys(pairs))


def build_retriever(
    knowledge_dir: str | None = None, threshold: float = DEFAULT_THRESHOLD, reading: Reading = DEFAULT_READING
) -> Retriever:
    """The one factory: load and validate a knowledge folder (the bundled one by default) and index it."""
    from knowledge.corpus import load_knowledge

    return Retriever(load_knowledge(knowledge_dir, reading), threshold)
