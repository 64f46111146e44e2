"""Rank curated pairs and bare sentences for a question: the lexical evidence each candidate has, best k only.

Two inverted indexes are searched: the sentences of the texts, and the curated phrasings of the Q&A pairs (question
and alternates). Every hit is counted in idf units, so a rare word counts more than "Japan". A candidate's score is
its *coverage* (the share of the question's known words it contains) plus its *fit* (the F1 of coverage and of the
share of the candidate the question asks about, so a short, precise match beats a long, vague one). A curated pair's
coverage is measured against its phrasings, answer and quoted sentences together, its fit against its best
phrasing. The ranker only ranks: how sure to be of the winner is :mod:`knowledge.confidence`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from knowledge.corpus import Knowledge
from knowledge.headings import section_titles
from knowledge.index import FIT, MAX_SCOPES, InvertedIndex, Scope, score
from knowledge.models import Citation, QAPair, Sentence
from knowledge.normalize import content_words
from knowledge.vocabulary import Vocabulary

PHRASINGS_PER_PAIR = 3
"""Phrasings searched per pair wanted: the best phrasings often belong to the same few pairs."""
CONTEXT_WEIGHT = 0.5
"""How much the sentence before counts towards a sentence: "The latter are twenty in number" is about milk teeth
only in the light of the sentence before it."""


class QueryTerm(NamedTuple):
    """A word of the question resolved to an index term, or to None if the material never uses it."""

    word: str
    term: str | None
    weight: float
    """How much the word counts: the sureness of the match (1 exact or by stem, the fuzzy similarity for a typo)
    times the weight of the part of the message it is in."""
    idf: float
    """For a known term its idf; for an unknown word how telling it is in general English, on the same scale."""

    @property
    def gain(self) -> float:
        return self.weight * self.idf


class Candidate(NamedTuple):
    """A possible answer (a curated pair or a bare sentence) and the evidence for it."""

    score: float
    matched: float
    """The question's weight found in the candidate (idf units)."""
    precision: float
    """The share of the candidate's own weight that the question asked about."""
    rarest: float
    """The gain of the rarest question word it matched."""
    pair: QAPair | None
    sentence: Sentence | None
    key: str
    """Its content words as one string, to compare the question with character by character: the sentence's, or
    the pair's best-fitting phrasing's."""
    citation: Citation
    """What it cites: one object per place in the texts, so ``is`` tells whether two candidates cite the same."""


class Ranker:
    """The indexes over one knowledge folder, and the search that ranks candidates from them."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.sentences = [s for d in knowledge.documents for s in d.sentences]
        self.pairs = list(knowledge.pairs)
        self.phrasing_pair = [i for i, p in enumerate(self.pairs) for _ in p.phrasings]
        texts = [s.text for s in self.sentences] + [f"{' '.join(p.phrasings)} {p.answer}" for p in self.pairs]
        self.vocabulary = Vocabulary(texts)
        index_terms = self.vocabulary.terms
        self.phrases = {pair for text in texts for pair in pairwise(index_terms(text))}
        self.priors = self.vocabulary.priors()
        titles = [found for d in knowledge.documents for found in section_titles(d)]
        own = [[] if title else index_terms(s.text) for s, (title, _) in zip(self.sentences, titles, strict=True)]
        before = [
            (own[i - 1] if i and _same_paragraph(s, self.sentences[i - 1]) else []) + index_terms(heading)
            for i, (s, (_, heading)) in enumerate(zip(self.sentences, titles, strict=True))
        ]
        self.sentence_index = InvertedIndex(own, priors=self.priors, context=before, context_weight=CONTEXT_WEIGHT)
        numbers: dict[tuple[str, int], int] = {}
        self.paragraph_of = [numbers.setdefault((s.source, s.paragraph), len(numbers)) for s in self.sentences]
        """Each sentence's paragraph, numbered across the texts in reading order."""
        held: list[set[str]] = [set() for _ in numbers]
        for i, found in enumerate(own):
            held[self.paragraph_of[i]].update(found)
        self.paragraph_index = InvertedIndex([sorted(h) for h in held], idf_from=self.sentence_index)
        """The paragraphs as units, weighed as the sentences are: which paragraph a question is about."""
        self._paragraph_scopes: dict[range | frozenset[int], frozenset[int]] = {}
        self.opens = [
            not title and (i == 0 or not _same_paragraph(s, self.sentences[i - 1]) or titles[i - 1][0])
            for i, (s, (title, _)) in enumerate(zip(self.sentences, titles, strict=True))
        ]
        """Whether each sentence opens its paragraph (the first after any title): where a paragraph names its topic,
        which a question about the paragraph matches whether or not the answer is there."""
        phrasing_terms = [index_terms(phrasing) for p in self.pairs for phrasing in p.phrasings]
        self.phrasing_terms = [frozenset(found) for found in phrasing_terms]
        self.phrasing_index = InvertedIndex(phrasing_terms, idf_from=self.sentence_index)
        self.cited = {(s.source, s.paragraph, s.number): i for i, s in enumerate(self.sentences)}
        self.sentence_keys = [" ".join(content_words(s.text)) for s in self.sentences]
        self.sentence_citations = [
            cite(s, after)
            if (after := self._next(i)) is not None and (_asks(s) or _leads_in(s) or points_back(after.text))
            else cite(s)
            for i, s in enumerate(self.sentences)
        ]
        """What each sentence cites: itself, and the sentence after it when that one answers a question the text asks
        ("upon what factors does price depend?") or what it announces ("only under one condition"), or points back at
        it ("It is done by endosmotic action")."""
        self.in_context = {
            id(cited): cite(earlier, *self._sentences(cited))
            for i, (s, cited) in enumerate(zip(self.sentences, self.sentence_citations, strict=True))
            if points_back(s.text) and (earlier := self._previous(i)) is not None
        }
        """What the answer shows for a sentence that points back at the one before ("Thus this deep-sea mud is
        substantially chalk"), by the identity of what it cites: the sentence before as well, for what "it" or "thus"
        stands for. It is weighed as itself all the same (the sentence before may be about something else)."""
        # One object per place cited, so that candidates citing the same sentences compare by identity.
        interned = {(c.source, c.paragraph, c.sentences): c for c in self.sentence_citations}
        self.pair_citations = [
            interned.setdefault((c.source, c.paragraph, c.sentences), c) for c in (p.citation for p in self.pairs)
        ]
        self.phrasing_keys = [" ".join(content_words(phrasing)) for p in self.pairs for phrasing in p.phrasings]
        # The full evidence for a pair: how it is asked, what it answers, and the sentences it quotes.
        self.evidence_terms = [
            frozenset(index_terms(" ".join([*p.phrasings, p.answer, *(s.text for s in self.quoted(p))])))
            for p in self.pairs
        ]
        self.evidence_of = {id(p): found for p, found in zip(self.pairs, self.evidence_terms, strict=True)}
        """A pair's evidence terms by the pair's identity (each pair is loaded once; hashing a whole pair is slow)."""

    def _previous(self, i: int) -> Sentence | None:
        """The sentence before the ``i``-th one in its paragraph, if any."""
        before = self.sentences[i - 1] if i > 0 else None
        return before if before is not None and _same_paragraph(before, self.sentences[i]) else None

    def _next(self, i: int) -> Sentence | None:
        """The sentence after the ``i``-th one in its paragraph, if any."""
        after = self.sentences[i + 1] if i + 1 < len(self.sentences) else None
        return after if after is not None and _same_paragraph(self.sentences[i], after) else None

    def quoted(self, pair: QAPair) -> list[Sentence]:
        """The sentences a pair's quote spans."""
        return self._sentences(pair.citation)

    def _sentences(self, c: Citation) -> list[Sentence]:
        return [self.sentences[self.cited[(c.source, c.paragraph, n)]] for n in c.sentences]

    def shown(self, candidate: Candidate) -> Citation:
        """What a candidate's answer cites: a sentence pointing back is shown after the sentence it points at (not a
        curated pair's quote: its curator chose where it starts)."""
        if candidate.pair is not None:
            return candidate.citation
        return self.in_context.get(id(candidate.citation), candidate.citation)

    def rank(
        self,
        query: Sequence[QueryTerm],
        k: int,
        sentences: Scope = None,
        phrasings: Scope = None,
        *,
        floor: float = 0.0,
        pair_k: int | None = None,
    ) -> list[Candidate]:
        """The best ``k`` sentences and the best ``pair_k`` (default ``k``) pairs, within the scopes given and
        covering at least ``floor`` of the question, best first. A pair is in scope when its phrasings are."""
        gains, total = _gains(query)
        if total <= 0.0:
            return []
        weights = self.sentence_index.unit_weight
        keys = self.sentence_keys
        citations = self.sentence_citations
        candidates = [
            Candidate(
                score(matched, weights[i], total), matched, matched / weights[i], rarest, None, self.sentences[i],
                keys[i], citations[i],
            )
            for i, matched, rarest in self.sentence_index.top(gains, k, total, sentences, floor)
        ]  # fmt: skip
        if self.pairs:
            candidates += self._rank_pairs(gains, pair_k or k, total, phrasings, floor)
        candidates.sort(key=lambda c: -c.score)
        return candidates

    def lead_paragraph(self, query: Sequence[QueryTerm], sentences: Scope = None) -> int | None:
        """The paragraph (its number in :attr:`paragraph_of`) that ranks first for the question among those holding
        ``sentences``, scored as sentences are (coverage plus fit); None if none holds a word of it.

        A sentence of that paragraph is likelier the answer than an equally good match elsewhere: the words of the
        question that it lacks are around it, so it sits where the text treats the question's topic.
        """
        gains, total = _gains(query)
        if total <= 0.0:
            return None
        found = self.paragraph_index.top(gains, 1, total, self._paragraphs(sentences), rarest=False)
        return found[0].unit if found else None

    def _paragraphs(self, sentences: Scope) -> Scope:
        """The paragraphs holding the sentences of a scope (remembered for the few scopes a material has)."""
        if sentences is None:
            return None
        found = self._paragraph_scopes.get(sentences)
        if found is None:
            found = frozenset(self.paragraph_of[i] for i in sentences)
            if len(self._paragraph_scopes) < MAX_SCOPES:
                self._paragraph_scopes[sentences] = found
        return found

    def _rank_pairs(
        self, gains: Sequence[tuple[float, str]], k: int, total: float, scope: Scope, floor: float
    ) -> list[Candidate]:
        """The pairs of the best-fitting phrasings, each scored by its evidence's coverage and that phrasing's fit."""
        weights = self.phrasing_index.unit_weight
        seen: set[int] = set()
        candidates = []
        for phrasing, matched, _ in self.phrasing_index.top(
            gains, PHRASINGS_PER_PAIR * k, total, scope, floor, rarest=False
        ):
            pair = self.phrasing_pair[phrasing]
            if pair in seen:
                continue
            seen.add(pair)
            evidence_terms = self.evidence_terms[pair]
            found = [gain for gain, term in gains if term in evidence_terms]
            evidence = sum(found)
            fit = FIT * matched / (total + weights[phrasing])
            candidates.append(
                Candidate(
                    evidence / total + fit, evidence, matched / weights[phrasing], found[0], self.pairs[pair], None,
                    self.phrasing_keys[phrasing], self.pair_citations[pair],
                )
            )  # fmt: skip
            if len(candidates) == k:
                break
        return candidates


def _gains(query: Sequence[QueryTerm]) -> tuple[list[tuple[float, str]], float]:
    """The known terms' (gain, term), largest gain first, as the indexes search them, and their sum."""
    gains = sorted(((q.gain, q.term) for q in query if q.term is not None), reverse=True)
    return gains, sum(gain for gain, _ in gains)


_ASKS = re.compile(r"\?[\"”’')\]_*]*$")


def _asks(sentence: Sentence) -> bool:
    """Whether a sentence is a question (closing quotes and emphasis aside)."""
    return _ASKS.search(sentence.text) is not None


_TIMES = r"(?:year|day|week|month|morning|evening|night|season|spring|summer|autumn|winter|century)"
_ENUMERABLE = (
    r"(?:conditions|reasons|ways|kinds|points|rules|maxims|principles|causes|steps|questions|respects|methods|facts|"
    r"objections|advantages|features|processes|stages|characteristics)"
)
_COUNT = r"(?:two|three|four|five|six|seven|several|a few|certain)"
_LEADS_IN = re.compile(
    rf"\b(?:the|a) following (?!{_TIMES}\b)"  # "the following experiment shows" (not "the following year")
    rf"|\b{_COUNT}\s+(?:\w+\s+){{0,2}}{_ENUMERABLE}\b(?:\W+\w+){{0,6}}\W*$"  # "...several principles to observe."
    r"|\bone (?:condition|reason|rule|exception|advantage|objection|way)\W*$"  # "...only under one condition."
    r"|\b(?:be|been) objected\b|^Some (?:people |writers |critics )?urge\b",  # an objection, which the next answers
    re.IGNORECASE,
)


def _leads_in(sentence: Sentence) -> bool:
    """Whether a sentence announces what the next one says ("The following experiment shows...", "there are several
    principles that must be observed", "But we are justified only under one condition.", "It may be objected that
    ...", whose answer follows): a question it seems to answer is answered there. (One ending on a colon ends its
    paragraph: what it announces is a paragraph of its own, which a citation of one paragraph cannot take in.)"""
    return _LEADS_IN.search(sentence.text) is not None


_REFERS_BACK = re.compile(
    r"(?:It|This|These|They|Such|Its|Their|Here|He|She|His|Her|Those|That|Them|Afterwards|Subsequently|Yet|Thus|Hence|"
    r"Therefore|Likewise|Similarly|The same|In the same way|In like manner)\b"
    r"|(?:Among|Of|In|Into|By|For|With|On|To|From|At)\s+(?:these|this|that|those|them|it|which)\b"
)


def points_back(text: str) -> bool:
    """Whether a sentence (or a quote) opens with a word pointing at the sentence before ("It is done by endosmotic
    action", "His reason for the suggestion being...", "Among these, on the north coast, are...") or carrying on from
    it ("Subsequently the time may be prolonged", "Thus..."): the answer to what the sentence before raises is often
    there, and what "it" stands for is only there."""
    return _REFERS_BACK.match(text) is not None


def _same_paragraph(a: Sentence, b: Sentence) -> bool:
    return (a.source, a.paragraph) == (b.source, b.paragraph)


def cite(*sentences: Sentence) -> Citation:
    """The citation of sentences of one paragraph, in reading order: those not next to each other are quoted with
    "…" between them."""
    quote = sentences[0].text
    for before, sentence in pairwise(sentences):
        quote += (" " if sentence.number == before.number + 1 else " … ") + sentence.text
    return Citation.of(sentences, quote)
