"""Measure studybot's retriever against a naive rapidfuzz baseline, in one run, and print the figures.

    python bench/run.py            # everything (about a minute)
    python bench/run.py --quick    # fewer repetitions, for a smoke run
    python bench/run.py --sweep    # how the shipped threshold was chosen

What it prints, for our retriever and for the baseline (``process.extractOne`` with ``token_set_ratio`` over the
sentences, its cut-off calibrated on the same question set the same way as ours):

- on bench/questions.yaml (our own set) and bench/heldout*.yaml (never used for tuning): top-1 (the best-ranked
  candidate cites an expected sentence, abstention aside), answered-and-right, wrong answers, precision of the
  answers given, and out-of-scope abstention at the shipped threshold; per kind of question;
- query latency p50/p99 on the essay; build time, memory and latency on a synthetic corpus of 10,000 passages;
- the wall time of ``studybot ask`` as a whole process.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from knowledge.corpus import load_knowledge
from knowledge.models import Sentence
from knowledge.retriever import Retriever, build_retriever

HERE = Path(__file__).resolve().parent
SETS = {"own": HERE / "sets/essay/own.yaml", "heldout": HERE / "sets/essay/heldout.yaml", "heldout2": HERE / "sets/essay/heldout2.yaml"}


@dataclass(frozen=True)
class Outcome:
    """What a system did with one question: the sentence ids it cited first (empty if it abstained)."""

    cited: frozenset[str]
    ranked_first: frozenset[str]
    score: float


System = Callable[[str], Outcome]


def ours(retriever: Retriever) -> System:
    def run(question: str) -> Outcome:
        answer = retriever.ask(question)
        ranked = retriever.rank(question, min_confidence=0.0)
        first = ranked[0].citation if ranked else None
        return Outcome(
            _ids(answer.citations[0].paragraph, answer.citations[0].sentences) if answer.answered else frozenset(),
            _ids(first.paragraph, first.sentences) if first else frozenset(),
            answer.confidence,
        )

    return run


class Baseline:
    """The standard first try: the single sentence with the best ``token_set_ratio``, above a cut-off."""

    def __init__(self, sentences: Sequence[Sentence], cutoff: float = 0.0) -> None:
        self.sentences = list(sentences)
        self.choices = [s.text for s in self.sentences]
        self.cutoff = cutoff

    def best(self, question: str) -> tuple[Sentence, float] | None:
        found = process.extractOne(
            question, self.choices, scorer=fuzz.token_set_ratio, processor=lambda s: s.casefold(), score_cutoff=0
        )
        return (self.sentences[found[2]], found[1]) if found else None

    def __call__(self, question: str) -> Outcome:
        best = self.best(question)
        if best is None:
            return Outcome(frozenset(), frozenset(), 0.0)
        sentence, score = best
        ids = frozenset({sentence.id})
        return Outcome(ids if score >= self.cutoff else frozenset(), ids, score)


def _ids(paragraph: int, sentences: Sequence[int]) -> frozenset[str]:
    return frozenset(f"p{paragraph}.s{n}" for n in sentences)


def load_set(path: Path) -> list[dict[str, object]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def quality(system: System, questions: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """Figures overall and per kind: top1, right, wrong, precision, abstain."""
    groups: dict[str, list[tuple[frozenset[str], Outcome]]] = {}
    for q in questions:
        expect = frozenset(str(e) for e in q["expect"])  # type: ignore[attr-defined]
        outcome = system(str(q["q"]))
        for key in ("all", str(q["kind"])):
            groups.setdefault(key, []).append((expect, outcome))
    table = {}
    for key, rows in groups.items():
        answerable = [(e, o) for e, o in rows if e]
        oos = [o for e, o in rows if not e]
        answered = [(e, o) for e, o in answerable if o.cited]
        right = sum(1 for e, o in answered if o.cited & e)
        table[key] = {
            "n": len(rows),
            "top1": sum(1 for e, o in answerable if o.ranked_first & e) / len(answerable) if answerable else math.nan,
            "right": right / len(answerable) if answerable else math.nan,
            "wrong": len(answered) - right,
            "precision": right / len(answered) if answered else math.nan,
            "abstain": sum(1 for o in oos if not o.cited) / len(oos) if oos else math.nan,
        }
    return table


def calibrate_baseline(baseline: Baseline, questions: list[dict[str, object]]) -> float:
    """The lowest cut-off at which the baseline abstains on every out-of-scope question of our own set."""
    scores = [baseline.best(str(q["q"])) for q in questions if not q["expect"]]
    return max((s[1] for s in scores if s), default=0.0) + 1e-6


def latency(system: Callable[[str], object], questions: Sequence[str], repeat: int) -> tuple[float, float]:
    """p50 and p99 in microseconds of one call, over ``repeat`` passes of all questions."""
    times = []
    for _ in range(repeat):
        for question in questions:
            start = time.perf_counter_ns()
            system(question)
            times.append(time.perf_counter_ns() - start)
    times.sort()
    return times[len(times) // 2] / 1000, times[int(len(times) * 0.99)] / 1000


def synthetic_folder(passages: int, seed: int = 7) -> tuple[Path, list[str]]:
    """A knowledge folder with ``passages`` sentences of Zipf-distributed pseudo-words, and questions about it."""
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


def _fmt(value: float) -> str:
    return "  -  " if math.isnan(value) else f"{value:5.3f}"


def print_quality(name: str, tables: dict[str, dict[str, dict[str, float]]]) -> None:
    print(f"\n## Quality on {name} ({int(tables['ours']['all']['n'])} questions)")
    print(f"{'system':9} {'kind':13} {'n':>4} {'top1':>6} {'right':>6} {'wrong':>6} {'prec':>6} {'abstain':>8}")
    for system, table in tables.items():
        for kind in ["all", *sorted(k for k in table if k != "all")]:
            row = table[kind]
            print(
                f"{system:9} {kind:13} {int(row['n']):4d} {_fmt(row['top1']):>6} {_fmt(row['right']):>6} "
                f"{int(row['wrong']):6d} {_fmt(row['precision']):>6} {_fmt(row['abstain']):>8}"
            )


def sweep(retriever: Retriever) -> None:
    """How the shipped threshold was chosen: answers right, wrong and out-of-scope answered, by threshold."""
    print("## Threshold sweep (right / wrong / out-of-scope answered)")
    shipped = retriever.threshold
    for step in range(50, 81, 2):
        retriever.threshold = step / 100
        cells = []
        for path in SETS.values():
            table = quality(ours(retriever), load_set(path))["all"]
            answerable = sum(1 for q in load_set(path) if q["expect"])
            oos = int(table["n"]) - answerable
            cells.append(
                f"{path.stem}: right {table['right']:.3f} wrong {int(table['wrong'])} "
                f"oos answered {round((1 - table['abstain']) * oos)}/{oos}"
            )
        marker = "  <- shipped" if abs(retriever.threshold - shipped) < 1e-9 else ""
        print(f"t={retriever.threshold:.2f}  " + " | ".join(cells) + marker)
    retriever.threshold = shipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--sweep", action="store_true", help="only print the threshold sweep")
    args = parser.parse_args()
    repeat = 3 if args.quick else 20
    if args.sweep:
        sweep(build_retriever())
        return

    retriever = build_retriever()
    knowledge = load_knowledge()
    baseline = Baseline([s for d in knowledge.documents for s in d.sentences])
    own = load_set(SETS["own"])
    baseline.cutoff = calibrate_baseline(baseline, own)
    print(f"# studybot bench — Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"shipped threshold {retriever.threshold:.2f}; baseline token_set_ratio cut-off {baseline.cutoff:.1f}")
    for path in SETS.values():
        questions = load_set(path)
        tables = {"ours": quality(ours(retriever), questions), "baseline": quality(baseline, questions)}
        print_quality(path.name, tables)

    texts = [str(q["q"]) for q in own]
    print("\n## Latency per query on the essay (µs)")
    for name, system in (("ours", retriever.ask), ("baseline", baseline)):
        p50, p99 = latency(system, texts, repeat)
        print(f"{name:9} p50 {p50:8.1f}   p99 {p99:8.1f}")

    folder, questions = synthetic_folder(10_000)
    print(f"\n## Synthetic corpus: 10,000 passages ({(folder / 'synthetic.txt').stat().st_size / 2**20:.1f} MiB)")
    big, seconds, mib = measure_build(lambda: build_retriever(str(folder)))
    assert isinstance(big, Retriever)
    big_baseline = Baseline([s for d in big.knowledge.documents for s in d.sentences])
    answered = sum(big.ask(q).answered for q in questions[:300])
    print(f"ours      build {seconds:6.2f} s   memory {mib:6.1f} MiB   answered {answered}/300 in-corpus questions")
    for name, system in (("ours", big.ask), ("baseline", big_baseline)):
        p50, p99 = latency(system, questions, 1 if name == "baseline" else max(1, repeat // 4))
        print(f"{name:9} p50 {p50:8.1f} µs   p99 {p99:8.1f} µs")

    print("\n## Whole process")
    runs = 3 if args.quick else 10
    print(f'studybot ask "What is soft power?"   median {process_time(["ask", "What is soft power?"], runs):.3f} s')
    print(f"python -c pass                        median {_python_floor(runs):.3f} s")


def _python_floor(runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    main()
