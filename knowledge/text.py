"""Split a course text into paragraphs and sentences, each located where a person finds it in the original file.

The text comes from a reader (:mod:`knowledge.formats`) as paragraphs of located spans; whatever the format, it is
never edited to suit the splitter:

- ``study.Due`` (no space after the full stop) is still two sentences;
- abbreviations such as ``e.g.``, ``i.e.`` (also written ``e.g..``) and initials do not end sentences;
- a sentence is located by the spans it starts and ends in: its lines, its pages, the headings above it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from pathlib import PurePath

from knowledge.errors import KnowledgeError
from knowledge.formats.extracted import Block, Extracted, Span
from knowledge.models import Document, Paragraph, Place, Sentence

_TERMINATOR = re.compile(r"[.!?…]+[\"'”’)\]]*")
_VISIBLE = re.compile(r"\S")
_OPENERS = "\"'“‘(["
_ABBREVIATIONS = frozenset(
    """e.g. i.e. cf. vs. viz. approx. ca. mr. mrs. ms. dr. prof. st. jr. sr. no. fig. figs. al. p. pp. vol. ed. eds.
    messrs. mme. mlle. rev. hon. esq. lieut. lt. capt. col. gen. maj. sgt. adm. gov. sen. supt. mt. ft.
    deg. lat.""".split()
)
"""Abbreviations whose full stop ends no sentence (casefolded, with it)."""


def is_abbreviated(word: str) -> bool:
    """Whether ``word`` before a full stop is an abbreviation ("Dr", "e.g" of "e.g.", "St"): the full stop ends no
    sentence of a text (:func:`_is_abbreviation`), nor a question of a message (:mod:`knowledge.parts`)."""
    return f"{word.casefold()}." in _ABBREVIATIONS


def split_document(source: str, path: str, extracted: Extracted) -> Document:
    """Split the text read from one file into a :class:`Document`; raise :class:`KnowledgeError` if it has no text."""
    if not extracted.blocks:
        raise KnowledgeError(path, 1, "the text is empty")
    places = _Places(PurePath(path).name, extracted)
    paragraphs = []
    for number, block in enumerate(extracted.blocks, start=1):
        text = " ".join(span.text for span in block.spans)
        starts = []
        offset = 0
        for span in block.spans:
            starts.append(offset)
            offset += len(span.text) + 1
        cuts = _sentence_spans(text)
        spans = block.spans
        located = [(spans[bisect_right(starts, a) - 1], spans[bisect_right(starts, b) - 1]) for a, b in cuts]
        numbering = places.paragraph(block, [(first.page, last.page) for first, last in located])
        sentences = tuple(
            Sentence(source, number, n, first.line, last.line, text[a : b + 1], place)
            for n, ((a, b), (first, last), place) in enumerate(zip(cuts, located, numbering, strict=True), start=1)
        )
        paragraphs.append(Paragraph(source, number, text, sentences))
    return Document(source, path, tuple(paragraphs))


class _Places:
    """Number paragraphs and sentences the way a person counts them in the original: in the whole text, on the
    page (PDF), or under the last heading (Word, Markdown)."""

    def __init__(self, file: str, extracted: Extracted) -> None:
        self._file = file
        self._extracted = extracted
        self._whole = 0
        self._on_page: defaultdict[int, int] = defaultdict(int)
        self._section: tuple[str, ...] | None = None
        self._in_section = 0

    def paragraph(self, block: Block, pages: list[tuple[int, int]]) -> list[Place]:
        """The place of each sentence of the next paragraph, given the pages each one starts and ends on."""
        self._whole += 1
        if block.spans[0].page:
            return self._on_pages(block.spans, pages)
        if block.headings is not None:
            if block.headings != self._section:
                self._section, self._in_section = block.headings, 0
            self._in_section += 1
            return [Place(self._file, self._in_section, (n,), section=block.headings) for n in range(1, len(pages) + 1)]
        return [Place(self._file, self._whole, (n,)) for n in range(1, len(pages) + 1)]

    def _on_pages(self, spans: tuple[Span, ...], pages: list[tuple[int, int]]) -> list[Place]:
        """A paragraph counts on every page it shows on, and a sentence on its first page counts every sentence of
        the paragraph shown there, one continued from the page before included."""
        number_on: dict[int, int] = {}
        for span in spans:
            if span.page not in number_on:
                self._on_page[span.page] += 1
                number_on[span.page] = self._on_page[span.page]
        label = self._extracted.label
        places = []
        for i, (first, last) in enumerate(pages):
            shown = sum(1 for _, end in pages[: i + 1] if end >= first)
            places.append(Place(self._file, number_on[first], (shown,), pages=(label(first), label(last))))
        return places


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """The first and last character of each sentence of a paragraph's text."""
    spans = []
    begin = 0
    for end in [*_sentence_ends(text), len(text)]:
        chunk = text[begin:end]
        stripped = chunk.strip()
        if stripped:
            first = begin + (len(chunk) - len(chunk.lstrip()))
            spans.append((first, first + len(stripped) - 1))
        begin = end
    return spans


def _sentence_ends(text: str) -> list[int]:
    """Offsets just past each terminator that ends a sentence (the last one is implied by the paragraph's end)."""
    ends = []
    for match in _TERMINATOR.finditer(text):
        end = match.end()
        following = _VISIBLE.search(text, end)
        if following is None:
            continue
        if following.start() > end:
            first = following.group()
            starts_sentence = first.isupper() or first.isdigit() or first in _OPENERS
        else:
            # "study.Due": a full stop glued to a capitalised word, as long as it is not "U.S." or "e.g.Foo".
            before = text[match.start() - 1] if match.start() else ""
            starts_sentence = before.islower() and text[end].isupper() and text[end + 1 : end + 2].islower()
        if starts_sentence and not _is_abbreviation(text, match.start(), match.group()):
            ends.append(end)
    return ends


def _is_abbreviation(text: str, start: int, terminator: str) -> bool:
    """Whether the full stop at ``start`` belongs to an abbreviation or an initial rather than ending a sentence."""
    if not terminator.startswith("."):
        return False
    word_start = max(text.rfind(" ", 0, start), text.rfind("(", 0, start)) + 1
    word = text[word_start:start].casefold().lstrip(_OPENERS)
    if not word:
        return False
    return is_abbreviated(word) or (len(word) == 1 and word.isalpha())
