"""Questions that ask what something is for: "what's the point of X", "what is soft power actually for in the end".

Such a question asks for a purpose in words that say little: "point" has many senses and "for" is a stopword. Where
the material speaks of a purpose in that word ("the purpose of the experiment", a curated "What is the purpose of
this research?"), the question is read as asking it (:meth:`knowledge.query.QueryReader.read`).

Only the word "purpose" is added, not "aim" or "goal": one text may use both for different things (the essay's "aim
of the study" and "only goal of soft power"), and a question asking for the point of either names which by its
topic, which one added word of each would blur. Measured on the tuning sets, adding all three lost right answers.

"The main point of paragraph 2" and "what is the point of the last paragraph" name a place, not a purpose: the
reader asks this module only about questions that name no place.
"""

from __future__ import annotations

from collections.abc import Sequence

PURPOSE = "purpose"
"""The word a question asking for a purpose is read as holding, where the material uses it."""

_QUALIFIERS = frozenset("actual real whole entire true ultimate very".split())
"""Words between "the" and "point" that keep its sense of purpose ("the actual point"), unlike "main" or "boiling"."""
_EMPHASIS = frozenset("is are was were even really actually exactly then".split())
_AFTER_FOR = (("in", "the", "end"), ("ultimately",), ("really",), ("exactly",), ("then",), ("anyway",))
_FOR_ELSE = frozenset(
    """used known famous noted remembered celebrated responsible argue argues arguing argued call calls calling
    called ask asks asking asked look looks looking looked wait waits waiting pay pays paid paying named praised
    blamed criticised criticized good bad""".split()
)
"""Words before a last "for" that ask something else: a use ("what are they used for", which a text states in its
own words), a reputation ("what is Japan known for"), a case ("what is the essay arguing for")."""


def asks_purpose(words: Sequence[str]) -> bool:
    """Whether a question (its lowercased words, shorthand spelled out: "whats" is "what") asks what something is
    for, in words that do not say so: "what's the (actual) point (of X)", "the real point of X", "what is X (even)
    for (in the end)"."""
    for i, word in enumerate(words):
        if word == "point" and _means_purpose(words, i):
            return True
    if "what" not in words:
        return False
    end = len(words)
    for after in _AFTER_FOR:
        if tuple(words[end - len(after) :]) == after:
            end -= len(after)
            break
    return end >= 3 and words[end - 1] == "for" and words[end - 2] not in _FOR_ELSE


def may_ask_purpose(text: str) -> bool:
    """Whether a text has the words :func:`asks_purpose` looks for: a quick test before reading it whole."""
    lowered = text.casefold()
    return "point" in lowered or " for" in lowered


def _means_purpose(words: Sequence[str], i: int) -> bool:
    """Whether "point" at ``i`` asks for a purpose: "the actual point of", or "what (is) the point"."""
    j = i - 1
    qualified = False
    while j >= 0 and words[j] in _QUALIFIERS:
        qualified, j = True, j - 1
    if j < 0 or words[j] != "the":
        return False
    if qualified and i + 1 < len(words) and words[i + 1] == "of":
        return True
    j -= 1
    while j >= 0 and words[j] in _EMPHASIS:
        j -= 1
    return j >= 0 and words[j] == "what"
