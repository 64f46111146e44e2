"""Child process for ``test_storage.py``'s kill test: write in a tight loop until killed.

Each write is a 👎 (one transaction inserting a vote and a logged question, texts padded to span several pages);
after it commits, its number is printed and flushed, so every number the parent reads was committed.
Usage: ``python storage_writer.py DATABASE_PATH FIRST_NUMBER``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.storage import Storage

KEY = b"kill-test key"
PADDING = "x" * 6000


async def write_until_killed(path: Path, number: int) -> None:
    storage = await Storage.open(path, KEY)
    while True:
        await storage.record_feedback(number, -1, f"question {number} {PADDING}", None, f"citation {number}")
        print(number, flush=True)
        number += 1


if __name__ == "__main__":
    asyncio.run(write_until_killed(Path(sys.argv[1]), int(sys.argv[2])))
