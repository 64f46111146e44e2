"""Settings → bot → run: the process around the Discord client, including a clean stop on SIGTERM and Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from functools import partial
from pathlib import Path

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.health import Heartbeat
from bot.render import NO_MENTIONS
from bot.replies import reply_privately, report_failure
from bot.serving import ServingKnowledge
from bot.settings import Settings
from bot.store import SchemaTooNew, Store, StoreUnavailable, derive_user_key, open_store
from bot.tenancy import Tenancy
from bot.views import DYNAMIC_ITEMS
from knowledge.corpus import BUNDLED_DIR, course_texts
from knowledge.errors import KnowledgeError
from knowledge.library import Library
from knowledge.semantic import SemanticUnavailable

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.cogs.ask",
    "bot.cogs.admin",
    "bot.cogs.curation",
    "bot.cogs.quiz",
    "bot.cogs.texts",
    "bot.cogs.stats",
)
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class StudyTree(app_commands.CommandTree["StudyBot"]):
    """The command tree, with the one error handler every slash command ends in."""

    async def on_error(self, interaction: discord.Interaction[StudyBot], error: app_commands.AppCommandError) -> None:
        """A short ephemeral message for the user, the traceback for the log; one warning if answered too late."""
        if isinstance(error, app_commands.CheckFailure):
            await reply_privately(interaction, str(error) or "You are not allowed to use this command.")
            return
        command = interaction.command.qualified_name if interaction.command else "?"
        await report_failure(
            interaction,
            error,
            f"command /{command}",
            "Sorry, something went wrong while answering. The error has been logged; please try again.",
        )


class StudyBot(commands.AutoShardedBot):
    """The Discord client: slash commands and mention replies, each answered from its server's view (:class:`Tenancy`).

    Sharded by settings alone: without ``STUDYBOT_SHARD_COUNT`` it runs as many shards as Discord recommends, all in
    this process; with it (and ``STUDYBOT_SHARD_IDS``) this process runs those shards and other processes the rest.
    """

    def __init__(self, settings: Settings, tenancy: Tenancy) -> None:
        # studybot never joins a voice channel: no "PyNaCl/davey is not installed" warnings on every start.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),  # mentions carry their content: no privileged intent is needed
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            tree_cls=StudyTree,
            shard_count=settings.shard_count,
        )
        # Read when connecting; None (all shards of the count) is what discord.py's own typing of the argument omits.
        self.shard_ids = list(settings.shard_ids) if settings.shard_ids else None
        self.settings = settings
        self.tenancy = tenancy
        self.storage: Store | None = None
        self.heartbeat: Heartbeat | None = None

    async def setup_hook(self) -> None:
        """Open the database and start the heartbeat, register the persistent buttons, load the cogs.

        Commands are not synced here: that is ``studybot sync``, once, not on every start.
        """
        self.storage = await self._open_storage()
        self.tenancy.storage = self.storage
        if self.storage is not None:
            self.heartbeat = Heartbeat(self.storage, self.settings.shards_served, self.is_online)
            self.heartbeat.start()
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for extension in EXTENSIONS:
            await self.load_extension(extension)

    async def _open_storage(self) -> Store | None:
        """The database, or None with a warning: answering questions must not depend on a writable folder or a
        reachable database server. A database written by a newer studybot raises :class:`SchemaTooNew`."""
        key = self.settings.user_hash_key.get_secret_value() if self.settings.user_hash_key else None
        try:
            return await open_store(self.settings.database, derive_user_key(key, self.http.token or ""))
        except StoreUnavailable as exc:
            log.warning(
                "cannot use the database %s (%s): %s; running without the question log, feedback and quiz streaks",
                exc.location,
                self.settings.database_setting,
                exc.reason,
            )
            return None

    def is_online(self) -> bool:
        """Ready, and every shard's gateway connection open: what the heartbeat vouches for."""
        return self.is_ready() and not self.is_closed() and not any(s.is_closed() for s in self.shards.values())

    async def close(self) -> None:
        """Close the Discord connection, remove the heartbeat, then close the database (after its last write)."""
        await super().close()
        if self.heartbeat is not None:
            await self.heartbeat.stop()
        if self.storage is not None:
            await self.storage.close()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: mentions are questions, handled by the ask cog's listener."""

    async def on_ready(self) -> None:
        user_id = getattr(self.user, "id", "?")
        served = self.settings.shards_served
        log.info("connected as %s (%s) to %d servers on %s", self.user, user_id, len(self.guilds), served)


def point_client_at(settings: Settings) -> None:
    """Send REST and gateway traffic where the settings say (Discord itself by default, or a proxy or a fake)."""
    discord.http.Route.BASE = settings.api_base_url
    # Not ``gateway_url + "/"``: a URL with a path (a proxy's, a fake's) must keep it as given. yarl already gives
    # a bare host the "/" path discord.py's own default has.
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


def configure_logging(settings: Settings) -> None:
    discord.utils.setup_logging(level=getattr(logging, settings.log_level), root=True)


def create_bot(settings: Settings) -> StudyBot:
    """Build the bot with its shared texts loaded and validated; raise KnowledgeError if they are broken, a text
    that cannot be read included: the bot serves a folder only whole, as a reload does.

    Servers' own sub-folders are not read here but on each server's first use (see :mod:`bot.tenancy`). A folder
    with no shared texts at its top starts if it has such sub-folders: servers without one then get the reason.
    """
    root = settings.knowledge_dir or BUNDLED_DIR
    writable = settings.knowledge_dir is not None and root.resolve() != BUNDLED_DIR.resolve()
    library = Library(settings.reading(), settings.answer_threshold, settings.encoder())
    load = partial(library.view, root, None)
    shared: ServingKnowledge | KnowledgeError
    try:
        view = load()
        view.knowledge.check_complete()
        shared = ServingKnowledge(view, load, writable)
    except KnowledgeError as exc:
        if not writable or course_texts(root) or not _has_server_folders(root):
            raise
        shared = exc
    return StudyBot(settings, Tenancy(library, root, shared, settings.guild_folders, writable))


def _has_server_folders(root: Path) -> bool:
    return any(path.is_dir() and not path.name.startswith(".") for path in root.iterdir())


def _prepare(settings: Settings) -> tuple[StudyBot, str] | int:
    """Everything ``run`` and ``sync`` need before talking to Discord, or the exit code of a clear failure."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print("studybot: STUDYBOT_DISCORD_TOKEN is not set (put it in the environment or in .env)", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings)
    point_client_at(settings)
    try:
        bot = create_bot(settings)
    except KnowledgeError as exc:
        print(f"studybot: cannot load the knowledge folder: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except SemanticUnavailable as exc:
        print(f"studybot: STUDYBOT_SEMANTIC is on, but {exc}", file=sys.stderr)
        return EXIT_USAGE
    return bot, settings.discord_token.get_secret_value().strip()


def run_bot(settings: Settings) -> int:
    """``studybot run``: serve until SIGTERM or Ctrl-C, then close the connection and exit 0."""
    prepared = _prepare(settings)
    if isinstance(prepared, int):
        return prepared
    bot, token = prepared
    try:
        return asyncio.run(_serve(bot, token))
    except KeyboardInterrupt:  # a second Ctrl-C while closing
        return EXIT_OK


async def _serve(bot: StudyBot, token: str) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with bot:
        running = asyncio.create_task(bot.start(token))
        stopping = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if running in done:
            return _exit_code(running)
        log.info("stopping: closing the Discord connection")
        await bot.close()
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await running
    return EXIT_OK


def _exit_code(finished: asyncio.Task[None]) -> int:
    """Turn the way the client stopped by itself into one line and an exit code."""
    error = finished.exception()
    if error is None:
        return EXIT_OK
    if isinstance(error, discord.LoginFailure):
        print("studybot: Discord refused the token (check STUDYBOT_DISCORD_TOKEN)", file=sys.stderr)
    elif isinstance(error, SchemaTooNew):
        print(f"studybot: {error}", file=sys.stderr)
    elif isinstance(error, discord.PrivilegedIntentsRequired):
        print("studybot: Discord asked for a privileged intent; studybot needs none", file=sys.stderr)
    else:
        log.error("the Discord client stopped", exc_info=error)
        print(f"studybot: the Discord client stopped: {error}", file=sys.stderr)
    return EXIT_FAILED


def sync_commands(settings: Settings) -> int:
    """``studybot sync``: register the global slash commands once and exit."""
    prepared = _prepare(settings)
    if isinstance(prepared, int):
        return prepared
    bot, token = prepared
    return asyncio.run(_sync(bot, token))


async def _sync(bot: StudyBot, token: str) -> int:
    async with bot:
        try:
            await bot.login(token)
            synced = await bot.tree.sync()
        except discord.LoginFailure:
            print("studybot: Discord refused the token (check STUDYBOT_DISCORD_TOKEN)", file=sys.stderr)
            return EXIT_FAILED
        except SchemaTooNew as exc:
            print(f"studybot: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except discord.HTTPException as exc:
            print(f"studybot: Discord refused the commands: {exc}", file=sys.stderr)
            return EXIT_FAILED
    print(f"synced {len(synced)} global commands: {', '.join('/' + c.name for c in synced)}")
    print("Discord may take up to an hour to show new global commands everywhere.")
    return EXIT_OK
