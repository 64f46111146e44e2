"""Measure serving many servers: memory per server with texts of their own or shared, and start-up time with
thousands of server folders.

    python bench/tenancy.py                 # 200 servers, 5,000 folders (a few minutes on 2 cores)
    python bench/tenancy.py --quick         # 50 servers, 1,000 folders

Each memory scenario runs in a fresh process and loads every server's view the way the bot does on each server's
first question (``Tenancy.serving``), keeping them all; it prints the process's resident memory (RSS) grown by
loading all but the first (which also loads what a process loads once), per server, and how many distinct texts
and indexes the library holds. The texts are about 20 pages (10,000
words) each, built from the paragraphs of ``bench/texts`` in a different order and mix for each server, so that
every server's text is distinct. Scenarios:

- ``own``: every server has a text of its own (no shared text);
- ``shared``: one shared text, servers without folders of their own;
- ``copies``: every server's folder holds a copy of the same file;
- ``own+shared``: one shared text, and every server a text of its own besides;
- ``naive``: the shared text indexed once per server (what sharing avoids), for comparison.

Start-up: ``create_bot`` (what ``studybot run`` does before connecting) over a knowledge folder with 0 and with N
server folders (each holding a small text), the first question's view load for one of them, and loading every
server's view at start (what lazy loading avoids) for a sample, extrapolated to N. And the cost of a view of two
indexes: one question asked of the shared essay alone, and of the essay plus a 20-page text of the server's own.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import create_bot  # noqa: E402
from bot.settings import Settings  # noqa: E402
from knowledge.corpus import BUNDLED_DIR  # noqa: E402
from knowledge.formats.reading import Reading  # noqa: E402
from knowledge.library import Library  # noqa: E402
from knowledge.retriever import DEFAULT_THRESHOLD, build_retriever  # noqa: E402
from knowledge.view import View  # noqa: E402

PARAGRAPHS = [
    block.strip()
    for text in sorted((ROOT / "bench" / "texts").glob("*.txt"))
    for block in text.read_text(encoding="utf-8").split("\n\n")
    if len(block.split()) > 20
]
WORDS = 10_000
"""About 20 pages of 500 words."""
SCENARIOS = ("own", "shared", "copies", "own+shared", "naive")
QUESTIONS = [
    "What is the only goal of soft power?",
    "How does Japan use educational exchanges?",
    "what is photosynthesis",
    "Who was the first president of Brazil?",
]


def server_text(seed: int) -> str:
    """A ~20-page course text of its own for server ``seed``: the bench texts' paragraphs, shuffled and mixed."""
    rng = random.Random(seed)
    chosen: list[str] = [f"These are the course notes of study group {seed}."]
    while sum(len(p.split()) for p in chosen) < WORDS:
        chosen.append(rng.choice(PARAGRAPHS))
    return "\n\n".join(chosen) + "\n"


def rss_mib() -> float:
    """This process's resident memory now (not its peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (Linux only)")


def layout(root: Path, scenario: str, servers: int) -> dict[int, str]:
    """Write the knowledge folder of a scenario; the server ids to folder names (ids are 1..servers)."""
    root.mkdir(parents=True)
    if scenario in ("shared", "own+shared", "naive"):
        (root / "shared.txt").write_text(server_text(0), encoding="utf-8")
    if scenario in ("own", "copies", "own+shared"):
        for guild in range(1, servers + 1):
            (root / str(guild)).mkdir()
            text = server_text(1 if scenario == "copies" else guild)
            (root / str(guild) / "notes.txt").write_text(text, encoding="utf-8")
    return {}


def measure(scenario: str, root: Path, servers: int) -> dict[str, object]:
    """Load every server's view as the bot does (or, for ``naive``, a retriever of its own each), keep them all.

    The first server's load is the baseline (it also loads what every process loads once: the libraries, the
    general-English word frequencies); the figure is what the other ``servers - 1`` add.
    """
    kept: list[object] = []
    sizes: tuple[int, int] = (0, 0)
    if scenario == "naive":
        kept.append(build_retriever(str(root)))
        gc.collect()
        before, started = rss_mib(), time.perf_counter()
        kept += [build_retriever(str(root)) for _ in range(servers - 1)]
    else:
        bot = create_bot(Settings(_env_file=None, knowledge_dir=root))

        async def load(guilds: range) -> None:
            for guild in guilds:
                kept.append(await bot.tenancy.serving(guild))

        asyncio.run(load(range(1, 2)))
        gc.collect()
        before, started = rss_mib(), time.perf_counter()
        asyncio.run(load(range(2, servers + 1)))
        sizes = bot.tenancy.library.sizes
    seconds = time.perf_counter() - started
    gc.collect()
    grown = rss_mib() - before
    return {"scenario": scenario, "rss_mib": grown, "per_server_mib": grown / (servers - 1), "seconds": seconds,
            "texts": sizes[0], "indexes": sizes[1]}  # fmt: skip


def startup(root: Path, folders: int, sample: int) -> dict[str, float]:
    """create_bot over ``folders`` server folders, the first question's load, and eager loading of ``sample``."""
    root.mkdir(parents=True)
    shutil.copy(BUNDLED_DIR / "soft-power-essay.txt", root / "shared.txt")
    empty = root.parent / "empty"
    empty.mkdir()
    shutil.copy(BUNDLED_DIR / "soft-power-essay.txt", empty / "shared.txt")
    small = server_text(7)[:3000]
    for guild in range(1, folders + 1):
        (root / str(guild)).mkdir()
        (root / str(guild) / "notes.txt").write_text(f"Group {guild}. {small}", encoding="utf-8")

    def start(folder: Path) -> float:
        started = time.perf_counter()
        create_bot(Settings(_env_file=None, knowledge_dir=folder))
        return time.perf_counter() - started

    without = statistics.median(start(empty) for _ in range(3))
    with_folders = statistics.median(start(root) for _ in range(3))
    bot = create_bot(Settings(_env_file=None, knowledge_dir=root))

    async def first_use() -> float:
        started = time.perf_counter()
        await bot.tenancy.serving(1)
        return time.perf_counter() - started

    first = asyncio.run(first_use())

    async def eager() -> float:
        started = time.perf_counter()
        for guild in range(2, sample + 2):
            await bot.tenancy.serving(guild)
        return time.perf_counter() - started

    eager_seconds = asyncio.run(eager())
    return {"folders": folders, "start_without": without, "start_with": with_folders, "first_use": first,
            "eager_sample": sample, "eager_sample_seconds": eager_seconds,
            "eager_all_seconds": eager_seconds / sample * folders}  # fmt: skip


def latency(root: Path) -> tuple[float, float]:
    """Median time of one question asked of the shared essay alone, and of a view of it plus a 20-page own text."""
    root.mkdir(parents=True)
    for name in ("soft-power-essay.txt", "soft-power-essay.qa.yaml"):
        shutil.copy(BUNDLED_DIR / name, root / name)
    (root / "1").mkdir()
    (root / "1" / "notes.txt").write_text(server_text(1), encoding="utf-8")
    library = Library(Reading(), DEFAULT_THRESHOLD)
    alone, both = library.view(root), library.view(root, root / "1")
    questions = [q for q in QUESTIONS for _ in range(50)]

    def median(view: View) -> float:
        times = []
        for question in questions:
            started = time.perf_counter()
            view.ask(question)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return median(alone), median(both)


def child(scenario: str, servers: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "knowledge"
        layout(root, scenario, servers)
        print(json.dumps(measure(scenario, root, servers)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 servers and 1,000 folders")
    parser.add_argument("--servers", type=int, default=None)
    parser.add_argument("--folders", type=int, default=None)
    parser.add_argument("--scenario", choices=SCENARIOS, help=argparse.SUPPRESS)  # one measurement, in a child
    args = parser.parse_args()
    servers = args.servers or (50 if args.quick else 200)
    if args.scenario:
        child(args.scenario, servers)
        return
    folders = args.folders or (1_000 if args.quick else 5_000)
    print(f"memory: {servers} servers, each text about {WORDS:,} words (~20 pages); RSS added by servers 2-{servers}")
    print(f"{'scenario':<12} {'RSS MiB':>9} {'per server':>11} {'load s':>8} {'texts':>6} {'indexes':>8}")
    for scenario in SCENARIOS:
        command = [sys.executable, __file__, "--scenario", scenario, "--servers", str(servers)]
        found = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        print(
            f"{scenario:<12} {found['rss_mib']:>9.1f} {found['per_server_mib']:>10.2f}M {found['seconds']:>8.2f} "
            f"{found['texts']:>6} {found['indexes']:>8}"
        )
    with tempfile.TemporaryDirectory() as scratch:
        figures = startup(Path(scratch) / "knowledge", folders, min(200, folders))
    with tempfile.TemporaryDirectory() as scratch:
        alone, both = latency(Path(scratch) / "knowledge")
    print(f"\none question, median: the essay alone {alone * 1e6:.0f} µs; with an own 20-page text {both * 1e6:.0f} µs")
    print(f"start-up (create_bot, median of 3) with no server folders: {figures['start_without']:.3f} s")
    print(f"start-up with {folders:,} server folders (lazy: none is read): {figures['start_with']:.3f} s")
    print(f"a server's first question loads its view: {figures['first_use'] * 1000:.0f} ms")
    print(
        f"loading every view at start instead: {figures['eager_sample_seconds']:.2f} s for {figures['eager_sample']}, "
        f"so about {figures['eager_all_seconds']:.0f} s for {folders:,}"
    )


if __name__ == "__main__":
    main()
