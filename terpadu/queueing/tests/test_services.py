"""Ticket numbering, the priority rule, counter actions, bookings, and sealing into the audit chain."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from terpadu.core.audit import verify_chain
from terpadu.core.errors import DomainError
from terpadu.core.models import AuditEntry
from terpadu.core.testing import UserFactory
from terpadu.queueing import services
from terpadu.queueing.access import access_counter_by_id
from terpadu.queueing.models import Booking, BookingSlot, HallSettings, QueueEvent, Ticket
from terpadu.queueing.tests.conftest import open_counter

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=WIB)


def issue(hall, group=None, **kw):
    return services.ticket_issue(
        actor=None, hall=hall.hall, group_id=(group or hall.group_a).pk, **kw
    )


def fresh(ctx, user):
    return access_counter_by_id(user=user, counter_id=ctx.id)


def test_numbers_per_group_and_label(hall):
    a1, a2, b1, a3 = issue(hall), issue(hall), issue(hall, hall.group_b), issue(hall)
    assert [(t.letter, t.number) for t in (a1, a2, b1, a3)] == [
        ("A", 1),
        ("A", 2),
        ("B", 1),
        ("A", 3),
    ]
    assert Ticket.objects.get(pk=a1.id).label == "A-001"
    assert QueueEvent.objects.filter(kind="issued").count() == 4


def test_numbering_resets_at_local_midnight_not_utc(hall):
    # 23:59 WIB on the 1st and 00:01 WIB on the 2nd are both "the 1st" in UTC (16:59, 17:01).
    late = issue(hall, now=at("2026-03-02", "23:59"))
    early = issue(hall, now=at("2026-03-03", "00:01"))
    same_day = issue(hall, now=at("2026-03-03", "08:00"))
    assert (late.day, late.number) == (dt.date(2026, 3, 2), 1)
    assert (early.day, early.number) == (dt.date(2026, 3, 3), 1)
    assert same_day.number == 2


def test_service_chooses_its_group_and_unknown_group_changes_nothing(hall, regions, agencies):
    from terpadu.catalog.models import CounterGroup, Hall

    got = services.ticket_issue(actor=None, hall=hall.hall, service_id=hall.service_b.pk)
    assert got.letter == "B"
    other = Hall.objects.create(region=regions["banyuwangi"], code="lain", name="Gedung lain")
    foreign = CounterGroup.objects.create(hall=other, letter="Z", name="Lain")
    with pytest.raises(DomainError) as err:
        services.ticket_issue(actor=None, hall=hall.hall, group_id=foreign.pk)
    assert err.value.errors[0].field == "group_id"
    with pytest.raises(DomainError):
        services.ticket_issue(
            actor=None, hall=hall.hall, group_id=hall.group_a.pk, priority_reason="vip"
        )
    assert Ticket.objects.count() == 1


def test_priority_rule_every_second_call_takes_priority_lane(hall, people):
    officer = people["agency_officer"]
    r1, r2, p1, r3, p2 = (
        issue(hall),
        issue(hall),
        issue(hall, priority_reason="lansia"),
        issue(hall),
        issue(hall, priority_reason="ibu_hamil"),
    )
    ctx = open_counter(1, hall, officer)
    order = []
    for _ in range(5):
        result = services.ticket_call_next(actor=officer, counter=ctx)
        order.append(result.called.id)
        ctx = fresh(ctx, officer)
    # calls 1..5 with priority_every=2: FIFO, priority, FIFO, priority, FIFO
    assert order == [r1.id, p1.id, r2.id, p2.id, r3.id]


def test_strict_priority_and_no_lane(hall, people):
    officer = people["agency_officer"]
    HallSettings.objects.create(hall=hall.hall, priority_every=1)
    r1, p1 = issue(hall), issue(hall, priority_reason="disabilitas")
    ctx = open_counter(1, hall, officer)
    assert services.ticket_call_next(actor=officer, counter=ctx).called.id == p1.id
    HallSettings.objects.filter(hall=hall.hall).update(priority_every=0)
    r2, p2 = issue(hall), issue(hall, priority_reason="bayi")
    got = []
    for _ in range(3):
        ctx = fresh(ctx, officer)
        got.append(services.ticket_call_next(actor=officer, counter=ctx).called.id)
    assert got == [r1.id, r2.id, p2.id]


def test_closed_counter_cannot_call_and_nothing_changes(hall, people):
    officer = people["agency_officer"]
    issue(hall)
    ctx = access_counter_by_id(user=officer, counter_id=hall.counters[1].pk)
    with pytest.raises(DomainError) as err:
        services.ticket_call_next(actor=officer, counter=ctx)
    assert err.value.code == "counter_closed"
    open_counter(1, hall, officer)
    services.counter_set_status(actor=officer, counter=fresh(ctx, officer), status="paused")
    with pytest.raises(DomainError):
        services.ticket_call_next(actor=officer, counter=fresh(ctx, officer))
    assert Ticket.objects.get().status == "waiting"


def test_stale_counter_state_is_refused(hall, people):
    officer = people["agency_officer"]
    issue(hall)
    issue(hall)
    ctx = open_counter(1, hall, officer)
    services.ticket_call_next(actor=officer, counter=ctx)
    with pytest.raises(DomainError) as err:  # the same page clicked twice
        services.ticket_call_next(actor=officer, counter=ctx)
    assert err.value.code == "counter_busy"
    assert Ticket.objects.filter(status="called").count() == 1


def test_counter_flow_recall_start_finish_and_next_finishes_current(hall, people):
    officer = people["agency_officer"]
    t1, t2, t3 = issue(hall), issue(hall), issue(hall)
    ctx = open_counter(1, hall, officer)
    services.ticket_call_next(actor=officer, counter=ctx)
    services.ticket_recall(actor=officer, counter=ctx)
    services.ticket_recall(actor=officer, counter=ctx)
    ticket = services.ticket_start(actor=officer, counter=ctx)
    assert (ticket.status, ticket.recall_count) == ("serving", 2)
    with pytest.raises(DomainError):
        services.ticket_recall(actor=officer, counter=ctx)
    done = services.ticket_finish(actor=officer, counter=ctx)
    assert done.status == "done" and done.finished_at >= done.served_at
    services.ticket_call_next(actor=officer, counter=fresh(ctx, officer))
    result = services.ticket_call_next(actor=officer, counter=fresh(ctx, officer))
    assert result.finished_id == t2.id and result.called.id == t3.id
    kinds = list(
        QueueEvent.objects.filter(ticket_id=t1.id).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["issued", "called", "recalled", "recalled", "started", "finished"]


def test_no_show_only_for_called_ticket(hall, people):
    officer = people["agency_officer"]
    issue(hall)
    ctx = open_counter(1, hall, officer)
    with pytest.raises(DomainError) as err:
        services.ticket_skip(actor=officer, counter=ctx)
    assert err.value.code == "no_current_ticket"
    services.ticket_call_next(actor=officer, counter=ctx)
    ticket = services.ticket_skip(actor=officer, counter=ctx)
    assert ticket.status == "no_show"
    # a no-show cannot be closed over: the counter is free again
    services.counter_set_status(actor=officer, counter=fresh(ctx, officer), status="closed")


def test_call_specific_ticket(hall, people):
    officer = people["agency_officer"]
    t1, t2 = issue(hall), issue(hall)
    ctx = open_counter(1, hall, officer)
    got = services.ticket_call(actor=officer, counter=ctx, ticket_id=t2.id)
    assert (got.status, got.counter_id) == ("called", hall.counters[1].pk)
    with pytest.raises(DomainError) as err:
        services.ticket_call(actor=officer, counter=fresh(ctx, officer), ticket_id=t2.id)
    assert err.value.code == "not_waiting"
    assert services.ticket_call_next(actor=officer, counter=fresh(ctx, officer)).called.id == t1.id


def test_transfer_to_other_group_keeps_place_at_front(hall, people):
    officer = people["agency_officer"]
    b_waiting = issue(hall, hall.group_b)
    a1 = issue(hall)
    ctx = open_counter(1, hall, officer)
    services.ticket_call_next(actor=officer, counter=ctx)
    with pytest.raises(DomainError) as err:
        services.ticket_transfer(actor=officer, counter=ctx, to_group_id=999999, reason="")
    assert {e.field for e in err.value.errors} == {"reason", "to_group_id"}
    assert Ticket.objects.get(pk=a1.id).status == "called"
    successor = services.ticket_transfer(
        actor=officer,
        counter=ctx,
        to_group_id=hall.group_b.pk,
        reason="Perlu surat keterangan sehat",
    )
    assert (successor.letter, successor.number) == ("B", 2)
    old = Ticket.objects.get(pk=a1.id)
    assert old.status == "transferred" and old.transferred_to.pk == successor.id
    new = Ticket.objects.get(pk=successor.id)
    assert (new.priority_reason, new.source) == ("pindahan", "transfer")
    # Counter 3 (group B) with the strict rule: the transferred ticket goes before B-001.
    HallSettings.objects.update_or_create(hall=hall.hall, defaults={"priority_every": 1})
    b_officer = UserFactory(
        username="dinkes1",
        role="agency_officer",
        region=people["agency_officer"].region,
        agency=hall.group_b.agency,
    )
    ctx3 = open_counter(3, hall, b_officer)
    assert services.ticket_call_next(actor=b_officer, counter=ctx3).called.id == successor.id
    assert Ticket.objects.get(pk=b_waiting.id).status == "waiting"


def test_cancel_waiting_ticket(hall, people):
    t = issue(hall)
    ticket = Ticket.objects.get(pk=t.id)
    services.ticket_cancel(actor=people["front_desk"], ticket=ticket)
    with pytest.raises(DomainError):
        services.ticket_cancel(actor=people["front_desk"], ticket=ticket)
    assert Ticket.objects.get(pk=t.id).status == "cancelled"


def test_closing_with_ticket_at_counter_is_refused(hall, people):
    officer = people["agency_officer"]
    issue(hall)
    ctx = open_counter(1, hall, officer)
    services.ticket_call_next(actor=officer, counter=ctx)
    with pytest.raises(DomainError) as err:
        services.counter_set_status(actor=officer, counter=fresh(ctx, officer), status="closed")
    assert err.value.code == "ticket_at_counter"
    assert fresh(ctx, officer).status == "open"


def test_events_are_sealed_into_the_audit_chain(hall, people):
    officer = people["agency_officer"]
    issue(hall)
    issue(hall)
    ctx = open_counter(1, hall, officer)
    services.ticket_call_next(actor=officer, counter=ctx)
    before = AuditEntry.objects.count()
    sealed = services.queue_events_seal()
    assert sealed == 3
    assert AuditEntry.objects.count() == before + 3
    assert not QueueEvent.objects.filter(sealed_seq=None).exists()
    entry = AuditEntry.objects.filter(action="queue.ticket_called").get()
    assert entry.summary["ticket"] == "A-001" and entry.actor_label == officer.username
    assert entry.region_code == "35.10"
    # an ordinary audit_record after the batch still chains on
    services.counter_set_status(actor=officer, counter=fresh(ctx, officer), status="open")
    assert services.queue_events_seal() == 0
    assert verify_chain().ok


# --- bookings ---------------------------------------------------------------------

MONDAY = "2026-03-09"  # a working day


def book(hall, *, start="09:00", date=MONDAY, now=None, phone="081234567890", name="Siti"):
    return services.booking_create(
        actor=None,
        hall=hall.hall,
        service=hall.service_a,
        date=dt.date.fromisoformat(date),
        start=dt.time.fromisoformat(start),
        name=name,
        phone=phone,
        now=now or at("2026-03-06", "10:00"),
    )


def test_booking_capacity_per_slot(hall):
    from terpadu.queueing.models import BookingCapacity

    BookingCapacity.objects.create(
        hall=hall.hall, service=hall.service_a, slot_minutes=30, capacity=2
    )
    book(hall)
    book(hall)
    with pytest.raises(DomainError) as err:
        book(hall)
    assert err.value.code == "slot_full"
    assert Booking.objects.count() == 2
    assert BookingSlot.objects.get().booked == 2
    assert book(hall, start="09:30").status == "booked"


def test_booking_bad_input_changes_nothing(hall):
    with pytest.raises(DomainError) as err:
        book(hall, date="2026-03-05")  # in the past
    assert err.value.errors[0].field == "date"
    with pytest.raises(DomainError) as err:
        book(hall, start="09:10")  # not a slot start
    assert err.value.errors[0].field == "start"
    with pytest.raises(DomainError) as err:
        book(hall, date="2026-03-08")  # Sunday
    assert err.value.errors[0].field == "date"
    with pytest.raises(DomainError) as err:
        book(hall, phone="12345", name=" ")
    assert {e.field for e in err.value.errors} == {"phone", "name"}
    assert not Booking.objects.exists() and not BookingSlot.objects.exists()


def test_checkin_window_and_ticket(hall):
    b = book(hall)
    with pytest.raises(DomainError) as err:
        services.booking_checkin(actor=None, hall=hall.hall, code=b.code, now=at(MONDAY, "08:29"))
    assert err.value.code == "too_early"
    booking, issued = services.booking_checkin(
        actor=None, hall=hall.hall, code=b.code.lower(), now=at(MONDAY, "08:45")
    )
    assert booking.status == "checked_in" and booking.ticket_id == issued.id
    ticket = Ticket.objects.get(pk=issued.id)
    assert (ticket.source, ticket.priority_reason, ticket.letter) == ("booking", "janji", "A")
    with pytest.raises(DomainError) as err:
        services.booking_checkin(actor=None, hall=hall.hall, code=b.code, now=at(MONDAY, "08:46"))
    assert err.value.code == "not_bookable"
    late = book(hall, start="10:00")
    with pytest.raises(DomainError) as err:
        services.booking_checkin(
            actor=None, hall=hall.hall, code=late.code, now=at(MONDAY, "10:16")
        )
    assert err.value.code == "too_late"


def test_cancelled_booking_frees_slot_and_cannot_check_in(hall):
    from terpadu.queueing.models import BookingCapacity

    BookingCapacity.objects.create(hall=hall.hall, service=hall.service_a, capacity=1)
    b = book(hall)
    services.booking_cancel(actor=None, booking=b)
    with pytest.raises(DomainError) as err:
        services.booking_checkin(actor=None, hall=hall.hall, code=b.code, now=at(MONDAY, "09:00"))
    assert err.value.code == "not_bookable"
    assert not Ticket.objects.exists()
    book(hall)  # the slot is free again
    with pytest.raises(DomainError):
        services.booking_cancel(actor=None, booking=b)


def test_no_show_after_window(hall):
    b1 = book(hall, start="09:00")
    b2 = book(hall, start="10:00")
    assert services.bookings_mark_no_show(now=at(MONDAY, "09:16")) == 1
    assert Booking.objects.get(pk=b1.pk).status == "no_show"
    assert Booking.objects.get(pk=b2.pk).status == "booked"
    assert services.bookings_mark_no_show(now=at(MONDAY, "09:30")) == 0


def test_prefer_priority_rule_is_pure():
    from terpadu.queueing.hotpath import prefer_priority

    assert [prefer_priority(calls_before=n, priority_every=3) for n in range(6)] == [
        False,
        False,
        True,
        False,
        False,
        True,
    ]
    assert not any(prefer_priority(calls_before=n, priority_every=0) for n in range(4))
    assert all(prefer_priority(calls_before=n, priority_every=1) for n in range(4))


def test_tickets_left_waiting_yesterday_are_cancelled_not_called_this_morning(hall, people):
    officer = people["agency_officer"]
    yesterday = issue(hall, now=at("2026-03-02", "15:50"))
    today = issue(hall, now=at("2026-03-03", "07:30"))
    closed = services.tickets_close_past_days(now=at("2026-03-03", "00:10"))
    assert closed == 1
    assert Ticket.objects.get(pk=yesterday.id).status == Ticket.Status.CANCELLED
    assert Ticket.objects.get(pk=today.id).status == Ticket.Status.WAITING
    event = QueueEvent.objects.get(ticket_id=yesterday.id, kind="cancelled")
    assert event.data == {"reason": "day_closed"}
    assert services.tickets_close_past_days(now=at("2026-03-03", "00:20")) == 0
    ctx = open_counter(1, hall, officer)
    assert services.ticket_call_next(actor=officer, counter=ctx).called.id == today.id
