"""The bot over PDF, Word and Markdown texts, through the real client and the fake Discord: answers, the 📖
passage, /quiz and /teach show where to look in the file; a /reload with a text that cannot be read keeps the old
knowledge serving and says, one line per file, what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from format_samples import ESSAY, copy_essay_pairs, encrypted_pdf, essay_docx, essay_pdf, scanned_pdf, write_files
from studybot_harness import (
    ANSWER_TEXT,
    ANSWERABLE,
    EPHEMERAL,
    StartStudyBot,
    StudyDiscord,
    custom_id_starting,
    embed_of,
    fields_of,
    press,
    shown_to_user,
    submit_modal,
)

pytestmark = pytest.mark.asyncio

JSON = dict[str, Any]
ONLY_GOAL_PDF = "soft-power-essay.pdf · p. 18 · ¶2 · sentence 2"
ADMIN: JSON = {"member_roles": ["admin"]}


@pytest.fixture
def pdf_folder(tmp_path: Path) -> Path:
    folder = write_files(tmp_path / "knowledge", {f"{ESSAY}.pdf": essay_pdf()})
    copy_essay_pairs(folder)
    return folder


async def command(study: StudyDiscord, name: str, options: dict[str, Any] | None = None, **kw: Any) -> JSON:
    interaction = study.fake.make_slash_interaction(name, options, **kw)
    await study.fake.send_interaction(interaction)
    return interaction


async def test_an_answer_from_a_pdf_names_the_printed_page_and_its_passage_too(
    studybot: StartStudyBot, pdf_folder: Path
) -> None:
    study = await studybot(knowledge_dir=pdf_folder)
    record, body = await study.ask_record(ANSWERABLE)
    embed = embed_of(body["data"])
    assert embed["description"] == ANSWER_TEXT
    assert fields_of(embed)["Source"] == ONLY_GOAL_PDF

    _, passage = await press(study.fake, study.original(record), custom_id_starting(body["data"], "sb:passage:"))

    shown = embed_of(passage["data"])
    assert passage["data"]["flags"] == EPHEMERAL
    assert shown["title"] == "soft-power-essay.pdf · p. 18 · ¶2"
    assert shown["footer"]["text"] == "The cited sentences are in bold."
    assert "**In fact, the only goal of soft power is" in shown["description"]


async def test_a_quiz_from_a_word_document_names_the_file(studybot: StartStudyBot, tmp_path: Path) -> None:
    folder = write_files(tmp_path / "knowledge", {f"{ESSAY}.docx": essay_docx()})
    copy_essay_pairs(folder)
    study = await studybot(knowledge_dir=folder)

    body = await study.fake.wait_for_callback(await command(study, "quiz"))

    footer = embed_of(body["data"])["footer"]["text"]
    assert footer == "From soft-power-essay.docx · press Answer and reply in your own words"


async def test_teach_with_a_quote_the_pdf_does_not_contain_shows_the_nearest_passage(
    studybot: StartStudyBot, pdf_folder: Path
) -> None:
    study = await studybot(knowledge_dir=pdf_folder)
    opened = await study.fake.wait_for_callback(await command(study, "teach", {"source": ESSAY}, **ADMIN))
    quote = "the only goal of soft power is the achievment of the desired results"
    submitted = await submit_modal(study.fake, opened, "What is soft power for?", "Results.", quote)

    shown = await shown_to_user(study.fake, submitted)

    assert shown["content"] == (
        "Not saved (the file is unchanged): quote not found in soft-power-essay.pdf (compared case-sensitively): "
        f"{quote!r}; nearest passage (91% alike) at p. 18, ¶2, sentence 2: 'In fact, the only goal of soft power is "
        "the achievement of the desired economic and political results.'"
    )


async def test_a_reload_with_unreadable_texts_keeps_the_old_knowledge_and_names_each(
    studybot: StartStudyBot, pdf_folder: Path
) -> None:
    study = await studybot(knowledge_dir=pdf_folder)
    before = study.bot.tenancy.shared.retriever
    write_files(pdf_folder, {"scan.pdf": scanned_pdf(text_pages=2), "locked.pdf": encrypted_pdf(), "notes.md": "# A"})
    (pdf_folder / "truncated.docx").write_bytes(essay_docx()[:2000])

    _, shown = await study.reload(**ADMIN)

    assert shown["flags"] == EPHEMERAL
    assert shown["content"].splitlines() == [
        "Reload failed, so I am still serving the previous knowledge.",
        f"`{pdf_folder / 'locked.pdf'}: encrypted: it needs a password to open; save a copy without one`",
        f"`{pdf_folder / 'notes.md'}:1: the text is empty`",
        f"`{pdf_folder / 'scan.pdf'}: page 3 has no text: scanned? OCR it first`",
        f"`{pdf_folder / 'truncated.docx'}: not a Word document, or a damaged one (File is not a zip file)`",
    ]
    assert study.bot.tenancy.shared.retriever is before
    assert fields_of(embed_of((await study.ask(ANSWERABLE))["data"]))["Source"] == ONLY_GOAL_PDF


async def test_a_reload_adds_a_new_format_text(studybot: StartStudyBot, pdf_folder: Path) -> None:
    study = await studybot(knowledge_dir=pdf_folder)
    write_files(pdf_folder, {"photosynthesis.md": "# Plants\n\nChlorophyll absorbs red and blue light.\n"})

    _, shown = await study.reload(**ADMIN)

    assert "Changes: pairs: 0 added, 0 removed, 0 changed; new texts: photosynthesis." in shown["content"]
    answer = embed_of((await study.ask("What does chlorophyll absorb?"))["data"])
    assert fields_of(answer)["Source"] == "photosynthesis.md · Plants · ¶1 · sentence 1 · lines 3–3"
