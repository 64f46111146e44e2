"""``studybot check``: validate a knowledge folder from the terminal, as ``/reload`` does, with an exit code for CI.

Besides loading every file (any error is ``file:line: reason`` and exit 1), it lists curated questions that another
pair answers (collisions: exit 1 with ``--strict``), and, if the bot's database is there, how many of the logged
open questions this knowledge now answers.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.storage import Storage
from knowledge.corpus import Knowledge, load_knowledge
from knowledge.curation import collisions
from knowledge.errors import KnowledgeError
from knowledge.formats.reading import Reading
from knowledge.retriever import Retriever

EXIT_OK = 0
EXIT_BROKEN = 1
READ_ONLY_KEY = b"studybot check reads, never hashes"
"""Storage wants a key to hash user ids with; check only reads, so no real key is needed."""


def run_check(
    knowledge_dir: str | None, threshold: float, database: Path | None, *, strict: bool, reading: Reading
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
    clashes = collisions(retriever)
    for clash in clashes:
        print(
            f"warning: “{clash.phrasing}” ({clash.pair.key}, line {clash.pair.line}) is answered by "
            f"{clash.answered_by.key} (line {clash.answered_by.line})"
        )
    if database is not None and database.exists():
        answered, logged = asyncio.run(_replay_open_questions(database, retriever))
        print(f"{answered} of the {logged} open unanswered questions in {database} are answered by this knowledge")
    print(f"ok: {knowledge.folder} ({len(clashes)} collision{'' if len(clashes) == 1 else 's'})")
    return EXIT_BROKEN if strict and clashes else EXIT_OK


def _print_sizes(knowledge: Knowledge) -> None:
    for document in knowledge.documents:
        pairs = len(knowledge.pairs_of(document.source))
        counts = [(len(document.paragraphs), "paragraph"), (len(document.sentences), "sentence"), (pairs, "Q&A pair")]
        print(f"{document.source}: " + ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts))


async def _replay_open_questions(database: Path, retriever: Retriever) -> tuple[int, int]:
    async with await Storage.open(database, READ_ONLY_KEY) as storage:
        logged = [q for q in await storage.open_questions(limit=10_000) if q.kind == "unanswered"]
    return sum(retriever.ask(q.question, q.source).answered for q in logged), len(logged)
