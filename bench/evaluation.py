"""The question sets and how answers are scored against them, shared by ``run.py`` and ``calibrate.py``.

A set is ``bench/sets/TEXT/NAME.yaml``: a list of ``{q, kind, expect}``, ``expect`` the sentence ids (``p2.s3``) a
right answer may cite first, ``[]`` where the text does not answer the question. ``TEXT`` is ``essay`` (the bundled
text, with or without its curated pairs) or the name of a text in ``bench/texts/`` (never curated).

Sets named ``final`` (the first round's) and ``final2``, ``final3``, ... (the later rounds', each with a text no
tuning had seen) are each measured once, at the end of a piece of work, and never used to tune anything before
that. Once measured and reported, a round is *spent* (:data:`SPENT`): its sets join the tuning sets (``tune``, and
the essay's older sets), which the confidence model and the threshold are fitted on, so each new round is measured
by a model fitted on every text before it.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml

from knowledge.corpus import BUNDLED_DIR
from knowledge.retriever import DEFAULT_THRESHOLD, Retriever, build_retriever
from knowledge.semantic import Encoder

HERE = Path(__file__).resolve().parent
SETS = HERE / "sets"
TEXTS = HERE / "texts"
ESSAY = "essay"
ESSAY_FILE = "soft-power-essay.txt"
ABSTAIN_KINDS = frozenset({"out_of_scope", "near_topic"})
SPENT = frozenset({"final", *(f"final{n}" for n in range(2, 32))})
"""Rounds of final sets already measured once (their figures are in the README): tuning sets from then on."""


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    kind: str
    expect: frozenset[str]


@dataclass(frozen=True, slots=True)
class QuestionSet:
    text: str
    name: str
    questions: tuple[Question, ...]

    @property
    def label(self) -> str:
        return f"{self.text}/{self.name}"


def load_sets(final: str | None = None) -> list[QuestionSet]:
    """The tuning sets (spent rounds included), or the final sets of one round (``final``, ``final2``, ...)."""
    found = []
    for path in sorted(SETS.glob("*/*.yaml")):
        wanted = path.stem == final if final else not path.stem.startswith("final") or path.stem in SPENT
        if not wanted:
            continue
        rows = yaml.safe_load(path.read_text(encoding="utf-8"))
        questions = tuple(Question(str(r["q"]), str(r["kind"]), frozenset(map(str, r["expect"]))) for r in rows)
        found.append(QuestionSet(path.parent.name, path.stem, questions))
    return found


def knowledge_folder(text: str, curated: bool) -> Path:
    """A scratch knowledge folder holding ``text`` (with its curated pairs if asked and it has any)."""
    folder = Path(tempfile.mkdtemp(prefix=f"studybot-bench-{text}-"))
    if text == ESSAY:
        shutil.copyfile(BUNDLED_DIR / ESSAY_FILE, folder / ESSAY_FILE)
        if curated:
            qa = ESSAY_FILE.removesuffix(".txt") + ".qa.yaml"
            shutil.copyfile(BUNDLED_DIR / qa, folder / qa)
    else:
        shutil.copyfile(TEXTS / f"{text}.txt", folder / f"{text}.txt")
    return folder


def retrievers(
    texts: Iterable[str], threshold: float = DEFAULT_THRESHOLD, encoder: Encoder | None = None
) -> dict[tuple[str, bool], Retriever]:
    """A retriever per (text, curated): the essay both with and without its pairs, other texts bare; with
    ``encoder``, each also weighs closeness in meaning (:mod:`knowledge.semantic`)."""
    built = {}
    for text in sorted(set(texts)):
        for curated in (True, False) if text == ESSAY else (False,):
            built[(text, curated)] = build_retriever(str(knowledge_folder(text, curated)), threshold, encoder=encoder)
    return built


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a system did with one question."""

    question: Question
    answered: bool
    cited: frozenset[str]
    """Sentence ids of the first citation (of the best candidate, answered or not)."""
    confidence: float
    pointed: bool = False
    """Not covered, but pointed at the nearest passage (:attr:`Answer.closest <knowledge.models.Answer.closest>`):
    it is the best candidate's, so ``cited`` is where it points."""

    @property
    def right_first(self) -> bool:
        """The best candidate cites an expected sentence (for out-of-scope questions: never)."""
        return bool(self.cited & self.question.expect)

    @property
    def right(self) -> bool:
        return self.answered and self.right_first


System = Callable[[str], tuple[bool, frozenset[str], float] | tuple[bool, frozenset[str], float, bool]]
"""A question to (answered, cited, confidence), and for studybot whether it pointed at the nearest passage."""


def run(system: System, questions: Sequence[Question]) -> list[Outcome]:
    return [Outcome(q, *system(q.text)) for q in questions]


def ours(retriever: Retriever) -> System:
    """Our retriever as the bench sees it: whether it answered; the citation it shows first and its confidence (not
    covered: the best candidate's); and whether a not-covered answer pointed at the nearest passage."""

    def answer(question: str) -> tuple[bool, frozenset[str], float, bool]:
        asked = retriever.ask(question)
        if asked.answered:  # what the reader is shown first
            shown = asked.citations[0]
            return True, ids(shown.paragraph, shown.sentences), asked.confidence, False
        options = retriever.consider(question)
        if not options:
            return False, frozenset(), 0.0, False
        citation = retriever.ranker.shown(options[0].candidate)
        return False, ids(citation.paragraph, citation.sentences), options[0].confidence, asked.closest is not None

    return answer


def ids(paragraph: int, sentences: Iterable[int]) -> frozenset[str]:
    return frozenset(f"p{paragraph}.s{n}" for n in sentences)


@dataclass(frozen=True, slots=True)
class Figures:
    """Answer quality on a group of questions."""

    answerable: int
    right: int
    wrong: int
    abstained: int
    top1: int
    unanswerable: int
    abstained_right: int
    false_answers: int

    @property
    def answers(self) -> int:
        return self.right + self.wrong + self.false_answers


def figures(outcomes: Sequence[Outcome]) -> Figures:
    answerable = [o for o in outcomes if o.question.expect]
    unanswerable = [o for o in outcomes if not o.question.expect]
    return Figures(
        answerable=len(answerable),
        right=sum(o.right for o in answerable),
        wrong=sum(o.answered and not o.right for o in answerable),
        abstained=sum(not o.answered for o in answerable),
        top1=sum(o.right_first for o in answerable),
        unanswerable=len(unanswerable),
        abstained_right=sum(not o.answered for o in unanswerable),
        false_answers=sum(o.answered for o in unanswerable),
    )


class Pointers(NamedTuple):
    """How the nearest passages offered with not-covered answers fared."""

    missed: int
    """Answerable questions not covered..."""
    pointed: int
    """...of which this many were pointed at a passage..."""
    held: int
    """...whose paragraph holds an expected sentence."""
    unanswerable: int
    """Questions the text does not answer, whether abstained on or not..."""
    misled: int
    """...of which this many were pointed at a passage (to read in vain)."""


def pointers(outcomes: Sequence[Outcome]) -> Pointers:
    missed = [o for o in outcomes if o.question.expect and not o.answered]
    pointed = [o for o in missed if o.pointed]
    held = sum(bool(_paragraphs(o.cited) & _paragraphs(o.question.expect)) for o in pointed)
    unanswerable = [o for o in outcomes if not o.question.expect]
    return Pointers(len(missed), len(pointed), held, len(unanswerable), sum(o.pointed for o in unanswerable))


def _paragraphs(sentence_ids: Iterable[str]) -> set[str]:
    return {i.split(".")[0] for i in sentence_ids}


def by_kind(outcomes: Sequence[Outcome]) -> dict[str, Figures]:
    kinds: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        kinds.setdefault(outcome.question.kind, []).append(outcome)
    return {kind: figures(group) for kind, group in sorted(kinds.items())}


def reliability(outcomes: Sequence[Outcome], bins: int = 10) -> tuple[list[tuple[float, float, float, int]], float]:
    """Confidence bins against the observed rate at which the best candidate was right, and the expected
    calibration error (the bin-size-weighted mean gap). Rows: (low, mean confidence, right rate, count)."""
    rows = []
    error = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        group = [o for o in outcomes if low <= o.confidence < high or (b == bins - 1 and o.confidence == 1.0)]
        if not group:
            continue
        confidence = sum(o.confidence for o in group) / len(group)
        rate = sum(o.right_first for o in group) / len(group)
        rows.append((low, confidence, rate, len(group)))
        error += len(group) / len(outcomes) * abs(confidence - rate)
    return rows, error


def share(part: int, whole: int) -> float:
    return part / whole if whole else math.nan
