"""bot/store/migrations.py: the numbered SQL steps of each backend, and the refusal of a schema from the future."""

from __future__ import annotations

import pytest

from bot.store.migrations import DIALECTS, Dialect, SchemaTooNew, latest_version, migrations, pending


def test_every_backend_has_the_same_steps_numbered_without_a_gap() -> None:
    steps = {dialect: [(step.version, step.name) for step in migrations(dialect)] for dialect in DIALECTS}

    assert steps["sqlite"] == steps["postgresql"]
    assert [version for version, _ in steps["sqlite"]] == list(range(1, latest_version() + 1))
    assert steps["sqlite"][0] == (1, "study_features")


def created_tables(dialect: Dialect) -> list[str]:
    return [
        line.split()[2].lower()
        for step in migrations(dialect)
        for line in step.sql.splitlines()
        if line.upper().startswith("CREATE TABLE")
    ]


def test_every_backend_creates_the_same_tables() -> None:
    assert created_tables("sqlite") == created_tables("postgresql")
    assert {"questions", "feedback", "streaks"} <= set(created_tables("sqlite"))


def test_pending_steps_and_a_newer_schema() -> None:
    assert pending("sqlite", 0, "x") == migrations("sqlite")
    assert pending("postgresql", latest_version(), "x") == ()

    with pytest.raises(SchemaTooNew) as refused:
        pending("sqlite", latest_version() + 1, "study.sqlite3")

    assert str(refused.value) == (
        f"the database study.sqlite3 has schema version {latest_version() + 1}, newer than this studybot's "
        f"{latest_version()}: upgrade studybot, or point STUDYBOT_DATABASE_URL at another database"
    )
