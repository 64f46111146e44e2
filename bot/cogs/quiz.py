"""``/quiz``: a curated question to answer in your own words, graded against the text, with a streak.

The question is posted with an "Answer" button (persistent: it works after a restart); the button opens a modal;
the grade, the right answer and its citation come back only to the student.
"""

from __future__ import annotations

import logging
import random
import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import (
    CUSTOM_ID_CHARS,
    NO_MENTIONS,
    TEXT_INPUT_PLACEHOLDER_CHARS,
    clip,
    grade_embed,
    notice,
    quiz_embed,
    source_choices,
)
from bot.replies import reply_privately
from bot.views import ShowPassage
from knowledge.models import QAPair
from knowledge.quiz import Verdict, grade

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)


def _bot(interaction: discord.Interaction[Any]) -> StudyBot:
    return cast("StudyBot", interaction.client)


def _fits(pair: QAPair) -> bool:
    """Whether the pair's button can be built and dispatched: its custom_id within Discord's 100 characters and
    matching the button's template (a text whose name has a ":" does not: discord.py would refuse to build it)."""
    custom_id = f"sb:quiz:{pair.key}"
    template = AnswerQuiz.__discord_ui_compiled_template__
    return len(custom_id) <= CUSTOM_ID_CHARS and template.fullmatch(custom_id) is not None


class AnswerQuiz(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    # A text's name is its file name (spaces, capitals, accents): only ":" and "/" are left out (see _fits).
    template=r"sb:quiz:(?P<key>[^:/]{1,64}/[a-z0-9_-]{1,64})",
):
    """Opens the answer box for one quiz question; anyone in the channel can have a go."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            discord.ui.Button(label="Answer", emoji="✍️", style=discord.ButtonStyle.primary, custom_id=f"sb:quiz:{key}")
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerQuiz:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        pair = _bot(interaction).serving.retriever.knowledge.pair(self.key)
        if pair is None:
            await interaction.response.send_message(
                "That question is no longer in the knowledge; try /quiz again.", ephemeral=True
            )
            return
        await interaction.response.send_modal(QuizModal(pair))


class QuizModal(discord.ui.Modal, title="Your answer"):
    """One free-text answer, graded on submit."""

    def __init__(self, pair: QAPair) -> None:
        super().__init__(timeout=30 * 60)
        self.pair = pair
        self.answer: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Answer in your own words",
            style=discord.TextStyle.paragraph,
            placeholder=clip(pair.question, TEXT_INPUT_PLACEHOLDER_CHARS),
            max_length=1000,
        )
        self.add_item(self.answer)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        result = grade(self.answer.value, self.pair, bot.serving.retriever.term_weight)
        streak = (
            await bot.storage.record_quiz(interaction.user.id, result.verdict is Verdict.RIGHT) if bot.storage else None
        )
        view = discord.ui.View(timeout=None)
        passage = ShowPassage.for_citation(self.pair.citation)
        if passage is not None:
            view.add_item(passage)
        await interaction.response.send_message(
            embed=grade_embed(self.pair, result, streak), view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    # discord.py's Modal.on_error takes no item, unlike the View it inherits from, whose signature mypy sees.
    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        log.error("grading a quiz answer failed", exc_info=error)
        await reply_privately(interaction, "Sorry, something went wrong while grading; it has been logged.")


class Quiz(commands.Cog):
    """Self-testing on the curated questions."""

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AnswerQuiz)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnswerQuiz)

    @app_commands.command(name="quiz", description="Test yourself: a question from the text, answered in your words")
    @app_commands.describe(source="Ask only about this text (when there are several)")
    async def quiz(self, interaction: discord.Interaction, source: str | None = None) -> None:
        pairs = [
            p for p in self.bot.serving.retriever.knowledge.pairs if (source is None or p.source == source) and _fits(p)
        ]
        if not pairs:
            where = f"about {clip(source, 100)!r}" if source else "yet"
            await interaction.response.send_message(notice(f"I have no curated questions {where}."), ephemeral=True)
            return
        pair = random.choice(pairs)
        view = discord.ui.View(timeout=None)
        view.add_item(AnswerQuiz(pair.key))
        await interaction.response.send_message(embed=quiz_embed(pair), view=view, allowed_mentions=NO_MENTIONS)

    @quiz.autocomplete("source")
    async def quiz_source(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return source_choices(self.bot.serving.retriever.knowledge, current)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Quiz(bot))
