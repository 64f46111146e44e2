"""What every reader gives back: a file's clean text as paragraphs, each piece located in the original file.

The splitter (:mod:`knowledge.text`) turns this into sentences and citations without knowing the format: a plain
text locates its pieces by line, a PDF by page, Word and Markdown by the headings above them (Markdown by line too).
"""

from __future__ import annotations

from dataclasses import dataclass


class Unreadable(Exception):
    """A file that cannot be used as a course text at all, with the reason in words a teacher can act on.

    ``line`` is where in a text file the problem is, when there is such a line (0 otherwise).
    """

    def __init__(self, reason: str, line: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True, slots=True)
class Span:
    """A run of clean text (whitespace folded, never empty) and where it sits in the original file."""

    text: str
    line: int = 0
    """The line of the file it is on (plain text, Markdown); 0 for formats without lines."""
    page: int = 0
    """The page it is on, counted from 1 (PDF); 0 for formats without pages."""


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph: its spans in reading order (joined by single spaces), and the headings it sits under."""

    spans: tuple[Span, ...]
    headings: tuple[str, ...] | None = None
    """The heading path, outermost first (empty before the first heading); None for formats without headings."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """A whole file read: its paragraphs in reading order, and for a PDF the printed label of each page."""

    blocks: tuple[Block, ...]
    page_labels: tuple[str, ...] = ()
    """``page_labels[n - 1]`` is how page ``n`` is numbered in print ("xii", "3"); empty for formats without pages."""

    def label(self, page: int) -> str:
        """The printed label of page ``page`` (its number when the file gives none)."""
        return self.page_labels[page - 1] if 0 < page <= len(self.page_labels) else str(page)
