"""Answer a question from the material, with a citation, or say honestly that the material does not cover it.

How a question is answered:

1. It is read as students write it (:mod:`knowledge.reading`): chat shorthand spelled out, fillers dropped, a
   sentence of context weighed less than the question, two questions in one message told apart.
2. Its words are mapped onto the material's vocabulary (:mod:`knowledge.query`): exactly, by stem, or fuzzily for
   typos. A word the material never uses is weighed by how telling it is in general English
   (:mod:`knowledge.informativeness`): "photosynthesis" counts fully against every answer, "tomorrow" hardly.
3. The ranker (:mod:`knowledge.ranking`) finds the best curated pairs and sentences; each gets a confidence
   (:mod:`knowledge.weighing`), the estimated probability that its citation answers the question
   (:mod:`knowledge.confidence`), and the most probable is the answer. A question about the text's structure
   ("what does paragraph 3 say") is answered from that place (:mod:`knowledge.structure`); a request to sum up a
   topic quotes the sentence found with its paragraph's key sentences.
4. The answer is given if its confidence reaches the threshold; otherwise it is "not covered", with the nearest
   curated questions as suggestions and, if a passage came near, that passage to read. A capitalised name the
   material never mentions ("China", "Joseph Nye") means the question is about something else, whatever the other
   words match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from knowledge.confidence import STRUCTURAL, VERBATIM
from knowledge.corpus import DEFAULT_READING, Knowledge
from knowledge.formats.reading import Reading
from knowledge.index import Scope
from knowledge.models import Answer, Citation, QAPair
from knowledge.parts import Asked
from knowledge.purpose import may_ask_purpose
from knowledge.query import Query, QueryReader
from knowledge.ranking import Candidate, Ranker, cite
from knowledge.reading import read_question
from knowledge.semantic import Closeness, Encoder
from knowledge.structure import KeySentences, Place, Position, locate, paragraph_at, structural_kind
from knowledge.suggestions import Suggestions
from knowledge.weighing import Option, Weigher

DEFAULT_THRESHOLD = 0.59
"""Confidence needed to answer; chosen on the tuning sets for a target precision (see bench/README.md)."""
MAX_SUGGESTIONS = 5
CERTAIN = 0.8
"""Below this confidence an answer is given but flagged uncertain, with the competing questions offered."""
CLOSE_CALL = 0.1
"""A runner-up (citing something else) this close behind in confidence makes the answer uncertain too."""
CLOSE_ENOUGH = 0.40
"""A not-covered answer points at the passage that came closest when its confidence reaches this. On the tuning
sets the paragraph pointed at held the answer for three in five answerable questions of the uncurated texts (four in
five on the essay with its pairs), and 5-8% of the questions a text does not answer reach it (README, "The nearest
passage"); between 0.2 and 0.4, the paragraph held it for about half (a third on the uncurated texts)."""


MAX_PARTS = 3
"""Questions of one message answered each ("what is X? and why Y?"); a message asking more is answered as one
question: a reply stays readable, and one message cannot multiply the work it causes."""


class Considered(NamedTuple):
    """What a question brings up before the retriever decides."""

    options: list[Option]
    """Every candidate weighed, most probable first."""
    nearby: list[QAPair]
    """The curated pairs nearest the question, best first, weighed or not: what to suggest instead."""


class Retriever:
    """Ranks curated Q&A pairs and text sentences for a question, and decides whether to answer."""

    def __init__(
        self, knowledge: Knowledge, threshold: float = DEFAULT_THRESHOLD, encoder: Encoder | None = None
    ) -> None:
        """With an ``encoder`` (:mod:`knowledge.semantic`), confidence also weighs how close in meaning each
        candidate is to the question; the material's sentences and curated phrasings are embedded here, once."""
        self.knowledge = knowledge
        self.threshold = threshold
        self.ranker = Ranker(knowledge)
        self.closeness = Closeness(encoder, [s.text for s in self.ranker.sentences]) if encoder is not None else None
        phrasings = [phrasing for pair in self.ranker.pairs for phrasing in pair.phrasings]
        self.phrasing_closeness = Closeness(encoder, phrasings) if encoder is not None else None
        """How close in meaning each curated phrasing is to a question (in the ranker's order of phrasings)."""
        self._reader = QueryReader(self.ranker, knowledge.documents)
        self._verbatim: dict[frozenset[str], int] = {}
        """Each curated phrasing's terms, to the phrasing's number (the first pair's, if two share them): a question
        made of the same terms is answered by its pair. A phrasing asking what something is for holds "purpose" as
        a question does ("what is the study for", :meth:`QueryReader.read`)."""
        purpose = self._reader.purpose_term
        for i, (found, phrasing) in enumerate(zip(self.ranker.phrasing_terms, phrasings, strict=True)):
            if found and purpose is not None and may_ask_purpose(phrasing) and read_question(phrasing).purpose:
                found |= {purpose}
            if found:
                self._verbatim.setdefault(found, i)
        self._suggestions = Suggestions(self.ranker.pairs)
        self._weigher = Weigher(self.ranker)
        self._scopes: dict[str, tuple[Scope, Scope]] = {}
        self._summaries: dict[int, Citation] = {}
        self.key_sentences = KeySentences(self.ranker.vocabulary.terms, self.ranker.sentence_index.idf)
        """A paragraph's key sentences, in this material's weights: what a structural question is answered with."""

    def read(self, question: str, context: str = "") -> Query:
        """Resolve the question's words to index terms, weighed, once each, in the order asked (``context``: the
        question before it that it refers back to)."""
        return self._reader.read(question, context)

    def term_weight(self, stemmed: str) -> float:
        """How telling a (Snowball-stemmed) word is in this material: its idf among the sentences (without the
        general-English prior the ranker adds: a quiz grades against this text's own words)."""
        term = self.ranker.vocabulary.root(stemmed)
        return self.ranker.sentence_index.idf(term) / self.ranker.priors.get(term, 1.0)

    def consider(self, question: str, source: str | None = None) -> list[Option]:
        """Every candidate answer worth weighing, most probable first (empty if nothing in the material matches):
        the whole message's, and each of its questions' when it asks several."""
        query = self.read(question)
        options = self._consider(question, query, source).options
        for part in self._parts(query):
            options += self._consider(part.question, self.read(*part), source).options
        return sorted(options, key=lambda o: -o.confidence)

    def _parts(self, query: Query) -> list[Asked]:
        """The questions of a message to answer one by one: none for a single question, or for more than
        :data:`MAX_PARTS`."""
        return query.asked if len(query.asked) <= MAX_PARTS else []

    def _consider(self, question: str, query: Query, source: str | None, verbatim: bool = True) -> Considered:
        """All the options for one question, most probable first, and the curated pairs nearest it."""
        sentences, pairs = self._scope(source)
        if query.place is not None and query.place.numbered and query.topic:
            sentences, pairs = self._within_paragraph(query.place, sentences)
        close: Sequence[float] = ()
        phrased: Sequence[float] = ()
        if self.closeness is not None and self.phrasing_closeness is not None and query.terms:
            asked = self.closeness.encoder.encode([question])[0]
            close, phrased = self.closeness.to_encoded(asked), self.phrasing_closeness.to_encoded(asked)
        options, nearby = self._weigher.weigh(
            query, sentences, pairs, MAX_SUGGESTIONS + 1, closeness=close, phrased=phrased
        )
        if query.place is not None:
            options += self._structural(query, source)
            if query.topic and query.place.position is Position.KEY and query.place.sums_up:
                options = [self._summarised(o) for o in options]
        options.sort(key=lambda o: -o.confidence)
        phrasing = self._verbatim.get(query.wording) if verbatim and query.wording else None
        if phrasing is not None and (pairs is None or phrasing in pairs):
            options.insert(0, self._curated(phrasing))  # its curator vouched for it: it comes first
        return Considered(options, nearby)

    def _summarised(self, option: Option) -> Option:
        """A sentence found for a request to sum up a topic ("give me the gist of what it says about chalk"), cited
        with its paragraph's key sentences: a summary needs the paragraph's point, not only the sentence sharing the
        most words with the question."""
        sentence = option.candidate.sentence
        if sentence is None:
            return option
        citation = self._summaries.get(id(sentence))
        if citation is None:
            document = self.knowledge.document(sentence.source)
            assert document is not None
            chosen = {s.number: s for s in self.key_sentences(document.paragraphs[sentence.paragraph - 1])}
            chosen[sentence.number] = sentence
            citation = self._summaries[id(sentence)] = cite(*(chosen[n] for n in sorted(chosen)))
        return option._replace(candidate=option.candidate._replace(citation=citation))

    def _curated(self, phrasing: int) -> Option:
        """The pair whose phrasing the question is, word for word."""
        number = self.ranker.phrasing_pair[phrasing]
        candidate = Candidate(
            0.0, 0.0, 1.0, 0.0, self.ranker.pairs[number], None, self.ranker.phrasing_keys[phrasing],
            self.ranker.pair_citations[number],
        )  # fmt: skip
        return Option(VERBATIM, candidate, None)

    def ask(self, question: str, source: str | None = None, *, verbatim: bool = True) -> Answer:
        """Answer ``question`` from the material (or from the text ``source`` only), or say it is not covered.

        A question that is word for word a curated phrasing gets its pair (``verbatim=False`` weighs it like any
        other question: how ``studybot check`` tells whether a phrasing would work unless typed exactly). An
        uncertain answer (low confidence, or a runner-up close behind) carries the competing curated questions as
        ``suggestions``, so a reader can pick what they meant; a not-covered one carries the nearest ones, and the
        passage that came nearest if it came near enough to be worth reading (``closest``).

        A message asking several things ("what is X? and why Y?") has each question answered as if asked alone, in
        :attr:`~knowledge.models.Answer.parts`, when the material covers one of them; otherwise it is answered as
        one question (the cut may have been wrong: "what is the link between X and what Y does").
        """
        query = self.read(question)
        parts = tuple(self._answer(p.question, self.read(*p), source, verbatim) for p in self._parts(query))
        answered = [part for part in parts if part.answered]
        if not answered:
            return self._answer(question, query, source, verbatim)
        citations = {id(c): c for part in answered for c in part.citations}  # two questions may share an answer
        text = "\n\n".join(part.text for part in answered if part.text)
        return Answer(question, True, text, answered[0].confidence, tuple(citations.values()), parts=parts)

    def _answer(self, question: str, query: Query, source: str | None, verbatim: bool) -> Answer:
        """The answer to one question, or "not covered"."""
        options, nearby = self._consider(question, query, source, verbatim)
        best = options[0] if options else None
        pairs = _unique([o.candidate.pair for o in options if o.candidate.pair is not None] + nearby)
        if best is None:
            return Answer(question, False, None, 0.0, suggestions=pairs[:MAX_SUGGESTIONS])
        if best.confidence < self.threshold or query.unknown_names:
            near = best.confidence >= CLOSE_ENOUGH and not query.unknown_names
            closest = self.ranker.shown(best.candidate) if near else None
            return Answer(question, False, None, best.confidence, suggestions=pairs[:MAX_SUGGESTIONS], closest=closest)
        best = self._said_by_a_pair(best, options)
        chosen = best.candidate
        runner_up = next((o for o in options[1:] if o.candidate.citation != chosen.citation), None)
        uncertain = is_uncertain(best.confidence, runner_up.confidence if runner_up else None)
        others = tuple(p for p in pairs if p is not chosen.pair) if uncertain else ()
        cited = self.ranker.shown(chosen)
        return Answer(
            question, True, _text(chosen, cited), best.confidence, (cited,), chosen.pair, others[:MAX_SUGGESTIONS]
        )

    def _said_by_a_pair(self, best: Option, options: Sequence[Option]) -> Option:
        """The answer in a curated pair's words when a pair that would be answered too cites the very sentences the
        best sentence found: its curator wrote what they mean, and the citation is the same. Not when two pairs
        quote those sentences about equally likely (two questions about one sentence: which is meant is unclear)."""
        if best.candidate.pair is not None:
            return best
        cited = best.candidate.citation
        quoting: dict[int, Option] = {}  # each pair once, at its likeliest (options come most probable first)
        for option in options:
            if option.candidate.pair is not None and option.candidate.citation is cited:
                quoting.setdefault(id(option.candidate.pair), option)
        pairs = list(quoting.values())
        if not pairs or pairs[0].confidence < self.threshold:
            return best
        if len(pairs) > 1 and pairs[1].confidence > pairs[0].confidence - CLOSE_CALL:
            return best
        return pairs[0]._replace(confidence=best.confidence)

    def _scope(self, source: str | None) -> tuple[Scope, Scope]:
        """The sentence and pair numbers of one text, or None (everything) when no text is named."""
        if source is None:
            return None, None
        found = self._scopes.get(source)
        if found is None:
            sentences = frozenset(i for i, s in enumerate(self.ranker.sentences) if s.source == source)
            found = self._scopes[source] = (sentences, self._phrasings_of(lambda p: p.source == source))
        return found

    def _within_paragraph(self, place: Place, sentences: Scope) -> tuple[Scope, Scope]:
        """The sentences (and the pairs citing them) of the paragraph a question names by number, in each text."""
        assert place.paragraph is not None
        chosen = {
            (document.source, paragraph.number)
            for document in self.knowledge.documents
            if (paragraph := paragraph_at(document, place.paragraph, place.section)) is not None
        }
        numbers = frozenset(
            i
            for i, s in enumerate(self.ranker.sentences)
            if (s.source, s.paragraph) in chosen and (sentences is None or i in sentences)
        )
        return numbers, self._phrasings_of(lambda p: (p.source, p.citation.paragraph) in chosen)

    def _phrasings_of(self, wanted: Callable[[QAPair], bool]) -> frozenset[int]:
        """The numbers of the phrasings of the pairs ``wanted`` picks: how the ranker is told which pairs to search."""
        pairs = self.ranker.pairs
        return frozenset(i for i, pair in enumerate(self.ranker.phrasing_pair) if wanted(pairs[pair]))

    def _structural(self, query: Query, source: str | None) -> list[Option]:
        """The sentences a structural question points at, in each text (or the one named)."""
        assert query.place is not None
        confidence = STRUCTURAL[structural_kind(query.place.position, query.topic)]
        options = []
        for document in self.knowledge.documents:
            if source is not None and document.source != source:
                continue
            sentences = locate(document, query.place, self.key_sentences)
            if sentences:
                candidate = Candidate(0.0, 0.0, 0.0, 0.0, None, sentences[0], "", cite(*sentences))
                options.append(Option(confidence, candidate, None))
        return options

    def suggest(self, typed: str, limit: int = 25) -> list[QAPair]:
        """Curated pairs whose phrasings best match what has been typed so far, for autocomplete
        (:class:`~knowledge.suggestions.Suggestions`)."""
        return self._suggestions.matching(typed, limit)


def is_uncertain(confidence: float, runner_up: float | None) -> bool:
    """Whether an answer should come with the other questions it might have meant: its confidence is below
    :data:`CERTAIN`, or a candidate citing something else is within :data:`CLOSE_CALL` of it."""
    return confidence < CERTAIN or (runner_up is not None and confidence - runner_up < CLOSE_CALL)


def _text(candidate: Candidate, cited: Citation) -> str:
    """What an answer says: the curated answer, or the sentences cited."""
    return candidate.pair.answer if candidate.pair is not None else cited.quote


def _unique(pairs: Sequence[QAPair]) -> tuple[QAPair, ...]:
    """The pairs in order without repeats (by identity: hashing a whole pair is slow, and each is loaded once)."""
    return tuple({id(pair): pair for pair in pairs}.values())


def build_retriever(
    knowledge_dir: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    reading: Reading = DEFAULT_READING,
    encoder: Encoder | None = None,
) -> Retriever:
    """The one factory: load and validate a knowledge folder (the bundled one by default) and index it."""
    from knowledge.corpus import load_knowledge

    return Retriever(load_knowledge(knowledge_dir, reading), threshold, encoder)
