"""A fake Discord (REST API v10 + gateway websocket) for running the real discord.py client in tests.

Typical use (fixtures registered via ``pytest_plugins = ["tests.fake_discord.fixtures"]``)::

    @pytest.mark.asyncio
    async def test_ping(fake_discord, start_bot):
        await start_bot(make_bot())
        interaction = fake_discord.make_slash_interaction("ping")
        await fake_discord.send_interaction(interaction)
        body = await fake_discord.wait_for_callback(interaction)
        assert body["data"]["content"] == "pong"
"""

from .fixtures import BotStarter, fake_discord, pointed_at, running_bot, start_bot
from .interactions import InteractionRecord
from .payloads import JSON
from .recorder import Fault, RecordedRequest
from .server import DEFAULT_TOKEN, FakeDiscord
from .world import FakeWorld

__all__ = [
    "DEFAULT_TOKEN",
    "JSON",
    "BotStarter",
    "FakeDiscord",
    "FakeWorld",
    "Fault",
    "InteractionRecord",
    "RecordedRequest",
    "fake_discord",
    "pointed_at",
    "running_bot",
    "start_bot",
]
