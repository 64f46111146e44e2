"""The domain: passages of a course text, curated Q&A pairs, and the cited answers built from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge.normalize import words


@dataclass(frozen=True, slots=True)
class Place:
    """Where sentences are in the original file, counted the way a person finds them there.

    A plain text is found by paragraph and sentence of the whole text; a PDF by the page as printed, then the
    paragraph and sentence on that page (a paragraph or sentence continued from the page before counts as the
    page's first); Word and Markdown by the headings above, then the paragraph and sentence under the last heading.
    """

    file: str
    """The file's name, e.g. ``essay.pdf``."""
    paragraph: int
    sentences: tuple[int, ...]
    pages: tuple[str, str] | None = None
    """The printed labels of the first and last page the sentences are on (PDF only)."""
    section: tuple[str, ...] | None = None
    """The headings above, outermost first; empty before the first heading (Word and Markdown only)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a course text, located so a reader can find it in the original file."""

    source: str
    paragraph: int
    number: int
    line_start: int
    line_end: int
    """The lines of the file the sentence starts and ends on; 0 for formats without lines (PDF, Word)."""
    text: str
    """The clean characters, with every run of whitespace (line breaks, page breaks) folded to one space."""
    place: Place
    """Where a person finds it in the original file (``paragraph`` and ``number`` count in the whole text)."""

    @property
    def id(self) -> str:
        """Stable id within its source, e.g. ``p2.s3``."""
        return f"p{self.paragraph}.s{self.number}"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of a course text: its sentences in order."""

    source: str
    number: int
    text: str
    """The original characters with whitespace folded; sentences are slices of it (``study.Due`` keeps no space)."""
    sentences: tuple[Sentence, ...]

    @property
    def line_start(self) -> int:
        return self.sentences[0].line_start

    @property
    def line_end(self) -> int:
        return self.sentences[-1].line_end


@dataclass(frozen=True, slots=True)
class Document:
    """A course text split into paragraphs; ``source`` is its file name without the extension (``.txt``, ``.pdf``…)."""

    source: str
    path: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)


@dataclass(frozen=True, slots=True)
class Citation:
    """Where an answer comes from: enough to open the file and check the words."""

    source: str
    paragraph: int
    sentences: tuple[int, ...]
    lines: tuple[int, int] | None
    """The first and last line of the cited sentences in the file; None for formats without lines (PDF, Word)."""
    quote: str
    place: Place

    @classmethod
    def of(cls, sentences: Sequence[Sentence], quote: str) -> Citation:
        """Cite sentences of one paragraph (in reading order, not always next to each other): numbered from where the
        first one is found in the file."""
        first, last = sentences[0], sentences[-1]
        at = first.place
        return cls(
            source=first.source,
            paragraph=first.paragraph,
            sentences=tuple(s.number for s in sentences),
            lines=(first.line_start, last.line_end) if first.line_start else None,
            quote=quote,
            place=Place(
                file=at.file,
                paragraph=at.paragraph,
                # A citation that runs over a page break is counted on, as a reader reads on, from its first page.
                sentences=tuple(at.sentences[0] + s.number - first.number for s in sentences),
                pages=(at.pages[0], last.place.pages[1]) if at.pages and last.place.pages else None,
                section=at.section,
            ),
        )

    def where(self, *, sentences: bool = True) -> list[str]:
        """Where to check the quote, in the order a person looks: file, page or headings, ¶, sentences, lines
        (without the last two if not ``sentences``: where the paragraph is)."""
        place = self.place
        parts = [place.file]
        if place.pages is not None:
            first, last = place.pages
            parts.append(f"p. {first}" if first == last else f"pp. {first}–{last}")
        if place.section:
            parts.append(" › ".join(place.section))
        parts.append(f"¶{place.paragraph}")
        if sentences:
            label = "sentences" if len(place.sentences) > 1 else "sentence"
            parts.append(f"{label} {', '.join(str(n) for n in place.sentences)}")
        if sentences and self.lines is not None:
            parts.append(f"lines {self.lines[0]}–{self.lines[1]}")
        return parts

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``studybot ask --json``: ``page`` and ``section`` are None where the format has none."""
        place = self.place
        found = {"paragraph": place.paragraph, "sentences": list(place.sentences)}
        return {
            "source": self.source,
            "paragraph": self.paragraph,
            "sentences": list(self.sentences),
            "lines": list(self.lines) if self.lines is not None else None,
            "quote": self.quote,
            "file": place.file,
            "page": {"first": place.pages[0], "last": place.pages[1], **found} if place.pages is not None else None,
            "section": {"headings": list(place.section), **found} if place.section is not None else None,
        }


@dataclass(frozen=True, slots=True)
class QAPair:
    """A curated question with its answer, whose quote was found verbatim in the source when loaded."""

    id: str
    source: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    quote: str
    citation: Citation
    line: int
    """Line of the pair in its ``.qa.yaml`` file, for messages that point a curator at it."""

    @property
    def key(self) -> str:
        """Id that is unique across sources."""
        return f"{self.source}/{self.id}"

    @property
    def phrasings(self) -> tuple[str, ...]:
        return (self.question, *self.alternates)


@dataclass(frozen=True, slots=True)
class Answer:
    """The outcome of a question: answered with citations, or honestly not covered.

    "Not covered" is a value, not an exception: ``answered`` is False, ``text`` is None, ``citations`` is empty,
    ``suggestions`` lists the nearest curated questions a student could ask instead, and ``closest`` may point at
    the passage that came nearest to answering.
    """

    question: str
    answered: bool
    text: str | None
    confidence: float
    citations: tuple[Citation, ...] = ()
    pair: QAPair | None = None
    suggestions: tuple[QAPair, ...] = field(default=())
    closest: Citation | None = None
    """Not covered, but a passage came near (:data:`~knowledge.retriever.CLOSE_ENOUGH`): where to read rather than
    an answer. Often the text does say it there in other words, and a student can check in a minute; it is never
    given as the answer, since it is wrong too often for that."""
    parts: tuple[Answer, ...] = ()
    """For a message asking several questions, the answer to each, in the order asked (covered or not); then
    ``text`` and ``citations`` are those of the questions answered, ``confidence`` the first one's, and ``pair``
    None: each part has its own."""

    @property
    def rephrased(self) -> str | None:
        """The curated question actually answered, when it is worded differently from what was asked."""
        if self.pair is None or words(self.pair.question) == words(self.question):
            return None
        return self.pair.question

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``studybot ask --json``."""
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.text,
            "confidence": round(self.confidence, 4),
            "citations": [c.to_dict() for c in self.citations],
            "closest": self.closest.to_dict() if self.closest is not None else None,
            "parts": [part.to_dict() for part in self.parts],
        }
