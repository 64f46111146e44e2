"""The domain: passages of a course text, curated Q&A pairs, and the cited answers built from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.normalize import words


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a course text, located so a reader can find it in the original file."""

    source: str
    paragraph: int
    number: int
    line_start: int
    line_end: int
    text: str
    """The original characters, with every run of whitespace (line breaks, page breaks) folded to one space."""

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
    """A course text split into paragraphs; ``source`` is its file name without ``.txt``."""

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
    lines: tuple[int, int]
    quote: str

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``studybot ask --json``."""
        return {
            "source": self.source,
            "paragraph": self.paragraph,
            "sentences": list(self.sentences),
            "lines": list(self.lines),
            "quote": self.quote,
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
    and ``suggestions`` lists the nearest curated questions a student could ask instead.
    """

    question: str
    answered: bool
    text: str | None
    confidence: float
    citations: tuple[Citation, ...] = ()
    pair: QAPair | None = None
    suggestions: tuple[QAPair, ...] = field(default=())

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
        }
