"""The schema's versions: numbered plain SQL steps, one folder per backend, applied in order when a store opens.

``schema/<dialect>/NNNN_name.sql`` takes a database from version NNNN - 1 to NNNN. Both folders hold the same steps
(the same tables and columns, each in its own dialect), so adding a table is one new numbered file in each. A store
applies the steps it lacks in one transaction with its version bump, and refuses a database whose version is newer
than the code's: an older studybot must not write into tables it does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

Dialect = Literal["sqlite", "postgresql"]
DIALECTS: tuple[Dialect, ...] = ("sqlite", "postgresql")
_STEP_NAME = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")


@dataclass(frozen=True, slots=True)
class Migration:
    """One step: the version it reaches, its name (the file's, without number), and its SQL."""

    version: int
    name: str
    sql: str


class SchemaTooNew(Exception):
    """The database was written by a newer studybot: refuse to start rather than guess."""

    def __init__(self, location: str, found: int, supported: int) -> None:
        super().__init__(
            f"the database {location} has schema version {found}, newer than this studybot's {supported}: "
            "upgrade studybot, or point STUDYBOT_DATABASE_URL at another database"
        )
        self.found = found
        self.supported = supported


@cache
def migrations(dialect: Dialect) -> tuple[Migration, ...]:
    """Every step for ``dialect``, in order; numbered 1, 2, 3… without a gap (checked, as a gap would skip a step)."""
    folder = files("bot.store").joinpath("schema", dialect)
    steps = []
    for entry in folder.iterdir():
        match = _STEP_NAME.fullmatch(entry.name)
        if match is None:
            raise RuntimeError(f"{dialect} migrations: {entry.name} is not named NNNN_name.sql")
        steps.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    steps.sort(key=lambda step: step.version)
    if [step.version for step in steps] != list(range(1, len(steps) + 1)):
        raise RuntimeError(f"{dialect} migrations are not numbered 1, 2, 3… without a gap")
    return tuple(steps)


def latest_version() -> int:
    """The schema version this code writes: the last step's number (the same for every dialect)."""
    return len(migrations("sqlite"))


def pending(dialect: Dialect, current: int, location: str) -> tuple[Migration, ...]:
    """The steps a database at version ``current`` still needs; raise :class:`SchemaTooNew` if it is ahead."""
    steps = migrations(dialect)
    if current > len(steps):
        raise SchemaTooNew(location, current, len(steps))
    return steps[current:]
