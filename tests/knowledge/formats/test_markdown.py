"""Markdown read as its rendered text: markup gone, headings as the path of each paragraph, lines as in the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from knowledge.corpus import load_knowledge
from knowledge.formats.extracted import Block, Span
from knowledge.formats.markdown import read

MakeFolder = Callable[..., Path]

NOTES = """\
---
title: Week 3 notes
tags: [soft power]
---
Intro before any heading.

# Methods

We drew *random* samples from [the register](https://example.org) using `numpy.random`,
then **weighted** them.[^1]

## Sampling

| Country | Sample |
|---------|--------|
| Japan   | 1,200  |

- Each school was visited twice.
- Pupils were asked in class

```python
draw(samples)
```

## Results ###

Results came late.

# Appendix

[^1]: Weights follow the census.
"""


def blocks() -> list[Block]:
    return list(read(NOTES.encode()).blocks)


def test_front_matter_is_dropped_and_lines_keep_their_numbers() -> None:
    first = blocks()[0]
    assert first == Block((Span("Intro before any heading.", line=5),), headings=())


def test_emphasis_links_code_and_footnote_markers_read_as_text() -> None:
    assert blocks()[1] == Block(
        (
            Span("We drew random samples from the register using numpy.random,", line=9),
            Span("then weighted them.", line=10),
        ),
        headings=("Methods",),
    )


def test_table_rows_list_items_and_code_are_paragraphs_in_reading_order() -> None:
    found = [(b.headings, [(s.text, s.line) for s in b.spans]) for b in blocks()[2:7]]
    sampling = ("Methods", "Sampling")
    assert found == [
        (sampling, [("Country | Sample", 14)]),
        (sampling, [("Japan | 1,200", 16)]),
        (sampling, [("Each school was visited twice.", 18)]),
        (sampling, [("Pupils were asked in class", 19)]),
        (sampling, [("draw(samples)", 22)]),
    ]


def test_a_heading_replaces_those_of_its_level_and_below() -> None:
    assert [b.headings for b in blocks()[7:]] == [("Methods", "Results"), ("Appendix",)]
    assert blocks()[-1].spans == (Span("Weights follow the census.", line=31),)


def test_an_empty_document_has_no_paragraphs() -> None:
    assert read(b"---\ntitle: only front matter\n---\n# Heading only\n").blocks == ()


def test_a_markdown_answer_cites_heading_path_paragraph_sentence_and_lines(make_folder: MakeFolder) -> None:
    qa = """\
- id: weights
  question: What do the weights follow?
  alternates: [weights]
  answer: The census.
  quote: Weights follow the census.
"""
    knowledge = load_knowledge(make_folder(**{"notes.md": NOTES, "notes.qa.yaml": qa}))
    (pair,) = knowledge.pairs
    assert pair.citation.where() == ["notes.md", "Appendix", "¶1", "sentence 1", "lines 31–31"]
    sampling = knowledge.documents[0].paragraphs[3].sentences[0]
    assert (sampling.text, sampling.place.section, sampling.place.paragraph) == (
        "Japan | 1,200",
        ("Methods", "Sampling"),
        2,
    )
