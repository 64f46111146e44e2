"""bot/stats.py: ``studybot stats`` in a terminal — the figures of the database the settings name, as a table or
JSON, one server's or all, the chart into a file, and one line when there is no database to read."""

from __future__ import annotations

import asyncio
import json
import subprocess
from datetime import UTC, datetime, timedelta
from importlib.util import find_spec
from pathlib import Path

import pytest
from studybot_harness import clean_environment, studybot_command

import bot.usage_chart
from bot.__main__ import main
from bot.store import open_store

KEY = b"test key"
HOME, OTHER = 111111111111111111, 222222222222222222


async def fill(database: Path | str) -> None:
    """In HOME: 3 questions today (2 answered, one 👍) and one open question asked twice; one in OTHER 2 days ago;
    one in a direct message 40 days ago."""
    now = datetime.now(UTC)
    async with await open_store(str(database), KEY) as store:
        await store.record_ask(1, HOME, "essay", True, now)
        await store.record_ask(2, HOME, "essay", True, now)
        await store.record_ask(2, HOME, None, False, now)
        await store.record_ask(3, OTHER, "notes", True, now - timedelta(days=2))
        await store.record_ask(3, None, "notes", True, now - timedelta(days=40))
        for user in (1, 2):
            await store.log_question("What is osmosis?", None, user, "unanswered", guild_id=HOME)
        await store.record_feedback(1, 1, "What is soft power?", "essay/goal", "essay/goal", guild_id=HOME)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "studybot.sqlite3"
    asyncio.run(fill(path))
    monkeypatch.setenv("STUDYBOT_DATABASE_PATH", str(path))
    monkeypatch.chdir(tmp_path)  # no developer's .env
    return path


def test_the_figures_of_every_server_as_a_table(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats"]) == 0

    lines = capsys.readouterr().out.splitlines()
    today = datetime.now(UTC).date()
    assert lines[0] == f"{today - timedelta(days=29)} to {today} (UTC days), every server and DMs"
    assert lines[1] == "4 questions from 3 people, 75% answered, 👍 1 👎 0"
    assert lines[3].split() == ["day", "asked", "answered"]
    assert lines[4 + 29].split() == [str(today), "3", "2"]
    assert lines[4 + 27].split() == [str(today - timedelta(days=2)), "1", "1"]
    assert lines[4 + 30] == ""
    assert [line.split() for line in lines[36:39]] == [
        ["essay", "2", "2", "100%", "1", "0"],
        ["notes", "1", "1", "100%", "0", "0"],
        ["(no", "text", "covered", "it)", "1", "0", "0%", "0", "0"],
    ]
    assert lines[-2:] == ["most asked, still unanswered:", "    2×  What is osmosis?  (2 people)"]


def test_one_server_as_json(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--guild", str(OTHER), "--days", "3", "--json"]) == 0

    figures = json.loads(capsys.readouterr().out)
    today = datetime.now(UTC).date()
    assert figures == {
        "guild_id": OTHER,
        "first_day": str(today - timedelta(days=2)),
        "last_day": str(today),
        "asked": 1,
        "answered": 1,
        "share_answered": 1.0,
        "askers": 1,
        "up": 0,
        "down": 0,
        "days": [
            {"day": str(today - timedelta(days=2)), "asked": 1, "answered": 1},
            {"day": str(today - timedelta(days=1)), "asked": 0, "answered": 0},
            {"day": str(today), "asked": 0, "answered": 0},
        ],
        "texts": [{"source": "notes", "asked": 1, "answered": 1, "up": 0, "down": 0}],
        "unanswered": [],
    }


def test_the_window_reaches_as_far_as_asked(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--days", "41", "--json"]) == 0

    assert json.loads(capsys.readouterr().out)["asked"] == 5  # the direct message of 40 days ago too


def test_the_database_url_wins_over_the_path(
    database: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(fill(postgres_url))
    asyncio.run(fill(postgres_url))  # twice there, once in the SQLite file
    monkeypatch.setenv("STUDYBOT_DATABASE_URL", postgres_url)

    assert main(["stats", "--guild", str(HOME), "--json"]) == 0

    figures = json.loads(capsys.readouterr().out)
    assert (figures["asked"], figures["answered"], figures["unanswered"]) == (
        6,
        4,
        [{"question": "What is osmosis?", "asked": 4, "askers": 2}],
    )


def test_the_chart_into_a_file(database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib", reason="the charts extra (matplotlib) is not installed")
    chart = tmp_path / "chart.png"

    assert main(["stats", "--chart", str(chart)]) == 0

    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert capsys.readouterr().out.startswith(f"{datetime.now(UTC).date() - timedelta(days=29)} to ")


def test_a_chart_without_the_charts_extra_is_a_usage_error(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bot.usage_chart, "find_spec", lambda name: None if name == "matplotlib" else find_spec(name))

    assert main(["stats", "--chart", str(tmp_path / "chart.png")]) == 2

    assert capsys.readouterr().err == "studybot stats: --chart needs the charts extra: pip install 'studybot[charts]'\n"
    assert not (tmp_path / "chart.png").exists()


@pytest.mark.parametrize("days", ["0", "366", "ten"])
def test_days_outside_the_retention_are_a_usage_error(database: Path, days: str) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["stats", "--days", days])

    assert refused.value.code == 2


def test_no_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = subprocess.run(
        studybot_command("stats"),
        cwd=tmp_path,
        env=clean_environment(DATABASE_PATH=str(tmp_path / "none.sqlite3")),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert (done.returncode, done.stdout) == (1, "")
    missing = tmp_path / "none.sqlite3"
    assert done.stderr.splitlines() == [
        f"studybot stats: no database at {missing} (STUDYBOT_DATABASE_PATH): nothing was counted yet"
    ]
    assert not (tmp_path / "none.sqlite3").exists()  # looking did not create it


def test_the_installed_command_prints_the_figures(database: Path) -> None:
    done = subprocess.run(
        studybot_command("stats", "--guild", str(HOME), "--json"),
        cwd=database.parent,
        env=clean_environment(DATABASE_PATH=str(database)),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert (figures["asked"], figures["answered"], figures["up"]) == (3, 2, 1)
