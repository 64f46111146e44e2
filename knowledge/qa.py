"""Load curated Q&A pairs and prove each quote against its text, reporting problems as ``file:line: reason``.

The YAML is read node by node (not with a plain ``safe_load``) so that every problem can name the line a curator
has to open.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import PurePath

import yaml
from rapidfuzz import fuzz

from knowledge.errors import KnowledgeError
from knowledge.models import Citation, Document, Paragraph, QAPair, Sentence
from knowledge.normalize import fold, normalize

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FIELDS = ("id", "question", "alternates", "answer", "quote")
NEAREST_CUTOFF = 70.0
"""Similarity (0-100) below which no passage is shown as "nearest": on the essay, unrelated quotes reach about 60."""
NEAREST_SPAN = 1.5
"""Runs of sentences are compared up to this many times the quote's length."""
NEAREST_CHARS = 120
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_FIELD_CHARS = 2000


def load_pairs(path: str, raw: str, document: Document) -> tuple[QAPair, ...]:
    """Parse a ``NAME.qa.yaml`` text into pairs whose quotes are all found in ``document``."""
    try:
        root = yaml.compose(raw, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise KnowledgeError(path, line, f"not valid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(path, 1, f"not valid YAML: {exc}") from exc
    if root is None:
        return ()
    if not isinstance(root, yaml.SequenceNode):
        raise KnowledgeError(path, _line(root), "expected a list of Q&A pairs (each starting with '- id:')")
    index = _QuoteIndex(document)
    pairs: list[QAPair] = []
    seen: dict[str, int] = {}
    for item in root.value:
        pair = _load_pair(path, item, document.source, index)
        if pair.id in seen:
            raise KnowledgeError(path, pair.line, f"id '{pair.id}' repeats (first at line {seen[pair.id]})")
        seen[pair.id] = pair.line
        pairs.append(pair)
    return tuple(pairs)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _load_pair(path: str, node: yaml.Node, source: str, index: _QuoteIndex) -> QAPair:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        raise KnowledgeError(path, line, f"expected a mapping with fields {', '.join(FIELDS)}")
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key is None or not isinstance(key_node.value, str) or key_node.tag.endswith((":null", ":int", ":bool")):
            raise KnowledgeError(path, _line(key_node), f"field names must be text (expected {', '.join(FIELDS)})")
        if key not in FIELDS:
            raise KnowledgeError(path, _line(key_node), f"unknown field '{key}' (expected {', '.join(FIELDS)})")
        if key in fields:
            raise KnowledgeError(path, _line(key_node), f"field '{key}' repeats")
        fields[key] = value_node
    missing = [name for name in FIELDS if name not in fields]
    if missing:
        raise KnowledgeError(path, line, f"missing field{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")

    pair_id = _text(path, "id", fields["id"])
    if not _ID.match(pair_id):
        raise KnowledgeError(path, _line(fields["id"]), f"id '{pair_id}' must be a slug: a-z, 0-9, '-' or '_'")
    alternates_node = fields["alternates"]
    if isinstance(alternates_node, yaml.ScalarNode) and alternates_node.tag.endswith(":null"):
        alternates: tuple[str, ...] = ()
    elif isinstance(alternates_node, yaml.SequenceNode):
        alternates = tuple(_text(path, "alternates", item) for item in alternates_node.value)
    else:
        raise KnowledgeError(path, _line(alternates_node), "'alternates' must be a list of questions")
    quote_node = fields["quote"]
    quote = _text(path, "quote", quote_node)
    citation = index.cite(quote)
    if citation is None:
        raise KnowledgeError(
            path,
            _line(quote_node),
            f"quote not found in {index.file} (compared case-sensitively): {quote[:80]!r}; {index.nearest(quote)}",
        )
    return QAPair(
        id=pair_id,
        source=source,
        question=_text(path, "question", fields["question"]),
        alternates=alternates,
        answer=_text(path, "answer", fields["answer"]),
        quote=quote,
        citation=citation,
        line=line,
    )


def _text(path: str, name: str, node: yaml.Node) -> str:
    """A non-empty, single-paragraph string field."""
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
        raise KnowledgeError(path, _line(node), f"'{name}' must be text")
    value = " ".join(str(node.value).split())
    if not value:
        raise KnowledgeError(path, _line(node), f"'{name}' is empty")
    if len(value) > MAX_FIELD_CHARS:
        raise KnowledgeError(path, _line(node), f"'{name}' is longer than {MAX_FIELD_CHARS} characters")
    return value


class _QuoteIndex:
    """Each paragraph in normalised form, with a map back to the original characters, to locate quotes."""

    def __init__(self, document: Document) -> None:
        self.file = PurePath(document.path).name
        self._paragraphs = [(paragraph, *_folded(paragraph)) for paragraph in document.paragraphs]

    def cite(self, quote: str) -> Citation | None:
        """Locate ``quote`` and cite the sentences it spans, quoting the original characters."""
        wanted = normalize(quote)
        for paragraph, folded, origin in self._paragraphs:
            at = folded.find(wanted)
            if at < 0 or not wanted:
                continue
            first, last = origin[at], origin[at + len(wanted) - 1]
            return Citation.of(tuple(_sentences_between(paragraph, first, last)), paragraph.text[first : last + 1])
        return None

    def nearest(self, quote: str) -> str:
        """The passage most like a quote that is not in the text, and where it is: a curator then sees whether the
        quote or the text's extraction is at fault.

        Runs of consecutive sentences about as long as the quote are compared with it (a part of a sentence is
        compared with the best-matching part of it), so a long quote is not matched by a short heading inside it.
        """
        wanted = normalize(quote).casefold()  # a quote that differs only in case is shown its passage too
        best: tuple[float, tuple[Sentence, ...]] = (0.0, ())
        for paragraph, _, _ in self._paragraphs:
            sentences = paragraph.sentences
            for start in range(len(sentences)):
                window = ""
                for end in range(start, len(sentences)):
                    window = normalize(f"{window} {sentences[end].text}").casefold()
                    score = fuzz.ratio(wanted, window, processor=None)
                    if len(window) >= len(wanted):
                        score = max(score, fuzz.partial_ratio(wanted, window, processor=None))
                    if score > best[0]:
                        best = (score, sentences[start : end + 1])
                    if len(window) >= NEAREST_SPAN * len(wanted):
                        break
        score, found = best
        if score < NEAREST_CUTOFF:
            return "nothing in the text comes close"
        text = " ".join(s.text for s in found)
        where = ", ".join(Citation.of(found, text).where()[1:])
        return f"nearest passage ({score:.0f}% alike) at {where}: {text[:NEAREST_CHARS]!r}"


def _folded(paragraph: Paragraph) -> tuple[str, list[int]]:
    """Fold the paragraph a character at a time (with its combining marks, so "e" + "\u0301" becomes "é" as in
    :func:`normalize`), remembering where each folded character came from."""
    out: list[str] = []
    origin: list[int] = []
    for position, cluster in _clusters(paragraph.text):
        for folded_char in fold(cluster):
            out.append(folded_char)
            origin.append(position)
    return "".join(out), origin


def _clusters(text: str) -> Iterator[tuple[int, str]]:
    """Each base character with the combining marks after it, and where it starts."""
    start = 0
    for position in range(1, len(text) + 1):
        if position == len(text) or not unicodedata.combining(text[position]):
            yield start, text[start:position]
            start = position


def _sentences_between(paragraph: Paragraph, first: int, last: int) -> Iterator[Sentence]:
    end = 0
    for sentence in paragraph.sentences:
        start = paragraph.text.index(sentence.text, end)
        end = start + len(sentence.text)
        if start <= last and end > first:
            yield sentence
