"""Headings: which paragraphs and sentences of a text are titles rather than prose, and the heading each sentence
is under.

A reader does not count "Chapter VI." or "ON A PIECE OF CHALK" as a paragraph, and a title says what the sentences
under it are about without saying anything itself: so structural questions count paragraphs without headings
(:mod:`knowledge.structure`), and the ranker never answers with a title but lends it to the sentences below
(:mod:`knowledge.ranking`). Works for any text: plain text guessed from its lines, Word and Markdown headings read
from the file.
"""

from __future__ import annotations

import re

from knowledge.models import Document, Paragraph
from knowledge.normalize import STOPWORDS

HEADING_WORDS = 4
"""A one-line paragraph this short is a heading, whatever punctuation it ends with."""
HEADING_LINES = 3
"""A title in capitals may take this many lines with no blank line between them ("CHAPTER I." over "HOW MULES SHOULD
BE TREATED IN BREAKING."): a number and a title, or a title too long for one line."""


EPIGRAPH_WORDS = 12
"""A one-line motto under a text's title is at most this long ("Play, which is the business of their lives.")."""


def prose_paragraphs(document: Document) -> list[Paragraph]:
    """The paragraphs a reader counts: a heading (:func:`is_heading`) is not one, nor a motto
    under the title (:func:`is_epigraph`)."""
    paragraphs = [p for p in document.paragraphs if not is_heading(p)]
    if len(paragraphs) > 1 and is_epigraph(paragraphs[0], paragraphs[1], document):
        return paragraphs[1:]
    return paragraphs


def is_epigraph(first: Paragraph, second: Paragraph, document: Document) -> bool:
    """Whether a text's first paragraph after its title is a motto, which a reader does not count as paragraph 1:
    one short line under a heading, before a paragraph of several lines ("CHAPTER III / LEARNING BORN OF PLAY /
    Play, which is the business of their lives. / There may be nothing new under the sun...")."""
    return (
        first is not document.paragraphs[0]
        and first.line_start == first.line_end
        and len(first.text.split()) <= EPIGRAPH_WORDS
        and second.line_end > second.line_start
    )


def is_heading(paragraph: Paragraph) -> bool:
    """One line that reads as a title: a few words ("Chapter VI.", "Digestion."), capitals ("ON A PIECE OF
    CHALK"), or a short line that ends no sentence; or a few lines all in capitals ("CHAPTER I." over its title)."""
    text = paragraph.text.strip()
    if paragraph.line_start != paragraph.line_end:
        return paragraph.line_end - paragraph.line_start < HEADING_LINES and text.isupper()
    words = len(text.split())
    if words <= HEADING_WORDS or text.isupper():
        return True
    return len(paragraph.sentences) == 1 and words <= 12 and text[-1:] not in ".!?:;…\"'”’)"


TITLE_WORDS = 6
"""A sentence of up to this many words (numbers aside: "Sec. 2. The Law of Diminishing Utility."), every content word
capitalised, names a section ("The Teeth.")."""
_TITLE_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def is_title(text: str) -> bool:
    """Whether a sentence names a section rather than says something: a few words, each capitalised or a number,
    small words aside ("Digestion.", "The Pharynx and Oesophagus.", "Deglutition, or Swallowing.", "128.")."""
    found = _TITLE_WORD.findall(text)
    if not found or sum(not w.isdigit() for w in found) > TITLE_WORDS:
        return False
    content = [w for w in found if w.lower() not in STOPWORDS]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


def section_titles(document: Document) -> list[tuple[bool, str]]:
    """For each sentence of ``document``, in order: whether it is a heading, and the heading it is under ("" if
    none).

    A heading is a title paragraph, or a title at the start of a paragraph (a textbook's "133. The Teeth. The
    teeth are attached..."); it holds until the next one. Word and Markdown headings are not sentences: there the
    heading is the last of the sentence's section. A heading says what the sentences under it are about, and is
    itself no answer to anything.
    """
    found = []
    current = ""
    for paragraph in document.paragraphs:
        heading_paragraph = _names_section(paragraph)
        titles: list[str] = []
        opening = True
        for sentence in paragraph.sentences:
            opening = heading_paragraph or (opening and is_title(sentence.text))
            if opening:
                titles.append(sentence.text)
                current = " ".join(titles)
                found.append((True, ""))
            else:
                section = sentence.place.section
                found.append((False, section[-1] if section else current))
    return found


def _names_section(paragraph: Paragraph) -> bool:
    """Whether a heading paragraph is surely a title, not a short one-line statement ("Milk teeth come first."): it
    reads as one, or it ends no sentence."""
    text = paragraph.text.rstrip()
    return is_heading(paragraph) and (is_title(text) or text[-1:] not in ".!?…")
