"""bot/cogs/admin.py through the real client: ``/reload`` (who may, what it reports, what a broken file does, and
questions asked while it runs) and the owner's ``/sync``."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path

import pytest
from fake_discord import FakeDiscord
from fake_discord import payloads as p
from studybot_harness import (
    ALL_COMMANDS,
    ANSWER_TEXT,
    ANSWERABLE,
    EPHEMERAL,
    ESSAY_QA,
    MANAGE_GUILD,
    UNCERTAIN,
    UNCERTAIN_CONFIDENCE,
    StartStudyBot,
    assert_answered,
    embed_of,
)

from knowledge.corpus import Knowledge, TextLoader, load_knowledge
from knowledge.formats.reading import Reading
from knowledge.view import View

pytestmark = pytest.mark.asyncio

NEW_ANSWER = "Economic and political results (as edited by the curator)."
LONG_TERM = "ways of conducting diplomatic life that have more in the long term than whipping and propaganda"
"""Words of the essay's last sentence, quoted from after its opening "It is these", which points back."""
NEW_PAIR = f"""
- id: reload-added-pair
  question: What does the zanzibar reload question ask about diplomatic life?
  alternates:
    - zanzibar diplomatic life
  answer: That it has more in the long term than whipping and propaganda.
  quote: {LONG_TERM}
"""
BAD_QUOTE = "The moon is made of green cheese, the essay says."
BAD_PAIR = f"""
- id: reload-broken-pair
  question: What does the essay say about the moon?
  alternates: []
  answer: Nothing at all.
  quote: {BAD_QUOTE}
"""
REFUSAL = "Sorry, only server admins can reload the knowledge."


def edit_pairs(folder: Path) -> None:
    """Change the answer of one pair and add another."""
    path = folder / ESSAY_QA
    text = path.read_text(encoding="utf-8")
    assert text.count(f"answer: {ANSWER_TEXT}\n") == 1
    path.write_text(text.replace(f"answer: {ANSWER_TEXT}\n", f"answer: {NEW_ANSWER}\n") + NEW_PAIR, encoding="utf-8")


def remove_pair(folder: Path, pair_id: str) -> None:
    path = folder / ESSAY_QA
    entries = path.read_text(encoding="utf-8").split("\n- id: ")
    kept = [entry for entry in entries if not entry.startswith(pair_id + "\n")]
    assert len(kept) == len(entries) - 1
    path.write_text("\n- id: ".join(kept), encoding="utf-8")


def break_pairs(folder: Path) -> int:
    """Append a pair whose quote is not in the text; return the line of that quote."""
    path = folder / ESSAY_QA
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + BAD_PAIR, encoding="utf-8")
    return (
        text.count("\n") + BAD_PAIR.split("\n").index("  quote: The moon is made of green cheese, the essay says.") + 1
    )


def report_for(retriever: View, changes: str, *lines: str) -> str:
    sentences = sum(len(d.sentences) for d in retriever.knowledge.documents)
    head = f"Reloaded: {len(retriever.knowledge.pairs)} Q&A pairs over {sentences} sentences.\nChanges: {changes}."
    return "\n".join([head, *lines])


# ----------------------------------------------------------------- who may reload


async def test_reload_by_a_member_with_manage_server(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    edit_pairs(knowledge_dir)

    callback, shown = await study.reload(user="bob", permissions=p.EVERYONE_PERMISSIONS | MANAGE_GUILD)

    assert callback == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert shown["flags"] == EPHEMERAL
    assert shown["allowed_mentions"] == {"parse": []}
    assert shown["content"] == report_for(
        study.bot.tenancy.shared.retriever,
        "pairs: 1 added, 0 removed, 1 changed",
        "Added: `soft-power-essay/reload-added-pair`",
        "Changed: `soft-power-essay/soft-power-only-goal`",
    )
    assert embed_of((await study.ask(ANSWERABLE))["data"])["description"] == NEW_ANSWER
    added = embed_of((await study.ask("What does the zanzibar reload question ask about diplomatic life?"))["data"])
    assert added["description"] == "That it has more in the long term than whipping and propaganda."


async def test_reload_by_a_member_with_an_admin_role(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    remove_pair(knowledge_dir, "soft-power-only-goal")

    _, shown = await study.reload(user="bob", member_roles=["admin"])

    assert shown["flags"] == EPHEMERAL
    assert shown["content"] == report_for(
        study.bot.tenancy.shared.retriever,
        "pairs: 0 added, 1 removed, 0 changed",
        "Removed: `soft-power-essay/soft-power-only-goal`",
    )


async def test_reload_with_nothing_changed_says_so(studybot: StartStudyBot) -> None:
    study = await studybot()

    _, shown = await study.reload(member_roles=["admin"])

    assert shown["content"] == report_for(study.bot.tenancy.shared.retriever, "no changes")


async def test_reload_by_a_member_without_rights_is_refused_politely(
    studybot: StartStudyBot, knowledge_dir: Path
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    before = study.bot.tenancy.shared.retriever
    edit_pairs(knowledge_dir)

    callback, shown = await study.reload(user="bob")

    assert callback["type"] == 4
    assert shown == {"tts": False, "content": REFUSAL, "flags": EPHEMERAL, "allowed_mentions": {"parse": []}}
    assert study.bot.tenancy.shared.retriever is before


async def test_admin_role_counts_only_when_configured(studybot: StartStudyBot) -> None:
    study = await studybot(admin_roles=frozenset())

    _, shown = await study.reload(user="bob", member_roles=["admin"])

    assert shown["content"] == REFUSAL


async def test_reload_in_a_direct_message_is_refused(studybot: StartStudyBot, fake_discord: FakeDiscord) -> None:
    study = await studybot()
    dm = p.dm_channel(fake_discord.world.new_id(), fake_discord.users["alice"])
    fake_discord.world.channels[dm["id"]] = dm

    _, shown = await study.reload(channel_id=dm["id"], permissions=p.EVERYONE_PERMISSIONS | MANAGE_GUILD)

    assert shown["content"] == REFUSAL
    assert shown["flags"] == EPHEMERAL


async def test_reload_keeps_the_configured_answer_threshold(
    studybot: StartStudyBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_default = await studybot()
    answered = embed_of((await with_default.ask(UNCERTAIN))["data"])
    assert (answered["title"], answered["footer"]["text"]) == (f"Q: {UNCERTAIN}", UNCERTAIN_CONFIDENCE)
    await with_default.bot.close()
    monkeypatch.setenv("STUDYBOT_ANSWER_THRESHOLD", "0.8")  # above the confidence of that answer
    study = await studybot()
    assert embed_of((await study.ask(UNCERTAIN))["data"])["title"] == "Not covered by the text"

    _, shown = await study.reload(member_roles=["admin"])

    assert shown["content"].startswith("Reloaded: ")
    assert embed_of((await study.ask(UNCERTAIN))["data"])["title"] == "Not covered by the text"
    assert study.bot.tenancy.shared.retriever.threshold == 0.8


# ----------------------------------------------------------------- a broken file keeps the old knowledge


async def test_reload_of_a_broken_file_names_file_and_line_and_keeps_serving(
    studybot: StartStudyBot, knowledge_dir: Path
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    before = study.bot.tenancy.shared.retriever
    edit_pairs(knowledge_dir)  # a good change, then a bad one: nothing of either may be served
    line = break_pairs(knowledge_dir)

    _, shown = await study.reload(member_roles=["admin"])

    assert shown["flags"] == EPHEMERAL
    assert shown["content"] == (
        "Reload failed, so I am still serving the previous knowledge.\n"
        f"`{knowledge_dir / ESSAY_QA}:{line}: quote not found in soft-power-essay.txt (compared case-sensitively): "
        f"{BAD_QUOTE!r}; nothing in the text comes close`"
    )
    assert study.bot.tenancy.shared.retriever is before
    assert_answered(embed_of((await study.ask(ANSWERABLE))["data"]))


async def test_reload_of_malformed_yaml_names_the_line(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    path = knowledge_dir / ESSAY_QA
    with path.open("a", encoding="utf-8") as qa:
        qa.write("\n- id: [unclosed\n")

    _, shown = await study.reload(member_roles=["admin"])

    failure = "Reload failed, so I am still serving the previous knowledge.\n"
    assert re.fullmatch(re.escape(f"{failure}`{path}:") + r"\d+: not valid YAML: [^`]+`", shown["content"])
    assert_answered(embed_of((await study.ask(ANSWERABLE))["data"]))


async def test_a_failed_reload_can_be_fixed_and_reloaded(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    good = (knowledge_dir / ESSAY_QA).read_text(encoding="utf-8")
    break_pairs(knowledge_dir)
    _, failed = await study.reload(member_roles=["admin"])
    assert failed["content"].startswith("Reload failed")

    (knowledge_dir / ESSAY_QA).write_text(good, encoding="utf-8")
    _, fixed = await study.reload(member_roles=["admin"])

    assert fixed["content"] == report_for(study.bot.tenancy.shared.retriever, "no changes")


# ----------------------------------------------------------------- questions during a reload


async def test_questions_during_a_reload_are_answered_from_whole_knowledge(
    studybot: StartStudyBot, knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    edit_pairs(knowledge_dir)
    building, release = threading.Event(), threading.Event()

    def held_load(folder: Path, reading: Reading, loader: TextLoader) -> Knowledge:
        """The real load, held until the test has asked its questions (it runs in a worker thread)."""
        building.set()
        assert release.wait(5.0)
        return load_knowledge(folder, reading, loader)

    monkeypatch.setattr("knowledge.library.load_knowledge", held_load)  # what a reload calls
    reload_done = asyncio.create_task(study.reload(member_roles=["admin"]))
    assert await asyncio.to_thread(building.wait, 5.0)

    during = await asyncio.gather(*(study.ask(ANSWERABLE) for _ in range(20)))
    release.set()
    _, shown = await reload_done
    after = await asyncio.gather(*(study.ask(ANSWERABLE) for _ in range(5)))

    assert shown["content"].startswith("Reloaded: ")
    assert [embed_of(body["data"])["description"] for body in during] == [ANSWER_TEXT] * 20
    assert [embed_of(body["data"])["description"] for body in after] == [NEW_ANSWER] * 5
    assert all(body["type"] == 4 and not body["data"].get("flags") for body in during + after)


# ----------------------------------------------------------------- /sync


async def test_sync_by_the_owner_registers_the_commands(studybot: StartStudyBot, fake_discord: FakeDiscord) -> None:
    study = await studybot()
    interaction = fake_discord.make_slash_interaction("sync", user="alice")  # alice owns the fake application
    hook = rf"/webhooks/{fake_discord.application_id}/{interaction['token']}"

    await fake_discord.send_interaction(interaction)
    followup = await fake_discord.wait_for_request("POST", hook, status=200)

    put = fake_discord.requests_to("PUT", rf"/applications/{fake_discord.application_id}/commands")
    assert [sorted(command["name"] for command in request.json) for request in put] == [sorted(ALL_COMMANDS)]
    assert followup.json["content"] == (
        "Synced 12 global commands: /ask, /sources, /reload, /sync, /unanswered, /teach, /quiz, /upload, /remove, "
        "/bind, /unbind, /stats"
    )
    assert followup.json["flags"] == EPHEMERAL
    assert set(fake_discord.world.global_commands) == ALL_COMMANDS
    assert study.bot.tree.get_command("ask") is not None


async def test_sync_by_anyone_else_is_refused(studybot: StartStudyBot, fake_discord: FakeDiscord) -> None:
    study = await studybot()
    interaction = fake_discord.make_slash_interaction("sync", user="bob", permissions=p.EVERYONE_PERMISSIONS)

    await fake_discord.send_interaction(interaction)
    body = await fake_discord.wait_for_callback(interaction)

    assert body["data"]["content"] == "Only the bot's owner can sync its commands."
    assert body["data"]["flags"] == EPHEMERAL
    assert not fake_discord.requests_to("PUT", r"/applications/\d+/commands")
    assert study.bot.is_ready()
