"""The one exception of the knowledge core: broken input, located so that a curator can fix it."""

from __future__ import annotations


class KnowledgeError(Exception):
    """A knowledge file that cannot be used, with the file, the line and the reason (``path:line: reason``)."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class FileError(KnowledgeError):
    """A whole file at fault, with no line to point at (unreadable, or clashing with another): ``path: reason``."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, 0, reason)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class UnreadableTexts(KnowledgeError):
    """Course texts that could not be read, one ``file: reason`` line each (the first one is the error's own)."""

    def __init__(self, errors: tuple[KnowledgeError, ...]) -> None:
        super().__init__(errors[0].path, errors[0].line, errors[0].reason)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)
