"""Speed and memory: per-query latency, a synthetic corpus of 10,000 passages, and ``studybot ask`` as a process."""

from __future__ import annotations

import gc
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import knowledge.index


def latency(system: Callable[[str], object], questions: Sequence[str], repeat: int) -> tuple[float, float, float]:
    """p50, mean and p99 in microseconds of one call, over ``repeat`` passes of all questions."""
    times = []
    for _ in range(repeat):
        for question in questions:
            start = time.perf_counter_ns()
            system(question)
            times.append(time.perf_counter_ns() - start)
    times.sort()
    return times[len(times) // 2] / 1000, statistics.fmean(times) / 1000, times[int(len(times) * 0.99)] / 1000


def synthetic_folder(passages: int, seed: int = 7) -> tuple[Path, list[str]]:
    """A knowledge folder with ``passages`` sentences of Zipf-distributed pseudo-words, and questions about it:
    300 built from its sentences (30% with a typo) and 30 about things it never mentions."""
    rng = random.Random(seed)
    syllables = ["ka", "to", "mi", "ra", "ne", "so", "lu", "vi", "de", "po", "shi", "an", "er", "ul", "om"]
    vocabulary = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(12000)})
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    sentences = []
    for _ in range(passages):
        chosen = rng.choices(vocabulary, weights=weights, k=rng.randint(8, 22))
        sentences.append(" ".join(chosen).capitalize() + ".")
    folder = Path(tempfile.mkdtemp(prefix="studybot-bench-"))
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    (folder / "synthetic.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    questions = []
    for _ in range(300):
        words = rng.choice(sentences).rstrip(".").lower().split()
        picked = rng.sample(words, k=min(len(words), rng.randint(3, 6)))
        if rng.random() < 0.3:  # a typo in one word
            i = rng.randrange(len(picked))
            w = picked[i]
            if len(w) > 4:
                j = rng.randrange(len(w) - 1)
                picked[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        questions.append(" ".join(picked) + "?")
    questions += [f"what is {rng.choice(['football', 'bitcoin', 'chemistry', 'tomato'])} about?" for _ in range(30)]
    return folder, questions


@contextmanager
def python_search() -> Iterator[None]:
    """Indexes built inside search in Python even where numpy is installed: what a folder without the ``fast``
    extra gets, measured in the same run."""
    saved = knowledge.index.DENSE_FROM
    knowledge.index.DENSE_FROM = sys.maxsize
    try:
        yield
    finally:
        knowledge.index.DENSE_FROM = saved


def measure_build(factory: Callable[[], object]) -> tuple[object, float, float]:
    """Build something, returning it with the seconds taken and the MiB of Python memory it holds."""
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    built = factory()
    seconds = time.perf_counter() - start
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return built, seconds, current / 2**20


def process_time(args: list[str], runs: int) -> float:
    """Median wall seconds of running ``studybot`` with ``args`` as a fresh process."""
    exe = Path(sys.executable).with_name("studybot")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*command, *args], check=True, capture_output=True, cwd=tempfile.gettempdir())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def python_floor(runs: int) -> float:
    """Median wall seconds of ``python -c pass``: the part of a process's time that is not ours."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
