"""Load a knowledge folder: every course text (``NAME.txt``, ``.md``, ``.pdf``, ``.docx``), split, with the
``NAME.qa.yaml`` pairs proven against it.

A text that cannot be read (encrypted, scanned, corrupt, too big) is skipped with one ``file: reason`` line and the
rest of the folder still loads, so ``studybot ask`` keeps answering; the bot refuses such a folder as a whole
(:meth:`Knowledge.check_complete`), so a ``/reload`` keeps the old knowledge serving. A broken Q&A file, or two texts
with one name, break the whole folder: which text a pair belongs to would be a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from knowledge.errors import FileError, KnowledgeError, UnreadableTexts
from knowledge.formats.extracted import Unreadable
from knowledge.formats.reading import FORMATS, Reading, read_text
from knowledge.formats.text import decode
from knowledge.models import Document, QAPair
from knowledge.qa import load_pairs
from knowledge.text import split_document

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
QA_SUFFIX = ".qa.yaml"
TEXT_KINDS = "NAME.txt, .md, .pdf or .docx"
DEFAULT_READING = Reading()
"""Texts read without a cache, with the default size limit: what a folder loaded without settings gets."""


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything loaded from one knowledge folder: the texts that could be read, with their validated pairs."""

    folder: str
    documents: tuple[Document, ...]
    pairs: tuple[QAPair, ...]
    unreadable: tuple[KnowledgeError, ...] = ()
    """The texts that were skipped, each with its ``file: reason``."""

    def document(self, source: str) -> Document | None:
        """The text named ``source``, if loaded."""
        return next((d for d in self.documents if d.source == source), None)

    def pairs_of(self, source: str) -> tuple[QAPair, ...]:
        """The curated pairs of the text named ``source``."""
        return tuple(p for p in self.pairs if p.source == source)

    def pair(self, key: str) -> QAPair | None:
        """The curated pair ``source/id``, if loaded (buttons carry keys that a reload may have removed)."""
        return next((p for p in self.pairs if p.key == key), None)

    def check_complete(self) -> None:
        """Raise :class:`UnreadableTexts` if a text was skipped: the bot serves a folder only when all of it loads."""
        if self.unreadable:
            raise UnreadableTexts(self.unreadable)


class TextLoader(Protocol):
    """How a folder's files become documents and pairs: read each time, or shared by content (``knowledge.library``)."""

    def document(self, source: str, path: Path) -> Document:
        """Read and split one course text; raise :class:`Unreadable`, :class:`OSError` or :class:`KnowledgeError`."""
        ...

    def pairs(self, qa_path: Path, document: Document) -> tuple[QAPair, ...]:
        """Load and prove one ``.qa.yaml`` against its text; raise :class:`KnowledgeError` if it is broken."""
        ...


class DirectLoader:
    """Reads every file each time it is asked: what one folder loaded once (``studybot ask``, ``check``) needs."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading

    def document(self, source: str, path: Path) -> Document:
        return split_document(source, str(path), read_text(path, self.reading))

    def pairs(self, qa_path: Path, document: Document) -> tuple[QAPair, ...]:
        return load_pairs(str(qa_path), read_utf8(qa_path), document)


def load_knowledge(
    folder: str | Path | None = None, reading: Reading = DEFAULT_READING, loader: TextLoader | None = None
) -> Knowledge:
    """Read and validate a knowledge folder (the bundled one by default): the texts directly in it, not in its
    sub-folders (those are servers' own texts, see ``knowledge.library``).

    Raises :class:`KnowledgeError` if the folder is broken, or if none of its texts could be read; a text that
    cannot be read while others can is reported in :attr:`Knowledge.unreadable` instead.
    """
    loader = loader if loader is not None else DirectLoader(reading)
    root = Path(folder) if folder is not None else BUNDLED_DIR
    if not root.is_dir():
        raise KnowledgeError(str(root), 0, "knowledge folder not found")
    texts = course_texts(root)
    if not texts:
        raise KnowledgeError(str(root), 0, f"no course texts ({TEXT_KINDS}) in the knowledge folder")
    for qa_path in sorted(root.glob("*" + QA_SUFFIX)):
        name = qa_path.name.removesuffix(QA_SUFFIX)
        if name not in texts:
            raise KnowledgeError(str(qa_path), 1, f"no course text {name}.txt, .md, .pdf or .docx beside it")
    documents = []
    pairs: list[QAPair] = []
    unreadable: list[KnowledgeError] = []
    for source, text_path in texts.items():
        try:
            document = loader.document(source, text_path)
        except Unreadable as exc:
            where = str(text_path)
            unreadable.append(KnowledgeError(where, exc.line, exc.reason) if exc.line else FileError(where, exc.reason))
            continue
        except OSError as exc:
            unreadable.append(FileError(str(text_path), f"cannot be read: {exc.strerror or exc}"))
            continue
        except KnowledgeError as exc:
            unreadable.append(exc)
            continue
        documents.append(document)
        qa_path = text_path.with_name(source + QA_SUFFIX)
        if qa_path.exists():
            pairs.extend(loader.pairs(qa_path, document))
    if not documents:
        raise UnreadableTexts(tuple(unreadable))
    return Knowledge(str(root), tuple(documents), tuple(pairs), tuple(unreadable))


def course_texts(root: Path) -> dict[str, Path]:
    """The course texts in ``root`` by name; two with one name (``essay.pdf`` and ``essay.txt``) are an error.

    Hidden files and the lock files editors leave beside an open document (``~$essay.docx``) are not texts.
    """
    texts: dict[str, Path] = {}
    for path in sorted(root.iterdir()):
        if path.suffix.lower() not in FORMATS or path.name.startswith((".", "~")) or not path.is_file():
            continue
        if path.stem in texts:
            raise FileError(str(path), f"another text has the same name, {texts[path.stem].name}: rename one of them")
        texts[path.stem] = path
    return texts


def read_utf8(path: Path) -> str:
    """Read a UTF-8 file (a leading BOM is dropped), naming the line of the first byte that is not UTF-8."""
    try:
        return decode(path.read_bytes())
    except Unreadable as exc:
        raise KnowledgeError(str(path), exc.line, exc.reason) from exc
