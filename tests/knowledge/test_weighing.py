"""Weighing the ranker's best candidates: the evidence the confidence model reads, and the confidence itself."""

from __future__ import annotations

import pytest

from knowledge.query import QueryReader
from knowledge.retriever import Retriever
from knowledge.weighing import WEIGHED, Option, Weigher


@pytest.fixture(scope="module")
def reader(retriever: Retriever) -> QueryReader:
    return QueryReader(retriever.ranker)


@pytest.fixture(scope="module")
def weigher(retriever: Retriever) -> Weigher:
    return Weigher(retriever.ranker)


def weigh(reader: QueryReader, weigher: Weigher, question: str, pair_k: int = 6) -> tuple[list[Option], int]:
    query = reader.read(question)
    options, pairs = weigher.weigh(query, query.terms, None, None, pair_k)
    return options, len(pairs)


def test_a_well_matched_question_gets_a_confident_option(reader: QueryReader, weigher: Weigher) -> None:
    options, _ = weigh(reader, weigher, "define soft power")
    best = max(options, key=lambda o: o.confidence)
    assert best.confidence > 0.9
    assert best.candidate.citation.paragraph == 1
    assert best.candidate.citation.sentences == (2,)
    assert best.evidence is not None
    assert best.evidence.known_coverage == pytest.approx(1.0)


def test_at_most_the_best_candidates_are_weighed_and_pairs_are_capped(reader: QueryReader, weigher: Weigher) -> None:
    options, pairs = weigh(reader, weigher, "why do students come to japan", pair_k=2)
    assert 0 < len(options) <= WEIGHED
    assert pairs <= 2
    assert {o.evidence.curated for o in options if o.evidence} <= {0.0, 1.0}
    assert any(o.candidate.pair is not None for o in options)


def test_a_number_asked_for_and_not_stated_is_evidence_against(reader: QueryReader, weigher: Weigher) -> None:
    options, _ = weigh(reader, weigher, "how many students came to Japan?")
    assert options
    assert all(o.evidence is not None and o.evidence.quantity_missing == 1.0 for o in options)
    assert max(o.confidence for o in options) < 0.1


def test_words_the_material_lacks_lower_the_confidence(reader: QueryReader, weigher: Weigher) -> None:
    plain, _ = weigh(reader, weigher, "define soft power")
    padded, _ = weigh(reader, weigher, "define soft power for photosynthesis and chlorophyll")
    assert max(o.confidence for o in padded) < max(o.confidence for o in plain) - 0.1


def test_nothing_matched_gives_no_options(reader: QueryReader, weigher: Weigher) -> None:
    assert weigh(reader, weigher, "photosynthesis chlorophyll") == ([], 0)
