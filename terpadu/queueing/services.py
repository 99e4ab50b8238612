"""Writes of the hall e-queue: tickets, counters, bookings, and sealing events into the audit chain.

Every ticket state change writes a ``QueueEvent`` in the same transaction (on
the hot path: in the same SQL statement). ``queue_events_seal`` — run by the
worker every few seconds — turns them into audit entries, one per event, in
one batch per run, so the hot path never takes the audit chain's global lock
(docs/queue.md has the measurement). Counter and booking changes are rare and
call ``audit_record`` directly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from terpadu.accounts.models import User
from terpadu.catalog.models import CounterGroup, Hall, Service
from terpadu.core.audit import GENESIS, PG_LOCK_KEY, audit_record, compute_digest
from terpadu.core.errors import DomainError, NotFound, bilingual, field_error
from terpadu.core.models import AuditEntry
from terpadu.queueing import hotpath
from terpadu.queueing.access import CounterContext
from terpadu.queueing.hotpath import CallResult, IssuedTicket, write_transaction
from terpadu.queueing.models import (
    CITIZEN_PRIORITY_REASONS,
    Booking,
    BookingCapacity,
    BookingSlot,
    CounterState,
    HallSettings,
    PriorityReason,
    QueueEvent,
    Ticket,
    TicketNotice,
    ticket_label,
)

LOCAL_TZ = ZoneInfo("Asia/Jakarta")
ACTIVE = (Ticket.Status.CALLED, Ticket.Status.SERVING)


def local_day(now: dt.datetime) -> dt.date:
    """The hall's local date (WIB) of an aware instant."""
    return now.astimezone(LOCAL_TZ).date()


def local_dt(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=LOCAL_TZ)


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


def domain_error(
    code: str, field: str, indonesian: str, english: str, status: int = 400
) -> DomainError:
    return DomainError(
        code=code,
        message=bilingual(indonesian, english),
        errors=[field_error(field, indonesian, english)],
        status=status,
    )


def hall_settings(hall: Hall | int) -> HallSettings:
    hall_id = hall if isinstance(hall, int) else hall.pk
    found = HallSettings.objects.filter(hall_id=hall_id).first()
    if found is not None:
        return found
    obj, _created = HallSettings.objects.get_or_create(
        hall_id=hall_id, defaults={"kiosk_key": secrets.token_urlsafe(24)}
    )
    return obj


def _event(
    *,
    ticket: Ticket,
    kind: str,
    actor: Any,
    now: dt.datetime,
    counter_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    QueueEvent.objects.create(
        hall_id=ticket.hall_id,
        ticket=ticket,
        counter_id=counter_id,
        actor_id=_actor_id(actor),
        kind=kind,
        at=now,
        data=data or {},
    )


# --- tickets ----------------------------------------------------------------------


def group_for_service(*, hall_id: int, service_id: int) -> CounterGroup | None:
    return (
        CounterGroup.objects.filter(hall_id=hall_id, services=service_id).order_by("letter").first()
    )


def ticket_issue(
    *,
    actor: Any,
    hall: Hall,
    group_id: int | None = None,
    service_id: int | None = None,
    priority_reason: str = "",
    source: str = Ticket.Source.KIOSK,
    now: dt.datetime | None = None,
) -> IssuedTicket:
    """Issue the next number of a counter group (or of the group serving ``service_id``) today."""
    now = now or timezone.now()
    if priority_reason and priority_reason not in PriorityReason.values:
        raise domain_error(
            "invalid",
            "priority_reason",
            "Alasan prioritas tidak dikenal.",
            "Unknown priority reason.",
        )
    if source not in Ticket.Source.values:
        raise domain_error("invalid", "source", "Sumber tiket tidak dikenal.", "Unknown source.")
    if service_id is not None and group_id is None:
        group = group_for_service(hall_id=hall.pk, service_id=service_id)
        if group is None:
            raise domain_error(
                "invalid",
                "service_id",
                "Layanan ini tidak dilayani di gedung ini.",
                "This service is not offered in this hall.",
            )
        group_id = group.pk
    if group_id is None:
        raise domain_error(
            "invalid", "group_id", "Pilih kelompok loket.", "Choose a counter group.", status=422
        )
    issued = hotpath.issue(
        hall_id=hall.pk,
        group_id=group_id,
        now=now,
        day=local_day(now),
        priority=bool(priority_reason),
        priority_reason=priority_reason,
        source=source,
        service_id=service_id,
        actor_id=_actor_id(actor),
    )
    if issued is None:
        raise domain_error(
            "invalid",
            "group_id",
            "Kelompok loket tidak ditemukan di gedung ini.",
            "No such counter group in this hall.",
        )
    return issued


def _counter_error_closed() -> DomainError:
    return domain_error(
        "counter_closed",
        "counter",
        "Loket sedang tutup atau istirahat. Buka loket terlebih dahulu.",
        "The counter is closed or paused. Open it first.",
        status=409,
    )


def ticket_call_next(
    *, actor: Any, counter: CounterContext, now: dt.datetime | None = None
) -> CallResult:
    """Finish the counter's current ticket and call the next one of its group (one atomic step)."""
    if counter.status != CounterState.Status.OPEN:
        raise _counter_error_closed()
    if counter.group_id is None:
        raise domain_error(
            "no_group",
            "counter",
            "Loket ini belum masuk kelompok loket mana pun.",
            "This counter belongs to no counter group.",
            status=409,
        )
    try:
        return hotpath.call_next(
            counter_id=counter.id,
            group_id=counter.group_id,
            officer_id=_actor_id(actor),
            calls_before=counter.calls,
            priority_every=counter.priority_every,
            now=now or timezone.now(),
        )
    except hotpath.CounterBusy:
        raise domain_error(
            "counter_busy",
            "counter",
            "Loket ini baru saja memanggil atau berubah status; muat ulang halaman.",
            "This counter just called or changed state; reload the page.",
            status=409,
        ) from None


def _current(counter_id: int) -> Ticket | None:
    return (
        Ticket.objects.filter(counter_id=counter_id, status__in=ACTIVE)
        .select_related("group")
        .order_by("-called_at")
        .first()
    )


def _require_current(counter: CounterContext) -> Ticket:
    ticket = _current(counter.id)
    if ticket is None:
        raise domain_error(
            "no_current_ticket",
            "ticket",
            "Belum ada tiket yang dipanggil di loket ini.",
            "No ticket has been called at this counter.",
            status=409,
        )
    return ticket


def _finish_current(*, counter: CounterContext, actor: Any, now: dt.datetime) -> None:
    for ticket in Ticket.objects.filter(counter_id=counter.id, status__in=ACTIVE):
        ticket.status = Ticket.Status.DONE
        ticket.served_at = ticket.served_at or ticket.called_at
        ticket.finished_at = now
        ticket.save(update_fields=["status", "served_at", "finished_at"])
        _event(ticket=ticket, kind="finished", actor=actor, now=now, counter_id=counter.id)


def ticket_call(
    *, actor: Any, counter: CounterContext, ticket_id: int, now: dt.datetime | None = None
) -> Ticket:
    """Call one waiting ticket of this hall out of order (e.g. the citizen is at the counter)."""
    now = now or timezone.now()
    if counter.status != CounterState.Status.OPEN:
        raise _counter_error_closed()
    with write_transaction():
        ticket = Ticket.objects.filter(pk=ticket_id, hall_id=counter.hall_id).first()
        if ticket is None:
            raise domain_error(
                "invalid", "ticket_id", "Tiket tidak ditemukan.", "No such ticket.", status=404
            )
        if ticket.status != Ticket.Status.WAITING:
            raise domain_error(
                "not_waiting",
                "ticket_id",
                f"Tiket {ticket.label} tidak sedang menunggu.",
                f"Ticket {ticket.label} is not waiting.",
                status=409,
            )
        _finish_current(counter=counter, actor=actor, now=now)
        taken = Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.WAITING).update(
            status=Ticket.Status.CALLED,
            counter_id=counter.id,
            officer_id=_actor_id(actor),
            called_at=now,
        )
        if not taken:  # another counter called it in between (PostgreSQL)
            raise domain_error(
                "not_waiting",
                "ticket_id",
                f"Tiket {ticket.label} baru saja dipanggil loket lain.",
                f"Ticket {ticket.label} was just called by another counter.",
                status=409,
            )
        CounterState.objects.filter(pk=counter.id).update(calls=F("calls") + 1, updated_at=now)
        ticket.refresh_from_db()
        _event(
            ticket=ticket,
            kind="called",
            actor=actor,
            now=now,
            counter_id=counter.id,
            data={"out_of_order": True},
        )
    return ticket


def ticket_recall(*, actor: Any, counter: CounterContext, now: dt.datetime | None = None) -> Ticket:
    """Call the current ticket again (the board announces it again)."""
    now = now or timezone.now()
    with write_transaction():
        ticket = _require_current(counter)
        if ticket.status != Ticket.Status.CALLED:
            raise domain_error(
                "already_serving",
                "ticket",
                "Tiket ini sudah dilayani; tidak perlu dipanggil ulang.",
                "This ticket is already being served.",
                status=409,
            )
        ticket.recall_count += 1
        ticket.save(update_fields=["recall_count"])
        _event(
            ticket=ticket,
            kind="recalled",
            actor=actor,
            now=now,
            counter_id=counter.id,
            data={"recall": ticket.recall_count},
        )
    return ticket


def ticket_start(*, actor: Any, counter: CounterContext, now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    with write_transaction():
        ticket = _require_current(counter)
        if ticket.status != Ticket.Status.CALLED:
            raise domain_error(
                "already_serving",
                "ticket",
                "Layanan untuk tiket ini sudah dimulai.",
                "Service for this ticket has already started.",
                status=409,
            )
        ticket.status = Ticket.Status.SERVING
        ticket.served_at = now
        ticket.save(update_fields=["status", "served_at"])
        _event(ticket=ticket, kind="started", actor=actor, now=now, counter_id=counter.id)
    return ticket


def ticket_finish(*, actor: Any, counter: CounterContext, now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    with write_transaction():
        ticket = _require_current(counter)
        ticket.status = Ticket.Status.DONE
        ticket.served_at = ticket.served_at or ticket.called_at
        ticket.finished_at = now
        ticket.save(update_fields=["status", "served_at", "finished_at"])
        _event(ticket=ticket, kind="finished", actor=actor, now=now, counter_id=counter.id)
    return ticket


def ticket_skip(*, actor: Any, counter: CounterContext, now: dt.datetime | None = None) -> Ticket:
    """Mark the called ticket as a no-show (the citizen did not come to the counter)."""
    now = now or timezone.now()
    with write_transaction():
        ticket = _require_current(counter)
        if ticket.status != Ticket.Status.CALLED:
            raise domain_error(
                "already_serving",
                "ticket",
                "Tiket yang sedang dilayani tidak dapat ditandai tidak hadir.",
                "A ticket being served cannot be marked as a no-show.",
                status=409,
            )
        ticket.status = Ticket.Status.NO_SHOW
        ticket.finished_at = now
        ticket.save(update_fields=["status", "finished_at"])
        _event(
            ticket=ticket,
            kind="no_show",
            actor=actor,
            now=now,
            counter_id=counter.id,
            data={"recalls": ticket.recall_count},
        )
    return ticket


def ticket_transfer(
    *,
    actor: Any,
    counter: CounterContext,
    to_group_id: int | None,
    reason: str,
    to_front: bool = True,
    now: dt.datetime | None = None,
) -> IssuedTicket:
    """End the current ticket as ``transferred`` and issue its successor in another group.

    The successor keeps its place at the front of the new queue (the priority
    lane, reason "pindahan") unless ``to_front`` is false.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    errors = []
    if not reason:
        errors.append(
            field_error("reason", "Tuliskan alasan pemindahan.", "Give a reason for the transfer.")
        )
    target = (
        CounterGroup.objects.filter(pk=to_group_id, hall_id=counter.hall_id).first()
        if to_group_id
        else None
    )
    if target is None:
        errors.append(
            field_error(
                "to_group_id",
                "Kelompok loket tujuan tidak ditemukan di gedung ini.",
                "No such target counter group in this hall.",
            )
        )
    if errors:
        raise DomainError(
            code="invalid",
            message=bilingual("Periksa kembali isian yang ditandai.", "Check the marked fields."),
            errors=errors,
        )
    assert target is not None
    with write_transaction():
        ticket = _require_current(counter)
        if target.pk == ticket.group_id:
            raise domain_error(
                "invalid",
                "to_group_id",
                "Tiket sudah berada di kelompok loket ini.",
                "The ticket is already in this counter group.",
            )
        ticket.status = Ticket.Status.TRANSFERRED
        ticket.finished_at = now
        ticket.served_at = ticket.served_at or ticket.called_at
        ticket.transfer_reason = reason[:300]
        ticket.save(update_fields=["status", "finished_at", "served_at", "transfer_reason"])
        successor = hotpath.issue(
            hall_id=counter.hall_id,
            group_id=target.pk,
            now=now,
            day=local_day(now),
            priority=to_front or ticket.priority,
            priority_reason=PriorityReason.TRANSFER if to_front else ticket.priority_reason,
            source=Ticket.Source.TRANSFER,
            service_id=None,
            actor_id=_actor_id(actor),
            from_ticket_id=ticket.pk,
            transfer_reason=reason[:300],
            event_data=json.dumps({"from": ticket.label}),
        )
        assert successor is not None
        _event(
            ticket=ticket,
            kind="transferred",
            actor=actor,
            now=now,
            counter_id=counter.id,
            data={"to": f"{successor.letter}-{successor.number:03d}", "reason": reason[:300]},
        )
    return successor


def ticket_cancel(*, actor: Any, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    """Cancel a waiting ticket (the citizen left, or it was issued by mistake)."""
    now = now or timezone.now()
    with write_transaction():
        done = Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.WAITING).update(
            status=Ticket.Status.CANCELLED, finished_at=now
        )
        if not done:
            raise domain_error(
                "not_waiting",
                "ticket",
                "Hanya tiket yang masih menunggu yang dapat dibatalkan.",
                "Only a waiting ticket can be cancelled.",
                status=409,
            )
        ticket.refresh_from_db()
        _event(ticket=ticket, kind="cancelled", actor=actor, now=now)
    return ticket


# --- counters -----------------------------------------------------------------------


def counter_set_status(
    *, actor: Any, counter: CounterContext, status: str, note: str = ""
) -> CounterState:
    """Open, pause or close a counter (closing or pausing needs no current ticket)."""
    if status not in CounterState.Status.values:
        raise domain_error(
            "invalid", "status", "Status loket tidak dikenal.", "Unknown counter status."
        )
    with write_transaction():
        state, _created = CounterState.objects.get_or_create(counter_id=counter.id)
        before = state.status
        if status != CounterState.Status.OPEN and _current(counter.id) is not None:
            raise domain_error(
                "ticket_at_counter",
                "status",
                "Selesaikan, pindahkan, atau tandai tidak hadir tiket yang sedang di loket dahulu.",
                "Finish, transfer or mark the current ticket as a no-show first.",
                status=409,
            )
        state.status = status
        state.note = (note or "").strip()[:200]
        if status == CounterState.Status.OPEN:
            state.officer_id = _actor_id(actor)
        state.save(update_fields=["status", "note", "officer", "updated_at"])
        audit_record(
            actor=actor,
            action=f"queue.counter_{status}",
            record_type="catalog.counter",
            record_id=counter.id,
            region_code=counter.region_code,
            summary={"status": [before, status], "note": state.note},
        )
    return state


# --- bookings -----------------------------------------------------------------------

PHONE_RE = re.compile(r"^(\+62|62|0)8[0-9]{7,12}$")
PUBLIC_BOOKINGS_PER_HOUR = 10


def address_key(address: str) -> str:
    """A keyed hash of a public client's address: a rate limit without keeping the address."""
    import hashlib
    import hmac

    from django.conf import settings

    secret = str(settings.SECRET_KEY).encode()
    return hmac.new(secret, f"booking:{address}".encode(), hashlib.sha256).hexdigest()


CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def booking_rule(*, hall: Hall, service: Service) -> tuple[int, int, HallSettings]:
    """(slot minutes, capacity, hall settings) for this service in this hall."""
    rules = hall_settings(hall)
    own = BookingCapacity.objects.filter(hall=hall, service=service).first()
    if own is not None:
        return own.slot_minutes, own.capacity, rules
    return rules.slot_minutes, rules.slot_capacity, rules


def slot_starts(*, rules: HallSettings, minutes: int) -> list[dt.time]:
    starts = []
    at = dt.datetime.combine(dt.date(2000, 1, 1), rules.booking_start)
    end = dt.datetime.combine(dt.date(2000, 1, 1), rules.booking_end)
    while at + dt.timedelta(minutes=minutes) <= end:
        starts.append(at.time())
        at += dt.timedelta(minutes=minutes)
    return starts


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def booking_create(
    *,
    actor: Any,
    hall: Hall,
    service: Service,
    date: dt.date,
    start: dt.time,
    name: str,
    phone: str,
    now: dt.datetime | None = None,
    source_key: str = "",
) -> Booking:
    """Book a slot: validates the day (working day, not past, not too far), the slot and capacity.

    ``source_key`` (:func:`address_key` of a public client's address) limits
    public bookings to :data:`PUBLIC_BOOKINGS_PER_HOUR` per address.
    """
    from terpadu.core.calendars import calendar_for
    from terpadu.core.workdays import closed_reason

    now = now or timezone.now()
    if source_key:
        recent = Booking.objects.filter(
            source_key=source_key, created_at__gte=now - dt.timedelta(hours=1)
        ).count()
        if recent >= PUBLIC_BOOKINGS_PER_HOUR:
            raise domain_error(
                "rate_limited",
                "booking",
                "Terlalu banyak janji temu dari alamat ini dalam satu jam. Coba lagi nanti "
                "atau datang langsung dan ambil nomor antrean di anjungan.",
                "Too many bookings from this address in an hour. Please try later.",
                status=429,
            )
    minutes, capacity, rules = booking_rule(hall=hall, service=service)
    name = (name or "").strip()
    phone = re.sub(r"[\s-]", "", phone or "")
    errors = []
    if not name:
        errors.append(field_error("name", "Nama wajib diisi.", "Name is required."))
    if not PHONE_RE.match(phone):
        errors.append(
            field_error(
                "phone",
                "Nomor HP tidak valid (contoh: 081234567890).",
                "Invalid mobile number (e.g. 081234567890).",
            )
        )
    if not service.booking_available or not service.is_active:
        errors.append(
            field_error(
                "service",
                "Layanan ini tidak menerima janji temu.",
                "This service does not take bookings.",
            )
        )
    elif not CounterGroup.objects.filter(hall=hall, services=service).exists():
        errors.append(
            field_error(
                "service",
                "Layanan ini tidak dilayani di gedung ini.",
                "This service is not offered in this hall.",
            )
        )
    today = local_day(now)
    if date < today or (date == today and local_dt(date, start) <= now):
        errors.append(
            field_error(
                "date", "Waktu itu sudah lewat; pilih slot lain.", "That time has already passed."
            )
        )
    elif date > today + dt.timedelta(days=rules.booking_days_ahead):
        errors.append(
            field_error(
                "date",
                f"Janji temu paling jauh {rules.booking_days_ahead} hari ke depan.",
                f"Bookings open at most {rules.booking_days_ahead} days ahead.",
            )
        )
    else:
        reason = closed_reason(date, calendar_for(region_code=hall.region.code))
        if reason:
            errors.append(
                field_error("date", f"Gedung tutup pada hari itu: {reason}.", "Closed that day.")
            )
    if start not in slot_starts(rules=rules, minutes=minutes):
        errors.append(field_error("start", "Slot waktu tidak tersedia.", "No such time slot."))
    if errors:
        raise DomainError(
            code="invalid",
            message=bilingual("Periksa kembali isian yang ditandai.", "Check the marked fields."),
            errors=errors,
        )
    with write_transaction():
        slot, _created = BookingSlot.objects.get_or_create(
            hall=hall,
            service=service,
            date=date,
            start=start,
            defaults={"capacity": capacity},
        )
        taken = BookingSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
            booked=F("booked") + 1
        )
        if not taken:
            raise domain_error(
                "slot_full",
                "start",
                "Slot ini sudah penuh; pilih jam lain.",
                "This slot is full; choose another time.",
                status=409,
            )
        booking = Booking.objects.create(
            hall=hall,
            service=service,
            slot=slot,
            date=date,
            start=start,
            code=_new_code(),
            token=secrets.token_urlsafe(18),
            name=name[:120],
            phone=phone,
            user=actor if _actor_id(actor) else None,
            source_key=source_key,
        )
        audit_record(
            actor=actor,
            action="queue.booking_create",
            record=booking,
            region_code=hall.region.code,
            summary={"service": service.pk, "date": date, "start": start, "code": booking.code},
        )
    return booking


def booking_cancel(*, actor: Any, booking: Booking, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    with write_transaction():
        done = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CANCELLED, cancelled_at=now
        )
        if not done:
            raise domain_error(
                "not_cancellable",
                "booking",
                "Janji temu ini tidak dapat dibatalkan lagi.",
                "This booking can no longer be cancelled.",
                status=409,
            )
        BookingSlot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
        booking.refresh_from_db()
        audit_record(
            actor=actor,
            action="queue.booking_cancel",
            record=booking,
            region_code=booking.hall.region.code,
            summary={"status": ["booked", "cancelled"]},
        )
    return booking


def checkin_window(booking: Booking, rules: HallSettings) -> tuple[dt.datetime, dt.datetime]:
    at = local_dt(booking.date, booking.start)
    return (
        at - dt.timedelta(minutes=rules.checkin_before_minutes),
        at + dt.timedelta(minutes=rules.checkin_after_minutes),
    )


def booking_checkin(
    *, actor: Any, hall: Hall, code: str, now: dt.datetime | None = None
) -> tuple[Booking, IssuedTicket]:
    """Check a booking in at the kiosk within its window; issues its ticket."""
    now = now or timezone.now()
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    booking = Booking.objects.select_related("hall__region", "service").filter(code=code).first()
    if booking is None or booking.hall_id != hall.pk:
        raise domain_error(
            "not_found",
            "code",
            "Kode janji temu tidak ditemukan di gedung ini.",
            "No booking with this code in this hall.",
            status=404,
        )
    if booking.status != Booking.Status.BOOKED:
        label = Booking.Status(booking.status).label
        raise domain_error(
            "not_bookable",
            "code",
            f"Janji temu ini tidak dapat check-in (status: {label}).",
            f"This booking cannot be checked in (status: {booking.status}).",
            status=409,
        )
    rules = hall_settings(hall)
    opens, closes = checkin_window(booking, rules)
    if now < opens:
        raise domain_error(
            "too_early",
            "code",
            f"Check-in dibuka pukul {opens.astimezone(LOCAL_TZ):%H.%M} WIB.",
            f"Check-in opens at {opens.astimezone(LOCAL_TZ):%H:%M} WIB.",
            status=409,
        )
    if now > closes:
        raise domain_error(
            "too_late",
            "code",
            "Waktu check-in sudah lewat; silakan ambil antrean biasa.",
            "The check-in window has passed; please take an ordinary ticket.",
            status=409,
        )
    group = group_for_service(hall_id=hall.pk, service_id=booking.service_id)
    if group is None:
        raise domain_error(
            "invalid",
            "code",
            "Layanan janji temu ini tidak lagi dilayani di gedung ini.",
            "This booking's service is no longer offered in this hall.",
            status=409,
        )
    with write_transaction():
        taken = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CHECKED_IN, checked_in_at=now
        )
        if not taken:
            raise domain_error(
                "not_bookable",
                "code",
                "Janji temu ini baru saja di-check-in.",
                "This booking was just checked in.",
                status=409,
            )
        issued = hotpath.issue(
            hall_id=hall.pk,
            group_id=group.pk,
            now=now,
            day=local_day(now),
            priority=rules.bookings_in_priority_lane,
            priority_reason=PriorityReason.BOOKING if rules.bookings_in_priority_lane else "",
            source=Ticket.Source.BOOKING,
            service_id=booking.service_id,
            actor_id=_actor_id(actor),
            event_data=json.dumps({"booking": booking.code}),
        )
        assert issued is not None
        Booking.objects.filter(pk=booking.pk).update(ticket_id=issued.id)
        booking.refresh_from_db()
        audit_record(
            actor=actor,
            action="queue.booking_checkin",
            record=booking,
            region_code=hall.region.code,
            summary={"status": ["booked", "checked_in"], "ticket": issued.id},
        )
    return booking, issued


def bookings_mark_no_show(*, now: dt.datetime | None = None) -> int:
    """Mark bookings whose check-in window has passed as no-shows (the worker runs this)."""
    now = now or timezone.now()
    today = local_day(now)
    marked = 0
    candidates = Booking.objects.filter(
        status=Booking.Status.BOOKED, date__lte=today
    ).select_related("hall__region")
    settings_by_hall: dict[int, HallSettings] = {}
    for booking in candidates:
        rules = settings_by_hall.get(booking.hall_id) or hall_settings(booking.hall_id)
        settings_by_hall[booking.hall_id] = rules
        if now <= checkin_window(booking, rules)[1]:
            continue
        with write_transaction():
            if Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
                status=Booking.Status.NO_SHOW
            ):
                marked += 1
                audit_record(
                    actor=None,
                    action="queue.booking_no_show",
                    record=booking,
                    region_code=booking.hall.region.code,
                    summary={"status": ["booked", "no_show"]},
                )
    return marked


def tickets_close_past_days(*, now: dt.datetime | None = None) -> int:
    """Cancel the tickets still waiting from an earlier local day (the worker runs this).

    Numbers start again every morning; a ticket nobody called before the hall closed
    must not be called first the next day, nor count as waiting on the board.
    """
    now = now or timezone.now()
    today = local_day(now)
    closed = 0
    while True:
        with write_transaction():
            tickets = list(
                Ticket.objects.filter(status=Ticket.Status.WAITING, day__lt=today).order_by("pk")[
                    :500
                ]
            )
            if not tickets:
                break
            Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(
                status=Ticket.Status.CANCELLED
            )
            QueueEvent.objects.bulk_create(
                QueueEvent(
                    hall_id=t.hall_id,
                    ticket=t,
                    kind=QueueEvent.Kind.CANCELLED,
                    at=now,
                    data={"reason": "day_closed"},
                )
                for t in tickets
            )
            closed += len(tickets)
    return closed


# --- "your turn is near": an optional message when a ticket is 3rd in line ------------

#: A ticket with at most this many tickets before it is "3 places from being called".
SOON_AHEAD = 2


def mask_phone(phone: str) -> str:
    """``+6281234567890`` → ``+62•••••••890`` (what officers may see)."""
    return phone[:3] + "•" * max(0, len(phone) - 6) + phone[-3:]


def clean_notice_phone(phone: str, channel: str) -> tuple[str, str]:
    """The normalised number and channel, or a DomainError with the field at fault."""
    from terpadu.notifications.services import normalise_phone

    errors = []
    if channel not in TicketNotice.Channel.values:
        errors.append(field_error("channel", "Pilih WhatsApp atau SMS.", "Choose WhatsApp or SMS."))
    raw = re.sub(r"[\s-]", "", phone or "")
    number = normalise_phone(raw) if PHONE_RE.match(raw) else ""
    if not number:
        errors.append(
            field_error(
                "phone",
                "Nomor HP tidak valid (contoh: 081234567890).",
                "Invalid mobile number (e.g. 081234567890).",
            )
        )
    if errors:
        raise DomainError(
            code="invalid",
            message=bilingual("Periksa kembali isian yang ditandai.", "Check the marked fields."),
            errors=errors,
        )
    return number, channel


def ticket_notice_set(
    *, ticket_id: int, phone: str, channel: str, actor: Any = None, now: dt.datetime | None = None
) -> TicketNotice:
    """Ask for one WhatsApp/SMS when the ticket is 3rd in line (kiosk or the ticket's page)."""
    now = now or timezone.now()
    number, channel = clean_notice_phone(phone, channel)
    with write_transaction():
        ticket = Ticket.objects.select_related("hall__region").filter(pk=ticket_id).first()
        if ticket is None or ticket.status != Ticket.Status.WAITING:
            raise domain_error(
                "not_waiting",
                "phone",
                "Tiket ini tidak sedang menunggu; pemberitahuan tidak diperlukan.",
                "This ticket is not waiting.",
                status=409,
            )
        existing = TicketNotice.objects.filter(pk=ticket.pk).first()
        if existing is not None and existing.queued_at is not None:
            raise domain_error(
                "already_sent",
                "phone",
                "Pemberitahuan untuk tiket ini sudah dikirim.",
                "The message for this ticket was already sent.",
                status=409,
            )
        notice, _created = TicketNotice.objects.update_or_create(
            ticket=ticket,
            defaults={
                "channel": channel,
                "phone": number,
                "masked": mask_phone(number),
                "created_at": now,
                "ended": False,
            },
        )
        audit_record(
            actor=actor,
            action="queue.ticket_notice_set",
            record_type="queueing.ticket",
            record_id=ticket.pk,
            region_code=ticket.hall.region.code,
            summary={"channel": channel, "phone": notice.masked},
        )
    return notice


def ticket_issue_with_notice(
    *, actor: Any, notify_phone: str = "", notify_channel: str = "whatsapp", **issue: Any
) -> IssuedTicket:
    """:func:`ticket_issue`, then the "3rd in line" message when a number is given.

    A bad number is refused before the ticket exists: nothing is half-saved.
    """
    if notify_phone:
        clean_notice_phone(notify_phone, notify_channel)
    issued = ticket_issue(actor=actor, **issue)
    if notify_phone:
        ticket_notice_set(
            ticket_id=issued.id, phone=notify_phone, channel=notify_channel, actor=actor
        )
    return issued


_NOTICES_DUE = """
SELECT n.ticket_id, n.channel, n.phone, t.letter, t.number, h.name, g.name,
  (SELECT COUNT(*) FROM queueing_ticket w
   WHERE w.group_id = t.group_id AND w.status = 'waiting' AND w.id < t.id)
  + CASE WHEN t.priority THEN 0 ELSE (
      SELECT COUNT(*) FROM queueing_ticket w
      WHERE w.group_id = t.group_id AND w.status = 'waiting' AND w.priority AND w.id > t.id)
    END
FROM queueing_ticketnotice n
JOIN queueing_ticket t ON t.id = n.ticket_id
JOIN catalog_hall h ON h.id = t.hall_id
JOIN catalog_countergroup g ON g.id = t.group_id
WHERE n.queued_at IS NULL AND NOT n.ended AND t.status = 'waiting'
"""


def queue_notices_due(*, now: dt.datetime | None = None) -> int:
    """Queue the message of every notice whose ticket is now 3rd in line or closer (worker, every 5 s).

    Exactly once: the notice is marked (and its number erased) in the same
    transaction as the outbox row, under a condition that it was not marked yet
    and the ticket is still waiting (its row locked on PostgreSQL), and the
    outbox's idempotency key is the ticket's. Notices of tickets that left the
    queue first are ended and their numbers erased.
    """
    from terpadu.notifications.services import notify

    now = now or timezone.now()
    with write_transaction():
        TicketNotice.objects.filter(queued_at=None, ended=False).exclude(
            ticket__status=Ticket.Status.WAITING
        ).update(ended=True, phone="")
    with connection.cursor() as cursor:
        cursor.execute(_NOTICES_DUE)
        rows = cursor.fetchall()
    queued = 0
    for ticket_id, channel, phone, letter, number, hall, group, ahead in rows:
        if int(ahead) > SOON_AHEAD or not phone:
            continue
        with write_transaction():
            still = (
                Ticket.objects.select_for_update()
                .filter(pk=ticket_id, status=Ticket.Status.WAITING)
                .values_list("pk", flat=True)
                .first()
            )
            if still is None:
                continue
            taken = TicketNotice.objects.filter(pk=ticket_id, queued_at=None, ended=False).update(
                queued_at=now, phone=""
            )
            if not taken:
                continue
            notify(
                recipient=phone,
                channel=channel,
                template="queueing/soon",
                context={
                    "label": ticket_label(letter, number),
                    "hall": hall,
                    "group": group,
                    "ahead": int(ahead),
                },
                idempotency_key=f"queue-soon-{ticket_id}",
            )
            queued += 1
    return queued


# --- sealing events into the audit chain --------------------------------------------


def queue_events_seal(*, batch: int = 2000) -> int:
    """Append one audit entry per unsealed queue event, oldest first, in one transaction.

    Takes the audit chain's lock once per batch instead of once per ticket
    action; returns how many events were sealed.
    """
    with write_transaction():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_KEY])
        events = list(
            QueueEvent.objects.filter(sealed_seq=None)
            .order_by("id")
            .values(
                "id",
                "hall_id",
                "ticket_id",
                "counter_id",
                "actor_id",
                "kind",
                "at",
                "data",
                "ticket__letter",
                "ticket__number",
                "ticket__day",
                "hall__region__code",
            )[:batch]
        )
        if not events:
            return 0
        actor_ids = {e["actor_id"] for e in events if e["actor_id"]}
        names = dict(User.objects.filter(pk__in=actor_ids).values_list("pk", "username"))
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "digest").first()
        seq, prev = (last[0], last[1]) if last else (0, GENESIS)
        now = timezone.now()
        entries = []
        seals = []
        for event in events:
            seq += 1
            label = f"{event['ticket__letter']}-{event['ticket__number']:03d}"
            summary = {
                "event": event["id"],
                "ticket": label,
                "day": event["ticket__day"].isoformat(),
                "at": event["at"].isoformat(),
                "counter": event["counter_id"],
                **({"data": event["data"]} if event["data"] else {}),
            }
            entry = AuditEntry(
                seq=seq,
                created_at=now,
                actor_id=event["actor_id"],
                actor_label=names.get(event["actor_id"], "system")[:150],
                action=f"queue.ticket_{event['kind']}",
                record_type="queueing.ticket",
                record_id=str(event["ticket_id"]),
                region_code=event["hall__region__code"],
                summary=json.loads(json.dumps(summary, default=str)),
                prev_digest=prev,
            )
            entry.digest = compute_digest(entry, prev)
            prev = entry.digest
            entries.append(entry)
            seals.append((seq, event["id"]))
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE queueing_queueevent SET sealed_seq = %s WHERE id = %s", seals
            )
    return len(events)


def ensure_counter_state(counter_id: int) -> None:
    CounterState.objects.get_or_create(counter_id=counter_id)


def is_citizen_reason(reason: str) -> bool:
    return reason in CITIZEN_PRIORITY_REASONS


@transaction.atomic
def hall_settings_update(*, actor: Any, hall: Hall, data: dict[str, Any]) -> HallSettings:
    rules = hall_settings(hall)
    before = {k: getattr(rules, k) for k in data}
    for key, value in data.items():
        if not hasattr(rules, key) or key in {"id", "hall", "hall_id", "kiosk_key"}:
            raise NotFound("setting")
        setattr(rules, key, value)
    rules.save()
    audit_record(
        actor=actor,
        action="queue.hall_settings_update",
        record_type="queueing.hallsettings",
        record_id=rules.pk,
        region_code=hall.region.code,
        summary={k: [before[k], data[k]] for k in data if before[k] != data[k]},
    )
    return rules
