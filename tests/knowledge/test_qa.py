"""Loading curated Q&A pairs: every quote proven against its text, every problem reported as ``file:line: reason``."""

from __future__ import annotations

import unicodedata

import pytest

from knowledge.errors import KnowledgeError
from knowledge.formats import text as plain
from knowledge.models import Citation, Document, Place, QAPair
from knowledge.qa import MAX_FIELD_CHARS, load_pairs
from knowledge.text import split_document

PATH = "kb/soft-power-essay.qa.yaml"
FIELDS = "id, question, alternates, answer, quote"


@pytest.fixture(scope="module")
def essay(essay_raw: str) -> Document:
    return split_document("soft-power-essay", "kb/soft-power-essay.txt", plain.read(essay_raw.encode()))


def pair_yaml(
    pair_id: str = "soft-power-aim",
    question: str = "What is the aim of the study?",
    alternates: str = " [aim of the study]",
    answer: str = "To study the features of the concept of soft power.",
    quote: str = "the aim of the study is to study the features of the concept of “soft power”",
) -> str:
    """One pair in the curated format, five lines starting with ``- id:``, each field overridable as YAML text."""
    return f"- id: {pair_id}\n  question: {question}\n  alternates:{alternates}\n  answer: {answer}\n  quote: {quote}\n"


def load(raw: str, document: Document) -> tuple[QAPair, ...]:
    return load_pairs(PATH, raw, document)


def error(raw: str, document: Document) -> str:
    """The message of the KnowledgeError that loading ``raw`` raises, checking it carries path and line."""
    with pytest.raises(KnowledgeError) as caught:
        load_pairs(PATH, raw, document)
    assert caught.value.path == PATH
    assert str(caught.value) == f"{PATH}:{caught.value.line}: {caught.value.reason}"
    return str(caught.value)


def test_a_valid_pair_loads_with_its_citation(essay: Document) -> None:
    (pair,) = load(pair_yaml(), essay)
    assert pair.id == "soft-power-aim"
    assert pair.key == "soft-power-essay/soft-power-aim"
    assert pair.source == "soft-power-essay"
    assert pair.question == "What is the aim of the study?"
    assert pair.alternates == ("aim of the study",)
    assert pair.answer == "To study the features of the concept of soft power."
    assert pair.line == 1
    assert pair.citation == Citation(
        "soft-power-essay",
        1,
        (5,),
        (12, 13),
        "the aim of the study is to study the features of the concept of “soft power”",
        Place("soft-power-essay.txt", 1, (5,)),
    )


def test_pairs_keep_file_order_and_their_own_lines(essay: Document) -> None:
    raw = "# A comment\n\n" + pair_yaml("first") + "\n" + pair_yaml("second")
    pairs = load(raw, essay)
    assert [(p.id, p.line) for p in pairs] == [("first", 3), ("second", 9)]


@pytest.mark.parametrize("raw", ["", "# only a comment\n", "\n\n"])
def test_empty_file_has_no_pairs(essay: Document, raw: str) -> None:
    assert load(raw, essay) == ()


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (pair_yaml() + "- id: b\n  question: x\n  answer: a: b\n", 8),
        (pair_yaml() + "- id: b\n  question: x\n   answer: misindented\n", 8),
        ("- id: a\n\tquestion: tab\n", 2),
        ("- a\n---\n- b\n", 2),
    ],
)
def test_invalid_yaml_names_the_line_of_the_error(essay: Document, raw: str, line: int) -> None:
    assert error(raw, essay).startswith(f"{PATH}:{line}: not valid YAML: ")


@pytest.mark.parametrize(("raw", "line"), [("id: a\nquestion: b\n", 1), ("# comment\n\njust some text\n", 3)])
def test_root_that_is_not_a_list(essay: Document, raw: str, line: int) -> None:
    assert error(raw, essay) == f"{PATH}:{line}: expected a list of Q&A pairs (each starting with '- id:')"


@pytest.mark.parametrize("item", ["- just a question?\n", "- [a, list]\n", "- 42\n"])
def test_item_that_is_not_a_mapping(essay: Document, item: str) -> None:
    assert error(pair_yaml() + item, essay) == f"{PATH}:6: expected a mapping with fields {FIELDS}"


def test_missing_field(essay: Document) -> None:
    raw = pair_yaml().replace("  answer: To study the features of the concept of soft power.\n", "")
    assert error(raw, essay) == f"{PATH}:1: missing field: answer"


def test_missing_fields_are_all_named_on_the_pair_line(essay: Document) -> None:
    raw = pair_yaml() + "\n- id: lonely\n"
    assert error(raw, essay) == f"{PATH}:7: missing fields: question, alternates, answer, quote"


def test_unknown_field_names_its_line(essay: Document) -> None:
    raw = pair_yaml().replace("  answer:", "  source: essay\n  answer:")
    assert error(raw, essay) == f"{PATH}:4: unknown field 'source' (expected {FIELDS})"


def test_misspelt_field_is_unknown(essay: Document) -> None:
    raw = pair_yaml().replace("  alternates:", "  alternatives:")
    assert error(raw, essay) == f"{PATH}:3: unknown field 'alternatives' (expected {FIELDS})"


def test_repeated_field_names_the_repeat(essay: Document) -> None:
    raw = pair_yaml().replace("  quote:", "  answer: again\n  quote:")
    assert error(raw, essay) == f"{PATH}:5: field 'answer' repeats"


def test_repeated_id_names_both_lines(essay: Document) -> None:
    raw = pair_yaml("same") + pair_yaml("other") + "\n" + pair_yaml("same")
    assert error(raw, essay) == f"{PATH}:12: id 'same' repeats (first at line 1)"


@pytest.mark.parametrize("bad_id", ["Upper-Case", "has space", "-leading-dash", "_leading", "dot.ted", "a" * 65, "é"])
def test_id_must_be_a_slug(essay: Document, bad_id: str) -> None:
    raw = pair_yaml() + pair_yaml(f"'{bad_id}'")
    assert error(raw, essay) == f"{PATH}:6: id '{bad_id}' must be a slug: a-z, 0-9, '-' or '_'"


@pytest.mark.parametrize("good_id", ["a", "0", "a" * 64, "p1-s2_b"])
def test_slug_ids_are_accepted(essay: Document, good_id: str) -> None:
    assert load(pair_yaml(good_id), essay)[0].id == good_id


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("question", '""', "'question' is empty"),
        ("question", "'   '", "'question' is empty"),
        ("question", "", "'question' must be text"),
        ("question", "null", "'question' must be text"),
        ("question", "[a, b]", "'question' must be text"),
        ("question", "{a: b}", "'question' must be text"),
        ("answer", '""', "'answer' is empty"),
        ("answer", "[an, answer]", "'answer' must be text"),
        ("quote", "~", "'quote' must be text"),
        ("pair_id", '""', "'id' is empty"),
        ("pair_id", "[a]", "'id' must be text"),
    ],
)
def test_empty_or_non_text_field(essay: Document, field: str, value: str, reason: str) -> None:
    lines = {"pair_id": 1, "question": 2, "answer": 4, "quote": 5}
    assert error(pair_yaml(**{field: value}), essay) == f"{PATH}:{lines[field]}: {reason}"


def test_field_of_exactly_the_limit_is_accepted_one_more_is_not(essay: Document) -> None:
    assert len(load(pair_yaml(answer="a" * MAX_FIELD_CHARS), essay)[0].answer) == MAX_FIELD_CHARS
    too_long = pair_yaml(answer="a" * (MAX_FIELD_CHARS + 1))
    assert error(too_long, essay) == f"{PATH}:4: 'answer' is longer than {MAX_FIELD_CHARS} characters"


def test_multi_line_fields_are_folded_to_one_line(essay: Document) -> None:
    (pair,) = load(pair_yaml(answer="|\n    To study\n\n    the features.\n   "), essay)
    assert pair.answer == "To study the features."


@pytest.mark.parametrize(("alternates", "expected"), [("", ()), (" []", ()), (" [one, two]", ("one", "two"))])
def test_alternates_may_be_empty(essay: Document, alternates: str, expected: tuple[str, ...]) -> None:
    (pair,) = load(pair_yaml(alternates=alternates), essay)
    assert pair.alternates == expected
    assert pair.phrasings == ("What is the aim of the study?", *expected)


@pytest.mark.parametrize("alternates", [" just one question?", " {a: b}"])
def test_alternates_must_be_a_list(essay: Document, alternates: str) -> None:
    assert error(pair_yaml(alternates=alternates), essay) == f"{PATH}:3: 'alternates' must be a list of questions"


@pytest.mark.parametrize(("item", "reason"), [("[nested]", "must be text"), ('""', "is empty")])
def test_each_alternate_must_be_text(essay: Document, item: str, reason: str) -> None:
    raw = pair_yaml(alternates=f"\n    - fine\n    - {item}")
    assert error(raw, essay) == f"{PATH}:5: 'alternates' {reason}"


def test_quote_not_found_names_the_quote_line(essay: Document) -> None:
    raw = pair_yaml() + pair_yaml("missing", quote="Hard power is the only goal.")
    assert error(raw, essay) == (
        f"{PATH}:10: quote not found in soft-power-essay.txt (compared case-sensitively): "
        "'Hard power is the only goal.'; nothing in the text comes close"
    )


def test_quote_is_compared_case_sensitively(essay: Document) -> None:
    message = error(pair_yaml(quote="THE AIM OF THE STUDY"), essay)
    assert message == (
        f"{PATH}:5: quote not found in soft-power-essay.txt (compared case-sensitively): 'THE AIM OF THE STUDY'; "
        "nearest passage (100% alike) at ¶1, sentence 5, lines 12–13: "
        "'Thus, the aim of the study is to study the features of the concept of “soft power”.'"
    )


def test_quote_may_not_span_paragraphs(essay: Document) -> None:
    message = error(pair_yaml(quote="“soft power”. Japan’s soft power policy"), essay)
    assert message.startswith(f"{PATH}:5: quote not found in soft-power-essay.txt")


def test_long_quote_is_cut_in_the_message(essay: Document) -> None:
    message = error(pair_yaml(quote="x" * 500), essay)
    assert message.endswith(f": {'x' * 80!r}; nothing in the text comes close")


def test_straight_quotes_and_line_breaks_match_curly_quoted_text(essay: Document) -> None:
    quote = '|\n    The problem of "soft power" in international relations and its role in\n    Japanese foreign policy'
    (pair,) = load(pair_yaml(quote=quote), essay)
    assert pair.citation.quote == (
        "The problem of “soft power” in international relations and its role in Japanese foreign policy"
    )
    assert (pair.citation.paragraph, pair.citation.sentences, pair.citation.lines) == (1, (1,), (1, 3))


def test_straight_apostrophe_matches_curly_one(essay: Document) -> None:
    (pair,) = load(pair_yaml(quote='"Japan\'s soft power policy"'), essay)
    assert pair.citation.quote == "Japan’s soft power policy"
    assert (pair.citation.paragraph, pair.citation.sentences, pair.citation.lines) == (2, (1,), (15, 16))


def test_quote_spanning_a_glued_full_stop_cites_both_sentences(essay: Document) -> None:
    (pair,) = load(pair_yaml(quote="insufficient scientific study.Due to the prevailing general attitude"), essay)
    assert pair.citation == Citation(
        "soft-power-essay",
        1,
        (1, 2),
        (1, 6),
        "insufficient scientific study.Due to the prevailing general attitude",
        Place("soft-power-essay.txt", 1, (1, 2)),
    )


def test_quote_across_a_page_break_cites_the_one_sentence(essay: Document) -> None:
    (pair,) = load(pair_yaml(quote="Secondly, it allows you to open up more to the world"), essay)
    assert (pair.citation.paragraph, pair.citation.sentences, pair.citation.lines) == (3, (5,), (36, 42))


def test_quote_across_sentences_cites_all_of_them(essay: Document) -> None:
    (pair,) = load(pair_yaml(quote="economic model development. Both Japan and the countries"), essay)
    assert (pair.citation.paragraph, pair.citation.sentences, pair.citation.lines) == (2, (4, 5), (21, 26))


def test_ligatures_in_the_text_are_quoted_as_written() -> None:
    document = split_document("t", "t.txt", plain.read("The ﬁnal eﬀect was large. It lasted.".encode()))
    (pair,) = load_pairs("t.qa.yaml", pair_yaml(quote="final effect"), document)
    assert pair.citation.quote == "ﬁnal eﬀect"


def test_verbatim_quote_from_a_decomposed_text_is_found() -> None:
    text = unicodedata.normalize("NFD", "Le café est ouvert. Il ferme tard.")
    document = split_document("t", "t.txt", plain.read(text.encode()))
    quote = unicodedata.normalize("NFD", "Le café est ouvert.")
    (pair,) = load_pairs("t.qa.yaml", pair_yaml(quote=quote), document)
    assert pair.citation.quote == quote


def test_composed_quote_matches_decomposed_free_text() -> None:
    document = split_document("t", "t.txt", plain.read("Le café est ouvert. Il ferme tard.".encode()))
    quote = unicodedata.normalize("NFD", "café est ouvert")
    (pair,) = load_pairs("t.qa.yaml", pair_yaml(quote=quote), document)
    assert pair.citation.quote == "café est ouvert"
