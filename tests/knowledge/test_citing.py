"""What an answer quotes: a question the text asks comes with the sentence answering it, and a request for a summary
gets the paragraph's point besides the sentence that matched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from knowledge.retriever import build_retriever

MakeFolder = Callable[..., Path]

PRICES = (
    "Prices rise and fall with the seasons. Upon what factors does the price of bread mainly depend? Two factors "
    "spring to mind at once: the cost of flour and the hunger of the buyers.\n\n"
    "Bakers sell more bread in winter. Why do they sell less in summer?\n"
)

CHALK = (
    "Chalk is found in many parts of England. It lies under the fields of Norfolk and the hills of Kent. In the "
    "south it forms white cliffs along the coast. Well-sinkers in Norwich dig through hundreds of feet of it.\n\n"
    "Under the microscope chalk looks quite different. It is made of tiny shells.\n"
)


def test_a_question_the_text_asks_is_quoted_with_the_sentence_answering_it(make_folder: MakeFolder) -> None:
    retriever = build_retriever(str(make_folder(**{"prices.txt": PRICES})))
    best = retriever.consider("what does the price of bread depend on")[0].candidate
    assert best.sentence is not None
    assert best.sentence.text == "Upon what factors does the price of bread mainly depend?"
    assert (best.citation.paragraph, best.citation.sentences) == (1, (2, 3))
    assert best.citation.quote.endswith("the cost of flour and the hunger of the buyers.")
    # a question that ends its paragraph has nothing after it to quote
    last = retriever.consider("why do bakers sell less bread in summer")[0].candidate.citation
    assert (last.paragraph, last.sentences) == (2, (2,))


def test_a_sentence_is_quoted_with_the_next_when_that_one_points_back_at_it(make_folder: MakeFolder) -> None:
    text = (
        "The stomach has no openings into the blood. It passes food on by osmosis. Bread takes hours to digest.\n\n"
        "Saliva is made by three glands. Milk is digested in the stomach.\n"
    )
    retriever = build_retriever(str(make_folder(**{"food.txt": text})))
    passes = retriever.consider("does the stomach have openings into the blood")[0].candidate.citation
    assert (passes.paragraph, passes.sentences) == (1, (1, 2))  # "It passes food on..." continues it
    assert passes.quote == "The stomach has no openings into the blood. It passes food on by osmosis."
    glands = retriever.consider("how many glands make saliva")[0].candidate.citation
    assert (glands.paragraph, glands.sentences) == (2, (1,))  # the next sentence is about something else


def test_a_sentence_announcing_the_next_is_quoted_with_it(make_folder: MakeFolder) -> None:
    text = (
        "We may trust a report only under one condition. It must be open to checking by anyone.\n\n"
        "There are several rules that a diver must keep. He must never dive alone.\n\n"
        "The following experiment shows that flames need air. A candle under a jar goes out.\n\n"
        "The following year the harbour silted up. Ships moved to the river mouth.\n\n"
        "It may be objected that reports of miracles cannot be disproved. Neither can any fairy tale.\n"
    )
    retriever = build_retriever(str(make_folder(**{"notes.txt": text})))

    def cited(question: str) -> tuple[int, tuple[int, ...]]:
        citation = retriever.consider(question)[0].candidate.citation
        return citation.paragraph, citation.sentences

    assert cited("under which condition may we trust a report") == (1, (1, 2))
    assert cited("what rules must a diver keep") == (2, (1, 2))
    assert cited("what experiment shows that flames need air") == (3, (1, 2))
    assert cited("when did the harbour silt up") == (4, (1,))  # "the following year" announces nothing
    assert cited("how is the objection about miracles answered") == (5, (1, 2))  # the answer follows the objection


def test_a_number_of_one_digit_finds_the_sentence_stating_it(make_folder: MakeFolder) -> None:
    text = "She buys 5 pounds of sugar at 8 cents a pound. At 7 cents she buys 6 pounds of sugar.\n"
    retriever = build_retriever(str(make_folder(**{"sugar.txt": text})))
    assert retriever.consider("how much sugar does she buy at 7 cents")[0].candidate.citation.sentences == (2,)
    assert retriever.consider("what does she pay when she buys 5 pounds")[0].candidate.citation.sentences == (1,)


def test_a_plain_sentence_is_quoted_alone(make_folder: MakeFolder) -> None:
    retriever = build_retriever(str(make_folder(**{"prices.txt": PRICES})))
    citation = retriever.consider("when do bakers sell more bread")[0].candidate.citation
    assert (citation.paragraph, citation.sentences) == (2, (1,))


def test_a_summary_of_a_topic_quotes_the_paragraph_point_with_the_sentence_found(make_folder: MakeFolder) -> None:
    retriever = build_retriever(str(make_folder(**{"chalk.txt": CHALK})))
    asked = retriever.consider("give me the gist of what it says about the white cliffs")[0].candidate.citation
    # the sentence about the cliffs, with the topic sentence (where chalk is found) and the one sharing most with
    # the rest of the paragraph (where it lies), in reading order
    assert (asked.paragraph, asked.sentences) == (1, (1, 2, 3))
    assert asked.quote.startswith("Chalk is found in many parts of England. It lies under")
    plain = retriever.consider("what forms white cliffs along the coast")[0].candidate.citation
    assert plain.sentences == (3,)  # a question, not a summary: the sentence alone
