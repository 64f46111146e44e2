"""Child process for the store tests that need a second process writing to the same database.

``python store_writer.py kill DATABASE FIRST``: 👎 in a tight loop until killed (each a transaction inserting a vote
and a logged question, texts padded to span several pages); after each commit its number is printed and flushed, so
every number the parent reads was committed.

``python store_writer.py burst DATABASE WRITER ROUNDS``: ROUNDS rounds, several at a time on the store's connections,
of: a right quiz answer by the shared user, an unanswered question of this writer's own, and a 👎 by voter ROUND on
the shared question (citation: this writer's). Prints ``done`` at the end.
"""

from __future__ import annotations

import asyncio
import sys

from bot.store import Store, open_store

KEY = b"second-process key"
PADDING = "x" * 6000
SHARED_USER = 42
SHARED_QUESTION = "Why is the sky blue?"
AT_ONCE = 8


async def write_until_killed(store: Store, number: int) -> None:
    while True:
        await store.record_feedback(number, -1, f"question {number} {PADDING}", None, f"citation {number}")
        print(number, flush=True)
        number += 1


async def burst(store: Store, writer: int, rounds: int) -> None:
    async def one_round(number: int) -> None:
        await store.record_quiz(SHARED_USER, True)
        await store.log_question(f"writer {writer} question {number}", None, SHARED_USER, "unanswered")
        await store.record_feedback(number, -1, SHARED_QUESTION, None, f"writer {writer}")

    for first in range(0, rounds, AT_ONCE):
        await asyncio.gather(*(one_round(n) for n in range(first, min(first + AT_ONCE, rounds))))
    print("done", flush=True)


async def main(mode: str, database: str, *numbers: int) -> None:
    async with await open_store(database, KEY) as store:
        if mode == "kill":
            await write_until_killed(store, *numbers)
        else:
            await burst(store, *numbers)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])))
