"""API /api/v1/queue/…: issue, call, counter actions, board ETag, bookings; access gives one 404 for missing and not-yours."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from terpadu.accounts.services import api_token_create
from terpadu.queueing import services
from terpadu.queueing.models import Ticket

pytestmark = pytest.mark.django_db

API = "/api/v1/queue"


def bearer(user) -> Client:
    token = api_token_create(user=user, name="uji")
    return Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_issue_call_and_read_ticket(hall, people):
    desk = bearer(people["front_desk"])
    officer = bearer(people["agency_officer"])
    issued = desk.post(
        f"{API}/halls/{hall.hall.pk}/tickets",
        {"service_id": hall.service_a.pk, "priority_reason": "lansia"},
        content_type="application/json",
    )
    assert issued.status_code == 201
    body = issued.json()
    assert body["label"] == "A-001" and body["url"].endswith(f"/antrean/tiket/{body['token']}/")
    counter = hall.counters[1].pk
    closed = officer.post(f"{API}/counters/{counter}/call-next")
    assert closed.status_code == 409 and closed.json()["code"] == "counter_closed"
    opened = officer.post(
        f"{API}/counters/{counter}/status", {"status": "open"}, content_type="application/json"
    )
    assert opened.json() == {"counter_number": 1, "status": "open", "note": ""}
    called = officer.post(f"{API}/counters/{counter}/call-next").json()
    assert called["called"]["label"] == "A-001" and called["counter_number"] == 1
    public = Client(HTTP_HOST="127.0.0.1").get(f"{API}/tickets/{body['token']}").json()
    assert (public["status"], public["counter_number"]) == ("called", 1)
    for action, status in (("recall", "called"), ("start", "serving"), ("finish", "done")):
        got = officer.post(f"{API}/counters/{counter}/{action}")
        assert got.status_code == 200 and got.json()["status"] == status
    empty = officer.post(f"{API}/counters/{counter}/call-next").json()
    assert empty["called"] is None
    assert Client(HTTP_HOST="127.0.0.1").get(f"{API}/tickets/nope").status_code == 404


def test_bad_input_gets_field_errors_and_changes_nothing(hall, people):
    desk = bearer(people["front_desk"])
    officer = bearer(people["agency_officer"])
    url = f"{API}/halls/{hall.hall.pk}/tickets"
    assert (
        desk.post(url, {"group_id": 999999}, content_type="application/json").json()["errors"][0][
            "field"
        ]
        == "group_id"
    )
    assert desk.post(url, {"group_id": "x"}, content_type="application/json").status_code == 422
    assert desk.post(url, {}, content_type="application/json").status_code == 422
    assert not Ticket.objects.exists()
    services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    counter = hall.counters[1].pk
    officer.post(
        f"{API}/counters/{counter}/status", {"status": "open"}, content_type="application/json"
    )
    officer.post(f"{API}/counters/{counter}/call-next")
    bad = officer.post(
        f"{API}/counters/{counter}/transfer",
        {"to_group_id": 424242, "reason": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "to_group_id"
    assert Ticket.objects.get().status == "called"
    skip = officer.post(f"{API}/counters/{counter}/skip")
    assert skip.json()["status"] == "no_show"
    again = officer.post(f"{API}/counters/{counter}/skip")
    assert again.status_code == 409 and again.json()["code"] == "no_current_ticket"
    wrong_status = officer.post(
        f"{API}/counters/{counter}/status", {"status": "lunch"}, content_type="application/json"
    )
    assert wrong_status.status_code == 400


def test_same_404_for_missing_and_other_agencys_counter_html_and_api(hall, people):
    officer = people["agency_officer"]  # Dukcapil: counters 1 and 2
    api = bearer(officer)
    other = hall.counters[3].pk  # Dinkes
    missing = 987654
    html = Client(HTTP_HOST="127.0.0.1")
    html.force_login(officer)
    answers = []
    for counter in (other, missing):
        page = html.get(f"/kantor/loket/{counter}/")
        post = html.post(f"/kantor/loket/{counter}/panggil/")
        call = api.post(f"{API}/counters/{counter}/call-next")
        answers.append((page.status_code, post.status_code, call.status_code, call.json()))
    assert answers[0] == answers[1]
    assert answers[0][:3] == (404, 404, 404)
    # front desk: only the MPP's own counter (no agency)
    desk = bearer(people["front_desk"])
    assert desk.post(f"{API}/counters/{hall.counters[1].pk}/call-next").status_code == 404
    assert desk.post(f"{API}/counters/{hall.counters[9].pk}/call-next").status_code == 409
    # supervisors operate any counter of their regency; Jember staff see none
    assert bearer(people["supervisor"]).post(f"{API}/counters/{other}/call-next").status_code == 409
    from terpadu.core.testing import UserFactory

    jember = UserFactory(
        role="supervisor", region=people["province_supervisor"].region.children.get(code="35.09")
    )
    assert bearer(jember).post(f"{API}/counters/{other}/call-next").status_code == 404
    assert (
        bearer(people["province_supervisor"]).post(f"{API}/counters/{other}/call-next").status_code
        == 409
    )
    # citizens and anonymous callers
    assert bearer(people["citizen"]).post(f"{API}/counters/{other}/call-next").status_code == 404
    assert (
        Client(HTTP_HOST="127.0.0.1").post(f"{API}/counters/{other}/call-next").status_code == 401
    )


def test_issue_needs_hall_staff(hall, people):
    url = f"{API}/halls/{hall.hall.pk}/tickets"
    payload = {"group_id": hall.group_a.pk}
    for role in ("citizen", "agency_officer", "field_worker"):
        assert (
            bearer(people[role]).post(url, payload, content_type="application/json").status_code
            == 404
        )
    assert (
        bearer(people["supervisor"]).post(url, payload, content_type="application/json").status_code
        == 201
    )
    assert (
        Client(HTTP_HOST="127.0.0.1")
        .post(url, payload, content_type="application/json")
        .status_code
        == 401
    )


def test_board_etag(hall, people):
    client = Client(HTTP_HOST="127.0.0.1")
    url = f"{API}/halls/{hall.hall.pk}/board"
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.ticket_issue(actor=None, hall=hall.hall, group_id=hall.group_a.pk)
    officer = people["agency_officer"]
    from terpadu.queueing.tests.conftest import open_counter

    ctx = open_counter(1, hall, officer)
    services.ticket_call_next(actor=officer, counter=ctx)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    data = changed.json()
    assert data["calls"][0]["ticket"] == "A-001"
    assert data["calls"][0]["speech"] == "Nomor antrean A satu, silakan menuju loket satu"
    assert {"letter": "A", "name": "Kependudukan", "waiting": 0} in data["groups"]
    assert client.get(f"{API}/halls/999999/board").status_code == 404


def test_booking_api_create_slots_cancel_checkin(hall, people):
    client = Client(HTTP_HOST="127.0.0.1")
    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    slots = client.get(
        f"{API}/halls/{hall.hall.pk}/slots?service_id={hall.service_a.pk}&date={day}"
    )
    assert slots.status_code == 200 and slots.json()[0]["available"] == 4
    payload = {
        "service_id": hall.service_a.pk,
        "date": day.isoformat(),
        "start": "08:00",
        "name": "Siti",
        "phone": "081234567890",
    }
    created = client.post(
        f"{API}/halls/{hall.hall.pk}/bookings", payload, content_type="application/json"
    )
    assert created.status_code == 201
    booking = created.json()
    assert len(booking["code"]) == 8 and booking["status"] == "booked"
    again = client.get(
        f"{API}/halls/{hall.hall.pk}/slots?service_id={hall.service_a.pk}&date={day}"
    )
    assert again.json()[0]["booked"] == 1
    past = client.post(
        f"{API}/halls/{hall.hall.pk}/bookings",
        {**payload, "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert past.status_code == 400 and past.json()["errors"][0]["field"] == "date"
    cancelled = client.post(f"{API}/bookings/{booking['token']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    checkin = bearer(people["front_desk"]).post(
        f"{API}/halls/{hall.hall.pk}/checkin",
        {"code": booking["code"]},
        content_type="application/json",
    )
    assert checkin.status_code == 409 and checkin.json()["code"] == "not_bookable"
    assert not Ticket.objects.exists()
    assert client.post(f"{API}/bookings/nope/cancel").status_code == 404


def test_openapi_operation_ids(hall):
    schema = Client(HTTP_HOST="127.0.0.1").get("/api/v1/openapi.json").json()
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    expected = {
        "queue_ticket_issue",
        "queue_ticket_get",
        "queue_call_next",
        "queue_call_ticket",
        "queue_recall",
        "queue_skip",
        "queue_transfer",
        "queue_start",
        "queue_finish",
        "queue_counter_pause",
        "queue_board",
        "queue_booking_create",
        "queue_booking_cancel",
        "queue_booking_checkin",
        "queue_slots",
    }
    assert expected <= ids


def test_fast_bearer_follows_the_foundation_rule(hall, people):
    from django.utils import timezone as tz

    from terpadu.accounts.models import ApiToken
    from terpadu.accounts.services import api_token_user
    from terpadu.queueing.apiauth import token_user

    officer = people["agency_officer"]
    raw = api_token_create(user=officer, name="uji")
    fast, slow = token_user(raw), api_token_user(raw)
    assert fast is not None and slow is not None
    for field in ("pk", "username", "role", "region_id", "agency_id", "is_superuser", "is_active"):
        assert getattr(fast, field) == getattr(slow, field)
    assert fast.email == slow.email  # other fields load on demand
    assert token_user("tpd_salah") is None
    url = f"{API}/counters/{hall.counters[1].pk}/call-next"
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.post(url).status_code == 409  # authenticated; counter closed
    ApiToken.objects.update(revoked_at=tz.now())
    assert token_user(raw) is None and client.post(url).status_code == 401
    ApiToken.objects.update(revoked_at=None)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert token_user(raw) is None and client.post(url).status_code == 401
