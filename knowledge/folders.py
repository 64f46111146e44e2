"""Changing a server's folder of texts safely: adding a text or its curated pairs, and taking a text out.

Whatever is added is checked before any file changes (a known format, a name no other text has, a file that loads
and splits into sentences, pairs whose quotes are in their text), then written through a temporary file in the same
folder and an atomic rename, so a crash leaves the old folder or the new one, never half a file. A text taken out
keeps its curated pairs aside, in ``.removed/`` (a hidden folder the loader never reads), not deleted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath

from knowledge.corpus import QA_SUFFIX, course_texts
from knowledge.errors import KnowledgeError
from knowledge.formats.extracted import Unreadable
from knowledge.formats.reading import FORMATS, Reading, read_text
from knowledge.formats.text import decode
from knowledge.qa import load_pairs
from knowledge.text import split_document

ACCEPTED = ".txt, .md, .pdf, .docx, or NAME.qa.yaml for a text's curated pairs"
REMOVED = ".removed"


class Refused(Exception):
    """An addition or removal that was refused before any file changed; the message is one line for a person."""


@dataclass(frozen=True, slots=True)
class Added:
    """A file written into a server's folder, and what undoing it takes."""

    path: Path
    source: str
    sentences: int
    """The text's sentences (for pairs: their text's)."""
    previous: bytes | None
    """The file's bytes before (a replaced pairs file), or None if it is new."""
    created_folder: bool

    def undo(self) -> None:
        """Put the folder back as it was: the new file gone, or the replaced one back."""
        if self.previous is None:
            self.path.unlink(missing_ok=True)
        else:
            write_atomically(self.path, self.previous)
        if self.created_folder and not any(self.path.parent.iterdir()):
            self.path.parent.rmdir()


def add_file(folder: Path, filename: str, data: bytes, shared: Collection[str], reading: Reading) -> Added:
    """Check ``data`` as the file ``filename`` of the server's ``folder`` and write it; raise :class:`Refused`.

    ``shared`` are the names of the texts every server sees: an own text may not take one of them.
    """
    name = PurePath(filename.replace("\\", "/")).name
    if not name or name.startswith((".", "~")):
        raise Refused(f"{filename!r} is not a usable file name")
    if len(data) > reading.max_file_mb * 1_000_000:
        raise Refused(f"{name} is over the limit of {reading.max_file_mb:g} MB for one file")
    created = not folder.is_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        texts = course_texts(folder)
        if name.lower().endswith(QA_SUFFIX):
            return _add_pairs(folder, name, data, texts=texts, shared=shared, reading=reading, created=created)
        return _add_text(folder, name, data, texts=texts, shared=shared, reading=reading, created=created)
    except BaseException:
        if created and not any(folder.iterdir()):
            folder.rmdir()
        raise


def _add_text(
    folder: Path,
    name: str,
    data: bytes,
    *,
    texts: dict[str, Path],
    shared: Collection[str],
    reading: Reading,
    created: bool,
) -> Added:
    suffix, source = PurePath(name).suffix.lower(), PurePath(name).stem
    if suffix not in FORMATS:
        raise Refused(f"{name} is not a course text this bot reads: {ACCEPTED}")
    if source in shared:
        raise Refused(f"a text every server sees is already called {source!r}: rename {name} and upload it again")
    if source in texts:
        raise Refused(f"this server already has a text called {source!r} ({texts[source].name}): /remove it first")
    target = folder / name
    staged = _stage(folder, suffix, data)
    try:
        document = split_document(source, str(target), read_text(staged, reading))
        if not document.sentences:
            raise Refused(f"{name}: no sentences found in it")
        os.replace(staged, target)
    except Unreadable as exc:
        raise Refused(f"{name}: {exc.reason}") from exc
    except KnowledgeError as exc:
        raise Refused(f"{name}: {exc.reason}") from exc
    finally:
        staged.unlink(missing_ok=True)
    _sync_folder(folder)
    return Added(target, source, len(document.sentences), None, created)


def _add_pairs(
    folder: Path,
    name: str,
    data: bytes,
    *,
    texts: dict[str, Path],
    shared: Collection[str],
    reading: Reading,
    created: bool,
) -> Added:
    source = name[: -len(QA_SUFFIX)]
    if source in shared:
        raise Refused(f"{source!r} is a text every server sees: its curated pairs cannot be replaced from a server")
    if source not in texts:
        raise Refused(f"this server has no text called {source!r} for {name}: upload the text first")
    target = folder / f"{source}{QA_SUFFIX}"
    try:
        raw = decode(data)
        document = split_document(source, str(texts[source]), read_text(texts[source], reading))
        load_pairs(str(target), raw, document)
    except Unreadable as exc:
        raise Refused(f"{name}: {exc.reason}") from exc
    except KnowledgeError as exc:
        raise Refused(f"{name}:{exc.line}: {exc.reason}" if exc.line else f"{name}: {exc.reason}") from exc
    previous = target.read_bytes() if target.exists() else None
    write_atomically(target, data)
    return Added(target, source, len(document.sentences), previous, created)


def remove_text(folder: Path, source: str, now: datetime | None = None) -> Path | None:
    """Take the text ``source`` out of the server's ``folder``; its pairs file, if any, moves to ``.removed/`` under
    a name with the time (returned). Raise :class:`Refused` if the folder holds no such text."""
    texts = course_texts(folder) if folder.is_dir() else {}
    if source not in texts:
        raise Refused(f"this server has no text of its own called {source!r}")
    pairs = folder / f"{source}{QA_SUFFIX}"
    kept = None
    if pairs.exists():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        kept = folder / REMOVED / f"{source}-{stamp}{QA_SUFFIX}"
        kept.parent.mkdir(exist_ok=True)
        os.replace(pairs, kept)
    texts[source].unlink()
    _sync_folder(folder)
    return kept


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a synced temporary file in the same folder and ``os.replace``."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _stage(folder: Path, suffix: str, data: bytes) -> Path:
    """``data`` in a hidden temporary file of the folder (which no load reads), to check before it is renamed."""
    handle, temporary = tempfile.mkstemp(prefix=".upload-", suffix=suffix, dir=folder)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return Path(temporary)


def _sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable, not only the new bytes."""
    descriptor = os.open(folder, os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
