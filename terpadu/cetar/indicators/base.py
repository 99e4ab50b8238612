"""What an indicator is: its definition (name, letter, formula, events, unit, direction, target,
caveats) and a pure ``compute`` over summed facts. No database here."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

LETTERS: tuple[tuple[str, str, str, str], ...] = (
    # key, letter shown, Indonesian name, English name
    ("cepat", "C", "Cepat", "Fast"),
    ("efektif", "E", "Efektif & Efisien", "Effective & efficient"),
    ("tanggap", "T", "Tanggap", "Responsive to needs"),
    ("transparan", "T", "Transparan", "Transparent"),
    ("akuntabel", "A", "Akuntabel", "Accountable"),
    ("responsif", "R", "Responsif", "Responsive"),
)
LETTER_KEYS = tuple(key for key, *_ in LETTERS)

#: the drill-down dimensions each fact table carries
TABLE_DIMS: dict[str, frozenset[str]] = {
    "ft_queue_day": frozenset({"agency", "service"}),
    "ft_queue_wait_hist": frozenset({"agency", "service"}),
    "ft_counter_day": frozenset({"agency"}),
    "ft_application_day": frozenset({"agency", "service", "district"}),
    "ft_application_hist": frozenset({"agency", "service", "district"}),
    "ft_complaint_day": frozenset({"agency", "service", "district"}),
    "ft_complaint_hist": frozenset({"agency", "service", "district"}),
    "ft_survey_day": frozenset({"agency", "service"}),
    "ft_skm_period": frozenset({"agency"}),
    "ft_service_day": frozenset({"agency", "service"}),
    "ft_cost_month": frozenset({"agency"}),
    "ft_audit_day": frozenset(),
}
HIST_TABLES = frozenset({"ft_queue_wait_hist", "ft_application_hist", "ft_complaint_hist"})

NO_DATA = "tidak ada data"
SUPPRESSED = "< 5 data"
MIN_CELL = 5


@dataclass
class Facts:
    """Summed facts of one slice: ``sums[table][column]`` and ``hists[table][bucket] = n``."""

    sums: dict[str, dict[str, float]] = field(default_factory=dict)
    hists: dict[str, dict[int, int]] = field(default_factory=dict)
    previous: Facts | None = None

    def get(self, table: str, column: str) -> float:
        return float(self.sums.get(table, {}).get(column) or 0)

    def hist(self, table: str) -> dict[int, int]:
        return self.hists.get(table, {})


@dataclass(frozen=True)
class Value:
    """An indicator's value for a slice. ``value is None`` means no data (never shown as 0 %)."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    note: str = ""

    @property
    def has_data(self) -> bool:
        return self.value is not None


def ratio(numerator: float, denominator: float, scale: float = 100.0) -> Value:
    """``numerator / denominator × scale``; no data when the denominator is 0."""
    if denominator <= 0:
        return Value(None, numerator, denominator)
    return Value(numerator / denominator * scale, numerator, denominator)


def percentile(hist: Mapping[int, int], p: float) -> Value:
    """Nearest-rank percentile of a histogram ({value: count}); no data when empty."""
    total = sum(n for n in hist.values() if n > 0)
    if total <= 0:
        return Value(None, None, 0)
    rank = max(1, math.ceil(p * total))
    seen = 0
    for bucket in sorted(hist):
        seen += max(0, hist[bucket])
        if seen >= rank:
            return Value(float(bucket), None, total)
    return Value(float(max(hist)), None, total)  # pragma: no cover - unreachable


@dataclass(frozen=True)
class Indicator:
    id: str
    letter: str  # a key of LETTERS
    name_id: str
    name_en: str
    formula: str  # Indonesian
    formula_en: str
    reads: tuple[str, ...]  # the events (source tables and columns) it is computed from
    facts: tuple[str, ...]  # the fact tables it reads
    unit: str  # "%", "hari kerja", "menit", "Rp", "poin", "indeks"
    direction: str  # "higher" | "lower" (which is better)
    target: float | None
    caveats: tuple[str, ...]
    compute: Callable[[Facts], Value]
    decimals: int = 1
    #: the denominator counts people (tickets, applicants, reporters, respondents): public
    #: outputs hide values resting on 1–4 of them (small-cell suppression)
    people: bool = True

    @property
    def dims(self) -> frozenset[str]:
        """The drill-down dimensions every fact table it reads carries."""
        dims = frozenset({"agency", "service", "district"})
        for table in self.facts:
            dims &= TABLE_DIMS[table]
        return dims

    @property
    def letter_name(self) -> str:
        return next(name for key, _, name, _ in LETTERS if key == self.letter)

    @property
    def letter_short(self) -> str:
        return next(short for key, short, _, _ in LETTERS if key == self.letter)

    def met(self, value: Value) -> bool | None:
        """Whether the value meets the target (None without data or without a target)."""
        if value.value is None or self.target is None:
            return None
        if self.direction == "higher":
            return value.value >= self.target
        return value.value <= self.target

    def format(self, value: Value | float | None) -> str:
        raw = value.value if isinstance(value, Value) else value
        if raw is None:
            return NO_DATA
        return format_number(raw, self.unit, self.decimals)

    def suppressed(self, value: Value) -> bool:
        """Whether a public output must hide this value (it rests on 1–4 people)."""
        d = value.denominator
        return bool(self.people and value.value is not None and d is not None and 0 < d < MIN_CELL)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "letter": self.letter,
            "name_id": self.name_id,
            "name_en": self.name_en,
            "formula": self.formula,
            "formula_en": self.formula_en,
            "reads": list(self.reads),
            "facts": list(self.facts),
            "unit": self.unit,
            "direction": self.direction,
            "target": self.target,
            "caveats": list(self.caveats),
            "dimensions": sorted(self.dims),
            "small_cells_suppressed": self.people,
        }


def format_number(raw: float, unit: str, decimals: int = 1) -> str:
    """Indonesian number format: ``87,5 %``, ``Rp 12.500``, ``3 hari kerja``."""
    if unit == "Rp":
        return "Rp " + f"{round(raw):,}".replace(",", ".")
    text = f"{raw:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if unit == "%":
        return f"{text} %"
    if unit in ("indeks", ""):
        return text
    return f"{text} {unit}"
