"""The inverted index: stemmed terms to the units that contain them, weighed by idf, and the search for the best
units for a question's terms (:mod:`knowledge.vocabulary` maps what a student typed onto those terms)."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from knowledge.dense import DenseScores

FIT = 2.0
"""The weight of fit against coverage in the ranking score, written as twice the F1's weight (2 is the plain F1)."""
PRESELECT = 8
"""Above this many units found per unit wanted, :meth:`InvertedIndex._best` first drops those that cannot win."""
SORT_PER_K = 40
"""Up to this many values per value wanted, sorting them all finds the best few faster than ``heapq.nlargest``'s
Python loop (measured: the two cost the same at about 250 values for 4 wanted, 750 for 18)."""
DENSE_FROM = 2000
"""Units from which an index also keeps its postings as numpy arrays, when numpy is installed (the ``fast`` extra),
and searches them there (:mod:`knowledge.dense`): the same answers, several times quicker on a large folder. This is
where the two break even, measured on the bench's synthetic passages: Python is quicker at 500, they are about even
at 1,000-2,000, numpy is 1.8 times quicker on average at 4,000 and 3 times at 10,000 (and slower on the essay)."""


class InvertedIndex:
    """Postings of stemmed terms over a list of units (sentences, or curated phrasings), with BM25-style idf."""

    def __init__(
        self,
        units: Sequence[Sequence[str]],
        idf_from: InvertedIndex | None = None,
        priors: Mapping[str, float] | None = None,
        context: Sequence[Sequence[str]] = (),
        context_weight: float = 0.0,
    ) -> None:
        """Index ``units`` (each a list of terms); take idf from ``idf_from`` when these units are not the corpus.

        ``priors`` scale each term's idf by its weight in general English (see
        :meth:`knowledge.vocabulary.Vocabulary.priors`).
        ``context`` gives each unit further terms that count ``context_weight`` as much as its own: the sentence
        before, where "It is done by..." or "The latter are twenty" takes its subject from.
        """
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for number, unit in enumerate(units):
            for term in unit:
                postings[term][number] = 1.0
        frequency = {term: len(found) for term, found in postings.items()}
        for number, unit in enumerate(context):
            for term in unit:
                postings[term].setdefault(number, context_weight)
        self.postings: dict[str, dict[int, float]] = dict(postings)
        self.size = len(units)
        self._idf_source = idf_from
        self.unknown_idf: float = idf_from.unknown_idf if idf_from else _idf(self.size, 0)
        priors = priors or {}
        self._priors = priors
        self._once = _idf(self.size, 1)
        self._idf = (  # an index weighed by another's idf keeps none of its own
            {}
            if idf_from
            else {term: _idf(self.size, frequency.get(term, 0)) * priors.get(term, 1.0) for term in self.postings}
        )
        # What each unit is worth in idf when fully matched: the denominator of "how much of this unit was asked".
        self.unit_weight = [0.0] * self.size
        for term, found in self.postings.items():
            idf = self.idf(term)
            for number, weight in found.items():
                self.unit_weight[number] += idf * weight
        self.heaviest = max(self.unit_weight, default=0.0)
        self._dense = _dense(self.postings, self.unit_weight)

    @property
    def uses_numpy(self) -> bool:
        """Whether searches run on numpy arrays (:data:`DENSE_FROM` units or more, numpy installed)."""
        return self._dense is not None

    def idf(self, term: str | None) -> float:
        """Inverse document frequency. A term of the vocabulary that these units never use (a word only curated
        questions use) counts as if one unit did, weighed by its prior; a term nobody uses is as specific as a term
        can be."""
        if self._idf_source is not None:
            return self._idf_source.idf(term)
        if term is None:
            return self.unknown_idf
        found = self._idf.get(term)
        if found is not None:
            return found
        prior = self._priors.get(term)
        return self.unknown_idf if prior is None else self._once * prior

    def top(
        self,
        gains: Sequence[tuple[float, str]],
        k: int,
        total: float,
        scope: Scope = None,
        floor: float = 0.0,
        *,
        rarest: bool = True,
    ) -> list[Hit]:
        """The ``k`` units (within ``scope``) scoring best by ``coverage + fit``, best first.

        ``gains`` are (idf x weight, term), rarest first; ``total`` is the question's whole known weight. A unit's
        score only grows as terms are added, and a unit not yet met can gain at most what the terms still to come
        weigh: once that cannot beat the k-th best score so far, or cannot give a coverage of ``floor``, the long
        postings of common words only update units already found. This is what keeps a large corpus fast, on the
        answering and the abstaining path alike. ``rarest=False`` leaves each hit's ``rarest`` at 0 (it costs a look
        through the terms per unit found).
        """
        if self._dense is not None:
            found = self._dense.top(gains, k, total, scope, floor)
            if not rarest:
                return [Hit(unit, weight, 0.0) for unit, weight in found]
            return [Hit(unit, weight, self._rarest(unit, gains)) for unit, weight in found]
        remaining = sum(gain for gain, _ in gains)
        matched: dict[int, float] = {}
        postings = self.postings
        heaviest = self.heaviest
        kth = 0.0  # a lower bound of the k-th best score so far: scores only grow
        for gain, term in gains:
            units = postings.get(term)
            if units is not None:
                bound = remaining / total + FIT * remaining / (total + remaining)
                if kth < bound and len(matched) >= k:
                    least = kth_largest(matched.values(), k)
                    kth = least / total + FIT * least / (total + heaviest)
                if kth >= bound or remaining < floor * total - 1e-9:
                    for unit in matched.keys() & units.keys():
                        matched[unit] += gain * units[unit]
                elif not matched and scope is None:
                    matched = {unit: gain * weight for unit, weight in units.items()}
                else:
                    get = matched.get
                    for unit, weight in units.items():
                        if scope is None or unit in scope:
                            matched[unit] = get(unit, 0.0) + gain * weight
            remaining -= gain
        best = self._best(matched, k, total)
        if not rarest:
            return [Hit(unit, matched[unit], 0.0) for unit in best]
        return [Hit(unit, matched[unit], self._rarest(unit, gains)) for unit in best]

    def _best(self, matched: dict[int, float], k: int, total: float) -> list[int]:
        """The ``k`` units with the best scores, best first.

        Only units that could be among them are scored: the ``k`` largest matched weights guarantee the k-th best
        score at least their score in the heaviest unit, and a unit scores at most ``(1 + FIT) * m / total``, so a
        unit matching less than that needs cannot make it (on a large corpus, most of the units found).
        """
        weights = self.unit_weight
        items: Iterable[tuple[int, float]] = matched.items()
        if len(matched) > PRESELECT * k:
            least = kth_largest(matched.values(), k)
            cut = least * (1.0 + FIT * total / (total + self.heaviest)) / (1.0 + FIT)
            items = [(unit, m) for unit, m in items if m >= cut]
        scored = [(m / total + FIT * m / (total + weights[unit]), unit) for unit, m in items]
        return [unit for _, unit in largest(scored, k)]

    def _rarest(self, unit: int, gains: Sequence[tuple[float, str]]) -> float:
        """The gain of the rarest query term the unit holds (gains come rarest first)."""
        for gain, term in gains:
            weight = self.postings.get(term, {}).get(unit)
            if weight is not None:
                return gain * weight
        return 0.0


class Hit(NamedTuple):
    """A unit found for a query: its number, the summed gain of the terms it matched, the gain of the rarest one."""

    unit: int
    matched: float
    rarest: float


T = TypeVar("T", float, tuple[float, int])

Scope = range | frozenset[int] | None
"""Unit numbers a search may return (a text's or a paragraph's sentences), or None for all."""
MAX_SCOPES = 64
"""Scopes whose derived forms (a numpy mask, the paragraphs holding them) are remembered: a material has few, one per
text or paragraph asked about."""


def largest(values: Collection[T], k: int) -> list[T]:
    """The ``k`` largest of ``values``, largest first: a C sort of them all while there are few
    (:data:`SORT_PER_K`), ``heapq.nlargest`` above, where sorting everything costs more (the two agree on ties)."""
    if len(values) <= SORT_PER_K * k:
        return sorted(values, reverse=True)[:k]
    return heapq.nlargest(k, values)


def kth_largest(values: Collection[float], k: int) -> float:
    """The ``k``-th largest of ``values`` (there are at least ``k``)."""
    return largest(values, k)[-1]


def score(matched: float, unit_weight: float, total: float) -> float:
    """The ranking score: coverage of the question plus fit (F1 of coverage and of the unit's share asked)."""
    return matched / total + FIT * matched / (total + unit_weight)


def _dense(postings: Mapping[str, Mapping[int, float]], unit_weight: Sequence[float]) -> DenseScores | None:
    """The postings as arrays, for an index of :data:`DENSE_FROM` units or more when numpy is installed."""
    if len(unit_weight) < DENSE_FROM:
        return None
    try:
        from knowledge.dense import DenseScores
    except ImportError:  # numpy is the optional "fast" extra
        return None
    return DenseScores(postings, unit_weight, FIT)


def _idf(size: int, frequency: int) -> float:
    return math.log(1.0 + (size - frequency + 0.5) / (frequency + 0.5))
