"""Sections a question names ("the first paragraph of Chapter II", "the opening paragraph of the chapter on the
origin of the Constitution", "the last paragraph under the warm bath heading"), and the paragraphs under them.

A course text of several chapters is asked about chapter by chapter: "what does the first paragraph of Chapter II
say" means the first paragraph after that heading, not the text's first. :mod:`knowledge.structure` reads the rest
of the place (which paragraph, which sentence) and counts paragraphs within the section this module finds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from knowledge.models import Document, Paragraph
from knowledge.normalize import STOPWORDS

_KINDS = r"chapter|chap|section|sect|sec|part|book|lecture|lesson"
_NUMBERED = re.compile(
    rf"\b(?P<kind>{_KINDS})\.?\s+(?P<number>[ivxlc]+|\d{{1,3}})\b(?!\s*(?:%|percent))", re.IGNORECASE
)
_PARAGRAPH_OF = r"\bparagraphs?\s+(?:of|in|under|from)\s+the\s+"
_ABOUT = re.compile(
    rf"{_PARAGRAPH_OF}(?P<kind>{_KINDS})\s+(?:on|about|called|titled|named|headed)\s+(?P<words>[^?.!,;:]+?)"
    r"(?=\s+(?:say|says|argue|argues|cover|covers|about|mean|means)\b|\s*[?.!,;:]|\s*$)",
    re.IGNORECASE,
)
_UNDER = re.compile(rf"{_PARAGRAPH_OF}(?P<words>[^?.!,;:]+?)\s+(?P<kind>heading|section|part|chapter)\b", re.IGNORECASE)
_MENTIONED = re.compile(
    r"\b(?P<kind>chapter|section|part|lecture|lesson)\s+(?:on|about|called|titled|headed)\s+(?P<words>[^?.!,;:]+?)"
    r"(?=\s+(?:end|ends|ending|say|says|begin|begins|open|opens|start|starts|conclude|concludes|argue|argues)\b"
    r"|\s*[?.!,;:]|\s*$)",
    re.IGNORECASE,
)
_NOT_A_NAME = frozenset(
    """first second third fourth fifth last final next previous following same whole main other opening closing
    early earlier later middle""".split()
)
"""Words that say which part, not what it is called: "in the first part" names no section."""
_KIND_WORDS = frozenset("chapter chap section sect sec part book lecture lesson heading".split())
"""How a question says what sort of section it names, not what the section is called."""
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_WORD = re.compile(r"[^\W_]+")


class Section(NamedTuple):
    """A section as a question names it: by its kind and number ("chapter", 2), or by words of its heading."""

    kind: str | None
    number: int | None
    words: tuple[str, ...]
    """The lowercased words the question names it with ("warm", "bath", "heading"): place words, not its topic."""


def section_named(question: str) -> Section | None:
    """The section a question names, if any: by kind and number anywhere ("in Chapter II"), by its heading's words
    only where a paragraph is counted in it ("the first paragraph under the warm bath heading"). "The part about the
    octagon" names a topic, and is answered on it."""
    found = _NUMBERED.search(question)
    if found:
        number = _value(found.group("number"))
        if number is not None:
            kind = _kind(found.group("kind"))
            return Section(kind, number, (found.group("kind").casefold(), found.group("number").casefold()))
    for pattern in (_ABOUT, _UNDER):
        found = pattern.search(question)
        if found:
            section, named = _by_words(found)
            if named and not _NOT_A_NAME.issuperset(named):
                return section
    return None


def section_mentioned(question: str) -> Section | None:
    """A section a question may name by its heading's words outside a paragraph count ("how does the chapter on the
    Articles of Confederation end?"); a section only if a heading of the text holds them ("the part about the
    octagon" is a topic elsewhere), which the caller checks."""
    found = _MENTIONED.search(question)
    if found is None:
        return None
    section, named = _by_words(found)
    return section if named else None


def _by_words(found: re.Match[str]) -> tuple[Section, list[str]]:
    """The section a match names by its heading's words (and its kind), and those of the words that are not
    stopwords: none, and it names nothing."""
    words = tuple(w.casefold() for w in _WORD.findall(found.group("words")))
    return Section(None, None, (*words, found.group("kind").casefold())), [w for w in words if w not in STOPWORDS]


def paragraphs_in(
    document: Document, section: Section, is_heading: Callable[[Paragraph], bool]
) -> Sequence[Paragraph] | None:
    """The paragraphs under the heading ``section`` names (headings left out), or None if no heading matches.

    Consecutive heading paragraphs are one heading ("CHAPTER XVIII." then "THE ARTICLES OF CONFEDERATION."). A
    chapter's heading (its kind and number, and the title right after them) holds until the next heading of that
    kind, sub-headings and all; any other heading holds until the next heading.
    """
    paragraphs = document.paragraphs
    groups: list[tuple[int, int]] = []  # (first heading paragraph, first paragraph after the heading)
    i = 0
    while i < len(paragraphs):
        if is_heading(paragraphs[i]):
            start = i
            while i < len(paragraphs) and is_heading(paragraphs[i]):
                i += 1
            groups.append((start, i))
        else:
            i += 1
    kinds = [_numbered_kind(paragraphs[start].text) for start, _ in groups]
    for n, (start, after) in enumerate(groups):
        if section.number is not None:
            own = _NUMBERED.match(paragraphs[start].text.strip())
            found = own is not None and kinds[n] == section.kind and _value(own.group("number")) == section.number
            whole_kind = found
        else:
            at = next((h for h in range(start, after) if _names(section, paragraphs[h].text)), None)
            found = at is not None
            whole_kind = found and kinds[n] is not None and at is not None and at <= start + 1
        if not found:
            continue
        kind = kinds[n] if whole_kind else None
        end = next(
            (later for m, (later, _) in enumerate(groups[n + 1 :], n + 1) if kind is None or kinds[m] == kind),
            len(paragraphs),
        )
        return [p for p in paragraphs[after:end] if not is_heading(p)]
    return None


def _numbered_kind(heading: str) -> str | None:
    """The kind of section a heading opens by its number ("CHAPTER II." opens a chapter), if it does."""
    own = _NUMBERED.match(heading.strip())
    return _kind(own.group("kind")) if own else None


def _names(section: Section, heading: str) -> bool:
    """Whether a heading is the one named by these words: every word it was named with is in it."""
    written = {_singular(w.casefold()) for w in _WORD.findall(heading)}
    named = [_singular(w) for w in section.words if w not in STOPWORDS and w not in _KIND_WORDS]
    return bool(named) and all(w in written for w in named)


def _kind(word: str) -> str:
    """One name for each kind of section however it is abbreviated ("Chap." is a chapter, "Sect." a section)."""
    word = word.casefold()
    return {"chap": "chapter", "sect": "section", "sec": "section"}.get(word, word)


def _value(number: str) -> int | None:
    """A section number, written in digits or Roman numerals ("II", "xviii")."""
    if number.isdigit():
        return int(number)
    values = [_ROMAN.get(c) for c in number.casefold()]
    if None in values:
        return None
    digits = [v for v in values if v is not None]
    return sum(-v if i + 1 < len(digits) and v < digits[i + 1] else v for i, v in enumerate(digits))


def _singular(word: str) -> str:
    """A word without a plural "s", so "the baths part" finds the heading "BATHS" and "the bath heading" "THE BATH"."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
