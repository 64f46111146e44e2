"""bot/views.py through the real client and the fake Discord: the persistent buttons under every answer (show the
passage, did you mean, 👍/👎, 🗑), pressed as component interactions on the messages the bot really posted, by the
bot that posted them, by a new bot on the same database after a restart, and after a /reload."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_discord import JSON, FakeDiscord
from studybot_harness import (
    ANSWER_QUOTE,
    ANSWERABLE,
    CALLBACK,
    DEFERRED_UPDATE,
    EPHEMERAL,
    MANAGE_GUILD,
    MESSAGES,
    NEAR,
    NEAR_QUOTE,
    NEAR_SUGGESTIONS,
    NOT_COVERED,
    NOT_COVERED_SUGGESTIONS,
    SECOND_TEXT,
    SECOND_TEXT_BODY,
    SECOND_TEXT_NOT_COVERED,
    SECOND_TEXT_QA,
    SECOND_TEXT_QUESTION,
    UNCERTAIN,
    UNCERTAIN_CONFIDENCE,
    StartStudyBot,
    StudyDiscord,
    add_second_text,
    age_interaction,
    assert_answered,
    assert_components_fit,
    assert_too_late_is_one_warning,
    buttons_of,
    changed,
    custom_id_starting,
    custom_ids,
    embed_length,
    embed_of,
    fields_of,
    press,
)

from bot.render import EMBED_DESCRIPTION_CHARS, EMBED_TOTAL_CHARS, clip
from bot.store import LoggedQuestion

pytestmark = pytest.mark.asyncio

GONE_PASSAGE = "That passage is no longer in the knowledge (it was changed since)."
GONE_QUESTION = "That question is no longer in the knowledge (it was changed since)."
NOT_YOURS = "Only the person who asked (or an admin) can delete this answer."
THANKS_UP = "Thanks, noted."
THANKS_DOWN = "Thanks: the curators will see this question."
ANSWER_PAIR = "soft-power-essay/soft-power-only-goal"
PASSAGE = "sb:passage:"
VOTE_UP = "sb:vote:up:"
VOTE_DOWN = "sb:vote:down:"
DELETE = "sb:delete:"
ASK = "sb:ask:"


@dataclass(frozen=True)
class Buttons:
    """The buttons the bot puts under one answer today, as literals (see ``changed``)."""

    passage: str | None = None
    """``source:paragraph:sentences`` of the cited passage (or, not covered, of the nearest one); None if none."""
    cited: str | None = None
    """What the votes carry: the key of the pair that answered, or the locator of the cited sentence; None when the
    question is not covered (nothing to vote on)."""
    choices: tuple[tuple[str, str], ...] = ()
    """The curated questions offered instead ("did you mean"), as (pair key, question), in the bot's order."""


UNCERTAIN_SUGGESTIONS = (
    ("soft-power-essay/what-makes-japan-attractive", "What makes Japan attractive?"),
    ("soft-power-essay/japan-innovation-leader", "What status does Japan have in innovation?"),
    ("soft-power-essay/japan-as-soft-power-example", "Which country does the essay use as an example of soft power?"),
    ("soft-power-essay/japan-image-through-culture", "What kind of image of Japan does its culture help build?"),
    (
        "soft-power-essay/factors-in-japan-foreign-relations",
        "What things affect the political and diplomatic situation in relations between Japan and other countries?",
    ),
)
"""What the bot offers besides its answer to :data:`UNCERTAIN`."""
BUTTONS = {
    ANSWERABLE: Buttons("soft-power-essay:4:2", ANSWER_PAIR),
    UNCERTAIN: Buttons("soft-power-essay:2:2", "soft-power-essay/japan-soft-power-approach", UNCERTAIN_SUGGESTIONS),
    NOT_COVERED: Buttons(choices=NOT_COVERED_SUGGESTIONS),
    NEAR: Buttons("soft-power-essay:4:2,3,4", choices=NEAR_SUGGESTIONS),
    "What is soft power?": Buttons("soft-power-essay:1:2", "soft-power-essay/what-is-soft-power"),
}
"""The buttons under the answers to questions about the bundled essay."""


# ----------------------------------------------------------------- helpers


async def ask_message(study: StudyDiscord, question: str, **kw: Any) -> JSON:
    """``/ask question`` (by alice unless ``user=``); the public message the bot posted, as the fake stored it."""
    record, body = await study.ask_record(question, **kw)
    assert body["type"] == 4, body
    assert not (body["data"].get("flags") or 0) & EPHEMERAL
    return study.original(record)


async def mention_message(study: StudyDiscord, question: str, channel: str = "study") -> JSON:
    """``@studybot question`` in ``channel``; the bot's reply, as the fake stored it."""
    reply = await study.reply_to(await study.mention(question, channel))
    return dict(study.fake.world.messages[reply.response["id"]])


def user_id(fake: FakeDiscord, who: str) -> int:
    return int(fake.users[who]["id"])


def deleted(fake: FakeDiscord, message: JSON, since: int = 0) -> bool:
    """Whether the bot deleted ``message`` (with the bot's token, as ``Message.delete()`` does)."""
    path = rf"/channels/{message['channel_id']}/messages/{message['id']}"
    return bool(fake.requests_to("DELETE", path, status=204, since=since)) and message["id"] not in fake.world.messages


def assert_private(body: JSON, content: str | None = None) -> JSON:
    """An ephemeral message callback; returns its data."""
    assert body["type"] == 4, body
    data = dict(body["data"])
    assert data["flags"] == EPHEMERAL, data
    if content is not None:
        assert data["content"] == content
    return data


def assert_buttons(message: JSON, expected: Buttons, asker: int) -> None:
    """The buttons under an answer: passage, 👍, 👎 and 🗑 (not covered: the nearest passage's, if any, and 🗑), then
    one "did you mean" button per offered question."""
    assert_components_fit(message)
    rows = message["components"]
    votes = [f"{VOTE_UP}{expected.cited}", f"{VOTE_DOWN}{expected.cited}"] if expected.cited is not None else []
    passage = [f"{PASSAGE}{expected.passage}"] if expected.passage is not None else []
    actions = [*passage, *votes, f"{DELETE}{asker}"]
    assert [c["custom_id"] for c in rows[0]["components"]] == actions, changed("what the answer cites")
    emoji = [c["emoji"]["name"] for c in rows[0]["components"]]
    assert emoji == ["📖"] * len(passage) + ["👍", "👎"] * bool(votes) + ["🗑️"]
    if passage:
        assert rows[0]["components"][0]["label"] == "Show the passage"
    offered = [(c["custom_id"], c["label"]) for row in rows[1:] for c in row["components"]]
    assert offered == [(f"{ASK}{key}", clip(question, 80)) for key, question in expected.choices], changed(
        'the questions offered as "did you mean"'
    )
    assert len(rows) == (2 if expected.choices else 1)


async def open_questions(study: StudyDiscord) -> list[LoggedQuestion]:
    assert study.bot.storage is not None
    return await study.bot.storage.open_questions()


# ----------------------------------------------------------------- the buttons offered


@pytest.mark.parametrize("question", list(BUTTONS))
async def test_every_ask_answer_carries_its_buttons(studybot: StartStudyBot, question: str) -> None:
    study = await studybot()

    message = await ask_message(study, question)

    assert_buttons(message, BUTTONS[question], user_id(study.fake, "alice"))


@pytest.mark.parametrize("question", [ANSWERABLE, UNCERTAIN, NOT_COVERED, NEAR])
async def test_every_mention_answer_carries_its_buttons(studybot: StartStudyBot, question: str) -> None:
    study = await studybot()

    message = await mention_message(study, question)

    assert_buttons(message, BUTTONS[question], user_id(study.fake, "alice"))


async def test_uncertain_and_not_covered_answers_offer_five_choices(studybot: StartStudyBot) -> None:
    study = await studybot()

    answered = await ask_message(study, UNCERTAIN)
    not_covered_buttons = buttons_of(await ask_message(study, NOT_COVERED))

    embed = embed_of(answered)
    assert embed["footer"]["text"] == UNCERTAIN_CONFIDENCE, changed(f"the confidence of the answer to {UNCERTAIN!r}")
    offered = "\n".join(f"• {question}" for _, question in UNCERTAIN_SUGGESTIONS)
    assert fields_of(embed)["Not quite? Did you mean"] == offered, changed(f"what is offered besides {UNCERTAIN!r}")
    assert [b["custom_id"].startswith(ASK) for b in buttons_of(answered)] == [False] * 4 + [True] * 5
    assert [b["custom_id"].startswith(ASK) for b in not_covered_buttons] == [False] + [True] * 5


LONG_SOURCE = "Plant biology notes"
LONG_ID = "how-do-the-pigments-in-a-leaf-decide-which-colours-of-light-it-k"
LONG_QUESTION = (
    "Which colours of sunlight does the green pigment chlorophyll absorb, and which colour does it reflect back to us?"
)
LONG_PAIR = f"""- id: {LONG_ID}
  question: {LONG_QUESTION}
  alternates:
    - chlorophyll absorbs which colours
  answer: Red and blue light are absorbed; green light is reflected.
  quote: Chlorophyll absorbs red and blue light and reflects green light
"""
LONG_KEY = f"{LONG_SOURCE}/{LONG_ID}"
LONG_NAMES_BUTTONS = {
    "chlorophyll colours": Buttons(f"{LONG_SOURCE}:1:3", LONG_KEY),
    SECOND_TEXT_NOT_COVERED: Buttons(
        choices=(
            (f"{LONG_SOURCE}/why-leaves-are-green", "Why do leaves look green?"),
            (LONG_KEY, LONG_QUESTION),
            (f"{LONG_SOURCE}/photosynthesis-definition", "What is photosynthesis?"),
        )
    ),
}
"""Answered by the long pair, or offering it: its key in the custom_ids, its question clipped to a label."""


@pytest.fixture
def long_names(tmp_path: Path) -> Path:
    """A text whose name has capitals and spaces, with a pair whose id is the longest allowed (64 characters) and
    whose question is longer than a button label: custom_ids and labels near Discord's limits."""
    folder = tmp_path / "long-names"
    folder.mkdir()
    (folder / f"{LONG_SOURCE}.txt").write_text(SECOND_TEXT_BODY, encoding="utf-8")
    (folder / f"{LONG_SOURCE}.qa.yaml").write_text(SECOND_TEXT_QA + LONG_PAIR, encoding="utf-8")
    return folder


@pytest.mark.parametrize("question", list(LONG_NAMES_BUTTONS))
async def test_every_button_offered_fits_and_works(studybot: StartStudyBot, long_names: Path, question: str) -> None:
    study = await studybot(knowledge_dir=long_names)

    message = await ask_message(study, question)

    assert_buttons(message, LONG_NAMES_BUTTONS[question], user_id(study.fake, "alice"))
    assert max(len(custom_id) for custom_id in custom_ids(message)) > 90
    for custom_id in custom_ids(message):  # each one answered by the bot: none is offered that cannot be handled
        _, body = await press(study.fake, message, custom_id, user="bob", timeout=1.0)
        assert body["type"] == 4, body  # bob did not ask: 🗑 is refused to him, politely
        if custom_id.startswith(DELETE):
            assert_private(body, NOT_YOURS)


@pytest.mark.parametrize(
    "name", ["Lecture 3: plants", "a-text-whose-file-name-is-far-too-long-to-be-carried-by-a-custom-id"]
)
async def test_a_text_whose_name_a_button_cannot_carry_is_still_answered(
    studybot: StartStudyBot, tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "odd-name"
    folder.mkdir()
    (folder / f"{name}.txt").write_text(SECOND_TEXT_BODY, encoding="utf-8")
    (folder / f"{name}.qa.yaml").write_text(SECOND_TEXT_QA, encoding="utf-8")
    study = await studybot(knowledge_dir=folder)

    message = await ask_message(study, SECOND_TEXT_QUESTION)

    assert embed_of(message)["description"] == "Chlorophyll absorbs red and blue light and reflects green light."
    assert_components_fit(message)
    assert f"{DELETE}{user_id(study.fake, 'alice')}" in custom_ids(message)
    for custom_id in custom_ids(message):  # what is offered works; what could not be read back is not offered
        _, body = await press(study.fake, message, custom_id, user="bob", timeout=1.0)
        assert body["type"] == 4, body


TWO_QUESTIONS = "What problem does the essay study? Also, whom do Japan's exchanges attract?"


async def test_two_questions_get_a_numbered_answer_and_a_passage_button_each(studybot: StartStudyBot) -> None:
    """Both curated questions, each answered under its number; a passage button for each and no votes (one vote
    on two answers says nothing about either)."""
    study = await studybot()
    message = await ask_message(study, TWO_QUESTIONS)

    embed = embed_of(message)
    assert embed["title"] == f"Q: {TWO_QUESTIONS}"
    assert [f["name"] for f in embed["fields"]] == [
        "1. What problem does the essay study?",
        "Source",
        "Quote",
        "2. whom do Japan's exchanges attract?",
        "Source",
        "Quote",
    ]
    assert embed["footer"]["text"] == "Confidence 1. 99% (high) · 2. 99% (high)"
    assert_components_fit(message)
    actions = [(c["custom_id"], c.get("label")) for c in message["components"][0]["components"]]
    assert actions == [
        (f"{PASSAGE}soft-power-essay:1:1", "Show passage 1"),
        (f"{PASSAGE}soft-power-essay:3:4", "Show passage 2"),
        (f"{DELETE}{user_id(study.fake, 'alice')}", None),
    ], changed(f"what the answers to {TWO_QUESTIONS!r} cite")
    assert len(message["components"]) == 1  # no "did you mean"

    _, body = await press(study.fake, message, f"{PASSAGE}soft-power-essay:3:4", user="bob")

    assert embed_of(assert_private(body))["title"] == "soft-power-essay.txt · ¶3"


# ----------------------------------------------------------------- show the passage


@pytest.mark.parametrize(
    ("question", "quote"),
    [(ANSWERABLE, ANSWER_QUOTE), (NEAR, NEAR_QUOTE)],
    ids=["answer", "nearest passage of a not-covered answer"],
)
async def test_show_the_passage_privately_with_the_quote_in_bold(
    studybot: StartStudyBot, question: str, quote: str
) -> None:
    study = await studybot()
    message = await ask_message(study, question)
    essay = study.bot.tenancy.shared.retriever.knowledge.document("soft-power-essay")
    assert essay is not None
    paragraph = essay.paragraphs[3]  # ¶4 holds both: sentence 2 (lines 50–51) and sentences 2-4 (lines 50–54)
    cited = [s for s in paragraph.sentences if s.text in quote.removeprefix("> ")]

    _, body = await press(study.fake, message, custom_id_starting(message, PASSAGE), user="bob")

    data = assert_private(body)
    embed = embed_of(data)
    assert embed["title"] == "soft-power-essay.txt · ¶4"
    assert (
        embed["footer"]["text"]
        == f"Lines {paragraph.line_start}–{paragraph.line_end}; the cited sentences are in bold."
    )
    assert embed["description"] == " ".join(f"**{s.text}**" if s in cited else s.text for s in paragraph.sentences), (
        "the whole paragraph, only the cited sentences in bold"
    )
    assert embed["description"].count("**") == 2 * len(cited)
    assert data["allowed_mentions"] == {"parse": []}
    assert not custom_ids(data)


async def test_a_quote_over_two_sentences_shows_both_in_bold(studybot: StartStudyBot) -> None:
    study = await studybot()
    pair = next(p for p in study.bot.tenancy.shared.retriever.knowledge.pairs if len(p.citation.sentences) == 2)
    essay = study.bot.tenancy.shared.retriever.knowledge.document(pair.source)
    assert essay is not None
    paragraph = essay.paragraphs[pair.citation.paragraph - 1]
    message = await ask_message(study, pair.question)
    numbers = ",".join(str(n) for n in pair.citation.sentences)

    _, body = await press(study.fake, message, f"{PASSAGE}{pair.source}:{pair.citation.paragraph}:{numbers}")

    description = embed_of(assert_private(body))["description"]
    bold = re.findall(r"\*\*(.+?)\*\*", description)
    assert bold == [s.text for s in paragraph.sentences if s.number in pair.citation.sentences]
    assert len(bold) == 2


LONG_SENTENCES = [
    f"Sentence {i} of this long paragraph talks about the {word} and about nothing much else of any importance."
    for i, word in enumerate(
        ["aardvark", *(f"item {n}" for n in range(1, 46)), "quokka", *(f"item {n}" for n in range(47, 92)), "zebra"], 1
    )
]


@pytest.fixture
def long_paragraph(tmp_path: Path) -> Path:
    """One paragraph of ~10,000 characters, with curated pairs citing its first, middle and last sentence."""
    folder = tmp_path / "long-paragraph"
    folder.mkdir()
    (folder / "long.txt").write_text(" ".join(LONG_SENTENCES) + "\n", encoding="utf-8")
    pairs = [
        f"- id: {animal}\n  question: What about the {animal}?\n  alternates: []\n  answer: It is mentioned.\n"
        f"  quote: {next(s for s in LONG_SENTENCES if animal in s)}\n"
        for animal in ("aardvark", "quokka", "zebra")
    ]
    (folder / "long.qa.yaml").write_text("".join(pairs), encoding="utf-8")
    return folder


@pytest.mark.parametrize("animal", ["aardvark", "quokka", "zebra"])
async def test_passage_longer_than_an_embed_keeps_the_quote_in_view(
    studybot: StartStudyBot, long_paragraph: Path, animal: str
) -> None:
    study = await studybot(knowledge_dir=long_paragraph)
    assert len(" ".join(LONG_SENTENCES)) > EMBED_DESCRIPTION_CHARS + 2000
    cited = next(s for s in LONG_SENTENCES if animal in s)
    message = await ask_message(study, f"What about the {animal}?")

    _, body = await press(study.fake, message, custom_id_starting(message, PASSAGE))

    embed = embed_of(assert_private(body))
    description = embed["description"]
    assert len(description) <= EMBED_DESCRIPTION_CHARS
    assert embed_length(embed) <= EMBED_TOTAL_CHARS
    assert f"**{cited}**" in description
    assert description.count("**") == 2
    assert embed["footer"]["text"] == "Lines 1–1; the cited sentences are in bold."
    # An ellipsis marks only what was really left out, at either end.
    assert description.startswith("…") == (animal != "aardvark")
    assert description.endswith("…") == (animal != "zebra")
    if animal == "aardvark":
        assert description.startswith(f"**{cited}**")


async def test_passage_of_a_text_removed_by_a_reload_gets_a_polite_message(
    studybot: StartStudyBot, knowledge_dir: Path
) -> None:
    study = await studybot(knowledge_dir=add_second_text(knowledge_dir))
    answered = await ask_message(study, SECOND_TEXT_QUESTION)
    suggested = await ask_message(study, SECOND_TEXT_NOT_COVERED)
    choice = next(c for c in custom_ids(suggested) if c.startswith(f"{ASK}{SECOND_TEXT}/"))
    for suffix in (".txt", ".qa.yaml"):
        (knowledge_dir / f"{SECOND_TEXT}{suffix}").unlink()
    _, report = await study.reload(permissions=MANAGE_GUILD)
    assert report["content"].startswith("Reloaded:"), report

    _, passage = await press(study.fake, answered, custom_id_starting(answered, PASSAGE))
    _, asked = await press(study.fake, suggested, choice)
    _, vote = await press(study.fake, answered, custom_id_starting(answered, VOTE_UP))

    assert_private(passage, GONE_PASSAGE)
    assert_private(asked, GONE_QUESTION)
    assert_private(vote, THANKS_UP)  # a vote is about the answer that was given: it still counts


async def test_passage_of_a_paragraph_that_no_longer_exists_gets_a_polite_message(
    studybot: StartStudyBot, knowledge_dir: Path
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    message = await ask_message(study, ANSWERABLE)
    essay = knowledge_dir / "soft-power-essay.txt"
    paragraphs = essay.read_text(encoding="utf-8").split("\n\n")
    essay.write_text("\n\n".join(paragraphs[:2]), encoding="utf-8")  # ¶4 is gone; so are the pairs quoting it
    (knowledge_dir / "soft-power-essay.qa.yaml").write_text("[]\n", encoding="utf-8")
    _, report = await study.reload(permissions=MANAGE_GUILD)
    assert report["content"].startswith("Reloaded:"), report

    _, body = await press(study.fake, message, custom_id_starting(message, PASSAGE))

    assert_private(body, GONE_PASSAGE)


async def test_an_answer_sent_as_a_follow_up_carries_working_buttons(studybot: StartStudyBot) -> None:
    study = await studybot()
    interaction = age_interaction(study.fake, study.fake.make_slash_interaction("ask", {"question": ANSWERABLE}), 2.0)

    record = await study.fake.send_interaction(interaction)
    hook = rf"/webhooks/{study.fake.application_id}/{interaction['token']}"
    await study.fake.wait_for_request("POST", hook, status=200)
    assert record.response_type == 5  # deferred: the answer came as a follow-up
    [followup_id] = record.followup_ids
    message = dict(study.fake.world.messages[followup_id])
    assert_buttons(message, BUTTONS[ANSWERABLE], user_id(study.fake, "alice"))

    _, body = await press(study.fake, message, custom_id_starting(message, PASSAGE))

    assert "**In fact, the only goal of soft power" in embed_of(assert_private(body))["description"]


# ----------------------------------------------------------------- did you mean


@pytest.mark.parametrize(
    ("question", "pressed", "answer", "passage"),
    [
        (
            UNCERTAIN,
            UNCERTAIN_SUGGESTIONS[-1],
            "Innovation, culture, language and much more.",
            "soft-power-essay:2:3",
        ),
        (
            NOT_COVERED,
            NOT_COVERED_SUGGESTIONS[-1],
            "No. According to the essay, the only goal of soft power is achieving the desired economic and political "
            "results.",
            "soft-power-essay:4:2",
        ),
    ],
    ids=["uncertain", "not-covered"],
)
async def test_did_you_mean_posts_the_answer_to_that_question(
    studybot: StartStudyBot, question: str, pressed: tuple[str, str], answer: str, passage: str
) -> None:
    study = await studybot()
    message = await ask_message(study, question)
    key, asked = pressed  # the last question offered

    interaction, body = await press(study.fake, message, f"{ASK}{key}", user="bob")

    assert body["type"] == 4
    data = body["data"]
    assert not (data.get("flags") or 0) & EPHEMERAL, "posted for everyone in the channel"
    assert data["allowed_mentions"] == {"parse": []}
    embed = embed_of(data)
    assert embed["title"] == f"Q: {asked}"
    assert embed["description"] == answer, changed(f"the answer to {asked!r}")  # its curated answer
    posted = study.original(study.fake.interaction(interaction))
    assert posted["channel_id"] == message["channel_id"]
    assert_buttons(posted, Buttons(passage, key), user_id(study.fake, "bob"))  # its own buttons; bob asked this one


async def test_did_you_mean_answer_has_working_buttons(studybot: StartStudyBot) -> None:
    study = await studybot()
    message = await ask_message(study, NOT_COVERED)
    interaction, _ = await press(study.fake, message, f"{ASK}{ANSWER_PAIR}")
    posted = study.original(study.fake.interaction(interaction))
    assert_answered(embed_of(posted))

    _, passage = await press(study.fake, posted, custom_id_starting(posted, PASSAGE))
    _, vote = await press(study.fake, posted, custom_id_starting(posted, VOTE_DOWN))
    mark = study.fake.mark()
    _, delete = await press(study.fake, posted, custom_id_starting(posted, DELETE))

    assert "**In fact, the only goal of soft power" in embed_of(assert_private(passage))["description"]
    assert_private(vote, THANKS_DOWN)
    assert delete["type"] == DEFERRED_UPDATE
    await study.fake.wait_for_request("DELETE", rf"{MESSAGES}/{posted['id']}", status=204, since=mark)
    assert deleted(study.fake, posted, mark)


# ----------------------------------------------------------------- votes


async def test_votes_are_thanked_privately_and_a_down_vote_reaches_the_curators(studybot: StartStudyBot) -> None:
    study = await studybot()
    storage = study.bot.storage
    assert storage is not None
    message = await ask_message(study, ANSWERABLE)

    _, up = await press(study.fake, message, f"{VOTE_UP}{ANSWER_PAIR}")
    assert_private(up, THANKS_UP)
    assert await storage.counts() == {"open_questions": 0, "open_askers": 0, "feedback_up": 1, "feedback_down": 0}
    assert await open_questions(study) == []

    _, down = await press(study.fake, message, f"{VOTE_DOWN}{ANSWER_PAIR}")
    assert_private(down, THANKS_DOWN)

    # The second vote replaced the first, and the question is on the curators' list.
    assert await storage.counts() == {"open_questions": 1, "open_askers": 1, "feedback_up": 0, "feedback_down": 1}
    [logged] = await open_questions(study)
    assert (logged.question, logged.kind, logged.pair_key, logged.source) == (
        ANSWERABLE,
        "downvoted",
        ANSWER_PAIR,
        None,
    )


async def test_voting_again_replaces_the_vote(studybot: StartStudyBot) -> None:
    study = await studybot()
    storage = study.bot.storage
    assert storage is not None
    message = await ask_message(study, ANSWERABLE)

    for custom_id in (f"{VOTE_DOWN}{ANSWER_PAIR}", f"{VOTE_DOWN}{ANSWER_PAIR}", f"{VOTE_UP}{ANSWER_PAIR}"):
        await press(study.fake, message, custom_id)
    await press(study.fake, message, f"{VOTE_DOWN}{ANSWER_PAIR}", user="bob")

    counts = await storage.counts()
    assert (counts["feedback_up"], counts["feedback_down"]) == (1, 1)  # alice's last vote and bob's
    logged = await open_questions(study)
    assert [q.kind for q in logged] == ["downvoted"]  # once per voter; alice took hers back with a 👍
    assert {q.asker for q in logged} == {storage.user_hash(user_id(study.fake, "bob"))}


async def test_a_vote_on_a_sentence_answer_names_no_pair(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=add_second_text(knowledge_dir))
    message = await ask_message(study, "chlorophyll pigment")
    embed = embed_of(message)
    assert (embed["description"], fields_of(embed)["Source"], embed["footer"]["text"]) == (
        # "It takes place..." found, shown after the sentence it points back at
        "Photosynthesis is the process by which green plants turn light into chemical energy. "
        "It takes place mainly in the chloroplasts of leaf cells, which contain the pigment chlorophyll.",
        "photosynthesis.txt · ¶1 · sentences 1, 2 · lines 1–2",
        "Confidence 91% (high)",
    ), changed("the answer to 'chlorophyll pigment'")  # a bare sentence, answered by no curated pair

    _, body = await press(study.fake, message, f"{VOTE_DOWN}{SECOND_TEXT}#p1.s1,2")

    assert_private(body, THANKS_DOWN)
    [logged] = await open_questions(study)
    assert (logged.question, logged.kind, logged.pair_key) == ("chlorophyll pigment", "downvoted", None)


async def test_a_voter_is_stored_as_a_hash_never_as_the_user_id(studybot: StartStudyBot) -> None:
    study = await studybot()
    storage = study.bot.storage
    assert storage is not None
    alice = user_id(study.fake, "alice")
    message = await ask_message(study, ANSWERABLE)

    await press(study.fake, message, f"{VOTE_DOWN}{ANSWER_PAIR}")

    [logged] = await open_questions(study)
    assert logged.asker == storage.user_hash(alice)
    assert str(alice) not in logged.asker
    database = study.bot.settings.database_path
    files = [path for path in database.parent.glob(database.name + "*") if path.is_file()]
    assert files
    for path in files:  # the database and its WAL: not a trace of the id
        assert str(alice).encode() not in path.read_bytes(), path


# ----------------------------------------------------------------- delete


async def test_the_asker_can_delete_the_answer(studybot: StartStudyBot) -> None:
    study = await studybot()
    message = await ask_message(study, ANSWERABLE)
    mark = study.fake.mark()

    _, body = await press(study.fake, message, f"{DELETE}{user_id(study.fake, 'alice')}")

    assert body["type"] == DEFERRED_UPDATE
    request = await study.fake.wait_for_request("DELETE", rf"{MESSAGES}/\d+", since=mark)
    # Message.delete() uses the bot's own token on the channel route, not the interaction's webhook.
    assert request.path == f"/channels/{message['channel_id']}/messages/{message['id']}"
    assert request.headers.get("Authorization") == f"Bot {study.fake.token}"
    await study.fake.wait_for_request("DELETE", request.path, status=204, since=mark)
    assert deleted(study.fake, message, mark)


async def test_someone_else_cannot_delete_the_answer(studybot: StartStudyBot) -> None:
    study = await studybot()
    message = await ask_message(study, ANSWERABLE)
    mark = study.fake.mark()

    _, body = await press(study.fake, message, f"{DELETE}{user_id(study.fake, 'alice')}", user="bob")

    assert_private(body, NOT_YOURS)
    assert study.fake.requests_to("DELETE", since=mark) == []
    assert message["id"] in study.fake.world.messages


@pytest.mark.parametrize("admin", [{"permissions": MANAGE_GUILD}, {"member_roles": ["admin"]}], ids=["manage", "role"])
async def test_an_admin_can_delete_the_answer(studybot: StartStudyBot, admin: dict[str, Any]) -> None:
    study = await studybot()
    message = await ask_message(study, ANSWERABLE)
    mark = study.fake.mark()

    _, body = await press(study.fake, message, f"{DELETE}{user_id(study.fake, 'alice')}", user="bob", **admin)

    assert body["type"] == DEFERRED_UPDATE
    await study.fake.wait_for_request("DELETE", rf"{MESSAGES}/{message['id']}", status=204, since=mark)
    assert deleted(study.fake, message, mark)


async def test_the_asker_can_delete_a_reply_to_a_mention_in_a_thread(studybot: StartStudyBot) -> None:
    study = await studybot()
    message = await mention_message(study, ANSWERABLE, "study-thread")
    assert message["channel_id"] == study.fake.channel_ids["study-thread"]
    mark = study.fake.mark()

    _, refused = await press(study.fake, message, f"{DELETE}{user_id(study.fake, 'alice')}", user="bob")
    _, body = await press(study.fake, message, f"{DELETE}{user_id(study.fake, 'alice')}")

    assert_private(refused, NOT_YOURS)
    assert body["type"] == DEFERRED_UPDATE
    thread = study.fake.channel_ids["study-thread"]
    await study.fake.wait_for_request("DELETE", rf"/channels/{thread}/messages/{message['id']}", status=204)
    assert deleted(study.fake, message, mark)


# ----------------------------------------------------------------- pressed too late


@pytest.mark.parametrize(
    ("prefix", "button"),
    [(PASSAGE, "ShowPassage"), (VOTE_UP, "Vote"), (DELETE, "Delete"), (ASK, "AskInstead")],
)
async def test_a_button_answered_too_late_is_one_warning_and_nothing_sent(
    studybot: StartStudyBot, caplog: pytest.LogCaptureFixture, prefix: str, button: str
) -> None:
    study = await studybot()
    message = await ask_message(study, UNCERTAIN)  # answered with "did you mean" choices: every kind of button
    custom_id = next(c for c in custom_ids(message) if c.startswith(prefix))
    interaction = study.fake.make_component(custom_id, message_id=message["id"], channel_id=message["channel_id"])

    await assert_too_late_is_one_warning(study, interaction, caplog, f"the {button} button")


# ----------------------------------------------------------------- persistence


async def press_them_all(study: StudyDiscord, answered: JSON, not_covered: JSON, reply: JSON) -> None:
    """Every kind of button, on messages posted earlier: each one works."""
    fake = study.fake
    _, passage = await press(fake, answered, custom_id_starting(answered, PASSAGE), user="bob")
    assert "**In fact, the only goal of soft power" in embed_of(assert_private(passage))["description"]

    _, vote = await press(fake, answered, f"{VOTE_DOWN}{ANSWER_PAIR}", user="bob")
    assert_private(vote, THANKS_DOWN)
    logged = [(q.question, q.kind) for q in await open_questions(study)]
    assert (ANSWERABLE, "downvoted") in logged
    assert (NOT_COVERED, "unanswered") in logged  # asked of the bot before

    _, asked = await press(fake, not_covered, f"{ASK}{ANSWER_PAIR}", user="bob")
    assert asked["type"] == 4
    assert not (asked["data"].get("flags") or 0) & EPHEMERAL
    assert_answered(embed_of(asked["data"]))

    mark = fake.mark()
    _, delete = await press(fake, reply, custom_id_starting(reply, DELETE))
    assert delete["type"] == DEFERRED_UPDATE
    await fake.wait_for_request("DELETE", rf"{MESSAGES}/{reply['id']}", status=204, since=mark)
    assert deleted(fake, reply, mark)


async def test_buttons_work_after_a_restart(studybot: StartStudyBot) -> None:
    first = await studybot()
    answered = await ask_message(first, ANSWERABLE)
    not_covered = await ask_message(first, NOT_COVERED)
    reply = await mention_message(first, ANSWERABLE)
    await first.bot.close()
    assert first.bot.is_closed()

    second = await studybot()  # a new process, as far as the bot can tell: same settings, same database
    assert second.bot is not first.bot
    mark = second.fake.mark()
    await press_them_all(second, answered, not_covered, reply)

    assert all(r.status in (200, 204) for r in second.fake.requests_to("*", CALLBACK, since=mark))


async def test_buttons_work_after_a_reload(studybot: StartStudyBot) -> None:
    study = await studybot()
    answered = await ask_message(study, ANSWERABLE)
    not_covered = await ask_message(study, NOT_COVERED)
    reply = await mention_message(study, ANSWERABLE)
    old = study.bot.tenancy.shared.retriever

    _, report = await study.reload(permissions=MANAGE_GUILD)

    assert report["content"].startswith("Reloaded:")
    assert study.bot.tenancy.shared.retriever is not old
    await press_them_all(study, answered, not_covered, reply)


async def test_votes_before_and_after_a_restart_are_one_voters(studybot: StartStudyBot) -> None:
    first = await studybot()
    message = await ask_message(first, ANSWERABLE)
    await press(first.fake, message, f"{VOTE_DOWN}{ANSWER_PAIR}")
    await first.bot.close()

    second = await studybot()
    await press(second.fake, message, f"{VOTE_UP}{ANSWER_PAIR}")

    assert second.bot.storage is not None
    counts = await second.bot.storage.counts()
    # The same voter hash: the 👍 replaced the 👎 and took the question off the curators' list.
    assert (counts["feedback_up"], counts["feedback_down"], counts["open_askers"]) == (1, 0, 0)
