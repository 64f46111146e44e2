"""``/upload`` and ``/remove`` through the fake Discord: an admin's file, downloaded from the fake CDN, checked and
saved into the server's own folder; a refused one changes no file and answers one private line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from format_samples import encrypted_pdf, essay_docx, essay_markdown, essay_pdf
from studybot_harness import (
    ANSWER_TEXT,
    ANSWERABLE,
    ESSAY_QA,
    MANAGE_GUILD,
    StartStudyBot,
    StudyDiscord,
    embed_of,
    fields_of,
    shown_to_user,
)

from knowledge.corpus import BUNDLED_DIR

pytestmark = pytest.mark.asyncio
ADMIN: dict[str, Any] = {"permissions": MANAGE_GUILD}
ESSAY_TEXT = (BUNDLED_DIR / "soft-power-essay.txt").read_bytes()
NOT_ADDED = "Not added (no file was changed): "
IN_THE_TEXT = "Is the only goal of soft power the achievement of the desired economic and political results?"
"""Answered from the essay's own sentences, curated pairs or not."""
LIMIT_MB = 0.02
"""A limit the shared essay (3.5 kB) is within and :data:`LARGE` (30 kB) is not."""
LARGE = ESSAY_TEXT * 9


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too), by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


async def upload(study: StudyDiscord, filename: str, data: bytes, *, size: int | None = None, **kw: Any) -> str:
    """``/upload file:`` with ``data`` attached as ``filename``: the line the user finally sees."""
    attachment = study.fake.attachment(filename, data, size=size)
    interaction = study.fake.make_slash_interaction("upload", {"file": attachment}, **kw)
    await study.fake.send_interaction(interaction)
    return str((await shown_to_user(study.fake, interaction, timeout=20.0))["content"])


async def ask_from(study: StudyDiscord, source: str, question: str = ANSWERABLE) -> dict[str, Any]:
    interaction = study.fake.make_slash_interaction("ask", {"question": question, "source": source})
    await study.fake.send_interaction(interaction)
    return dict(await shown_to_user(study.fake, interaction, timeout=10.0))


@pytest.mark.parametrize(
    ("filename", "make"),
    [
        ("notes.txt", lambda: ESSAY_TEXT),
        ("notes.md", lambda: essay_markdown().encode()),
        ("notes.pdf", essay_pdf),
        ("notes.docx", essay_docx),
    ],
)
async def test_an_admin_uploads_a_text_in_every_format(
    studybot: StartStudyBot, knowledge_dir: Path, filename: str, make: Callable[[], bytes]
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    data = make()

    said = await upload(study, filename, data, **ADMIN)

    saved = knowledge_dir / study.fake.guild_id / filename
    assert said.startswith("Added the text `notes` ("), said
    assert "\nReloaded: " in said
    assert saved.read_bytes() == data
    assert [p.name for p in saved.parent.iterdir()] == [filename]  # no temporary file left behind
    answer = embed_of(await ask_from(study, "notes", IN_THE_TEXT))
    assert fields_of(answer)["Source"].startswith(f"{filename} · "), answer
    assert len(study.fake.cdn.downloads) == 1


async def test_curated_pairs_for_an_uploaded_text(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    await upload(study, "notes.txt", ESSAY_TEXT, **ADMIN)

    said = await upload(study, "notes.qa.yaml", (BUNDLED_DIR / ESSAY_QA).read_bytes(), **ADMIN)

    assert said.startswith("Added curated pairs for `notes` ("), said
    answer = embed_of(await ask_from(study, "notes"))
    assert answer["description"] == ANSWER_TEXT
    assert fields_of(answer)["Source"] == "notes.txt · ¶4 · sentence 2 · lines 50–51"


async def test_a_member_cannot_upload(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    before = snapshot(knowledge_dir)

    said = await upload(study, "notes.txt", ESSAY_TEXT, user="bob")

    assert said == "Sorry, only server admins can change this server's texts."
    assert snapshot(knowledge_dir) == before
    assert study.fake.cdn.downloads == []


async def test_a_file_over_the_limit_is_not_even_downloaded(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir, max_file_mb=LIMIT_MB)
    before = snapshot(knowledge_dir)

    said = await upload(study, "notes.txt", LARGE, **ADMIN)

    assert said == f"Not added: notes.txt is {len(LARGE) // 1000} kB, over the limit of 0.02 MB for one file."
    assert snapshot(knowledge_dir) == before
    assert study.fake.cdn.downloads == []


async def test_a_file_larger_than_it_claimed_is_refused(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir, max_file_mb=LIMIT_MB)
    before = snapshot(knowledge_dir)

    said = await upload(study, "notes.txt", LARGE, size=10, **ADMIN)

    assert said == f"{NOT_ADDED}notes.txt is over the limit of 0.02 MB for one file"
    assert snapshot(knowledge_dir) == before


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("notes.pdf", b"%PDF-1.7\nnot really a PDF\n", "notes.pdf: "),
        ("notes.pdf", None, "notes.pdf: "),
        ("notes.docx", b"PK\x03\x04 broken zip", "notes.docx: "),
        ("notes.txt", b"\n\n  \n", "notes.txt: the text is empty"),
        ("notes.doc", b"old Word", "notes.doc is not a course text this bot reads: "),
        ("soft-power-essay.md", b"# Soft power\n\nA text.\n", "a text every server sees is already called"),
        ("notes.qa.yaml", (BUNDLED_DIR / ESSAY_QA).read_bytes(), "this server has no text called 'notes'"),
        (".hidden.txt", b"Hidden.", "'.hidden.txt' is not a usable file name"),
    ],
)
async def test_a_broken_or_unusable_file_changes_nothing(
    studybot: StartStudyBot, knowledge_dir: Path, filename: str, data: bytes | None, reason: str
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    before = snapshot(knowledge_dir)

    said = await upload(study, filename, encrypted_pdf() if data is None else data, **ADMIN)

    assert said.startswith(NOT_ADDED + reason), said
    assert "\n" not in said
    assert snapshot(knowledge_dir) == before
    assert not (knowledge_dir / study.fake.guild_id).exists()


async def test_pairs_whose_quote_is_not_in_the_text_are_refused(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    await upload(study, "notes.txt", ESSAY_TEXT, **ADMIN)
    before = snapshot(knowledge_dir)
    pairs = b"- id: moon\n  question: What is the moon made of?\n  alternates: [moon]\n  answer: Cheese.\n"
    pairs += b"  quote: The moon is made of green cheese.\n"

    said = await upload(study, "notes.qa.yaml", pairs, **ADMIN)

    assert said.startswith(f"{NOT_ADDED}notes.qa.yaml:5: quote not found in notes.txt"), said
    assert snapshot(knowledge_dir) == before


async def test_a_second_text_of_the_same_name_is_refused(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    await upload(study, "notes.txt", ESSAY_TEXT, **ADMIN)
    before = snapshot(knowledge_dir)

    said = await upload(study, "notes.md", essay_markdown().encode(), **ADMIN)

    assert said == f"{NOT_ADDED}this server already has a text called 'notes' (notes.txt): /remove it first"
    assert snapshot(knowledge_dir) == before


async def test_the_bundled_essay_takes_no_upload(studybot: StartStudyBot) -> None:
    study = await studybot()

    said = await upload(study, "notes.txt", ESSAY_TEXT, **ADMIN)

    assert said == "The bundled essay is read-only: set STUDYBOT_KNOWLEDGE_DIR to a knowledge folder of your own."


async def remove(study: StudyDiscord, source: str, **kw: Any) -> str:
    interaction = study.fake.make_slash_interaction("remove", {"source": source}, **kw)
    await study.fake.send_interaction(interaction)
    return str((await shown_to_user(study.fake, interaction, timeout=10.0))["content"])


async def test_remove_takes_the_text_out_and_keeps_its_pairs_aside(
    studybot: StartStudyBot, knowledge_dir: Path
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    pairs = (BUNDLED_DIR / ESSAY_QA).read_bytes()
    await upload(study, "notes.txt", ESSAY_TEXT, **ADMIN)
    await upload(study, "notes.qa.yaml", pairs, **ADMIN)
    folder = knowledge_dir / study.fake.guild_id

    said = await remove(study, "notes", **ADMIN)

    [kept] = (folder / ".removed").iterdir()
    assert said.startswith(f"Removed `notes`. Its curated pairs are kept in `.removed/{kept.name}`.\nReloaded: ")
    assert kept.name.startswith("notes-")
    assert kept.name.endswith(".qa.yaml")
    assert kept.read_bytes() == pairs
    assert [p.name for p in folder.iterdir()] == [".removed"]
    assert (await ask_from(study, "notes"))["content"] == "There is no text called 'notes'; /sources lists them."


async def test_remove_refuses_shared_texts_members_and_unknown_names(
    studybot: StartStudyBot, knowledge_dir: Path
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    await upload(study, "notes.txt", ESSAY_TEXT, **ADMIN)
    before = snapshot(knowledge_dir)

    shared = await remove(study, "soft-power-essay", **ADMIN)
    member = await remove(study, "notes", user="bob")
    unknown = await remove(study, "history", **ADMIN)

    assert shared == "'soft-power-essay' is shared by every server: it cannot be removed from one."
    assert member == "Sorry, only server admins can change this server's texts."
    assert unknown == "This server has no text of its own called 'history'; /sources lists them."
    assert snapshot(knowledge_dir) == before


async def test_a_text_that_breaks_the_servers_view_can_be_removed(studybot: StartStudyBot, knowledge_dir: Path) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    folder = knowledge_dir / study.fake.guild_id
    folder.mkdir()
    (folder / "notes.txt").write_bytes(ESSAY_TEXT)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 copied by hand, truncated")
    broken = await ask_from(study, "notes")

    said = await remove(study, "broken", **ADMIN)

    assert broken["content"].startswith("This server's course texts cannot be loaded"), broken
    assert "broken.pdf" in broken["content"]
    assert said.startswith("Removed `broken`.\nReloaded: "), said
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert fields_of(embed_of(await ask_from(study, "notes", IN_THE_TEXT)))["Source"].startswith("notes.txt · ")


async def test_uploading_corrected_pairs_repairs_a_server_whose_pairs_were_broken(
    studybot: StartStudyBot, knowledge_dir: Path
) -> None:
    study = await studybot(knowledge_dir=knowledge_dir)
    folder = knowledge_dir / study.fake.guild_id
    folder.mkdir()
    (folder / "notes.txt").write_bytes(ESSAY_TEXT)
    (folder / "notes.qa.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    broken = await ask_from(study, "notes")

    said = await upload(study, "notes.qa.yaml", (BUNDLED_DIR / ESSAY_QA).read_bytes(), **ADMIN)

    assert "notes.qa.yaml:2: not valid YAML" in broken["content"], broken
    assert said.startswith("Added curated pairs for `notes` ("), said
    assert embed_of(await ask_from(study, "notes"))["description"] == ANSWER_TEXT
