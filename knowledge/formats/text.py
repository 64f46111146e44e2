"""Plain text (``.txt``): the file exactly as given, located by line.

Paragraphs are separated by blank lines, except blank lines inside a sentence (a page break left by a conversion),
which are not a paragraph break: they end a paragraph only when the text before them ends a sentence or the text
after them starts with a capital. The characters are not cleaned: a plain text is quoted as its author wrote it.
"""

from __future__ import annotations

import codecs

from knowledge.formats.clean import continues
from knowledge.formats.extracted import Block, Extracted, Span, Unreadable


def read(data: bytes) -> Extracted:
    """Split a UTF-8 text into paragraphs of lines, each line a span with its line number."""
    blocks: list[list[Span]] = []
    current: list[Span] = []
    gap = False
    for number, line in enumerate(decode(data).replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        text = " ".join(line.split())
        if not text:
            gap = bool(current)
            continue
        if gap and not continues(current[-1].text, text):
            blocks.append(current)
            current = []
        gap = False
        current.append(Span(text, line=number))
    if current:
        blocks.append(current)
    return Extracted(tuple(Block(tuple(spans)) for spans in blocks))


def decode(data: bytes) -> str:
    """Decode UTF-8 (a leading BOM is dropped), naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        position = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        line = data[:position].count(b"\n") + 1
        raise Unreadable(f"not UTF-8 text (byte {position})", line) from exc
