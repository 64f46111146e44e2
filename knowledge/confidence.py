"""Confidence: the estimated probability that a candidate's citation answers the question.

One scale for everything: a curated pair or a bare sentence, a short question or a long one, a curated text or a
text nobody has curated. It is a logistic model over evidence the ranker already has (how much of the question the
candidate holds, how precisely, how far ahead of the runner-up, how rare the words it matched are, how much of the
question the material lacks, ...), fitted offline on labelled question sets (``python bench/calibrate.py`` refits
it and prints the constants below) and shipped as constants: no runtime dependency, a few multiplications a query.

Two kinds of answer do not go through the model: a question that is word for word a curated phrasing (its curator
vouched for the answer), and a structural question ("what does paragraph 3 say"), answered from a place rather than
by matching words. Their confidence is the rate at which such answers were right on the same sets. Two rules cap the
model: a question mostly about something the material lacks gets at most the rate such candidates were right
(:func:`is_elsewhere`), and so does a candidate naming none of the ones a question asks for (``ones_missing``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import mul
from typing import NamedTuple

FEATURES = (
    "coverage",
    "known_coverage",
    "precision",
    "unknown",
    "margin",
    "curated",
    "rarest",
    "length",
    "quantity_missing",
    "name_missing",
    "unknown_name",
    "similarity",
    "place_only",
    "terms_held",
    "phrases",
    "opens",
    "ones_missing",
    "lead_paragraph",
    "closeness",
    "phrased",
)
"""The evidence the model weighs, in the order of :class:`Evidence`. The lexical model (:data:`WEIGHTS`) weighs all
but the last two, which only a sentence-embedding model gives (:data:`SEMANTIC_WEIGHTS`)."""
LEXICAL_FEATURES = FEATURES[:-2]
"""What the lexical model weighs: the evidence words alone give."""


class Evidence(NamedTuple):
    """What the ranker knows about one candidate for one question, each in [0, 1] except ``length``."""

    coverage: float
    """The share of the whole question's weight (known and unknown words) that the candidate holds."""
    known_coverage: float
    """The same share among the words the material uses."""
    precision: float
    """The share of the candidate's own weight that the question asks about."""
    unknown: float
    """The share of the question's weight in words the material never uses (weighed by general-English rarity)."""
    margin: float
    """How far the candidate's ranking score is ahead of the best candidate citing something else (negative if
    behind), halved to [-1, 1]."""
    curated: float
    """1 for a curated pair, 0 for a bare sentence."""
    rarest: float
    """How specific the rarest matched word is: its gain over the largest possible idf."""
    length: float
    """log(1 + number of content words in the question)."""
    quantity_missing: float
    """1 when the question asks for a number or a date and the candidate states none, or asks for a measure and it
    states none of it: "what year" and no year, century or decade; "how many" and no number; "when" and no date,
    time word or age."""
    name_missing: float
    """1 when the question asks for a name ("who", "which countries") and the candidate names nobody new."""
    unknown_name: float
    """1 when the question names someone or something the material never mentions ("China", "Joseph Nye")."""
    similarity: float
    """rapidfuzz's ``token_set_ratio`` of the question's and the candidate's content words (the sentence's, or the
    pair's best-fitting phrasing's), over 100: word forms and word order that stems and idf miss."""
    place_only: float
    """1 when the question names a place in the text and no topic ("what does paragraph 3 say"): words such as
    "paragraph" or "end" then match a candidate by accident, unless it is a curated question worded alike."""
    terms_held: float
    """The share of the question's words, counted one each (those the material lacks included), that the candidate
    holds: ``coverage`` weighs them by idf, which in a short text lets one rare word outweigh all the others."""
    phrases: float
    """The share of the question's neighbouring known words that the candidate writes near each other (next to each
    other, or one word apart): "natural resources" asked and written, not "natural" here and "resources" there."""
    opens: float
    """1 when the citation starts with the sentence that opens its paragraph (after any title). It weighs against:
    the opening sentence names the paragraph's topic, so it matches a question's topic words while the answer is
    often in a sentence after it (fitted on every text alike; it also holds across texts, one left out at a time)."""
    ones_missing: float
    """1 when the question asks which ones of a kind ("which Central Asian countries...", "what companies...") and
    the candidate names none (Central Asia, a name asked, is no answer): it mentions the kind, not the ones. Also
    when it asks which ones of a kind of thing ("what natural resources does...") and the candidate writes that kind,
    modifier and all, listing none ("the natural resources of Central Asia"); and when it asks the name of a kind of
    person and the candidate tells of one without naming ("a learned Benedictine first starts the conjecture")."""
    lead_paragraph: float
    """1 when the candidate is a sentence of the paragraph that ranks first for the question (scored as sentences
    are), 0 for any other sentence and for a curated pair. A match where the rest of the question's words are
    around it, in the paragraph that treats its topic, is likelier the answer than an equally good match elsewhere:
    measured leaving one text out, it lifted the uncurated texts' right answers by about three points, wrong ones
    unchanged."""
    closeness: float = 0.0
    """How close in meaning the candidate's cited sentences are to the question, against the closest sentence of
    the material: the best cosine among them less the best of all (0 when one of them is the closest, down to about
    -1). Only with the optional sentence-embedding model (:mod:`knowledge.semantic`); 0 and unweighed without it."""
    phrased: float = 0.0
    """For a curated pair, how close in meaning the closest of its phrasings is to the question, against the
    closest phrasing of all the pairs (0 for the closest, down to about -1); 0 for a sentence. A reworded question
    is often nearer a question a curator wrote than the sentence answering it: the model learnt from pairs of
    questions asked alike. Only with the sentence-embedding model; fitted with one round of the essay's questions
    left out at a time, 0.791 of them were answered right (0.787 without it; with and without the pairs) and 5.4%
    of the answers were wrong either way."""


WEIGHTS = (
    1.528,
    -0.674,
    0.686,
    -0.391,
    3.807,
    0.608,
    0.317,
    1.316,
    -3.553,
    -0.331,
    -1.364,
    0.842,
    -2.953,
    2.248,
    0.056,
    -0.492,
    -5.784,
    1.614,
)
"""Fitted coefficients, in the order of :data:`FEATURES`."""
BIAS = -5.753
"""Fitted intercept."""

SEMANTIC_WEIGHTS = (
    2.559,
    -0.440,
    0.618,
    -0.616,
    3.115,
    0.936,
    -0.429,
    1.179,
    -3.781,
    -0.347,
    -1.430,
    0.556,
    -2.808,
    0.464,
    0.163,
    -0.405,
    -5.734,
    1.474,
    5.900,
    2.915,
)
"""Fitted coefficients of the model with the sentence-embedding model's closeness, in the order of :data:`FEATURES`
(``python bench/calibrate.py --semantic``)."""
SEMANTIC_BIAS = -4.055
"""Its fitted intercept."""

VERBATIM = 0.994
"""How often a question that is word for word a curated phrasing got that pair's citation right."""
STRUCTURAL = {"exact": 0.976, "key": 0.979, "with_topic": 0.156}
"""How often a structural answer was right: pointing at a named sentence ("the last sentence of paragraph 2"), at a
paragraph's key sentence, and at a place when the question also names a topic the place does not hold."""


ELSEWHERE = 0.062
"""How often a candidate was right when the question is mostly about something else (:func:`is_elsewhere`)."""
MOSTLY_UNKNOWN = 0.8
"""The share of a question's weight in words the material lacks above which it is mostly about something else..."""
FEW_HELD = 1 / 3
"""...if the candidate also holds no more than this share of its words."""


UNNAMED = 0.022
"""How often a candidate was right when the question asks which ones of a kind and it names none (``ones_missing``):
the logistic model weighs that against a candidate's other evidence, but such a candidate mentions the kind ("the
countries of the region") with the question's other words, which otherwise looks like a good match."""


def is_elsewhere(evidence: Evidence) -> bool:
    """Whether the question is mostly about something the material lacks, and the candidate holds little of it:
    "what is the boiling point of water at sea level" matched on "level" alone.

    The logistic model cannot learn this from its sums: a single matched word far ahead of any rival makes a large
    margin, which outweighs the words missing. Candidates like these were right about one time in twenty on the tuning
    sets, so that is their confidence at most.
    """
    return evidence.unknown >= MOSTLY_UNKNOWN and evidence.terms_held <= FEW_HELD


def probability(
    evidence: Evidence,
    weights: Sequence[float] = WEIGHTS,
    bias: float = BIAS,
    elsewhere: float = ELSEWHERE,
    unnamed: float = UNNAMED,
) -> float:
    """The logistic model: the probability that the candidate's citation answers the question (at most
    ``elsewhere`` for a question mostly about something else, ``unnamed`` for a candidate naming none of the ones
    asked for). Features beyond the weights given are not weighed: the lexical model ignores ``closeness``."""
    z = bias + sum(map(mul, weights, evidence))
    if z < -30.0:
        return 0.0
    found = 1.0 / (1.0 + math.exp(-z))
    if evidence.ones_missing:
        found = min(found, unnamed)
    return min(found, elsewhere) if is_elsewhere(evidence) else found


def fit(
    rows: Sequence[Sequence[float]],
    labels: Sequence[int],
    l2: float = 1.0,
    iterations: int = 50,
    sample_weights: Sequence[float] | None = None,
) -> tuple[list[float], float]:
    """Fit logistic regression by Newton's method with an L2 penalty (not on the bias): weights and bias.

    ``sample_weights`` let each text count alike however many questions it has.

    Written out rather than imported: it runs offline on a few thousand rows, and a runtime ML dependency for a few
    constants would cost every install more than these lines.
    """
    width = len(rows[0])
    beta = [0.0] * (width + 1)  # bias last
    for _ in range(iterations):
        gradient = [0.0] * (width + 1)
        hessian = [[0.0] * (width + 1) for _ in range(width + 1)]
        for row, label, weight in zip(rows, labels, sample_weights or [1.0] * len(rows), strict=True):
            x = [*row, 1.0]
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            for i in range(width + 1):
                gradient[i] += weight * (p - label) * x[i]
                for j in range(i + 1):
                    hessian[i][j] += weight * p * (1.0 - p) * x[i] * x[j]
        for i in range(width):
            gradient[i] += l2 * beta[i]
            hessian[i][i] += l2
        for i in range(width + 1):
            for j in range(i):
                hessian[j][i] = hessian[i][j]
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return beta[:width], beta[width]


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve ``matrix @ x = vector`` by Gaussian elimination with partial pivoting (a small dense system)."""
    n = len(vector)
    a = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(a[r][r]) < 1e-12:
            continue
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x
