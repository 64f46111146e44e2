"""Clean text from extraction debris, the same way for every format: what students read, nothing else."""

from __future__ import annotations

import re
import unicodedata

_CLOSERS = "\"'”’)]"
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
"""Soft hyphens, zero-width spaces, word joiners and stray byte order marks: part of no word, shown as nothing."""
_SUPERSCRIPT_MARKER = re.compile(r"(?:(?<=[^\W\d_]{3})|(?<=[.,;:!?”’\"')]))[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?=[\s.,;:!?”’\"')]|$)")
"""Superscript digits after a word of three letters or more, or after punctuation: a footnote marker ("power¹"),
not a unit ("m²", "km²")."""


def clean(text: str) -> str:
    """Fold ligatures and compatibility characters (NFKC), drop soft hyphens and footnote markers, fold whitespace."""
    text = _SUPERSCRIPT_MARKER.sub("", text.translate(_INVISIBLE))
    return " ".join(unicodedata.normalize("NFKC", text).split())


def continues(before: str, after: str) -> bool:
    """Whether a break (blank lines, a page break) between ``before`` and ``after`` falls inside a sentence:
    ``before`` does not end one and ``after`` starts in lower case."""
    ends_sentence = before.rstrip(_CLOSERS)[-1:] in ".!?…:"
    return not ends_sentence and after[:1].islower()
