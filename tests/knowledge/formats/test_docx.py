"""Word documents read in reading order under their headings, and a clear refusal of what is not one."""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.text import WD_BREAK
from format_samples import zip_bomb_docx

from knowledge.formats.docx import read
from knowledge.formats.extracted import Block, Span, Unreadable


def course_notes() -> bytes:
    """Headings at three levels, a list, a table with a merged cell, footnote-like superscripts, a page header."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Course notes, week 3"
    document.add_paragraph("Read this first.")
    document.add_heading("Methods", level=1)
    intro = document.add_paragraph("Samples were drawn at random")
    marker = intro.add_run("3")
    marker.font.superscript = True
    intro.add_run(" from the register.")
    document.add_heading("Sampling", level=2)
    document.add_paragraph("Schools were visited twice.", style="List Bullet")
    document.add_paragraph("Pupils answered in class.", style="List Number")
    table = document.add_table(rows=3, cols=3)
    rows = [("Country", "Pupils", "Schools"), ("Japan", "1,200", "40"), ("Korea", "", "")]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    table.cell(2, 1).merge(table.cell(2, 2)).text = "no data"
    document.add_heading("Weighting", level=3)
    page_break = document.add_paragraph("Weights follow the census.")
    page_break.runs[0].add_break(WD_BREAK.PAGE)
    document.add_heading("Results", level=1)
    document.add_paragraph("Results came late.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_paragraphs_lists_and_tables_in_reading_order_under_their_headings() -> None:
    methods, sampling = ("Methods",), ("Methods", "Sampling")
    assert list(read(course_notes()).blocks) == [
        Block((Span("Read this first."),), ()),
        Block((Span("Samples were drawn at random from the register."),), methods),
        Block((Span("Schools were visited twice."),), sampling),
        Block((Span("Pupils answered in class."),), sampling),
        Block((Span("Country | Pupils | Schools"),), sampling),
        Block((Span("Japan | 1,200 | 40"),), sampling),
        Block((Span("Korea | no data"),), sampling),
        Block((Span("Weights follow the census."),), ("Methods", "Sampling", "Weighting")),
        Block((Span("Results came late."),), ("Results",)),
    ]


def test_the_page_header_is_not_body_text() -> None:
    assert all("Course notes" not in span.text for block in read(course_notes()).blocks for span in block.spans)


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    with pytest.raises(Unreadable) as caught:
        read(zip_bomb_docx(unpacked_mb=20))
    assert caught.value.reason == "would unpack to 21 MB in 19 parts from 0.1 MB: a zip bomb? Refused"


def test_a_large_but_ordinary_document_is_read() -> None:
    document = docx.Document()
    for number in range(200):
        document.add_paragraph(f"Paragraph {number} says something about soft power and culture.")
    out = io.BytesIO()
    document.save(out)
    assert len(read(out.getvalue()).blocks) == 200


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"plain words, not a zip", "not a Word document, or a damaged one (File is not a zip file)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "password-protected, or an old .doc: save it from Word as .docx without a password",
        ),
    ],
)
def test_what_is_not_a_word_document_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(Unreadable) as caught:
        read(data)
    assert caught.value.reason == reason


def test_a_truncated_document_is_refused() -> None:
    data = course_notes()
    with pytest.raises(Unreadable) as caught:
        read(data[: len(data) // 2])
    assert caught.value.reason.startswith("not a Word document, or a damaged one")
