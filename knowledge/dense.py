"""Searching a large index with numpy: the same best units as :meth:`InvertedIndex.top`, found in array operations.

The Python search walks each query term's postings unit by unit. On a course text of a few hundred sentences that
is the quickest way; on a folder of tens of thousands of passages, a question made only of common words walks tens
of thousands of postings per term (10 ms and more), and the mean is several times the median. Here each term's
postings are two arrays (unit numbers, weights), a query adds them into one array of matched weights, and the best
``k`` come from a partial sort: the same answers, in a few array operations per term.

numpy is optional (the ``fast`` extra): importing this module fails without it, and the index then searches in
Python (see :data:`knowledge.index.DENSE_FROM` for when it is used at all). Ties are broken as the Python search
breaks them (the higher unit number first), so which search ran never changes an answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from knowledge.index import MAX_SCOPES

COMMON_SHARE = 8
"""A term found in at least one unit in this many is kept as a whole row of weights (zeros where it is absent):
adding a row is several times quicker than scattering as many postings into it."""


class DenseScores:
    """The postings of one index as arrays, and the search over them."""

    def __init__(self, postings: Mapping[str, Mapping[int, float]], unit_weight: Sequence[float], fit: float) -> None:
        self.size = len(unit_weight)
        self._fit = fit
        self._postings: dict[str, tuple[NDArray[np.int64], NDArray[np.float64]]] = {}
        self._rows: dict[str, NDArray[np.float64]] = {}
        for term, found in postings.items():
            units = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
            weights = np.fromiter(found.values(), dtype=np.float64, count=len(found))
            if len(found) * COMMON_SHARE >= self.size:
                row = self._rows[term] = np.zeros(self.size)
                row[units] = weights
            else:
                self._postings[term] = (units, weights)
        self._unit_weight = np.asarray(unit_weight, dtype=np.float64)
        self._masks: dict[range | frozenset[int], NDArray[np.bool_]] = {}

    def top(
        self,
        gains: Sequence[tuple[float, str]],
        k: int,
        total: float,
        scope: range | frozenset[int] | None,
        floor: float,
    ) -> list[tuple[int, float]]:
        """The ``k`` best (unit, matched weight), best first, as :meth:`InvertedIndex.top` finds them.

        Once the terms still to come cannot give a unit not yet found a coverage of ``floor``, a term only adds to
        units already found, as in the Python search; units out of ``scope`` are dropped at the end.
        """
        matched = np.zeros(self.size)
        remaining = sum(gain for gain, _ in gains)
        limit = floor * total - 1e-9
        for gain, term in gains:
            row = self._rows.get(term)
            if row is not None:  # adding 0 to the units without the term changes nothing
                added = matched + gain * row
                matched = np.where(matched > 0.0, added, matched) if remaining < limit else added
            elif (found := self._postings.get(term)) is not None:
                units, weights = found
                if remaining < limit:
                    before = matched[units]
                    matched[units] = np.where(before > 0.0, before + gain * weights, before)
                else:
                    matched[units] += gain * weights
            remaining -= gain
        if scope is not None:
            matched[~self._mask(scope)] = 0.0
        units = np.flatnonzero(matched)
        if not len(units):
            return []
        held = matched[units]
        scores = held / total + self._fit * held / (total + self._unit_weight[units])
        if len(units) > k:  # every unit scoring at least the k-th best: ties at the edge are all kept, then broken
            kth = np.partition(scores, len(units) - k)[len(units) - k]
            keep = scores >= kth
            units, held, scores = units[keep], held[keep], scores[keep]
        best = sorted(zip(scores.tolist(), units.tolist(), held.tolist(), strict=True), reverse=True)[:k]
        return [(unit, weight) for _, unit, weight in best]

    def _mask(self, scope: range | frozenset[int]) -> NDArray[np.bool_]:
        """Which units are in ``scope`` (remembered for the few scopes a material has)."""
        mask = self._masks.get(scope)
        if mask is None:
            mask = np.zeros(self.size, dtype=bool)
            mask[np.fromiter(scope, dtype=np.int64, count=len(scope))] = True
            if len(self._masks) < MAX_SCOPES:
                self._masks[scope] = mask
        return mask
