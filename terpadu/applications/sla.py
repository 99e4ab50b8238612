"""The SLA clocks of an application, in working days or working hours. Pure: the calendar is passed in.

- **Working days**: the due date is the n-th working day after the local (WIB)
  day the clock started (:func:`terpadu.core.workdays.add_workdays`); the step is
  due by the office's closing time that day.
- **Working hours**: counted only inside office hours (08.00–16.00 local, eight
  hours a day) on working days.
- **Pauses**: while an application waits for the citizen (``perbaikan``) the
  agency's clock stops; the time spent there (working days in ``(start, end]``,
  or working hours) is added back to the due moment.
- **Hampir jatuh tempo** ("due soon") from the moment 60 % of the span from start to
  due has gone (DIGIT's dashboards count "nearing SLA" at 40 % left), **terlambat**
  ("overdue") after the due moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from terpadu.core.workdays import Calendar, add_workdays, is_workday, workdays_between

LOCAL_TZ = ZoneInfo("Asia/Jakarta")
OFFICE_OPEN = time(8, 0)
OFFICE_CLOSE = time(16, 0)
WARN_LEFT = 0.4  # "hampir jatuh tempo" when 40 % of the span is left

RUNNING = "berjalan"
DUE_SOON = "hampir_jatuh_tempo"
OVERDUE = "terlambat"
PAUSED = "jeda"
STOPPED = "selesai"


@dataclass(frozen=True)
class Sla:
    value: int
    unit: str  # "working_days" | "hours"


def local_day(moment: datetime, tz: ZoneInfo = LOCAL_TZ) -> date:
    return moment.astimezone(tz).date()


def closing_time(day: date, tz: ZoneInfo = LOCAL_TZ) -> datetime:
    return datetime.combine(day, OFFICE_CLOSE, tzinfo=tz)


def _day_seconds() -> int:
    return (OFFICE_CLOSE.hour - OFFICE_OPEN.hour) * 3600 + (
        OFFICE_CLOSE.minute - OFFICE_OPEN.minute
    ) * 60


def _next_open(moment: datetime, cal: Calendar, tz: ZoneInfo) -> datetime:
    """The first moment at or after ``moment`` when the office is open."""
    local = moment.astimezone(tz)
    day = local.date()
    if is_workday(day, cal) and local.time() < OFFICE_CLOSE:
        return max(local, datetime.combine(day, OFFICE_OPEN, tzinfo=tz))
    day += timedelta(days=1)
    while not is_workday(day, cal):
        day += timedelta(days=1)
    return datetime.combine(day, OFFICE_OPEN, tzinfo=tz)


def add_working_seconds(
    start: datetime, seconds: float, cal: Calendar, tz: ZoneInfo = LOCAL_TZ
) -> datetime:
    """The moment ``seconds`` of office time after ``start`` (office hours, working days only)."""
    if seconds <= 0:
        return start
    remaining = seconds
    moment = _next_open(start, cal, tz)
    while True:
        close = datetime.combine(moment.date(), OFFICE_CLOSE, tzinfo=tz)
        available = (close - moment).total_seconds()
        if remaining <= available:
            return moment + timedelta(seconds=remaining)
        remaining -= available
        moment = _next_open(close, cal, tz)


def working_seconds_between(
    a: datetime, b: datetime, cal: Calendar, tz: ZoneInfo = LOCAL_TZ
) -> float:
    """Office time between two moments (0 when ``b <= a``)."""
    if b <= a:
        return 0.0
    total = 0.0
    moment = _next_open(a, cal, tz)
    while moment < b:
        close = datetime.combine(moment.date(), OFFICE_CLOSE, tzinfo=tz)
        total += (min(close, b.astimezone(tz)) - moment).total_seconds()
        moment = _next_open(close, cal, tz)
    return total


def paused_workdays(pauses: Iterable[tuple[datetime, datetime]], cal: Calendar) -> int:
    """Working days the clock stood still: for each pause, working days in (start, end]."""
    return sum(max(0, workdays_between(local_day(p0), local_day(p1), cal)) for p0, p1 in pauses)


def due_at(
    start: datetime,
    sla: Sla,
    cal: Calendar,
    *,
    pauses: Iterable[tuple[datetime, datetime]] = (),
    tz: ZoneInfo = LOCAL_TZ,
) -> datetime:
    """When a clock started at ``start`` with ``sla`` runs out, after the given pauses."""
    pauses = list(pauses)
    if sla.unit == "hours":
        paused = sum(working_seconds_between(p0, p1, cal, tz) for p0, p1 in pauses)
        return add_working_seconds(start, sla.value * 3600 + paused, cal, tz)
    days = sla.value + paused_workdays(pauses, cal)
    return closing_time(add_workdays(local_day(start, tz), days, cal), tz)


def warn_at(start: datetime, due: datetime) -> datetime:
    """From when the clock counts as "hampir jatuh tempo"."""
    span = (due - start).total_seconds()
    return due - timedelta(seconds=max(0.0, span) * WARN_LEFT)


def clock_state(now: datetime, due: datetime | None, warn: datetime | None) -> str:
    if due is None:
        return PAUSED
    if now > due:
        return OVERDUE
    if warn is not None and now >= warn:
        return DUE_SOON
    return RUNNING


def workdays_left(today: date, due_day: date, cal: Calendar) -> int:
    """Working days from today to the due day: 0 = due today, negative = that many days late."""
    return workdays_between(today, due_day, cal)


def countdown_text(today: date, due: datetime, cal: Calendar, tz: ZoneInfo = LOCAL_TZ) -> str:
    """ "sisa 3 hari kerja", "jatuh tempo hari ini", "terlambat 2 hari kerja" (Indonesian)."""
    left = workdays_left(today, local_day(due, tz), cal)
    if left > 0:
        return f"sisa {left} hari kerja"
    if left == 0:
        return "jatuh tempo hari ini"
    return f"terlambat {-left} hari kerja"
