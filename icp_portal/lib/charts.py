"""The statistics charts, drawn on the server as SVG with matplotlib: the same image serves
the page (an <img> with the figures as a table beside it: no JavaScript, no CDN, nothing
inline for the Content-Security-Policy to refuse) and the PDF reports (WeasyPrint draws
SVG). Text is drawn as outlines in Noto Sans CJK TC, so Chinese renders wherever the
image goes, and the SVG is deterministic (no date, fixed ids) for the same figures."""

from __future__ import annotations

import base64
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, wraps
from io import StringIO
from pathlib import Path

# Where Debian's fonts-noto-cjk puts the font WeasyPrint also uses.
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)
FAMILY = "Noto Sans CJK TC"
BLUE, ORANGE, GREEN, GREY, RED = "#0b3d6e", "#d9822b", "#2e7d32", "#9aa5b1", "#b71c1c"


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its title (the image's alternative text) and the SVG."""

    title: str
    svg: str

    @property
    def data_uri(self) -> str:
        encoded = base64.b64encode(self.svg.encode()).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


# The charts drawn lately, by their figures and the reader's language: matplotlib takes
# tens of milliseconds a chart, and the statistics page draws about ten, mostly the same
# figures from one request to the next. The SVG is deterministic for the same figures,
# so a remembered one is the one that would be drawn. Bounded, per process.
_DRAWN: OrderedDict[str, Chart] = OrderedDict()
_DRAWN_MAX = 64
_DRAWN_LOCK = threading.Lock()


def _remembered(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    @wraps(draw)
    def chart(*args, **kwargs) -> Chart:
        from django.utils.translation import get_language

        key = repr((draw.__name__, args, sorted(kwargs.items()), get_language()))
        with _DRAWN_LOCK:
            if key in _DRAWN:
                _DRAWN.move_to_end(key)
                return _DRAWN[key]
        drawn = draw(*args, **kwargs)
        with _DRAWN_LOCK:
            _DRAWN[key] = drawn
            while len(_DRAWN) > _DRAWN_MAX:
                _DRAWN.popitem(last=False)
        return drawn

    return chart


@lru_cache(maxsize=1)
def _setup() -> None:
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import font_manager

    for path in CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
    matplotlib.rcParams.update(
        {
            "font.family": [FAMILY, "DejaVu Sans"],
            "font.size": 9,
            "svg.fonttype": "path",
            "svg.hashsalt": "icp-portal",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
        }
    )


def _figure(width: float = 6.4, height: float = 3.2):
    _setup()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _svg(figure) -> str:
    buffer = StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _number(value, _position=None) -> str:
    """An axis figure the way its readers count: 萬 and 億 in Chinese, millions and
    billions in English."""
    from django.utils.translation import get_language

    value = float(value)
    if (get_language() or "").startswith("zh"):
        if abs(value) >= 1e8:
            return f"{value / 1e8:,.2f}億"
        if abs(value) >= 1e4:
            return f"{value / 1e4:,.0f}萬"
        return f"{value:,.0f}"
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.2f}bn"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.0f}M"
    return f"{value:,.0f}"


def _title(figure, title: str) -> None:
    """The chart's title at the figure's left edge (long axis labels never cut it)."""
    figure.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")


@_remembered
def bars(title: str, rows: list[tuple[str, Decimal]], unit: str) -> Chart:
    """Horizontal bars, largest first (credit by mode, field, agency, use)."""
    from matplotlib.ticker import FuncFormatter

    figure = _figure(height=max(1.6, 0.34 * len(rows) + 0.9))
    axes = figure.add_subplot()
    labels = [label for label, _ in rows][::-1]
    values = [float(value) for _, value in rows][::-1]
    axes.barh(labels, values, color=BLUE)
    axes.xaxis.set_major_formatter(FuncFormatter(_number))
    axes.set_xlabel(unit)
    _title(figure, title)
    if not rows:
        axes.text(0.5, 0.5, "—", ha="center", va="center", transform=axes.transAxes)
    return Chart(title, _svg(figure))


@_remembered
def grouped(
    title: str, categories: list[str], series: list[tuple[str, list[Decimal]]], unit: str
) -> Chart:
    """Grouped vertical bars (pre-approved against actually approved per meeting; fees
    billed against collected per year)."""
    from matplotlib.ticker import FuncFormatter

    figure = _figure()
    axes = figure.add_subplot()
    count = max(len(series), 1)
    width = 0.8 / count
    colours = [BLUE, ORANGE, GREEN, GREY]
    for index, (name, values) in enumerate(series):
        positions = [i + (index - (count - 1) / 2) * width for i in range(len(categories))]
        axes.bar(
            positions,
            [float(v) for v in values],
            width,
            label=name,
            color=colours[index % len(colours)],
        )
    axes.set_xticks(range(len(categories)), categories)
    axes.yaxis.set_major_formatter(FuncFormatter(_number))
    axes.set_ylabel(unit)
    _title(figure, title)
    axes.legend(frameon=False, fontsize=8)
    return Chart(title, _svg(figure))


@_remembered
def share_line(
    title: str,
    years: list[int],
    values: list[Decimal | None],
    lines: list[tuple[str, Decimal]],
) -> Chart:
    """A share over the years (0–100%) against horizontal target lines (the defence share
    against the 50% minimum and the 60% target)."""
    from matplotlib.ticker import PercentFormatter

    figure = _figure()
    axes = figure.add_subplot()
    points = [(year, float(value)) for year, value in zip(years, values, strict=True) if value]
    if points:
        axes.plot(
            [p[0] for p in points], [p[1] for p in points], marker="o", color=BLUE, label=title
        )
    for (name, level), colour in zip(lines, (RED, GREEN), strict=False):
        axes.axhline(float(level), color=colour, linestyle="--", linewidth=1, label=name)
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xticks(years, [str(year) for year in years])
    _title(figure, title)
    axes.legend(frameon=False, fontsize=8, loc="lower right")
    return Chart(title, _svg(figure))


@_remembered
def progress(title: str, rows: list[tuple[str, Decimal]]) -> Chart:
    """Progress against targets (0–100%, a bar past 100% is drawn full and green)."""
    from matplotlib.ticker import PercentFormatter

    figure = _figure(height=max(1.6, 0.4 * len(rows) + 0.9))
    axes = figure.add_subplot()
    labels = [label for label, _ in rows][::-1]
    values = [float(value) for _, value in rows][::-1]
    colours = [GREEN if value >= 1 else ORANGE for value in values]
    axes.barh(labels, [min(value, 1.0) for value in values], color=colours)
    axes.barh(labels, [1.0] * len(values), color="none", edgecolor=GREY)
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    _title(figure, title)
    return Chart(title, _svg(figure))


@_remembered
def timeline(title: str, dates: list, series: list[tuple[str, list[Decimal]]], unit: str) -> Chart:
    """Figures over time as steps (an agreement's obligation, discharged, reserved and
    available credit as its ledger moved)."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.ticker import FuncFormatter

    figure = _figure()
    axes = figure.add_subplot()
    colours = [GREY, GREEN, ORANGE, BLUE]
    for index, (name, values) in enumerate(series):
        axes.step(
            dates,
            [float(v) for v in values],
            where="post",
            label=name,
            color=colours[index % len(colours)],
            linewidth=1.6,
        )
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.yaxis.set_major_formatter(FuncFormatter(_number))
    axes.set_ylabel(unit)
    _title(figure, title)
    axes.legend(frameon=False, fontsize=8)
    return Chart(title, _svg(figure))
