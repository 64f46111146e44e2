"""Questions per day as a small PNG: stacked bars, answered and not, drawn by matplotlib's Agg backend.

No browser and no display: a :class:`~matplotlib.figure.Figure` drawn straight to PNG bytes, never ``pyplot`` and
its global state, so two charts may be drawn at once in threads. matplotlib (with numpy) is the ``charts`` extra:
without it :func:`charts_available` is false and callers show the figures as a table instead.
"""

from __future__ import annotations

import io
from importlib.util import find_spec

from bot.store.usage import Usage

CHART_FILE = "questions-per-day.png"
WIDTH_INCHES, HEIGHT_INCHES, DPI = 8.0, 3.0, 100  # 800 × 300 px: legible in an embed, a few tens of kB
ANSWERED_COLOUR = "#57f287"  # Discord's green, as on answers
UNANSWERED_COLOUR = "#99aab5"  # Discord's grey, as on "not covered"


def charts_available() -> bool:
    """Whether the ``charts`` extra is installed (looked up, not imported: importing matplotlib costs a second)."""
    return find_spec("matplotlib") is not None


def chart_png(usage: Usage) -> bytes:
    """The chart's PNG bytes. Slow enough (a tenth of a second, more on first use) to run off the event loop."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    days = date2num([d.day for d in usage.days])
    answered = [d.answered for d in usage.days]
    unanswered = [d.unanswered for d in usage.days]
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.bar(days, answered, width=0.8, color=ANSWERED_COLOUR, label="answered")
    axes.bar(days, unanswered, width=0.8, bottom=answered, color=UNANSWERED_COLOUR, label="not answered")
    axes.xaxis_date()
    locator = AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, show_offset=False))  # the title has the year
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # questions come whole
    axes.set_ylim(bottom=0, top=max(1, *(d.asked for d in usage.days)) * 1.15)
    axes.set_ylabel("questions")
    title = f"Questions per day (UTC), {usage.window.first:%d %b} to {usage.window.last:%d %b %Y}"
    axes.set_title(title, fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2, frameon=False, fontsize=8)  # above the bars
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
