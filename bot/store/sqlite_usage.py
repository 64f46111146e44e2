"""The usage figures' SQL for SQLite: times are stored as UTC ISO 8601 text, so a day is its first 10 characters."""

from __future__ import annotations

import sqlite3
from datetime import date

from bot.store.usage import UNANSWERED_ROWS, Usage, Window, assemble_usage

# "(? IS NULL OR guild_id = ?)": one statement for one server and for all of them; the guild is passed twice.
_IN_SCOPE = "at >= ? AND at < ? AND (? IS NULL OR guild_id = ?)"


def read_usage(conn: sqlite3.Connection, guild_id: int | None, window: Window) -> Usage:
    """Every figure from one snapshot (one read transaction), on the store's worker thread."""
    scope = (window.since.isoformat(), window.until.isoformat(), guild_id, guild_id)
    conn.execute("BEGIN")
    try:
        days = [
            (date.fromisoformat(day), bool(answered), number)
            for day, answered, number in conn.execute(
                f"SELECT substr(at, 1, 10), answered, COUNT(*) FROM asks WHERE {_IN_SCOPE} GROUP BY 1, 2", scope
            )
        ]
        texts = conn.execute(
            f"SELECT source, COUNT(*), SUM(answered) FROM asks WHERE {_IN_SCOPE} GROUP BY source", scope
        ).fetchall()
        votes = conn.execute(
            f"SELECT citation, SUM(vote > 0), SUM(vote < 0) FROM feedback WHERE {_IN_SCOPE} GROUP BY citation", scope
        ).fetchall()
        unanswered = conn.execute(
            "SELECT question, asker, COUNT(*) FROM questions WHERE kind = 'unanswered' AND resolved_at IS NULL"
            f" AND {_IN_SCOPE} GROUP BY question, asker ORDER BY COUNT(*) DESC LIMIT ?",
            (*scope, UNANSWERED_ROWS),
        ).fetchall()
        [(askers,)] = conn.execute(f"SELECT COUNT(DISTINCT asker) FROM asks WHERE {_IN_SCOPE}", scope).fetchall()
    finally:
        conn.execute("COMMIT")
    return assemble_usage(
        guild_id, window, day_rows=days, text_rows=texts, vote_rows=votes, unanswered_rows=unanswered, askers=askers
    )
