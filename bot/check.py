"""``studybot check``: validate a knowledge folder from the terminal, as ``/reload`` does, with an exit code for CI.

Besides loading every file (any error is ``file:line: reason`` and exit 1), it lists every curated phrasing that does
not bring back its own pair (another pair answers it, a bare sentence does, or nothing does: exit 1 with
``--strict``), and, if the bot's database is there, how many of the logged open questions this knowledge answers.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.store import SchemaTooNew, StoreUnavailable, is_postgres, open_store
from knowledge.corpus import Knowledge, load_knowledge
from knowledge.curation import misses
from knowledge.errors import KnowledgeError
from knowledge.formats.reading import Reading
from knowledge.retriever import Retriever

EXIT_OK = 0
EXIT_BROKEN = 1
READ_ONLY_KEY = b"studybot check reads, never hashes"
"""A store wants a key to hash user ids with; check only reads, so no real key is needed."""


def run_check(
    knowledge_dir: str | None, threshold: float, database: str | None, *, strict: bool, reading: Reading
) -> int:
    """Validate, report, and return the exit code (a text that cannot be read fails the check, as it fails a
    reload: one ``file: reason`` line each)."""
    try:
        knowledge = load_knowledge(knowledge_dir, reading)
        knowledge.check_complete()
    except KnowledgeError as exc:
        for line in str(exc).splitlines():
            print(f"studybot check: {line}", file=sys.stderr)
        return EXIT_BROKEN
    _print_sizes(knowledge)
    retriever = Retriever(knowledge, threshold)
    missed = misses(retriever)
    for miss in missed:
        other = miss.answered_by
        got = f"{other.key} (line {other.line})" if other is not None else miss.outcome()
        print(f"warning: “{miss.phrasing}” ({miss.pair.key}, line {miss.pair.line}) gets {got}")
    if database is not None and (is_postgres(database) or Path(database).exists()):
        try:
            answered, logged, location = asyncio.run(_replay_open_questions(database, retriever))
        except (StoreUnavailable, SchemaTooNew) as exc:
            print(f"warning: {exc}; the logged questions were not replayed", file=sys.stderr)
        else:
            print(f"{answered} of the {logged} open unanswered questions in {location} are answered by this knowledge")
    print(f"ok: {knowledge.folder} ({_misses(len(missed))})")
    return EXIT_BROKEN if strict and missed else EXIT_OK


def _misses(count: int) -> str:
    if not count:
        return "every curated question brings back its own pair"
    many = count > 1
    return f"{count} curated question{'s' if many else ''} not answered by {'their' if many else 'its'} own pair"


def _print_sizes(knowledge: Knowledge) -> None:
    for document in knowledge.documents:
        pairs = len(knowledge.pairs_of(document.source))
        counts = [(len(document.paragraphs), "paragraph"), (len(document.sentences), "sentence"), (pairs, "Q&A pair")]
        print(f"{document.source}: " + ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts))


async def _replay_open_questions(database: str, retriever: Retriever) -> tuple[int, int, str]:
    async with await open_store(database, READ_ONLY_KEY) as store:
        logged = [q for q in await store.open_questions(limit=10_000) if q.kind == "unanswered"]
    return sum(retriever.ask(q.question, q.source).answered for q in logged), len(logged), store.location
