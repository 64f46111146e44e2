"""One normalisation for texts, quotes and questions: what is indexed and what is asked compare equal."""

from __future__ import annotations

import pytest

from knowledge.normalize import (
    STOPWORDS,
    content_words,
    fold,
    has_quantity,
    normalize,
    states_measure,
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
    # one digit is a number too: "6 pounds of sugar" is not any pounds of sugar
    assert content_words("She buys 6 pounds at 7 cents, not 5.") == ["buys", "6", "pounds", "7", "cents", "5"]


def test_terms_are_stems_so_inflections_match() -> None:
    assert terms("innovations") == terms("innovation") == [stem("innovation")]
    assert terms("Japan’s cultural policies") == terms("japan culture policy")
    assert terms("The essay explains it") == []


@pytest.mark.parametrize(
    ("text", "states"),
    [
        ("It grew by 3 percent.", True),
        ("It began in 1990.", True),
        ("Two thousand students came.", True),
        ("It took a decade.", True),
        ("It took a month's deliberation.", True),
        ("The convention met in May.", True),
        ("Japan is attractive.", False),
        ("Soft power is a tool.", False),
        ("A relatively high percentage of iodine is its distinctive fact.", False),  # no number
        ("One may sum it up briefly.", True),  # "one" is a number word; "may" is no month
        ("Then it may be said to march on.", False),
    ],
)
def test_has_quantity_finds_numbers_and_number_words(text: str, states: bool) -> None:
    assert has_quantity(text) is states


@pytest.mark.parametrize(
    ("measure", "text", "states"),
    [
        ("year", "In 1752 he was appointed mate.", True),
        ("year", "The tower was finished in 1433 AD.", True),
        ("year", "Egypt flourished in the fourth century.", True),
        ("year", "It took a decade.", True),
        ("year", "Only two or three years previously had he learnt to read.", False),
        ("year", "Each has forty-two teeth.", False),
        ("year", "It is 14 inches thick.", False),
        ("temperature", "Begin with the tepid bath (85 degrees to 92 degrees).", True),
        ("temperature", "Water at 60 deg. is cold.", True),
        ("temperature", "Heat the chalk to a red heat.", True),
        ("temperature", "Common water, five pints; Nitre, eight ounces.", False),
        ("temperature", "The same degree of temperature must be kept up.", True),
        ("temperature", "The bath lasts ten minutes.", False),
        ("number", "Each has forty-two teeth.", True),
        ("number", "There are thirteen pairs of ribs.", True),
        ("number", "A high percentage of iodine.", False),
        ("number", "It took many years.", False),
        ("time", "Pinero's play was written when one of its acts was headed so.", False),  # a number, no time
        ("time", "The constitution was agreed to September 15, 1787.", True),
        ("time", "They appear during the first and second years.", True),
        ("time", "They do not appear until he has reached the age of discretion.", True),
        ("time", "It met in March.", True),
        ("time", "It may march on.", False),
        ("money", "The repairs cost £1,200.", True),
        ("money", "She pays 7 cents a pound for sugar.", True),
        ("money", "He was paid 10s. a week.", True),
        ("money", "The line cost a great deal to build in 1844.", False),
        ("money", "He was appointed mate of the Friendship.", False),
        ("weight", "A team of six mules will haul 4,000 lbs. over good roads.", True),
        ("weight", "It weighs two tons.", True),
        ("weight", "Nitre, eight ounces.", True),
        ("weight", "I have driven six-mule teams for years.", False),  # a number, no weight
        ("weight", "Set the stone on a grain of sand.", False),  # a stone, a grain: no unit here
    ],
)
def test_states_measure_wants_the_measure_itself(measure: str, text: str, states: bool) -> None:
    """Any number is a quantity; "how many" is answered by a number, "when" by a date, a time or an age, "what year" by
    a year, "what temperature" by degrees or a named heat,
    "how much did it cost" by a sum of money, "how much does it weigh" by a unit of weight."""
    assert states_measure(measure, text) is states
