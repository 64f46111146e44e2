"""Two servers with texts of their own beside the shared essay, and the commands of their members and admins.

The first server's folder is named by its id and holds the photosynthesis text; the second's is mapped to the name
``history`` by ``STUDYBOT_GUILD_FOLDERS`` and holds a short text on the Meiji Restoration. Imported by bare name,
like ``studybot_harness``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_discord import JSON, FakeDiscord
from studybot_harness import MANAGE_GUILD, StartStudyBot, StudyDiscord, add_second_text, shown_to_user

HISTORY = "meiji"
HISTORY_BODY = """\
The Meiji Restoration began in 1868, when imperial rule was restored in Japan. The new government abolished the
feudal domains and created prefectures in their place.

The reformers built railways, founded a national conscript army and opened schools across the country. Within a few
decades Japan had become an industrial power.
"""
HISTORY_QA = """\
- id: meiji-start
  question: When did the Meiji Restoration begin?
  alternates:
    - meiji restoration year
  answer: In 1868, when imperial rule was restored.
  quote: The Meiji Restoration began in 1868, when imperial rule was restored in Japan.
"""
HISTORY_QUESTION = "When did the Meiji Restoration begin?"
HISTORY_ANSWER = "In 1868, when imperial rule was restored."
ESSAY_ONLY_QUESTION = "What does cultural diplomacy make the most of?"
"""Answered from the essay, and sharing no word with the Meiji text: a channel bound to that text must not answer it
(the essay's "What is the only goal of soft power?" shares "power" with it, and sits at the threshold there)."""
PHOTOSYNTHESIS_QUESTION = "Why do leaves look green?"
PHOTOSYNTHESIS_ANSWER = "Chlorophyll absorbs red and blue light and reflects green light."
NOT_COVERED_TITLE = "Not covered by the text"
ADMIN: dict[str, Any] = {"permissions": MANAGE_GUILD}
MEMBER: dict[str, Any] = {"user": "bob", "permissions": 0}


@dataclass
class TwoServers:
    """The running bot, its knowledge folder and the two servers' ids."""

    study: StudyDiscord
    root: Path
    first: str
    second: str

    @property
    def fake(self) -> FakeDiscord:
        return self.study.fake

    def folder(self, guild: str) -> Path:
        """The server's own folder."""
        return self.root / (guild if guild == self.first else "history")

    def channel(self, guild: str, name: str = "study") -> str:
        return self.fake.world.guild_channels[guild][name]

    async def run(self, guild: str, name: str, options: dict[str, Any] | None = None, **kw: Any) -> JSON:
        """A slash command in the server's ``study`` channel (or ``channel=``); the interaction sent."""
        channel = kw.pop("channel", "study")
        interaction = self.fake.make_slash_interaction(name, options, channel_id=self.channel(guild, channel), **kw)
        await self.fake.send_interaction(interaction)
        return interaction

    async def shown(self, guild: str, name: str, options: dict[str, Any] | None = None, **kw: Any) -> JSON:
        """What the user finally sees for a slash command (its callback's message, or the follow-up)."""
        return await shown_to_user(self.fake, await self.run(guild, name, options, **kw), timeout=10.0)

    async def ask(self, guild: str, question: str, **kw: Any) -> JSON:
        """``/ask`` in the server: the embed of the answer."""
        options = {"question": question, **kw.pop("options", {})}
        embeds = (await self.shown(guild, "ask", options, **kw)).get("embeds") or []
        assert len(embeds) == 1, embeds
        return dict(embeds[0])

    async def autocomplete(self, guild: str, command: str, options: dict[str, Any]) -> list[str]:
        """The choices offered while typing the last of ``options`` in the server."""
        interaction = self.fake.make_autocomplete(command, options, channel_id=self.channel(guild))
        await self.fake.send_interaction(interaction)
        body = await self.fake.wait_for_callback(interaction, timeout=10.0)
        return [choice["value"] for choice in body["data"]["choices"]]


def write_texts(root: Path, first: str) -> None:
    """The first server's photosynthesis text in a folder named by its id, the second's history text in ``history``."""
    add_second_text(_folder(root / first))
    history = _folder(root / "history")
    (history / f"{HISTORY}.txt").write_text(HISTORY_BODY, encoding="utf-8")
    (history / f"{HISTORY}.qa.yaml").write_text(HISTORY_QA, encoding="utf-8")


async def two_servers(studybot: StartStudyBot, fake: FakeDiscord, root: Path, **settings: Any) -> TwoServers:
    """Start the bot in two servers (the fake's own and "History Hall") over ``root`` with both folders written."""
    second = fake.add_guild("History Hall")
    write_texts(root, fake.guild_id)
    study = await studybot(knowledge_dir=root, guild_folders={int(second): "history"}, **settings)
    return TwoServers(study, root, fake.guild_id, second)


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
