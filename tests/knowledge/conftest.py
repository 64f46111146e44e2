"""Shared fixtures for the knowledge core: the bundled essay, its loaded knowledge, and scratch knowledge folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.corpus import BUNDLED_DIR, Knowledge, load_knowledge
from knowledge.retriever import Retriever

ESSAY_SOURCE = "soft-power-essay"
ESSAY_PATH = BUNDLED_DIR / f"{ESSAY_SOURCE}.txt"

MakeFolder = Callable[..., Path]


@pytest.fixture(scope="session")
def essay_raw() -> str:
    """The bundled essay exactly as stored."""
    return ESSAY_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def bundled() -> Knowledge:
    """The bundled knowledge folder, loaded once."""
    return load_knowledge()


@pytest.fixture(scope="session")
def retriever(bundled: Knowledge) -> Retriever:
    """A retriever over the bundled knowledge with the shipped threshold."""
    return Retriever(bundled)


@pytest.fixture
def make_folder(tmp_path: Path) -> MakeFolder:
    """Write a knowledge folder: ``make_folder(**{"name.txt": "text" or b"bytes"})`` returns its path."""

    def make(name: str = "knowledge", /, **files: str | bytes) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for file_name, content in files.items():
            if isinstance(content, bytes):
                (folder / file_name).write_bytes(content)
            else:
                (folder / file_name).write_text(content, encoding="utf-8", newline="")
        return folder

    return make
