"""One normalisation for texts, quotes and questions: what is indexed and what is asked compare equal."""

from __future__ import annotations

import pytest

from knowledge.normalize import (
    STOPWORDS,
    content_words,
    fold,
    has_quantity,
    normalize,
    read_question,
    stem,
    terms,
    words,
)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('"soft power"', "“soft power”"),
        ("Japan's", "Japan’s"),
        ("'quoted'", "‘quoted’"),
        ('"quoted"', "„quoted‟"),
        ('"quoted"', "«quoted»"),
        ("full-fledged", "full‐fledged"),
        ("1990-2000", "1990–2000"),
        ("culture - all", "culture — all"),
    ],
)
def test_typographic_and_straight_quotes_and_dashes_compare_equal(typed: str, written: str) -> None:
    assert normalize(written) == normalize(typed) == typed


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("ﬁnance", "finance"),
        ("eﬀect", "effect"),
        ("Ｊａｐａｎ１２", "Japan12"),
        ("Ⅻ", "XII"),
        ("cafe\u0301", "caf\u00e9"),  # a decomposed accent composes
        ("diplo\u00admacy", "diplomacy"),  # a soft hyphen, as PDFs and word processors leave them
        ("so\u200bft po\u200dwer\ufeff", "soft power"),
    ],
)
def test_nfkc_folds_compatibility_characters(written: str, plain: str) -> None:
    assert normalize(written) == plain
    assert fold(written) == plain


def test_normalize_folds_all_whitespace() -> None:
    assert normalize("  soft \n\n power\t\r\nin\u00a0Japan\u3000now  ") == "soft power in Japan now"


def test_fold_keeps_case_and_line_breaks() -> None:
    assert fold("“Soft”\n  Power") == '"Soft"\n  Power'


def test_words_are_lowercase_with_possessives_dropped() -> None:
    assert words("Japan's soft power; JAPAN’S policy") == ["japan", "soft", "power", "japan", "policy"]


def test_words_keep_contractions_and_split_hyphens_and_underscores() -> None:
    assert words("don't full-fledged snake_case ﬁne") == ["don't", "full", "fledged", "snake", "case", "fine"]


def test_words_of_non_latin_scripts_are_words() -> None:
    assert words("Ｊａｐａｎ 日本 Émigré") == ["japan", "日本", "émigré"]


def test_content_words_drop_stopwords_and_single_letters() -> None:
    assert content_words("What does the essay say about Japan's policy, a b c?") == ["japan", "policy"]
    assert content_words("What is it?") == []
    assert {"what", "the", "essay", "author", "mention"} <= STOPWORDS


def test_content_words_keep_topic_words_including_numbers() -> None:
    assert content_words("Who won the 2022 World Cup?") == ["won", "2022", "world", "cup"]


def test_terms_are_stems_so_inflections_match() -> None:
    assert terms("innovations") == terms("innovation") == [stem("innovation")]
    assert terms("Japan’s cultural policies") == terms("japan culture policy")
    assert terms("The essay explains it") == []


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What does the Japan Foundation do?", [("japan", "foundation")]),
        ("What is the Japan Foundation's budget?", [("japan", "foundation")]),
        ("Tell me about Joseph Nye and the Central Asia region", [("joseph", "nye"), ("central", "asia")]),
        ("Is Japan attractive?", []),  # one capitalised word is not a name run
        ("what does the japan foundation do", []),
        ("What Does The Japan Foundation Do?", []),  # Title Case carries no signal
        ("WHAT DOES THE JAPAN FOUNDATION DO", []),
    ],
)
def test_names_are_runs_of_capitalised_content_words(question: str, names: list[tuple[str, ...]]) -> None:
    assert read_question(question).names == names


@pytest.mark.parametrize(
    "question", ["What does the Japan Foundation do?", "Japan’s “soft power” policy", "", "What is it?"]
)
def test_read_question_content_words_match_content_words(question: str) -> None:
    assert read_question(question).content == content_words(question)


def test_capitalised_words_after_the_first_are_noted_unless_title_case() -> None:
    assert read_question("What is China's strategy in Asia?").capitalised == {"china", "asia"}
    assert read_question("What Is China's Strategy In Asia?").capitalised == frozenset()
    assert read_question("Japan is attractive").capitalised == frozenset()  # the first word is always capitalised


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        ("How many students study in Japan?", True),
        ("How much does it cost?", True),
        ("What percentage of Japanese speak English?", True),
        ("In which year did it start?", True),
        ("When did Japan start its cultural diplomacy?", True),
        ("What is soft power?", False),
        ("Why does Japan organise exchanges?", False),
        ("How does Japan attract students?", False),
    ],
)
def test_questions_asking_for_a_quantity_are_recognised(question: str, wants: bool) -> None:
    assert read_question(question).wants_quantity is wants


@pytest.mark.parametrize(
    ("text", "states"),
    [
        ("It grew by 3 percent.", True),
        ("It began in 1990.", True),
        ("Two thousand students came.", True),
        ("It took a decade.", True),
        ("Japan is attractive.", False),
        ("Soft power is a tool.", False),
    ],
)
def test_has_quantity_finds_numbers_and_number_words(text: str, states: bool) -> None:
    assert has_quantity(text) is states
