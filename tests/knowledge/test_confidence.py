"""The confidence model: a probability in [0, 1], and the fit that produces its constants."""

from __future__ import annotations

import math
import random

import pytest

from knowledge.confidence import (
    ELSEWHERE,
    FEATURES,
    FEW_HELD,
    LEXICAL_FEATURES,
    MOSTLY_UNKNOWN,
    SEMANTIC_WEIGHTS,
    STRUCTURAL,
    UNNAMED,
    VERBATIM,
    WEIGHTS,
    Evidence,
    fit,
    is_elsewhere,
    probability,
)


def test_the_shipped_constants_fit_the_features() -> None:
    assert len(WEIGHTS) == len(LEXICAL_FEATURES) == len(FEATURES) - 2
    assert len(SEMANTIC_WEIGHTS) == len(FEATURES) == len(Evidence._fields)
    assert Evidence._fields == FEATURES
    assert 0.0 < VERBATIM <= 1.0
    assert 0.0 < ELSEWHERE <= 1.0
    assert 0.0 < UNNAMED <= 1.0
    assert all(0.0 < rate <= 1.0 for rate in STRUCTURAL.values())


def test_more_evidence_means_more_confidence() -> None:
    weak = Evidence(0.3, 0.4, 0.2, 0.5, 0.0, 0.0, 0.2, 1.0, 0.0, 0.0, 0.0, 0.3, 0.0, 0.4, 0.0, 0.0, 0.0, 0.0)
    strong = weak._replace(
        coverage=1.0, known_coverage=1.0, unknown=0.0, margin=0.5, similarity=1.0, terms_held=1.0, phrases=1.0
    )
    assert 0.0 <= probability(weak) < 0.5 < probability(strong) <= 1.0


def test_a_sentence_of_the_paragraph_the_question_is_about_is_likelier_the_answer() -> None:
    elsewhere = Evidence(0.8, 0.8, 0.5, 0.2, 0.1, 0.0, 0.5, 1.8, 0.0, 0.0, 0.0, 0.7, 0.0, 0.7, 0.5, 0.0, 0.0, 0.0)
    assert probability(elsewhere) < probability(elsewhere._replace(lead_paragraph=1.0))


def test_a_missing_quantity_or_name_or_an_unknown_name_lowers_confidence() -> None:
    asked = Evidence(1.0, 1.0, 0.8, 0.0, 0.3, 1.0, 0.5, 1.5, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0)
    assert probability(asked._replace(quantity_missing=1.0)) < probability(asked)
    assert probability(asked._replace(unknown_name=1.0)) < probability(asked)
    # asked which countries, named none: less sure than asked who, named none
    nameless = asked._replace(name_missing=1.0)
    assert probability(nameless._replace(ones_missing=1.0)) < probability(nameless) < probability(asked)


def test_a_question_mostly_about_something_else_is_capped_at_the_rate_seen() -> None:
    """ "What is the boiling point of water at sea level?" on the essay: "level" alone matched, far ahead of rivals."""
    level = Evidence(0.15, 1.0, 0.47, 0.85, 0.82, 1.0, 0.31, 1.79, 0.0, 0.0, 0.0, 0.52, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0)
    assert is_elsewhere(level)
    assert probability(level) == ELSEWHERE < probability(level, elsewhere=1.0)
    holds_more = level._replace(terms_held=FEW_HELD + 0.01)
    less_unknown = level._replace(unknown=MOSTLY_UNKNOWN - 0.01)
    assert not is_elsewhere(holds_more)
    assert not is_elsewhere(less_unknown)
    assert probability(holds_more) > ELSEWHERE


def test_a_candidate_naming_none_of_the_ones_asked_for_is_capped_at_the_rate_seen() -> None:
    """ "Which Central Asian countries does Japan cooperate with?": "the countries of the region" matches well."""
    matched = Evidence(1.0, 1.0, 0.7, 0.0, 0.4, 0.0, 0.5, 1.8, 0.0, 1.0, 0.0, 0.9, 0.0, 1.0, 0.5, 0.0, 1.0, 1.0)
    assert probability(matched) == UNNAMED < probability(matched, unnamed=1.0)
    assert probability(matched._replace(ones_missing=0.0)) > UNNAMED


def test_probability_of_extreme_evidence_stays_in_bounds() -> None:
    assert probability(Evidence(*([0.0] * len(FEATURES))), weights=[1.0] * len(FEATURES), bias=-1000.0) == 0.0
    everything = Evidence(*([1.0] * len(FEATURES)))._replace(ones_missing=0.0)  # not capped
    assert probability(everything, weights=[1.0] * len(FEATURES), bias=1000.0) == 1.0


def test_fit_recovers_the_coefficients_of_a_known_model() -> None:
    rng = random.Random(7)
    truth, bias = [2.0, -1.5], 0.5
    rows, labels = [], []
    for _ in range(4000):
        row = [rng.uniform(-2, 2), rng.uniform(-2, 2)]
        p = 1 / (1 + math.exp(-(bias + sum(w * x for w, x in zip(truth, row, strict=True)))))
        rows.append(row)
        labels.append(int(rng.random() < p))
    weights, fitted_bias = fit(rows, labels, l2=0.01)
    assert weights == pytest.approx(truth, abs=0.2)
    assert fitted_bias == pytest.approx(bias, abs=0.2)


def test_sample_weights_count_like_repeated_rows() -> None:
    rows = [[0.0], [1.0], [1.0], [2.0]]
    labels = [0, 0, 1, 1]
    weighted, weighted_bias = fit(rows, labels, sample_weights=[1.0, 2.0, 1.0, 1.0])
    repeated, repeated_bias = fit([*rows, [1.0]], [*labels, 0])
    assert weighted == pytest.approx(repeated)
    assert weighted_bias == pytest.approx(repeated_bias)
