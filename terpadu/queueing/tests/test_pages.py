"""Pages: kiosk, printable ticket, live ticket page, board, console, front desk, bookings, home cards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from terpadu.queueing import services
from terpadu.queueing.models import Booking, CounterState, Ticket
from terpadu.queueing.tests.conftest import open_counter

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def test_kiosk_needs_staff_or_kiosk_key(hall, people):
    url = f"/antrean/{hall.hall.pk}/kios/"
    assert client_for().get(url).status_code == 404
    assert client_for(people["citizen"]).get(url).status_code == 404
    assert client_for(people["agency_officer"]).get(url).status_code == 404
    page = client_for(people["front_desk"]).get(url)
    assert page.status_code == 200
    assert "Kependudukan" in page.content.decode() and "Lanjut usia" in page.content.decode()

    device = client_for()
    assert device.get(f"/antrean/{hall.hall.pk}/kios/buka/?kunci=salah").status_code == 404
    key = services.hall_settings(hall.hall).kiosk_key
    assert device.get(f"/antrean/{hall.hall.pk}/kios/buka/?kunci={key}").status_code == 302
    assert device.get(url).status_code == 200
    response = device.post(url, {"group_id": hall.group_b.pk, "prioritas": "ibu_hamil"})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/antrean/tiket/{ticket.token}/cetak/?dari=kios&cetak=1"
    assert (ticket.label, ticket.priority_reason, ticket.source) == ("B-001", "ibu_hamil", "kiosk")


def test_kiosk_bad_choice_issues_nothing(hall, people):
    client = client_for(people["front_desk"])
    url = f"/antrean/{hall.hall.pk}/kios/"
    assert client.post(url, {"group_id": "abc"}).status_code == 400
    assert client.post(url, {"group_id": 999999}).status_code == 400
    assert client.post(url, {"group_id": hall.group_a.pk, "prioritas": "janji"}).status_code == 400
    assert not Ticket.objects.exists()


def test_printable_ticket_has_qr_to_live_page_in_two_widths(hall, settings):
    issued = services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    page = client_for().get(f"/antrean/tiket/{issued.token}/cetak/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "A-001" in html and "<svg" in html and "ticket-58.css" in html
    assert "style=" not in html and "<script>" not in html
    wide = client_for().get(f"/antrean/tiket/{issued.token}/cetak/?lebar=80").content.decode()
    assert "ticket-80.css" in wide
    assert client_for().get("/antrean/tiket/bukan-token/cetak/").status_code == 404


def test_live_ticket_page_position_then_called(hall, people):
    officer = people["agency_officer"]
    services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    mine = services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    url = f"/antrean/tiket/{mine.token}/"
    html = client_for().get(url).content.decode()
    assert "A-002" in html and "Antrean di depan Anda" in html
    ctx = open_counter(2, hall, officer)
    services.ticket_call(actor=officer, counter=ctx, ticket_id=mine.id)
    fragment = client_for().get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Dipanggil ke loket 2" in fragment
    assert "<html" not in fragment


def test_live_page_follows_a_transfer(hall, people):
    officer = people["agency_officer"]
    mine = services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    ctx = open_counter(1, hall, officer)
    services.ticket_call_next(actor=officer, counter=ctx)
    services.ticket_transfer(
        actor=officer, counter=ctx, to_group_id=hall.group_b.pk, reason="Surat sehat"
    )
    html = client_for().get(f"/antrean/tiket/{mine.token}/").content.decode()
    assert "B-001" in html and "Dipindahkan dari A-001" in html


def test_board_page_shows_calls_without_js(hall, people):
    officer = people["agency_officer"]
    services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    ctx = open_counter(1, hall, officer)
    services.ticket_call_next(actor=officer, counter=ctx)
    html = client_for().get(f"/antrean/{hall.hall.pk}/papan/").content.decode()
    assert "A-001" in html and "Loket 1" in html
    assert 'http-equiv="refresh"' in html and "board.js" in html
    assert "style=" not in html


def test_console_flow_through_forms(hall, people):
    officer = people["agency_officer"]
    client = client_for(officer)
    counter = hall.counters[1].pk
    base = f"/kantor/loket/{counter}/"
    services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    page = client.get(base)
    assert page.status_code == 200 and "Panggil berikutnya" not in page.content.decode()
    # calling on a closed counter: a clear message, nothing changes
    refused = client.post(base + "panggil/")
    assert refused.status_code == 409
    assert "Loket sedang tutup" in refused.content.decode()
    assert Ticket.objects.get().status == "waiting"
    assert client.post(base + "status/", {"status": "open"}).status_code == 302
    assert client.post(base + "panggil/").status_code == 302
    html = client.get(base).content.decode()
    assert "A-001" in html and 'accesskey="u"' in html
    for action in ("ulang", "mulai", "selesai"):
        assert client.post(base + action + "/").status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.recall_count) == ("done", 1)
    empty = client.post(base + "panggil/", follow=True).content.decode()
    assert "Tidak ada antrean yang menunggu" in empty


def test_console_transfer_form_errors_change_nothing(hall, people):
    officer = people["agency_officer"]
    client = client_for(officer)
    base = f"/kantor/loket/{hall.counters[1].pk}/"
    services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    ctx = open_counter(1, hall, officer)
    services.ticket_call_next(actor=officer, counter=ctx)
    bad = client.post(base + "pindah/", {"to_group_id": "999999", "reason": ""})
    assert bad.status_code == 400
    assert "Kelompok loket tujuan tidak ditemukan" in bad.content.decode()
    assert Ticket.objects.get().status == "called"
    ok = client.post(base + "pindah/", {"to_group_id": hall.group_b.pk, "reason": "Salah loket"})
    assert ok.status_code == 302 and "B-001" in client.get(ok["Location"]).content.decode()


def test_htmx_errors_are_swapped_with_200(hall, people):
    client = client_for(people["agency_officer"])
    response = client.post(f"/kantor/loket/{hall.counters[1].pk}/panggil/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Loket sedang tutup" in response.content.decode()


def test_console_waiting_fragment(hall, people):
    officer = people["agency_officer"]
    services.ticket_issue(
        actor=None, hall=hall.hall, group_id=hall.group_a.pk, priority_reason="lansia"
    )
    html = (
        client_for(officer)
        .get(f"/kantor/loket/{hall.counters[1].pk}/?bagian=menunggu")
        .content.decode()
    )
    assert 'id="menunggu"' in html and "A-001" in html and "Lanjut usia" in html
    assert "<html" not in html


def test_front_desk_issues_and_sees_overview(hall, people):
    client = client_for(people["front_desk"])
    url = f"/kantor/antrean/{hall.hall.pk}/"
    response = client.post(url, {"group_id": hall.group_b.pk, "priority_reason": "disabilitas"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nomor B-001 diberikan" in html
    assert Ticket.objects.get().source == "front_desk"
    bad = client.post(url, {"group_id": "", "priority_reason": "x"})
    assert bad.status_code == 400 and Ticket.objects.count() == 1
    # officers see the overview but cannot issue; another regency's staff cannot see it
    officer_page = client_for(people["agency_officer"]).get(url)
    assert officer_page.status_code == 200 and "Ambilkan nomor" not in officer_page.content.decode()
    assert (
        client_for(people["agency_officer"]).post(url, {"group_id": hall.group_a.pk}).status_code
        == 404
    )
    assert client_for(people["citizen"]).get(url).status_code == 404


def test_booking_pages_book_and_cancel(hall, people):
    client = client_for()
    url = f"/antrean/{hall.hall.pk}/janji/"
    assert "KTP elektronik" in client.get(url).content.decode()
    days = client.get(url + f"?layanan={hall.service_a.pk}").content.decode()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    day = next(
        d
        for d in (tomorrow + dt.timedelta(days=i) for i in range(7))
        if d.weekday() < 5 and d.isoformat() in days
    )
    step = url + f"?layanan={hall.service_a.pk}&tanggal={day.isoformat()}"
    assert "09.00" in client.get(step).content.decode()
    bad = client.post(step, {"start": "09:00", "name": "", "phone": "12"})
    assert bad.status_code == 400 and not Booking.objects.exists()
    ok = client.post(step, {"start": "09:00", "name": "Siti Aminah", "phone": "0812 3456 7890"})
    assert ok.status_code == 302
    booking = Booking.objects.get()
    detail = client.get(ok["Location"]).content.decode()
    assert booking.code in detail and "Batalkan" in detail
    assert client.post(ok["Location"]).status_code == 302
    assert Booking.objects.get().status == "cancelled"
    assert client.post(ok["Location"]).status_code == 409


def test_kiosk_checkin_by_code(hall, people):
    now = timezone.now()
    start = (now + dt.timedelta(minutes=10)).astimezone(services.LOCAL_TZ)
    # book directly in a slot starting within the window (a 10-minute slot rule)
    services.hall_settings(hall.hall)
    from terpadu.queueing.models import BookingSlot

    slot = BookingSlot.objects.create(
        hall=hall.hall,
        service=hall.service_a,
        date=start.date(),
        start=start.time().replace(microsecond=0),
        capacity=1,
        booked=1,
    )
    booking = Booking.objects.create(
        hall=hall.hall,
        service=hall.service_a,
        slot=slot,
        date=slot.date,
        start=slot.start,
        code="KODEUJI7",
        token="t" * 24,
        name="Budi",
        phone="081234567890",
    )
    client = client_for(people["front_desk"])
    wrong = client.post(f"/antrean/{hall.hall.pk}/kios/checkin/", {"kode": "TIDAKADA"})
    assert wrong.status_code == 404 and "tidak ditemukan" in wrong.content.decode()
    ok = client.post(f"/antrean/{hall.hall.pk}/kios/checkin/", {"kode": "kodeuji7"})
    assert ok.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "checked_in" and booking.ticket.source == "booking"


def test_home_cards_per_role(hall, people):
    officer = people["agency_officer"]
    open_counter(2, hall, officer)
    html = client_for(officer).get("/beranda/").content.decode()
    assert "Loket saya" in html and f"/kantor/loket/{hall.counters[2].pk}/" in html
    desk = client_for(people["front_desk"]).get("/beranda/").content.decode()
    assert "Antrean hari ini: MPP Banyuwangi" in desk
    sup = client_for(people["supervisor"]).get("/beranda/").content.decode()
    assert "Ringkasan gedung: MPP Banyuwangi" in sup
    citizen = client_for(people["citizen"]).get("/beranda/").content.decode()
    assert f"/antrean/{hall.hall.pk}/janji/" in citizen
    assert CounterState.objects.get().officer == officer


def test_ticket_status_json_is_one_indexed_read(hall, people, django_assert_num_queries):
    issued = services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    client = client_for()
    with django_assert_num_queries(1):
        body = client.get(f"/antrean/tiket/{issued.token}/status.json").json()
    assert body == {"label": "A-001", "status": "waiting", "counter_number": None}
    assert client.get("/antrean/tiket/nope/status.json").status_code == 404


def test_admin_lists_tickets_read_only_and_hall_rules(hall, people):
    services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    services.hall_settings(hall.hall)
    admin = client_for(people["admin"])
    admin.force_login(people["admin"])
    people["admin"].is_superuser = True
    people["admin"].save(update_fields=["is_superuser"])
    assert "A-001" in admin.get("/admin/queueing/ticket/").content.decode()
    assert admin.get("/admin/queueing/ticket/add/").status_code == 403
    assert admin.get("/admin/queueing/hallsettings/").status_code == 200
