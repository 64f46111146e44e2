"""Word (``.docx``): the body's paragraphs, lists and tables in reading order, located by heading path.

Read with python-docx. Paragraphs styled "Heading N" (or styled on one) are not paragraphs but the path a citation
names ("Methods › Sampling"); each list item is a paragraph; a table row is one paragraph, its cells joined by
`` | ``. Running headers and footers live outside the body and are left out, and so are footnote markers (the
references Word numbers itself, and digits typed in superscript). The archive is checked before it is opened: a
``.docx`` is a zip, and one that would unpack to far more than its size is refused, not unpacked.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.exceptions import OpcError
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from lxml import etree

from knowledge.formats.clean import clean
from knowledge.formats.extracted import Block, Extracted, Span, Unreadable

MAX_UNPACKED_BYTES = 256_000_000
"""No real Word file unpacks to this much; a zip bomb does."""
MAX_RATIO = 100
"""Word's XML compresses about 5 to 10 times; a hundred times over a few megabytes is a zip bomb."""
RATIO_FROM_BYTES = 16_000_000
MAX_MEMBERS = 10_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How password-protected Word files (and old ``.doc`` ones) start: they are not zip archives."""
_HEADING = re.compile(r"heading (\d)", re.IGNORECASE)
_MARKER = re.compile(r"[\d*†‡§]+|[ivx]+|[a-z]")


def read(data: bytes) -> Extracted:
    """Read a Word document's body into paragraphs under their headings."""
    _check_archive(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise Unreadable(f"not a Word document, or a damaged one ({exc})") from exc
    headings: list[tuple[int, str]] = []
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        path = tuple(text for _, text in headings)
        if isinstance(item, Table):
            blocks += [Block((Span(row),), path) for row in _rows(item)]
            continue
        text = _text(item)
        level = _heading_level(item)
        if level:
            headings = [*(h for h in headings if h[0] < level), (level, text)] if text else headings
        elif text:
            blocks.append(Block((Span(text),), path))
    return Extracted(tuple(blocks))


def _check_archive(data: bytes) -> None:
    """Refuse what is not a zip, or a zip that would unpack to far more than its size, before anything is unpacked."""
    if data.startswith(OLE_MAGIC):
        raise Unreadable("password-protected, or an old .doc: save it from Word as .docx without a password")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise Unreadable(f"not a Word document, or a damaged one ({exc})") from exc
    unpacked = sum(member.file_size for member in members)
    too_packed = unpacked > MAX_RATIO * len(data) and unpacked > RATIO_FROM_BYTES
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or too_packed:
        raise Unreadable(
            f"would unpack to {unpacked / 1_000_000:,.0f} MB in {len(members):,} parts from "
            f"{len(data) / 1_000_000:,.1f} MB: a zip bomb? Refused"
        )


def _heading_level(paragraph: Paragraph) -> int:
    """The level of a heading paragraph (its style, or the style it is based on, is "Heading N"); 0 otherwise."""
    style = paragraph.style
    for _ in range(5):
        if not isinstance(style, ParagraphStyle):
            return 0
        found = _HEADING.fullmatch(style.name or "")
        if found:
            return int(found.group(1))
        style = style.base_style
    return 0


def _text(paragraph: Paragraph) -> str:
    """A paragraph's text, hyperlinks included, without footnote markers typed in superscript."""
    parts = []
    for item in paragraph.iter_inner_content():
        for run in item.runs if isinstance(item, Hyperlink) else (item,):
            if run.font.superscript and _MARKER.fullmatch(run.text.strip()):
                continue
            parts.append(run.text)
    return clean("".join(parts))


def _rows(table: Table) -> Iterator[str]:
    """Each row as one line of text, its cells in order (a merged cell once), nested tables flattened into it."""
    for row in table.rows:
        cells = []
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(
                part
                for inner in cell.iter_inner_content()
                for part in ([_text(inner)] if isinstance(inner, Paragraph) else list(_rows(inner)))
                if part
            )
            if text:
                cells.append(text)
        if cells:
            yield " | ".join(cells)
