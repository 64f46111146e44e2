"""The ``studybot`` command: ``ask`` and ``check`` work offline; ``run`` and ``sync`` talk to Discord; ``health``
reads the running bot's heartbeat from its database, ``stats`` its usage figures.

Each command imports only what it needs, so ``studybot ask`` never pays for discord.py.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.stats import add_stats_parser
from knowledge.cli import EXIT_USAGE, add_ask_parser, run_ask

if TYPE_CHECKING:
    from bot.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; return its exit code."""
    parser = argparse.ArgumentParser(prog="studybot", description="Cited answers about a course text.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_ask_parser(commands)
    check = commands.add_parser("check", help="validate the knowledge folder and exit (non-zero if broken)")
    check.add_argument("--knowledge-dir", help="knowledge folder to check (default: STUDYBOT_KNOWLEDGE_DIR or bundled)")
    check.add_argument(
        "--strict",
        action="store_true",
        help="fail too if a curated question does not bring back its own pair, or a quote points back at a sentence "
        "it leaves out",
    )
    commands.add_parser("run", help="run the Discord bot until stopped (Ctrl-C or SIGTERM)")
    commands.add_parser("sync", help="register the slash commands with Discord once, then exit")
    commands.add_parser("health", help="exit 0 if the running bot's heartbeat is fresh (60 s), 1 if not")
    add_stats_parser(commands)
    args = parser.parse_args(argv)

    settings = _load_settings()
    if settings is None:
        return EXIT_USAGE
    knowledge_dir = str(settings.knowledge_dir) if settings.knowledge_dir else None
    if args.command == "ask":
        return run_ask(
            args,
            knowledge_dir,
            settings.answer_threshold,
            sys.stdin,
            sys.stdout,
            reading=settings.reading(),
            semantic=settings.semantic,
        )
    if args.command == "check":
        return _check(args, settings, knowledge_dir)
    if args.command == "health":
        from bot.health import run_health

        return run_health(settings)
    if args.command == "stats":
        from bot.stats import run_stats

        return run_stats(args, settings.database, settings.database_setting, sys.stdout)
    from bot.app import run_bot, sync_commands

    return run_bot(settings) if args.command == "run" else sync_commands(settings)


def _check(args: argparse.Namespace, settings: Settings, knowledge_dir: str | None) -> int:
    """``studybot check``, weighing answers as the bot with the same settings does."""
    from bot.check import run_check
    from knowledge.semantic import SemanticUnavailable

    try:
        encoder = settings.encoder()
    except SemanticUnavailable as exc:
        print(f"studybot check: STUDYBOT_SEMANTIC is on, but {exc}", file=sys.stderr)
        return EXIT_USAGE
    return run_check(
        args.knowledge_dir or knowledge_dir,
        settings.answer_threshold,
        settings.database,
        strict=args.strict,
        reading=settings.reading(),
        servers=settings.guild_folders,
        encoder=encoder,
    )


def _load_settings() -> Settings | None:
    """Build the settings once, or say in one line what is wrong with them (no traceback)."""
    from bot.settings import Settings, describe_error

    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError, or an unreadable .env
        print(f"studybot: bad setting: {describe_error(exc)}", file=sys.stderr)
        return None


if __name__ == "__main__":
    sys.exit(main())
