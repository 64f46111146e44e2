"""``studybot`` as a real process against the fake Discord: start it with chosen settings (and no others, no
``.env``), wait for it to identify, read what it printed, and make sure it is gone when the test ends."""

# Waiting helpers take ``within=`` like the fake's ``timeout=``.

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from fake_discord import FakeDiscord
from studybot_harness import clean_environment, studybot_command

STOP_WITHIN = 5.0
"""Seconds ``studybot run`` may take to exit after SIGTERM or Ctrl-C."""


@dataclass
class Process:
    """A ``studybot`` subprocess whose output goes to files (no pipe can fill up and stall it)."""

    process: asyncio.subprocess.Process
    folder: Path

    @property
    def stdout(self) -> str:
        return (self.folder / "stdout").read_text(encoding="utf-8")

    @property
    def stderr(self) -> str:
        return (self.folder / "stderr").read_text(encoding="utf-8")

    async def exit_code(self, within: float = STOP_WITHIN) -> int:
        return await asyncio.wait_for(self.process.wait(), within)

    async def until_identified(self, fake: FakeDiscord, within: float = 15.0, *, count: int = 1) -> None:
        """Wait for the ``count``-th IDENTIFY on the fake's gateway, failing at once if the process ends first."""
        identified = asyncio.create_task(fake.gateway.wait_for_op(2, count=count, timeout=within))
        exited = asyncio.create_task(self.process.wait())
        done, _ = await asyncio.wait({identified, exited}, return_when=asyncio.FIRST_COMPLETED)
        exited.cancel()
        if identified not in done:
            identified.cancel()
            raise AssertionError(f"studybot exited with {self.process.returncode}:\n{self.stderr}")
        identified.result()


@contextlib.asynccontextmanager
async def studybot_process(folder: Path, *args: str, **settings: str) -> AsyncIterator[Process]:
    """``studybot ARGS`` with ``settings`` as its only STUDYBOT_* variables, in ``folder`` (so no .env is read);
    killed if the test did not see it end."""
    with (folder / "stdout").open("wb") as out, (folder / "stderr").open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            *studybot_command(*args), cwd=folder, env=clean_environment(**settings), stdout=out, stderr=err
        )
    try:
        yield Process(process, folder)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def against(fake: FakeDiscord, **settings: str) -> dict[str, str]:
    return {"discord_token": fake.token, "api_base_url": fake.api_base, "gateway_url": fake.gateway_url, **settings}


def assert_clean(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "Unclosed" not in stderr, stderr
