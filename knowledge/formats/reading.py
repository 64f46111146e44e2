"""Which files are course texts, and reading one: the size limit, the extraction cache, the reader for its format.

Each reader is imported only when a file of its format is read, so ``studybot ask`` over plain texts never loads a
PDF library, and a format whose library is missing fails for its own files only, with the command that installs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge.formats.cache import ExtractionCache
from knowledge.formats.extracted import Extracted, Unreadable

DEFAULT_MAX_FILE_MB = 50.0
"""Larger files are refused: a 300-page textbook with pictures is about 20 MB; anything bigger is rarely a text."""
FORMATS_EXTRA = "pip install 'studybot[formats]'"


@dataclass(frozen=True, slots=True)
class Reading:
    """How course texts are read: where extractions are cached (None: nowhere) and the largest file accepted."""

    cache_dir: Path | None = None
    max_file_mb: float = DEFAULT_MAX_FILE_MB


def _read_text(data: bytes) -> Extracted:
    from knowledge.formats import text

    return text.read(data)


def _read_markdown(data: bytes) -> Extracted:
    from knowledge.formats import markdown

    return markdown.read(data)


def _read_pdf(data: bytes) -> Extracted:
    from knowledge.formats import pdf

    return pdf.read(data)


def _read_docx(data: bytes) -> Extracted:
    from knowledge.formats import docx

    return docx.read(data)


@dataclass(frozen=True, slots=True)
class Format:
    """A kind of course text: its reader and, if it needs one, the library it reads with."""

    name: str
    read: Callable[[bytes], Extracted]
    library: str = ""
    """The package it reads with, if any."""
    modules: tuple[str, ...] = ()
    """The top-level modules of that package and its dependencies, to tell a missing one from other import errors."""
    install: str = ""
    """The command that installs it."""

    @property
    def cached(self) -> bool:
        """Plain text is split faster than a cache entry is read; everything else is cached."""
        return bool(self.modules)


FORMATS = {
    ".txt": Format("plain text", _read_text),
    ".md": Format("Markdown", _read_markdown, "markdown-it-py", ("markdown_it", "mdurl"), "pip install markdown-it-py"),
    ".pdf": Format("PDF", _read_pdf, "pypdfium2", ("pypdfium2", "pypdfium2_raw"), FORMATS_EXTRA),
    ".docx": Format("Word", _read_docx, "python-docx", ("docx", "lxml"), FORMATS_EXTRA),
}
"""The course text formats by file suffix (lower case)."""


def read_text(path: Path, reading: Reading) -> Extracted:
    """Read a course text of any format, from the cache if its content was extracted before.

    Raises :class:`Unreadable` with a reason a teacher can act on: too big, a library missing, or what the
    format's reader found wrong (encrypted, scanned, corrupt…).
    """
    fmt = FORMATS[path.suffix.lower()]
    size = path.stat().st_size
    if size > reading.max_file_mb * 1_000_000:
        raise Unreadable(
            f"{size / 1_000_000:.1f} MB is over the limit of {reading.max_file_mb:g} MB for one file "
            "(STUDYBOT_MAX_FILE_MB)"
        )
    data = path.read_bytes()
    cache = ExtractionCache(reading.cache_dir) if reading.cache_dir is not None and fmt.cached else None
    key = ExtractionCache.key(data, path.suffix.lower()) if cache is not None else ""
    found = cache.get(key) if cache is not None else None
    if found is not None:
        return found
    try:
        extracted = fmt.read(data)
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] not in fmt.modules:
            raise
        missing = f"reading {fmt.name} files needs {fmt.library}, which is not installed: {fmt.install}"
        raise Unreadable(missing) from exc
    if cache is not None:
        cache.put(key, extracted)
    return extracted
