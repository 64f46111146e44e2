"""bot/cogs/quiz.py through the real discord.py client and the fake Discord: ``/quiz`` posts a question with an
"Answer" button, the button opens a modal, the submitted answer is graded (typos forgiven) and the grade, the right
answer, its citation and the student's streak come back privately; the button keeps working after a restart."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from fake_discord import JSON, FakeDiscord
from fake_discord import payloads as p
from studybot_harness import (
    ANSWER_QUOTE,
    ANSWER_SOURCE,
    ANSWER_TEXT,
    ANSWERABLE,
    EPHEMERAL,
    ESSAY_QA,
    MODAL,
    StartStudyBot,
    StudyDiscord,
    assert_too_late_is_one_warning,
    copy_knowledge,
    embed_length,
    embed_of,
    fields_of,
    modal_of,
    submit_modal,
)

from bot.render import CUSTOM_ID_CHARS

pytestmark = pytest.mark.asyncio

ESSAY = "soft-power-essay"
ONLY_GOAL = f"{ESSAY}/soft-power-only-goal"
QUIZ_ID = f"sb:quiz:{ONLY_GOAL}"
GOAL_QUOTE = "In fact, the only goal of soft power is the achievement of the desired economic and political results."
ONLY_GOAL_QA = f"""\
# One curated pair, so that /quiz source:{ESSAY} always asks it.
- id: soft-power-only-goal
  question: {ANSWERABLE}
  alternates: []
  answer: {ANSWER_TEXT}
  quote: {GOAL_QUOTE}
"""
GLOSSARY = "glossary"
GLOSSARY_TXT = """\
Diplomacy is the practice of managing relations between states through negotiation.

A treaty is a written agreement between states. It binds the states that ratify it.
"""
GLOSSARY_QA = """\
- id: what-is-diplomacy
  question: What is diplomacy?
  alternates: []
  answer: Managing relations between states through negotiation.
  quote: Diplomacy is the practice of managing relations between states through negotiation.
- id: what-is-a-treaty
  question: What is a treaty?
  alternates: []
  answer: A written agreement between states.
  quote: A treaty is a written agreement between states.
"""
GLOSSARY_IDS = {f"sb:quiz:{GLOSSARY}/what-is-diplomacy", f"sb:quiz:{GLOSSARY}/what-is-a-treaty"}

TYPO_ANSWER = "the achievment of desird ecnomic and politcal results"
"""Right, with four of its five key words misspelt."""
WRONG_ANSWER = "pizza is tasty"
RIGHT_TITLE = "✅ Right (96%)"
WRONG_TITLE = "❌ Not quite (0%)"
PASSAGE_ID = f"sb:passage:{ESSAY}:4:2"


@pytest.fixture
def quiz_dir(tmp_path: Path) -> Path:
    """A knowledge folder with the essay (one curated pair) and a small glossary text (two pairs)."""
    folder = tmp_path / "quiz-knowledge"
    folder.mkdir()
    (folder / f"{ESSAY}.txt").write_bytes((copy_knowledge(tmp_path / "copy") / f"{ESSAY}.txt").read_bytes())
    (folder / ESSAY_QA).write_text(ONLY_GOAL_QA, encoding="utf-8")
    (folder / f"{GLOSSARY}.txt").write_text(GLOSSARY_TXT, encoding="utf-8")
    (folder / f"{GLOSSARY}.qa.yaml").write_text(GLOSSARY_QA, encoding="utf-8")
    return folder


async def quiz(study: StudyDiscord, source: str | None = None, *, user: str = "alice") -> tuple[JSON, JSON]:
    """``/quiz [source:]``: the callback body and the message it posted, as the fake stored it."""
    interaction = study.fake.make_slash_interaction("quiz", {"source": source} if source else None, user=user)
    record = await study.fake.send_interaction(interaction)
    body = await study.fake.wait_for_callback(interaction)
    message = study.original(record) if record.original_id else {}
    return body, message


async def press(fake: FakeDiscord, message: JSON, custom_id: str, *, user: str = "alice") -> JSON:
    """Press a button of a message the bot posted; returns the bot's callback body."""
    interaction = fake.make_component(custom_id, message_id=message["id"], channel_id=message["channel_id"], user=user)
    await fake.send_interaction(interaction)
    return await fake.wait_for_callback(interaction)


async def answer(fake: FakeDiscord, message: JSON, text: str, *, user: str = "alice") -> JSON:
    """Press "Answer" on a quiz question, type ``text`` into the modal and submit it; returns the reply's data."""
    [custom_id] = [c["custom_id"] for row in message["components"] for c in row["components"]]
    opened = await press(fake, message, custom_id, user=user)
    submitted = await submit_modal(fake, opened, text, user=user)
    reply = await fake.wait_for_callback(submitted)
    assert reply["type"] == 4, reply
    return dict(reply["data"])


def streak_rows(database: Path) -> list[tuple[str, int, int, int, int]]:
    with closing(sqlite3.connect(database)) as conn:
        return conn.execute("SELECT user, current, best, answered, right FROM streaks ORDER BY answered").fetchall()


# ----------------------------------------------------------------- the question and its button


async def test_quiz_posts_the_question_with_an_answer_button(studybot: StartStudyBot, quiz_dir: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)

    body, message = await quiz(study, ESSAY)

    assert body["type"] == 4
    data = body["data"]
    assert not (data.get("flags") or 0) & EPHEMERAL  # the question is for the channel, the grade is private
    embed = embed_of(data)
    assert embed["title"] == "Quiz"
    assert embed["description"] == f"**{ANSWERABLE}**"
    assert embed["footer"]["text"] == f"From {ESSAY}.txt · press Answer and reply in your own words"
    assert ANSWER_TEXT not in str(data)  # the answer is not given away
    [row] = data["components"]
    [button] = row["components"]
    assert button["type"] == 2
    assert button["label"] == "Answer"
    assert button["custom_id"] == QUIZ_ID
    assert len(button["custom_id"]) <= CUSTOM_ID_CHARS
    assert message["components"] == data["components"]


async def test_pressing_answer_opens_a_modal_with_one_text_input(studybot: StartStudyBot, quiz_dir: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)

    opened = await press(study.fake, message, QUIZ_ID, user="bob")  # anyone in the channel can have a go

    assert opened["type"] == MODAL
    assert opened["data"]["title"] == "Your answer"
    modal_id, inputs = modal_of(opened)
    assert modal_id
    assert len(inputs) == 1
    [[text_input]] = [row["components"] for row in opened["data"]["components"]]
    assert text_input["label"] == "Answer in your own words"
    assert text_input["placeholder"] == ANSWERABLE
    assert text_input["style"] == 2
    assert text_input["required"] is True


# ----------------------------------------------------------------- grading


async def test_a_correct_answer_with_typos_is_graded_right(studybot: StartStudyBot, quiz_dir: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)

    reply = await answer(study.fake, message, TYPO_ANSWER)

    assert reply["flags"] == EPHEMERAL
    assert reply["allowed_mentions"] == {"parse": []}
    embed = embed_of(reply)
    assert embed["title"] == RIGHT_TITLE
    assert embed["description"] == ANSWER_TEXT
    assert fields_of(embed) == {"Question": ANSWERABLE, "Source": ANSWER_SOURCE, "Quote": ANSWER_QUOTE}
    assert embed["footer"]["text"] == "Streak 1 (best 1) · 1/1 right so far"
    assert embed_length(embed) <= 6000
    assert [c["custom_id"] for row in reply["components"] for c in row["components"]] == [PASSAGE_ID]


async def test_an_unrelated_answer_is_graded_wrong_with_the_right_answer(
    studybot: StartStudyBot, quiz_dir: Path
) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)

    reply = await answer(study.fake, message, WRONG_ANSWER)

    assert reply["flags"] == EPHEMERAL
    embed = embed_of(reply)
    assert embed["title"] == WRONG_TITLE
    assert embed["description"] == ANSWER_TEXT
    assert fields_of(embed) == {
        "Question": ANSWERABLE,
        "Key words you missed": "desired, results, economic, achievement, political",
        "Source": ANSWER_SOURCE,
        "Quote": ANSWER_QUOTE,
    }
    assert embed["footer"]["text"] == "Streak 0 (best 0) · 0/1 right so far"


async def test_repeating_the_question_back_earns_nothing(studybot: StartStudyBot, quiz_dir: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)

    reply = await answer(study.fake, message, "the only goal of soft power")

    assert embed_of(reply)["title"] == WRONG_TITLE


async def test_half_the_key_words_is_partly_right(studybot: StartStudyBot, quiz_dir: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)

    reply = await answer(study.fake, message, "desired economic things")

    embed = embed_of(reply)
    assert embed["title"] == "🟡 Partly right (47%)"
    assert fields_of(embed)["Key words you missed"] == "results, achievement, political"
    assert embed["footer"]["text"] == "Streak 0 (best 0) · 0/1 right so far"  # partly right ends a streak


async def test_streaks_are_kept_per_user_in_the_database(
    studybot: StartStudyBot, quiz_dir: Path, tmp_path: Path
) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)

    footers = [
        embed_of(await answer(study.fake, message, text))["footer"]["text"]
        for text in (
            TYPO_ANSWER,
            ANSWER_TEXT,
            WRONG_ANSWER,
        )
    ]
    bob = embed_of(await answer(study.fake, message, ANSWER_TEXT, user="bob"))["footer"]["text"]
    again = embed_of(await answer(study.fake, message, ANSWER_TEXT))["footer"]["text"]

    assert footers == [
        "Streak 1 (best 1) · 1/1 right so far",
        "Streak 2 (best 2) · 2/2 right so far",
        "Streak 0 (best 2) · 2/3 right so far",
    ]
    assert bob == "Streak 1 (best 1) · 1/1 right so far"
    assert again == "Streak 1 (best 2) · 3/4 right so far"
    rows = streak_rows(tmp_path / "studybot.sqlite3")
    assert [row[1:] for row in rows] == [(1, 1, 1, 1), (1, 2, 4, 3)]
    ids = {study.fake.users[name]["id"] for name in ("alice", "bob")}
    assert all(len(row[0]) == 64 and row[0] not in ids for row in rows)  # hashed, never the Discord id


async def test_concurrent_answers_all_count(studybot: StartStudyBot, quiz_dir: Path, tmp_path: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)
    opened = [await press(study.fake, message, QUIZ_ID) for _ in range(8)]

    submitted = await asyncio.gather(*(submit_modal(study.fake, modal, ANSWER_TEXT) for modal in opened))
    replies = await asyncio.gather(*(study.fake.wait_for_callback(interaction) for interaction in submitted))

    assert sorted(embed_of(r["data"])["footer"]["text"] for r in replies) == sorted(
        f"Streak {n} (best {n}) · {n}/{n} right so far" for n in range(1, 9)
    )
    assert [row[1:] for row in streak_rows(tmp_path / "studybot.sqlite3")] == [(8, 8, 8, 8)]


# ----------------------------------------------------------------- choosing questions


async def test_quiz_source_restricts_the_questions(studybot: StartStudyBot, quiz_dir: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)

    glossary = [await quiz(study, GLOSSARY) for _ in range(12)]
    essay = [await quiz(study, ESSAY) for _ in range(3)]
    anything = [await quiz(study) for _ in range(12)]

    def quiz_id(body: JSON) -> str:
        return str(body["data"]["components"][0]["components"][0]["custom_id"])

    assert {quiz_id(body) for body, _ in glossary} <= GLOSSARY_IDS
    assert {quiz_id(body) for body, _ in essay} == {QUIZ_ID}
    assert {quiz_id(body) for body, _ in anything} <= GLOSSARY_IDS | {QUIZ_ID}
    assert {embed_of(body["data"])["footer"]["text"] for body, _ in glossary} == {
        f"From {GLOSSARY}.txt · press Answer and reply in your own words"
    }


async def test_quiz_source_autocomplete_offers_the_texts(studybot: StartStudyBot, quiz_dir: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    interaction = study.fake.make_autocomplete("quiz", {"source": "GLO"})

    await study.fake.send_interaction(interaction)
    body = await study.fake.wait_for_callback(interaction)

    assert body == {"type": 8, "data": {"choices": [{"name": GLOSSARY, "value": GLOSSARY}]}}


async def test_quiz_about_an_unknown_source_says_so_privately(studybot: StartStudyBot, quiz_dir: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)

    body, _ = await quiz(study, "no-such-text")

    assert body["data"]["flags"] == EPHEMERAL
    assert body["data"]["content"] == "I have no curated questions about 'no-such-text'."
    assert "components" not in body["data"] or not body["data"]["components"]


async def test_quiz_with_no_curated_pairs_says_so(studybot: StartStudyBot, quiz_dir: Path) -> None:
    for name in (ESSAY_QA, f"{GLOSSARY}.qa.yaml"):
        (quiz_dir / name).unlink()
    study = await studybot(knowledge_dir=quiz_dir)

    body, _ = await quiz(study)

    assert body["data"]["flags"] == EPHEMERAL
    assert body["data"]["content"] == "I have no curated questions yet."


async def test_a_text_named_with_spaces_and_accents_is_quizzed(studybot: StartStudyBot, quiz_dir: Path) -> None:
    name = "Week 1 – Économie notes"
    (quiz_dir / f"{name}.txt").write_text(GLOSSARY_TXT, encoding="utf-8")
    (quiz_dir / f"{name}.qa.yaml").write_text(GLOSSARY_QA, encoding="utf-8")
    study = await studybot(knowledge_dir=quiz_dir)

    body, message = await quiz(study, name)
    [[button]] = [row["components"] for row in body["data"]["components"]]
    reply = await answer(study.fake, message, "written agreement between states; managing relations by negotiation")

    assert button["custom_id"] in {custom_id.replace(GLOSSARY, name) for custom_id in GLOSSARY_IDS}
    embed = embed_of(reply)
    assert embed["title"].startswith("✅ Right")
    assert fields_of(embed)["Source"].startswith(f"{name}.txt · ¶")
    [[passage]] = [row["components"] for row in reply["components"]]
    assert passage["custom_id"].startswith(f"sb:passage:{name}:")


async def test_quiz_never_offers_a_button_whose_custom_id_cannot_work(studybot: StartStudyBot, quiz_dir: Path) -> None:
    """A text whose name has a ":" (the template's separator), or is too long for a 100-character custom_id, is not
    quizzed: discord.py refuses to build a button outside its template, and would never dispatch an over-long one."""
    odd, long = "week:1", "a" * 64
    for name in (odd, long):
        (quiz_dir / f"{name}.txt").write_text(GLOSSARY_TXT, encoding="utf-8")
        (quiz_dir / f"{name}.qa.yaml").write_text(GLOSSARY_QA.replace("what-is-", "x" * 40), encoding="utf-8")
    (quiz_dir / ESSAY_QA).unlink()
    (quiz_dir / f"{GLOSSARY}.qa.yaml").unlink()
    study = await studybot(knowledge_dir=quiz_dir)
    assert len(study.bot.tenancy.shared.retriever.knowledge.pairs) == 4

    refused = [await quiz(study, name) for name in (odd, long)]
    anything = await quiz(study)

    assert [body["data"]["content"] for body, _ in [*refused, anything]] == [
        *(f"I have no curated questions about {name!r}." for name in (odd, long)),
        "I have no curated questions yet.",
    ]
    assert {body["data"]["flags"] for body, _ in [*refused, anything]} == {EPHEMERAL}


# ----------------------------------------------------------------- restarts and reloads


async def test_the_answer_button_works_after_a_restart(studybot: StartStudyBot, quiz_dir: Path) -> None:
    first = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(first, ESSAY)
    assert embed_of(await answer(first.fake, message, ANSWER_TEXT))["footer"]["text"].startswith("Streak 1 ")
    await first.bot.close()

    second = await studybot(knowledge_dir=quiz_dir)  # a new StudyBot on the same database
    assert second.bot is not first.bot
    opened = await press(second.fake, message, QUIZ_ID)
    assert opened["type"] == MODAL
    submitted = await submit_modal(second.fake, opened, TYPO_ANSWER)
    reply = (await second.fake.wait_for_callback(submitted))["data"]

    assert embed_of(reply)["title"] == RIGHT_TITLE
    assert embed_of(reply)["footer"]["text"] == "Streak 2 (best 2) · 2/2 right so far"


async def test_a_form_opened_before_a_restart_is_graded_after_it(studybot: StartStudyBot, quiz_dir: Path) -> None:
    first = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(first, ESSAY)
    opened = await press(first.fake, message, QUIZ_ID)
    assert opened["type"] == MODAL
    await first.bot.close()

    second = await studybot(knowledge_dir=quiz_dir)  # the student was still typing while the bot restarted
    submitted = await submit_modal(second.fake, opened, TYPO_ANSWER)
    reply = (await second.fake.wait_for_callback(submitted))["data"]

    assert embed_of(reply)["title"] == RIGHT_TITLE
    assert reply["flags"] == EPHEMERAL


async def test_a_question_removed_by_a_reload_is_explained(studybot: StartStudyBot, quiz_dir: Path) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)
    (quiz_dir / ESSAY_QA).write_text("# emptied by the curators\n", encoding="utf-8")
    await study.reload(member_roles=["admin"])

    body = await press(study.fake, message, QUIZ_ID)

    assert body["type"] == 4
    assert body["data"]["flags"] == EPHEMERAL
    assert body["data"]["content"] == "That question is no longer in the knowledge; try /quiz again."


async def test_quiz_in_a_direct_message_works(
    studybot: StartStudyBot, quiz_dir: Path, fake_discord: FakeDiscord
) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    dm = p.dm_channel(fake_discord.world.new_id(), fake_discord.users["alice"])
    fake_discord.world.channels[dm["id"]] = dm
    interaction = fake_discord.make_slash_interaction("quiz", {"source": ESSAY}, channel_id=dm["id"])
    record = await fake_discord.send_interaction(interaction)
    await fake_discord.wait_for_callback(interaction)
    message = study.original(record)

    reply = await answer(fake_discord, message, TYPO_ANSWER)

    assert embed_of(reply)["title"] == RIGHT_TITLE


# ----------------------------------------------------------------- answered too late


async def test_an_answer_button_pressed_too_late_is_one_warning_and_nothing_sent(
    studybot: StartStudyBot, quiz_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)
    interaction = study.fake.make_component(QUIZ_ID, message_id=message["id"], channel_id=message["channel_id"])

    await assert_too_late_is_one_warning(study, interaction, caplog, "the AnswerQuiz button")


async def test_an_answer_form_submitted_too_late_is_one_warning_and_nothing_sent(
    studybot: StartStudyBot, quiz_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    study = await studybot(knowledge_dir=quiz_dir)
    _, message = await quiz(study, ESSAY)
    modal_id, [text_input] = modal_of(await press(study.fake, message, QUIZ_ID))
    interaction = study.fake.make_modal_submit(modal_id, {text_input: TYPO_ANSWER})

    await assert_too_late_is_one_warning(study, interaction, caplog, "grading a quiz answer")
