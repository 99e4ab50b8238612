"""Demo queue for MPP Banyuwangi: ten working days of history and a live queue today.

Runs after the catalogue (which creates the hall, counter groups and counters)
and after the demo users (``petugas.<agency code>`` staff each agency's
counters). Deterministic for a seed and a date, idempotent (clears the hall's
queue rows first), and bulk-inserted: a few thousand tickets in well under the
3-second budget. History events are bulk-loaded with ``sealed_seq = 0`` and one
audit entry for the load; today's events are sealed one by one like live ones.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from terpadu.accounts.models import User
from terpadu.catalog.models import Counter, CounterGroup, Hall
from terpadu.core.audit import audit_record
from terpadu.demo import users as _demo_users  # noqa: F401  (registers "users" before this step)
from terpadu.demo.build import StepContext, register_step
from terpadu.queueing.hotpath import new_token
from terpadu.queueing.models import (
    Booking,
    BookingSlot,
    CounterState,
    GroupDay,
    PriorityReason,
    QueueEvent,
    Ticket,
)
from terpadu.queueing.services import (
    LOCAL_TZ,
    hall_settings,
    local_day,
    queue_events_seal,
)

HALL_CODE = "mpp-banyuwangi"
HISTORY_DAYS = 10
TICKETS_PER_DAY = 160
# Relative demand per counter group letter (Dukcapil's queue is the longest).
WEIGHTS = {"A": 8, "B": 3, "C": 3, "D": 2, "E": 1, "F": 4, "G": 1, "H": 1, "I": 2, "J": 2}
SERVICE_MINUTES = {"A": 8, "B": 12, "C": 7, "D": 6, "F": 10, "I": 15}
LIVE_GROUPS = ("A", "B", "C", "D", "F", "I")
LIVE_COUNTERS_PER_GROUP = 2
PRIORITY_REASONS = [
    PriorityReason.ELDERLY,
    PriorityReason.ELDERLY,
    PriorityReason.DISABILITY,
    PriorityReason.PREGNANT,
    PriorityReason.INFANT,
]


def _hall(ctx: StepContext) -> Hall | None:
    return Hall.objects.filter(region=ctx.regency, code=HALL_CODE).first()


def clear_queue(ctx: StepContext) -> dict[str, int]:
    hall = _hall(ctx)
    if hall is None:
        return {}
    with transaction.atomic():
        Booking.objects.filter(hall=hall).delete()
        BookingSlot.objects.filter(hall=hall).delete()
        QueueEvent.objects.filter(hall=hall).delete()
        Ticket.objects.filter(hall=hall, transferred_from__isnull=False).delete()
        tickets, _ = Ticket.objects.filter(hall=hall).delete()
        GroupDay.objects.filter(group__hall=hall).delete()
        CounterState.objects.filter(counter__hall=hall).delete()
    return {"tickets_deleted": tickets}


def _working_days_before(today: dt.date, n: int) -> list[dt.date]:
    from terpadu.core.calendars import calendar_for
    from terpadu.core.models import WorkCalendar
    from terpadu.core.workdays import is_workday

    mpp = WorkCalendar.objects.filter(name="MPP Banyuwangi").first()
    cal = calendar_for(calendar_id=mpp.pk) if mpp else calendar_for(region_code="35.10")
    days: list[dt.date] = []
    day = today
    while len(days) < n:
        day -= dt.timedelta(days=1)
        if is_workday(day, cal):
            days.append(day)
    return sorted(days)


class _Builder:
    def __init__(self, hall: Hall, rng: random.Random) -> None:
        self.hall = hall
        self.rng = rng
        self.groups = list(CounterGroup.objects.filter(hall=hall).order_by("letter"))
        self.counters: dict[int, list[Counter]] = {}
        for counter in Counter.objects.filter(hall=hall, is_active=True).order_by("number"):
            if counter.counter_group_id:
                self.counters.setdefault(counter.counter_group_id, []).append(counter)
        officers = {
            u.agency_id: u
            for u in User.objects.filter(role="agency_officer", username__startswith="petugas.")
        }
        self.officer_of = {
            c.pk: officers.get(c.agency_id)
            for group_counters in self.counters.values()
            for c in group_counters
        }
        self.tickets: list[Ticket] = []
        self.events: list[tuple[Ticket, str, dt.datetime, Counter | None]] = []
        self.numbers: dict[tuple[int, dt.date], int] = {}

    def ticket(self, group: CounterGroup, day: dt.date, issued: dt.datetime) -> Ticket:
        key = (group.pk, day)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        priority = self.rng.random() < 0.12
        ticket = Ticket(
            hall=self.hall,
            group=group,
            letter=group.letter,
            day=day,
            number=self.numbers[key],
            status=Ticket.Status.WAITING,
            priority=priority,
            priority_reason=self.rng.choice(PRIORITY_REASONS) if priority else "",
            source=self.rng.choices(
                [Ticket.Source.KIOSK, Ticket.Source.FRONT_DESK, Ticket.Source.BOOKING],
                weights=[80, 12, 8],
            )[0],
            token=new_token(),
            issued_at=issued,
        )
        self.tickets.append(ticket)
        self.events.append((ticket, "issued", issued, None))
        return ticket

    def serve(
        self, ticket: Ticket, counter: Counter, called: dt.datetime, minutes: float, *, end: bool
    ) -> dt.datetime:
        officer = self.officer_of.get(counter.pk)
        ticket.counter = counter
        ticket.officer = officer
        ticket.called_at = called
        ticket.status = Ticket.Status.CALLED
        self.events.append((ticket, "called", called, counter))
        if not end:
            return called
        if self.rng.random() < 0.05:
            ticket.status = Ticket.Status.NO_SHOW
            ticket.finished_at = called + dt.timedelta(minutes=2)
            self.events.append((ticket, "no_show", ticket.finished_at, counter))
            return ticket.finished_at
        ticket.served_at = called + dt.timedelta(minutes=self.rng.uniform(0.3, 1.5))
        ticket.finished_at = ticket.served_at + dt.timedelta(minutes=minutes)
        ticket.status = Ticket.Status.DONE
        self.events.append((ticket, "started", ticket.served_at, counter))
        self.events.append((ticket, "finished", ticket.finished_at, counter))
        return ticket.finished_at

    def day(self, day: dt.date, *, until: dt.datetime | None = None, scale: float = 1.0) -> None:
        """Arrivals from 08:00 and counters serving them in order until ``until`` (or all)."""
        opening = dt.datetime.combine(day, dt.time(8, 0), tzinfo=LOCAL_TZ)
        closing = dt.datetime.combine(day, dt.time(13, 30), tzinfo=LOCAL_TZ)
        last_arrival = min(closing, until) if until else closing
        total_weight = sum(WEIGHTS.get(g.letter, 1) for g in self.groups)
        for group in self.groups:
            counters = self.counters.get(group.pk, [])
            if until is not None:  # today: a few groups, two counters each, are open so far
                counters = counters[:LIVE_COUNTERS_PER_GROUP] if group.letter in LIVE_GROUPS else []
            if not counters:
                continue
            share = WEIGHTS.get(group.letter, 1) / total_weight
            count = max(3, round(TICKETS_PER_DAY * scale * share * self.rng.uniform(0.8, 1.2)))
            span = (last_arrival - opening).total_seconds()
            arrivals = sorted(
                opening + dt.timedelta(seconds=self.rng.uniform(0, span)) for _ in range(count)
            )
            free_at = {c.pk: opening for c in counters}
            mean = SERVICE_MINUTES.get(group.letter, 9)
            waiting = [self.ticket(group, day, at) for at in arrivals]
            step = dt.timedelta(minutes=1)
            while waiting:
                counter = min(counters, key=lambda c: free_at[c.pk])
                start = max(free_at[counter.pk], waiting[0].issued_at + step)
                if until is not None and start > until:
                    break  # every counter is busy past "now": the rest are still waiting
                ready = [t for t in waiting if t.issued_at + step <= start]
                chosen = min(ready, key=lambda t: (not t.priority, t.issued_at))
                waiting.remove(chosen)
                minutes = max(2.0, self.rng.gauss(mean, mean / 3))
                if until is not None and start + dt.timedelta(minutes=minutes) > until:
                    self.serve(chosen, counter, start, minutes, end=False)
                    free_at[counter.pk] = until + dt.timedelta(days=1)
                    continue
                free_at[counter.pk] = self.serve(chosen, counter, start, minutes, end=True)

    def save(self, *, history_before: dt.date) -> tuple[int, int]:
        """Bulk-insert tickets and events (COPY on PostgreSQL, executemany on SQLite).

        Events of days before ``history_before`` are marked ``sealed_seq = 0``:
        bulk-loaded demo history, covered by one audit entry for the load
        instead of one per event. Today's events are sealed like live ones.
        """
        ticket_rows = [
            (
                self.hall.pk,
                t.group_id,
                t.letter,
                _date(t.day),
                t.number,
                t.status,
                t.priority,
                t.priority_reason,
                t.source,
                _dt(t.issued_at),
                _dt(t.called_at),
                _dt(t.served_at),
                _dt(t.finished_at),
                t.counter_id,
                t.officer_id,
                t.token,
                0,
                "",
            )
            for t in self.tickets
        ]
        _copy("queueing_ticket", TICKET_COLUMNS, ticket_rows)
        ids = {
            (group, day, number): pk
            for pk, group, day, number in Ticket.objects.filter(hall=self.hall).values_list(
                "pk", "group_id", "day", "number"
            )
        }
        event_rows = []
        history = 0
        for ticket, kind, at, counter in sorted(self.events, key=lambda e: e[2]):
            old = ticket.day < history_before
            history += old
            event_rows.append(
                (
                    self.hall.pk,
                    ids[(ticket.group_id, ticket.day, ticket.number)],
                    counter.pk if counter else None,
                    ticket.officer_id if counter else None,
                    kind,
                    _dt(at),
                    "{}",
                    0 if old else None,
                )
            )
        _copy("queueing_queueevent", EVENT_COLUMNS, event_rows)
        GroupDay.objects.bulk_create(
            [GroupDay(group_id=g, day=d, last_number=n) for (g, d), n in self.numbers.items()],
            batch_size=1000,
        )
        return len(ticket_rows), history


TICKET_COLUMNS = (
    "hall_id",
    "group_id",
    "letter",
    "day",
    "number",
    "status",
    "priority",
    "priority_reason",
    "source",
    "issued_at",
    "called_at",
    "served_at",
    "finished_at",
    "counter_id",
    "officer_id",
    "token",
    "recall_count",
    "transfer_reason",
)
EVENT_COLUMNS = (
    "hall_id",
    "ticket_id",
    "counter_id",
    "actor_id",
    "kind",
    "at",
    "data",
    "sealed_seq",
)


def _dt(value: dt.datetime | None) -> Any:
    if value is None or connection.vendor == "postgresql":
        return value
    return connection.ops.adapt_datetimefield_value(value)


def _date(value: dt.date) -> Any:
    return value if connection.vendor == "postgresql" else value.isoformat()


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw: Any = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    connection.ensure_connection()
    db: Any = connection.connection
    marks = ", ".join("?" for _ in columns)
    db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


def build_queue(ctx: StepContext) -> dict[str, Any]:
    hall = _hall(ctx)
    if hall is None:
        return {"skipped": "no hall (catalog step missing)"}
    clear_queue(ctx)
    now = timezone.now()
    today = local_day(now)
    rng = random.Random(f"queue-{ctx.seed}-{today.isoformat()}")
    hall_settings(hall)
    builder = _Builder(hall, rng)
    with transaction.atomic():
        for day in _working_days_before(today, HISTORY_DAYS):
            builder.day(day)
        # Today: the hall has been open two and a half hours (whatever the clock says).
        live_start = now - dt.timedelta(hours=2, minutes=30)
        shift = dt.datetime.combine(today, dt.time(8, 0), tzinfo=LOCAL_TZ) - live_start
        live = _Builder(hall, rng)
        live.numbers = builder.numbers
        live.day(today, until=now + shift, scale=1.3)
        for ticket in live.tickets:  # move "08:00–10:30" onto "now − 2.5 h … now"
            for field in ("issued_at", "called_at", "served_at", "finished_at"):
                value = getattr(ticket, field)
                if value is not None:
                    setattr(ticket, field, value - shift)
        live.events = [(t, k, at - shift, c) for t, k, at, c in live.events]
        builder.tickets += live.tickets
        builder.events += live.events
        saved, history_events = builder.save(history_before=today)
        audit_record(
            actor=None,
            action="queue.demo_history_load",
            record_type="catalog.hall",
            record_id=hall.pk,
            region_code=ctx.regency.code,
            summary={"tickets": saved, "events": history_events, "days": HISTORY_DAYS},
        )
        open_counters = 0
        states = []
        called_at_counter = {
            t.counter_id: t for t in live.tickets if t.status == Ticket.Status.CALLED
        }
        for group in builder.groups:
            for k, counter in enumerate(builder.counters.get(group.pk, [])):
                is_open = group.letter in LIVE_GROUPS and k < LIVE_COUNTERS_PER_GROUP
                open_counters += is_open
                states.append(
                    CounterState(
                        counter=counter,
                        status=CounterState.Status.OPEN if is_open else CounterState.Status.CLOSED,
                        officer=builder.officer_of.get(counter.pk) if is_open else None,
                        calls=sum(1 for t in live.tickets if t.counter_id == counter.pk),
                    )
                )
        CounterState.objects.bulk_create(states)
        bookings = _bookings(hall, today, rng)
    sealed = 0
    while batch := queue_events_seal(batch=5000):
        sealed += batch
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE queueing_ticket, queueing_queueevent, queueing_groupday")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE queueing_ticket")
    waiting = sum(1 for t in live.tickets if t.status == Ticket.Status.WAITING)
    return {
        "hall": hall.name,
        "history_days": HISTORY_DAYS,
        "tickets": len(builder.tickets),
        "today": len(live.tickets),
        "waiting_now": waiting,
        "called_now": len(called_at_counter),
        "open_counters": open_counters,
        "bookings": bookings,
        "history_events": history_events,
        "events_sealed": sealed,
        "board": f"/antrean/{hall.pk}/papan/",
        "kiosk": f"/antrean/{hall.pk}/kios/",
    }


def _bookings(hall: Hall, today: dt.date, rng: random.Random) -> int:
    """A few bookings over the next working days for Dukcapil's bookable services."""
    from terpadu.queueing.services import slot_starts

    group = CounterGroup.objects.filter(hall=hall, letter="A").first()
    if group is None:
        return 0
    services_list = list(group.services.filter(booking_available=True).order_by("code")[:4])
    rules = hall_settings(hall)
    starts = slot_starts(rules=rules, minutes=rules.slot_minutes)
    names = ["Siti Aminah", "Agus Salim", "Dewi Sartika", "Budi Santoso", "Wayan Sudarta"]
    created = 0
    for offset in (1, 2, 3):
        day = today + dt.timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for service in services_list:
            for start in rng.sample(starts, k=min(2, len(starts))):
                slot, _ = BookingSlot.objects.get_or_create(
                    hall=hall,
                    service=service,
                    date=day,
                    start=start,
                    defaults={"capacity": rules.slot_capacity},
                )
                BookingSlot.objects.filter(pk=slot.pk).update(booked=slot.booked + 1)
                Booking.objects.create(
                    hall=hall,
                    service=service,
                    slot=slot,
                    date=day,
                    start=start,
                    code="".join(rng.choice("ACDEFGHJKLMNPQRTUVWXY34679") for _ in range(8)),
                    token=new_token() + new_token(),
                    name=rng.choice(names),
                    phone=f"08123{rng.randrange(10**6, 10**7)}",
                )
                created += 1
    return created


register_step("queue", build_queue, clear=clear_queue)
