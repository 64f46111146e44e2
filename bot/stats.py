"""``studybot stats``: the usage figures from the bot's database in a terminal, as a table or JSON, and the chart.

It reads the database the settings name (``STUDYBOT_DATABASE_URL`` or ``STUDYBOT_DATABASE_PATH``), as ``studybot
health`` does; the figures are the store's (:meth:`bot.store.Store.usage`), so they are the ones ``/stats`` shows.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.store import (
    DEFAULT_DAYS,
    READ_ONLY_KEY,
    RETENTION_DAYS,
    SchemaTooNew,
    StoreUnavailable,
    Usage,
    is_postgres,
    open_store,
)
from bot.store.usage import percent
from bot.usage_chart import chart_png, charts_available

EXIT_OK = 0
EXIT_NO_DATABASE = 1
EXIT_USAGE = 2


def _days(text: str) -> int:
    """A number of days the figures can cover: 1 to the retention."""
    if not text.isdigit() or not 1 <= int(text) <= RETENTION_DAYS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days from 1 to {RETENTION_DAYS}")
    return int(text)


def _guild(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a Discord server id (a number such as 123456789012345678)")
    return int(text)


def add_stats_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``stats`` on the ``studybot`` command line."""
    stats = commands.add_parser(
        "stats",
        help="usage figures from the bot's database: questions per day, answered, votes, per text",
        description="Questions per UTC day, the share answered, 👍/👎, per text, and the most asked questions still "
        "unanswered, from the database the settings name.",
    )
    stats.add_argument("--guild", type=_guild, help="one server's figures (default: every server and DMs)")
    stats.add_argument(
        "--days", type=_days, default=DEFAULT_DAYS, help=f"days back, today included (default {DEFAULT_DAYS})"
    )
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.add_argument("--chart", type=Path, metavar="PNG", help="also draw the questions per day into this PNG file")


def run_stats(args: argparse.Namespace, database: str, database_setting: str, stdout: TextIO) -> int:
    """Print the figures (and write the chart); a missing or unusable database is one line on stderr and exit 1."""
    if args.chart is not None and not charts_available():
        print("studybot stats: --chart needs the charts extra: pip install 'studybot[charts]'", file=sys.stderr)
        return EXIT_USAGE
    if not is_postgres(database) and not Path(database).exists():
        missing = f"no database at {database} ({database_setting}): nothing was counted yet"
        print(f"studybot stats: {missing}", file=sys.stderr)
        return EXIT_NO_DATABASE
    import asyncio  # only here: `studybot ask`, which builds this command's parser too, never runs a loop

    try:
        usage = asyncio.run(_usage(database, args.guild, args.days))
    except (StoreUnavailable, SchemaTooNew) as exc:
        print(f"studybot stats: {exc}", file=sys.stderr)
        return EXIT_NO_DATABASE
    if args.chart is not None:
        try:
            args.chart.write_bytes(chart_png(usage))
        except OSError as exc:
            print(f"studybot stats: cannot write the chart to {args.chart}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.json:
        print(json.dumps(usage_json(usage), ensure_ascii=False), file=stdout)
    else:
        print("\n".join(usage_lines(usage)), file=stdout)
    return EXIT_OK


async def _usage(database: str, guild_id: int | None, days: int) -> Usage:
    async with await open_store(database, READ_ONLY_KEY) as store:
        return await store.usage(guild_id, days)


def usage_json(usage: Usage) -> dict[str, Any]:
    """The figures for programs: every day, every text, the open questions; dates as ISO 8601 (UTC days)."""
    return {
        "guild_id": usage.guild_id,
        "first_day": usage.window.first.isoformat(),
        "last_day": usage.window.last.isoformat(),
        "asked": usage.asked,
        "answered": usage.answered,
        "share_answered": usage.share_answered,
        "askers": usage.askers,
        "up": usage.up,
        "down": usage.down,
        "days": [{"day": d.day.isoformat(), "asked": d.asked, "answered": d.answered} for d in usage.days],
        "texts": [
            {"source": t.source, "asked": t.asked, "answered": t.answered, "up": t.up, "down": t.down}
            for t in usage.texts
        ],
        "unanswered": [{"question": q.question, "asked": q.asked, "askers": q.askers} for q in usage.unanswered],
    }


def usage_lines(usage: Usage) -> list[str]:
    """The figures for people: a summary, then a table per day, per text, and the open questions."""
    where = "every server and DMs" if usage.guild_id is None else f"server {usage.guild_id}"
    people = f"{usage.askers} {'person' if usage.askers == 1 else 'people'}"
    lines = [
        f"{usage.window.first} to {usage.window.last} (UTC days), {where}",
        f"{usage.asked} questions from {people}, {percent(usage.answered, usage.asked)} answered, "
        f"👍 {usage.up} 👎 {usage.down}",
        "",
        f"{'day':<10}  {'asked':>6}  {'answered':>8}",
        *(f"{d.day}  {d.asked:>6}  {d.answered:>8}" for d in usage.days),
    ]
    if usage.texts:
        width = max(len(t.source or "(no text covered it)") for t in usage.texts)
        lines += ["", f"{'text':<{width}}  {'asked':>6}  {'answered':>8}  {'share':>5}  {'up':>5}  {'down':>5}"]
        lines += [
            f"{t.source or '(no text covered it)':<{width}}  {t.asked:>6}  {t.answered:>8}  "
            f"{percent(t.answered, t.asked):>5}  {t.up:>5}  {t.down:>5}"
            for t in usage.texts
        ]
    if usage.unanswered:
        lines += ["", "most asked, still unanswered:"]
        lines += [
            f"{q.asked:>5}×  {' '.join(q.question.split())}  ({q.askers} {'person' if q.askers == 1 else 'people'})"
            for q in usage.unanswered
        ]
    return lines
