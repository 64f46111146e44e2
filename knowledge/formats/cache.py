"""The extraction cache: each file's extracted text on disk, keyed by a hash of its bytes, so it is read once.

A restart or a ``/reload`` then re-reads only files whose content changed (a renamed or touched file is not
re-extracted; an edited one is). An entry is one JSON file named by the hash; a new reader version simply misses
the old entries. Deleting the folder clears the cache; nothing else is kept there. The cache is an optimisation
only: an entry that cannot be read is extracted again, and a folder that cannot be written is used without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from knowledge.formats.extracted import Block, Extracted, Span

log = logging.getLogger(__name__)

VERSION = 1
"""Bump when any reader's output changes: entries written by older readers are then ignored."""


class ExtractionCache:
    """Extracted texts stored as JSON under ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(data: bytes, suffix: str) -> str:
        """The entry name for a file's bytes read as ``suffix`` (``.pdf``…) by the current readers."""
        return f"{hashlib.sha256(data).hexdigest()}{suffix}.v{VERSION}"

    def get(self, key: str) -> Extracted | None:
        """The cached extraction, or None if there is none (or it is unreadable: then it is simply redone)."""
        try:
            value = json.loads((self.folder / f"{key}.json").read_bytes())
            return Extracted(
                tuple(
                    Block(tuple(Span(text, line, page) for text, line, page in spans), _headings(headings))
                    for headings, spans in value["blocks"]
                ),
                tuple(str(label) for label in value["labels"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring the unreadable cache entry %s: %s", key, exc)
            return None

    def put(self, key: str, extracted: Extracted) -> None:
        """Store an extraction atomically (a crash leaves no half entry); a cache that cannot be written is skipped."""
        value = {
            "labels": list(extracted.page_labels),
            "blocks": [
                [block.headings, [[span.text, span.line, span.page] for span in block.spans]]
                for block in extracted.blocks
            ],
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(value, out, ensure_ascii=False, separators=(",", ":"))
                os.replace(temporary, self.folder / f"{key}.json")
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
        except OSError as exc:
            log.warning("cannot write the extraction cache in %s: %s", self.folder, exc)


def _headings(value: list[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(str(heading) for heading in value)
