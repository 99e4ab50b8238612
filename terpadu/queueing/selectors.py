"""Reads of the hall e-queue: the live ticket page, the board, the console, slots, overviews.

The two polled reads (ticket page: up to hundreds of phones; board: every hall
TV once a second) are a handful of indexed queries each; the average service
time behind the wait estimate is cached per process for 30 seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from terpadu.catalog.models import Counter, CounterGroup, Hall, Service
from terpadu.queueing import hotpath
from terpadu.queueing.access import CounterContext
from terpadu.queueing.models import (
    Booking,
    BookingSlot,
    CounterState,
    HallSettings,
    Ticket,
    ticket_label,
)
from terpadu.queueing.services import (
    ACTIVE,
    booking_rule,
    checkin_window,
    hall_settings,
    local_day,
    local_dt,
    slot_starts,
)
from terpadu.queueing.speech import spoken_call

DEFAULT_SERVICE_SECONDS = 300  # before a group has finished any ticket today
RECENT_FOR_ESTIMATE = 20
_CACHE_SECONDS = 30.0
_cache_lock = threading.Lock()
_avg_cache: dict[tuple[int, dt.date], tuple[float, int]] = {}


def average_service_seconds(group_id: int, day: dt.date) -> int:
    """Mean call-to-finish time of the group's last 20 finished tickets today (cached 30 s)."""
    key = (group_id, day)
    now = time.monotonic()
    with _cache_lock:
        hit = _avg_cache.get(key)
        if hit is not None and now - hit[0] < _CACHE_SECONDS:
            return hit[1]
    rows = list(
        Ticket.objects.filter(group_id=group_id, day=day, status=Ticket.Status.DONE)
        .exclude(finished_at=None)
        .exclude(called_at=None)
        .order_by("-finished_at")
        .values_list("called_at", "finished_at")[:RECENT_FOR_ESTIMATE]
    )
    if rows:
        seconds = sum((f - c).total_seconds() for c, f in rows if c and f) / len(rows)
        value = max(30, round(seconds))
    else:
        value = DEFAULT_SERVICE_SECONDS
    with _cache_lock:
        _avg_cache[key] = (now, value)
    return value


def clear_estimate_cache() -> None:
    """Forget the per-process caches (wait estimates and built boards); tests call it."""
    with _cache_lock:
        _avg_cache.clear()
    with _board_lock:
        _board_cache.clear()


@dataclass
class PublicTicket:
    ticket: Ticket
    label: str
    status: str
    status_label: str
    position: int | None  # tickets before this one (waiting only)
    wait_minutes: int | None
    counter_number: int | None
    open_counters: int
    chain: list[str] = field(default_factory=list)  # earlier labels if transferred

    @property
    def is_called(self) -> bool:
        return self.status == Ticket.Status.CALLED

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "status": self.status,
            "status_label": self.status_label,
            "hall": self.ticket.hall.name,
            "group": self.ticket.group.name,
            "position": self.position,
            "wait_minutes": self.wait_minutes,
            "counter_number": self.counter_number,
            "issued_at": self.ticket.issued_at,
            "called_at": self.ticket.called_at,
            "transferred_from": self.chain,
        }


def ticket_public(token: str) -> PublicTicket | None:
    """A ticket by its public token; a transferred ticket shows where it went."""
    ticket = (
        Ticket.objects.select_related("hall", "group", "counter").filter(token=token).first()
        if token
        else None
    )
    if ticket is None:
        return None
    chain: list[str] = []
    for _hop in range(5):
        if ticket.status != Ticket.Status.TRANSFERRED:
            break
        successor = (
            Ticket.objects.select_related("hall", "group", "counter")
            .filter(transferred_from=ticket)
            .first()
        )
        if successor is None:
            break
        chain.append(ticket.label)
        ticket = successor
    position = wait = None
    open_counters = 0
    if ticket.status == Ticket.Status.WAITING:
        position = Ticket.objects.filter(
            group_id=ticket.group_id, status=Ticket.Status.WAITING, id__lt=ticket.pk
        ).count()
        if not ticket.priority:
            # priority tickets that came later may still go first
            position += Ticket.objects.filter(
                group_id=ticket.group_id,
                status=Ticket.Status.WAITING,
                priority=True,
                id__gt=ticket.pk,
            ).count()
        open_counters = CounterState.objects.filter(
            counter__counter_group_id=ticket.group_id, status=CounterState.Status.OPEN
        ).count()
        seconds = average_service_seconds(ticket.group_id, ticket.day)
        wait = round((position + 1) * seconds / max(1, open_counters) / 60)
    return PublicTicket(
        ticket=ticket,
        label=ticket.label,
        status=ticket.status,
        status_label=str(Ticket.Status(ticket.status).label),
        position=position,
        wait_minutes=wait,
        counter_number=ticket.counter.number if ticket.counter_id and ticket.counter else None,
        open_counters=open_counters,
        chain=chain,
    )


# --- the display board ---------------------------------------------------------------


_BOARD_HEAD = """
SELECT h.name,
  (SELECT MAX(e.id) FROM queueing_queueevent e WHERE e.hall_id = h.id),
  (SELECT MAX(s.updated_at) FROM queueing_counterstate s
   JOIN catalog_counter c ON c.id = s.counter_id WHERE c.hall_id = h.id),
  hs.speak_digits
FROM catalog_hall h LEFT JOIN queueing_hallsettings hs ON hs.hall_id = h.id
WHERE h.id = %s
"""


@dataclass(frozen=True)
class BoardHead:
    hall_id: int
    name: str
    version: int  # the hall's last queue event
    etag: str  # the last event and the last counter change
    speak_digits: bool = False


def board_head(hall_id: int) -> BoardHead | None:
    """The hall's name and the board's version in one index-only statement; None if no such hall."""
    row = hotpath.fetchone(_BOARD_HEAD, [hall_id])
    if row is None:
        return None
    version = int(row[1] or 0)
    stamp = row[2].isoformat() if isinstance(row[2], dt.datetime) else str(row[2] or "")
    digest = hashlib.blake2b(stamp.encode(), digest_size=6).hexdigest()
    return BoardHead(
        hall_id=hall_id, name=row[0], version=version, etag=f'"b{hall_id}-{version}-{digest}"'
    )


def board_version(hall_id: int) -> int:
    """The hall's last event id (an index-only lookup)."""
    head = board_head(hall_id)
    return head.version if head else 0


# The hall's last 12 calls today: a backward walk of the partial "queueevent_calls" index
# (this hall's calls only), then the 12 tickets and counters by primary key. Written so
# that no plan depends on the statistics of the event table, which grows by thousands
# of rows a day: with the filter on the joined ticket's day, stale statistics made
# PostgreSQL scan and sort every event of the table (20 ms at 18,000 events, measured).
_BOARD_CALLS = """
SELECT e.id, e.kind, t.letter, t.number, c.number, e.at
FROM (SELECT id, kind, ticket_id, counter_id, at FROM queueing_queueevent
      WHERE hall_id = %s AND kind IN ('called', 'recalled') AND at >= %s
      ORDER BY hall_id DESC, id DESC LIMIT 12) e
JOIN queueing_ticket t ON t.id = e.ticket_id
JOIN catalog_counter c ON c.id = e.counter_id
ORDER BY e.id DESC
"""
# The counters that are working (open or on a break), with the ticket at each.
_BOARD_COUNTERS = """
SELECT c.id, c.number, c.name, a.short_name, s.status, t.letter, t.number
FROM catalog_counter c
JOIN queueing_counterstate s ON s.counter_id = c.id AND s.status <> 'closed'
LEFT JOIN core_agency a ON a.id = c.agency_id
LEFT JOIN queueing_ticket t ON t.counter_id = c.id AND t.status IN ('called', 'serving')
  AND t.day = %s
WHERE c.hall_id = %s AND c.is_active
ORDER BY c.number, t.id
"""
# Waiting per group (the partial "waiting" index, as call-next reads it; ``id > 0`` lets
# SQLite's planner see it), counted up to BOARD_WAITING_CAP, for groups with an open
# counter or anyone waiting.
BOARD_WAITING_CAP = 999
_BOARD_GROUPS = f"""
SELECT g.letter, g.name,
  (SELECT COUNT(*) FROM (SELECT 1 FROM queueing_ticket t
   WHERE t.group_id = g.id AND t.status = 'waiting' AND t.id > 0 LIMIT {BOARD_WAITING_CAP}) w),
  EXISTS (SELECT 1 FROM queueing_counterstate s JOIN catalog_counter c ON c.id = s.counter_id
          WHERE c.counter_group_id = g.id AND s.status = 'open')
FROM catalog_countergroup g
WHERE g.hall_id = %s
ORDER BY g.letter
"""  # noqa: S608  (a constant)
_board_lock = threading.Lock()
_board_cache: dict[int, tuple[str, dt.date, dict[str, Any]]] = {}


def board(
    hall: Hall | int, *, now: dt.datetime | None = None, head: BoardHead | None = None
) -> dict[str, Any]:
    """What the hall TV shows: recent calls (with their spoken text), each counter, waiting counts.

    Four raw statements, and the result is kept per process until the board's
    version (its ETag) changes, so five TVs polling the same hall build it once.
    """
    now = now or timezone.now()
    day = local_day(now)
    hall_id = hall if isinstance(hall, int) else hall.pk
    head = head or board_head(hall_id)
    if head is None:
        raise ValueError(f"no hall {hall_id}")
    with _board_lock:
        hit = _board_cache.get(hall_id)
    if hit is not None and hit[0] == head.etag and hit[1] == day:
        return {**hit[2], "at": now.isoformat()}
    db_day = hotpath.db_date(day)
    day_start = hotpath.db_datetime(local_dt(day, dt.time.min))
    call_rows = hotpath.fetchall(_BOARD_CALLS, [hall_id, day_start])
    counter_rows = hotpath.fetchall(_BOARD_COUNTERS, [db_day, hall_id])
    group_rows = hotpath.fetchall(_BOARD_GROUPS, [hall_id])
    calls = [
        {
            "event": row[0],
            "ticket": ticket_label(row[2], row[3]),
            "counter": row[4],
            "recall": row[1] == "recalled",
            "speech": spoken_call(row[2], row[3], row[4], digits=head.speak_digits),
        }
        for row in call_rows
    ]
    counters: dict[int, dict[str, Any]] = {}
    for cid, number, name, short, status, letter, ticket_number in counter_rows:
        counters[cid] = {
            "number": number,
            "name": name or short or "",
            "status": status,
            "ticket": ticket_label(letter, ticket_number) if letter else None,
        }
    groups = [
        {"letter": letter, "name": name, "waiting": int(waiting)}
        for letter, name, waiting, has_open in group_rows
        if has_open or waiting
    ]
    data = {
        "hall": head.name,
        "version": head.version,
        "calls": calls,
        "counters": list(counters.values()),
        "groups": groups,
    }
    with _board_lock:
        _board_cache[hall_id] = (head.etag, day, data)
    return {**data, "at": now.isoformat()}


# --- the officer's console -------------------------------------------------------------


@dataclass
class Console:
    counter: CounterContext
    current: Ticket | None
    waiting: list[Ticket]
    waiting_count: int
    priority_waiting: int
    recent: list[Ticket]
    groups: list[CounterGroup]
    served_today: int


def console(ctx: CounterContext, *, now: dt.datetime | None = None) -> Console:
    day = local_day(now or timezone.now())
    current = (
        Ticket.objects.filter(counter_id=ctx.id, status__in=ACTIVE)
        .select_related("service", "transferred_from")
        .order_by("-called_at")
        .first()
    )
    waiting_qs = Ticket.objects.filter(group_id=ctx.group_id, status=Ticket.Status.WAITING)
    counts = waiting_qs.aggregate(n=Count("id"), p=Count("id", filter=Q(priority=True)))
    recent = list(
        Ticket.objects.filter(counter_id=ctx.id, day=day)
        .exclude(status__in=ACTIVE)
        .order_by("-finished_at")[:5]
    )
    served = Ticket.objects.filter(counter_id=ctx.id, day=day, status=Ticket.Status.DONE).count()
    groups = list(
        CounterGroup.objects.filter(hall_id=ctx.hall_id)
        .exclude(pk=ctx.group_id or 0)
        .select_related("agency")
        .order_by("letter")
    )
    return Console(
        counter=ctx,
        current=current,
        waiting=list(waiting_qs.select_related("service", "notice").order_by("id")[:15]),
        waiting_count=counts["n"],
        priority_waiting=counts["p"],
        recent=recent,
        groups=groups,
        served_today=served,
    )


# --- hall overview (front desk, supervisor) ---------------------------------------------


def hall_overview(hall: Hall, *, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    day = local_day(now)
    per_group = {
        row["group_id"]: row
        for row in Ticket.objects.filter(hall_id=hall.pk, day=day)
        .values("group_id")
        .annotate(
            issued=Count("id"),
            waiting=Count("id", filter=Q(status=Ticket.Status.WAITING)),
            done=Count("id", filter=Q(status=Ticket.Status.DONE)),
            no_show=Count("id", filter=Q(status=Ticket.Status.NO_SHOW)),
        )
    }
    groups = []
    for group in CounterGroup.objects.filter(hall_id=hall.pk).select_related("agency"):
        row: dict[str, Any] = dict(per_group.get(group.pk) or {})
        groups.append(
            {
                "group": group,
                "issued": row.get("issued", 0),
                "waiting": row.get("waiting", 0),
                "done": row.get("done", 0),
                "no_show": row.get("no_show", 0),
                "minutes": round(average_service_seconds(group.pk, day) / 60, 1)
                if row.get("done")
                else None,
            }
        )
    current = {
        t.counter_id: t
        for t in Ticket.objects.filter(hall_id=hall.pk, day=day, status__in=ACTIVE).only(
            "counter_id", "letter", "number", "status"
        )
    }
    states = {
        s.counter_id: s
        for s in CounterState.objects.filter(counter__hall_id=hall.pk).select_related("officer")
    }
    counters = [
        {"counter": c, "state": states.get(c.pk), "ticket": current.get(c.pk)}
        for c in Counter.objects.filter(hall_id=hall.pk).select_related("agency", "counter_group")
    ]
    return {"day": day, "groups": groups, "counters": counters}


def hall_groups(hall: Hall) -> list[CounterGroup]:
    return list(
        CounterGroup.objects.filter(hall_id=hall.pk)
        .select_related("agency")
        .prefetch_related("services")
        .order_by("letter")
    )


# --- bookings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    start: dt.time
    capacity: int
    booked: int
    past: bool

    @property
    def available(self) -> int:
        return 0 if self.past else max(0, self.capacity - self.booked)


def bookable_services(hall: Hall) -> list[Service]:
    return list(
        Service.objects.filter(counter_groups__hall=hall, booking_available=True, is_active=True)
        .select_related("agency")
        .distinct()
        .order_by("agency__short_name", "name")
    )


def slots(
    *, hall: Hall, service: Service, date: dt.date, now: dt.datetime | None = None
) -> list[Slot]:
    now = now or timezone.now()
    minutes, capacity, rules = booking_rule(hall=hall, service=service)
    taken = {s.start: s for s in BookingSlot.objects.filter(hall=hall, service=service, date=date)}
    result = []
    for start in slot_starts(rules=rules, minutes=minutes):
        row = taken.get(start)
        result.append(
            Slot(
                start=start,
                capacity=row.capacity if row else capacity,
                booked=row.booked if row else 0,
                past=local_dt(date, start) <= now,
            )
        )
    return result


def bookable_days(hall: Hall, *, now: dt.datetime | None = None) -> list[dt.date]:
    from terpadu.core.calendars import calendar_for
    from terpadu.core.workdays import is_workday

    now = now or timezone.now()
    rules: HallSettings = hall_settings(hall)
    cal = calendar_for(region_code=hall.region.code)
    today = local_day(now)
    days = [today + dt.timedelta(days=i) for i in range(rules.booking_days_ahead + 1)]
    return [d for d in days if is_workday(d, cal)]


def booking_view(booking: Booking) -> dict[str, Any]:
    rules = hall_settings(booking.hall_id)
    opens, closes = checkin_window(booking, rules)
    return {"booking": booking, "checkin_opens": opens, "checkin_closes": closes}
