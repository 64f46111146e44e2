"""What kind of answer a question wants: a number or a date, a measure a number alone does not give (a year, a
temperature, a sum of money), someone or something by name, which ones of a kind.

A candidate that does not state what is wanted is weighed down (:mod:`knowledge.weighing`): "when did Japan start..."
is not answered by a sentence with no date, nor "which countries..." by one naming none. Read from the words of a
message's parts as :mod:`knowledge.parts` cuts them; :mod:`knowledge.reading` gathers the rest of the reading.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import NamedTuple

from knowledge.chat import is_content
from knowledge.parts import Part, first_word, starts_at

_HOW_MUCH = frozenset("many much often long old far big large fast high tall deep wide thick heavy hot cold".split())
_WHAT_AMOUNT = frozenset(
    """percentage percent proportion share number amount year date decade century temperature size height depth width
    length thickness weight distance speed age population cost price wage wages salary fee fees fare
    measurement measurements dimension dimensions""".split()
)
_WHEN_DID = frozenset("did was were will is does do has had".split())
_YEAR = frozenset("year years century centuries decade decades".split())
_HEAT = frozenset("hot cold warm".split())
_WEIGH = frozenset("weigh weighs weighed weight".split())
_PAID = frozenset("cost costs pay paid pays earn earned earns spend spent spends charge charged worth money".split())
_SHARE = frozenset("percentage percent proportion share number".split())
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
    goddesses captain captains king queen emperor ruler book novel poem poems play plays composition compositions
    opera operas painting paintings species language languages poet poets composer composers painter painters saint
    saints pope popes""".split()
)
"""Kinds of thing known by their proper names: "which countries..." wants them named."""
_NAME_WHAT = frozenset({"the", "some", "a", "an", "one", "two", "three"})
_PREPOSITIONS = frozenset("from of in to with by for at on into between among".split())
_ASKS_AMOUNT = frozenset({"how", "what", "which", "when", "where"})
_RANKS = frozenset({"rank", "ranks", "ranked", "ranking", "rankings"})
"""A rank asked for ("what is Japan's exact rank", "where does it rank") is a number the answer must state."""
_ASKS_NAME = _WHO | {"which", "what", "name"}
AUXILIARIES = frozenset("do does did will would can could should".split())
_ANY_AUXILIARY = AUXILIARIES | frozenset("is are was were shall may might must has have had".split())
DETERMINERS = frozenset("the a an this that these those every each any no own my your his her its our their".split())


class Wanted(NamedTuple):
    """What kind of answer a question wants."""

    quantity: bool
    """Whether it asks for a number or a date ("how many", "what percentage", "when did", "which year")."""
    measure: str | None
    """The measure it asks for, which not every quantity gives: "year" ("what year", century or decade),
    "temperature" ("what temperature", "how hot"), "money" ("how much did it cost", "what wage"), "weight" ("how much
    does it weigh", "what weight": "how heavy" may want a comparison), "number" ("how many", "what percentage": a
    time word is none) or "time" ("when did...": a date, a time word or an age, not a bare number); see
    :func:`knowledge.normalize.states_measure`."""
    name: bool
    """Whether it asks for someone or something by name ("who coined...", "which countries...")."""
    ones: bool
    """Whether it asks which ones of a kind, by name ("which countries...", "what companies..."): an answer naming
    none of them ("the countries of the region") does not answer it, whereas "who..." may be answered by a kind
    of people ("students and researchers")."""
    kind: tuple[str, str] | None
    """The kind of thing it asks which ones of, with its modifier: ("natural", "resources") for "what natural
    resources does...", as written."""
    person: str | None
    """The kind of person whose name it asks ("what was the name of the learned Benedictine who...", "who was the
    Spanish historian..."): the noun, as written. A text writing "a learned Benedictine" names none."""


def wanted(parts: Sequence[Part], asks: Sequence[Part]) -> Wanted:
    """What a message's ``parts`` want; ``asks`` are the parts that are questions, where the kind asked which ones
    of is looked for first."""
    every = [word for part in parts for word in part.words]
    asked = set(every)
    quantity = not _ASKS_AMOUNT.isdisjoint(asked) and _wants_quantity(every)
    measure = _measure_asked(every) if quantity else None
    may_name = not _ASKS_NAME.isdisjoint(asked)
    ones = may_name and any(_asks_which_ones(part.words) or _asks_who_did(part.words) for part in parts)
    person = (
        next((p for part in asks or parts if (p := _person_asked(part.words)) is not None), None) if may_name else None
    )
    name = ones or person is not None or (may_name and any(_asks_who(part.words) for part in parts))
    kind = next((k for part in asks or parts if (k := _kind_asked(part.words)) is not None), None) if may_name else None
    return Wanted(quantity, measure, name, ones, kind, person)


def _wants_quantity(words: list[str]) -> bool:
    """ "how many/much/high...", "what/which percentage/year...", "what is the size...", "when did/was...", a rank."""
    if not _RANKS.isdisjoint(words):
        return True
    for i, (first, second) in enumerate(pairwise(words)):
        if (
            (first == "how" and second in _HOW_MUCH)
            or (first in ("what", "which") and _asks_amount(words[i + 1 : i + 5]))
            or (first == "when" and second in _WHEN_DID)
        ):
            return True
    return False


def _asks_amount(ahead: list[str]) -> bool:
    """Whether the words after "what" or "which" name an amount it asks for ("what percentage", "what oven
    temperature", "what is the exact size"). Not after "do" or the like ("what does the rising number of students
    push Japan to do": the amount is the subject of a clause), nor after a word other than a form of "be" that stands
    before a determiner ("what measures the size of an object" asks for the measurer)."""
    verb = False
    for word in ahead:
        if word in _WHAT_AMOUNT:
            return True
        if word in AUXILIARIES or (word in DETERMINERS and verb):
            return False
        verb = word not in DETERMINERS and word not in _ANY_AUXILIARY and word not in _STRESSING
    return False


def _measure_asked(words: list[str]) -> str | None:
    """The measure a question asking for a quantity wants (:attr:`Wanted.measure`), if a number alone would not do:
    "how much time did it take" asks for no sum of money, "how many years" for no year; the first that fits, in the
    order below ("what percentage of its weight" asks for a number)."""
    pairs = list(pairwise(words))
    much = next((i for i, (a, b) in enumerate(pairs) if a == "how" and b == "much"), None)
    after_much = words[much + 2 :] if much is not None else []
    asked = (
        ("year", any(a in ("what", "which") and b in _YEAR for a, b in pairs)),
        ("temperature", "temperature" in words or any(a == "how" and b in _HEAT for a, b in pairs)),
        (
            "weight",
            not _WEIGH.isdisjoint(after_much)
            or any(
                a in ("what", "which") and "weight" in words[i + 1 : i + 4] and _SHARE.isdisjoint(words[i + 1 : i + 3])
                for i, (a, _) in enumerate(pairs)
            ),
        ),
        (
            "money",
            ("time" not in words and not _PAID.isdisjoint(after_much))
            or any(
                a in ("what", "which") and not _SUM.isdisjoint(words[i + 1 : i + 4]) for i, (a, _) in enumerate(pairs)
            ),
        ),
        (
            "number",
            any(a == "how" and b == "many" for a, b in pairs)
            or any(
                a in ("what", "which") and not _SHARE.isdisjoint(words[i + 1 : i + 3]) for i, (a, _) in enumerate(pairs)
            ),
        ),
        ("time", any(a == "when" and b in _WHEN_DID for a, b in pairs)),
    )
    return next((measure for measure, wanted in asked if wanted), None)


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
    subject of a clause; nor does "what kind of play", answered by a kind.
    """
    for i in _which_or_what(words):
        ahead = words[i + 1 : i + 4]
        kind = next((j for j, w in enumerate(ahead) if w in _NAMED_KINDS), None)
        if kind is not None and _ANY_AUXILIARY.isdisjoint(ahead[:kind]) and _KIND_OF.isdisjoint(ahead[:kind]):
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


_BE_ASKED = frozenset({"was", "is", "were", "are"})
_ENDS_PERSON = frozenset(
    "who whom whose that which in at of on from with to by for and or did does do was were is".split()
)


def _person_asked(words: tuple[str, ...]) -> str | None:
    """The kind of person whose name a part asks (:attr:`Wanted.person`): the last word of "the ..." after "the name
    of" when a clause on a person follows ("the name of the psychologist who called..."), or after "who was" ("who was
    the Spanish historian who lived in Greece"); None for "the name of the tube that..." (a thing, whose name a text
    may write in lower case) or "who was Dr. Gray" (a name already)."""
    for i, word in enumerate(words):
        if word in ("name", "names") and words[i + 1 : i + 3] == ("of", "the"):
            start, needs_who = i + 3, True
        elif word in _WHO and words[i + 1 : i + 2] and words[i + 1] in _BE_ASKED and words[i + 2 : i + 3] == ("the",):
            start, needs_who = i + 3, False
        else:
            continue
        end = start
        while end < len(words) and end < start + 3 and words[end] not in _ENDS_PERSON:
            end += 1
        if end > start and is_content(words[end - 1]) and (not needs_who or words[end : end + 1] == ("who",)):
            return words[end - 1]
    return None


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
        if w in _ANY_AUXILIARY or w in _KIND_OF or w in DETERMINERS:
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
