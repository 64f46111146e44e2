"""Split a course text into paragraphs and sentences, each located by line numbers in the original file.

Real documents are messy, and the text is never edited to suit the splitter:

- a page break (blank lines) in the middle of a sentence is not a paragraph break: blank lines end a paragraph
  only when the text before them ends a sentence or the text after them starts with a capital;
- ``study.Due`` (no space after the full stop) is still two sentences;
- abbreviations such as ``e.g.``, ``i.e.`` (also written ``e.g..``) and initials do not end sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.errors import KnowledgeError
from knowledge.models import Document, Paragraph, Sentence

_TERMINATOR = re.compile(r"[.!?…]+[\"'”’)\]]*")
_CLOSERS = "\"'”’)]"
_OPENERS = "\"'“‘(["
_ABBREVIATIONS = frozenset(
    """e.g. i.e. cf. vs. viz. approx. ca. mr. mrs. ms. dr. prof. st. jr. sr. no. fig. figs. al. p. pp. vol. ed. eds.
    messrs. mme. mlle. rev. hon. esq. lieut. lt. capt. col. gen. maj. sgt. adm. gov. sen. supt. mt. ft.""".split()
)


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str


def split_document(source: str, path: str, raw: str) -> Document:
    """Split the text of one file into a :class:`Document`; raise :class:`KnowledgeError` if it has no text."""
    blocks = _paragraph_blocks(raw)
    if not blocks:
        raise KnowledgeError(path, 1, "the text is empty")
    paragraphs = tuple(
        Paragraph(source, number, " ".join(line.text for line in block), _split_sentences(source, number, block))
        for number, block in enumerate(blocks, start=1)
    )
    return Document(source, path, paragraphs)


def _paragraph_blocks(raw: str) -> list[list[_Line]]:
    """Group non-blank lines into paragraphs, joining across blank lines that interrupt a sentence."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    gap = False
    for number, line in enumerate(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        text = line.strip()
        if not text:
            gap = bool(current)
            continue
        if gap and not _continues(current[-1].text, text):
            blocks.append(current)
            current = []
        gap = False
        current.append(_Line(number, " ".join(text.split())))
    if current:
        blocks.append(current)
    return blocks


def _continues(before: str, after: str) -> bool:
    """Whether blank lines between ``before`` and ``after`` are a page break inside a sentence."""
    ends_sentence = before.rstrip(_CLOSERS)[-1:] in ".!?…:"
    return not ends_sentence and after[0].islower()


def _split_sentences(source: str, paragraph: int, lines: list[_Line]) -> tuple[Sentence, ...]:
    """Cut a paragraph's joined lines at sentence ends and locate each sentence's first and last line."""
    text = " ".join(line.text for line in lines)
    starts = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line.text) + 1

    def line_at(index: int) -> int:
        found = lines[0].number
        for start, line in zip(starts, lines, strict=True):
            if start > index:
                break
            found = line.number
        return found

    sentences: list[Sentence] = []
    begin = 0
    for end in [*_sentence_ends(text), len(text)]:
        chunk = text[begin:end]
        stripped = chunk.strip()
        if stripped:
            first = begin + (len(chunk) - len(chunk.lstrip()))
            last = first + len(stripped) - 1
            sentences.append(Sentence(source, paragraph, len(sentences) + 1, line_at(first), line_at(last), stripped))
        begin = end
    return tuple(sentences)


def _sentence_ends(text: str) -> list[int]:
    """Offsets just past each terminator that ends a sentence (the last one is implied by the paragraph's end)."""
    ends = []
    for match in _TERMINATOR.finditer(text):
        end = match.end()
        rest = text[end:]
        if not rest.strip():
            continue
        if rest[0].isspace():
            following = rest.lstrip()
            starts_sentence = following[0].isupper() or following[0].isdigit() or following[0] in _OPENERS
        else:
            # "study.Due": a full stop glued to a capitalised word, as long as it is not "U.S." or "e.g.Foo".
            before = text[match.start() - 1] if match.start() else ""
            starts_sentence = before.islower() and rest[0].isupper() and rest[1:2].islower()
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
    return f"{word}." in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
