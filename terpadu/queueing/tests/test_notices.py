""" "Your turn is near": one WhatsApp/SMS through the outbox when a ticket is 3rd in line; booking
rate limit per address; the hall settings' time defaults pass Django's checks at any time of day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from terpadu.core.errors import DomainError
from terpadu.notifications.models import Outbox
from terpadu.queueing import services
from terpadu.queueing.access import access_counter_by_id
from terpadu.queueing.models import Booking, HallSettings, Ticket, TicketNotice

from .conftest import open_counter

pytestmark = pytest.mark.django_db

PHONE = "0812-3456-7890"
FULL = "+6281234567890"


def issue(hall, people, n: int) -> list:
    return [
        services.ticket_issue(actor=people["front_desk"], hall=hall.hall, group_id=hall.group_a.pk)
        for _ in range(n)
    ]


def test_one_message_when_third_in_line_and_the_number_is_erased(hall, people):
    tickets = issue(hall, people, 6)
    notice = services.ticket_notice_set(ticket_id=tickets[5].id, phone=PHONE, channel="whatsapp")
    assert (notice.phone, notice.masked) == (FULL, "+62••••••••890")
    assert services.queue_notices_due() == 0  # five before it
    officer = people["agency_officer"]
    ctx = open_counter(1, hall, officer)
    for _ in range(3):
        ctx = access_counter_by_id(user=officer, counter_id=ctx.id)
        services.ticket_call_next(actor=officer, counter=ctx)
    assert services.queue_notices_due() == 1  # two before it: 3rd in line
    message = Outbox.objects.get()
    assert (message.channel, message.recipient) == ("whatsapp", FULL)
    assert "A-006" in message.body and "tinggal 2 nomor" in message.body
    assert message.idempotency_key == f"queue-soon-{tickets[5].id}"
    notice.refresh_from_db()
    assert notice.phone == "" and notice.queued_at is not None and notice.masked.endswith("890")
    # the worker runs again, the queue moves again: still one message
    ctx = access_counter_by_id(user=officer, counter_id=ctx.id)
    services.ticket_call_next(actor=officer, counter=ctx)
    assert services.queue_notices_due() == 0
    assert Outbox.objects.count() == 1


def test_never_for_a_called_or_cancelled_ticket(hall, people):
    tickets = issue(hall, people, 5)
    services.ticket_notice_set(ticket_id=tickets[3].id, phone=PHONE, channel="sms")
    services.ticket_notice_set(ticket_id=tickets[4].id, phone="081299998888", channel="sms")
    officer = people["agency_officer"]
    ctx = open_counter(1, hall, officer)
    for _ in range(4):  # the queue moves faster than the worker: A-004 is called already
        ctx = access_counter_by_id(user=officer, counter_id=ctx.id)
        services.ticket_call_next(actor=officer, counter=ctx)
    Ticket.objects.filter(pk=tickets[4].id).update(status=Ticket.Status.CANCELLED)
    assert services.queue_notices_due() == 0
    assert not Outbox.objects.exists()
    for notice in TicketNotice.objects.all():
        assert notice.ended and notice.phone == "" and notice.queued_at is None


def test_bad_number_or_a_ticket_not_waiting_is_refused(hall, people):
    first, second = issue(hall, people, 2)
    with pytest.raises(DomainError) as err:
        services.ticket_notice_set(ticket_id=first.id, phone="12345", channel="whatsapp")
    assert err.value.errors[0].field == "phone" and "081234567890" in err.value.errors[0].message
    with pytest.raises(DomainError) as err:
        services.ticket_notice_set(ticket_id=first.id, phone=PHONE, channel="merpati")
    assert err.value.errors[0].field == "channel"
    Ticket.objects.filter(pk=second.id).update(status=Ticket.Status.DONE)
    with pytest.raises(DomainError) as err:
        services.ticket_notice_set(ticket_id=second.id, phone=PHONE, channel="sms")
    assert err.value.code == "not_waiting"
    assert not TicketNotice.objects.exists()


def test_ticket_page_form_and_officer_sees_the_number_masked(hall, people):
    tickets = issue(hall, people, 4)
    page = Client(HTTP_HOST="127.0.0.1")
    url = f"/antrean/tiket/{tickets[3].token}/"
    assert "Beri tahu saya lewat pesan" in page.get(url).content.decode()
    bad = page.post(f"{url}pemberitahuan/", {"hp": "08", "saluran": "whatsapp"})
    assert bad.status_code == 400 and "Nomor HP tidak valid" in bad.content.decode()
    good = page.post(f"{url}pemberitahuan/", {"hp": PHONE, "saluran": "whatsapp"})
    assert good.status_code == 302 and good["Location"].endswith("?pemberitahuan=1")
    assert "+62••••••••890" in page.get(url).content.decode()
    officer = Client(HTTP_HOST="127.0.0.1")
    officer.force_login(people["agency_officer"])
    console = officer.get(f"/kantor/loket/{hall.counters[1].pk}/").content.decode()
    assert "+62••••••••890" in console and FULL not in console and "7890" not in console


def test_kiosk_takes_a_number_and_a_bad_one_issues_nothing(hall, people):
    kiosk = Client(HTTP_HOST="127.0.0.1")
    kiosk.force_login(people["front_desk"])
    url = f"/antrean/{hall.hall.pk}/kios/"
    bad = kiosk.post(url, {"group_id": hall.group_a.pk, "hp": "0812", "saluran": "whatsapp"})
    assert bad.status_code == 400 and "Nomor HP tidak valid" in bad.content.decode()
    assert not Ticket.objects.exists()
    ok = kiosk.post(url, {"group_id": hall.group_a.pk, "hp": PHONE, "saluran": "sms"})
    assert ok.status_code == 302
    notice = TicketNotice.objects.select_related("ticket").get()
    assert (notice.ticket.label, notice.channel, notice.phone) == ("A-001", "sms", FULL)


def test_public_bookings_are_limited_per_address(hall, regions):
    from terpadu.queueing.selectors import bookable_days

    day = bookable_days(hall.hall)[1]
    api = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="203.0.113.7")
    url = f"/api/v1/queue/halls/{hall.hall.pk}/bookings"
    starts = [f"{h:02d}:{m:02d}" for h in range(8, 14) for m in (0, 30)]

    def book(client: Client, start: str):
        return client.post(
            url,
            {
                "service_id": hall.service_a.pk,
                "date": day.isoformat(),
                "start": start,
                "name": "Siti",
                "phone": "081234567890",
            },
            content_type="application/json",
        )

    for start in starts[: services.PUBLIC_BOOKINGS_PER_HOUR]:
        assert book(api, start).status_code == 201
    refused = book(api, starts[-1])
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "rate_limited" and "Terlalu banyak janji temu" in body["detail"]
    assert Booking.objects.count() == services.PUBLIC_BOOKINGS_PER_HOUR
    # the address itself is not kept, only a keyed hash; another address may book
    assert not Booking.objects.filter(source_key__contains="203.0.113.7").exists()
    other = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="198.51.100.2")
    assert book(other, starts[-1]).status_code == 201


def test_hall_settings_time_defaults_pass_the_checks_at_any_time(monkeypatch):
    from django.db.models import fields

    for hhmm in ((8, 0, 3), (14, 0, 3)):  # within Django's ten seconds of each default
        instant = dt.datetime.combine(dt.date(2026, 3, 9), dt.time(*hhmm))
        monkeypatch.setattr(fields, "_get_naive_now", lambda instant=instant: instant)
        warnings = [w.id for w in HallSettings.check()]
        assert "fields.W161" not in warnings, hhmm
    rules = HallSettings()
    assert (rules.booking_start, rules.booking_end) == (dt.time(8, 0), dt.time(14, 0))


def test_api_issue_can_ask_for_the_message_and_a_bad_number_saves_nothing(hall, people):
    from terpadu.accounts.services import api_token_create

    token = api_token_create(user=people["front_desk"], name="kios")
    kiosk = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/queue/halls/{hall.hall.pk}/tickets"
    bad = kiosk.post(
        url,
        {"group_id": hall.group_a.pk, "notify_phone": "12345"},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422)
    assert bad.json()["errors"][0]["field"] == "phone"
    assert not Ticket.objects.exists() and not TicketNotice.objects.exists()
    got = kiosk.post(
        url,
        {"group_id": hall.group_a.pk, "notify_phone": PHONE, "notify_channel": "sms"},
        content_type="application/json",
    )
    assert got.status_code == 201 and got.json()["label"] == "A-001"
    notice = TicketNotice.objects.get(ticket_id=got.json()["id"])
    assert (notice.phone, notice.channel, notice.masked) == (FULL, "sms", "+62••••••••890")
