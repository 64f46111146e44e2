"""``studybot check`` as CI runs it: a separate process in a scratch folder (no .env), no STUDYBOT_* settings but
the test's — the folder's sizes, curated questions that miss their pair (a warning; exit 1 with ``--strict``),
``file:line: reason`` for a broken folder, and how many of the bot's logged open questions the folder now answers."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from curation_samples import ESSAY, RIVAL, ZANZIBAR, ZANZIBAR_PAIR
from studybot_harness import ESSAY_QA, clean_environment, copy_knowledge, studybot_command

from bot.store import open_store
from knowledge.corpus import BUNDLED_DIR, load_knowledge

BAD_QUOTE = "The moon is made of green cheese."
BAD_PAIR = f"""
- id: moon
  question: What is the moon made of?
  alternates: []
  answer: Cheese.
  quote: {BAD_QUOTE}
"""
SIZES = f"{ESSAY}: 4 paragraphs, 21 sentences, 45 Q&A pairs"


SOFT_POWER_EFFECT = (
    "In fact, the only goal of soft power is the achievement of the desired economic and political results. It also "
    "has a very good effect on citizens of other countries who feel this policy on themselves."
)
"""The two sentences before the essay's last: where a quote of the last one, which opens "It is these ways", and of
the one before it ("It also has...") starts to show what they refer to."""


def taught_pair_line(folder: Path) -> int:
    return next(p.line for p in load_knowledge(folder).pairs if p.id == "zanzibar-doctrine")


def check(cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """``studybot check ARGS`` in ``cwd`` with ``settings`` as its only STUDYBOT_* variables."""
    return subprocess.run(
        studybot_command("check", *args),
        cwd=cwd,
        env={**clean_environment(**settings), "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.fixture
def cwd(tmp_path: Path) -> Path:
    folder = tmp_path / "cwd"
    folder.mkdir()
    return folder


def appended(folder: Path, *blocks: str) -> Path:
    with (folder / ESSAY_QA).open("a", encoding="utf-8") as qa:
        qa.write("".join(blocks))
    return folder


def log_questions(database: Path | str, questions: list[tuple[str, int]], answered: Sequence[str] = ()) -> None:
    """Log ``(question, user id)`` as not covered, as the bot does, and close those in ``answered``."""

    async def write() -> None:
        async with await open_store(str(database), b"the bot's own key") as storage:
            for question, user in questions:
                await storage.log_question(question, None, user, "unanswered")
            closed = [q.id for q in await storage.open_questions() if q.question in answered]
            await storage.mark_answered(closed, f"{ESSAY}/some-pair")

    asyncio.run(write())


def test_check_of_the_bundled_folder(cwd: Path) -> None:
    done = check(cwd)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{SIZES}\nok: {BUNDLED_DIR} (every curated question brings back its own pair)\n"
    assert list(cwd.iterdir()) == []  # no database created where there was none


def test_a_collision_is_a_warning(cwd: Path, tmp_path: Path) -> None:
    folder = appended(copy_knowledge(tmp_path / "knowledge"), RIVAL)
    rival = next(p for p in load_knowledge(folder).pairs if p.id == "rival-only-goal")

    done = check(cwd, knowledge_dir=str(folder))

    assert (done.returncode, done.stderr) == (0, "")
    goal = next(p for p in load_knowledge(folder).pairs if p.id == "soft-power-only-goal")
    assert done.stdout.splitlines() == [
        f"{ESSAY}: 4 paragraphs, 21 sentences, 46 Q&A pairs",
        f"warning: “What is the only goal of soft power?” ({ESSAY}/soft-power-only-goal, line {goal.line}) gets "
        f"{ESSAY}/rival-only-goal (line {rival.line})",
        f"warning: “main goal of soft power” ({ESSAY}/soft-power-only-goal, line {goal.line}) gets "
        f"{ESSAY}/rival-only-goal (line {rival.line})",
        f"warning: “What is the only goal of soft power?” ({ESSAY}/rival-only-goal, line {rival.line}) gets "
        f"{ESSAY}/soft-power-only-goal (line {goal.line})",
        f"warning: the quote of {ESSAY}/rival-only-goal (line {rival.line}) opens “It also has a…”, pointing back at "
        "p4.s2: start the quote there, so that a reader sees what it refers to",
        f"ok: {folder} (3 curated questions not answered by their own pair; 1 quote pointing back at a sentence left "
        "out)",
    ]


def test_a_collision_fails_a_strict_check(cwd: Path, tmp_path: Path) -> None:
    folder = appended(copy_knowledge(tmp_path / "knowledge"), RIVAL)

    strict = check(cwd, "--strict", "--knowledge-dir", str(folder))
    clean = check(cwd, "--strict")  # the bundled folder has no collision

    assert strict.returncode == 1
    assert "warning: “What is the only goal of soft power?”" in strict.stdout
    assert (clean.returncode, clean.stderr) == (0, "")


def test_a_quote_pointing_back_fails_a_strict_check_until_it_starts_where_it_points(cwd: Path, tmp_path: Path) -> None:
    lone = appended(copy_knowledge(tmp_path / "lone"), ZANZIBAR_PAIR)
    whole = appended(
        copy_knowledge(tmp_path / "whole"),
        ZANZIBAR_PAIR.replace("quote: It is", f"quote: {SOFT_POWER_EFFECT} It is"),
    )

    failed = check(cwd, "--strict", "--knowledge-dir", str(lone))
    passed = check(cwd, "--strict", "--knowledge-dir", str(whole))

    assert failed.returncode == 1
    assert f"warning: the quote of {ESSAY}/zanzibar-doctrine" in failed.stdout
    assert "pointing back at p4.s3" in failed.stdout
    assert (passed.returncode, passed.stderr) == (0, "")
    assert "pointing back" not in passed.stdout


def test_a_broken_folder_names_file_and_line(cwd: Path, tmp_path: Path) -> None:
    folder = copy_knowledge(tmp_path / "knowledge")
    lines = (folder / ESSAY_QA).read_text(encoding="utf-8").count("\n")
    appended(folder, BAD_PAIR)

    for done in (check(cwd, knowledge_dir=str(folder)), check(cwd, "--strict", "--knowledge-dir", str(folder))):
        assert done.returncode == 1
        assert done.stdout == ""
        assert done.stderr == (
            f"studybot check: {folder / ESSAY_QA}:{lines + 6}: quote not found in {ESSAY}.txt "
            f"(compared case-sensitively): {BAD_QUOTE!r}; nothing in the text comes close\n"
        )


def test_a_missing_folder(cwd: Path, tmp_path: Path) -> None:
    done = check(cwd, "--knowledge-dir", str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert done.stderr == f"studybot check: {tmp_path / 'nowhere'}:0: knowledge folder not found\n"


def test_check_counts_the_logged_open_questions_the_folder_answers(cwd: Path, tmp_path: Path) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    log_questions(
        database,
        [(ZANZIBAR, 1), ("whats the zanzibar doctrine", 2), ("Who invented the telephone?", 1), ("closed", 3)],
        answered=["closed"],
    )
    folder = appended(copy_knowledge(tmp_path / "knowledge"), ZANZIBAR_PAIR)

    taught = check(cwd, knowledge_dir=str(folder), database_path=str(database))
    bundled = check(cwd, database_path=str(database))

    assert (taught.returncode, taught.stderr) == (0, "")
    assert taught.stdout.splitlines() == [
        f"{ESSAY}: 4 paragraphs, 21 sentences, 46 Q&A pairs",
        f"warning: the quote of {ESSAY}/zanzibar-doctrine (line {taught_pair_line(folder)}) opens “It is these "
        "ways…”, pointing back at p4.s3: start the quote there, so that a reader sees what it refers to",
        f"2 of the 3 open unanswered questions in {database} are answered by this knowledge",
        f"ok: {folder} (1 quote pointing back at a sentence left out)",
    ]
    assert (bundled.returncode, bundled.stderr) == (0, "")
    replayed = f"0 of the 3 open unanswered questions in {database} are answered by this knowledge"
    assert replayed in bundled.stdout.splitlines()


def test_check_reads_the_default_database_in_the_working_folder(cwd: Path) -> None:
    log_questions(cwd / "studybot.sqlite3", [("Who invented the telephone?", 1)])

    done = check(cwd)

    assert done.returncode == 0
    replayed = "0 of the 1 open unanswered questions in studybot.sqlite3 are answered by this knowledge"
    assert done.stdout.splitlines()[1] == replayed


def test_check_without_the_database_says_nothing_of_it(cwd: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "bot.sqlite3"

    done = check(cwd, database_path=str(missing))

    assert done.returncode == 0
    assert done.stdout == f"{SIZES}\nok: {BUNDLED_DIR} (every curated question brings back its own pair)\n"
    assert not missing.parent.exists()


def test_check_reads_the_question_log_from_postgresql(cwd: Path, postgres_url: str) -> None:
    log_questions(postgres_url, [(ZANZIBAR, 1), ("Who invented the telephone?", 2)])
    unreachable = "postgresql://bot:s3cret@127.0.0.1:1/studybot"

    done = check(cwd, database_url=postgres_url)
    down = check(cwd, database_url=unreachable)

    assert (done.returncode, done.stderr) == (0, "")
    replayed = f"0 of the 2 open unanswered questions in {postgres_url} are answered by this knowledge"
    assert done.stdout.splitlines()[1] == replayed
    assert down.returncode == 0  # the knowledge is fine; the log could not be read, and that is said
    assert down.stderr.startswith("warning: cannot use the database postgresql://bot:***@127.0.0.1:1/studybot: ")
    assert down.stderr.endswith("; the logged questions were not replayed\n")
    assert "s3cret" not in down.stdout + down.stderr


def server_folders(root: Path, *, shared: bool) -> Path:
    """A knowledge folder for several servers: the essay shared (or not), a server's folder named by its id and one
    named by a mapping."""
    root.mkdir()
    if shared:
        (root / f"{ESSAY}.txt").write_bytes((BUNDLED_DIR / f"{ESSAY}.txt").read_bytes())
    (root / "1234").mkdir()
    (root / "1234" / "rivers.txt").write_text("Rivers flood in spring. Their banks hold reeds.\n", encoding="utf-8")
    (root / "history").mkdir()
    (root / "history" / "meiji.txt").write_text("The Meiji era began in 1868. Japan opened up.\n", encoding="utf-8")
    (root / ".removed").mkdir()  # where /remove keeps pairs aside: not a server's
    return root


def test_each_server_folder_is_checked_as_the_bot_loads_it(cwd: Path, tmp_path: Path) -> None:
    root = server_folders(tmp_path / "knowledge", shared=True)

    done = check(cwd, knowledge_dir=str(root), guild_folders="5678:history")

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-2:] == [
        f"ok: {root / '1234'} (1 text of its own; every curated question brings back its own pair)",
        f"ok: {root / 'history'} (1 text of its own; every curated question brings back its own pair)",
    ]


def test_a_broken_server_folder_fails_the_check_and_is_named(cwd: Path, tmp_path: Path) -> None:
    root = server_folders(tmp_path / "knowledge", shared=True)
    (root / "1234" / f"{ESSAY}.txt").write_text("A text taking a shared text's name.\n", encoding="utf-8")
    (root / "history" / "meiji.qa.yaml").write_text(BAD_PAIR, encoding="utf-8")

    done = check(cwd, knowledge_dir=str(root), guild_folders="5678:history")

    assert done.returncode == 1
    errors = done.stderr.splitlines()
    assert errors[0] == (
        f"studybot check: {root / '1234' / ESSAY}.txt: a shared text has the same name, {ESSAY}.txt: rename this one"
    )
    assert errors[1].startswith(f"studybot check: {root / 'history' / 'meiji.qa.yaml'}:6: quote not found")
    assert f"ok: {root} (" in done.stdout  # the shared texts themselves are fine


def test_a_folder_no_server_sees_is_a_warning(cwd: Path, tmp_path: Path) -> None:
    root = server_folders(tmp_path / "knowledge", shared=False)

    done = check(cwd, knowledge_dir=str(root))  # "history" is mapped to no server

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        f"{root}: no shared texts (each server sees its own folder only)",
        f"ok: {root / '1234'} (1 text of its own; every curated question brings back its own pair)",
        f"warning: {root / 'history'}: neither a server id nor a name in STUDYBOT_GUILD_FOLDERS: no server sees it",
        f"ok: {root / 'history'} (1 text of its own; every curated question brings back its own pair)",
    ]
