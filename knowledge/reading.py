"""Read a question the way students write it: in chat, with context first, sometimes two questions in one message.

What a reading gives the retriever:

- the content words, each with the weight of the part of the message it stands in: a sentence of context ("I'm
  making flashcards for tomorrow's seminar") counts less than the question that follows it;
- the parts that are questions of their own ("what's X and also why Y?", cut by :mod:`knowledge.parts`), as
  written, so each can be answered as if asked alone;
- chat shorthand spelled out ("bc", "smth", "w/"), fillers and small talk dropped ("lol", "ngl", "or nah", "hi
  everyone!"; the lists are :mod:`knowledge.chat`'s);
- the names in it (capitalised runs), and what kind of answer it wants: a number or a date, a measure (a year, a
  temperature, a sum of money), a name, which ones of a kind.

How much a word the material lacks should count against an answer is not decided here: that is the retriever's
business, with a general-English frequency list (:mod:`knowledge.informativeness`).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import NamedTuple

from knowledge.chat import FILLERS, TAGS, drop_small_talk
from knowledge.normalize import STOPWORDS, fold
from knowledge.parts import Asked, Part, first_word, questions_of, split_message, starts_at, words_of
from knowledge.purpose import asks_purpose
from knowledge.structure import Place, find_place

CONTEXT_WEIGHT = 0.4
"""Weight of a word in a part of the message that is not itself a question, when another part is one."""

_HOW_MUCH = frozenset("many much often long old far big large fast high tall deep wide thick heavy hot cold".split())
_WHAT_AMOUNT = frozenset(
    """percentage percent proportion share number amount year date decade century temperature size height depth width
    length thickness weight distance speed age population cost price wage wages salary fee fees fare""".split()
)
_WHEN_DID = frozenset("did was were will is does do has had".split())
_YEAR = frozenset("year years century centuries decade decades".split())
_HEAT = frozenset("hot cold warm".split())
_PAID = frozenset("cost costs pay paid pays earn earned earns spend spent spends charge charged worth money".split())
_SUM = frozenset("cost costs price prices wage wages salary fee fees fare".split())
_WHO = frozenset({"who", "whom", "whose"})
_DEEDS = frozenset(
    """discovered invented coined wrote built founded designed devised composed painted carved erected named said
    remarked proved observed described proposed introduced established created developed came found""".split()
)
"""Deeds someone is known for by name: "who discovered..." wants the discoverer named, as "which countries..." wants
the countries ("who benefits", "who is it for" may be answered by a kind: "national business", "students")."""
_ONCE = frozenset("first actually originally really later ever".split())
_NAMED_KINDS = frozenset(
    """country countries nation nations states company companies firm firms corporation corporations organization
    organizations organisation organisations institution institutions university universities people persons city
    cities town towns region regions province provinces author authors scholars writers thinkers leaders politicians
    president presidents researchers scientists philosophers kings queens emperors rulers programmes programs agency
    agencies ministry ministries department departments governments brands products newspapers journals titles books
    novels films rivers islands mountains ship ships vessel vessels man men woman women wife husband god gods goddess
    goddesses captain captains king queen emperor ruler""".split()
)
"""Kinds of thing known by their proper names: "which countries..." wants them named."""
_NAME_WHAT = frozenset({"the", "some", "a", "an", "one", "two", "three"})
_PREPOSITIONS = frozenset("from of in to with by for at on into between among".split())
_ASKS_AMOUNT = frozenset({"how", "what", "which", "when", "where"})
_RANKS = frozenset({"rank", "ranks", "ranked", "ranking", "rankings"})
"""A rank asked for ("what is Japan's exact rank", "where does it rank") is a number the answer must state."""
_ASKS_NAME = _WHO | {"which", "what", "name"}
_NOT_CONTENT = STOPWORDS | FILLERS
_SAYS = frozenset({"state", "states", "stated"})
"""Verbs of talk about a text that are also nouns of some texts' topic (the state): read by :func:`_says`."""
_AUXILIARIES = frozenset("do does did will would can could should".split())
_ANY_AUXILIARY = _AUXILIARIES | frozenset("is are was were shall may might must has have had".split())
_DETERMINERS = frozenset("the a an this that these those every each any no own my your his her its our their".split())


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
    wants_quantity: bool
    """Whether it asks for a number or a date ("how many", "what percentage", "when did", "which year")."""
    measure: str | None
    """The measure it asks for, which a number alone does not give: "year" ("what year", century or decade),
    "temperature" ("what temperature", "how hot") or "money" ("how much did it cost", "what wage"); see
    :func:`knowledge.normalize.states_measure`."""
    wants_name: bool
    """Whether it asks for someone or something by name ("who coined...", "which countries...")."""
    wants_ones: bool
    """Whether it asks which ones of a kind, by name ("which countries...", "what companies..."): an answer naming
    none of them ("the countries of the region") does not answer it, whereas "who..." may be answered by a kind
    of people ("students and researchers")."""
    kind: tuple[str, str] | None
    """The kind of thing it asks which ones of, with its modifier: ("natural", "resources") for "what natural
    resources does...", as written."""
    place: Place | None
    """The place in the text it asks about ("paragraph 3", "the conclusion"), if any."""
    purpose: bool
    """Whether it asks what something is for ("what's the point of X", :mod:`knowledge.purpose`)."""


def is_content(word: str) -> bool:
    """Whether a lowercased word can carry the question's topic."""
    return (len(word) > 1 or word.isdigit()) and word not in _NOT_CONTENT


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
            if is_content(w) and not (w in _SAYS and _says(part, i)) and not (w in TAGS and i == last >= 2)
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
    asked = set(every)
    wants_quantity = not _ASKS_AMOUNT.isdisjoint(asked) and _wants_quantity(every)
    measure = _measure_asked(every) if wants_quantity else None
    may_name = not _ASKS_NAME.isdisjoint(asked)
    wants_ones = may_name and any(_asks_which_ones(part.words) or _asks_who_did(part.words) for part in parts)
    wants_name = wants_ones or (may_name and any(_asks_who(part.words) for part in parts))
    kind = next((k for part in asks or parts if (k := _kind_asked(part.words)) is not None), None) if may_name else None
    place = find_place(folded, asked)
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
        wants_quantity,
        measure,
        wants_name,
        wants_ones,
        kind,
        place,
        place is None and any(asks_purpose(part.words) for part in asks or parts),
    )


def _says(part: Part, i: int) -> bool:
    """Whether "state(s/d)" at ``i`` is the verb of talk about the text ("what does paragraph 2 state", "the author
    states that") rather than the noun ("your own state", "Japan's state", "the state of research")."""
    words = part.words
    if i and (words[i - 1] in _DETERMINERS or part.tokens[i - 1].casefold().endswith("'s")):
        return False
    after = words[i + 1] if i + 1 < len(words) else ""
    return after in ("that", "about") or not _AUXILIARIES.isdisjoint(words[:i])


def _wants_quantity(words: list[str]) -> bool:
    """ "how many/much/high...", "what/which percentage/year...", "what is the size...", "when did/was...", a rank."""
    if not _RANKS.isdisjoint(words):
        return True
    for i, (first, second) in enumerate(pairwise(words)):
        if (
            (first == "how" and second in _HOW_MUCH)
            or (first in ("what", "which") and not _WHAT_AMOUNT.isdisjoint(words[i + 1 : i + 4]))
            or (first == "when" and second in _WHEN_DID)
        ):
            return True
    return False


def _measure_asked(words: list[str]) -> str | None:
    """The measure a question asking for a quantity wants (:attr:`Reading.measure`), if a number alone would not do:
    "how much time did it take" asks for no sum of money, "how many years" for no year."""
    pairs = list(pairwise(words))
    if any(a in ("what", "which") and b in _YEAR for a, b in pairs):
        return "year"
    if "temperature" in words or any(a == "how" and b in _HEAT for a, b in pairs):
        return "temperature"
    much = next((i for i, (a, b) in enumerate(pairs) if a == "how" and b == "much"), None)
    if (much is not None and "time" not in words and not _PAID.isdisjoint(words[much + 2 :])) or any(
        a in ("what", "which") and not _SUM.isdisjoint(words[i + 1 : i + 4]) for i, (a, _) in enumerate(pairs)
    ):
        return "money"
    return None


def _asks_who(words: tuple[str, ...]) -> bool:
    """A part that starts with "who", "whom" or "whose"."""
    return first_word(words) in _WHO


def _asks_who_did(words: tuple[str, ...]) -> bool:
    """A part asking who did a deed (see :data:`_DEEDS`): "who first discovered...", "who was the statesman who
    said..."; not "why did the professor who came up with the relay..."."""
    if not _asks_who(words):
        return False
    for i, word in enumerate(words[:-1]):
        if word == "who":
            after = words[i + 2] if words[i + 1] in _ONCE and i + 2 < len(words) else words[i + 1]
            if after in _DEEDS:
                return True
    return False


def _asks_which_ones(words: tuple[str, ...]) -> bool:
    """A part asking "which/what (..) countries/companies/..." (see :func:`_which_or_what`), "name the/some ..." or
    "the name of (..) ship/man/firm/...": it wants the ones meant, by name ("the name of the tube" asks for a term of
    the text, in lower case).

    "what should states do" asks for none: an auxiliary between the question word and the kind makes the kind the
    subject of a clause.
    """
    for i in _which_or_what(words):
        ahead = words[i + 1 : i + 4]
        kind = next((j for j, w in enumerate(ahead) if w in _NAMED_KINDS), None)
        if kind is not None and _ANY_AUXILIARY.isdisjoint(ahead[:kind]):
            return True
    return any(
        (word == "name" and words[i + 1 : i + 2] and words[i + 1] in _NAME_WHAT)
        or (
            word in ("name", "names")
            and words[i + 1 : i + 2] == ("of",)
            and not _NAMED_KINDS.isdisjoint(words[i + 2 : i + 6])
        )
        for i, word in enumerate(words)
    )


def _which_or_what(words: tuple[str, ...]) -> Iterator[int]:
    """Where a part asks "which" or "what" of its own: at its start or after a preposition ("from which countries"),
    not inside a clause ("does japan copy what other countries did")."""
    start = starts_at(words)
    return (i for i, w in enumerate(words) if w in ("which", "what") and (i <= start or words[i - 1] in _PREPOSITIONS))


_KIND_OF = frozenset({"kind", "kinds", "type", "types", "sort", "sorts"})
_EXAMPLES = frozenset({"like", "such", "including", "e.g"})
"""Words after a kind that give examples of it ("which natural resources, like uranium or gas, ...")."""
_STRESSING = frozenset({"exactly", "specifically", "precisely", "actually", "really"})
"""Words after a kind that stress it ("what natural resources exactly does...")."""


def _kind_asked(words: tuple[str, ...]) -> tuple[str, str] | None:
    """The kind a part asks which ones of, with the word before it ("what natural resources does...", "which
    specific japanese technologies are..."), as (modifier, plural noun); None if it asks none.

    Only a kind with a modifier counts: "what results is soft power meant to bring" is answered by the kinds of
    results ("economic and political results"), "what natural resources does it export" only by naming them. The
    kind must be followed by an auxiliary, a preposition, examples ("like uranium") or a word stressing it
    ("exactly"), and reached without a determiner: "what complements the natural resources of" asks for no kind;
    nor does "what kinds of exchanges", answered by the exchanges' kinds.
    """
    i = next(_which_or_what(words), None)
    if i is None:
        return None
    for j in range(i + 1, min(i + 5, len(words) - 1)):
        w = words[j]
        if w in _ANY_AUXILIARY or w in _KIND_OF or w in _DETERMINERS:
            return None
        if (
            j > i + 1
            and len(w) >= 4
            and w.endswith("s")
            and not w.endswith(("ss", "us", "is"))
            and is_content(w)
            and is_content(words[j - 1])
            and (
                words[j + 1] in _ANY_AUXILIARY
                or words[j + 1] in _PREPOSITIONS
                or words[j + 1] in _EXAMPLES
                or words[j + 1] in _STRESSING
            )
        ):
            return words[j - 1], w
    return None


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
