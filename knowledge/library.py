"""Texts read once however many servers see them: documents and curated pairs shared by content, one retriever per
folder of texts, and each server's :class:`~knowledge.view.View` built from them.

A knowledge folder holds the shared texts at its top and, in sub-folders, each server's own. A text is keyed by its
file name and the SHA-256 of its bytes, so the same file in two folders is read and split once, and a reload re-reads
only what changed. A folder's retriever is keyed by the exact documents and pairs it indexes, so every server
without texts of its own, the shared part of every server's view, and servers whose folders hold the same files use
one and the same index.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from pathlib import Path

from knowledge.corpus import QA_SUFFIX, TEXT_KINDS, course_texts, load_knowledge, read_utf8
from knowledge.errors import FileError, KnowledgeError
from knowledge.formats.reading import Reading, read_text
from knowledge.models import Document, QAPair
from knowledge.qa import load_pairs
from knowledge.retriever import Retriever
from knowledge.semantic import Encoder
from knowledge.text import split_document
from knowledge.view import View

TextKey = tuple[str, str]
"""A course text by content: its file name (which gives its source name and format) and the SHA-256 of its bytes."""


class Library:
    """Reads, splits and indexes texts for every view, sharing whatever two views have in common.

    Thread-safe: views are loaded off the event loop, possibly two at once; loads are serialised by one lock.
    """

    def __init__(self, reading: Reading, threshold: float, encoder: Encoder | None = None) -> None:
        self.reading = reading
        self.threshold = threshold
        self.encoder = encoder
        """The sentence-embedding model every retriever weighs closeness in meaning with, if any (one per process)."""
        self._documents: dict[TextKey, Document] = {}
        self._keys: dict[int, TextKey] = {}
        self._pairs: dict[tuple[TextKey, str], tuple[QAPair, ...]] = {}
        self._shelves: dict[tuple[tuple[int, ...], tuple[int, ...]], Retriever] = {}
        self._lock = threading.Lock()

    # ----------------------------------------------------------------- TextLoader, for load_knowledge

    def document(self, source: str, path: Path) -> Document:
        """The split text of ``path``, read only if no file of that name and content was read before."""
        if path.stat().st_size > self.reading.max_file_mb * 1_000_000:
            return split_document(source, str(path), read_text(path, self.reading))  # refused there, with the reason
        key = (path.name, _digest(path.read_bytes()))
        found = self._documents.get(key)
        if found is None:
            found = split_document(source, str(path), read_text(path, self.reading))
            self._documents[key] = found
            self._keys[id(found)] = key
        return found

    def pairs(self, qa_path: Path, document: Document) -> tuple[QAPair, ...]:
        """The pairs of ``qa_path`` proven against ``document``, loaded only if that file content is new for it."""
        raw = read_utf8(qa_path)
        key = (self._keys[id(document)], _digest(raw.encode()))
        found = self._pairs.get(key)
        if found is None:
            found = load_pairs(str(qa_path), raw, document)
            self._pairs[key] = found
        return found

    # ----------------------------------------------------------------- views

    def view(self, root: Path, own: Path | None = None, shared: View | None = None) -> View:
        """The view of a server: the texts at the top of ``root``, plus those in ``own`` (its sub-folder, if any).

        With ``shared``, the view of the shared texts being served, the top of ``root`` is not read again: a server's
        first question then reads its own folder only, however many server folders ``root`` holds.

        Raises :class:`KnowledgeError` if either folder is broken, if a text of ``own`` has the name of a shared
        one, or if there is no text at all.
        """
        with self._lock:
            if shared is not None:
                shelf = shared.shared
                found = shelf.knowledge.documents if shelf is not None else ()
                shared_names = {d.source: Path(d.path) for d in found}
            else:
                shared_names = course_texts(root) if root.is_dir() else {}
            own_names = course_texts(own) if own is not None and own.is_dir() else {}
            for name, path in own_names.items():
                if name in shared_names:
                    reason = f"a shared text has the same name, {shared_names[name].name}: rename this one"
                    raise FileError(str(path), reason)
            orphans = sorted(own.glob("*" + QA_SUFFIX)) if own is not None and not own_names else []
            if orphans:
                name = orphans[0].name.removesuffix(QA_SUFFIX)
                raise KnowledgeError(str(orphans[0]), 1, f"no course text {name}.txt, .md, .pdf or .docx beside it")
            if not shared_names and not own_names:
                where = own if own is not None else root
                raise KnowledgeError(str(where), 0, f"no course texts ({TEXT_KINDS}) for this server")
            top = shared.shared if shared is not None else (self._shelf(root) if shared_names else None)
            mine = self._shelf(own) if own is not None and own_names else None
            return View(top, mine, str(root), str(own) if own is not None else None)

    def _shelf(self, folder: Path) -> Retriever:
        """The retriever over a folder's texts: the same one for every folder holding the same files."""
        knowledge = load_knowledge(folder, self.reading, self)
        if knowledge.unreadable:  # its errors name this folder's files: never another server's to show
            return Retriever(knowledge, self.threshold, self.encoder)
        key = (tuple(map(id, knowledge.documents)), tuple(map(id, knowledge.pairs)))
        found = self._shelves.get(key)
        if found is None:
            found = self._shelves[key] = Retriever(knowledge, self.threshold, self.encoder)
        return found

    def keep_only(self, views: Iterable[View]) -> None:
        """Forget every text, pair and index that none of ``views`` (the ones being served) uses."""
        with self._lock:
            live = {id(shelf): shelf for view in views for shelf in view.shelves}
            self._shelves = {key: shelf for key, shelf in self._shelves.items() if id(shelf) in live}
            documents = {id(d) for shelf in live.values() for d in shelf.knowledge.documents}
            pairs = {id(p) for shelf in live.values() for p in shelf.knowledge.pairs}
            self._documents = {key: d for key, d in self._documents.items() if id(d) in documents}
            self._keys = {key: text for key, text in self._keys.items() if key in documents}
            self._pairs = {key: found for key, found in self._pairs.items() if found and id(found[0]) in pairs}

    @property
    def sizes(self) -> tuple[int, int]:
        """How many distinct texts and folder indexes are held (what memory grows with)."""
        return len(self._documents), len(self._shelves)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
