"""Load a knowledge folder: every ``NAME.txt`` course text, split, with the ``NAME.qa.yaml`` pairs proven against it."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import KnowledgeError
from knowledge.models import Document, QAPair
from knowledge.qa import load_pairs
from knowledge.text import split_document

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
QA_SUFFIX = ".qa.yaml"


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything loaded from one knowledge folder, fully validated."""

    folder: str
    documents: tuple[Document, ...]
    pairs: tuple[QAPair, ...]

    def document(self, source: str) -> Document | None:
        """The text named ``source``, if loaded."""
        return next((d for d in self.documents if d.source == source), None)

    def pairs_of(self, source: str) -> tuple[QAPair, ...]:
        """The curated pairs of the text named ``source``."""
        return tuple(p for p in self.pairs if p.source == source)

    def pair(self, key: str) -> QAPair | None:
        """The curated pair ``source/id``, if loaded (buttons carry keys that a reload may have removed)."""
        return next((p for p in self.pairs if p.key == key), None)


def load_knowledge(folder: str | Path | None = None) -> Knowledge:
    """Read and validate a knowledge folder (the bundled one by default); raise :class:`KnowledgeError` if broken."""
    root = Path(folder) if folder is not None else BUNDLED_DIR
    if not root.is_dir():
        raise KnowledgeError(str(root), 0, "knowledge folder not found")
    texts = sorted(root.glob("*.txt"))
    if not texts:
        raise KnowledgeError(str(root), 0, "no course texts (NAME.txt) in the knowledge folder")
    documents = []
    pairs: list[QAPair] = []
    for text_path in texts:
        source = text_path.stem
        document = split_document(source, str(text_path), _read(text_path))
        documents.append(document)
        qa_path = text_path.with_name(source + QA_SUFFIX)
        if qa_path.exists():
            pairs.extend(load_pairs(str(qa_path), _read(qa_path), document))
    for qa_path in sorted(root.glob("*" + QA_SUFFIX)):
        text_name = qa_path.name.removesuffix(QA_SUFFIX) + ".txt"
        if not qa_path.with_name(text_name).exists():
            raise KnowledgeError(str(qa_path), 1, f"no course text {text_name} beside it")
    return Knowledge(str(root), tuple(documents), tuple(pairs))


def _read(path: Path) -> str:
    """Read a UTF-8 file (a leading BOM is dropped), naming the line of the first byte that is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        position = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        line = data[:position].count(b"\n") + 1
        raise KnowledgeError(str(path), line, f"not UTF-8 text (byte {position})") from exc
