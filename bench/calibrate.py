"""Refit the confidence model on the tuning sets and print its constants (for knowledge/confidence.py).

    python bench/calibrate.py            # print the constants
    python bench/calibrate.py --write    # and write them into knowledge/confidence.py
    python bench/calibrate.py --semantic --write   # the model with closeness in meaning (the semantic extra)

Every candidate the retriever weighs for every tuning question (the essay with and without its curated pairs, and
the uncurated texts) is a row of evidence, labelled right when it cites a sentence the set expects (as weighed: a
sentence pointing back is shown after the sentence before it, which its label leaves out, so that confidence never
counts on a sentence that was not weighed; measured, labels with it gave 64 more wrong answers). A logistic
regression over the rows gives WEIGHTS and BIAS. The answers that skip the model get the rate at which they were
right: VERBATIM (the question is a curated phrasing word for word) and STRUCTURAL (by kind); ELSEWHERE, the rate for
candidates to a question mostly about something else, and UNNAMED, for candidates naming none of the ones a question
asks for, cap the model's answer there. The tuning sets include the spent rounds of final sets
(``bench/evaluation.py``); a round not yet measured is never read here.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.evaluation import QuestionSet, ids, load_sets, retrievers
from knowledge.confidence import FEATURES, LEXICAL_FEATURES, Evidence, fit, is_elsewhere, probability
from knowledge.retriever import DEFAULT_THRESHOLD, Retriever
from knowledge.semantic import shared_encoder
from knowledge.structure import structural_kind

PRIOR = 2.0
"""Pseudo-counts (half right, half wrong) that keep a rate from resting on a handful of questions."""
CONFIDENCE = Path(__file__).resolve().parents[1] / "knowledge" / "confidence.py"


class Asked(NamedTuple):
    """One tuning question put to one retriever: what each option would give (a fixed confidence, or the row of its
    evidence) and whether it is right."""

    text: str
    answerable: bool
    abstains: bool
    """The question names something the material never mentions: not answered, whatever the confidence."""
    options: list[tuple[float, int | None, int]]
    """(confidence if fixed, the row of its evidence if weighed by the model, right)."""


class Rows:
    """The labelled evidence, and the outcomes of the answers that skip the model."""

    def __init__(self) -> None:
        self.evidence: list[list[float]] = []
        self.labels: list[int] = []
        self.texts: list[str] = []
        self.rates: dict[str, list[int]] = {"verbatim": [], "exact": [], "key": [], "with_topic": []}
        self.asked: list[Asked] = []


def collect(sets: Sequence[QuestionSet], built: dict[tuple[str, bool], Retriever], width: int) -> Rows:
    """Weigh every tuning question with every retriever of its text and label what comes back (the first ``width``
    features of each candidate's evidence)."""
    rows = Rows()
    for (text, _curated), retriever in built.items():
        for question in (q for s in sets if s.text == text for q in s.questions):
            query = retriever.read(question.text)
            options: list[tuple[float, int | None, int]] = []
            for option in retriever.consider(question.text):
                citation = option.candidate.citation
                right = int(bool(ids(citation.paragraph, citation.sentences) & question.expect))
                if option.evidence is not None:
                    options.append((0.0, len(rows.evidence), right))
                    rows.evidence.append(list(option.evidence)[:width])
                    rows.labels.append(right)
                    rows.texts.append(text)
                    continue
                options.append((option.confidence, None, right))
                if option.candidate.pair is not None:
                    rows.rates["verbatim"].append(right)
                else:
                    assert query.place is not None
                    rows.rates[structural_kind(query.place.position, query.topic)].append(right)
            rows.asked.append(Asked(text, bool(question.expect), bool(query.unknown_names), options))
    return rows


def cross(rows: Rows, threshold: float) -> None:
    """Print, per text, the answers at ``threshold`` with the model fitted on every text and with the model fitted
    on the other texts only: a feature that only helps on the text it was fitted on shows as a drop."""
    print(f"# leave one text out, threshold {threshold:.2f}: right of answerable / wrong of answers")
    fitted = fit(rows.evidence, rows.labels)
    for held_out in sorted(set(rows.texts)):
        others = [i for i, text in enumerate(rows.texts) if text != held_out]
        apart = fit([rows.evidence[i] for i in others], [rows.labels[i] for i in others])
        figures = []
        for weights, bias in (fitted, apart):
            right = wrong = answerable = 0
            for asked in (a for a in rows.asked if a.text == held_out):
                answerable += asked.answerable
                scored = [
                    (fixed if row is None else probability(Evidence(*rows.evidence[row]), weights, bias), ok)
                    for fixed, row, ok in asked.options
                ]
                confidence, ok = max(scored, key=lambda option: option[0], default=(0.0, 0))
                if confidence >= threshold and not asked.abstains:
                    right += ok and asked.answerable
                    wrong += not (ok and asked.answerable)
            figures.append(f"{right / answerable:.3f} / {wrong / max(1, right + wrong):.3f}")
        print(f"{held_out:10s} fitted on all texts {figures[0]}   fitted on the others {figures[1]}")


def rate(found: list[int]) -> float:
    return round((sum(found) + PRIOR / 2) / (len(found) + PRIOR), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights")
    parser.add_argument("--write", action="store_true", help="write the constants into knowledge/confidence.py")
    parser.add_argument("--cross", action="store_true", help="only compare the fit with one text left out at a time")
    parser.add_argument(
        "--semantic", action="store_true", help="fit the model that also weighs closeness in meaning (semantic extra)"
    )
    args = parser.parse_args()
    sets = load_sets()
    encoder = shared_encoder() if args.semantic else None
    width = len(FEATURES) if args.semantic else len(LEXICAL_FEATURES)
    rows = collect(sets, retrievers({s.text for s in sets}, encoder=encoder), width)
    if args.cross:
        cross(rows, DEFAULT_THRESHOLD)
        return
    weights, bias = fit(rows.evidence, rows.labels, l2=args.l2)
    verbatim = rate(rows.rates.pop("verbatim"))
    elsewhere = rate(
        [label for row, label in zip(rows.evidence, rows.labels, strict=True) if is_elsewhere(Evidence(*row))]
    )
    unnamed = rate(
        [label for row, label in zip(rows.evidence, rows.labels, strict=True) if Evidence(*row).ones_missing]
    )
    structural = {kind: rate(found) for kind, found in rows.rates.items()}
    prefix = "SEMANTIC_" if args.semantic else ""
    constants = {
        f"{prefix}WEIGHTS": "(\n" + "".join(f"    {w:.3f},\n" for w in weights) + ")",  # as ruff formats it
        f"{prefix}BIAS": f"{bias:.3f}",
    }
    if not args.semantic:  # the rates are the lexical fit's; the semantic model caps its answers at the same ones
        constants |= {
            "VERBATIM": f"{verbatim}",
            "ELSEWHERE": f"{elsewhere}",
            "UNNAMED": f"{unnamed}",
            "STRUCTURAL": repr(structural).replace("'", '"'),
        }
    print(
        f"# fitted on {len(rows.labels)} candidates ({sum(rows.labels)} right) from {', '.join(s.label for s in sets)}"
    )
    print("# " + ", ".join(f"{name} {w:+.2f}" for name, w in zip(FEATURES, weights, strict=False)))
    for name, value in constants.items():
        print(f"{name} = {value}")
    if args.write:
        text = CONFIDENCE.read_text(encoding="utf-8")
        for name, value in constants.items():
            text = re.sub(rf"^{name} = (?:\([^)]*\)|.*)$", f"{name} = {value}", text, count=1, flags=re.MULTILINE)
        CONFIDENCE.write_text(text, encoding="utf-8")
        print(f"wrote {CONFIDENCE}")


if __name__ == "__main__":
    main()
