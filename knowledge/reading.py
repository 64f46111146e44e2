"""Read a question the way students write it: in chat, with context first, sometimes two questions in one message.

What a reading gives the retriever:

- the content words, each with the weight of the part of the message it stands in: a sentence of context ("I'm
  making flashcards for tomorrow's seminar") counts less than the question that follows it;
- the parts that are questions of their own ("what's X and also why Y?", cut by :mod:`knowledge.parts`), as
  written, so each can be answered as if asked alone;
- chat shorthand spelled out ("bc", "smth", "w/"), fillers and small talk dropped ("lol", "ngl", "or nah", "hi
  everyone!"; the lists are :mod:`knowledge.chat`'s);
- the names in it (capitalised runs), and what kind of answer it wants: a number or a date, a measure (a year, a
  temperature, a sum of money), a name, which ones of a kind (:mod:`knowledge.wanted`);
- where in the text it asks about (:mod:`knowledge.structure`), and whether it asks what something is for
  (:mod:`knowledge.purpose`).

How much a word the material lacks should count against an answer is not decided here: that is the retriever's
business, with a general-English frequency list (:mod:`knowledge.informativeness`).
"""

from __future__ import annotations

from typing import NamedTuple

from knowledge.chat import TAGS, drop_small_talk, is_content
from knowledge.normalize import fold
from knowledge.parts import Asked, Part, questions_of, split_message, words_of
from knowledge.purpose import asks_purpose
from knowledge.structure import Place, find_place
from knowledge.wanted import AUXILIARIES, DETERMINERS, Wanted, wanted

CONTEXT_WEIGHT = 0.4
"""Weight of a word in a part of the message that is not itself a question, when another part is one."""

_SAYS = frozenset({"state", "states", "stated"})
"""Verbs of talk about a text that are also nouns of some texts' topic (the state): read by :func:`_says`."""


_EMPHATIC = frozenset({"actual", "real"})
"""Adjectives that only stress what is asked for ("what's the actual goal"): read by :func:`_stresses`."""
_BE = frozenset({"is", "was", "are", "were"})


class Reading(NamedTuple):
    """A question as the retriever needs it (a named tuple: this is the hot path)."""

    content: list[tuple[str, float]]
    """Content words in order with their weight: 1.0, or :data:`CONTEXT_WEIGHT` in a part that only sets context."""
    questions: list[Asked]
    """Each part that is a question of its own, as written, when the message holds two or more."""
    names: list[tuple[str, ...]]
    """Runs of two or more capitalised content words ("Japan Foundation"): how people write names."""
    capitalised: frozenset[str]
    """Content words written with a capital after the first word: names, unless the question is in Title Case."""
    wants: Wanted
    """What kind of answer it wants: a number, a measure, a name, which ones of a kind."""
    place: Place | None
    """The place in the text it asks about ("paragraph 3", "the conclusion"), if any."""
    purpose: bool
    """Whether it asks what something is for ("what's the point of X", :mod:`knowledge.purpose`)."""


def is_small_talk(text: str) -> bool:
    """Whether a message is only a greeting or small talk ("hey how's it going", "good morning all!"): there is no
    question in it to answer, or to file as unanswered."""
    folded = fold(text)
    rest = drop_small_talk(folded)
    return rest != folded and not any(is_content(word) for word in words_of(rest))


def read_question(text: str, context: str = "") -> Reading:
    """Read a question: its weighted content words, its parts, the names in it, what kind of answer it wants.

    ``context`` is a question asked before it that it refers back to (:attr:`~knowledge.parts.Asked.context`):
    its words count as context, and its names as named."""
    folded = drop_small_talk(fold(text))
    parts = split_message(folded)
    asks = [part for part in parts if part.is_question and any(is_content(w) for w in part.words)]
    content: list[tuple[str, float]] = []
    every: list[str] = []
    for part in parts:
        weight = 1.0 if part.is_question or not asks else CONTEXT_WEIGHT
        last = len(part.words) - 1 if part.is_question else -1  # "..., right?" asks for agreement
        content += [
            (w, weight)
            for i, w in enumerate(part.words)
            if is_content(w)
            and not (w in _SAYS and _says(part, i))
            and not (w in TAGS and i == last >= 2)
            and not (w in _EMPHATIC and _stresses(part.words, i))
        ]
        every += part.words
    questions = questions_of(asks)
    names: list[tuple[str, ...]] = []
    capitalised: set[str] = set()
    rest = folded[1:]
    if rest != rest.lower():  # a capital after the first letter: there may be names to read
        for part in asks or parts:  # a name in the context ("I'm going to Osaka") is not what is asked about
            runs, mid = _names(part.tokens, part.words)
            names += runs
            capitalised |= mid
    place = find_place(folded, set(every))
    if context:
        before = read_question(context)
        content += [(word, CONTEXT_WEIGHT) for word, _ in before.content]
        names += before.names
        capitalised |= before.capitalised
    return Reading(
        content,
        questions,
        names,
        frozenset(capitalised),
        wanted(parts, asks),
        place,
        place is None and any(asks_purpose(part.words) for part in asks or parts),
    )


def _stresses(words: tuple[str, ...], i: int) -> bool:
    """Whether "actual" or "real" at ``i`` only stresses what a question asks for: "what's the actual goal of soft
    power", "what was the real point", not "is the cement actual bone" or "stronger than the actual stones", where it
    tells one thing from another."""
    before = [w for w in words[: max(0, i - 1)] if w not in _BE]
    return i >= 2 and words[i - 1] == "the" and bool(before) and before[-1] == "what"


def _says(part: Part, i: int) -> bool:
    """Whether "state(s/d)" at ``i`` is the verb of talk about the text ("what does paragraph 2 state", "the author
    states that") rather than the noun ("your own state", "Japan's state", "the state of research")."""
    words = part.words
    if i and (words[i - 1] in DETERMINERS or part.tokens[i - 1].casefold().endswith("'s")):
        return False
    after = words[i + 1] if i + 1 < len(words) else ""
    return after in ("that", "about") or not AUXILIARIES.isdisjoint(words[:i])


def _names(tokens: tuple[str, ...], lowered: tuple[str, ...]) -> tuple[list[tuple[str, ...]], frozenset[str]]:
    """Runs of capitalised content words, and the capitalised words after the first (none in Title Case)."""
    capitalised = [token[0].isupper() for token in tokens]
    capitals = sum(capitalised[1:])
    if not capitals or capitals * 5 >= (len(tokens) - 1) * 3:  # no capitals to read, or Title Case
        return [], frozenset()
    runs: list[tuple[str, ...]] = []
    current: list[str] = []
    for word, upper in zip([*lowered, ""], [*capitalised, False], strict=True):
        if upper and is_content(word):
            current.append(word)
            continue
        if len(current) >= 2:
            runs.append(tuple(current))
        current = []
    mid = frozenset(word for word, upper in zip(lowered[1:], capitalised[1:], strict=True) if upper)
    return runs, mid
