"""The lean WSGI path (core/fastpath.py + queueing/lean.py) answers as the Django views it shadows.

Each request goes through the real WSGI application twice: once through the
lean dispatcher, once straight to Django's handler (as with ``TERPADU_LEAN=0``);
status, body and the security headers must agree, and whatever the lean path
does not take (sessions, bad input, unknown tokens, disallowed hosts, plain HTTP
under the HTTPS redirect) must reach Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from terpadu.accounts.services import api_token_create
from terpadu.core.fastpath import LeanDispatcher, collect_routes
from terpadu.queueing import services
from terpadu.queueing.models import QueueEvent, Ticket

from .conftest import open_counter

pytestmark = pytest.mark.django_db

API = "/api/v1/queue"
SECURITY = {
    "content-security-policy",
    "permissions-policy",
    "cross-origin-opener-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "content-language",
}


@dataclass
class Got:
    status: int
    headers: dict[str, str]
    body: bytes
    lean: bool

    def json(self) -> Any:
        return json.loads(self.body)


class Wsgi:
    """Calls the WSGI application the way a server does."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.app = LeanDispatcher(self.django, collect_routes())
        self.factory = RequestFactory()

    def call(self, method: str, path: str, *, lean: bool = True, **kw: Any) -> Got:
        data = kw.pop("data", None)
        headers = {"HTTP_HOST": "127.0.0.1", **kw}
        if method == "POST":
            request = self.factory.post(
                path,
                data=json.dumps(data) if data is not None else "",
                content_type="application/json",
                **headers,
            )
        else:
            request = self.factory.get(path, **headers)
        environ = request.environ
        seen: dict[str, Any] = {}

        def start_response(status: str, head: list[tuple[str, str]], exc_info: Any = None) -> None:
            seen["status"] = int(status.split(" ", 1)[0])
            seen["headers"] = {k.lower(): v for k, v in head}

        handled = [False]
        target = self.app if lean else self.django
        if lean:
            original = self.django

            def spy(env: dict[str, Any], sr: Any) -> Any:
                handled[0] = True
                return original(env, sr)

            self.app.app = spy
        body = b"".join(target(environ, start_response))
        if lean:
            self.app.app = self.django
        return Got(seen["status"], seen["headers"], body, lean and not handled[0])


@pytest.fixture
def wsgi(monkeypatch) -> Wsgi:
    """As Django's test client does: the test's transaction keeps its connection open."""
    from django.core import signals
    from django.db import close_old_connections

    from terpadu.core import fastpath

    monkeypatch.setattr(fastpath, "close_old_connections", lambda: None)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield Wsgi()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_issue_and_call_next_answer_as_the_api(wsgi, hall, people):
    desk = f"Bearer {api_token_create(user=people['front_desk'], name='kios')}"
    officer_user = people["agency_officer"]
    officer = f"Bearer {api_token_create(user=officer_user, name='loket')}"
    url = f"{API}/halls/{hall.hall.pk}/tickets"
    lean = wsgi.call("POST", url, data={"group_id": hall.group_a.pk}, HTTP_AUTHORIZATION=desk)
    django = wsgi.call(
        "POST", url, lean=False, data={"group_id": hall.group_a.pk}, HTTP_AUTHORIZATION=desk
    )
    assert lean.lean and lean.status == django.status == 201
    assert set(lean.json()) == set(django.json())
    assert (lean.json()["label"], django.json()["label"]) == ("A-001", "A-002")
    assert lean.json()["day"] == django.json()["day"]
    assert set(lean.headers) >= SECURITY and set(django.headers) >= SECURITY
    for name in SECURITY:
        assert lean.headers[name] == django.headers[name], name

    call = f"{API}/counters/{hall.counters[1].pk}/call-next"
    closed_lean = wsgi.call("POST", call, HTTP_AUTHORIZATION=officer)
    closed_django = wsgi.call("POST", call, lean=False, HTTP_AUTHORIZATION=officer)
    assert closed_lean.lean and closed_lean.status == closed_django.status == 409
    assert closed_lean.json() == closed_django.json()
    open_counter(1, hall, officer_user)
    got = wsgi.call("POST", call, HTTP_AUTHORIZATION=officer)
    assert got.lean and got.status == 200
    assert got.json()["called"]["label"] == "A-001" and got.json()["counter_number"] == 1
    again = wsgi.call("POST", call, lean=False, HTTP_AUTHORIZATION=officer).json()
    assert (
        again["called"]["label"] == "A-002" and again["finished_id"] == got.json()["called"]["id"]
    )
    assert set(again) == set(got.json())
    # another agency's counter: the same 404 as a missing one, from both paths
    other = f"{API}/counters/{hall.counters[3].pk}/call-next"
    for lean_flag in (True, False):
        denied = wsgi.call("POST", other, lean=lean_flag, HTTP_AUTHORIZATION=officer)
        assert denied.status == 404 and denied.json()["code"] == "not_found"
    assert QueueEvent.objects.filter(kind="called").count() == 2


def test_what_the_lean_path_leaves_to_django(wsgi, hall, people, settings):
    desk = f"Bearer {api_token_create(user=people['front_desk'], name='kios')}"
    url = f"{API}/halls/{hall.hall.pk}/tickets"
    # no token (a browser session needs Django's CSRF check), an unknown token, odd bodies
    anonymous = wsgi.call("POST", url, data={"group_id": hall.group_a.pk})
    assert not anonymous.lean and anonymous.status == 403 and "CSRF" in anonymous.json()["detail"]
    unknown = wsgi.call(
        "POST", url, data={"group_id": hall.group_a.pk}, HTTP_AUTHORIZATION="Bearer nope"
    )
    assert not unknown.lean and unknown.status == 403  # Django's answer (session auth, CSRF)
    odd = wsgi.call("POST", url, data={"group_id": "satu"}, HTTP_AUTHORIZATION=desk)
    assert not odd.lean and odd.status == 422 and odd.json()["errors"][0]["field"] == "group_id"
    as_text = wsgi.call(
        "POST", url, data={"group_id": str(hall.group_a.pk)}, HTTP_AUTHORIZATION=desk
    )
    assert not as_text.lean and as_text.status == 201  # Django's schema coerces "12"
    missing = wsgi.call("POST", url, data={"group_id": 999999}, HTTP_AUTHORIZATION=desk)
    assert (
        missing.lean
        and missing.status == 400
        and missing.json()["errors"][0]["field"] == "group_id"
    )
    # a host Django refuses, and plain HTTP when HTTPS is required
    refused = wsgi.call(
        "POST",
        url,
        data={"group_id": hall.group_a.pk},
        HTTP_AUTHORIZATION=desk,
        HTTP_HOST="evil.example",
    )
    assert not refused.lean and refused.status == 400
    settings.SECURE_SSL_REDIRECT = True
    wsgi = Wsgi()  # Django's middleware reads the setting when it is built
    redirected = wsgi.call("POST", url, data={"group_id": hall.group_a.pk}, HTTP_AUTHORIZATION=desk)
    assert not redirected.lean and redirected.status == 301
    settings.SECURE_SSL_REDIRECT = False
    assert Ticket.objects.count() == 1  # only the coerced one


def test_board_poll_etag_and_body(wsgi, hall, people):
    officer = people["agency_officer"]
    ctx = open_counter(1, hall, officer)
    services.ticket_issue(actor=people["front_desk"], hall=hall.hall, group_id=hall.group_a.pk)
    services.ticket_call_next(actor=officer, counter=ctx)
    url = f"{API}/halls/{hall.hall.pk}/board"
    lean = wsgi.call("GET", url)
    django = wsgi.call("GET", url, lean=False)
    assert lean.lean and lean.status == django.status == 200
    assert lean.headers["etag"] == django.headers["etag"]
    a, b = lean.json(), django.json()
    a.pop("at"), b.pop("at")
    assert a == b and a["calls"][0]["ticket"] == "A-001" and a["counters"][0]["ticket"] == "A-001"
    same = wsgi.call("GET", url, HTTP_IF_NONE_MATCH=lean.headers["etag"])
    assert same.lean and same.status == 304 and same.body == b""
    # a counter pausing changes the board without a ticket event
    services.ticket_finish(actor=officer, counter=ctx)
    finished = wsgi.call("GET", url, HTTP_IF_NONE_MATCH=lean.headers["etag"])
    assert finished.status == 200
    from terpadu.queueing.access import access_counter_by_id

    ctx = access_counter_by_id(user=officer, counter_id=ctx.id)
    services.counter_set_status(actor=officer, counter=ctx, status="paused")
    paused = wsgi.call("GET", url, HTTP_IF_NONE_MATCH=finished.headers["etag"])
    assert paused.status == 200 and paused.json()["counters"][0]["status"] == "paused"
    assert wsgi.call("GET", f"{API}/halls/999999/board").status == 404


def test_phone_poll_fragment_etag_and_language(wsgi, hall, people):
    issued = services.ticket_issue(
        actor=people["front_desk"], hall=hall.hall, group_id=hall.group_a.pk
    )
    url = f"/antrean/tiket/{issued.token}/"
    lean = wsgi.call("GET", url, HTTP_HX_REQUEST="true")
    django = wsgi.call("GET", url, lean=False, HTTP_HX_REQUEST="true")
    assert lean.lean and lean.status == django.status == 200
    assert lean.body == django.body and b"Antrean di depan Anda" in lean.body
    assert lean.headers["etag"] == django.headers["etag"]
    assert "HX-Request" in lean.headers["vary"]
    same = wsgi.call("GET", url, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=lean.headers["etag"])
    assert same.lean and same.status == 304
    english = wsgi.call(
        "GET",
        url,
        HTTP_HX_REQUEST="true",
        HTTP_COOKIE="terpadu_lang=en",
        HTTP_IF_NONE_MATCH=lean.headers["etag"],
    )
    assert english.status == 200 and b"Ahead of you in the queue" in english.body
    assert english.headers["content-language"] == "en"
    # called: the block changes, so does the ETag
    ctx = open_counter(1, hall, people["agency_officer"])
    services.ticket_call_next(actor=people["agency_officer"], counter=ctx)
    called = wsgi.call("GET", url, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=lean.headers["etag"])
    assert called.status == 200 and b"Dipanggil ke loket 1" in called.body
    # the full page (no htmx) is Django's, with the same block inside
    page = wsgi.call("GET", url)
    assert not page.lean and page.status == 200 and called.body in page.body
    assert wsgi.call("GET", "/antrean/tiket/tidak-ada/", HTTP_HX_REQUEST="true").status == 404


def test_routes_match_django_urls(wsgi, hall, people):
    from django.urls import resolve

    issued = services.ticket_issue(
        actor=people["front_desk"], hall=hall.hall, group_id=hall.group_a.pk
    )
    # the benchmark's baseline (one indexed read) stays on Django's full stack
    status = wsgi.call("GET", f"/antrean/tiket/{issued.token}/status.json")
    assert not status.lean
    assert status.json() == {"label": "A-001", "status": "waiting", "counter_number": None}
    shadowed = {
        f"{API}/halls/1/tickets": "ticket_issue",  # django-ninja names URLs by function
        f"{API}/counters/1/call-next": "call_next",
        f"{API}/halls/1/board": "board",
        "/antrean/tiket/abc/": "queue_ticket",
    }
    routes = collect_routes()
    assert len(routes) == len(shadowed)
    for path, name in shadowed.items():
        assert resolve(path).url_name == name
        assert sum(1 for r in routes if r.pattern.fullmatch(path)) == 1, path
