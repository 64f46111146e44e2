"""Teaching the bot: add a curated pair to a ``.qa.yaml`` safely, group what it could not answer, find the curated
phrasings that do not bring back their own pair, and the quotes that open on a word pointing at a sentence they leave
out.

A new pair is appended to the file as text (so the curators' comments and layout stay exactly as they were), the
whole new file is validated with the same loader as at start-up, and only then written, via a temporary file and
an atomic rename: a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml
from rapidfuzz import fuzz, process

from knowledge.corpus import QA_SUFFIX, Knowledge
from knowledge.errors import KnowledgeError
from knowledge.folders import write_atomically
from knowledge.models import Answer, QAPair, Sentence
from knowledge.qa import load_pairs
from knowledge.ranking import points_back

GROUP_CUTOFF = 75.0
"""``token_set_ratio`` at which two logged questions count as the same question asked differently."""
GROUP_CHARS = 200
"""Questions are compared on their first 200 characters (what ``/unanswered`` shows of each): comparing every pair
is quadratic, and on whole 1,000-character questions 300 of them took seconds."""


def slug(question: str, taken: set[str]) -> str:
    """A readable id for a new pair from its question, unique among ``taken``."""
    words = re.findall(r"[a-z0-9]+", question.casefold())
    base = "-".join(words[:8])[:48].strip("-") or "pair"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def add_pair(
    knowledge: Knowledge, source: str, question: str, answer: str, quote: str, *, alternates: Sequence[str] = ()
) -> QAPair:
    """Append a pair to ``source``'s ``.qa.yaml`` in the knowledge folder; raise KnowledgeError if it is invalid.

    The file is untouched unless the whole new file loads: the quote is found in the text, every field is valid.
    """
    document = knowledge.document(source)
    if document is None:
        raise KnowledgeError(knowledge.folder, 0, f"no course text named {source!r}")
    path = Path(knowledge.folder) / f"{source}{QA_SUFFIX}"
    # Bytes decoded as they are: read_text would turn CRLF line ends into LF and so rewrite every line of the file.
    old = path.read_bytes().decode("utf-8") if path.exists() else ""
    newline = "\r\n" if "\r\n" in old else "\n"
    taken = {pair.id for pair in knowledge.pairs_of(source)}
    entry = {
        "id": slug(question, taken),
        "question": question,
        "alternates": list(alternates),
        "answer": answer,
        "quote": quote,
    }
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000).replace("\n", newline)
    new = old + ("" if not old or old.endswith("\n") else newline) + block
    pairs = load_pairs(str(path), new, document)
    write_atomically(path, new.encode("utf-8"))
    return next(pair for pair in pairs if pair.id == entry["id"])


def group_similar(questions: Sequence[str], cutoff: float = GROUP_CUTOFF) -> list[list[int]]:
    """Group question indexes that ask the same thing in other words, biggest groups first (greedy, stable)."""
    keys = [" ".join(q.casefold().split())[:GROUP_CHARS] for q in questions]
    groups: list[list[int]] = []
    assigned: set[int] = set()
    for i, key in enumerate(keys):
        if i in assigned:
            continue
        members = [
            j
            for _, _, j in process.extract(
                key, keys, scorer=fuzz.token_set_ratio, processor=None, limit=None, score_cutoff=cutoff
            )
            if j not in assigned
        ]
        members = sorted({i, *members})
        assigned.update(members)
        groups.append(members)
    return sorted(groups, key=lambda g: (-len(g), g[0]))


class Answering(Protocol):
    """What answers questions over some knowledge: a :class:`~knowledge.retriever.Retriever`, or a server's
    :class:`~knowledge.view.View` of several."""

    @property
    def knowledge(self) -> Knowledge: ...

    def ask(self, question: str, source: str | None = None, *, verbatim: bool = True) -> Answer: ...


@dataclass(frozen=True, slots=True)
class Miss:
    """A curated phrasing that does not get its own pair's answer: another pair answers it, or sentences the pair
    does not quote, or nothing does. Either the phrasing is ambiguous, or the retriever reads it otherwise than its
    curator meant."""

    phrasing: str
    pair: QAPair
    answer: Answer

    @property
    def answered_by(self) -> QAPair | None:
        """The other pair that answers the phrasing (a collision), if it is one."""
        return self.answer.pair

    def outcome(self) -> str:
        """What the phrasing gets instead, in a few words: ``pair-key``, ``a sentence (p2.s3)`` or ``not covered``."""
        if self.answer.pair is not None:
            return self.answer.pair.key
        if self.answer.answered:
            citation = self.answer.citations[0]
            ids = ", ".join(f"p{citation.paragraph}.s{n}" for n in citation.sentences)
            return f"a sentence ({ids})"
        return f"not covered ({self.answer.confidence:.2f})"


def misses(retriever: Answering) -> list[Miss]:
    """Every curated phrasing (question or alternate) that does not bring back its own pair.

    Each is asked as it is (another pair's phrasing in the same words would take it), then weighed like any other
    question rather than looked up: if that answers it with something else, a student who asks it a little
    differently gets that, and the phrasing is ambiguous.
    """
    found = []
    for pair in retriever.knowledge.pairs:
        for phrasing in pair.phrasings:
            answer = retriever.ask(phrasing)
            if _brings_back(answer, pair):
                answer = retriever.ask(phrasing, verbatim=False)
                if not answer.answered:
                    continue
            if not _brings_back(answer, pair):
                found.append(Miss(phrasing, pair, answer))
    return found


@dataclass(frozen=True, slots=True)
class LoneQuote:
    """A curated quote that opens on a word pointing back ("This is fundamentally important, as...", "It also has...")
    without the sentence it points at: a student checking the citation cannot tell what "this" is, and the bare
    sentence, which the retriever shows after the one before, would cite more than the pair does."""

    pair: QAPair
    before: Sentence
    """The sentence before the quote's first, in its paragraph: where the quote should start."""


def lone_quotes(knowledge: Knowledge) -> list[LoneQuote]:
    """Every curated quote that opens pointing back at a sentence of its paragraph it does not quote (a quote that
    starts mid-sentence on "it" is not one: "..., it is important for countries to adapt" points at nothing)."""
    found = []
    for pair in knowledge.pairs:
        document = knowledge.document(pair.source)
        if document is None or not points_back(pair.quote):
            continue
        where = (pair.citation.paragraph, pair.citation.sentences[0] - 1)
        before = next((s for s in document.sentences if (s.paragraph, s.number) == where), None)
        if before is not None:
            found.append(LoneQuote(pair, before))
    return found


def _brings_back(answer: Answer, pair: QAPair) -> bool:
    """Whether the answer is the pair's, or quotes without a curated answer what the pair quotes (a structural
    answer to "what is the conclusion?" may quote the conclusion's key sentences, the pair's among them)."""
    if answer.pair is not None:
        return answer.pair.key == pair.key
    if not answer.answered:
        return False
    cited, wanted = answer.citations[0], pair.citation
    return (cited.source, cited.paragraph) == (wanted.source, wanted.paragraph) and set(wanted.sentences) <= set(
        cited.sentences
    )


def answered_by(retriever: Answering, questions: Sequence[str], key: str) -> list[bool]:
    """Whether each question (or one of the questions a message asks) is answered by the curated pair ``key``:
    which logged questions a pair just taught now answers."""
    found = (retriever.ask(question) for question in questions)
    return [
        any(a.answered and a.pair is not None and a.pair.key == key for a in answer.parts or (answer,))
        for answer in found
    ]


def replay(questions: Sequence[str], old: Answering, new: Answering) -> int:
    """How many of ``questions`` would be answered differently (answered or not, or another citation)."""

    def outcome(retriever: Answering, question: str) -> tuple[bool, tuple[object, ...]]:
        answer = retriever.ask(question)
        return answer.answered, answer.citations

    return sum(outcome(old, q) != outcome(new, q) for q in questions)
