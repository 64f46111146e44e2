"""Markdown (``.md``): the text as a reader of the rendered page sees it, located by heading path and by line.

Parsed with markdown-it-py (CommonMark, plus tables and strikethrough): emphasis, links and inline code are read as
their text; a table row is one paragraph, its cells joined by `` | ``; a code block is one paragraph; headings are
not paragraphs but the path a citation names ("Methods › Sampling"). YAML front matter, HTML tags and images are
left out, and so are footnote markers (``[^1]``). Lines keep their numbers in the file, front matter included.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from knowledge.formats.clean import clean
from knowledge.formats.extracted import Block, Extracted, Span
from knowledge.formats.text import decode

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FOOTNOTE_MARKER = re.compile(r"\[\^[^\]\s]+\]:?")
_BREAKS = frozenset({"softbreak", "hardbreak"})


def read(data: bytes) -> Extracted:
    """Read a UTF-8 Markdown file into paragraphs under their headings."""
    source = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    front = _FRONT_MATTER.match(source)
    if front is not None:  # blank lines in its place keep every line's number
        source = "\n" * front.group().count("\n") + source[front.end() :]
    headings: list[tuple[int, str]] = []
    blocks: list[Block] = []
    cells: list[str] = []
    row_line = 0
    tokens = _PARSER.parse(source)
    for before, token in zip([None, *tokens], tokens, strict=False):
        path = tuple(text for _, text in headings)
        if token.type == "inline" and before is not None:
            if before.type == "heading_open":
                level = int(before.tag[1:])
                headings = [*(h for h in headings if h[0] < level), (level, " ".join(_lines(token)[1] or [""]))]
            elif before.type == "paragraph_open":
                first, texts = _lines(token)
                spans = tuple(Span(text, line=first + n) for n, text in enumerate(texts) if text)
                if spans:
                    blocks.append(Block(spans, path))
            elif before.type in ("th_open", "td_open"):
                cells.append(" ".join(text for text in _lines(token)[1] if text))
        elif token.type == "tr_open":
            cells, row_line = [], token.map[0] + 1 if token.map else 0
        elif token.type == "tr_close" and any(cells):
            blocks.append(Block((Span(" | ".join(cells), line=row_line),), path))
        elif token.type in ("fence", "code_block") and token.map is not None:
            start = token.map[0] + (2 if token.type == "fence" else 1)
            spans = tuple(
                Span(text, line=start + n) for n, raw in enumerate(token.content.split("\n")) if (text := clean(raw))
            )
            if spans:
                blocks.append(Block(spans, path))
    return Extracted(tuple(blocks))


def _lines(inline: Token) -> tuple[int, list[str]]:
    """An inline token's first line in the file and its text line by line, markup dropped, each line cleaned."""
    lines = [""]
    for child in inline.children or ():
        if child.type in _BREAKS:
            lines.append("")
        elif child.type in ("text", "code_inline"):
            lines[-1] += child.content
    first = inline.map[0] + 1 if inline.map else 0
    return first, [clean(_FOOTNOTE_MARKER.sub("", line)) for line in lines]
