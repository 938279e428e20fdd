"""Charts of the daily report, drawn with matplotlib onto axes that the HTML and PDF renderers supply.

Every chart function draws only data it is given; callers decide beforehand whether there is anything
to draw (`has_data`), so that a day without orders shows a sentence saying so, never an empty frame.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reports.fonts import cjk_rc
from reports.model import CountItem, Rates

BAR_COLOUR = "#2f6db5"
ACCENT_COLOUR = "#d9822b"


def has_data(items: Sequence[CountItem]) -> bool:
    return any(i.count > 0 for i in items)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    ax: Axes, items: Sequence[CountItem], title: str, *, max_items: int = 10, label_chars: int = 12
) -> None:
    """Horizontal bars, largest on top; items beyond `max_items` are summed into "其他"."""
    shown = [i for i in items if i.count > 0]
    if len(shown) > max_items:
        rest = sum(i.count for i in shown[max_items - 1 :])
        shown = [*shown[: max_items - 1], CountItem(key="_other", label="其他", count=rest)]
    labels = [_shorten(i.label, label_chars) for i in reversed(shown)]
    counts = [i.count for i in reversed(shown)]
    bars = ax.barh(labels, counts, color=BAR_COLOUR)
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.tick_params(axis="y", labelsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlim(0, max(counts) * 1.18 + 0.5)
    ax.spines[["top", "right"]].set_visible(False)


def trend_chart(ax: Axes, items: Sequence[CountItem], title: str) -> None:
    """Daily volumes as columns, the report day highlighted."""
    labels = [i.label for i in items]
    counts = [i.count for i in items]
    colours = [BAR_COLOUR] * (len(items) - 1) + [ACCENT_COLOUR]
    bars = ax.bar(labels, counts, color=colours)
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=8)
    ax.set_ylim(0, max(counts) * 1.18 + 0.5)
    ax.spines[["top", "right"]].set_visible(False)


def rates_chart(ax: Axes, rates: Rates) -> None:
    """The three rates as horizontal percentage bars; a rate with nothing to measure is labelled so."""
    items = [rates.response, rates.resolution, rates.satisfaction]
    labels = [r.name for r in reversed(items)]
    values = [(r.value or 0.0) * 100 for r in reversed(items)]
    bars = ax.barh(labels, values, color=BAR_COLOUR)
    texts = [
        f"{r.percent()}（{r.numerator}/{r.denominator}）" if r.denominator else "无数据"
        for r in reversed(items)
    ]
    ax.bar_label(bars, labels=texts, padding=3, fontsize=8)
    ax.set_xlim(0, 130)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xticklabels(["0", "25%", "50%", "75%", "100%"], fontsize=7)
    ax.tick_params(axis="y", labelsize=9)
    ax.set_title("三率", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)


def figure_png(draw: Callable[[Axes], None], size: tuple[float, float] = (6.0, 3.2), dpi: int = 110) -> bytes:
    """Render one chart to PNG bytes (for the HTML page), with the CJK font active."""
    with cjk_rc():
        fig = Figure(figsize=size, dpi=dpi)
        ax = fig.add_subplot()
        draw(ax)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()
