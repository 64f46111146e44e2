"""Buttons that survive restarts and reloads: each ``custom_id`` carries all the button needs.

They are :class:`discord.ui.DynamicItem` subclasses registered once in ``setup_hook``, so a button on an answer
posted yesterday still works after the bot restarted or the knowledge was reloaded. Every ``custom_id`` is checked
to fit Discord's 100 characters when the button is built; a button whose state does not fit is simply not offered.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import discord

from bot.cogs.admin import is_admin
from bot.render import BUTTON_LABEL_CHARS, CUSTOM_ID_CHARS, NO_MENTIONS, clip
from bot.render_answers import answer_embed, passage_embed, question_of
from bot.replies import serving_for, warns_if_answered_too_late
from bot.serving import ask_in_thread
from knowledge.models import Answer, Citation, QAPair

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

# A text's name is its file name: spaces, capitals and accents included. Only the separators of these custom_ids
# are left out; a name with one of them (or an over-long one) simply gets no such button (see offer).
_SOURCE = r"(?P<source>[^:/]{1,64})"
_PAIR = r"(?P<source>[^:/]{1,64})/(?P<pair>[a-z0-9_-]{1,64})"
ROW_ACTIONS = 0
ROW_CHOICES = 1
MAX_CHOICE_BUTTONS = 5


def studybot_of(interaction: discord.Interaction[Any]) -> StudyBot:
    """The bot an interaction reached, typed as studybot's own client."""
    return cast("StudyBot", interaction.client)


def _fits(custom_id: str) -> bool:
    return len(custom_id) <= CUSTOM_ID_CHARS


ItemT = TypeVar("ItemT", bound=discord.ui.DynamicItem[Any])


def offer(make: Callable[[], ItemT]) -> ItemT | None:
    """The button ``make`` builds, or None if its state does not fit a custom_id that its template can read back.

    DynamicItem raises ValueError for a custom_id whose start its template does not match: left uncaught, one odd
    text name would fail every answer that cites it (or suggests one of its pairs). A press is only dispatched on a
    full match, so that is checked too: a button no handler would answer is not offered.
    """
    try:
        item = make()
    except ValueError:
        return None
    return item if _fits(item.custom_id) and item.template.fullmatch(item.custom_id) else None


class ShowPassage(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"sb:passage:{_SOURCE}:(?P<p>\d+):(?P<s>[\d,]+)"
):
    """Show, only to the presser, the whole paragraph around the cited quote, the quote highlighted."""

    def __init__(
        self, source: str, paragraph: int, sentences: tuple[int, ...], label: str = "Show the passage"
    ) -> None:
        self.source, self.paragraph, self.sentences = source, paragraph, sentences
        numbers = ",".join(str(n) for n in sentences)
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji="📖",
                style=discord.ButtonStyle.secondary,
                custom_id=f"sb:passage:{source}:{paragraph}:{numbers}",
                row=ROW_ACTIONS,
            )
        )

    @classmethod
    def for_citation(cls, citation: Citation, label: str = "Show the passage") -> ShowPassage | None:
        return offer(lambda: cls(citation.source, citation.paragraph, citation.sentences, label))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShowPassage:
        sentences = tuple(int(n) for n in match["s"].split(",") if n)
        return cls(match["source"], int(match["p"]), sentences)

    @warns_if_answered_too_late
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        serving = await serving_for(interaction)
        if serving is None:
            return
        document = serving.retriever.knowledge.document(self.source)
        if document is None or not 1 <= self.paragraph <= len(document.paragraphs):
            await interaction.response.send_message(
                "That passage is no longer in the knowledge (it was changed since).", ephemeral=True
            )
            return
        embed = passage_embed(document.paragraphs[self.paragraph - 1], self.sentences)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)


class AskInstead(discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"sb:ask:{_PAIR}"):
    """Did you mean…? Answer one of the curated questions instead, for everyone in the channel."""

    def __init__(self, source: str, pair_id: str, label: str = "Ask this") -> None:
        self.source, self.pair_id = source, pair_id
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL_CHARS),
                style=discord.ButtonStyle.primary,
                custom_id=f"sb:ask:{source}/{pair_id}",
                row=ROW_CHOICES,
            )
        )

    @classmethod
    def for_pair(cls, pair: QAPair) -> AskInstead | None:
        return offer(lambda: cls(pair.source, pair.id, pair.question))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AskInstead:
        return cls(match["source"], match["pair"])

    @warns_if_answered_too_late
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        serving = await serving_for(interaction)
        if serving is None:
            return
        retriever = serving.retriever
        pair = retriever.knowledge.pair(f"{self.source}/{self.pair_id}")
        if pair is None:
            await interaction.response.send_message(
                "That question is no longer in the knowledge (it was changed since).", ephemeral=True
            )
            return
        answer = await ask_in_thread(retriever, pair.question, pair.source)
        await interaction.response.send_message(
            embed=answer_embed(answer), view=answer_view(answer, interaction.user.id), allowed_mentions=NO_MENTIONS
        )


# At most 87 characters cited: what Discord's 100 leave after "sb:vote:down:" (a pair key is up to 129).
class Vote(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"sb:vote:(?P<vote>up|down):(?P<cited>[^:]{1,87})"):
    """👍 or 👎 on an answer; a 👎 puts the question on the curators' list."""

    def __init__(self, vote: str, cited: str) -> None:
        self.vote, self.cited = vote, cited
        super().__init__(
            discord.ui.Button(
                emoji="👍" if vote == "up" else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"sb:vote:{vote}:{cited}",
                row=ROW_ACTIONS,
            )
        )

    @classmethod
    def for_answer(cls, vote: str, answer: Answer) -> Vote | None:
        cited = answer.pair.key if answer.pair is not None else _locator(answer.citations[0])
        return offer(lambda: cls(vote, cited))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Vote:
        return cls(match["vote"], match["cited"])

    @warns_if_answered_too_late
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        storage = studybot_of(interaction).storage
        question = question_of(interaction.message)
        if storage is None or question is None:
            await interaction.response.send_message("Thanks! (Feedback is not being recorded here.)", ephemeral=True)
            return
        pair_key = self.cited if "/" in self.cited else None
        vote = 1 if self.vote == "up" else -1
        await storage.record_feedback(
            interaction.user.id, vote, question, pair_key, self.cited, guild_id=interaction.guild_id
        )
        text = "Thanks, noted." if self.vote == "up" else "Thanks: the curators will see this question."
        await interaction.response.send_message(text, ephemeral=True)


class Delete(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"sb:delete:(?P<asker>\d{1,20})"):
    """🗑: the person who asked (or an admin) can remove the bot's reply."""

    def __init__(self, asker_id: int) -> None:
        self.asker_id = asker_id
        super().__init__(
            discord.ui.Button(
                emoji="🗑️", style=discord.ButtonStyle.secondary, custom_id=f"sb:delete:{asker_id}", row=ROW_ACTIONS
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Delete:
        return cls(int(match["asker"]))

    @warns_if_answered_too_late
    async def callback(self, interaction: discord.Interaction[Any]) -> None:

        if interaction.user.id != self.asker_id and not is_admin(
            interaction, studybot_of(interaction).settings.admin_roles
        ):
            await interaction.response.send_message(
                "Only the person who asked (or an admin) can delete this answer.", ephemeral=True
            )
            return
        await interaction.response.defer()
        if interaction.message is not None:
            await interaction.message.delete()


def _locator(citation: Citation) -> str:
    return f"{citation.source}#p{citation.paragraph}.s{','.join(str(n) for n in citation.sentences)}"


DYNAMIC_ITEMS = (ShowPassage, AskInstead, Vote, Delete)


def answer_view(answer: Answer, asker_id: int) -> discord.ui.View:
    """The buttons under an answer: passage, votes and delete; and "did you mean" choices when it is uncertain. A
    not-covered reply gets delete, the questions it can answer, and the nearest passage's button if it has one.

    A reply to several questions gets a passage button for each one answered, numbered as the questions are, and no
    votes: a thumbs-down on two answers would not say which one was wrong."""
    view = discord.ui.View(timeout=None)
    items: list[discord.ui.Item[Any] | None] = []
    if answer.parts:
        shown: set[tuple[str, int, tuple[int, ...]]] = set()  # a custom_id may appear once in a view
        for number, part in enumerate(answer.parts, 1):
            for citation in part.citations:
                if (where := (citation.source, citation.paragraph, citation.sentences)) not in shown:
                    shown.add(where)
                    items.append(ShowPassage.for_citation(citation, f"Show passage {number}"))
    elif answer.answered and answer.citations:
        items += [ShowPassage.for_citation(answer.citations[0]), Vote.for_answer("up", answer)]
        items += [Vote.for_answer("down", answer)]
    elif answer.closest is not None:  # not an answer to vote on: only the passage to read
        items.append(ShowPassage.for_citation(answer.closest))
    items.append(Delete(asker_id))
    items += [AskInstead.for_pair(pair) for pair in answer.suggestions[:MAX_CHOICE_BUTTONS]]
    for item in items:
        if item is not None:
            view.add_item(item)
    return view
