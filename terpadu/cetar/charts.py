"""Server-side SVG bar charts (no JavaScript, no inline styles: classes only, CSP-safe).

The geometry is computed here; ``cetar/_chart.html`` draws it. Every chart has a
table view and a CSV of the same points, so the figures never live only in a picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from terpadu.cetar.indicators import Indicator
from terpadu.cetar.selectors import Row

WIDTH = 320
HEIGHT = 160
TOP = 12
BOTTOM = 22  # room for the x labels
LEFT = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    text: str
    css: str  # "met" | "miss" | "plain" | "none"
    show_label: bool


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    target_y: float | None
    width: int
    height: int
    baseline: float
    title: str
    summary: str


def bar_chart(
    indicator: Indicator, points: list[tuple[Any, Row]], labels: list[str], title: str
) -> Chart:
    values = [row.value.value for _, row in points]
    known = [v for v in values if v is not None]
    top = max([*known, indicator.target or 0, 0.0001])
    if indicator.unit == "%":
        top = max(top, 100.0)
    span = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    n = max(1, len(points))
    slot = (WIDTH - LEFT) / n
    width = max(2.0, slot * 0.7)
    every = max(1, round(n / 8))  # at most ~8 x labels on a phone
    bars = []
    for i, ((_key, row), label) in enumerate(zip(points, labels, strict=True)):
        value = row.value.value
        h = 2.0 if value is None else max(1.0, value / top * span) if value > 0 else 1.0
        if value is None:
            css = "none"
        elif row.met is None:
            css = "plain"
        else:
            css = "met" if row.met else "miss"
        bars.append(
            Bar(
                x=round(LEFT + i * slot + (slot - width) / 2, 1),
                y=round(baseline - h, 1),
                width=round(width, 1),
                height=round(h, 1),
                label=label,
                text=row.text,
                css=css,
                show_label=(i % every == 0) or i == n - 1,
            )
        )
    target_y = None
    if indicator.target is not None and indicator.target > 0:
        target_y = round(baseline - indicator.target / top * span, 1)
    with_data = [b for b in bars if b.css != "none"]
    summary = f"{len(with_data)} dari {len(bars)} titik berisi data" + (
        f"; terakhir {with_data[-1].label}: {with_data[-1].text}" if with_data else ""
    )
    return Chart(bars, target_y, WIDTH, HEIGHT, baseline, title, summary)
