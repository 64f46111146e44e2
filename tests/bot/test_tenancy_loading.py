"""bot/tenancy.py without Discord: a server's view is loaded once, on first use, and a failure is kept until a
reload, so a broken folder is not read again on every question."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import create_bot
from bot.settings import Settings
from bot.tenancy import Tenancy
from knowledge.errors import KnowledgeError
from knowledge.library import Library
from knowledge.view import View

pytestmark = pytest.mark.asyncio
GUILD = 1234


def tenancy_over(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Tenancy, list[Path | None]]:
    """The bot's tenancy over ``root``, and the folders each view load read (in order)."""
    tenancy = create_bot(Settings(_env_file=None, knowledge_dir=root)).tenancy
    loads: list[Path | None] = []
    real = Library.view

    def counted(library: Library, top: Path, own: Path | None = None, shared: View | None = None) -> View:
        loads.append(own)
        return real(library, top, own, shared)

    monkeypatch.setattr(Library, "view", counted)
    return tenancy, loads


async def test_two_first_questions_at_once_load_the_view_once(
    knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (knowledge_dir / str(GUILD)).mkdir()
    (knowledge_dir / str(GUILD) / "notes.txt").write_text("Osmosis moves water across a membrane.\n", "utf-8")
    tenancy, loads = tenancy_over(knowledge_dir, monkeypatch)

    first, second = await asyncio.gather(tenancy.serving(GUILD), tenancy.serving(GUILD))
    third = await tenancy.serving(GUILD)

    assert first is second is third
    assert loads == [knowledge_dir / str(GUILD)]
    assert [d.source for d in first.retriever.knowledge.documents] == ["soft-power-essay", "notes"]


async def test_a_failed_load_is_kept_until_a_reload_succeeds(
    knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = knowledge_dir / str(GUILD)
    folder.mkdir()
    (folder / "notes.txt").write_text("", "utf-8")
    tenancy, loads = tenancy_over(knowledge_dir, monkeypatch)

    for _ in range(3):
        with pytest.raises(KnowledgeError, match=r"notes\.txt:1: the text is empty"):
            await tenancy.serving(GUILD)
    (folder / "notes.txt").write_text("Osmosis moves water across a membrane.\n", "utf-8")
    with pytest.raises(KnowledgeError, match="the text is empty"):
        await tenancy.serving(GUILD)  # still the failure: nobody reloaded
    report = await tenancy.reload(GUILD)

    assert loads == [folder, folder]
    assert report.changes.summary().endswith("new texts: notes")
    assert [d.source for d in (await tenancy.serving(GUILD)).retriever.knowledge.documents][-1] == "notes"
