"""Answering from the material with a checkable citation, or saying honestly that it does not cover the question."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.confidence import STRUCTURAL, VERBATIM
from knowledge.corpus import Knowledge, load_knowledge
from knowledge.models import Answer, Citation, Place
from knowledge.retriever import (
    CERTAIN,
    CLOSE_CALL,
    CLOSE_ENOUGH,
    DEFAULT_THRESHOLD,
    MAX_PARTS,
    MAX_SUGGESTIONS,
    Retriever,
    build_retriever,
    is_uncertain,
)

MakeFolder = Callable[..., Path]

# Questions the essay answers, with the paragraph and sentences the answer must cite.
ANSWERED = [
    ("What is soft power?", 1, (2,)),
    ("What is the aim of the study?", 1, (4, 5)),
    ("What makes Japan attractive?", 2, (4,)),
    ("why's japan so appealing to other countries", 2, (4,)),
    ("What is the only goal of soft power?", 4, (2,)),
    ("How good is English proficiency in Japan?", 3, (7,)),
    ("What is propaganda?", 4, (2, 3, 4)),
    ("soft pwoer", 1, (2,)),
]

NOT_COVERED = [
    "Who won the 2022 World Cup?",
    "how does photosynthesis work",
    "What is hard power in chemistry?",
    "What does the Japan Foundation do?",
    "How do I bake bread?",
    "hey how's it going",
    "good morning everyone how was ur weekend",
    "what does the essay say about photosynthesis",
    "How do I turn down the volume level on my laptop speakers?",  # "level" alone matched (0.80 before the cap)
    "what level of sugar is safe in a daily diet?",
    "summarize what the text says about football",
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


def test_invisible_characters_inside_words_do_not_split_them(retriever: Retriever) -> None:
    hidden = retriever.ask("What is the only goal of so\u200bft po\u200dwer?")
    assert hidden.answered
    assert hidden.citations == retriever.ask("What is the only goal of soft power?").citations


def test_a_typo_is_forgiven(retriever: Retriever, bundled: Knowledge) -> None:
    answer = retriever.ask("soft pwoer")
    assert answer.answered
    assert "soft power" in answer.citations[0].quote
    assert_checkable(answer.citations[0], bundled)


@pytest.mark.parametrize("question", ["Japans foriegn policy", "What is Japans foriegn policy?"])
def test_typos_find_the_passage(retriever: Retriever, question: str) -> None:
    """Corrected words rank the right sentence first, though two common words are not enough to answer."""
    best = retriever.consider(question)[0]
    assert "foreign policy" in best.candidate.citation.quote
    assert best.confidence > 0.5


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
    question = "How does Japan use soft power tools?"
    answered = Retriever(bundled).ask(question)
    assert answered.answered
    strict = Retriever(bundled, threshold=min(1.0, answered.confidence + 0.01)).ask(question)
    assert not strict.answered
    assert strict.confidence == pytest.approx(answered.confidence)
    assert Retriever(bundled, threshold=0.2).ask("What are the rules of football?").answered


def test_not_covered_but_near_points_at_the_passage_that_came_closest(bundled: Knowledge) -> None:
    question = "How does Japan use soft power tools?"
    found = Retriever(bundled).ask(question)
    assert found.answered
    assert found.closest is None
    strict = Retriever(bundled, threshold=min(1.0, found.confidence + 0.01)).ask(question)
    assert not strict.answered
    assert strict.citations == ()
    assert strict.closest == found.citations[0]
    assert strict.to_dict()["closest"] == found.citations[0].to_dict()


def test_the_nearest_passage_needs_a_candidate_close_enough(bundled: Knowledge) -> None:
    question = "Does Japan's soft power bring results over the long term?"
    confidence = Retriever(bundled).ask(question).confidence
    assert confidence >= CLOSE_ENOUGH
    higher = Retriever(bundled, threshold=1.0)
    assert higher.ask(question).closest is not None
    with pytest.MonkeyPatch.context() as patch:  # the same candidate, now short of the floor
        patch.setattr("knowledge.retriever.CLOSE_ENOUGH", confidence + 0.01)
        assert higher.ask(question).closest is None


@pytest.mark.parametrize("question", NOT_COVERED)
def test_questions_the_essay_does_not_answer_point_nowhere(retriever: Retriever, question: str) -> None:
    answer = retriever.ask(question)
    assert answer.closest is None
    assert answer.to_dict()["closest"] is None


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


@pytest.mark.parametrize(
    ("after", "with_it"),
    [
        ("His dream is a school full of play.", True),
        ("Among these, on the north coast, are Havana and Matanzas.", True),
        ("Subsequently the time in the water may be prolonged.", True),
        ("Thus the dough is kneaded without hands.", True),
        ("Their banks are covered in green reeds.", True),
        ("The same result will happen to a delicate infant.", True),
        ("Similarly, the teachers were not satisfied.", True),
        ("The valley is a broad, shallow bowl.", False),  # a new subject, however near
        ("The samurai were not satisfied either.", False),  # "The same" only as words
        ("Heavy rain fell in the spring.", False),  # "He" only as a word
        ("In Cuba there are many harbours.", False),  # "In" only before a word pointing back
    ],
)
def test_a_sentence_is_cited_with_the_next_when_that_one_points_back_at_it(
    make_folder: MakeFolder, after: str, with_it: bool
) -> None:
    """A sentence raises what the next one, pointing back at it or carrying on from it, answers: "Mr. Cook was not
    satisfied with the schools." is quoted with "His dream is..."."""
    folder = make_folder(**{"text.txt": f"Mr. Cook was not satisfied with the schools. {after}\n"})
    first = build_retriever(str(folder)).ranker.sentence_citations[0]
    assert first.sentences == ((1, 2) if with_it else (1,))


def test_a_sentence_pointing_back_is_answered_after_the_one_it_points_at(make_folder: MakeFolder) -> None:
    """A sentence like "Thus this mud is substantially chalk" does not say, alone, what the mud was found to be made
    of; the reader is shown the sentence before as well. The sentence is weighed as itself: its confidence is what it
    was alone (what the sentence before says does not make it surer)."""
    text = (
        "The dredge brought up a fine grey mud from the deep sea. Examined chemically, it proves to be composed "
        "almost wholly of carbonate of lime. Thus this deep-sea mud is substantially chalk.\n\n"
        "Sailors have sounded the Atlantic for many years.\n"
    )
    retriever = build_retriever(str(make_folder(**{"mud.txt": text})))
    answer = retriever.ask("is deep sea mud basically chalk")
    assert answer.answered
    assert answer.citations[0].sentences == (2, 3)
    assert answer.text == (
        "Examined chemically, it proves to be composed almost wholly of carbonate of lime. "
        "Thus this deep-sea mud is substantially chalk."
    )
    [best, *_] = retriever.consider("is deep sea mud basically chalk")
    assert best.candidate.sentence is not None
    assert best.candidate.sentence.number == 3
    assert best.candidate.citation.sentences == (3,)  # what is weighed
    assert best.confidence == answer.confidence
    # The first sentence points at nothing before it: shown alone.
    first = retriever.ask("what did the dredge bring up from the deep sea")
    assert first.citations[0].sentences == (1,)


def test_text_without_curated_pairs_is_answered_from_its_sentences(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"rivers.txt": RIVERS})
    retriever = build_retriever(str(folder))
    answer = retriever.ask("Why do the northern rivers flood?")
    assert answer.answered
    assert answer.pair is None
    # "Their banks..." points back at the rivers: the sentence found is quoted with it, as a reader needs it.
    both = "The northern rivers flood every spring when the snow melts. Their banks are covered in green reeds."
    assert answer.text == both
    assert answer.citations == (Citation("rivers", 2, (1, 2), (3, 5), both, Place("rivers.txt", 2, (1, 2))),)
    # Found alone, "Their banks..." is shown after the sentence it points back at: whose banks is said there.
    second = retriever.ask("What covers the river banks?")
    assert second.answered
    assert (second.text, second.citations[0].sentences, second.citations[0].lines) == (both, (1, 2), (3, 5))
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
    other = retriever.ask(question)
    assert not other.answered
    assert other.citations == ()
    assert other.confidence < retriever.threshold
    # However near its other words come, a passage about something else is no place to read about China.
    lenient = Retriever(retriever.knowledge, threshold=0.0).ask(question)
    assert not lenient.answered
    assert lenient.confidence >= CLOSE_ENOUGH
    assert lenient.closest is None


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


# ----------------------------------------------------------------- questions as students write them


def test_structural_questions_are_answered_from_the_paragraph(retriever: Retriever) -> None:
    third = retriever.ask("What does paragraph 3 say?")
    assert third.answered
    assert third.pair is None
    (citation,) = third.citations
    assert (citation.paragraph, citation.sentences) == (3, (1, 4))  # its first sentence and the most central one
    assert citation.quote.startswith("It can be concluded that in its cultural diplomacy")
    assert " … By attracting students" in citation.quote  # not next to each other: an ellipsis between them
    assert not retriever.ask("What does paragraph 9 say?").answered  # the essay has four


def test_structural_question_on_a_text_with_headings(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"rivers.txt": RIVERS})
    retriever = build_retriever(str(folder))
    answer = retriever.ask("how does the first paragraph end")
    assert answer.answered
    assert answer.citations[0].quote == "Their banks are covered in green reeds."  # the heading is not counted


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [("What does the paragraph before the conclusion talk about?", 3), ("whats the para right after the intro", 2)],
)
def test_a_paragraph_named_by_the_one_next_to_it_is_answered_from_its_key_sentences(
    retriever: Retriever, question: str, paragraph: int
) -> None:
    answer = retriever.ask(question)
    assert answer.confidence == STRUCTURAL["key"]
    assert answer.citations[0].paragraph == paragraph


def test_a_paragraph_named_by_number_is_no_curated_question_worded_alike(retriever: Retriever) -> None:
    """ "how does paragraph 2 end" shares the words of the curated conclusion's phrasings ("essay ending summary")
    once the place's words are set aside; it asks about paragraph 2, not the conclusion."""
    answer = retriever.ask("how does paragraph 2 end")
    assert answer.pair is None
    assert (answer.citations[0].paragraph, answer.citations[0].sentences) == (2, (5,))  # its last sentence


def test_two_questions_in_one_message_get_two_citations(retriever: Retriever) -> None:
    answer = retriever.ask("tbh is japan bad at english or smth? and what's pushing them to learn it")
    assert answer.answered
    assert [(c.paragraph, c.sentences) for c in answer.citations] == [(3, (7,)), (3, (6,))]
    assert answer.text == "\n\n".join(part.text or "" for part in answer.parts)  # one answer per question
    assert [part.question for part in answer.parts] == [
        "is japan bad at english or smth?",
        "what's pushing them to learn it?",
    ]


def test_each_question_of_a_message_is_answered_as_if_asked_alone(retriever: Retriever) -> None:
    """Curated questions asked together are each looked up word for word, and a structural question is answered
    from its place: neither would be if the message were weighed as one question."""
    alone = [retriever.ask(q) for q in ("What problem does the essay study?", "what does paragraph 2 say?")]
    answer = retriever.ask("What problem does the essay study? Also, what does paragraph 2 say")
    assert [(p.question, p.citations, p.confidence, p.pair) for p in answer.parts] == [
        (a.question, a.citations, a.confidence, a.pair) for a in alone
    ]
    assert alone[0].confidence == VERBATIM
    assert answer.citations == alone[0].citations + alone[1].citations
    assert answer.confidence == alone[0].confidence  # the first question's: what is shown first
    assert answer.pair is None  # each part has its own, and names the curated question it answers
    assert answer.rephrased is None
    assert answer.to_dict()["parts"] == [a.to_dict() for a in alone]


def test_a_question_the_text_does_not_answer_is_not_covered_beside_one_it_does(retriever: Retriever) -> None:
    answer = retriever.ask("what is soft power? and whats the capital of france")
    assert answer.answered
    assert [p.answered for p in answer.parts] == [True, False]
    assert answer.text == answer.parts[0].text
    assert answer.citations == answer.parts[0].citations


def test_a_message_none_of_whose_questions_is_covered_is_answered_as_one(retriever: Retriever) -> None:
    answer = retriever.ask("whats the weather like and who won the world cup")
    assert not answer.answered
    assert answer.parts == ()


def test_a_question_that_refers_back_keeps_the_name_asked_before(retriever: Retriever) -> None:
    """ "is it part of Japan's soft power?" alone is covered; "it" is the JET Programme, which the essay never
    mentions."""
    assert retriever.ask("is it part of Japan's soft power?").answered
    assert not retriever.ask("What is the JET Programme and is it part of Japan's soft power?").answered


def test_more_questions_than_answered_one_by_one_are_read_as_one(retriever: Retriever) -> None:
    questions = ["What is soft power?", "What is the only goal of soft power?", "Whom do Japan's exchanges attract?"]
    assert len(retriever.ask(" ".join(questions)).parts) == MAX_PARTS == 3
    assert retriever.ask(" ".join([*questions, "What problem does the essay study?"])).parts == ()


def test_a_preamble_before_the_question_does_not_drown_it(retriever: Retriever) -> None:
    answer = retriever.ask(
        "I'm making flashcards for tomorrow's seminar and I keep mixing up the two benefits of the exchanges, "
        "can you remind me what they are?"
    )
    assert answer.answered
    assert answer.citations[0].paragraph == 3
    assert set(answer.citations[0].sentences) & {4, 5}


@pytest.mark.parametrize(
    "question",
    [
        "whats the actual point of soft power",
        "ok but whats the actual point of soft power lol",
        "What is soft power really for, in the end?",
    ],
)
def test_asked_what_soft_power_is_for_the_essay_says_its_only_goal(retriever: Retriever, question: str) -> None:
    """Not what soft power is (a curated "what does soft power actually mean" shares every other word), nor the
    conclusion as a place ("in the end" is "ultimately")."""
    answer = retriever.ask(question)
    assert answer.answered
    assert (answer.citations[0].paragraph, answer.citations[0].sentences) == (4, (2,))


@pytest.mark.parametrize("greeting", ["good morning! ", "hi everyone! ", "Morning all, "])
def test_a_greeting_before_the_question_changes_nothing(retriever: Retriever, greeting: str) -> None:
    plain = retriever.ask("what is soft power?")
    greeted = retriever.ask(greeting + "what is soft power?")
    assert greeted.answered
    assert (greeted.citations, greeted.confidence) == (plain.citations, plain.confidence)


def test_a_curated_question_in_other_word_forms_gets_its_pair(retriever: Retriever, bundled: Knowledge) -> None:
    pair = next(p for p in bundled.pairs if p.question == "What is soft power?")
    for typed in ("what's soft power", "SOFT POWER?", "what is soft pwoer"):
        answer = retriever.ask(typed)
        assert answer.pair == pair, typed
        assert answer.confidence >= DEFAULT_THRESHOLD


def test_the_sentence_before_lends_a_pronoun_its_subject(make_folder: MakeFolder) -> None:
    text = (
        "Milk teeth come first. The latter are twenty in number.\n\n"
        "Adult teeth come later in life. They are thirty-two in number.\n"
    )
    retriever = build_retriever(str(make_folder(**{"teeth.txt": text})))
    quotes = [o.candidate.citation.quote for o in retriever.consider("milk teeth number")]
    # "The latter" has only "number" of its own; "milk teeth" comes from the sentence before it
    assert quotes.index("The latter are twenty in number.") < quotes.index("They are thirty-two in number.")


@pytest.mark.parametrize(
    ("confidence", "runner_up", "uncertain"),
    [
        (0.95, None, False),
        (0.95, 0.80, False),
        (0.95, 0.86, True),  # a candidate citing something else is within CLOSE_CALL
        (CERTAIN - 0.01, None, True),  # below CERTAIN
        (CERTAIN, CERTAIN - 2 * CLOSE_CALL, False),
    ],
)
def test_an_answer_is_uncertain_when_low_or_closely_followed(
    confidence: float, runner_up: float | None, uncertain: bool
) -> None:
    assert is_uncertain(confidence, runner_up) is uncertain


def test_an_uncertain_answer_offers_the_competing_curated_questions(make_folder: MakeFolder) -> None:
    qa = "".join(
        f"- id: {name}\n  question: Why does the river {name}?\n  alternates: []\n  answer: {answer}\n"
        f"  quote: {quote}\n"
        for name, answer, quote in (
            ("flood", "Snow melts.", "The river floods because the snow melts in the hills."),
            ("freeze", "The wind is cold.", "The river freezes because the winter wind is cold."),
        )
    )
    text = (
        "The river floods because the snow melts in the hills.\n\nThe river freezes because the winter wind is cold.\n"
    )
    retriever = Retriever(load_knowledge(make_folder(**{"river.txt": text, "river.qa.yaml": qa})), threshold=0.0)
    sure = retriever.ask("Why does the river flood?")
    both = retriever.ask("river flood freeze")
    assert sure.pair is not None
    assert sure.suggestions == ()
    assert both.pair is not None
    assert [p.id for p in both.suggestions] == ["freeze" if both.pair.id == "flood" else "flood"]


def test_a_heading_is_no_answer_but_tells_what_the_section_is_about(make_folder: MakeFolder) -> None:
    text = (
        "Digestion.\n\n"
        "The stomach churns food for hours. Acid breaks it down.\n\n"
        "Respiration.\n\n"
        "The lungs take in air. Oxygen passes into the blood.\n"
    )
    retriever = build_retriever(str(make_folder(**{"book.txt": text})))
    assert all(
        o.candidate.citation.quote not in ("Digestion.", "Respiration.") for o in retriever.consider("digestion")
    )
    for question, section in [
        ("what happens in digestion", ("The stomach churns food for hours.", "Acid breaks it down.")),
        ("what happens in respiration", ("The lungs take in air.", "Oxygen passes into the blood.")),
    ]:
        assert retriever.consider(question)[0].candidate.citation.quote in section


def test_a_sentence_found_first_is_said_in_the_words_of_a_pair_citing_it(retriever: Retriever) -> None:
    """The sentence outranks the curated pair that quotes it; the answer is the pair's, with the sentence's citation
    and confidence."""
    question = "How is the first-class image of Japan's science and technology industry maintained?"
    options = retriever.consider(question)
    assert options[0].candidate.pair is None
    answer = retriever.ask(question)
    assert answer.pair is not None
    assert answer.pair.id == "exchanges-science-technology-image"
    assert answer.text == answer.pair.answer
    assert answer.citations == (options[0].candidate.citation,)
    assert answer.confidence == options[0].confidence


def test_two_pairs_quoting_the_sentence_found_leave_it_in_its_own_words(retriever: Retriever) -> None:
    """Two pairs quote the sentence found first, one on what cultural diplomacy is and one on Japan's, about equally
    likely: which one the question means is unclear, so the sentence is quoted as it is."""
    question = "What does Japan make the most of in its cultural diplomacy?"
    options = retriever.consider(question)
    cited = options[0].candidate.citation
    assert options[0].candidate.pair is None
    quoting = [o for o in options if o.candidate.pair is not None and o.candidate.citation is cited]
    assert len(quoting) >= 2
    assert quoting[0].confidence >= retriever.threshold  # one alone would have spoken
    assert quoting[1].confidence > quoting[0].confidence - CLOSE_CALL
    answer = retriever.ask(question)
    assert (answer.pair, answer.text) == (None, cited.quote)


def test_a_pair_citing_the_sentence_found_speaks_only_if_it_would_be_answered(bundled: Knowledge) -> None:
    """A pair below the threshold may answer another question about the same sentence: the sentence is quoted."""
    question = "Does Japan make the most of its own cultural potential?"
    options = Retriever(bundled).consider(question)
    sentence, pair = options[0], next(o for o in options if o.candidate.pair is not None)
    assert sentence.candidate.pair is None
    assert pair.candidate.citation is sentence.candidate.citation
    assert pair.confidence < sentence.confidence
    between = Retriever(bundled, threshold=(pair.confidence + sentence.confidence) / 2).ask(question)
    assert (between.pair, between.text) == (None, sentence.candidate.citation.quote)
    at_pair = Retriever(bundled, threshold=pair.confidence).ask(question)
    assert at_pair.pair is pair.candidate.pair


@pytest.mark.parametrize(
    "question", ["How does the essay end?", "How does the text end?", "how does the essay wrap up"]
)
def test_how_the_essay_ends_is_its_point_and_its_very_last_words(retriever: Retriever, question: str) -> None:
    """The ending is the conclusion's point and the essay's last sentence, which no curated pair quotes together:
    the curated conclusion ("In conclusion, ...") alone leaves out the words the essay ends on."""
    answer = retriever.ask(question)
    assert answer.answered
    assert answer.pair is None
    citation = answer.citations[0]
    assert citation.paragraph == 4
    assert citation.sentences[0] == 1
    assert citation.sentences[-1] == 4
