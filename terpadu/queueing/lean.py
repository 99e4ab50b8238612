"""The queue's hot endpoints on the lean WSGI path (``terpadu/core/fastpath.py``).

The same URLs, rules and answers as the Django views and API operations they
shadow (tests compare them), without Django's request cycle:

* ``POST /api/v1/queue/halls/<id>/tickets`` — issue (kiosk, hall systems);
* ``POST /api/v1/queue/counters/<id>/call-next`` — call next;
* ``GET /api/v1/queue/halls/<id>/board`` — the hall TV's poll (ETag → 304);
* ``GET /antrean/tiket/<token>/`` with ``HX-Request`` — the phone's status poll (ETag → 304).

The POSTs take bearer tokens only (the same one-query lookup as the API,
``apiauth.token_user``): a browser session, which needs Django's CSRF check, goes
to Django, as does anything unusual (no token, an unknown token, a body that is
not the expected JSON) — all before anything is written. Domain errors are
answered here with the API's error body; audit is unchanged (every state change
writes its ``QueueEvent`` in the same statement, sealed by the worker).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from terpadu.core.errors import DomainError, NotFound
from terpadu.core.fastpath import Answer, Request, Route, json_answer
from terpadu.queueing import selectors, services, ticketpage
from terpadu.queueing.access import may_issue, may_operate_counter
from terpadu.queueing.apiauth import token_user_and_counter, token_user_and_hall
from terpadu.queueing.hotpath import IssuedTicket


def _opt_int(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _error(exc: DomainError) -> Answer:
    return json_answer(exc.as_dict(), status=exc.status)


def issued_out(issued: IssuedTicket) -> dict[str, Any]:
    """An issued ticket as JSON, for this path and the API alike (its schema reads the day)."""
    return {
        "id": issued.id,
        "label": f"{issued.letter}-{issued.number:03d}",
        "letter": issued.letter,
        "number": issued.number,
        "day": issued.day.isoformat(),
        "token": issued.token,
        "url": f"{settings.BASE_URL}/antrean/tiket/{issued.token}/",
    }


def issue(request: Request, hall_id: str) -> Answer | None:
    raw = request.bearer()
    data = request.json_object() if raw else None
    if raw is None or data is None or "notify_phone" in data:
        return None  # a ticket with a "3rd in line" message is Django's (rare, two writes)
    group_id = data.get("group_id")
    service_id = data.get("service_id")
    reason = data.get("priority_reason", "")
    source = data.get("source", "api")
    if not (
        _opt_int(group_id)
        and _opt_int(service_id)
        and isinstance(reason, str)
        and isinstance(source, str)
    ):
        return None  # Django's schema answers 422
    user, hall = token_user_and_hall(raw, int(hall_id))
    if user is None:
        return None  # Django answers 401
    try:
        if hall is None or not may_issue(user, hall):
            raise NotFound("hall")
        issued = services.ticket_issue(
            actor=user,
            hall=hall,
            group_id=group_id,
            service_id=service_id,
            priority_reason=reason,
            source=source,
        )
    except DomainError as exc:
        return _error(exc)
    return json_answer(issued_out(issued), status=201)


def call_next(request: Request, counter_id: str) -> Answer | None:
    raw = request.bearer()
    if raw is None:
        return None
    user, ctx = token_user_and_counter(raw, int(counter_id))
    if user is None:
        return None  # Django answers 401
    try:
        if ctx is None or not may_operate_counter(user, ctx):
            raise NotFound("counter")
        result = services.ticket_call_next(actor=user, counter=ctx)
    except DomainError as exc:
        return _error(exc)
    return json_answer(result.as_json(counter_number=ctx.number))


def board(request: Request, hall_id: str) -> Answer | None:
    head = selectors.board_head(int(hall_id))
    if head is None:
        return None  # Django answers 404
    headers = [("ETag", head.etag), ("Cache-Control", "no-cache")]
    if request.header("HTTP_IF_NONE_MATCH") == head.etag:
        return Answer(status=304, headers=headers)
    return json_answer(selectors.board(int(hall_id), head=head), headers=headers)


def ticket_poll(request: Request, token: str) -> Answer | None:
    if request.header("HTTP_HX_REQUEST") != "true":
        return None  # the full page (base template, session) is Django's
    state = ticketpage.ticket_state(token)
    if state is None:
        return None  # Django's 404 page
    tag = ticketpage.etag(state, request.language)
    headers = [("ETag", tag), *ticketpage.POLL_HEADERS]
    if request.header("HTTP_IF_NONE_MATCH") == tag:
        return Answer(status=304, headers=headers)
    return Answer(
        status=200,
        body=ticketpage.fragment(state).encode(),
        content_type="text/html; charset=utf-8",
        headers=headers,
    )


ROUTES = [
    Route("POST", re.compile(r"/api/v1/queue/halls/(?P<hall_id>[0-9]{1,18})/tickets"), issue),
    Route(
        "POST",
        re.compile(r"/api/v1/queue/counters/(?P<counter_id>[0-9]{1,18})/call-next"),
        call_next,
    ),
    Route("GET", re.compile(r"/api/v1/queue/halls/(?P<hall_id>[0-9]{1,18})/board"), board),
    Route("GET", re.compile(r"/antrean/tiket/(?P<token>[A-Za-z0-9_-]{1,64})/"), ticket_poll),
]
# /antrean/tiket/<token>/status.json (one indexed read) stays on Django's full stack:
# it is the benchmark's baseline, "a bare endpoint doing one indexed read" (issue 4),
# measured the same way in every run since the first.
