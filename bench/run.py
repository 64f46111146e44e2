"""Measure studybot's answers, confidence and speed against standard baselines, in one run, and print the figures.

    python bench/run.py            # tuning sets, speed, memory (one to two minutes)
    python bench/run.py --final final11   # a round's final sets instead: run once, at the end of a piece of work
    python bench/run.py --sweep    # how the shipped threshold was chosen (tuning sets only)
    python bench/run.py --quick    # fewer repetitions for the speed figures
    python bench/run.py --semantic # with closeness in meaning (the semantic extra): quality, and its latency

Quality is printed per text and mode (the bundled essay with and without its curated pairs; other texts as a
teacher drops them in, uncurated), per style of question: *right* (answered, citing an expected sentence), *wrong*
(answered, citing another), *abst* (abstained), *top1* (the best candidate cites an expected sentence, answered or
not), and for the questions the text does not answer, how many were abstained; then how often the nearest passage a
not-covered answer points at holds the answer. Baselines (``bench/baselines.py``)
get the same treatment with cut-offs chosen by the same rule as our threshold. Then a reliability table: confidence
bins against how often the best candidate was in fact right, and the expected calibration error (ECE).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.baselines import BM25Baseline, FuzzyBaseline
from bench.evaluation import (
    ABSTAIN_KINDS,
    Figures,
    Outcome,
    Pointers,
    Question,
    QuestionSet,
    by_kind,
    figures,
    load_sets,
    ours,
    pointers,
    reliability,
    retrievers,
    run,
    share,
)
from bench.speed import latency, measure_build, process_time, python_floor, python_search, synthetic_folder
from knowledge.retriever import DEFAULT_THRESHOLD, Retriever, build_retriever
from knowledge.semantic import shared_encoder

TARGET_PRECISION = 0.90
"""The threshold (ours and the baselines' cut-offs) answers the most tuning questions right while the answers are at
least this often right, out-of-scope questions included (the lowest such, raised while it only drops wrong answers)."""

Baseline = FuzzyBaseline | BM25Baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--final",
        choices=("final", *(f"final{n}" for n in range(2, 33))),
        help="measure that round's final sets (once, at the end of the round)",
    )
    parser.add_argument("--sweep", action="store_true", help="only print the threshold sweep on the tuning sets")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions for the speed figures")
    parser.add_argument(
        "--semantic", action="store_true", help="weigh closeness in meaning too (needs the semantic extra)"
    )
    args = parser.parse_args()
    encoder = shared_encoder() if args.semantic else None
    tuning = load_sets()
    built = retrievers({s.text for s in tuning}, encoder=encoder)
    tuned = {group: run(ours(r), _questions(tuning, group[0])) for group, r in built.items()}
    if args.sweep:
        sweep([o for outcomes in tuned.values() for o in outcomes])
        return
    print(
        f"# studybot bench: Python {sys.version.split()[0]}, {os.cpu_count()} cores"
        + (", with closeness in meaning (all-MiniLM-L6-v2)" if encoder is not None else "")
    )
    chosen = choose_threshold([o for outcomes in tuned.values() for o in outcomes])
    print(
        f"threshold {DEFAULT_THRESHOLD:.2f} shipped; {chosen:.2f} answers the most right with precision >= "
        f"{TARGET_PRECISION:.2f} on the tuning sets"
    )
    measured = load_sets(args.final) if args.final else tuning
    built = retrievers({s.text for s in measured}, encoder=encoder)
    baselines = _baselines(tuning, built)
    print(
        f"\n# Quality on the {f'FINAL ({args.final})' if args.final else 'tuning'} sets: "
        + ", ".join(f"{s.label} ({len(s.questions)})" for s in measured)
    )
    pooled: list[Outcome] = []
    uncurated: list[Outcome] = []
    for (text, curated), retriever in built.items():
        questions = _questions(measured, text)
        outcomes = run(ours(retriever), questions)
        pooled += outcomes
        uncurated += [] if curated else outcomes
        others = {b.name: run(_answering(b, cutoff), questions) for b, cutoff in baselines[(text, curated)]}
        print_quality(f"{text}, {'with' if curated else 'no'} curated pairs", outcomes, others)
    print_reliability(pooled)
    print("\n## The nearest passage offered with not-covered answers, texts without curated pairs pooled")
    print_pointers(pointers(uncurated))
    if encoder is not None:
        essay = build_retriever(encoder=encoder)
        questions = [q.text for s in tuning if s.text == "essay" for q in s.questions]
        p50, mean, p99 = latency(essay.ask, questions, 1)
        print(
            f"\n## Latency per query on the essay, with closeness in meaning (µs)\nstudybot         p50 {p50:8.1f}   "
            f"mean {mean:8.1f}   p99 {p99:8.1f}"
        )
        return
    print_speed(args.quick)


def _questions(sets: Sequence[QuestionSet], text: str) -> list[Question]:
    return [q for s in sets if s.text == text for q in s.questions]


def _baselines(
    tuning: Sequence[QuestionSet], built: dict[tuple[str, bool], Retriever]
) -> dict[tuple[str, bool], list[tuple[Baseline, float]]]:
    """Each baseline over each measured text, with its cut-off chosen on the tuning sets by our rule."""
    found: dict[tuple[str, bool], list[tuple[Baseline, float]]] = {}
    for kind in (FuzzyBaseline, BM25Baseline):
        scored: list[Outcome] = []
        for text in {s.text for s in tuning}:
            sentences = [s for d in build_retriever_for(built, text).knowledge.documents for s in d.sentences]
            scored += run(_answering(kind(sentences), 0.0), _questions(tuning, text))
        cutoff = choose_threshold(scored, scale=max((o.confidence for o in scored), default=1.0))
        for group, retriever in built.items():
            sentences = [s for d in retriever.knowledge.documents for s in d.sentences]
            found.setdefault(group, []).append((kind(sentences), cutoff))
    return found


def build_retriever_for(built: dict[tuple[str, bool], Retriever], text: str) -> Retriever:
    """The retriever of ``text`` if this run built one (its sentences are what a baseline searches), else a new one."""
    for (name, _), retriever in built.items():
        if name == text:
            return retriever
    from bench.evaluation import knowledge_folder

    return build_retriever(str(knowledge_folder(text, curated=False)))


def _answering(baseline: Baseline, cutoff: float) -> Callable[[str], tuple[bool, frozenset[str], float]]:
    def answer(question: str) -> tuple[bool, frozenset[str], float]:
        cited, score = baseline.best(question)
        return score >= cutoff and bool(cited), cited, score

    return answer


def choose_threshold(outcomes: Sequence[Outcome], scale: float = 1.0) -> float:
    """The cut-off (in 1/100ths of ``scale``) that answers the most questions right while answers are right at least
    TARGET_PRECISION often: the lowest such, raised as far as it loses no right answer (only wrong ones)."""
    chosen: float | None = None
    most = 0
    for step in range(101):
        cutoff = scale * step / 100
        answered = [o for o in outcomes if o.confidence >= cutoff and o.cited]
        right = sum(o.right_first for o in answered)
        if chosen is None:
            if answered and right / len(answered) >= TARGET_PRECISION:
                chosen, most = cutoff, right
        elif right == most:
            chosen = cutoff
        else:
            break
    return scale if chosen is None else chosen


def print_quality(title: str, outcomes: Sequence[Outcome], baselines: dict[str, list[Outcome]]) -> None:
    print(f"\n## {title}")
    names = ["studybot", *baselines]
    print(f"{'style':13} {'n':>4} " + "   ".join(f"{n[:15]:>29}" for n in names))
    print(f"{'':13} {'':>4} " + "   ".join(f"{'right  wrong   abst   top1':>29}" for _ in names))
    tables = [by_kind(outcomes), *(by_kind(o) for o in baselines.values())]
    for kind in tables[0]:
        if kind in ABSTAIN_KINDS:
            continue
        cells = [_cells(t[kind]) for t in tables]
        print(f"{kind:13} {tables[0][kind].answerable:4d} " + "   ".join(cells))
    totals = [figures(outcomes), *(figures(o) for o in baselines.values())]
    print(f"{'ALL':13} {totals[0].answerable:4d} " + "   ".join(_cells(t) for t in totals))
    for kind in sorted(ABSTAIN_KINDS & set(tables[0])):
        cells = [_abstained(t[kind]) for t in tables]
        print(f"{kind:13} {tables[0][kind].unanswerable:4d} " + "   ".join(f"{c:>29}" for c in cells))
    wrong = [f"{_pct(t.wrong + t.false_answers, t.answers):>5} of {t.answers:<4} answers wrong" for t in totals]
    print(f"{'':13} {'':>4} " + "   ".join(f"{c:>29}" for c in wrong))
    print_pointers(pointers(outcomes))


def print_pointers(found: Pointers) -> None:
    print(
        f"nearest passage offered for {found.pointed} of {found.missed} answerable questions not covered, its "
        f"paragraph holding the answer for {found.held} ({_pct(found.held, found.pointed)}); for {found.misled} of "
        f"the {found.unanswerable} the text does not answer"
    )


def _cells(f: Figures) -> str:
    return f"{_pct(f.right, f.answerable):>5}  {f.wrong:5d}  {f.abstained:5d}  {_pct(f.top1, f.answerable):>5}"


def _abstained(f: Figures) -> str:
    return f"{f.abstained_right:>3}/{f.unanswerable:<3} abstained {_pct(f.abstained_right, f.unanswerable):>5}"


def _pct(part: int, whole: int) -> str:
    value = share(part, whole)
    return "  -  " if math.isnan(value) else f"{value:.3f}"


def print_reliability(outcomes: Sequence[Outcome]) -> None:
    rows, error = reliability(outcomes)
    print(
        f"\n## Reliability: confidence against the rate at which the best candidate was right ({len(outcomes)} "
        "questions, all texts and modes above)"
    )
    print("confidence   mean   right rate     n")
    for low, confidence, rate, count in rows:
        print(f"{low:.1f}-{low + 0.1:.1f}    {confidence:5.2f}   {rate:10.2f}  {count:4d}")
    print(f"expected calibration error (ECE) {error:.3f}")


def print_speed(quick: bool) -> None:
    repeat = 3 if quick else 20
    essay = build_retriever()
    questions = [q.text for s in load_sets() if s.text == "essay" for q in s.questions]
    print("\n## Latency per query on the essay (µs)")
    for name, system in (("studybot", essay.ask), ("token_set_ratio", FuzzyBaseline(_sentences(essay)).best)):
        p50, mean, p99 = latency(system, questions, repeat)
        print(f"{name:16} p50 {p50:8.1f}   mean {mean:8.1f}   p99 {p99:8.1f}")
    folder, synthetic = synthetic_folder(10_000)
    print(f"\n## Synthetic corpus: 10,000 passages ({(folder / 'synthetic.txt').stat().st_size / 2**20:.1f} MiB)")
    big, seconds, mib = measure_build(lambda: build_retriever(str(folder)))
    assert isinstance(big, Retriever)
    answered = sum(big.ask(q).answered for q in synthetic[:300])
    print(f"studybot build {seconds:6.2f} s   memory {mib:6.1f} MiB   answered {answered}/300 in-corpus questions")
    systems: list[tuple[str, Callable[[str], object]]] = [("studybot", big.ask)]
    if big.ranker.sentence_index.uses_numpy:  # the `fast` extra is installed: the Python search too, to compare
        with python_search():
            pure = build_retriever(str(folder))
        assert all(pure.ask(q) == big.ask(q) for q in synthetic), "the numpy search changed an answer"
        systems = [("studybot (numpy)", big.ask), ("studybot (Python)", pure.ask)]
    systems.append(("token_set_ratio", FuzzyBaseline(_sentences(big)).best))
    for name, system in systems:
        p50, mean, p99 = latency(system, synthetic, max(1, repeat // 4) if name.startswith("studybot") else 1)
        print(f"{name:17} p50 {p50:8.1f} µs   mean {mean:8.1f} µs   p99 {p99:8.1f} µs")
    runs = 3 if quick else 10
    print("\n## Whole process")
    print(f'studybot ask "What is soft power?"   median {process_time(["ask", "What is soft power?"], runs):.3f} s')
    print(f"python -c pass                        median {python_floor(runs):.3f} s")


def _sentences(retriever: Retriever) -> list:
    return [s for d in retriever.knowledge.documents for s in d.sentences]


def sweep(outcomes: Sequence[Outcome]) -> None:
    """How the shipped threshold was chosen: at each threshold, answers right and wrong on the tuning sets."""
    print("## Threshold sweep on the tuning sets (all texts and modes pooled)")
    print("threshold  right  precision  out-of-scope abstained  near-topic abstained")
    answerable = [o for o in outcomes if o.question.expect]
    for step in range(30, 100, 5):
        t = step / 100
        answered = [o for o in outcomes if o.confidence >= t]
        right = sum(o.right_first for o in answered)
        cells = []
        for kind in ("out_of_scope", "near_topic"):
            group = [o for o in outcomes if o.question.kind == kind]
            cells.append(_pct(sum(o.confidence < t for o in group), len(group)))
        marker = "  <- shipped" if abs(t - DEFAULT_THRESHOLD) < 1e-9 else ""
        print(
            f"{t:9.2f}  {_pct(right, len(answerable))}  {_pct(right, len(answered)):>9}  {cells[0]:>22}  "
            f"{cells[1]:>20}{marker}"
        )


if __name__ == "__main__":
    main()
