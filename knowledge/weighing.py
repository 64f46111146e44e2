"""Weigh the ranker's best candidates for a question: the evidence for each, and its confidence.

The ranker orders candidates by lexical score only; here each of the best is described by the features the
confidence model was fitted on (:class:`~knowledge.confidence.Evidence`): how much of the question it holds, how
precisely, how far ahead of its rivals, whether it states the number or the name the question asks for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from rapidfuzz.fuzz import token_set_ratio

from knowledge.confidence import BIAS, SEMANTIC_BIAS, SEMANTIC_WEIGHTS, WEIGHTS, Evidence, probability
from knowledge.index import Scope
from knowledge.models import QAPair
from knowledge.normalize import content_words, has_quantity, states_measure
from knowledge.query import Query
from knowledge.ranking import Candidate, Ranker

CANDIDATES = 4
"""Sentences and pairs (each) that the ranker hands on; the best of them by ranking score are weighed."""
WEIGHED = 4
"""Candidates (the best by ranking score) that the confidence model weighs."""
MIN_COVERAGE = 0.2
"""A candidate holding less of the question than this is not worth weighing (its confidence would be near 0)."""

_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]*")
"""A capitalised word inside a sentence: a name (a sentence's first word is capitalised whatever it is)."""
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")


class Option(NamedTuple):
    """A candidate answer with its confidence, and the evidence that was weighed (None for a structural answer)."""

    confidence: float
    candidate: Candidate
    evidence: Evidence | None


class Weigher:
    """Gives the ranker's candidates their confidence, for one material (that of ``ranker``)."""

    def __init__(self, ranker: Ranker) -> None:
        self.ranker = ranker
        self._unknown_idf = ranker.sentence_index.unknown_idf
        self._named: dict[int, frozenset[str | None]] = {}
        resolve = ranker.vocabulary.resolve
        said = [s.text for s in ranker.sentences] + [p.answer for p in ranker.pairs]
        self._proper = frozenset(resolve(w)[0] for w in content_words(" ".join(_NAME.findall(" ".join(said)))))
        """The material's names: its words written with a capital inside a sentence somewhere ("Japan")."""
        self._phrasings_of: dict[int, list[int]] = {}
        """Each curated pair's phrasings (their numbers in the ranker's order), by the pair's identity."""
        for i, number in enumerate(ranker.phrasing_pair):
            self._phrasings_of.setdefault(id(ranker.pairs[number]), []).append(i)
        self._quantities: dict[int, bool] = {}
        self._held: dict[tuple[int, str], tuple[frozenset[str], frozenset[tuple[str, str]]]] = {}

    def weigh(
        self,
        query: Query,
        sentences: Scope,
        pairs: Scope,
        pair_k: int,
        *,
        closeness: Sequence[float] = (),
        phrased: Sequence[float] = (),
    ) -> tuple[list[Option], list[QAPair]]:
        """The best of the ranker's candidates for the question, each with its confidence, and the ``pair_k`` best
        pairs found (the nearest curated questions, to suggest).

        ``closeness`` is each sentence's closeness in meaning to the question (:meth:`Closeness.to
        <knowledge.semantic.Closeness.to>`), in the ranker's order, when the semantic model is used, and ``phrased``
        each curated phrasing's: the candidates are then weighed by the model fitted with them
        (:data:`~knowledge.confidence.SEMANTIC_WEIGHTS`)."""
        weights, bias = (SEMANTIC_WEIGHTS, SEMANTIC_BIAS) if closeness else (WEIGHTS, BIAS)
        terms = query.terms
        ranked = self.ranker.rank(terms, CANDIDATES, sentences, pairs, floor=MIN_COVERAGE, pair_k=pair_k)
        if not ranked:
            return [], []
        asked = " ".join(q.word for q in terms)
        known = sum(q.gain for q in terms if q.term is not None)
        unknown = query.unknown
        length = math.log1p(query.length)
        coverage = 1.0 / (known + unknown)
        share_unknown = unknown * coverage
        unknown_name = 1.0 if query.unknown_names else 0.0
        place_only = 1.0 if query.place is not None and not query.topic else 0.0
        asked_terms = [q for q in terms if q.term is not None]
        asked_pairs = set(pairwise(q.term for q in asked_terms))
        asked_words = len(asked_terms) + sum(1 for q in terms if q.term is None and q.gain > 0)
        opens, cited_at, paragraph_of = self.ranker.opens, self.ranker.cited, self.ranker.paragraph_of
        lead = self.ranker.lead_paragraph(terms, sentences)
        options = []
        for candidate in ranked[:WEIGHED]:
            cited = candidate.citation
            first = cited_at[(cited.source, cited.paragraph, cited.sentences[0])]
            rival = next((c.score for c in ranked if c.citation is not cited), 0.0)
            held, near = self._holds(candidate)
            named = query.wants_name and _new_names(self._names(candidate), query.names)
            evidence = Evidence(
                coverage=candidate.matched * coverage,
                known_coverage=candidate.matched / known,
                precision=min(1.0, candidate.precision),
                unknown=share_unknown,
                margin=(candidate.score - rival) / 2.0,
                curated=1.0 if candidate.pair is not None else 0.0,
                rarest=min(1.0, candidate.rarest / self._unknown_idf),
                length=length,
                quantity_missing=1.0
                if (query.wants_quantity and not self._states_quantity(candidate))
                or (query.measure is not None and not states_measure(query.measure, _said(candidate)))
                else 0.0,
                name_missing=1.0 if query.wants_name and not named else 0.0,
                unknown_name=unknown_name,
                similarity=token_set_ratio(asked, candidate.key) / 100.0,
                place_only=place_only,
                terms_held=sum(q.term in held for q in asked_terms) / asked_words,
                phrases=len(asked_pairs & near) / len(asked_pairs) if asked_pairs else 0.0,
                opens=1.0 if opens[first] else 0.0,
                ones_missing=1.0
                if (query.wants_ones and not named)
                or self._only_kind(candidate, query.kind)
                or _only_someone(candidate, query.person)
                else 0.0,
                lead_paragraph=1.0 if candidate.pair is None and paragraph_of[first] == lead else 0.0,
                closeness=max(closeness[cited_at[(cited.source, cited.paragraph, n)]] for n in cited.sentences)
                if closeness
                else 0.0,
                phrased=max(phrased[i] for i in self._phrasings_of[id(candidate.pair)])
                if phrased and candidate.pair is not None
                else 0.0,
            )
            options.append(Option(probability(evidence, weights, bias), candidate, evidence))
        return options, [c.pair for c in ranked if c.pair is not None]

    def _holds(self, candidate: Candidate) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
        """The terms a candidate holds (a sentence's own; a pair's phrasings, answer and quote) and the pairs of
        terms it writes near each other (the sentence's, or the best-fitting phrasing's); remembered."""
        key = (_key(candidate), candidate.key)  # a pair by its best-fitting phrasing: two pairs may share one
        found = self._held.get(key)
        if found is None:
            sequence = self.ranker.vocabulary.terms(candidate.sentence.text if candidate.sentence else candidate.key)
            held = self.ranker.evidence_of[id(candidate.pair)] if candidate.pair is not None else frozenset(sequence)
            found = self._held[key] = (held, near_pairs(sequence))
        return found

    def _only_kind(self, candidate: Candidate, kind: tuple[str | None, str | None] | None) -> bool:
        """Whether the candidate writes the kind asked about, modifier and all, and lists none of that kind ("the
        natural resources of Central Asia" for "what natural resources does Central Asia export")."""
        if kind is None or None in kind:
            return False
        said = _said(candidate)
        return kind in near_pairs(self.ranker.vocabulary.terms(said)) and _LISTS.search(said) is None

    def _states_quantity(self, candidate: Candidate) -> bool:
        """Whether the candidate states a number or a date (remembered: the same sentences come up again)."""
        key = _key(candidate)
        found = self._quantities.get(key)
        if found is None:
            found = self._quantities[key] = has_quantity(_said(candidate))
        return found

    def _names(self, candidate: Candidate) -> frozenset[str | None]:
        """The terms of the names in a candidate's sentences and answer: its capitalised words that the material
        writes capitalised inside a sentence somewhere ("Japan's soft power policy..." names Japan)."""
        key = _key(candidate)
        found = self._named.get(key)
        if found is None:
            resolve = self.ranker.vocabulary.resolve
            capitalised = content_words(" ".join(_CAPITALISED.findall(_said(candidate))))
            found = frozenset(resolve(w)[0] for w in capitalised) & self._proper
            self._named[key] = found
        return found


def near_pairs(sequence: Sequence[str]) -> frozenset[tuple[str, str]]:
    """Pairs of terms written next to each other (in either order) or with one word between them: what makes two
    words of a question a phrase in the candidate rather than a coincidence."""
    return frozenset(
        [*pairwise(sequence), *((b, a) for a, b in pairwise(sequence)), *zip(sequence, sequence[2:], strict=False)]
    )


_LISTS = re.compile(
    r"such as|includ|namely|e\.g\.|for example|for instance|\blike\b|:|;|\b(?:first|firstly|one)\b|"
    r"\w+, \w+(?: \w+)?,? (?:and|or) \w+",
    re.IGNORECASE,
)
"""What a sentence listing ones of a kind says: "such as", "including", a colon, "first...", "A, B and C"."""

NAME_FAMILY = 4
"""Letters two names must share at their start, the shorter whole, to be one name in two forms ("Asia", "Asian")."""


def _new_names(named: frozenset[str | None], asked: frozenset[str | None]) -> bool:
    """Whether a candidate names anyone or anything the question does not (a demonym of a name asked is no news:
    "Central Asia" answers no "which Central Asian countries")."""
    for name in named - asked:
        if name is None or not any(
            other is not None
            and min(len(name), len(other)) >= NAME_FAMILY
            and (other.startswith(name) or name.startswith(other))
            for other in asked
        ):
            return True
    return False


def _only_someone(candidate: Candidate, person: str | None) -> bool:
    """Whether the candidate writes the kind of person whose name is asked with "a", "an", "one" or "another" ("a
    learned Benedictine first starts the conjecture", "I know of one well-known player who..."): it tells of someone
    it does not name."""
    if person is None:
        return False
    return (
        re.search(rf"\b(?:an?|one|another)\s+(?:[\w'’-]+\s+){{0,2}}{re.escape(person)}\b", _said(candidate), re.I)
        is not None
    )


def _said(candidate: Candidate) -> str:
    """Everything the candidate would show: the sentences cited, and a pair's answer."""
    text = candidate.citation.quote
    return text if candidate.pair is None else f"{text} {candidate.pair.answer}"


def _key(candidate: Candidate) -> int:
    """What a candidate is, for remembering what it says: its pair or its sentence (each loaded once)."""
    return id(candidate.pair if candidate.pair is not None else candidate.sentence)
