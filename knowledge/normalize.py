"""One normalisation for texts, quotes and questions alike, so that what is indexed and what is asked compare equal.

Course texts come as people write them: curly quotes, ligatures, line breaks in the middle of a sentence. Curators
and students type straight quotes and single spaces. Both sides go through :func:`normalize` (for exact
comparison, e.g. of quotes) and :func:`terms` (for retrieval).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
"""Characters that are part of no word and show as nothing (zero-width spaces and joiners, the soft hyphen, word
joiner, direction marks, BOM): they vanish, so ``so\u200bft`` is still "soft"; as spaces they would split it."""

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        **dict.fromkeys(INVISIBLE),
    }
)
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

# Words that carry no topic: function words, question words, and words about the text itself ("what does the
# essay say about..."). Dropping them makes coverage measure what the question is about.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been before being below
    between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
    else ever few for from further get gets got had hadn't has hasn't have haven't having he her here hers herself
    him himself his how i if in into is isn't it it's its itself just let me might more most much must mustn't my
    myself no nor not now of off on once only or other others our ours ourselves out over own per please really
    same shall she should shouldn't so some such tell than that that's the their theirs them themselves then there
    these they this those through thus to too under until up upon us very was wasn't we were weren't what what's
    when where which while who whom whose why will with within without won't would wouldn't yet you your yours
    yourself yourselves
    whats hows whos wheres whens whys thats dont doesnt didnt isnt arent wasnt werent cant wont im ive youre
    according author authors article essay text paper passage writer writes written say says said mention mentions
    mentioned explain explains describe describes described give given mean means meant
    think thinks idea kind something anything thing things stuff one ones many lot lots
    vs versus etc ok okay hey hi pls thanks
    """.split()
)

_stemmer = Stemmer.Stemmer("english")


def fold(text: str) -> str:
    """Apply NFKC, fold typographic quotes and dashes to ASCII ones and drop invisible characters; keep the rest."""
    if text.isascii():  # nothing to fold, and most questions are ASCII
        return text
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def normalize(text: str) -> str:
    """Fold quotes and collapse all whitespace: the form in which quotes are compared with the text."""
    return _WHITESPACE.sub(" ", fold(text)).strip()


def words(text: str) -> list[str]:
    """Split text into lowercase words, with possessives dropped ("Japan's" is "japan")."""
    return [w.removesuffix("'s") for w in _WORD.findall(fold(text).casefold())]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of a lowercase word; cached because a vocabulary repeats itself."""
    return str(_stemmer.stemWord(word))


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry its topic: no stopwords, no one-letter words but digits ("6 pounds")."""
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def terms(text: str) -> list[str]:
    """Stemmed content words: the unit the index counts."""
    return [stem(w) for w in content_words(text)]


NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million
    millions billion billions trillion dozen half quarter""".split()
)
TIME_WORDS = frozenset(
    """year years decade decades century centuries annually yearly monthly weekly daily today yesterday tomorrow ago
    morning evening night spring summer autumn winter day days week weeks month months hour hours minute minutes
    january february april june july august september october november december""".split()
)
"""Words that say when ("may" and "march" only as months, capitalised)."""


_STATED = {
    "number": re.compile(r"\d|\b(?:" + "|".join(sorted(NUMBER_WORDS)) + r")\b", re.IGNORECASE),
    "time": re.compile(r"\d|\b(?:" + "|".join(sorted(TIME_WORDS)) + r"|age)\b|(?-i:\b(?:May|March)\b)", re.IGNORECASE),
    "year": re.compile(r"\b\d{3,4}\b|\bcentur(?:y|ies)\b|\bdecades?\b", re.IGNORECASE),
    "temperature": re.compile(
        r"\bdeg(?:rees?\b|\.)|°|\b(?:fahrenheit|centigrade|celsius|tepid|lukewarm)\b|\bboil|\bfreez|"
        r"\b(?:red|white|blood)[ -]heat\b",
        re.IGNORECASE,
    ),
    "money": re.compile(
        r"[£$¢€]|\b(?:pounds?|shillings?|pence|penny|dollars?|cents?|francs?|guineas?|sterling|rupees?|yen)\b|"
        r"\b\d+[sd]\.",  # not "crowns" or "marks": a tooth's crown, a mark on the page
        re.IGNORECASE,
    ),
    "weight": re.compile(
        r"\b(?:pounds?|lbs?|tons?|tonnes?|ounces?|oz|grammes?|grams?|kilogrammes?|kilograms?|kilos?|kg|hundredweights?|"
        r"cwt)\b",  # not "stone" or "grain": a stone in the wall, a grain of corn
        re.IGNORECASE,
    ),
}
"""How a text states each measure a question may ask for (:attr:`knowledge.wanted.Wanted.measure`)."""


def states_measure(measure: str, text: str) -> bool:
    """Whether a text states the measure asked for: "what year" wants a year (three or four digits), a century or a
    decade ("two or three years previously" or "forty-two teeth" is a quantity, and no year); "what temperature" a
    number of degrees or a named heat ("tepid", "boiling"); "how much did it cost" a sum of money; "how much does it
    weigh" a unit of weight ("six-mule teams" is a number, and no weight); "how many" a number ("many years" is none);
    "when" a date, a time word or an age ("one of its acts" is none)."""
    return _STATED[measure].search(text) is not None


def has_quantity(text: str) -> bool:
    """Whether a text states a number or a time, as an answer to "how long" or "how far" must ("a month's
    deliberation", "nine inches"); "percentage" alone states none."""
    return states_measure("number", text) or states_measure("time", text)
