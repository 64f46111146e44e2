"""knowledge/view.py: a server's shelves (shared texts, its own) answered as one."""

from __future__ import annotations

from pathlib import Path

import pytest
from tenancy_samples import ESSAY, knowledge_folder

from knowledge.formats.reading import Reading
from knowledge.library import Library
from knowledge.retriever import DEFAULT_THRESHOLD
from knowledge.view import View

LEAVES = "Why do leaves look green?"
GOAL = "What is the only goal of soft power?"


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> View:
    root = knowledge_folder(tmp_path_factory.mktemp("view") / "knowledge")
    return Library(Reading(), DEFAULT_THRESHOLD).view(root, root / "1")


def test_the_most_confident_shelf_answers(view: View) -> None:
    leaves, goal = view.ask(LEAVES), view.ask(GOAL)

    assert leaves.pair is not None
    assert leaves.pair.key == "plants/leaves-green"
    assert goal.pair is not None
    assert goal.pair.key == f"{ESSAY}/soft-power-only-goal"


def test_a_source_asks_its_shelf_only(view: View) -> None:
    assert not view.ask(GOAL, "plants").answered
    assert view.ask(GOAL, ESSAY).answered


def test_not_covered_offers_the_nearest_of_every_shelf(view: View) -> None:
    answer = view.ask("Why are the goals of leaves green in Brazil?")

    keys = [pair.key for pair in answer.suggestions]
    assert not answer.answered
    assert "plants/leaves-green" in keys
    assert any(key.startswith(f"{ESSAY}/") for key in keys)
    assert len(keys) == len(set(keys)) <= 5


def test_suggestions_take_turns_own_texts_first(view: View) -> None:
    typed = view.suggest("", limit=3)

    assert [pair.source for pair in typed] == ["plants", ESSAY, ESSAY]
    assert len(view.suggest("", limit=25)) == 25


def test_where_each_texts_pairs_are_written(view: View) -> None:
    own, shared = view.home("plants"), view.home(ESSAY)

    assert own is not None
    assert shared is not None
    assert Path(own.folder).name == "1"
    assert shared.folder == view.knowledge.folder
    assert view.home("history") is None
    assert view.is_shared(ESSAY)
    assert not view.is_shared("plants")
