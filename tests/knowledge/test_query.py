"""Reading a question against one material: its words resolved to terms, and weighed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.query import QueryReader
from knowledge.retriever import Retriever, build_retriever

MakeFolder = Callable[..., Path]


@pytest.fixture(scope="module")
def reader(retriever: Retriever) -> QueryReader:
    return QueryReader(retriever.ranker)


@pytest.fixture(scope="module")
def plants(tmp_path_factory: pytest.TempPathFactory) -> QueryReader:
    """A reader over a small text about leaves, which never says "state"."""
    folder = tmp_path_factory.mktemp("plants")
    (folder / "plants.txt").write_text("Leaves are green because chlorophyll reflects green light.\n")
    return QueryReader(build_retriever(str(folder)).ranker)


def test_known_words_resolve_to_terms_and_unknown_ones_weigh_by_general_rarity(reader: QueryReader) -> None:
    query = reader.read("what is soft power photosynthesis")
    resolved = {q.word: q.term for q in query.terms}
    assert resolved == {"soft": "soft", "power": "power", "photosynthesis": None}
    unknown = next(q for q in query.terms if q.term is None)
    assert query.unknown == pytest.approx(unknown.gain)
    assert unknown.gain > max(q.gain for q in query.terms if q.term is not None)
    assert query.wording is None  # a word the material lacks: not a curated phrasing in other forms


def test_common_unknown_words_weigh_far_less_than_rare_ones(reader: QueryReader) -> None:
    common = reader.read("soft power day").unknown
    rare = reader.read("soft power photosynthesis").unknown
    assert 0 < common < rare / 2


def test_study_talk_the_material_lacks_is_dropped(reader: QueryReader) -> None:
    assert reader.read("soft power for my exam tomorrow").terms == reader.read("soft power").terms


def test_state_is_a_topic_where_the_material_speaks_of_states(reader: QueryReader, plants: QueryReader) -> None:
    """The essay speaks of "your own state": there "state" is asked about; a text that never uses the word reads
    "what does the text state about..." as talk about the text."""
    assert "state" in {q.word for q in reader.read("what can your own state learn").terms if q.term}
    assert plants.read("what does the text state about leaves").terms == plants.read("leaves").terms


def test_rewordings_of_one_question_share_their_wording(reader: QueryReader) -> None:
    assert reader.read("what's soft power").wording == reader.read("What is soft power?").wording == {"soft", "power"}


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What does China think of soft power?", ["china"]),
        ("what does the Japan Foundation do?", ["japan", "foundation"]),  # not the essay's "Japan" + "foundations"
        ("What does Japan think of soft power?", []),
    ],
)
def test_names_the_material_never_mentions_are_flagged(reader: QueryReader, question: str, names: list[str]) -> None:
    query = reader.read(question)
    assert query.unknown_names == names
    assert all(q.term is None for q in query.terms if q.word in names)


def test_a_place_without_a_topic_leaves_no_terms(reader: QueryReader) -> None:
    query = reader.read("what does paragraph 3 say")
    assert query.place is not None
    assert query.place.paragraph == 3
    assert not query.topic
    assert query.terms == []


def test_a_place_with_a_topic_ranks_on_the_topic_only(reader: QueryReader) -> None:
    query = reader.read("what does paragraph 3 say about students")
    assert query.topic
    assert [q.term for q in query.terms] == ["student"]


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("what does the essay say about photosynthesis", True),  # a topic the material lacks is still a topic
        ("what does the last sentence argue", False),  # talk about the text
        ("what does the essay say overall", False),  # a place word
        ("can you explain paragraph 2 in simple terms", False),  # how to answer, not what about
        ("what question does the first paragraph ask", False),
        ("what's the point being made in the last paragraph", False),
        ("What example does the second paragraph finish with?", False),  # the kind of thing asked for, as "point"
        ("How does the essay open?", False),  # "open" is also a word of the essay ("open up to the world")
        ("tl;dr of the part on line", True),  # a lecture on painting has a part on Line
        ("what's the first line of the essay", False),  # the line asked for
        ("Can you give me a one-line summary of the 2nd paragraph?", False),  # how long the answer should be
        ("what is the short two-line passage in paragraph 4", False),
    ],
)
def test_a_word_the_material_lacks_names_a_topic_too(reader: QueryReader, question: str, topic: bool) -> None:
    query = reader.read(question)
    assert query.place is not None
    assert query.topic is topic


def test_two_questions_in_one_message_are_kept_apart(reader: QueryReader) -> None:
    query = reader.read("what is soft power and why do students come to japan?")
    assert [part.question for part in query.asked] == ["what is soft power?", "why do students come to japan?"]
    assert reader.read("what is soft power?").asked == []


def test_quantity_questions_are_recognised(reader: QueryReader) -> None:
    assert reader.read("how many students came to Japan?").wants_quantity
    assert reader.read("What is Japan's exact rank in English proficiency indexes?").wants_quantity  # a rank
    assert reader.read("where does japan rank in english").wants_quantity
    assert not reader.read("why do students come to Japan?").wants_quantity
    assert not reader.read("where does japan get its soft power methods from?").wants_quantity


def test_a_misspelt_everyday_word_is_dropped_like_the_word(reader: QueryReader) -> None:
    typed, meant = reader.read("whta is soft power"), reader.read("what is soft power")
    assert typed.terms == meant.terms
    assert typed.unknown == meant.unknown == 0.0
    assert typed.wording == meant.wording


def test_a_question_asking_what_something_is_for_asks_its_purpose_where_the_material_says_purpose(
    reader: QueryReader, plants: QueryReader, make_folder: MakeFolder
) -> None:
    """The essay's curated questions say "purpose"; a text that never does is not asked for a word it lacks."""
    asked = reader.read("ok but whats the actual point of soft power lol")
    assert {q.word: q.term for q in asked.terms} == {"soft": "soft", "power": "power", "purpose": "purpos"}
    assert asked.wording == {"soft", "power", "purpos"}  # the curated "what is the purpose of soft power", not "what is
    # soft power, actually" ("actual" only stresses the point asked for)
    assert "purpose" not in {q.word for q in reader.read("what's the main point of paragraph 2").terms}
    assert plants.read("what are leaves even for").terms == plants.read("what are leaves even").terms
    folder = make_folder(**{"lab.txt": "The purpose of the wash is to remove the dye. The wash takes an hour.\n"})
    lab = QueryReader(build_retriever(str(folder)).ranker)
    assert [q.word for q in lab.read("what is the wash for?").terms] == ["wash", "purpose"]
