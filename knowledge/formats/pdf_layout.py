"""Lay out a PDF's positioned text runs as a person reads the pages: paragraphs of clean text, located by page.

PDFium gives text as runs with boxes; everything else is inferred from where they are, the way a reader does:

- runs at one height are a line; a wide gap splits it (two columns side by side);
- running headers and footers (the same text, digits aside, at the top or bottom of many pages) and page numbers
  are dropped; a page with a picture and no other text is a scan, which needs OCR first;
- two columns are read left, then right, between any full-width lines above and below them;
- a paragraph ends at a gap wider than the line spacing or at an indented first line; a column or page break
  ends one only if a sentence ends there, so a sentence over a page break stays whole (and is on both pages);
- a word hyphenated at a line end is rejoined ("diplo-" "macy"), unless the document writes it with the hyphen
  elsewhere ("well-known"); a footnote marker (small raised digits) is dropped, and footnotes set in small type at
  the foot of a page become paragraphs of their own after the paragraph that runs over the page.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from knowledge.formats.clean import clean, continues
from knowledge.formats.extracted import Block, Extracted, Span, Unreadable

BAND = 0.12
"""Running headers and footers sit in the top and bottom 12% of a page."""
RUNNING_SHARE = 0.4
"""Text in that band on at least this share of the pages (and on two or more) is a running header or footer."""
SMALL = 0.85
"""Lines set smaller than this share of the page's usual size, at its foot, are footnotes."""
_LINE_END_HYPHENS = "-\u00ad\u2010"
_PDFIUM_HYPHEN = str.maketrans({"\x02": "-", "\ufffe": "-"})
"""PDFium reports a hyphen it sees at a line end as one of these."""
_MARKER = re.compile(r"[\d*†‡§]+")
_PAGE_NUMBER = re.compile(r"(?:page|p\.)?\s*[-–—(\[]?\s*(?:\d+|[ivxlcdm]+)\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d+)?", re.I)
_NUMBERS = re.compile(r"\d+|\b[ivxlcdm]+\b", re.I)
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text as PDFium found it, with its box in points (the origin at the page's bottom left)."""

    text: str
    left: float
    right: float
    bottom: float
    top: float
    size: float
    """The font size it is set in (its box's height depends on the letters in it)."""


@dataclass(frozen=True, slots=True)
class Page:
    """A page's text runs, and its size."""

    number: int
    width: float
    height: float
    pieces: tuple[Piece, ...]
    pictured: bool = False
    """Whether there is a picture on it: with no text of its own besides, it is a scan without a text layer."""


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    left: float
    right: float
    bottom: float
    top: float
    size: float
    page: int


def assemble(pages: list[Page], labels: tuple[str, ...]) -> Extracted:
    """Turn every page's runs into the document's paragraphs, joined over page breaks inside a sentence."""
    lines = [_lines(page) for page in pages]
    running = _running(pages, lines)
    # The usual gap between two lines of a paragraph: the commonest one (to the point), as most lines are not the
    # first of a paragraph, whatever the gaps between paragraphs, headings and columns; never more than a line.
    gaps = Counter(round(a.bottom - b.top) for page in lines for a, b in pairwise(page) if a.bottom > b.top)
    usual = statistics.median(line.size for page in lines for line in page) if any(lines) else 0.0
    spacing = min(float(min(gaps, key=lambda gap: (-gaps[gap], gap))), usual) if gaps else 0.0
    known = {m.group().casefold() for page in lines for line in page for m in _HYPHENATED.finditer(line.text)}
    paragraphs: list[list[_Line]] = []
    pending: list[list[_Line]] = []  # the footnotes of the page before, placed once its last paragraph ends
    for page, found in zip(pages, lines, strict=True):
        body = _reading_order([line for line in found if not _is_furniture(line, page, running)], page.width)
        if page.pictured and not body:
            raise Unreadable(f"page {page.number} has no text: scanned? OCR it first")
        flow, notes = _paragraphs(body, spacing)
        for number, paragraph in enumerate(flow):
            if number == 0 and paragraphs and continues(paragraphs[-1][-1].text, paragraph[0].text):
                paragraphs[-1] += paragraph
                continue
            paragraphs += pending
            pending = []
            paragraphs.append(paragraph)
        pending += notes
    paragraphs += pending
    blocks = (Block(spans) for spans in (_join(paragraph, known) for paragraph in paragraphs) if spans)
    return Extracted(tuple(blocks), labels)


def _lines(page: Page) -> list[_Line]:
    """Group runs at one height into lines, top to bottom; split a line at a gap wide enough to be a gutter."""
    rows: list[list[Piece]] = []
    for piece in sorted(page.pieces, key=lambda p: (-p.top, p.left)):
        for row in reversed(rows[-3:]):
            anchor = max(row, key=lambda p: p.top - p.bottom)
            overlap = min(anchor.top, piece.top) - max(anchor.bottom, piece.bottom)
            if overlap >= 0.5 * min(anchor.top - anchor.bottom, piece.top - piece.bottom):
                row.append(piece)
                break
        else:
            rows.append([piece])
    lines = []
    for row in rows:
        row.sort(key=lambda p: p.left)
        size = max(p.size for p in row)
        segment: list[Piece] = []
        for piece in row:
            if segment and piece.left - segment[-1].right > 1.5 * size:
                lines.append(_line(segment, page.number))
                segment = []
            segment.append(piece)
        lines.append(_line(segment, page.number))
    return [line for line in lines if line.text]


def _line(pieces: list[Piece], page: int) -> _Line:
    """One line from its runs, left to right, without footnote markers (smaller, raised digits or signs)."""
    main = max(pieces, key=lambda p: p.size)
    size = main.size
    text = ""
    for piece in pieces:
        raised = piece.bottom > main.bottom + 0.15 * size
        if piece.size < 0.75 * size and raised and _MARKER.fullmatch(piece.text.strip()):
            continue
        glued = not text or text[-1].isspace() or piece.text[:1].isspace()
        text += piece.text if glued else " " + piece.text
    return _Line(
        " ".join(text.translate(_PDFIUM_HYPHEN).split()),
        pieces[0].left,
        pieces[-1].right,
        main.bottom,
        main.top,
        size,
        page,
    )


def _key(text: str) -> str:
    return " ".join(_NUMBERS.sub("#", text).casefold().split())


def _in_band(line: _Line, page: Page) -> bool:
    return line.top > page.height * (1 - BAND) or line.bottom < page.height * BAND


def _running(pages: list[Page], lines: list[list[_Line]]) -> set[str]:
    """The texts (digits aside) that stand in the top or bottom band of enough pages to be running heads."""
    counts = Counter(
        key
        for page, found in zip(pages, lines, strict=True)
        for key in {_key(line.text) for line in found if _in_band(line, page)}
    )
    least = max(2.0, RUNNING_SHARE * len(pages))
    return {key for key, count in counts.items() if count >= least}


def _is_furniture(line: _Line, page: Page, running: set[str]) -> bool:
    """A running header or footer, or a page number, rather than text of the page."""
    return _in_band(line, page) and (_key(line.text) in running or bool(_PAGE_NUMBER.fullmatch(line.text)))


def _reading_order(lines: list[_Line], width: float) -> list[_Line]:
    """Top to bottom; where the page has two columns, the left one before the right one, between the full-width
    lines (titles, or the text above and below the columns) that cross the gutter."""
    gutter = _gutter(lines, width)
    if gutter is None:
        return lines
    ordered: list[_Line] = []
    left: list[_Line] = []
    right: list[_Line] = []
    for line in [*lines, None]:
        if line is None or line.left < gutter < line.right:
            ordered += left + right
            left, right = [], []
            if line is not None:
                ordered.append(line)
        elif line.right <= gutter:
            left.append(line)
        else:
            right.append(line)
    return ordered


def _gutter(lines: list[_Line], width: float) -> float | None:
    """The x of the gap between two columns, if the page has them: few lines cross it, many stand on each side."""
    best: tuple[int, float] | None = None
    for x in sorted({edge for line in lines for edge in (line.left - 1, line.right + 1)}):
        if not 0.3 * width < x < 0.7 * width:
            continue
        crossing = sum(line.left < x < line.right for line in lines)
        left = sum(line.right <= x for line in lines)
        right = len(lines) - crossing - left
        enough = min(left, right) >= max(3, 0.2 * (left + right)) and crossing <= 0.2 * len(lines)
        if enough and (best is None or crossing < best[0]):
            best = (crossing, x)
    return best[1] if best else None


def _paragraphs(lines: list[_Line], spacing: float) -> tuple[list[list[_Line]], list[list[_Line]]]:
    """Cut a page's lines into paragraphs (at a gap wider than ``spacing``, the usual one between lines, or at an
    indented first line); the lines in small type at its foot are its footnotes."""
    if not lines:
        return [], []
    usual = statistics.median(line.size for line in lines)
    foot = len(lines)
    while foot > 0 and lines[foot - 1].size < SMALL * usual:
        foot -= 1
    margin = min(line.left for line in lines)
    body: list[list[_Line]] = []
    notes: list[list[_Line]] = []
    for index, line in enumerate(lines):
        into = notes if index >= foot else body
        if not into:
            into.append([line])
            continue
        before = into[-1][-1]
        if line.top > before.bottom:  # back up the page: the next column
            new = not continues(before.text, line.text)
        else:
            indented = line.left - margin > 0.8 * line.size and line.left - before.left > 0.5 * line.size
            new = before.bottom - line.top > spacing + 0.5 * line.size or indented
        if new:
            into.append([line])
        else:
            into[-1].append(line)
    return body, notes


def _join(lines: list[_Line], known: set[str]) -> tuple[Span, ...]:
    """A paragraph's lines as one span per page, rejoining words hyphenated at a line end."""
    pages: list[int] = []
    texts: list[str] = []
    for line in lines:
        text = line.text
        if texts:
            before = texts[-1]
            head, _, rest = text.partition(" ")
            if before[-1:] in _LINE_END_HYPHENS and before[-2:-1].isalpha() and head[:1].islower():
                start = before.rsplit(" ", 1)[-1][:-1]
                kept = f"{start}-{head.rstrip('.,;:!?')}".casefold() in known
                texts[-1] = before[:-1] + ("-" if kept else "") + head  # the word stays on the page it starts on
                text = rest
            if text and pages[-1] == line.page:
                texts[-1] += " " + text
                continue
        if text:
            pages.append(line.page)
            texts.append(text)
    return tuple(Span(cleaned, page=page) for page, text in zip(pages, texts, strict=True) if (cleaned := clean(text)))
