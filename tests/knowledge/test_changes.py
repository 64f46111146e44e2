"""knowledge/changes.py: what a reload changes — pairs added, removed or edited (by ``source/id``), texts that came or
went — and the one-line summary an admin reads."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from knowledge.changes import KnowledgeChanges, compare
from knowledge.corpus import Knowledge, load_knowledge
from knowledge.models import QAPair

ESSAY = "soft-power-essay"
NOTES_TXT = "Diplomacy is the management of relations between states.\n"
NOTES_QA = """\
- id: what-is-diplomacy
  question: What is diplomacy?
  alternates: []
  answer: The management of relations between states.
  quote: Diplomacy is the management of relations between states.
"""


def replace_pair(knowledge: Knowledge, pair_id: str, **changes: object) -> Knowledge:
    pairs = tuple(dataclasses.replace(p, **changes) if p.id == pair_id else p for p in knowledge.pairs)  # type: ignore[arg-type]
    return dataclasses.replace(knowledge, pairs=pairs)


def without_pair(knowledge: Knowledge, pair_id: str) -> Knowledge:
    return dataclasses.replace(knowledge, pairs=tuple(p for p in knowledge.pairs if p.id != pair_id))


def pair(knowledge: Knowledge, pair_id: str) -> QAPair:
    return next(p for p in knowledge.pairs if p.id == pair_id)


def test_the_same_knowledge_has_no_changes(bundled: Knowledge) -> None:
    changes = compare(bundled, bundled)
    assert changes == KnowledgeChanges((), (), (), (), ())
    assert changes.nothing
    assert changes.summary() == "no changes"
    assert compare(bundled, load_knowledge()).nothing  # loaded again: equal, not the same objects


def test_added_removed_and_changed_pairs_by_key(bundled: Knowledge) -> None:
    old = without_pair(bundled, "soft-power-only-goal")
    new = replace_pair(without_pair(bundled, "what-is-soft-power"), "essay-research-problem", answer="Edited.")

    changes = compare(old, new)

    assert changes.added == (f"{ESSAY}/soft-power-only-goal",)
    assert changes.removed == (f"{ESSAY}/what-is-soft-power",)
    assert changes.changed == (f"{ESSAY}/essay-research-problem",)
    assert (changes.sources_added, changes.sources_removed) == ((), ())
    assert not changes.nothing
    assert changes.summary() == "pairs: 1 added, 1 removed, 1 changed"


@pytest.mark.parametrize(
    "field",
    ["question", "alternates", "answer", "quote", "citation"],
)
def test_any_edited_field_is_a_change(bundled: Knowledge, field: str) -> None:
    before = pair(bundled, "soft-power-only-goal")
    edited = {
        "question": "What is soft power for?",
        "alternates": (*before.alternates, "one more way to ask"),
        "answer": "Results.",
        "quote": "the only goal of soft power",
        "citation": dataclasses.replace(before.citation, lines=(49, 51)),
    }[field]

    changes = compare(bundled, replace_pair(bundled, "soft-power-only-goal", **{field: edited}))

    assert changes.changed == (f"{ESSAY}/soft-power-only-goal",)
    assert (changes.added, changes.removed) == ((), ())


def test_a_pair_moved_in_its_file_is_not_a_change(bundled: Knowledge) -> None:
    moved = replace_pair(bundled, "soft-power-only-goal", line=1)
    reordered = dataclasses.replace(bundled, pairs=tuple(reversed(bundled.pairs)))
    assert compare(bundled, moved).nothing
    assert compare(bundled, reordered).nothing


def test_keys_are_listed_sorted(bundled: Knowledge) -> None:
    ids = ["what-is-soft-power", "essay-research-problem", "soft-power-only-goal"]
    old = bundled
    for pair_id in ids:
        old = without_pair(old, pair_id)
    assert compare(old, bundled).added == tuple(sorted(f"{ESSAY}/{i}" for i in ids))
    assert compare(bundled, old).removed == tuple(sorted(f"{ESSAY}/{i}" for i in ids))


def test_texts_that_came_and_went(bundled: Knowledge, tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / f"{ESSAY}.txt").write_text(Path(bundled.documents[0].path).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "notes.txt").write_text(NOTES_TXT, encoding="utf-8")
    (folder / "notes.qa.yaml").write_text(NOTES_QA, encoding="utf-8")
    with_notes = load_knowledge(folder)

    added = compare(bundled, with_notes)
    removed = compare(with_notes, bundled)

    assert added.sources_added == ("notes",)
    assert added.sources_removed == ()
    assert added.added == ("notes/what-is-diplomacy",)
    assert len(added.removed) == len(bundled.pairs)  # this copy has no essay pairs
    assert added.summary() == f"pairs: 1 added, {len(bundled.pairs)} removed, 0 changed; new texts: notes"
    assert removed.sources_removed == ("notes",)
    assert removed.summary() == f"pairs: {len(bundled.pairs)} added, 1 removed, 0 changed; texts gone: notes"


def test_summary_of_sources_only() -> None:
    changes = KnowledgeChanges((), (), (), ("a", "b"), ("c",))
    assert not changes.nothing
    assert changes.summary() == "pairs: 0 added, 0 removed, 0 changed; new texts: a, b; texts gone: c"
