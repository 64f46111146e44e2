"""Usage figures for curators (``/stats``, ``studybot stats``): the model, and its assembly from a store's raw rows.

Each backend runs its own SQL (the dialects bucket days differently) and hands the rows to :func:`assemble_usage`,
so both compute the figures, fill empty days and group the unanswered questions in exactly one way. Days are UTC
calendar days, the last one today; a server's figures count only its own rows (``guild_id``), and ``None`` counts
every server and direct messages alike (the terminal's view).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from knowledge.normalize import words

DEFAULT_DAYS = 30
RETENTION_DAYS = 365
"""How long an ``asks`` row (time, server, text cited, answered, the asker's hash) is kept: a year of figures, then
it is deleted as new questions arrive. The figures never reach further back."""
TOP_UNANSWERED = 10
UNANSWERED_ROWS = 10_000
"""At most this many (question, asker) rows are grouped: a bound on the work, far above a month of one server."""

# Raw rows as the backends' SQL returns them.
DayRow = tuple[date, bool, int]  # UTC day, answered, questions
TextRow = tuple[str | None, int, int]  # source, asked, answered
VoteRow = tuple[str, int, int]  # what was cited (a pair key or a locator), 👍, 👎
UnansweredRow = tuple[str, str, int]  # question text, asker's hash, times asked


@dataclass(frozen=True, slots=True)
class Window:
    """The UTC days the figures cover, ``first`` to ``last`` inclusive."""

    first: date
    last: date

    @classmethod
    def ending(cls, days: int, now: datetime | None = None) -> Window:
        """The ``days`` UTC days up to and including today (``now``'s day, in UTC)."""
        if not 1 <= days <= RETENTION_DAYS:
            raise ValueError(f"days must be between 1 and {RETENTION_DAYS}, not {days}")
        last = (now or datetime.now(UTC)).astimezone(UTC).date()
        return cls(last - timedelta(days=days - 1), last)

    @property
    def since(self) -> datetime:
        """The first instant counted: midnight UTC starting the first day."""
        return datetime.combine(self.first, time(), UTC)

    @property
    def until(self) -> datetime:
        """The first instant no longer counted: midnight UTC ending the last day."""
        return datetime.combine(self.last + timedelta(days=1), time(), UTC)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


@dataclass(frozen=True, slots=True)
class DayCount:
    """One UTC day: questions answered and questions the bot abstained on."""

    day: date
    answered: int
    unanswered: int

    @property
    def asked(self) -> int:
        return self.answered + self.unanswered


@dataclass(frozen=True, slots=True)
class TextUsage:
    """One text's share: questions whose answer cited it (or that were asked of it alone), and votes on its answers.
    ``source`` None gathers the questions no text covered that were asked of every text."""

    source: str | None
    asked: int
    answered: int
    up: int = 0
    down: int = 0


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    """A question still open on the curators' list, with its rewordings (same words, other case or punctuation)."""

    question: str
    asked: int
    askers: int


@dataclass(frozen=True, slots=True)
class Usage:
    """The figures for one server (or all, ``guild_id`` None) over :attr:`window`; every day present, 0 or not."""

    guild_id: int | None
    window: Window
    days: tuple[DayCount, ...]
    texts: tuple[TextUsage, ...]
    unanswered: tuple[UnansweredQuestion, ...]
    askers: int

    @property
    def asked(self) -> int:
        return sum(d.asked for d in self.days)

    @property
    def answered(self) -> int:
        return sum(d.answered for d in self.days)

    @property
    def up(self) -> int:
        return sum(t.up for t in self.texts)

    @property
    def down(self) -> int:
        return sum(t.down for t in self.texts)

    @property
    def share_answered(self) -> float | None:
        """Answered over asked, or None when nothing was asked (no share to speak of)."""
        return self.answered / self.asked if self.asked else None


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage for people, or a dash when there is no whole."""
    return f"{round(100 * part / whole)}%" if whole else "–"


def source_of_citation(cited: str) -> str:
    """The text a vote was about: a pair key is ``source/pair``, a locator ``source#p4.s2`` (see :mod:`bot.views`)."""
    if "/" in cited:
        return cited.partition("/")[0]
    return cited.rpartition("#p")[0] or cited


def question_key(question: str) -> str:
    """What makes two logged questions one: the same words, whatever their case, punctuation and spacing."""
    return " ".join(words(question))


def assemble_usage(
    guild_id: int | None,
    window: Window,
    *,
    day_rows: Iterable[DayRow],
    text_rows: Iterable[TextRow],
    vote_rows: Iterable[VoteRow],
    unanswered_rows: Iterable[UnansweredRow],
    askers: int,
    top: int = TOP_UNANSWERED,
) -> Usage:
    """The figures from a backend's rows: every day of the window (0 where nothing was asked), texts by questions
    asked, the ``top`` open questions by times asked."""
    counts = {day: [0, 0] for day in window.days}
    for day, answered, number in day_rows:
        counts[day][0 if answered else 1] += number
    days = tuple(DayCount(day, answered, unanswered) for day, (answered, unanswered) in counts.items())
    texts: dict[str | None, list[int]] = {source: [asked, answered, 0, 0] for source, asked, answered in text_rows}
    for cited, up, down in vote_rows:
        figures = texts.setdefault(source_of_citation(cited), [0, 0, 0, 0])
        figures[2] += up
        figures[3] += down
    by_use = sorted(texts.items(), key=lambda item: (-item[1][0], -item[1][1], item[0] is None, item[0] or ""))
    return Usage(
        guild_id,
        window,
        days,
        tuple(TextUsage(source, *figures) for source, figures in by_use),
        _top_unanswered(unanswered_rows, top),
        askers,
    )


def _top_unanswered(rows: Iterable[UnansweredRow], top: int) -> tuple[UnansweredQuestion, ...]:
    """Group by :func:`question_key`, shown in the wording asked most (the first met on a tie)."""
    groups: dict[str, tuple[dict[str, int], set[str]]] = {}
    for question, asker, number in rows:
        wordings, askers = groups.setdefault(question_key(question) or question, ({}, set()))
        wordings[question] = wordings.get(question, 0) + number
        askers.add(asker)
    ranked = sorted(
        (
            UnansweredQuestion(max(wordings, key=wordings.__getitem__), sum(wordings.values()), len(askers))
            for wordings, askers in groups.values()
        ),
        key=lambda q: (-q.asked, -q.askers, q.question),
    )
    return tuple(ranked[:top])
