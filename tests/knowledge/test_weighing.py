"""Weighing the ranker's best candidates: the evidence the confidence model reads, and the confidence itself."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from knowledge.confidence import UNNAMED, Evidence
from knowledge.query import QueryReader
from knowledge.retriever import DEFAULT_THRESHOLD, Retriever, build_retriever
from knowledge.weighing import WEIGHED, Option, Weigher


@pytest.fixture(scope="module")
def reader(retriever: Retriever) -> QueryReader:
    return QueryReader(retriever.ranker)


@pytest.fixture(scope="module")
def weigher(retriever: Retriever) -> Weigher:
    return Weigher(retriever.ranker)


def weigh(reader: QueryReader, weigher: Weigher, question: str, pair_k: int = 6) -> tuple[list[Option], int]:
    query = reader.read(question)
    options, pairs = weigher.weigh(query, None, None, pair_k)
    return options, len(pairs)


def best_evidence(options: list[Option], opening: str) -> Evidence:
    """The evidence of the most probable option, which must quote the sentence starting with ``opening``."""
    assert options[0].candidate.citation.quote.startswith(opening)
    assert options[0].evidence is not None
    return options[0].evidence


def one_text(folder: Path, text: str) -> Retriever:
    """A retriever over one uncurated text written to ``folder``."""
    (folder / "text.txt").write_text(text, encoding="utf-8")
    return build_retriever(str(folder))


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


def test_which_ones_asked_and_none_named_is_evidence_against(reader: QueryReader, weigher: Weigher) -> None:
    """The essay speaks of "the countries of the region" and "Central Asia", and names no country."""
    options, _ = weigh(reader, weigher, "Which Central Asian countries does Japan cooperate with?")
    regional = [o for o in options if "countries of the region" in o.candidate.citation.quote]
    assert regional
    assert all(o.evidence is not None and o.evidence.name_missing == o.evidence.ones_missing == 1.0 for o in regional)
    assert max(o.confidence for o in regional) <= UNNAMED
    assert max(o.confidence for o in options) < DEFAULT_THRESHOLD
    who, _ = weigh(reader, weigher, "Who does Japan attract from all over the world through its exchanges?")
    assert all(o.evidence is not None and o.evidence.ones_missing == 0.0 for o in who)  # a kind of people answers it
    assert max(o.confidence for o in who) > 0.6


def test_a_kind_asked_and_only_the_kind_written_is_evidence_against(tmp_path: Path) -> None:
    """ "What natural resources..." is not answered by "natural resources" alone, only by a sentence listing some."""
    retriever = one_text(
        tmp_path,
        "The north trades its natural resources for machines.\n\n"
        "The south exports natural resources such as copper, tin and salt.\n",
    )
    north = retriever.consider("What natural resources does the north trade?")
    assert best_evidence(north, "The north trades").ones_missing == 1.0
    assert max(o.confidence for o in north) <= UNNAMED
    south = retriever.consider("What natural resources does the south export?")
    assert best_evidence(south, "The south exports").ones_missing == 0.0
    assert south[0].confidence > 10 * UNNAMED


def test_a_name_that_opens_a_sentence_is_a_name_where_the_text_writes_it_so(tmp_path: Path) -> None:
    retriever = one_text(
        tmp_path,
        "Japan is the model of soft power. Many countries try it.\n\nStudents come to Japan from everywhere.\n",
    )
    options = retriever.consider("Which country is the model of soft power?")
    best = options[0]
    assert best.candidate.citation.quote.startswith("Japan is the model")
    assert best.evidence is not None
    assert (best.evidence.name_missing, best.evidence.ones_missing) == (0.0, 0.0)  # it names Japan


def test_words_the_material_lacks_lower_the_confidence(reader: QueryReader, weigher: Weigher) -> None:
    plain, _ = weigh(reader, weigher, "define soft power")
    padded, _ = weigh(reader, weigher, "define soft power for photosynthesis and chlorophyll")
    assert log_odds(max(o.confidence for o in padded)) < log_odds(max(o.confidence for o in plain)) - 1.0


def log_odds(p: float) -> float:
    return math.log(p / (1.0 - p))


def test_nothing_matched_gives_no_options(reader: QueryReader, weigher: Weigher) -> None:
    assert weigh(reader, weigher, "photosynthesis chlorophyll") == ([], 0)


def test_words_held_and_phrases_count_what_the_candidate_holds(reader: QueryReader, weigher: Weigher) -> None:
    """The pair answering "What is the only goal of soft power?" holds "goal", "soft" and "power", and "soft power"
    and "goal of soft" as phrases; "photosynthesis" is held by nothing and counts among the words asked."""
    options, _ = weigh(reader, weigher, "what is the only goal of soft power photosynthesis")
    goal = next(o for o in options if o.candidate.pair is not None and o.candidate.pair.id == "soft-power-only-goal")
    assert goal.evidence is not None
    assert goal.evidence.terms_held == pytest.approx(3 / 4)
    assert goal.evidence.phrases == pytest.approx(1.0)
    assert goal.evidence.opens == 0.0  # it quotes the second sentence of its paragraph


def test_two_pairs_sharing_a_phrasing_each_hold_their_own_answer(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Cats chase mice at night. Dogs guard houses by day.\n", encoding="utf-8")
    (tmp_path / "t.qa.yaml").write_text(
        "- id: cats\n  question: Which animal hunts or guards?\n  alternates: []\n  answer: Cats chase mice.\n"
        "  quote: Cats chase mice at night.\n"
        "- id: dogs\n  question: Which animal hunts or guards?\n  alternates: []\n  answer: Dogs guard houses.\n"
        "  quote: Dogs guard houses by day.\n",
        encoding="utf-8",
    )
    retriever = build_retriever(str(tmp_path))
    query = retriever.read("which animal hunts mice")
    options, _ = Weigher(retriever.ranker).weigh(query, None, None, 6)
    held = {o.candidate.pair.id: o.evidence.terms_held for o in options if o.candidate.pair and o.evidence}
    assert held == pytest.approx({"cats": 1.0, "dogs": 2 / 3})


def test_a_sentence_of_the_paragraph_a_question_is_about_has_it_as_evidence(tmp_path: Path) -> None:
    """The question's words are together in the first paragraph; the second mentions milk teeth in passing."""
    retriever = one_text(
        tmp_path,
        "Milk teeth come first. They fall out one by one from the age of six.\n\n"
        "The dentist checks the gums every year. Milk teeth need brushing too.\n",
    )
    query = retriever.read("when do milk teeth fall out")
    ranker = retriever.ranker
    assert ranker.lead_paragraph(query.terms) == 0
    second = frozenset(i for i, s in enumerate(ranker.sentences) if s.paragraph == 2)
    assert ranker.lead_paragraph(query.terms, second) == 1  # within a scope, the best of its paragraphs
    assert ranker.lead_paragraph(retriever.read("photosynthesis").terms) is None
    options = retriever.consider("when do milk teeth fall out")
    found = {(o.candidate.citation.paragraph, o.evidence.lead_paragraph) for o in options if o.evidence}
    assert found == {(1, 1.0), (2, 0.0)}


def test_a_curated_pair_is_never_in_the_lead_paragraph(reader: QueryReader, weigher: Weigher) -> None:
    """Its phrasings are not the text: where the question's words lie says nothing about a pair."""
    options, _ = weigh(reader, weigher, "what is the only goal of soft power")
    pairs = [o for o in options if o.candidate.pair is not None and o.evidence is not None]
    assert pairs
    assert all(o.evidence.lead_paragraph == 0.0 for o in pairs if o.evidence)


def test_a_year_asked_and_only_a_span_of_years_stated_is_evidence_against(tmp_path: Path) -> None:
    retriever = one_text(
        tmp_path,
        "Cook had learnt to read only two or three years before the voyage.\n\n"
        "Cook was appointed mate of the Friendship in 1752.\n",
    )
    learnt = retriever.consider("In what year had Cook learnt to read?")
    assert learnt[0].evidence is not None
    assert learnt[0].evidence.quantity_missing == 1.0  # "two or three years" is a quantity, and no year
    mate = retriever.consider("In what year was Cook appointed mate?")
    assert mate[0].candidate.citation.quote.endswith("in 1752.")
    assert mate[0].evidence is not None
    assert mate[0].evidence.quantity_missing == 0.0


@pytest.mark.parametrize(
    ("question", "wrong", "right"),
    [
        ("At what temperature is the warm bath given?", "The warm bath is given for 10 minutes.", "at 96 degrees."),
        ("How much did the line cost to build?", "The line took 8 months to build.", "cost $30,000."),
        ("When was the play first produced?", "One of the play's acts is headed The Sword.", "It opened in May."),
        ("What percentage of the gland is iodine?", "A high percentage of the gland is iodine.", "about 0.3 of it."),
        ("How many teeth does the fox have?", "The fox may grow its teeth in the spring.", "It has forty-two."),
    ],
)
def test_a_measure_asked_and_only_some_number_stated_is_evidence_against(
    tmp_path: Path, question: str, wrong: str, right: str
) -> None:
    """A temperature is stated in degrees, a cost in money, a time by a date or a time word, a count or a share by a
    number: "8 months" answers no "how much did it cost", "one of the acts" no "when", "the spring" no "how many",
    and the word "percentage" no "what percentage"."""
    without = one_text(tmp_path, f"{wrong}\n").consider(question)
    assert without[0].evidence is not None
    assert without[0].evidence.quantity_missing == 1.0
    stated = one_text(tmp_path, f"{wrong.removesuffix('.')} {right}\n").consider(question)
    assert stated[0].evidence is not None
    assert stated[0].evidence.quantity_missing == 0.0


def test_who_did_a_deed_and_nobody_named_is_evidence_against(tmp_path: Path) -> None:
    """ "Who discovered..." wants the discoverer named, as "which countries..." wants the countries: "It was later
    discovered that..." does not answer it, "... was discovered by Wheatstone" does."""
    retriever = one_text(
        tmp_path,
        "It was later discovered that two messages could be sent over one wire at once.\n\n"
        "The relay was discovered by Wheatstone in London.\n",
    )
    messages = retriever.consider("Who discovered that two messages could be sent over one wire?")
    assert best_evidence(messages, "It was later discovered").ones_missing == 1.0
    assert max(o.confidence for o in messages) <= UNNAMED
    relay = retriever.consider("Who discovered the relay?")
    assert best_evidence(relay, "The relay was discovered").ones_missing == 0.0


def test_someone_asked_by_name_and_only_told_of_as_a_someone_is_evidence_against(tmp_path: Path) -> None:
    """ "A learned Benedictine first starts the conjecture" tells of someone without naming him: no answer to "what
    was the name of the Benedictine who...", though it names Gaul; "the Benedictine Dom Rivet" answers it."""
    question = "What was the name of the learned Benedictine who said Latin spread over Gaul?"
    unnamed = one_text(tmp_path, "A learned Benedictine first said that Latin spread over Gaul after Caesar.\n")
    options = unnamed.consider(question)
    assert options[0].evidence is not None
    assert options[0].evidence.ones_missing == 1.0
    assert max(o.confidence for o in options) <= UNNAMED
    named = one_text(
        tmp_path, "The learned Benedictine Dom Rivet first said that Latin spread over Gaul after Caesar.\n"
    )
    found = named.consider(question)
    assert found[0].evidence is not None
    assert found[0].evidence.ones_missing == 0.0


@pytest.mark.parametrize("told", ["One well-known player", "Another well-known player", "A well-known player"])
def test_someone_told_of_as_one_or_another_is_not_named(tmp_path: Path, told: str) -> None:
    """ "I know of one well-known player who never has any breakfast" names nobody, as "a well-known player" does
    not: "who is the well-known player who never has breakfast" is not answered by it; "the well-known player Mrs.
    Sterry" names her."""
    question = "Who is the well-known player who never has any breakfast?"
    unnamed = one_text(tmp_path, f"{told} never has any breakfast before a match.\n")
    options = unnamed.consider(question)
    assert options[0].evidence is not None
    assert options[0].evidence.ones_missing == 1.0
    assert max(o.confidence for o in options) <= UNNAMED
    named = one_text(tmp_path, "The well-known player Mrs. Sterry never has any breakfast before a match.\n")
    found = named.consider(question)
    assert found[0].evidence is not None
    assert found[0].evidence.ones_missing == 0.0
