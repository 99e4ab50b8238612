"""Server-rendered SVG charts (no JavaScript, no inline styles: classes only, CSP-safe).

The geometry is computed here; ``gallery/_chart.html`` draws it next to a data table
with the same numbers, so a figure never lives only in a picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from terpadu.gallery.measures import Figure, Line, Outcome

WIDTH = 320
HEIGHT = 150
TOP = 10
BOTTOM = 22
LEFT = 6
RIGHT = 6


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Path:
    name: str
    css: str
    points: str  # "x,y x,y" segments joined; one polyline per run of known values
    segments: list[str]
    dots: list[Dot]


@dataclass(frozen=True)
class XLabel:
    x: float
    text: str
    anchor: str = "middle"  # "start" | "middle" | "end" (a CSS class; no inline style)


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    baseline: float
    paths: list[Path]
    labels: list[XLabel]
    top_text: str
    summary: str


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str
    text: str
    css: str

    @property
    def text_x(self) -> float:
        return round(60 + self.width + 4, 1)

    @property
    def short(self) -> str:
        """The value without the sample note (the table has it)."""
        return self.text.split(" (")[0]


@dataclass(frozen=True)
class CompareChart:
    width: int
    height: int
    bars: list[Bar]
    summary: str


def trend_chart(outcome: Outcome) -> TrendChart | None:
    lines: list[Line] = outcome.lines
    if not lines or not any(p.value is not None for line in lines for p in line.points):
        return None
    values = [p.value for line in lines for p in line.points if p.value is not None]
    top = max([*values, 0.0])
    if outcome.unit == "%":
        top = max(top, 100.0)
    top = top or 1.0
    n = max(len(line.points) for line in lines)
    span_x = WIDTH - LEFT - RIGHT
    step = span_x / max(1, n - 1)
    baseline = HEIGHT - BOTTOM
    span_y = baseline - TOP
    paths = []
    for line in lines:
        segments: list[str] = []
        current: list[str] = []
        dots = []
        for i, p in enumerate(line.points):
            if p.value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            x = round(LEFT + i * step, 1)
            y = round(baseline - (p.value / top) * span_y, 1)
            current.append(f"{x},{y}")
            dots.append(Dot(x, y, f"{p.label}: {p.text}"))
        if current:
            segments.append(" ".join(current))
        paths.append(Path(line.name, line.css, " ".join(segments), segments, dots))
    every = max(1, round(n / 6))
    first = lines[0].points
    labels = [
        XLabel(
            round(LEFT + i * step, 1),
            p.label,
            "start" if i == 0 else "end" if i == n - 1 else "middle",
        )
        for i, p in enumerate(first)
        if i % every == 0 or i == n - 1
    ]
    last_known = [(line.name, p) for line in lines for p in line.points if p.value is not None]
    summary = "; ".join(
        f"{name}: {len([p for p in line.points if p.value is not None])} dari {len(line.points)} periode berisi data"
        for name, line in ((ln.name, ln) for ln in lines)
    )
    if last_known:
        summary += f". Nilai tertinggi pada grafik: {max(values):g}"
    return TrendChart(WIDTH, HEIGHT, baseline, paths, labels, f"{top:g}", summary)


def compare_chart(outcome: Outcome) -> CompareChart | None:
    pair: list[Figure] = [f for f in (outcome.before, outcome.after) if f is not None]
    if len(pair) != 2 or not any(f.has_data for f in pair):
        return None
    top = max([f.value or 0.0 for f in pair] + ([100.0] if outcome.unit == "%" else []))
    top = top or 1.0
    bars = []
    for i, f in enumerate(pair):
        width = 0.0 if f.value is None else max(1.0, f.value / top * (WIDTH - 140))
        bars.append(
            Bar(
                y=8 + i * 30,
                width=round(width, 1),
                label=f.label,
                text=f.text,
                css="before" if i == 0 else "after",
            )
        )
    summary = ", ".join(f"{f.label.lower()} {f.text}" for f in pair)
    return CompareChart(WIDTH, 70, bars, summary)
