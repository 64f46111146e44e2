"""``/quiz``: a curated question to answer in your own words, graded against the text, with a streak.

The question is posted with an "Answer" button; the button opens a form; the grade, the right answer and its
citation come back only to the student. Both survive a restart: the button is a DynamicItem, and the form is not
kept in memory at all (discord.py would forget it): its submission is recognised by its custom_id, which carries
the pair, in :meth:`Quiz.on_interaction`.
"""

from __future__ import annotations

import random
import re
from functools import partial
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.ask import server_sources
from bot.render import (
    NO_MENTIONS,
    TEXT_INPUT_PLACEHOLDER_CHARS,
    clip,
    grade_embed,
    notice,
    quiz_embed,
)
from bot.replies import report_failure, serving_for, warns_if_answered_too_late
from bot.views import ShowPassage, offer
from knowledge.models import QAPair
from knowledge.quiz import Verdict, grade

if TYPE_CHECKING:
    from bot.app import StudyBot


class AnswerQuiz(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    # A text's name is its file name (spaces, capitals, accents): only ":" and "/" are left out (see bot.views.offer).
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

    @warns_if_answered_too_late
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        serving = await serving_for(interaction)
        if serving is None:
            return
        pair = serving.retriever.knowledge.pair(self.key)
        if pair is None:
            await interaction.response.send_message(
                "That question is no longer in the knowledge; try /quiz again.", ephemeral=True
            )
            return
        await interaction.response.send_modal(quiz_form(pair))


_ANSWERED = re.compile(r"sb:qa:(?P<key>[^:/]{1,64}/[a-z0-9_-]{1,64})")
ANSWER_INPUT = "answer"


def quiz_form(pair: QAPair) -> discord.ui.Modal:
    """The answer form for ``pair``, already stopped so that discord.py does not keep it: the cog grades it."""
    form = discord.ui.Modal(title="Your answer", custom_id=f"sb:qa:{pair.key}", timeout=None)
    form.add_item(
        discord.ui.TextInput(
            label="Answer in your own words",
            custom_id=ANSWER_INPUT,
            style=discord.TextStyle.paragraph,
            placeholder=clip(pair.question, TEXT_INPUT_PLACEHOLDER_CHARS),
            max_length=1000,
        )
    )
    form.stop()
    return form


def _submitted_text(components: list[Any]) -> str | None:
    """The value of the answer input in a modal submission, in the classic (action rows) or the label layout."""
    for component in components:
        if not isinstance(component, dict):
            continue
        if component.get("custom_id") == ANSWER_INPUT and isinstance(component.get("value"), str):
            return str(component["value"])
        nested = component.get("components") or ([component["component"]] if "component" in component else [])
        found = _submitted_text(nested)
        if found is not None:
            return found
    return None


class Quiz(commands.Cog):
    """Self-testing on the curated questions."""

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AnswerQuiz)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnswerQuiz)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Grade a submitted answer form, whichever run of the bot opened it."""
        if interaction.type is not discord.InteractionType.modal_submit or not interaction.data:
            return
        match = _ANSWERED.fullmatch(str(interaction.data.get("custom_id", "")))
        if match is None:
            return
        components = interaction.data.get("components")
        text = _submitted_text(components) if isinstance(components, list) else None
        try:
            await self._grade(interaction, match["key"], text)
        except Exception as error:  # the one place a quiz answer can fail: log it, tell the student
            apology = "Sorry, something went wrong while grading; it has been logged."
            await report_failure(interaction, error, "grading a quiz answer", apology)

    async def _grade(self, interaction: discord.Interaction[Any], key: str, text: str | None) -> None:
        serving = await serving_for(interaction)
        if serving is None:
            return
        pair = serving.retriever.knowledge.pair(key)
        shelf = serving.retriever.shelf_of(pair.source) if pair is not None else None
        if pair is None or shelf is None or text is None:
            await interaction.response.send_message(
                "That question is no longer in the knowledge; try /quiz again.", ephemeral=True
            )
            return
        result = grade(text, pair, shelf.term_weight)
        storage = self.bot.storage
        streak = await storage.record_quiz(interaction.user.id, result.verdict is Verdict.RIGHT) if storage else None
        view = discord.ui.View(timeout=None)
        passage = ShowPassage.for_citation(pair.citation)
        if passage is not None:
            view.add_item(passage)
        await interaction.response.send_message(
            embed=grade_embed(pair, result, streak), view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(name="quiz", description="Test yourself: a question from the text, answered in your words")
    @app_commands.describe(source="Ask only about this text (when there are several)")
    async def quiz(self, interaction: discord.Interaction, source: str | None = None) -> None:
        serving = await serving_for(interaction)
        if serving is None:
            return
        knowledge = serving.retriever.knowledge
        offered = [
            (pair, button)
            for pair in (knowledge.pairs if source is None else knowledge.pairs_of(source))
            for button in (offer(partial(AnswerQuiz, pair.key)),)
            if button is not None
        ]
        if not offered:
            where = f"about {clip(source, 100)!r}" if source else "yet"
            await interaction.response.send_message(notice(f"I have no curated questions {where}."), ephemeral=True)
            return
        pair, button = random.choice(offered)
        view = discord.ui.View(timeout=None)
        view.add_item(button)
        await interaction.response.send_message(embed=quiz_embed(pair), view=view, allowed_mentions=NO_MENTIONS)

    @quiz.autocomplete("source")
    async def quiz_source(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await server_sources(self.bot, interaction, current)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Quiz(bot))
