"""Working-day arithmetic for Indonesian offices. Pure Python: no Django here.

A day is a working day unless one of these closes it (see ``docs/workdays-nik.md``):

- Sunday;
- Saturday, unless the office opens on Saturday (``saturday_open``);
- a national public holiday (``holidays`` package, category PUBLIC);
- cuti bersama (category GOVERNMENT), unless the office stays open then
  (``cuti_bersama_open``);
- a date closed by local decree (``Calendar.closed``).

A date opened by local decree (``Calendar.opened``) is a working day whatever
the rules above say. A date found in both sets is treated as closed; the
database layer (:mod:`terpadu.core.calendars`) resolves conflicts before
building a :class:`Calendar`, so the two sets it hands over are disjoint.

Reasons are plain Indonesian text with no Django translation hook, because this
module must stay importable without Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

__all__ = [
    "Calendar",
    "DayExplanation",
    "add_workdays",
    "closed_reason",
    "cuti_bersama",
    "day_name",
    "explain_day",
    "is_workday",
    "local_today",
    "national_holidays",
    "workdays_between",
]

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """One office's working-day rules.

    ``closed``/``opened`` are dates closed or opened by local decree;
    ``notes`` optionally names them (e.g. "Cuti bersama daerah Hari Jadi
    Banyuwangi") for :func:`closed_reason`. ``notes`` takes no part in equality
    or hashing.
    """

    saturday_open: bool = False
    cuti_bersama_open: bool = False
    closed: frozenset[date] = frozenset()
    opened: frozenset[date] = frozenset()
    notes: Mapping[date, str] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )


DEFAULT_CALENDAR = Calendar()


@lru_cache(maxsize=256)
def _table(year: int, category: str) -> Mapping[date, str]:
    table = holidays.country_holidays("ID", years=year, categories=(category,), language="id")
    return MappingProxyType({day: str(name) for day, name in table.items() if day.year == year})


def national_holidays(year: int) -> dict[date, str]:
    """National public holidays (libur nasional) of ``year``: date -> Indonesian name."""
    return dict(_table(year, PUBLIC))


def cuti_bersama(year: int) -> dict[date, str]:
    """Cuti bersama (joint leave for civil servants) of ``year``: date -> Indonesian name."""
    return dict(_table(year, GOVERNMENT))


def day_name(day: date) -> str:
    """Indonesian weekday name: ``day_name(date(2026, 3, 20)) == "Jumat"``."""
    return DAY_NAMES[day.weekday()]


def long_date(day: date) -> str:
    """``"Jumat, 20 Maret 2026"``."""
    return f"{day_name(day)}, {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def local_today(tz: str = "Asia/Jakarta") -> date:
    """Today's date in ``tz`` (WIB by default), not the server's local date."""
    return datetime.now(ZoneInfo(tz)).date()


def is_workday(day: date, cal: Calendar = DEFAULT_CALENDAR) -> bool:
    """Whether ``day`` is a working day under ``cal``."""
    if day in cal.closed:
        return False
    if day in cal.opened:
        return True
    weekday = day.weekday()
    if weekday == 6:
        return False
    if weekday == 5 and not cal.saturday_open:
        return False
    if day in _table(day.year, PUBLIC):
        return False
    return cal.cuti_bersama_open or day not in _table(day.year, GOVERNMENT)


@dataclass(frozen=True)
class DayExplanation:
    day: date
    is_workday: bool
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "day_name": day_name(self.day),
            "is_workday": self.is_workday,
            "reasons": list(self.reasons),
        }


def explain_day(day: date, cal: Calendar = DEFAULT_CALENDAR) -> DayExplanation:
    """Whether ``day`` is a working day, with every rule that bears on it, in Indonesian."""
    reasons: list[str] = []
    note = cal.notes.get(day)
    public = _table(day.year, PUBLIC).get(day)
    joint = _table(day.year, GOVERNMENT).get(day)
    weekday = day.weekday()
    if day in cal.closed:
        reasons.append(f"libur daerah: {note}" if note else "ditutup oleh keputusan daerah")
    elif day in cal.opened:
        reasons.append(
            f"dibuka oleh keputusan daerah: {note}" if note else "dibuka oleh keputusan daerah"
        )
    if weekday == 6:
        reasons.append("hari Minggu")
    elif weekday == 5:
        reasons.append(
            "hari Sabtu, kantor buka" if cal.saturday_open else "hari Sabtu, kantor tutup"
        )
    if public:
        reasons.append(f"libur nasional: {public}")
    if joint:
        reasons.append(
            f"{_lower_first(joint)}, kantor tetap buka"
            if cal.cuti_bersama_open
            else _lower_first(joint)
        )
    workday = is_workday(day, cal)
    if not reasons and workday:
        reasons.append(f"hari kerja biasa ({day_name(day)})")
    return DayExplanation(day=day, is_workday=workday, reasons=tuple(reasons))


def closed_reason(day: date, cal: Calendar = DEFAULT_CALENDAR) -> str | None:
    """Why ``day`` is not a working day (Indonesian), or ``None`` when it is one.

    >>> closed_reason(date(2026, 3, 19))
    'Libur nasional: Hari Suci Nyepi'
    """
    if is_workday(day, cal):
        return None
    explanation = explain_day(day, cal)
    relevant = [
        r for r in explanation.reasons if not r.endswith((", kantor buka", ", kantor tetap buka"))
    ]
    text = "; ".join(relevant)
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    """'Cuti Bersama Hari Raya Idul Fitri' -> 'cuti bersama Hari Raya Idul Fitri'."""
    if text.startswith("Cuti Bersama"):
        return "cuti bersama" + text[len("Cuti Bersama") :]
    return text


def add_workdays(start: date, n: int, cal: Calendar = DEFAULT_CALENDAR) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    ``n == 0`` returns ``start`` unchanged, even when it is a closed day;
    a negative ``n`` counts backwards: ``add_workdays(d, -1)`` is the last
    working day before ``d``.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_workday(day, cal):
            remaining -= 1
    return day


def workdays_between(a: date, b: date, cal: Calendar = DEFAULT_CALENDAR) -> int:
    """Working days from ``a`` to ``b``: the inverse of :func:`add_workdays`.

    When ``b >= a`` it is the number of working days in ``(a, b]``. When
    ``b < a`` it is minus the number of working days in ``[b, a)``, i.e. the
    number of backward steps. Thus for every ``n``::

        workdays_between(a, add_workdays(a, n, cal), cal) == n
    """
    if b >= a:
        lo, hi, sign = a + _ONE_DAY, b, 1
    else:
        lo, hi, sign = b, a - _ONE_DAY, -1
    count = 0
    day = lo
    while day <= hi:
        if is_workday(day, cal):
            count += 1
        day += _ONE_DAY
    return sign * count
