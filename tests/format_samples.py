"""Course texts rendered as the files teachers have: the bundled essay as a two-page PDF, a Word document and
Markdown, and a course reader PDF with everything extraction must clean up (running heads, page labels, hyphens,
ligatures, footnotes, a sentence over a page break, two columns). Shared by the format tests, the bot's and the
benchmark; generated with fpdf2 and python-docx (the ``dev`` extra), never stored.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from knowledge.corpus import BUNDLED_DIR
from knowledge.formats import text as plain

ESSAY = "soft-power-essay"
ESSAY_TITLE = "Soft power in Japan’s foreign policy"
ESSAY_FIRST_PAGE = 17
"""The essay as pages 17-18 of a journal: its page labels start there."""
ESSAY_PAGE_BREAK = 37
"""The essay's .txt has four blank lines from line 37 on, inside a sentence: where its page 1 ended."""
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")


def font() -> Path:
    """DejaVu Sans (Debian's fonts-dejavu-core, in the project's machine image): curly quotes and ligatures."""
    for folder in FONT_DIRS:
        path = Path(folder) / "DejaVuSans.ttf"
        if path.exists():
            return path
    pytest.skip("DejaVuSans.ttf not found (install fonts-dejavu-core) to render the PDF fixtures")


def essay_lines() -> list[str]:
    """The bundled essay's lines as stored (without line ends)."""
    return (BUNDLED_DIR / f"{ESSAY}.txt").read_text(encoding="utf-8").split("\n")


def essay_blocks() -> list[list[str]]:
    """The essay's four paragraphs as the plain text reader finds them, each a list of its lines."""
    blocks = plain.read((BUNDLED_DIR / f"{ESSAY}.txt").read_bytes()).blocks
    return [[span.text for span in block.spans] for block in blocks]


def copy_essay_pairs(folder: Path) -> None:
    (folder / f"{ESSAY}.qa.yaml").write_bytes((BUNDLED_DIR / f"{ESSAY}.qa.yaml").read_bytes())


class _Journal(FPDF):
    """A4 pages with a running header (the journal's name) and the printed page label as a footer."""

    running_head = "Journal of Area Studies, vol. 3"

    def header(self) -> None:
        self.set_font("dejavu", size=8)
        self.cell(0, 6, self.running_head, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("dejavu", size=8)
        self.cell(0, 6, self.get_page_label(), align="C")


def _journal() -> _Journal:
    pdf = _Journal(format="A4")
    pdf.add_font("dejavu", fname=str(font()))
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 15, 20)
    return pdf


def essay_pdf() -> bytes:
    """The essay as printed on pages 17 and 18: each line of the .txt a line, blank lines a paragraph gap, and
    the page break where the .txt shows it, in the middle of a sentence."""
    pdf = _journal()
    pdf.add_page()
    pdf.set_page_label("D", None, ESSAY_FIRST_PAGE)
    pdf.set_font("dejavu", size=10)
    gap = False
    for number, line in enumerate(essay_lines(), start=1):
        if number == ESSAY_PAGE_BREAK:
            pdf.add_page()
            pdf.set_font("dejavu", size=10)
            gap = False
        if not line.strip():
            gap = gap or not ESSAY_PAGE_BREAK <= number < ESSAY_PAGE_BREAK + 4
            continue
        if gap:
            pdf.ln(4)
            gap = False
        pdf.cell(0, 5, line.strip(), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def essay_docx() -> bytes:
    """The essay as a Word document: a title heading, its paragraphs, the last under a "Conclusion" heading, and
    a running header in the page header (which is not body text)."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Journal of Area Studies"
    document.add_heading(ESSAY_TITLE, level=1)
    for number, lines in enumerate(essay_blocks(), start=1):
        if number == 4:
            document.add_heading("Conclusion", level=2)
        document.add_paragraph(" ".join(lines))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def essay_markdown() -> str:
    """The essay as Markdown notes: front matter, a title, its lines as in the .txt, a "Conclusion" heading."""
    parts = ["---", "title: soft power", "source: Journal of Area Studies", "---", "", f"# {ESSAY_TITLE}", ""]
    for number, lines in enumerate(essay_blocks(), start=1):
        if number == 4:
            parts += ["## Conclusion", ""]
        parts += [*lines, ""]
    return "\n".join(parts)


# ----------------------------------------------------------------- a course reader with everything to clean up

READER_PARAGRAPHS = [
    "Cultural diplomacy is the oldest tool of soft power. The first efforts of the ministry concentrated on "
    "diplomacy through exchanges.",
    "The ministry financed a well-known programme of visits, and well-known scholars took part.",
    "Its report on the first decade names the exchanges as the main reason for the change in opinion.",
    "The second paragraph begins here and runs on until the page ends in the middle of a sentence that continues "
    "on the next page with the rest of its words.",
    "12 The ministry's report of 1972.",
    "A new paragraph on the next page starts with an indented first line and no gap before it.",
    "It is followed by another indented paragraph.",
    "Regional partners",
    "Left column: trade with the partners of the region grew every year of the decade, led by the ports of the "
    "south and by the railways that linked them to the capital and to the industrial towns of the north.",
    "Right column: the exchanges of students grew faster still, and the universities opened new offices in every "
    "country of the region, with grants for teachers and for the pupils of the secondary schools.",
]
"""The reader's paragraphs as a student reads them, in order (the footnote after the paragraph it interrupts)."""


def reader_pdf() -> bytes:
    """Four pages labelled xi, xii, 1, 2, with a running header and page numbers on each; a word hyphenated at a
    line end ("diplo-" "macy"), a compound hyphenated at one but written whole elsewhere ("well-known"),
    ligatures (ﬁ, ﬀ), a footnote marker and its footnote in small type, a sentence over a page break, indented
    paragraphs without gaps, a full-width title over two columns."""
    pdf = _journal()
    pdf.running_head = "Readings in Diplomacy — Week 3"

    def lines(*texts: str, size: float = 10, gap: float = 4) -> None:
        pdf.set_font("dejavu", size=size)
        for text in texts:
            pdf.cell(0, size / 2, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.add_page()
    pdf.set_page_label("r", None, 11)
    lines(
        "Cultural diplomacy is the oldest tool of soft power. The ﬁrst",
        "eﬀorts of the ministry concentrated on diplo-",
        "macy through exchanges.",
    )
    lines("The ministry ﬁnanced a well-", "known programme of visits, and well-known scholars took part.")
    pdf.set_font("dejavu", size=10)
    pdf.write(5, "Its report on the first decade names the exchanges")
    pdf.char_vpos = "SUP"
    pdf.write(5, "12")
    pdf.char_vpos = "LINE"
    pdf.write(5, " as the main reason")
    pdf.ln(5)
    lines("for the change in opinion.")
    lines("The second paragraph begins here and runs on until the page ends in the", "middle of a sentence that", gap=0)
    pdf.set_y(-30)
    lines("12 The ministry's report of 1972.", size=7)
    pdf.add_page()
    lines("continues on the next page with the rest of its words.", gap=0)
    pdf.set_x(30)
    lines("A new paragraph on the next page starts with an indented first line and", gap=0)
    lines("no gap before it.", gap=0)
    pdf.set_x(30)
    lines("It is followed by another indented paragraph.")
    pdf.add_page()
    pdf.set_page_label("D", None, 1)
    lines("Regional partners", size=14, gap=6)
    pdf.set_font("dejavu", size=10)
    with pdf.text_columns(ncols=2, gutter=12, balance=True) as columns:
        columns.write(READER_PARAGRAPHS[8] + " " + READER_PARAGRAPHS[9])
    pdf.add_page()
    lines("The last page.")
    return bytes(pdf.output())


# ----------------------------------------------------------------- broken files


def encrypted_pdf() -> bytes:
    """A PDF that needs a password to be opened."""
    pdf = _journal()
    pdf.add_page()
    pdf.set_font("dejavu", size=10)
    pdf.cell(0, 5, "Secret words.")
    pdf.set_encryption(owner_password="owner", user_password="reader")
    return bytes(pdf.output())


def scanned_pdf(text_pages: int = 2) -> bytes:
    """``text_pages`` pages with text, then a page that is only a picture (as a scanner makes it)."""
    from PIL import Image

    pdf = _journal()
    for _ in range(text_pages):
        pdf.add_page()
        pdf.set_font("dejavu", size=10)
        pdf.cell(0, 5, "A page with a text layer.")
    pdf.running_head = ""
    pdf.add_page()
    pdf.image(Image.new("L", (60, 80), 200), x=20, y=20, w=170)
    return bytes(pdf.output())


def zip_bomb_docx(unpacked_mb: int = 40) -> bytes:
    """A real Word document with a part added that unpacks to ``unpacked_mb`` MB of zeros (a few kB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(essay_docx())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        with bomb.open("word/media/padding.bin", "w") as padding:
            chunk = bytes(1_000_000)
            for _ in range(unpacked_mb):
                padding.write(chunk)
    return out.getvalue()


def write_files(folder: Path, files: dict[str, bytes | str]) -> Path:
    """Write ``files`` (name: content) into ``folder``, creating it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder
