"""Helpers for driving the real StudyBot against ``FakeDiscord``: settings, a knowledge copy, and one method per
thing a student or an admin does (``/ask``, typing into its autocomplete, a mention, ``/reload``).

Imported by ``tests/bot/conftest.py`` and the test modules by its bare name: pytest's default (prepend) import mode
puts ``tests/bot`` on ``sys.path`` when it loads that conftest, as ``tests/`` is for ``fake_discord``.
"""

# Waiting helpers take ``timeout=`` like the fake's own.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from fake_discord import JSON, FakeDiscord, InteractionRecord, RecordedRequest
from fake_discord.payloads import DISCORD_EPOCH_MS

from bot.app import StudyBot
from bot.settings import Settings
from knowledge.corpus import BUNDLED_DIR

CALLBACK = r"/interactions/\d+/[^/]+/callback"
MESSAGES = r"/channels/\d+/messages"
EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5
ESSAY_QA = "soft-power-essay.qa.yaml"

# What the bot answers today, as literals. Tests compare what the bot renders with these, never with what the live
# retriever returns, so that a change of retrieval or confidence fails at the bot level too (saying so: see
# ``changed``), and is accepted by updating them.

ANSWERABLE = "What is the only goal of soft power?"
ANSWER_TEXT = "The achievement of the desired economic and political results."
ANSWER_SOURCE = "soft-power-essay.txt · ¶4 · sentence 2 · lines 50–51"
ANSWER_QUOTE = (
    "> In fact, the only goal of soft power is the achievement of the desired economic and political results."
)
ANSWER_CONFIDENCE = "Confidence 99% (high)"

UNCERTAIN = "does japan just copy other countries or nah"
"""Answered by the essay, but below the "certain" confidence: the answer offers competing curated questions."""
UNCERTAIN_CONFIDENCE = "Confidence 72% (medium)"
"""The footer of the answer to :data:`UNCERTAIN`: above the default threshold (0.59), below 0.8."""

NOT_COVERED = "What is the goal of Brazil's soft power?"
"""Not covered by the essay, yet near enough to curated questions that the bot suggests some."""
NOT_COVERED_SUGGESTIONS = (
    ("soft-power-essay/soft-power-only-goal", "What is the only goal of soft power?"),
    ("soft-power-essay/what-is-soft-power", "What is soft power?"),
    (
        "soft-power-essay/japan-soft-power-national-business",
        "Whose interests is Japan's use of soft power ultimately oriented towards?",
    ),
    ("soft-power-essay/soft-power-study-aim", "What is the aim of the study?"),
    ("soft-power-essay/soft-power-not-just-culture", "Is soft power just about spreading culture and goodwill?"),
)
"""What the bot offers instead of an answer to :data:`NOT_COVERED`: (pair key, question), in its order."""

NEAR = "does gentle persuasion pay off better over time than force"
"""Not covered (confidence 0.59), but near enough that the bot points at the passage that came nearest."""
NEAR_SOURCE = "soft-power-essay.txt · ¶4 · sentences 2, 3, 4 · lines 50–54"
NEAR_QUOTE = (
    "> In fact, the only goal of soft power is the achievement of the desired economic and political results. It also "
    "has a very good effect on citizens of other countries who feel this policy on themselves. It is these ways of "
    "conducting diplomatic life that have more in the long term than whipping and propaganda of political tastes."
)
NEAR_SUGGESTIONS = (
    ("soft-power-essay/soft-power-vs-whipping-propaganda", "How does soft power compare with whipping and propaganda?"),
    ("soft-power-essay/soft-power-long-term", "Over what time frame does soft power pay off most?"),
    (
        "soft-power-essay/why-studying-english-matters-for-japan",
        "Why is the stimulation of English study fundamentally important for Japan?",
    ),
    (
        "soft-power-essay/exchanges-mutual-understanding",
        "What happens to mutual understanding between cultures through these exchanges?",
    ),
)
"""What the bot offers with the nearest passage to :data:`NEAR`: (pair key, question), in its order."""


def changed(what: str) -> str:
    """The message of a failed comparison with one of the literals of what the bot answers: it says what to do."""
    return f"{what} changed: if the retriever was changed on purpose, update the literal expectation in tests/bot"


StartStudyBot = Callable[..., Awaitable["StudyDiscord"]]
"""Type of the ``studybot`` fixture: ``await studybot(**settings)`` starts a StudyBot, returns a StudyDiscord."""

ALL_COMMANDS = {
    "ask", "bind", "quiz", "reload", "remove", "sources", "stats", "sync", "teach", "unanswered", "unbind", "upload"
}  # fmt: skip
"""Every slash command studybot registers."""

LEAVE_DEFAULT: Any = object()
"""Pass a setting as this (``studybot(cooldown_seconds=LEAVE_DEFAULT)``) to leave it to Settings' own default."""


# ----------------------------------------------------------------- settings and knowledge


def settings_for(fake: FakeDiscord, database: Path | None = None, **overrides: Any) -> Settings:
    """Settings pointing at ``fake``, built from explicit values only (never ``.env``; the autouse fixture in
    conftest cleans the environment): the study channel is ``study``, the admin role is the fake's ``admin``,
    no cooldown between questions, and the database (if any) in ``database``. An override of ``LEAVE_DEFAULT``
    leaves that setting to its default."""
    values: dict[str, Any] = {
        "discord_token": fake.token,
        "api_base_url": fake.api_base,
        "gateway_url": fake.gateway_url,
        "study_channels": frozenset({int(fake.channel_ids["study"])}),
        "admin_roles": frozenset({int(fake.role_ids["admin"])}),
        "cooldown_seconds": 0,
    }
    if database is not None:
        values["database_path"] = database
        values["cache_dir"] = database.parent / "extraction-cache"  # never the developer's own cache
    values.update(overrides)
    return Settings(_env_file=None, **{name: value for name, value in values.items() if value is not LEAVE_DEFAULT})


def copy_knowledge(destination: Path) -> Path:
    """A scratch copy of the bundled knowledge folder (texts and Q&A files only) that a test may edit."""
    destination.mkdir(parents=True, exist_ok=True)
    for pattern in ("*.txt", "*.qa.yaml"):
        for path in BUNDLED_DIR.glob(pattern):
            shutil.copyfile(path, destination / path.name)
    return destination


# ----------------------------------------------------------------- what the bot sent


def message_bodies(fake: FakeDiscord) -> list[tuple[RecordedRequest, JSON]]:
    """Every message the bot asked Discord to post or edit, with the request it came in (callbacks that carry a
    message, channel messages, follow-ups and edits)."""
    found: list[tuple[RecordedRequest, JSON]] = []
    for request in fake.requests:
        body = request.json
        if not isinstance(body, dict):
            continue
        if request.matches("POST", CALLBACK):
            if body.get("type") in (4, 7):
                found.append((request, body.get("data") or {}))
        elif request.method in ("POST", "PATCH") and (
            request.matches("*", MESSAGES + r"(/\d+)?") or request.matches("*", r"/webhooks/\d+/[^/]+(/messages/.+)?")
        ):
            found.append((request, body))
    return found


def assert_cannot_ping(body: JSON) -> None:
    """``allowed_mentions`` that lets nothing ping: no ``parse``, no explicit users or roles, no reply ping."""
    allowed = body.get("allowed_mentions")
    assert allowed is not None, f"no allowed_mentions in {body}"
    assert allowed.get("parse") == [], allowed
    assert not allowed.get("users"), allowed
    assert not allowed.get("roles"), allowed
    assert allowed.get("replied_user", False) is False, allowed
    assert set(allowed) <= {"parse", "users", "roles", "replied_user"}, allowed


def embed_of(body: JSON) -> JSON:
    """The one embed of a message body (a callback's ``data`` or a channel message)."""
    embeds = body.get("embeds") or []
    assert len(embeds) == 1, body
    return dict(embeds[0])


def fields_of(embed: JSON) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed.get("fields") or []}


def embed_length(embed: JSON) -> int:
    """Discord's count toward the 6000-character total: title, description, field names and values, footer, author."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields") or [])
    total += len((embed.get("footer") or {}).get("text") or "") + len((embed.get("author") or {}).get("name") or "")
    return total


def assert_answered(embed: JSON, title: str = f"Q: {ANSWERABLE}") -> None:
    """The embed answers :data:`ANSWERABLE` (asked as ``title`` says) as the bot does today."""
    assert embed["title"] == title
    what = changed(f"the answer to {ANSWERABLE!r}")
    assert embed["description"] == ANSWER_TEXT, what
    assert fields_of(embed) == {"Source": ANSWER_SOURCE, "Quote": ANSWER_QUOTE}, what
    assert embed["footer"]["text"] == ANSWER_CONFIDENCE, what


# ----------------------------------------------------------------- driving the bot


def age_interaction(fake: FakeDiscord, interaction: JSON, seconds: float) -> JSON:
    """Make ``interaction`` look created ``seconds`` ago (its snowflake id carries its creation time), as one
    that waited in a backlog would; the fake keeps serving it under the new id."""
    record = fake.interaction(interaction)
    del fake.interactions.by_id[record.id]
    ms = int((time.time() - seconds) * 1000) - DISCORD_EPOCH_MS
    interaction["id"] = str((ms << 22) | (int(interaction["id"]) & 0x3FFFFF))
    fake.interactions.by_id[interaction["id"]] = record
    return interaction


@dataclass
class StudyDiscord:
    """A running StudyBot and the fake Discord it is connected to, with what users do as methods."""

    fake: FakeDiscord
    bot: StudyBot

    async def ask(self, question: str, *, timeout: float = 3.0, **kw: Any) -> JSON:
        """``/ask question`` by alice (or ``user=``); the body of the bot's interaction callback."""
        return (await self.ask_record(question, timeout=timeout, **kw))[1]

    async def ask_record(self, question: str, *, timeout: float = 3.0, **kw: Any) -> tuple[InteractionRecord, JSON]:
        """Like :meth:`ask`, with the fake's record of the interaction (callbacks, the message it created)."""
        interaction = self.fake.make_slash_interaction("ask", {"question": question}, **kw)
        record = await self.fake.send_interaction(interaction)
        return record, await self.fake.wait_for_callback(interaction, timeout=timeout)

    def original(self, record: InteractionRecord) -> JSON:
        """The message an interaction's callback created, as the fake stored it (mentions resolved)."""
        assert record.original_id is not None
        return dict(self.fake.world.messages[record.original_id])

    async def autocomplete(self, typed: str) -> list[JSON]:
        """What the user sees while typing ``typed`` into ``/ask question:``."""
        interaction = self.fake.make_autocomplete("ask", {"question": typed})
        await self.fake.send_interaction(interaction)
        body = await self.fake.wait_for_callback(interaction)
        assert body["type"] == 8, body
        return list(body["data"]["choices"])

    async def mention(self, text: str, channel: str = "study", *, author: str = "alice", **kw: Any) -> JSON:
        """Post ``@studybot text`` in ``channel`` (a name or id); returns the MESSAGE_CREATE payload sent."""
        content = f"{self.fake.mention('bot')} {text}"
        mentions = [*kw.pop("mentions", []), "bot"]
        message = self.fake.make_message(content, channel, author=author, mentions=mentions, **kw)
        return await self.fake.send_message(message)

    async def reply_to(self, message: JSON, *, timeout: float = 2.0) -> RecordedRequest:
        """The bot's successful reply to ``message``."""

        def replies(request: RecordedRequest) -> bool:
            reference = (request.json or {}).get("message_reference") or {}
            return str(reference.get("message_id")) == message["id"]

        return await self.fake.wait_for_request("POST", MESSAGES, status=200, predicate=replies, timeout=timeout)

    async def reload(self, **kw: Any) -> tuple[JSON, JSON]:
        """``/reload``: the callback body, and the body of the message the user finally sees (the callback's
        own message when it answered at once, else the first follow-up)."""
        interaction = self.fake.make_slash_interaction("reload", **kw)
        await self.fake.send_interaction(interaction)
        callback = await self.fake.wait_for_callback(interaction)
        if callback["type"] == 4:
            return callback, callback["data"]
        hook = rf"/webhooks/{self.fake.application_id}/{interaction['token']}"
        followup = await self.fake.wait_for_request("POST", hook, status=200, timeout=3.0)
        return callback, dict(followup.json)


# ----------------------------------------------------------------- the ``studybot`` command as a subprocess


def studybot_command(*args: str) -> list[str]:
    """The installed ``studybot`` console script (beside this Python), or ``python -m bot`` without one."""
    script = Path(sys.executable).with_name("studybot")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "bot", *args]


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any STUDYBOT_* variable, plus ``settings`` (``token="x"`` becomes
    ``STUDYBOT_TOKEN=x``); run the command with ``cwd`` a scratch folder so that no ``.env`` is read either."""
    env = {name: value for name, value in os.environ.items() if not name.upper().startswith("STUDYBOT_")}
    env.update({"STUDYBOT_" + name.upper(): value for name, value in settings.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


# ----------------------------------------------------------------- buttons under answers, and a second course text

BUTTON_ROWS = 5
BUTTONS_PER_ROW = 5
DEFERRED_UPDATE = 6
"""The callback type of a button press acknowledged without a new message (``interaction.response.defer()``)."""
SECOND_TEXT = "photosynthesis"
SECOND_TEXT_BODY = """\
Photosynthesis is the process by which green plants turn light into chemical energy. It takes place
mainly in the chloroplasts of leaf cells, which contain the pigment chlorophyll. Chlorophyll absorbs
red and blue light and reflects green light, which is why leaves look green.

The process needs carbon dioxide, water and sunlight. Carbon dioxide enters the leaf through small
pores called stomata. The plant releases oxygen as a by-product and stores the energy in glucose.
"""
SECOND_TEXT_QA = """\
- id: photosynthesis-definition
  question: What is photosynthesis?
  alternates:
    - define photosynthesis
    - How do plants make chemical energy from light?
  answer: The process by which green plants turn light into chemical energy.
  quote: Photosynthesis is the process by which green plants turn light into chemical energy.
- id: why-leaves-are-green
  question: Why do leaves look green?
  alternates:
    - What colour of light does chlorophyll reflect?
    - leaf colour
  answer: Chlorophyll absorbs red and blue light and reflects green light.
  quote: Chlorophyll absorbs red and blue light and reflects green light, which is why leaves look green.
- id: how-carbon-dioxide-enters
  question: How does carbon dioxide enter the leaf?
  alternates:
    - What are stomata?
    - leaf pores
  answer: Through small pores called stomata.
  quote: Carbon dioxide enters the leaf through small pores called stomata.
"""
SECOND_TEXT_QUESTION = "Why do leaves look green?"
"""Answered from the second text by its curated pair ``why-leaves-are-green`` (¶1, sentence 3, lines 2–3)."""
SECOND_TEXT_NOT_COVERED = "colour of plants in Brazil"
"""Not covered by the essay plus the photosynthesis text, nor by the photosynthesis text alone."""
SECOND_TEXT_NOT_COVERED_SUGGESTIONS = (
    ("photosynthesis/why-leaves-are-green", "Why do leaves look green?"),
    ("photosynthesis/photosynthesis-definition", "What is photosynthesis?"),
)
"""What the bot offers instead of an answer to :data:`SECOND_TEXT_NOT_COVERED`, with or without ``source:``."""


def add_second_text(folder: Path) -> Path:
    """Put the small photosynthesis text (2 paragraphs, 6 sentences, 3 curated pairs) into ``folder``."""
    (folder / f"{SECOND_TEXT}.txt").write_text(SECOND_TEXT_BODY, encoding="utf-8")
    (folder / f"{SECOND_TEXT}.qa.yaml").write_text(SECOND_TEXT_QA, encoding="utf-8")
    return folder


def buttons_of(body: JSON) -> list[JSON]:
    """Every component of a message body (a callback's ``data``, a channel message), row after row."""
    return [component for row in body.get("components") or [] for component in row.get("components") or []]


def custom_ids(body: JSON) -> list[str]:
    return [str(component["custom_id"]) for component in buttons_of(body)]


def custom_id_starting(body: JSON, prefix: str) -> str:
    """The one custom_id of ``body`` that starts with ``prefix`` (``"sb:passage:"``, ``"sb:vote:down:"``…)."""
    found = [custom_id for custom_id in custom_ids(body) if custom_id.startswith(prefix)]
    assert len(found) == 1, (prefix, custom_ids(body))
    return found[0]


def assert_components_fit(body: JSON) -> None:
    """Within Discord's limits: at most 5 action rows of at most 5 buttons, custom_ids ≤ 100, labels ≤ 80."""
    rows = body.get("components") or []
    assert len(rows) <= BUTTON_ROWS, rows
    for row in rows:
        assert row["type"] == 1, row
        assert 0 < len(row["components"]) <= BUTTONS_PER_ROW, row
        for component in row["components"]:
            assert component["type"] == 2, component
            assert 0 < len(component["custom_id"]) <= 100, component
            assert len(component.get("label") or "") <= 80, component
            assert component.get("label") or component.get("emoji"), component


async def press(
    fake: FakeDiscord, message: JSON, custom_id: str, *, user: str = "alice", timeout: float = 2.0, **kw: Any
) -> tuple[JSON, JSON]:
    """Press the button ``custom_id`` of ``message`` (a message the bot posted, as the fake stored it) as ``user``,
    in the message's channel; returns the component interaction and the bot's callback body."""
    assert custom_id in custom_ids(message), (custom_id, custom_ids(message))
    interaction = fake.make_component(
        custom_id, message_id=message["id"], channel_id=message["channel_id"], user=user, **kw
    )
    await fake.send_interaction(interaction)
    return interaction, await fake.wait_for_callback(interaction, timeout=timeout)


T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T | None]], *, timeout: float = 2.0) -> T:
    """Poll ``check`` until it returns something other than ``None`` (for writes the bot makes after replying)."""
    async with asyncio.timeout(timeout):
        while True:
            found = await check()
            if found is not None:
                return found
            await asyncio.sleep(0.005)


# ----------------------------------------------------------------- modals (/quiz, /teach) and the question log

MODAL = 9
"""The callback type of a response that opens a modal."""
TEXT_INPUT = 4


def modal_of(callback: JSON) -> tuple[str, list[str]]:
    """The custom_id of the modal a callback opened (type 9), and its text inputs' custom_ids in order (inputs come
    in action rows, or in labels with discord.py's newer layout)."""
    assert callback["type"] == MODAL, callback
    data = callback["data"]
    inputs = []
    for row in data["components"]:
        for component in row.get("components") or [row.get("component") or {}]:
            if component.get("type") == TEXT_INPUT:
                inputs.append(str(component["custom_id"]))
    return str(data["custom_id"]), inputs


async def submit_modal(fake: FakeDiscord, callback: JSON, *texts: str, user: str = "alice", **kw: Any) -> JSON:
    """Submit the modal that ``callback`` opened, typing ``texts`` into its inputs in order; returns the submit
    interaction (interaction type 5) once it is dispatched."""
    modal_id, inputs = modal_of(callback)
    assert len(texts) == len(inputs), (texts, inputs)
    interaction = fake.make_modal_submit(modal_id, dict(zip(inputs, texts, strict=True)), user=user, **kw)
    await fake.send_interaction(interaction)
    return interaction


async def shown_to_user(fake: FakeDiscord, interaction: JSON, *, timeout: float = 3.0) -> JSON:
    """The message the user finally sees for ``interaction``: the callback's own message when the bot answered at
    once (type 4), else the first follow-up after its defer (type 5)."""
    callback = await fake.wait_for_callback(interaction, timeout=timeout)
    if callback["type"] == 4:
        return dict(callback["data"])
    assert callback["type"] == 5, callback
    hook = rf"/webhooks/{fake.application_id}/{re.escape(interaction['token'])}"
    followup = await fake.wait_for_request("POST", hook, status=200, timeout=timeout)
    return dict(followup.json)


async def logged_questions(bot: StudyBot, count: int, *, timeout: float = 2.0) -> None:
    """Wait until the bot's database holds ``count`` open questions: ``/ask`` logs a question after replying."""
    assert bot.storage is not None
    storage = bot.storage

    async def enough() -> int | None:
        found = (await storage.counts())["open_questions"]
        assert found <= count, f"{found} open questions logged, expected {count}"
        return found if found == count else None

    await eventually(enough, timeout=timeout)


# ----------------------------------------------------------------- interactions answered too late

TOO_LATE = re.compile(
    r"(?P<what>.+): Discord no longer knew the interaction when it was answered "
    r"\((?P<late>\d+\.\d) s after it was sent; the limit is 3 s\), so nothing was sent"
)


async def assert_too_late_is_one_warning(
    study: StudyDiscord, interaction: JSON, caplog: pytest.LogCaptureFixture, what: str
) -> None:
    """Let ``interaction`` reach the bot 4 s old, too late to be answered (the fake then refuses its callback with
    404, code 10062, as Discord does), and check what the bot makes of it: exactly one WARNING, saying ``what``
    was answered too late, no ERROR, no traceback, and no second try at a response nor any follow-up."""
    fake = study.fake
    age_interaction(fake, interaction, 4.0)
    first = len(caplog.records)

    def problems() -> list[logging.LogRecord]:
        return [record for record in caplog.records[first:] if record.levelno >= logging.WARNING]

    async def logged() -> list[logging.LogRecord] | None:
        return problems() or None

    deadline = fake.interaction_deadline
    fake.interaction_deadline = 0.0
    await fake.send_interaction(interaction)
    await fake.wait_for_callback(interaction, status=404)
    await eventually(logged)
    fake.interaction_deadline = deadline
    await study.autocomplete("")  # a round trip: whatever the bot still sent for the late interaction came first

    found = problems()
    assert len(found) == 1, [(r.levelname, r.name, r.getMessage()) for r in found]
    [record] = found
    assert (record.levelname, record.exc_info) == ("WARNING", None), record.getMessage()
    match = TOO_LATE.fullmatch(record.getMessage())
    assert match is not None, record.getMessage()
    assert match["what"] == what
    assert float(match["late"]) >= 4.0
    assert "Traceback" not in caplog.text
    callback = rf"/interactions/{interaction['id']}/{re.escape(interaction['token'])}/callback"
    assert [request.status for request in fake.requests_to("POST", callback)] == [404], "one refused callback, no retry"
    webhook = rf"/webhooks/{fake.application_id}/{re.escape(interaction['token'])}(/.*)?"
    assert fake.requests_to("*", webhook) == [], "no follow-up for an interaction Discord no longer knows"
