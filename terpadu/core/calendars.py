"""Build the pure :class:`~terpadu.core.workdays.Calendar` of an office from the database.

``calendar_for()`` reads ``WorkCalendar`` and ``LocalDay`` rows:

- ``calendar_id`` picks one office calendar; otherwise ``region_code`` (default
  ``settings.TERPADU_HOME_REGION``) picks that region's default calendar
  (``is_region_default``), looking up through the parent regions
  (``35.10.01`` -> ``35.10`` -> ``35``). With no ``WorkCalendar`` at all the
  national defaults apply (Monday-Friday, cuti bersama closed).
- Region-wide ``LocalDay`` rows (``calendar`` empty) of the calendar's region and
  of its parent regions apply to every office there; rows tied to a calendar
  apply to that calendar only. The narrower rule wins: calendar > own region >
  parent region. Between two rows of the same rank, "closed" wins.
- ``saturday_open`` / ``cuti_bersama_open``, when given, override the stored policy.

Results are cached per process and dropped by the signal handlers in
:mod:`terpadu.core.signals` whenever a ``WorkCalendar`` or ``LocalDay`` row is
saved or deleted (again when the transaction commits). Nothing is cached while
inside a database transaction, so uncommitted or rolled-back rows (and test
transactions) never leak into the cache.
"""

from __future__ import annotations

import dataclasses
import threading
from datetime import date
from types import MappingProxyType

from django.conf import settings
from django.db import transaction

from terpadu.core.workdays import Calendar

__all__ = ["CalendarNotFound", "calendar_for", "clear_cache", "region_chain"]


class CalendarNotFound(LookupError):
    """``calendar_for(calendar_id=...)`` named a calendar that does not exist."""


_lock = threading.Lock()
_cache: dict[tuple[str, int | None], Calendar] = {}
_generation = 0


def clear_cache() -> None:
    """Forget every cached calendar (called by the signal handlers)."""
    global _generation
    with _lock:
        _cache.clear()
        _generation += 1


def region_chain(code: str) -> list[str]:
    """``"35.10.01"`` -> ``["35.10.01", "35.10", "35"]`` (narrowest first)."""
    parts = [p for p in code.strip().split(".") if p]
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def calendar_for(
    *,
    region_code: str | None = None,
    calendar_id: int | None = None,
    saturday_open: bool | None = None,
    cuti_bersama_open: bool | None = None,
) -> Calendar:
    """The working-day calendar of an office (``calendar_id``) or of a region's default office."""
    if calendar_id is None:
        region_code = region_code or str(getattr(settings, "TERPADU_HOME_REGION", "35.10"))
    key = (region_code or "", calendar_id)
    cal = _cache.get(key)
    if cal is None:
        with _lock:
            generation = _generation
        cal = _load(region_code=region_code, calendar_id=calendar_id)
        if not transaction.get_connection().in_atomic_block:
            with _lock:
                if generation == _generation:
                    _cache[key] = cal
    if saturday_open is not None and saturday_open != cal.saturday_open:
        cal = dataclasses.replace(cal, saturday_open=saturday_open)
    if cuti_bersama_open is not None and cuti_bersama_open != cal.cuti_bersama_open:
        cal = dataclasses.replace(cal, cuti_bersama_open=cuti_bersama_open)
    return cal


def _load(*, region_code: str | None, calendar_id: int | None) -> Calendar:
    from terpadu.core.models import LocalDay, WorkCalendar

    work_calendar: WorkCalendar | None
    if calendar_id is not None:
        work_calendar = WorkCalendar.objects.select_related("region").filter(pk=calendar_id).first()
        if work_calendar is None:
            raise CalendarNotFound(f"kalender kerja #{calendar_id} tidak ada")
        chain = region_chain(work_calendar.region.code)
    else:
        chain = region_chain(region_code or "")
        work_calendar = None
        candidates = WorkCalendar.objects.select_related("region").filter(region__code__in=chain)
        by_region: dict[str, WorkCalendar] = {}
        for candidate in candidates.order_by("-is_region_default", "pk"):
            by_region.setdefault(candidate.region.code, candidate)
        for code in chain:
            if code in by_region:
                work_calendar = by_region[code]
                break
        if work_calendar is not None:
            chain = region_chain(work_calendar.region.code)

    # rank: 0 = calendar-specific, 1 + i = region-wide row of chain[i]
    best: dict[date, tuple[int, bool, str]] = {}
    rows = LocalDay.objects.filter(region__code__in=chain, calendar__isnull=True)
    if work_calendar is not None:
        rows = rows | LocalDay.objects.filter(calendar=work_calendar)
    for day, is_open, name, code, cal_id in rows.values_list(
        "date", "is_open", "name", "region__code", "calendar_id"
    ):
        rank = 0 if cal_id is not None else 1 + chain.index(code)
        current = best.get(day)
        if current is None or rank < current[0] or (rank == current[0] and not is_open):
            best[day] = (rank, is_open, name)

    opened = frozenset(d for d, (_, is_open, _) in best.items() if is_open)
    closed = frozenset(d for d, (_, is_open, _) in best.items() if not is_open)
    notes = MappingProxyType({d: name for d, (_, _, name) in best.items()})
    return Calendar(
        saturday_open=work_calendar.saturday_open if work_calendar else False,
        cuti_bersama_open=work_calendar.cuti_bersama_open if work_calendar else False,
        closed=closed,
        opened=opened,
        notes=notes,
    )
