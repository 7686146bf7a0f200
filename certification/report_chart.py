"""The reports page's monthly chart, drawn on the server as SVG (no JavaScript, no library).

Grouped bars, one group per month, one bar per series; the template
(staff/_trend_chart.html) writes the SVG from the geometry computed here, with a <title> and a
<desc>, and the table beside it gives the same figures. Colours are told apart by the legend
and by the table too, never by colour alone; each bar has a <title> with its figure.
"""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 30
# Dark enough for 3:1 against white (WCAG 1.4.11), and apart from each other.
COLOURS = ("#1d4f91", "#b3570b", "#2e7d32")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right_edge: int
    baseline: float
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[Label]
    series: list[Series]


def _step(peak: int) -> int:
    """A round step giving at most five gridlines up to the peak."""
    raw = max(1, math.ceil(peak / 5))
    magnitude = 10 ** (len(str(raw)) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def grouped_bars(
    *, groups: list[tuple[str, str, list[int]]], series: list[str], value_text
) -> Chart:
    """`groups`: (short label, long label, one value per series); `value_text(long label,
    series name, value)` gives each bar's title."""
    peak = max((v for _s, _l, values in groups for v in values), default=0)
    step = _step(peak)
    top_value = max(step, math.ceil(peak / step) * step)
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(groups))
    bar_width = slot * 0.8 / max(1, len(series))
    bars, labels = [], []
    for index, (short, long, values) in enumerate(groups):
        start = LEFT + index * slot + slot * 0.1
        labels.append(Label(round(LEFT + index * slot + slot / 2, 1), short))
        for position, (name, value) in enumerate(zip(series, values, strict=True)):
            height = plot_height * value / top_value
            bars.append(
                Bar(
                    x=round(start + position * bar_width, 1),
                    y=round(baseline - height, 1),
                    width=round(bar_width - 1, 1),
                    height=round(height, 1),
                    colour=COLOURS[position % len(COLOURS)],
                    title=value_text(long, name, value),
                )
            )
    ticks = [
        Tick(round(baseline - plot_height * value / top_value, 1), value)
        for value in range(0, top_value + 1, step)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        baseline=baseline,
        bars=bars,
        ticks=ticks,
        labels=labels,
        series=[Series(name, COLOURS[i % len(COLOURS)]) for i, name in enumerate(series)],
    )
