"""bot/cogs/curation.py (``/unanswered``, ``/teach``) and the ``/reload`` report's curated questions that miss their
pair and replay, through the real discord.py client and the fake Discord, on a scratch copy of the knowledge folder
and a real SQLite log."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from curation_samples import ESSAY, LONG_TERM, RIVAL, ZANZIBAR, ZANZIBAR_ANSWER, ZANZIBAR_PAIR
from fake_discord import JSON, FakeDiscord
from fake_discord import payloads as p
from studybot_harness import (
    ANSWERABLE,
    EPHEMERAL,
    ESSAY_QA,
    MODAL,
    StartStudyBot,
    StudyDiscord,
    assert_answered,
    assert_too_late_is_one_warning,
    embed_length,
    embed_of,
    fields_of,
    logged_questions,
    modal_of,
    shown_to_user,
    submit_modal,
)

from bot.cogs.curation import ADMINS_ONLY
from bot.render import EMBED_DESCRIPTION_CHARS, EMBED_TOTAL_CHARS
from knowledge.corpus import BUNDLED_DIR, load_knowledge

pytestmark = pytest.mark.asyncio

ZANZIBAR_KEY = f"{ESSAY}/what-is-the-zanzibar-doctrine"
BAD_QUOTE = "The moon is made of green cheese, the essay says."
READ_ONLY = "The bundled essay is read-only: set STUDYBOT_KNOWLEDGE_DIR to a knowledge folder of your own."
ADMIN: dict[str, Any] = {"member_roles": ["admin"]}
NOBODY: dict[str, Any] = {"user": "bob", "member_roles": []}

NOT_COVERED = [  # (who, question), in the order asked; none of them is covered by the essay
    ("alice", ZANZIBAR),
    ("bob", "whats the zanzibar doctrine"),
    ("alice", "Who invented the telephone?"),
    ("alice", "Explain the zanzibar doctrine"),
    ("bob", "who invented telephones"),
    ("bob", "What is the capital of France?"),
]


async def ask_not_covered(study: StudyDiscord, asked: list[tuple[str, str]] = NOT_COVERED) -> None:
    """Ask each question, checking the bot says "not covered", and wait until each is logged (so in this order)."""
    assert study.bot.storage is not None
    already = (await study.bot.storage.counts())["open_questions"]
    for number, (user, question) in enumerate(asked, start=already + 1):
        body = await study.ask(question, user=user)
        assert embed_of(body["data"])["title"] == "Not covered by the text", question
        await logged_questions(study.bot, number)


async def command(study: StudyDiscord, name: str, options: dict[str, Any] | None = None, **kw: Any) -> JSON:
    """Run a slash command; returns the interaction (its callback is for the caller to wait for)."""
    interaction = study.fake.make_slash_interaction(name, options, **kw)
    await study.fake.send_interaction(interaction)
    return interaction


async def unanswered(study: StudyDiscord, **kw: Any) -> JSON:
    """``/unanswered``: the message the admin finally sees."""
    return await shown_to_user(study.fake, await command(study, "unanswered", **kw))


async def open_teach(study: StudyDiscord, source: str = ESSAY, **kw: Any) -> JSON:
    """``/teach source:``: the callback body (a modal, type 9, for an admin)."""
    return await study.fake.wait_for_callback(await command(study, "teach", {"source": source}, **kw))


async def teach(
    study: StudyDiscord, question: str, answer: str, quote: str, *, user: str = "alice", source: str = ESSAY
) -> JSON:
    """``/teach`` as an admin, fill in the modal and submit it: the message the admin finally sees."""
    opened = await open_teach(study, source, user=user, **ADMIN)
    submitted = await submit_modal(study.fake, opened, question, answer, quote, user=user)
    return await shown_to_user(study.fake, submitted)


def files(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (hidden ones too: a leftover temporary file would be one) with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def resolved(database: Path) -> list[tuple[str, str | None]]:
    """Each logged question with the pair that closed it (None while open), oldest first."""
    with closing(sqlite3.connect(database)) as conn:
        return conn.execute("SELECT question, resolved_by FROM questions ORDER BY id").fetchall()


def assert_private_text(body: JSON, content: str) -> None:
    assert body["content"] == content
    assert body["flags"] == EPHEMERAL
    assert body["allowed_mentions"] == {"parse": []}


# ----------------------------------------------------------------- /unanswered


async def test_unanswered_is_for_admins_only(studybot: StartStudyBot) -> None:
    study = await studybot()
    await ask_not_covered(study, NOT_COVERED[:1])

    body = await study.fake.wait_for_callback(await command(study, "unanswered", **NOBODY))

    assert body["type"] == 4
    assert body["data"] == {"tts": False, "content": ADMINS_ONLY, "flags": EPHEMERAL, "allowed_mentions": {"parse": []}}


async def test_unanswered_with_an_empty_log(studybot: StartStudyBot) -> None:
    study = await studybot()
    assert_answered(embed_of((await study.ask(ANSWERABLE))["data"]))  # answered questions are not logged

    shown = await unanswered(study, **ADMIN)

    assert shown["flags"] == EPHEMERAL
    embed = embed_of(shown)
    assert embed["title"] == "Questions I could not answer"
    assert embed["description"] == "None so far: every question was answered."


async def test_unanswered_groups_rewordings_most_asked_first(studybot: StartStudyBot) -> None:
    study = await studybot()
    await ask_not_covered(study)

    callback = await study.fake.wait_for_callback(interaction := await command(study, "unanswered", **ADMIN))
    shown = await shown_to_user(study.fake, interaction)

    assert callback == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert shown["flags"] == EPHEMERAL
    assert shown["allowed_mentions"] == {"parse": []}
    embed = embed_of(shown)
    assert embed["description"].split("\n") == [  # each group under its latest wording
        "**3×** Explain the zanzibar doctrine (2 askers)",
        "**2×** who invented telephones (2 askers)",
        "**1×** What is the capital of France? (1 asker)",
    ]
    assert embed["footer"]["text"] == "6 open questions in 3 groups. Answer one with /teach."


async def test_unanswered_counts_one_asker_asking_twice_once(studybot: StartStudyBot) -> None:
    study = await studybot()
    await ask_not_covered(study, [("bob", ZANZIBAR), ("bob", ZANZIBAR), ("alice", "Who invented the telephone?")])

    embed = embed_of(await unanswered(study, **ADMIN))

    assert embed["description"].split("\n") == [
        f"**2×** {ZANZIBAR} (1 asker)",
        "**1×** Who invented the telephone? (1 asker)",
    ]


async def test_unanswered_stays_within_embed_limits_with_300_long_questions(studybot: StartStudyBot) -> None:
    study = await studybot()
    assert study.bot.storage is not None
    rng = random.Random(300)
    letters = "abcdefghijklmnopqrstuvwxyz*_`~|>"  # Markdown characters too: escaping makes a question longer
    for number in range(300):
        question = " ".join("".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(200))[:1000]
        await study.bot.storage.log_question(question, None, number, "unanswered", guild_id=int(study.fake.guild_id))
    await ask_not_covered(study, [("alice", ZANZIBAR), ("bob", ZANZIBAR)])  # the most asked

    started = asyncio.get_running_loop().time()
    shown = await unanswered(study, **ADMIN)
    assert asyncio.get_running_loop().time() - started < 2.5

    embed = embed_of(shown)
    assert embed_length(embed) <= EMBED_TOTAL_CHARS
    assert len(embed["description"]) <= EMBED_DESCRIPTION_CHARS
    lines = embed["description"].split("\n")
    assert lines[0] == f"**2×** {ZANZIBAR} (2 askers)"
    assert 10 < len(lines) < 300  # as many as fit
    assert all(line.startswith("**1×** ") and line.endswith("… (1 asker)") for line in lines[1:])
    assert embed["footer"]["text"] == "302 open questions in 301 groups. Answer one with /teach."


# ----------------------------------------------------------------- /teach: who may, and where


async def test_teach_is_for_admins_only(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    before = files(knowledge_dir)

    body = await open_teach(study, **NOBODY)

    assert body["type"] == 4
    assert_private_text(body["data"], ADMINS_ONLY)
    assert files(knowledge_dir) == before


@pytest.mark.parametrize("configured", [False, True], ids=["default", "named-in-settings"])
async def test_teach_refuses_the_bundled_knowledge(studybot: StartStudyBot, configured: bool) -> None:
    study = await studybot(**({"knowledge_dir": BUNDLED_DIR} if configured else {}))
    before = files(BUNDLED_DIR)

    body = await open_teach(study, **ADMIN)

    assert body["type"] == 4
    assert_private_text(body["data"], READ_ONLY)
    assert files(BUNDLED_DIR) == before


async def test_teach_refuses_an_unknown_source(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)

    body = await open_teach(study, "no-such-text", **ADMIN)

    assert_private_text(body["data"], "There is no text called 'no-such-text'; /sources lists them.")


async def test_teach_opens_a_modal_with_question_answer_and_quote(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)

    body = await open_teach(study, **ADMIN)

    assert body["type"] == MODAL
    assert body["data"]["title"] == "Teach studybot a Q&A pair"
    _, inputs = modal_of(body)
    assert len(inputs) == 3
    labels = [row["components"][0]["label"] for row in body["data"]["components"]]
    assert labels == ["Question", "Answer", "Quote (exact words of the text)"]


async def test_teach_source_autocomplete(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    interaction = study.fake.make_autocomplete("teach", {"source": "SOFT"}, **ADMIN)

    await study.fake.send_interaction(interaction)

    assert await study.fake.wait_for_callback(interaction) == {
        "type": 8,
        "data": {"choices": [{"name": ESSAY, "value": ESSAY}]},
    }


# ----------------------------------------------------------------- /teach: saving


async def test_teach_saves_the_pair_serves_it_and_closes_the_questions_it_answers(
    studybot: StartStudyBot, knowledge_dir: Path, tmp_path: Path
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    await ask_not_covered(study, NOT_COVERED[:4])
    before = files(knowledge_dir)

    shown = await teach(study, f"  {ZANZIBAR}\u200b ", f"{ZANZIBAR_ANSWER}\n", LONG_TERM)

    assert_private_text(
        shown,
        f"Saved `{ZANZIBAR_KEY}` (quoting {ESSAY}.txt · ¶4 · sentence 4 · lines 53–54) and reloaded. "
        "3 logged questions are now answered by it.\n"
        f"Reloaded: 46 Q&A pairs over 21 sentences.\n"
        f"Changes: pairs: 1 added, 0 removed, 0 changed.\n"
        f"Added: `{ZANZIBAR_KEY}`\n"
        f"Of the 4 questions logged lately, 3 would now be answered differently.\n"
        "⚠️ 1 quote opens pointing back at a sentence it leaves out (start it there, so students see what it refers "
        "to):\n"
        f"• `{ZANZIBAR_KEY}` “It is these ways of conducting diplomat…” → ¶4 sentence 3",
    )
    after = files(knowledge_dir)
    assert set(after) == set(before)  # no temporary file left
    assert after[ESSAY_QA].startswith(before[ESSAY_QA])  # comments and every old byte kept
    assert after[ESSAY_QA][len(before[ESSAY_QA]) :].decode() == (
        f"- id: what-is-the-zanzibar-doctrine\n  question: {ZANZIBAR}\n  alternates: []\n"
        f"  answer: {ZANZIBAR_ANSWER}\n  quote: {LONG_TERM}\n"
    )
    assert load_knowledge(knowledge_dir).pairs[-1].key == ZANZIBAR_KEY  # the new file loads

    answered = embed_of((await study.ask(ZANZIBAR))["data"])
    assert answered["description"] == ZANZIBAR_ANSWER
    assert fields_of(answered)["Quote"] == f"> {LONG_TERM}"
    assert_answered(embed_of((await study.ask(ANSWERABLE))["data"]))  # the rest of the knowledge still serves

    assert embed_of(await unanswered(study, **ADMIN))["description"] == "**1×** Who invented the telephone? (1 asker)"
    assert resolved(tmp_path / "studybot.sqlite3") == [
        (ZANZIBAR, ZANZIBAR_KEY),
        ("whats the zanzibar doctrine", ZANZIBAR_KEY),
        ("Who invented the telephone?", None),
        ("Explain the zanzibar doctrine", ZANZIBAR_KEY),
    ]


async def test_teach_with_a_wrong_quote_is_refused_and_changes_nothing(
    studybot: StartStudyBot, knowledge_dir: Path
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    await ask_not_covered(study, NOT_COVERED[:1])
    serving = study.bot.tenancy.shared.retriever
    before = files(knowledge_dir)

    shown = await teach(study, ZANZIBAR, ZANZIBAR_ANSWER, BAD_QUOTE)

    assert_private_text(
        shown,
        f"Not saved (the file is unchanged): quote not found in {ESSAY}.txt (compared case-sensitively): "
        f"{BAD_QUOTE!r}; nothing in the text comes close",
    )
    assert files(knowledge_dir) == before
    assert study.bot.tenancy.shared.retriever is serving
    assert_answered(embed_of((await study.ask(ANSWERABLE))["data"]))
    assert embed_of((await study.ask(ZANZIBAR))["data"])["title"] == "Not covered by the text"
    assert embed_of(await unanswered(study, **ADMIN))["description"] == f"**2×** {ZANZIBAR} (1 asker)"


@pytest.mark.parametrize(
    ("question", "answer", "reason"),
    [("   ", "An answer.", "'question' is empty"), (ZANZIBAR, "  \n ", "'answer' is empty")],
)
async def test_teach_with_an_empty_field_is_refused(
    studybot: StartStudyBot, knowledge_dir: Path, question: str, answer: str, reason: str
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    before = files(knowledge_dir)

    shown = await teach(study, question, answer, LONG_TERM)

    assert_private_text(shown, f"Not saved (the file is unchanged): {reason}")
    assert files(knowledge_dir) == before


async def test_concurrent_teaching_loses_no_pair(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    taught = [  # by the bot's owner, alice: the essay is a shared text (every server sees it)
        ("alice", ZANZIBAR, LONG_TERM),
        ("alice", "What is the quokka principle?", "Innovation is one of the foundations of its economic model"),
        ("alice", ZANZIBAR, LONG_TERM),  # the same question again gets an id of its own
    ]
    opened = [await open_teach(study, user=user, **ADMIN) for user, _, _ in taught]

    submitted = await asyncio.gather(
        *(
            submit_modal(study.fake, modal, question, "Taught concurrently.", quote, user=user)
            for modal, (user, question, quote) in zip(opened, taught, strict=True)
        )
    )
    shown = await asyncio.gather(*(shown_to_user(study.fake, interaction) for interaction in submitted))

    assert all(body["content"].startswith("Saved `") for body in shown), shown
    keys = sorted(body["content"].split("`")[1] for body in shown)
    assert keys == [f"{ESSAY}/what-is-the-quokka-principle", ZANZIBAR_KEY, f"{ZANZIBAR_KEY}-2"]
    on_disk = load_knowledge(knowledge_dir)
    assert len(on_disk.pairs) == 48
    assert sorted(pair.key for pair in on_disk.pairs[-3:]) == keys
    assert [pair.key for pair in study.bot.tenancy.shared.retriever.knowledge.pairs] == [
        pair.key for pair in on_disk.pairs
    ]
    quokka = embed_of((await study.ask("What is the quokka principle?"))["data"])
    assert quokka["description"] == "Taught concurrently."


async def test_teach_that_saved_but_could_not_reload_says_so(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    """Another file broken by hand since the last reload: the pair is saved, but the old knowledge keeps serving and
    the admin is told so (not "the file is unchanged")."""
    (knowledge_dir / "notes.txt").write_text("Diplomacy is the management of relations between states.\n")
    (knowledge_dir / "notes.qa.yaml").write_text("# no pairs yet\n", encoding="utf-8")
    study = await studybot(knowledge_dir=knowledge_dir)
    serving = study.bot.tenancy.shared.retriever
    (knowledge_dir / "notes.qa.yaml").write_text("- id: [broken\n", encoding="utf-8")
    before = files(knowledge_dir)[ESSAY_QA]

    shown = await teach(study, ZANZIBAR, ZANZIBAR_ANSWER, LONG_TERM)

    assert shown["flags"] == EPHEMERAL
    head, error = shown["content"].split("\n")
    assert head == (
        f"Saved `{ZANZIBAR_KEY}` to its file, but the reload failed, so I am still serving the previous knowledge "
        "(fix the folder, then /reload):"
    )
    assert error.startswith(f"`{knowledge_dir / 'notes.qa.yaml'}:2: not valid YAML: ")
    assert files(knowledge_dir)[ESSAY_QA].startswith(before)
    assert study.bot.tenancy.shared.retriever is serving

    (knowledge_dir / "notes.qa.yaml").write_text("# fixed\n", encoding="utf-8")
    _, report = await study.reload(**ADMIN)
    assert f"Added: `{ZANZIBAR_KEY}`" in report["content"].split("\n")
    assert embed_of((await study.ask(ZANZIBAR))["data"])["description"] == ZANZIBAR_ANSWER


async def test_teach_submitted_too_late_is_one_warning_and_saves_nothing(
    studybot: StartStudyBot, knowledge_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    before = files(knowledge_dir)
    modal_id, inputs = modal_of(await open_teach(study, **ADMIN))
    values = dict(zip(inputs, (ZANZIBAR, ZANZIBAR_ANSWER, LONG_TERM), strict=True))
    interaction = study.fake.make_modal_submit(modal_id, values, **ADMIN)

    await assert_too_late_is_one_warning(study, interaction, caplog, "teach")

    assert files(knowledge_dir) == before


# ----------------------------------------------------------------- the /reload report


async def test_reload_reports_pairs_that_compete_for_a_question(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    with (knowledge_dir / ESSAY_QA).open("a", encoding="utf-8") as qa:
        qa.write(RIVAL)

    _, shown = await study.reload(**ADMIN)

    assert shown["content"].split("\n") == [
        "Reloaded: 46 Q&A pairs over 21 sentences.",
        "Changes: pairs: 1 added, 0 removed, 0 changed.",
        f"Added: `{ESSAY}/rival-only-goal`",
        "⚠️ 3 curated questions do not bring back their own pair:",
        f"• “{ANSWERABLE}” (`{ESSAY}/soft-power-only-goal`) → `{ESSAY}/rival-only-goal`",
        f"• “main goal of soft power” (`{ESSAY}/soft-power-only-goal`) → `{ESSAY}/rival-only-goal`",
        f"• “{ANSWERABLE}” (`{ESSAY}/rival-only-goal`) → `{ESSAY}/soft-power-only-goal`",
        "⚠️ 1 quote opens pointing back at a sentence it leaves out (start it there, so students see what it refers "
        "to):",
        f"• `{ESSAY}/rival-only-goal` “It also has a very good effect on citiz…” → ¶4 sentence 2",
    ]


async def test_reload_reports_how_many_logged_questions_change_their_answer(
    studybot: StartStudyBot, knowledge_dir: Path
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    await ask_not_covered(study, [("alice", ZANZIBAR), ("bob", "Who invented the telephone?"), ("bob", ZANZIBAR)])
    with (knowledge_dir / ESSAY_QA).open("a", encoding="utf-8") as qa:
        qa.write(ZANZIBAR_PAIR + RIVAL)

    _, shown = await study.reload(**ADMIN)

    lines = shown["content"].split("\n")
    assert lines[:3] == [
        "Reloaded: 47 Q&A pairs over 21 sentences.",
        "Changes: pairs: 2 added, 0 removed, 0 changed.",
        f"Added: `{ESSAY}/rival-only-goal`, `{ESSAY}/zanzibar-doctrine`",
    ]
    assert lines[3] == "Of the 2 questions logged lately, 1 would now be answered differently."  # distinct texts
    assert lines[4] == "⚠️ 3 curated questions do not bring back their own pair:"
    assert lines[8] == (
        "⚠️ 2 quotes open pointing back at a sentence they leave out (start each there, so students see what it "
        "refers to):"
    )
    # A reload only reports: the questions stay on the list until /teach closes them.
    assert embed_of(await unanswered(study, **ADMIN))["footer"]["text"].startswith("3 open questions")


async def test_unanswered_in_a_direct_message_is_refused(studybot: StartStudyBot, fake_discord: FakeDiscord) -> None:
    study = await studybot()
    dm = p.dm_channel(fake_discord.world.new_id(), fake_discord.users["alice"])
    fake_discord.world.channels[dm["id"]] = dm

    body = await fake_discord.wait_for_callback(await command(study, "unanswered", channel_id=dm["id"]))

    assert_private_text(body["data"], ADMINS_ONLY)
