"""Answering from the material with a checkable citation, or saying honestly that it does not cover the question."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.corpus import Knowledge
from knowledge.models import Answer, Citation, Place
from knowledge.retriever import DEFAULT_THRESHOLD, MAX_SUGGESTIONS, Retriever, build_retriever

MakeFolder = Callable[..., Path]

# Questions the essay answers, with the paragraph and sentences the answer must cite.
ANSWERED = [
    ("What is soft power?", 1, (2,)),
    ("What is the aim of the study?", 1, (5,)),
    ("Why is Japan attractive?", 2, (4,)),
    ("What is the only goal of soft power?", 4, (2,)),
    ("How good is English proficiency in Japan?", 3, (7,)),
    ("What is propaganda?", 4, (4,)),
    ("soft pwoer", 1, (2,)),
]

NOT_COVERED = [
    "What are the rules of football?",
    "Who won the 2022 World Cup?",
    "What is hard power in chemistry?",
    "What does the Japan Foundation do?",
    "How do I bake bread?",
    "",
    "   ",
    "😀🤔❓",
    "ソフトパワーとは何ですか",
    "日本の外交政策は何ですか",
    "¿Qué es el poder blando?",
    "¿Cuál es la política exterior de Japón?",
]

RIVERS = (
    "Rivers of the north\n"
    "\n"
    "The northern rivers flood every spring when the\n"
    "snow melts. Their banks are\n"
    "covered in green reeds.\n"
    "\n"
    "Mountains rise in the east. Glaciers feed the lakes.\n"
)


def folded(text: str) -> str:
    return " ".join(text.split())


def assert_checkable(citation: Citation, knowledge: Knowledge) -> None:
    """The citation points at real sentences, and its quote is the file's own text (whitespace aside)."""
    document = knowledge.document(citation.source)
    assert document is not None
    raw = Path(document.path).read_text(encoding="utf-8")
    assert folded(citation.quote) in folded(raw)
    lines = raw.split("\n")[citation.lines[0] - 1 : citation.lines[1]]
    assert folded(citation.quote) in folded(" ".join(lines))
    paragraph = document.paragraphs[citation.paragraph - 1]
    cited = [paragraph.sentences[n - 1] for n in citation.sentences]
    assert citation.lines == (cited[0].line_start, cited[-1].line_end)


@pytest.mark.parametrize(("question", "paragraph", "sentences"), ANSWERED)
def test_answers_with_a_checkable_citation(
    retriever: Retriever, bundled: Knowledge, question: str, paragraph: int, sentences: tuple[int, ...]
) -> None:
    answer = retriever.ask(question)
    assert answer.answered
    assert answer.question == question
    assert answer.text
    assert answer.confidence >= DEFAULT_THRESHOLD
    assert answer.pair is None or answer.pair not in answer.suggestions
    (citation,) = answer.citations
    assert (citation.source, citation.paragraph, citation.sentences) == ("soft-power-essay", paragraph, sentences)
    assert_checkable(citation, bundled)


def test_curated_answer_comes_with_its_pair(retriever: Retriever) -> None:
    answer = retriever.ask("What is the only goal of soft power?")
    assert answer.pair is not None
    assert answer.text == answer.pair.answer
    assert answer.citations == (answer.pair.citation,)


def test_page_break_sentence_is_cited_with_its_lines(retriever: Retriever, bundled: Knowledge) -> None:
    answer = retriever.ask("How does the growth of global student traffic affect Japan?")
    assert answer.answered
    (citation,) = answer.citations
    assert (citation.paragraph, citation.sentences) == (3, (6,))
    assert_checkable(citation, bundled)


@pytest.mark.parametrize("question", NOT_COVERED)
def test_abstains_when_the_material_does_not_cover_it(retriever: Retriever, question: str) -> None:
    answer = retriever.ask(question)
    assert not answer.answered
    assert answer.text is None
    assert answer.citations == ()
    assert answer.pair is None
    assert 0.0 <= answer.confidence < DEFAULT_THRESHOLD
    assert answer.question == question


@pytest.mark.parametrize("question", ["soft pwoer", "Japans foriegn policy", "What is Japans foriegn policy?"])
def test_typos_are_forgiven(retriever: Retriever, bundled: Knowledge, question: str) -> None:
    answer = retriever.ask(question)
    assert answer.answered
    assert "soft power" in answer.citations[0].quote or "foreign policy" in answer.citations[0].quote
    assert_checkable(answer.citations[0], bundled)


@pytest.mark.parametrize("question", [row[0] for row in ANSWERED] + NOT_COVERED + ["power", "Japan", "soft power"])
def test_confidence_is_between_zero_and_one(retriever: Retriever, question: str) -> None:
    assert 0.0 <= retriever.ask(question).confidence <= 1.0


def test_not_covered_answer_suggests_curated_questions(retriever: Retriever, bundled: Knowledge) -> None:
    answer = retriever.ask("What is hard power in chemistry?")
    assert not answer.answered
    assert 0 < len(answer.suggestions) <= MAX_SUGGESTIONS
    assert len(set(answer.suggestions)) == len(answer.suggestions)
    assert all(pair in bundled.pairs for pair in answer.suggestions)
    assert any("power" in pair.question.casefold() for pair in answer.suggestions)


def test_nothing_to_suggest_for_a_question_sharing_no_words(retriever: Retriever) -> None:
    answer = retriever.ask("zqxj blorft?")
    assert not answer.answered
    assert answer.suggestions == ()


def test_threshold_decides_whether_to_answer(bundled: Knowledge) -> None:
    question = "Why is Japan attractive?"
    answered = Retriever(bundled).ask(question)
    assert answered.answered
    strict = Retriever(bundled, threshold=min(1.0, answered.confidence + 0.01)).ask(question)
    assert not strict.answered
    assert strict.confidence == pytest.approx(answered.confidence)
    assert Retriever(bundled, threshold=0.2).ask("What are the rules of football?").answered


def test_same_question_same_answer(retriever: Retriever) -> None:
    first = retriever.ask("Why does Japan organise academic exchanges?")
    assert retriever.ask("Why does Japan organise academic exchanges?") == first


def test_suggest_with_nothing_typed_lists_curated_questions_in_file_order(
    retriever: Retriever, bundled: Knowledge
) -> None:
    assert retriever.suggest("") == list(bundled.pairs[:25])
    # Punctuation or emoji alone have no words: the same as nothing typed yet.
    assert retriever.suggest("  ?! 🙂", limit=3) == list(bundled.pairs[:3])


def test_suggest_forgives_typos_in_a_partial_question(retriever: Retriever) -> None:
    found = retriever.suggest("what is sfot pow")
    assert found
    assert "soft power" in found[0].question.casefold()


def test_suggest_ranks_the_closest_question_first(retriever: Retriever) -> None:
    found = retriever.suggest("english proficiency")
    assert "english" in found[0].question.casefold()


@pytest.mark.parametrize("typed", ["zzqxj", "qwpoeiruty", "xylophone zebra", "日本"])
def test_suggest_nothing_for_nonsense(retriever: Retriever, typed: str) -> None:
    assert retriever.suggest(typed) == []


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_suggest_respects_the_limit_without_repeats(retriever: Retriever, limit: int) -> None:
    found = retriever.suggest("Japan", limit=limit)
    assert len(found) == limit
    assert len({pair.key for pair in found}) == limit
    assert len(retriever.suggest("Japan")) <= 25


def test_text_without_curated_pairs_is_answered_from_its_sentences(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"rivers.txt": RIVERS})
    retriever = build_retriever(str(folder))
    answer = retriever.ask("Why do the northern rivers flood?")
    assert answer.answered
    assert answer.pair is None
    assert answer.text == "The northern rivers flood every spring when the snow melts."
    assert answer.citations == (
        Citation(
            "rivers",
            2,
            (1,),
            (3, 4),
            "The northern rivers flood every spring when the snow melts.",
            Place("rivers.txt", 2, (1,)),
        ),
    )
    second = retriever.ask("What covers the river banks?")
    assert second.citations[0].lines == (4, 5)
    assert retriever.ask("What is soft power?").answered is False
    assert retriever.suggest("") == []
    assert retriever.suggest("rivers") == []


def test_build_retriever_defaults_to_the_bundled_folder(bundled: Knowledge) -> None:
    assert build_retriever().knowledge == bundled


def test_100k_character_question_returns_promptly(retriever: Retriever) -> None:
    for question in ("soft power " * 9100, "x" * 100_000, "pwoer foriegn Japans innovaton " * 3300):
        started = time.perf_counter()
        answer = retriever.ask(question)
        assert time.perf_counter() - started < 2.0
        assert isinstance(answer, Answer)
        assert 0.0 <= answer.confidence <= 1.0


def test_100k_characters_of_distinct_nonsense_abstain_promptly(retriever: Retriever) -> None:
    question = " ".join(f"zq{n:05d}word" for n in range(10_000))
    assert len(question) > 100_000
    started = time.perf_counter()
    answer = retriever.ask(question)
    assert time.perf_counter() - started < 2.0
    assert not answer.answered


def test_question_about_a_name_the_material_never_mentions_abstains(retriever: Retriever) -> None:
    assert retriever.ask("How does Japan use soft power tools?").answered
    question = "How does China use soft power tools?"
    # The words alone would pass the threshold; the unknown name is what makes it about something else.
    assert retriever.rank(question, 0.0)[0].confidence >= retriever.threshold
    other = retriever.ask(question)
    assert not other.answered
    assert other.citations == ()


def test_quantity_question_needs_a_passage_that_states_one(make_folder: MakeFolder) -> None:
    folder = make_folder(
        **{"lakes.txt": "The southern lakes are 40 metres deep.\n\nThe eastern lakes are very deep.\n"}
    )
    retriever = build_retriever(str(folder))
    southern = retriever.ask("How many metres deep are the southern lakes?")
    assert southern.answered
    assert southern.citations[0].quote == "The southern lakes are 40 metres deep."
    assert retriever.ask("How deep are the eastern lakes?").answered
    assert not retriever.ask("How many metres deep are the eastern lakes?").answered
