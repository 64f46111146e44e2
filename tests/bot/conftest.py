"""Fixtures for the bot's tests: a clean environment, a knowledge copy to edit, and a StudyBot built from Settings
and connected to the fake Discord (``fake_discord`` / ``start_bot`` come from ``tests/fake_discord/fixtures.py``)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from fake_discord import BotStarter, FakeDiscord
from studybot_harness import (
    StartStudyBot,
    StudyDiscord,
    assert_cannot_ping,
    copy_knowledge,
    message_bodies,
    settings_for,
)

from bot.app import create_bot


@pytest.fixture(autouse=True)
def _no_developer_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own STUDYBOT_* variables (a real token, a knowledge folder) must not reach a test."""
    for name in list(os.environ):
        if name.upper().startswith("STUDYBOT_"):
            monkeypatch.delenv(name)


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A scratch copy of the bundled knowledge folder, for tests that edit it."""
    return copy_knowledge(tmp_path / "knowledge")


@pytest_asyncio.fixture
async def studybot(fake_discord: FakeDiscord, start_bot: BotStarter, tmp_path: Path) -> AsyncIterator[StartStudyBot]:
    """Factory: ``study = await studybot(**settings)`` builds the bot with ``create_bot(Settings(...))`` and runs
    it against the fake until the test ends.

    After the test, every message the bot sent is checked for ``allowed_mentions`` that cannot ping anyone.
    """

    async def start(**settings: Any) -> StudyDiscord:
        bot = create_bot(settings_for(fake_discord, tmp_path / "studybot.sqlite3", **settings))
        await start_bot(bot)
        return StudyDiscord(fake_discord, bot)

    yield start
    for _request, body in message_bodies(fake_discord):
        assert_cannot_ping(body)
    assert fake_discord.unknown_routes == []
