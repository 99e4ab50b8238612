"""Survey periods: a year, a semester or a quarter (``2026``, ``2026-S1``, ``2026-Q3``). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    kind: str  # "year" | "semester" | "quarter"
    year: int
    index: int = 1

    @property
    def months(self) -> int:
        return {"year": 12, "semester": 6, "quarter": 3}[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, 1 + (self.index - 1) * self.months, 1)

    @property
    def end(self) -> date:
        last_month = self.index * self.months
        if last_month == 12:
            return date(self.year, 12, 31)
        return date.fromordinal(date(self.year, last_month + 1, 1).toordinal() - 1)

    @property
    def key(self) -> str:
        if self.kind == "year":
            return str(self.year)
        return f"{self.year}-{'S' if self.kind == 'semester' else 'Q'}{self.index}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"Tahun {self.year}"
        name = "Semester" if self.kind == "semester" else "Triwulan"
        return f"{name} {ROMAN[self.index - 1]} {self.year}"

    def parts(self, kind: str) -> list[Period]:
        """The quarters (or semesters) inside this period."""
        size = {"semester": 6, "quarter": 3}[kind]
        first = (self.start.month - 1) // size + 1
        count = self.months // size
        return [Period(kind, self.year, first + i) for i in range(count)]


_PATTERN = re.compile(r"^(\d{4})(?:-([SQ])([1-4]))?$")


def parse_period(text: str) -> Period | None:
    match = _PATTERN.match((text or "").strip().upper())
    if not match:
        return None
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        return None
    if match.group(2) is None:
        return Period("year", year)
    index = int(match.group(3))
    if match.group(2) == "S":
        return Period("semester", year, index) if index <= 2 else None
    return Period("quarter", year, index)
