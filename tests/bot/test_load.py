"""Load: many ``/ask`` interactions at once through the fake Discord, each acknowledged within Discord's 3 seconds.

The fake enforces the window itself (``FakeDiscord.interaction_deadline``): a callback that comes later is refused
with 404 ``Unknown interaction``, as Discord does, and the user would see "The application did not respond".
An acknowledgement time is from the moment the test handed the interaction to the fake's gateway to the moment
the bot's callback reached the fake's REST API.

``measure_acks`` works on any running bot; ``run_load`` starts a fake and a StudyBot itself, for a bench script::

    python tests/bot/test_load.py [COUNT]       # or: python -m pytest tests/bot/test_load.py -s
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from fake_discord import FakeDiscord
    from studybot_harness import StartStudyBot

CONCURRENT_ASKS = 200
QUESTIONS = (
    "What is the only goal of soft power?",
    "soft pwoer in Japans foriegn policy",
    "soft power of Brazil",
    "How does Japan use soft power tools?",
    "Why is the stimulation of English study fundamentally important for Japan?",
    "What is the capital of France?",
    "what is soft power",
)
"""Answered, misspelt and not-covered questions, so both of the retriever's paths are under load."""


@dataclass(frozen=True)
class LoadFigures:
    """Acknowledgement times (seconds) of one burst of interactions, and how the bot acknowledged them."""

    ack_seconds: tuple[float, ...]
    answered_at_once: int
    """Callbacks of type 4 (the answer itself); the others were deferred (type 5) and answered by follow-up."""
    deadline: float

    @property
    def count(self) -> int:
        return len(self.ack_seconds)

    @property
    def max(self) -> float:
        return max(self.ack_seconds)

    @property
    def p50(self) -> float:
        return statistics.median(self.ack_seconds)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.ack_seconds, n=20)[-1]

    def summary(self) -> str:
        return (
            f"{self.count} concurrent /ask: ack max {self.max * 1000:.0f} ms, p50 {self.p50 * 1000:.0f} ms, "
            f"p95 {self.p95 * 1000:.0f} ms (deadline {self.deadline:.0f} s); "
            f"{self.answered_at_once} answered at once, {self.count - self.answered_at_once} deferred"
        )


async def measure_acks(fake: FakeDiscord, count: int = CONCURRENT_ASKS) -> LoadFigures:
    """Send ``count`` ``/ask`` interactions at once to the bot connected to ``fake``; wait for every callback.

    Raises ``TimeoutError`` if some interaction never got a successful callback within the deadline.
    """
    from fake_discord import payloads

    callback = r"/interactions/\d+/[^/]+/callback"
    students = [f"student{i}" for i in range(count)]  # one question each, as a class would ask
    for name in students:
        fake.world.users.setdefault(name, payloads.user(fake.world.new_id(), name))
    interactions = [
        fake.make_slash_interaction("ask", {"question": QUESTIONS[i % len(QUESTIONS)]}, user=student)
        for i, student in enumerate(students)
    ]
    since = fake.mark()
    records = await asyncio.gather(*(fake.send_interaction(interaction) for interaction in interactions))
    await fake.wait_for_requests("POST", callback, count, status=200, since=since, timeout=fake.interaction_deadline)
    arrived = {request.path.split("/")[2]: request for request in fake.requests_to("POST", callback, since=since)}
    acks = tuple(arrived[record.id].received_at - record.sent_at for record in records)
    at_once = sum(1 for record in records if record.response_type == 4)
    return LoadFigures(acks, at_once, fake.interaction_deadline)


async def run_load(count: int = CONCURRENT_ASKS) -> LoadFigures:
    """Start a fake Discord and a StudyBot (bundled knowledge), measure one burst of ``count`` asks, stop both."""
    from fake_discord import FakeDiscord, running_bot
    from studybot_harness import settings_for

    from bot.app import create_bot

    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "studybot.sqlite3"
        async with FakeDiscord() as fake, running_bot(fake, create_bot(settings_for(fake, database))):
            return await measure_acks(fake, count)


@pytest.mark.asyncio
async def test_200_concurrent_asks_are_all_acknowledged_within_3_seconds(
    studybot: StartStudyBot, fake_discord: FakeDiscord
) -> None:
    await studybot()
    assert fake_discord.interaction_deadline == 3.0

    figures = await measure_acks(fake_discord, CONCURRENT_ASKS)

    print(f"\n{figures.summary()}")
    assert figures.count == CONCURRENT_ASKS
    assert figures.max <= fake_discord.interaction_deadline
    callback = r"/interactions/\d+/[^/]+/callback"
    assert [r.status for r in fake_discord.requests_to("POST", callback)] == [200] * CONCURRENT_ASKS
    assert all(len(fake_discord.interaction(i).callbacks) == 1 for i in fake_discord.interactions.by_id)
    # A deferred interaction is answered by a follow-up: every one of them must have been.
    deferred = [r for r in fake_discord.interactions.by_id.values() if r.response_type == 5]
    if deferred:
        await fake_discord.wait_for_requests("POST", r"/webhooks/\d+/[^/]+", len(deferred), status=200, timeout=5.0)


def main(argv: list[str]) -> int:
    """``python tests/bot/test_load.py [COUNT]``: print the figures of one burst."""
    tests = Path(__file__).resolve().parents[1]
    for folder in (tests, tests / "bot", tests.parent):  # appended: the package ``bot`` must win over tests/bot
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
    count = int(argv[0]) if argv else CONCURRENT_ASKS
    print(asyncio.run(run_load(count)).summary())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
