"""The layout rules on hand-made pages: what a reader sees, whatever the PDF's own order of runs."""

from __future__ import annotations

from knowledge.formats.extracted import Span
from knowledge.formats.pdf_layout import Page, Piece, assemble

WIDTH, HEIGHT = 600.0, 800.0


def line(text: str, top: float, left: float = 50.0, size: float = 10.0) -> Piece:
    return Piece(text, left, left + 6.0 * len(text), top - size, top, size)


def page(number: int, *pieces: Piece) -> Page:
    return Page(number, WIDTH, HEIGHT, pieces)


def texts(*pages: Page, labels: tuple[str, ...] = ()) -> list[list[Span]]:
    return [list(block.spans) for block in assemble(list(pages), labels).blocks]


def test_a_hyphen_at_a_line_end_is_kept_where_the_document_writes_the_word_with_it() -> None:
    found = texts(page(1, line("A long-", 700), line("term plan and a well-", 688), line("known long-term goal.", 676)))
    assert found == [[Span("A long-term plan and a wellknown long-term goal.", page=1)]]


def test_a_hyphenated_word_over_a_page_break_stays_on_its_first_page() -> None:
    found = texts(page(1, line("Soft power is diplo-", 700)), page(2, line("macy by other means.", 700)))
    assert found == [[Span("Soft power is diplomacy", page=1), Span("by other means.", page=2)]]


def test_a_page_number_alone_in_the_margin_is_dropped_even_on_one_page() -> None:
    found = texts(page(1, line("Text of the page.", 700), line("- 7 -", 40), line("Page 7 of 9", 20)))
    assert found == [[Span("Text of the page.", page=1)]]


def test_a_number_in_the_body_is_kept() -> None:
    assert texts(page(1, line("Results", 700), line("1972", 600))) == [
        [Span("Results", page=1)],
        [Span("1972", page=1)],
    ]


def test_runs_in_content_order_are_read_top_to_bottom() -> None:
    found = texts(page(1, line("second line.", 688), line("The first and the", 700)))
    assert found == [[Span("The first and the second line.", page=1)]]
