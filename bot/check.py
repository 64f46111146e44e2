"""``studybot check``: validate a knowledge folder from the terminal, as ``/reload`` does, with an exit code for CI.

Besides loading every file (any error is ``file:line: reason`` and exit 1), it lists every curated phrasing that does
not bring back its own pair (another pair answers it, a bare sentence does, or nothing does) and every quote that opens
on a word pointing back at a sentence it leaves out ("This is fundamentally important..."): exit 1 with ``--strict``;
and, if the bot's database is there, how many of the logged open questions this knowledge answers.
Each server's sub-folder is then loaded as the bot loads it (its texts beside the shared ones, no name taken twice),
so a broken file is found here rather than by the first student of that server to ask.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.store import READ_ONLY_KEY, SchemaTooNew, StoreUnavailable, is_postgres, open_store
from knowledge.corpus import Knowledge, course_texts, load_knowledge
from knowledge.curation import LoneQuote, Miss, lone_quotes, misses
from knowledge.errors import KnowledgeError
from knowledge.formats.reading import Reading
from knowledge.library import Library
from knowledge.retriever import Retriever
from knowledge.semantic import Encoder
from knowledge.view import View

EXIT_OK = 0
EXIT_BROKEN = 1


def run_check(
    knowledge_dir: str | None,
    threshold: float,
    database: str | None,
    *,
    strict: bool,
    reading: Reading,
    servers: Mapping[int, str] | None = None,
    encoder: Encoder | None = None,
) -> int:
    """Validate, report, and return the exit code (a text that cannot be read fails the check, as it fails a
    reload: one ``file: reason`` line each). ``servers`` maps server ids to the names of their sub-folders
    (``STUDYBOT_GUILD_FOLDERS``); ``encoder`` weighs closeness in meaning as the bot does (``STUDYBOT_SEMANTIC``)."""
    root = Path(knowledge_dir) if knowledge_dir is not None else None
    if root is not None and root.is_dir() and not course_texts(root) and _server_folders(root):
        print(f"{root}: no shared texts (each server sees its own folder only)")
        return _check_servers(root, dict(servers or {}), threshold, reading, strict=strict, top=None, encoder=encoder)
    try:
        knowledge = load_knowledge(knowledge_dir, reading)
        knowledge.check_complete()
    except KnowledgeError as exc:
        _print_error(exc)
        return EXIT_BROKEN
    _print_sizes(knowledge)
    retriever = Retriever(knowledge, threshold, encoder)
    missed, lone = _warn(retriever)
    if database is not None and (is_postgres(database) or Path(database).exists()):
        try:
            answered, logged, location = asyncio.run(_replay_open_questions(database, retriever))
        except (StoreUnavailable, SchemaTooNew) as exc:
            print(f"warning: {exc}; the logged questions were not replayed", file=sys.stderr)
        else:
            print(f"{answered} of the {logged} open unanswered questions in {location} are answered by this knowledge")
    print(f"ok: {knowledge.folder} ({_misses(missed, lone)})")
    failed = EXIT_BROKEN if strict and (missed or lone) else EXIT_OK
    if root is not None:  # the shared texts as just checked: each server's folder is read beside them
        top = View(retriever, None, str(root), None)
        servers_failed = _check_servers(
            root, dict(servers or {}), threshold, reading, strict=strict, top=top, encoder=encoder
        )
        failed = max(failed, servers_failed)
    return failed


def _server_folders(root: Path) -> list[Path]:
    """The sub-folders a knowledge folder holds for servers (hidden ones, such as ``.removed``, are not)."""
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def _check_servers(
    root: Path,
    servers: dict[int, str],
    threshold: float,
    reading: Reading,
    *,
    strict: bool,
    top: View | None,
    encoder: Encoder | None = None,
) -> int:
    """Load each server's sub-folder beside the shared texts (``top``, None if there are none) as the bot does on
    that server's first question."""
    named = set(servers.values())
    library = Library(reading, threshold, encoder)
    failed = EXIT_OK
    for folder in _server_folders(root):
        if folder.name not in named and not folder.name.isdigit():
            print(f"warning: {folder}: neither a server id nor a name in STUDYBOT_GUILD_FOLDERS: no server sees it")
        try:
            view = library.view(root, folder, top)
            if view.own is not None:
                view.own.knowledge.check_complete()
        except KnowledgeError as exc:
            _print_error(exc)
            failed = EXIT_BROKEN
            continue
        missed, lone = _warn(view.own) if view.own is not None else ([], [])
        texts = len(view.own.knowledge.documents) if view.own is not None else 0
        print(f"ok: {folder} ({texts} text{'' if texts == 1 else 's'} of its own; {_misses(missed, lone)})")
        if strict and (missed or lone):
            failed = EXIT_BROKEN
    return failed


def _print_error(error: KnowledgeError) -> None:
    for line in str(error).splitlines():
        print(f"studybot check: {line}", file=sys.stderr)


def _warn(retriever: Retriever) -> tuple[list[Miss], list[LoneQuote]]:
    """Print the warnings of a folder's curated pairs: phrasings that miss their pair, then lone quotes."""
    return _warn_misses(retriever), _warn_lone_quotes(retriever.knowledge)


def _warn_misses(retriever: Retriever) -> list[Miss]:
    """Print a warning for each curated phrasing that does not bring back its own pair, and return them."""
    missed = misses(retriever)
    for miss in missed:
        other = miss.answered_by
        got = f"{other.key} (line {other.line})" if other is not None else miss.outcome()
        print(f"warning: “{miss.phrasing}” ({miss.pair.key}, line {miss.pair.line}) gets {got}")
    return missed


def _warn_lone_quotes(knowledge: Knowledge) -> list[LoneQuote]:
    """Print a warning for each curated quote that opens pointing back at a sentence it leaves out, and return them."""
    found = lone_quotes(knowledge)
    for lone in found:
        opening = " ".join(lone.pair.quote.split()[:4])
        where = f"p{lone.before.paragraph}.s{lone.before.number}"
        print(
            f"warning: the quote of {lone.pair.key} (line {lone.pair.line}) opens “{opening}…”, pointing back at "
            f"{where}: start the quote there, so that a reader sees what it refers to"
        )
    return found


def _misses(missed: list[Miss], lone: list[LoneQuote]) -> str:
    phrasings, quotes = len(missed), len(lone)
    said = []
    if phrasings:
        many = phrasings > 1
        said.append(
            f"{phrasings} curated question{'s' if many else ''} not answered by {'their' if many else 'its'} own pair"
        )
    if quotes:
        said.append(f"{quotes} quote{'s' if quotes > 1 else ''} pointing back at a sentence left out")
    return "; ".join(said) or "every curated question brings back its own pair"


def _print_sizes(knowledge: Knowledge) -> None:
    for document in knowledge.documents:
        pairs = len(knowledge.pairs_of(document.source))
        counts = [(len(document.paragraphs), "paragraph"), (len(document.sentences), "sentence"), (pairs, "Q&A pair")]
        print(f"{document.source}: " + ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts))


async def _replay_open_questions(database: str, retriever: Retriever) -> tuple[int, int, str]:
    async with await open_store(database, READ_ONLY_KEY) as store:
        logged = [q for q in await store.open_questions(limit=10_000) if q.kind == "unanswered"]
    return sum(retriever.ask(q.question, q.source).answered for q in logged), len(logged), store.location
