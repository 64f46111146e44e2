"""PDF (``.pdf``): the text layer, read with PDFium (pypdfium2), laid out by :mod:`.pdf_layout`.

PDFium gives each page's text as positioned runs (one per line segment, with its box); the layout module turns them
into paragraphs. Pages are numbered as printed: by the PDF's page labels when it has them ("xii"), else by their
number. A PDF that cannot be read is refused with what to do about it: encrypted (a password is needed to open it;
one that only restricts printing or copying opens fine), damaged or not a PDF, or a page that is only a picture.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from knowledge.formats.extracted import Extracted, Unreadable
from knowledge.formats.pdf_layout import Page, Piece, assemble


def read(data: bytes) -> Extracted:
    """Read every page's text runs and lay them out into paragraphs; raise :class:`Unreadable` if it cannot be."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise Unreadable("encrypted: it needs a password to open; save a copy without one") from exc
        raise Unreadable(f"not a PDF, or a damaged one ({exc})") from exc
    try:
        pages = [_page(document, index) for index in range(len(document))]
        labels = tuple(document.get_page_label(index) or str(index + 1) for index in range(len(document)))
    finally:
        document.close()
    return assemble(pages, labels)


def _page(document: pdfium.PdfDocument, index: int) -> Page:
    """One page's text runs, its size, and whether there is a picture on it."""
    try:
        page = document[index]
    except pdfium.PdfiumError as exc:
        raise Unreadable(f"page {index + 1} is damaged ({exc})") from exc
    try:
        textpage = page.get_textpage()
        pieces = []
        for run in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(run)
            text = textpage.get_text_bounded(left, bottom, right, top)
            if text.strip():
                first = textpage.get_index(left + 0.5, (bottom + top) / 2, 2, top - bottom)
                size = pdfium_c.FPDFText_GetFontSize(textpage, first) if first >= 0 else top - bottom
                pieces.append(Piece(text, left, right, bottom, top, size))
        pictured = any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
        width, height = page.get_size()
        textpage.close()
        return Page(index + 1, width, height, tuple(pieces), pictured)
    finally:
        page.close()
