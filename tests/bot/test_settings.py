"""bot/settings.py: what STUDYBOT_* variables and ``.env`` lines become, and how a bad one is reported."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from studybot_harness import clean_environment, studybot_command

from bot.settings import DISCORD_API_BASE_URL, DISCORD_GATEWAY_URL, Settings, describe_error
from knowledge.formats.reading import Reading
from knowledge.retriever import DEFAULT_THRESHOLD

REPO = Path(__file__).resolve().parents[2]
TOKEN = "MTIz.token-that-must-never-be-shown.xyz"


def test_defaults_without_environment_or_env_file() -> None:
    settings = Settings(_env_file=None)

    assert settings.discord_token is None
    assert settings.knowledge_dir is None
    assert settings.study_channels == frozenset()
    assert settings.admin_roles == frozenset()
    assert settings.api_base_url == DISCORD_API_BASE_URL
    assert settings.gateway_url == DISCORD_GATEWAY_URL
    assert settings.answer_threshold == DEFAULT_THRESHOLD
    assert settings.cooldown_seconds == 5.0
    assert settings.log_level == "INFO"
    assert settings.max_file_mb == 50.0
    assert settings.reading() == Reading(cache_dir=settings.cache_dir, max_file_mb=50.0)
    assert settings.semantic is False
    assert settings.encoder() is None  # the sentence-embedding model is never loaded unless asked for


def test_closeness_in_meaning_is_turned_on_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYBOT_SEMANTIC", "true")
    assert Settings(_env_file=None).semantic is True
    monkeypatch.setenv("STUDYBOT_SEMANTIC", "maybe")
    with pytest.raises(ValueError, match="semantic"):
        Settings(_env_file=None)


def test_the_extraction_cache_lives_in_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Settings(_env_file=None).cache_dir == tmp_path / "xdg" / "studybot" / "extracted"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert Settings(_env_file=None).cache_dir == Path.home() / ".cache" / "studybot" / "extracted"
    monkeypatch.setenv("STUDYBOT_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("STUDYBOT_MAX_FILE_MB", "2.5")
    settings = Settings(_env_file=None)
    assert settings.reading() == Reading(cache_dir=tmp_path / "mine", max_file_mb=2.5)


@pytest.mark.parametrize("bad", ["0", "-1", "lots"])
def test_a_bad_size_limit_names_the_setting(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("STUDYBOT_MAX_FILE_MB", bad)
    with pytest.raises(ValueError, match="max_file_mb") as caught:
        Settings(_env_file=None)
    assert describe_error(caught.value).startswith("STUDYBOT_MAX_FILE_MB: ")


def test_comma_separated_ids_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYBOT_STUDY_CHANNELS", " 123456789012345678, 42 ,,7,")
    monkeypatch.setenv("STUDYBOT_ADMIN_ROLES", "99")

    settings = Settings(_env_file=None)

    assert settings.study_channels == frozenset({123456789012345678, 42, 7})
    assert settings.admin_roles == frozenset({99})


def test_ids_may_also_be_given_as_a_list_or_a_string() -> None:
    assert Settings(_env_file=None, study_channels=[1, 2]).study_channels == frozenset({1, 2})
    assert Settings(_env_file=None, admin_roles="3,4").admin_roles == frozenset({3, 4})


def test_server_folder_names_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYBOT_GUILD_FOLDERS", " 1234:biology-101 , 5678:history,,")

    assert Settings(_env_file=None).guild_folders == {1234: "biology-101", 5678: "history"}
    assert Settings(_env_file=None, guild_folders={9: "x"}).guild_folders == {9: "x"}


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("biology-101", "'biology-101' is not a server id and a folder name, as in 1234:biology-101"),
        ("12a:biology", "'12a:biology' is not a server id and a folder name, as in 1234:biology-101"),
        ("12:../elsewhere", "'../elsewhere' is not a plain folder name (no path, not hidden)"),
        ("12:.removed", "'.removed' is not a plain folder name (no path, not hidden)"),
        ("12:", "'' is not a plain folder name (no path, not hidden)"),
    ],
)
def test_a_bad_server_folder_names_the_setting(monkeypatch: pytest.MonkeyPatch, bad: str, reason: str) -> None:
    monkeypatch.setenv("STUDYBOT_GUILD_FOLDERS", bad)

    with pytest.raises(ValueError, match="guild_folders") as caught:
        Settings(_env_file=None)

    assert describe_error(caught.value) == f"STUDYBOT_GUILD_FOLDERS: Value error, {reason}"


@pytest.mark.parametrize("bad", ["12a", "-5", "1.5", "#general", "<#123>"])
def test_a_bad_id_is_a_value_error_naming_the_field(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("STUDYBOT_STUDY_CHANNELS", f"123,{bad}")

    with pytest.raises(ValueError, match="study_channels") as caught:
        Settings(_env_file=None)

    described = describe_error(caught.value)
    assert described == (
        f"STUDYBOT_STUDY_CHANNELS: Value error, {bad!r} is not a Discord id (a number such as 123456789012345678)"
    )


def test_a_bad_admin_role_names_admin_roles() -> None:
    with pytest.raises(ValueError, match="admin_roles"):
        Settings(_env_file=None, admin_roles="admins")


def test_empty_values_in_env_file_are_ignored(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "STUDYBOT_DISCORD_TOKEN=\n"
        "STUDYBOT_KNOWLEDGE_DIR=\n"
        "STUDYBOT_STUDY_CHANNELS=\n"
        "STUDYBOT_ADMIN_ROLES=5,6\n"
        "STUDYBOT_ANSWER_THRESHOLD=\n"
        "STUDYBOT_LOG_LEVEL=debug\n"
        "UNRELATED=1\n",
        encoding="utf-8",
    )

    settings = Settings(_env_file=env_file)

    assert settings.discord_token is None
    assert settings.knowledge_dir is None
    assert settings.study_channels == frozenset()
    assert settings.admin_roles == frozenset({5, 6})
    assert settings.answer_threshold == DEFAULT_THRESHOLD
    assert settings.log_level == "DEBUG"


def test_the_shipped_env_example_loads() -> None:
    settings = Settings(_env_file=REPO / ".env.example")

    assert settings.discord_token is None
    assert settings.api_base_url == DISCORD_API_BASE_URL
    assert 0.0 < settings.answer_threshold < 1.0


def test_the_environment_wins_over_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("STUDYBOT_STUDY_CHANNELS=1\n", encoding="utf-8")
    monkeypatch.setenv("STUDYBOT_STUDY_CHANNELS", "2")

    assert Settings(_env_file=env_file).study_channels == frozenset({2})


def test_urls_lose_their_trailing_slash() -> None:
    settings = Settings(_env_file=None, api_base_url="http://127.0.0.1:1/api/v10/", gateway_url="ws://127.0.0.1:1/gw/")

    assert settings.api_base_url == "http://127.0.0.1:1/api/v10"
    assert settings.gateway_url == "ws://127.0.0.1:1/gw"


def test_knowledge_dir_must_be_a_folder(tmp_path: Path) -> None:
    assert Settings(_env_file=None, knowledge_dir=tmp_path).knowledge_dir == tmp_path
    with pytest.raises(ValueError, match="is not a folder") as caught:
        Settings(_env_file=None, knowledge_dir=tmp_path / "missing")
    assert describe_error(caught.value).startswith("STUDYBOT_KNOWLEDGE_DIR: Value error, ")


@pytest.mark.parametrize(
    ("field", "value", "setting"),
    [("answer_threshold", 1.5, "STUDYBOT_ANSWER_THRESHOLD"), ("log_level", "LOUD", "STUDYBOT_LOG_LEVEL")],
)
def test_other_bad_values_name_their_setting(field: str, value: Any, setting: str) -> None:
    with pytest.raises(ValueError, match=field) as caught:
        Settings(_env_file=None, **{field: value})

    assert describe_error(caught.value).startswith(setting + ": ")


def test_settings_are_frozen() -> None:
    settings = Settings(_env_file=None)

    with pytest.raises(ValueError, match="frozen"):
        settings.log_level = "DEBUG"  # type: ignore[misc]


def test_token_is_a_secret_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYBOT_DISCORD_TOKEN", TOKEN)

    settings = Settings(_env_file=None)

    assert isinstance(settings.discord_token, SecretStr)
    assert settings.discord_token.get_secret_value() == TOKEN
    for shown in (repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())):
        assert TOKEN not in shown
        assert "MTIz" not in shown


def test_a_bad_setting_beside_the_token_does_not_show_the_token() -> None:
    with pytest.raises(ValueError, match="answer_threshold") as caught:
        Settings(_env_file=None, discord_token=TOKEN, answer_threshold=7)

    assert TOKEN not in describe_error(caught.value)


# ----------------------------------------------------------------- the command line, as a user runs it


def run_studybot(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """Run ``studybot ARGS`` in ``tmp_path`` (so no ``.env`` but one the test wrote is read)."""
    return subprocess.run(
        studybot_command(*args),
        cwd=tmp_path,
        env=clean_environment(**settings),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("command", ["run", "sync"])
def test_no_token_is_one_line_and_exit_2(tmp_path: Path, command: str) -> None:
    finished = run_studybot(tmp_path, command)

    assert finished.returncode == 2
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [
        "studybot: STUDYBOT_DISCORD_TOKEN is not set (put it in the environment or in .env)"
    ]


def test_a_blank_token_counts_as_no_token(tmp_path: Path) -> None:
    finished = run_studybot(tmp_path, "run", discord_token="   ")

    assert finished.returncode == 2
    assert finished.stderr.splitlines() == [
        "studybot: STUDYBOT_DISCORD_TOKEN is not set (put it in the environment or in .env)"
    ]


def test_a_bad_setting_in_env_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"STUDYBOT_DISCORD_TOKEN={TOKEN}\nSTUDYBOT_ADMIN_ROLES=mods\n", encoding="utf-8")

    finished = run_studybot(tmp_path, "run")

    assert finished.returncode == 2
    assert finished.stderr.splitlines() == [
        "studybot: bad setting: STUDYBOT_ADMIN_ROLES: Value error, 'mods' is not a Discord id "
        "(a number such as 123456789012345678)"
    ]
    assert TOKEN not in finished.stderr


# ----------------------------------------------------------------- where the database is


def test_the_database_is_the_sqlite_path_unless_a_url_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    default = Settings(_env_file=None)
    assert (default.database, default.database_setting) == ("studybot.sqlite3", "STUDYBOT_DATABASE_PATH")

    monkeypatch.setenv("STUDYBOT_DATABASE_PATH", "/data/bot.sqlite3")
    assert Settings(_env_file=None).database == "/data/bot.sqlite3"  # as before STUDYBOT_DATABASE_URL existed

    monkeypatch.setenv("STUDYBOT_DATABASE_URL", "postgresql://bot:s3cret@db:5432/studybot")
    settings = Settings(_env_file=None)
    assert (settings.database, settings.database_setting) == (
        "postgresql://bot:s3cret@db:5432/studybot",
        "STUDYBOT_DATABASE_URL",
    )
    assert "s3cret" not in repr(settings)

    monkeypatch.setenv("STUDYBOT_DATABASE_URL", "/data/other.sqlite3")
    assert Settings(_env_file=None).database == "/data/other.sqlite3"  # a path is a URL too


@pytest.mark.parametrize("url", ["mysql://bot:s3cret@db/studybot", "sqlite:///data/bot.sqlite3"])
def test_a_database_url_of_another_kind_is_refused_without_showing_it(url: str) -> None:
    with pytest.raises(ValueError, match="database_url") as caught:
        Settings(_env_file=None, database_url=url)

    assert describe_error(caught.value) == (
        "STUDYBOT_DATABASE_URL: Value error, must be a SQLite file path or a "
        "postgresql://user:password@host/database URL"
    )


# ----------------------------------------------------------------- shards


@pytest.mark.parametrize(
    ("count", "ids", "expected", "served"),
    [
        (None, None, None, "all shards"),
        ("4", None, None, "shards 0,1,2,3 of 4"),
        ("4", "0-3", (0, 1, 2, 3), "shards 0,1,2,3 of 4"),
        ("4", "0,2", (0, 2), "shards 0,2 of 4"),
        ("6", " 4-5, 0 ,1-1", (0, 1, 4, 5), "shards 0,1,4,5 of 6"),
        ("2", "1", (1,), "shard 1 of 2"),
    ],
)
def test_shards_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, count: str | None, ids: str | None, expected: tuple[int, ...] | None, served: str
) -> None:
    for name, value in (("STUDYBOT_SHARD_COUNT", count), ("STUDYBOT_SHARD_IDS", ids)):
        if value is not None:
            monkeypatch.setenv(name, value)

    settings = Settings(_env_file=None)

    assert settings.shard_count == (None if count is None else int(count))
    assert settings.shard_ids == expected
    assert settings.shards_served == served


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"shard_ids": "0-1"}, "STUDYBOT_SHARD_IDS: Value error, needs STUDYBOT_SHARD_COUNT"),
        ({"shard_count": "2", "shard_ids": "0-2"}, "STUDYBOT_SHARD_IDS: Value error, shard 2 does not exist with"),
        ({"shard_count": "2", "shard_ids": "one"}, "STUDYBOT_SHARD_IDS: Value error, 'one' is not a shard number"),
        ({"shard_count": "4", "shard_ids": "1-"}, "STUDYBOT_SHARD_IDS: Value error, '1-' is not a shard number"),
        ({"shard_count": "4", "shard_ids": "3-1"}, "STUDYBOT_SHARD_IDS: Value error, '3-1' is an empty range"),
        ({"shard_count": "4", "shard_ids": [-1]}, "STUDYBOT_SHARD_IDS: Value error, shard -1 does not exist with"),
        ({"shard_count": "0"}, "STUDYBOT_SHARD_COUNT: Input should be greater than or equal to 1"),
    ],
)
def test_bad_shards_name_their_setting(values: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match="shard") as caught:
        Settings(_env_file=None, **values)

    assert describe_error(caught.value).startswith(problem)
