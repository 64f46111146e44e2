"""``studybot ask``: answer questions about the material in a terminal, as text for people or JSON for programs."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from knowledge.corpus import DEFAULT_READING
from knowledge.errors import KnowledgeError
from knowledge.formats.reading import Reading
from knowledge.models import Answer
from knowledge.questions import MAX_QUESTION_CHARS, check_question, clean_question
from knowledge.retriever import Retriever, build_retriever
from knowledge.semantic import SemanticUnavailable, shared_encoder

EXIT_USAGE = 2
EXIT_KNOWLEDGE = 1


def add_ask_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``ask`` on the ``studybot`` command line."""
    ask = commands.add_parser(
        "ask",
        help="answer a question from the material, with its citation",
        description="Answer a question from the course text, citing paragraph, sentence and lines; or say that "
        "the text does not cover it.",
    )
    ask.add_argument("question", nargs="+", help="the question (quotes optional); '-' reads one question per line")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per line when reading stdin)")
    ask.add_argument("--knowledge-dir", help="knowledge folder to use (default: STUDYBOT_KNOWLEDGE_DIR or bundled)")
    ask.add_argument("--source", help="answer only from this text (its file name without .txt, .pdf…)")
    ask.add_argument(
        "--threshold",
        type=_threshold,
        help="confidence (0 to 1) needed to answer (default: STUDYBOT_ANSWER_THRESHOLD, or the shipped default)",
    )
    ask.add_argument(
        "--semantic",
        action="store_true",
        help="weigh closeness in meaning too (a sentence-embedding model; needs the semantic extra; default: "
        "STUDYBOT_SEMANTIC)",
    )


def _threshold(text: str) -> float:
    """A confidence between 0 and 1, for ``--threshold``."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return value


def run_ask(
    args: argparse.Namespace,
    knowledge_dir: str | None,
    threshold: float,
    stdin: TextIO,
    stdout: TextIO,
    *,
    reading: Reading = DEFAULT_READING,
    semantic: bool = False,
) -> int:
    """Run ``studybot ask`` and return the exit code: 0 answered or not, 1 broken knowledge, 2 usage error.

    ``threshold`` is the configured one (``STUDYBOT_ANSWER_THRESHOLD``); ``--threshold`` overrides it, so the
    terminal answers exactly as the bot with the same settings would; so does ``semantic`` (``STUDYBOT_SEMANTIC``),
    which ``--semantic`` turns on. A text that cannot be read is one ``file: reason`` line on stderr, and the
    question is answered from the rest.
    """
    batch = args.question == ["-"]
    question = "" if batch else clean_question(" ".join(args.question))
    problem = None if batch else check_question(question)
    if problem is not None:
        if args.json:
            _write_json(stdout, _error_object(question, problem))
        print(f"studybot ask: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        encoder = shared_encoder() if semantic or args.semantic else None
    except SemanticUnavailable as exc:
        print(f"studybot ask: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        retriever = build_retriever(
            args.knowledge_dir or knowledge_dir,
            threshold if args.threshold is None else args.threshold,
            reading,
            encoder,
        )
    except KnowledgeError as exc:
        for line in str(exc).splitlines():  # one line per text that could not be read
            print(f"studybot ask: cannot load the knowledge folder: {line}", file=sys.stderr)
        return EXIT_KNOWLEDGE
    for skipped in retriever.knowledge.unreadable:
        print(f"studybot ask: skipped {skipped}", file=sys.stderr)
    sources = [document.source for document in retriever.knowledge.documents]
    if args.source is not None and args.source not in sources:
        print(f"studybot ask: no text named {args.source!r}; the texts are: {', '.join(sources)}", file=sys.stderr)
        return EXIT_USAGE
    if batch:
        _answer_lines(retriever, stdin, stdout, as_json=args.json, source=args.source)
    elif args.json:
        _write_json(stdout, retriever.ask(question, args.source).to_dict())
    else:
        stdout.write(render_text(retriever.ask(question, args.source)))
    return 0


def _answer_lines(
    retriever: Retriever, lines: Iterable[str], stdout: TextIO, *, as_json: bool, source: str | None
) -> None:
    """Answer each line in order, flushing each answer, so a long batch can be piped and read as it goes."""
    for line in lines:
        question = clean_question(line)
        problem = check_question(question)
        if as_json:
            answer = _error_object(question, problem) if problem else retriever.ask(question, source).to_dict()
            _write_json(stdout, answer)
        else:
            stdout.write(f"studybot: {problem}\n\n" if problem else render_text(retriever.ask(question, source)) + "\n")
            stdout.flush()


def _error_object(question: str, problem: str) -> dict[str, object]:
    """The answer object for an unusable question; a huge one is not echoed back whole."""
    shown = question if len(question) <= MAX_QUESTION_CHARS else question[:MAX_QUESTION_CHARS] + "…"
    return {
        "question": shown,
        "answered": False,
        "answer": None,
        "confidence": 0.0,
        "citations": [],
        "closest": None,
        "parts": [],
        "error": problem,
    }


def _write_json(stdout: TextIO, value: dict[str, object]) -> None:
    stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
    stdout.flush()


def render_text(answer: Answer) -> str:
    """Format an answer for a person reading a terminal: the answer, then where to check it; for a message asking
    several questions, each numbered, in the order asked."""
    lines = [f"Q: {answer.question}", ""]
    if answer.parts:
        for number, part in enumerate(answer.parts, 1):
            lines += [f"{number}. {part.question}", "", *_body(part), ""]
        lines.pop()
    else:
        lines += _body(answer)
    return "\n".join(lines) + "\n"


def _body(answer: Answer) -> list[str]:
    """One question's answer and where to check it, or why it is not covered."""
    lines = []
    if answer.answered and answer.text:
        if answer.rephrased:
            lines += [f"(answering: {answer.rephrased})", ""]
        lines.append(answer.text)
        for citation in answer.citations:
            lines += ["", f"  “{citation.quote}”", f"  — {', '.join(citation.where())}"]
        lines += ["", f"confidence {answer.confidence:.2f}"]
        if answer.suggestions:
            lines += ["", "Not quite? Did you mean:"] + [f"  - {pair.question}" for pair in answer.suggestions[:3]]
    else:
        lines.append(f"Not covered: the text does not answer this (confidence {answer.confidence:.2f}).")
        if answer.closest is not None:
            lines += ["", "The nearest passage, to read yourself (it may not say):"]
            lines += [f"  “{answer.closest.quote}”", f"  — {', '.join(answer.closest.where())}"]
        if answer.suggestions:
            lines += ["", "Questions it can answer:"] + [f"  - {pair.question}" for pair in answer.suggestions[:3]]
    return lines
