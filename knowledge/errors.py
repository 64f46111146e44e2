"""The one exception of the knowledge core: broken input, located so that a curator can fix it."""

from __future__ import annotations


class KnowledgeError(Exception):
    """A knowledge file that cannot be used, with the file, the line and the reason (``path:line: reason``)."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason
