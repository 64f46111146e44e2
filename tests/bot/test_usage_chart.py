"""bot/usage_chart.py: the chart is a PNG of the size an embed shows well, drawn without a display or a browser,
for any figures (none, a year); it shows what the figures are, not always the same picture."""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime

import pytest

from bot.store.usage import Usage, Window, assemble_usage
from bot.usage_chart import DPI, HEIGHT_INCHES, WIDTH_INCHES, chart_png, charts_available

pytest.importorskip("matplotlib", reason="the charts extra (matplotlib) is not installed")

NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def usage_of(days: int, asked: dict[int, tuple[int, int]]) -> Usage:
    """``asked``: day index → (answered, not answered)."""
    window = Window.ending(days, NOW)
    rows = [
        (window.days[i], answered, n)
        for i, pair in asked.items()
        for answered, n in zip((True, False), pair, strict=True)
    ]
    return assemble_usage(1, window, day_rows=rows, text_rows=[], vote_rows=[], unanswered_rows=[], askers=1)


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("days", [1, 30, 365])
def test_a_png_of_the_embed_size_for_any_window(days: int) -> None:
    png = chart_png(usage_of(days, {0: (3, 1), days - 1: (0, 2)}))

    assert png_size(png) == (int(WIDTH_INCHES * DPI), int(HEIGHT_INCHES * DPI))
    assert len(png) < 100_000


def test_no_question_still_draws() -> None:
    assert png_size(chart_png(usage_of(30, {}))) == (800, 300)


def test_the_bars_follow_the_figures() -> None:
    from PIL import Image  # matplotlib's own dependency

    quiet = Image.open(io.BytesIO(chart_png(usage_of(30, {}))))
    busy = Image.open(io.BytesIO(chart_png(usage_of(30, dict.fromkeys(range(30), (5, 5))))))

    def green(image: Image.Image) -> int:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        return sum(count for count, colour in colours if colour == (0x57, 0xF2, 0x87))

    assert green(busy) > 20 * green(quiet)  # the answered bars (the legend's swatch is in both)


def test_the_extra_is_found_when_installed() -> None:
    assert charts_available()
