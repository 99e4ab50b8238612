"""Queue API (/api/v1/queue/…): kiosks and hall systems issue and call; citizens read and book.

Officer endpoints use ``AUTH`` (bearer token or session); a counter another
agency staffs answers 404, the same as a missing one. The ticket, board and
booking endpoints are public (``auth=None``); the board answers ``304`` to a
matching ``If-None-Match``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router
from ninja.responses import Status

from terpadu.catalog.models import Hall, Service
from terpadu.core.errors import NotFound
from terpadu.core.http import client_address
from terpadu.queueing import selectors, services
from terpadu.queueing.access import (
    access_booking_by_token,
    access_counter_by_id,
    access_hall_by_id,
    hall_for_issue,
)
from terpadu.queueing.apiauth import AUTH
from terpadu.queueing.lean import issued_out
from terpadu.queueing.schemas import (
    BoardOut,
    BookingIn,
    BookingOut,
    CallOut,
    CallTicketIn,
    CheckinIn,
    CheckinOut,
    CounterStatusIn,
    CounterStatusOut,
    SlotOut,
    TicketIn,
    TicketIssuedOut,
    TicketOut,
    TicketStateOut,
    TransferIn,
)

PREFIX = "/queue"
router = Router(tags=["queue"])


def _public_hall(hall_id: int) -> Hall:
    hall = Hall.objects.select_related("region").filter(pk=hall_id).first()
    if hall is None:
        raise NotFound("hall")
    return hall


@router.post(
    "/halls/{hall_id}/tickets",
    response={201: TicketIssuedOut},
    operation_id="queue_ticket_issue",
    auth=AUTH,
)
def ticket_issue(request: HttpRequest, hall_id: int, payload: TicketIn) -> Status:
    hall = hall_for_issue(user=request.user, hall_id=hall_id)
    issued = services.ticket_issue_with_notice(
        actor=request.user,
        hall=hall,
        group_id=payload.group_id,
        service_id=payload.service_id,
        priority_reason=payload.priority_reason,
        source=payload.source,
        notify_phone=payload.notify_phone,
        notify_channel=payload.notify_channel,
    )
    return Status(201, issued_out(issued))


@router.get("/tickets/{token}", response=TicketOut, operation_id="queue_ticket_get", auth=None)
def ticket_get(request: HttpRequest, token: str) -> dict[str, Any]:
    found = selectors.ticket_public(token)
    if found is None:
        raise NotFound("ticket")
    return found.as_dict()


@router.post(
    "/counters/{counter_id}/call-next",
    response=CallOut,
    operation_id="queue_call_next",
    auth=AUTH,
)
def call_next(request: HttpRequest, counter_id: int) -> dict[str, Any]:
    ctx = access_counter_by_id(user=request.user, counter_id=counter_id)
    result = services.ticket_call_next(actor=request.user, counter=ctx)
    return result.as_json(counter_number=ctx.number)


def _state(ticket: Any) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "label": ticket.label,
        "status": ticket.status,
        "recall_count": ticket.recall_count,
    }


@router.post(
    "/counters/{counter_id}/call",
    response=TicketStateOut,
    operation_id="queue_call_ticket",
    auth=AUTH,
)
def call_ticket(request: HttpRequest, counter_id: int, payload: CallTicketIn) -> dict[str, Any]:
    ctx = access_counter_by_id(user=request.user, counter_id=counter_id)
    return _state(
        services.ticket_call(actor=request.user, counter=ctx, ticket_id=payload.ticket_id)
    )


@router.post(
    "/counters/{counter_id}/recall",
    response=TicketStateOut,
    operation_id="queue_recall",
    auth=AUTH,
)
def recall(request: HttpRequest, counter_id: int) -> dict[str, Any]:
    ctx = access_counter_by_id(user=request.user, counter_id=counter_id)
    return _state(services.ticket_recall(actor=request.user, counter=ctx))


@router.post(
    "/counters/{counter_id}/skip", response=TicketStateOut, operation_id="queue_skip", auth=AUTH
)
def skip(request: HttpRequest, counter_id: int) -> dict[str, Any]:
    ctx = access_counter_by_id(user=request.user, counter_id=counter_id)
    return _state(services.ticket_skip(actor=request.user, counter=ctx))


@router.post(
    "/counters/{counter_id}/start", response=TicketStateOut, operation_id="queue_start", auth=AUTH
)
def start(request: HttpRequest, counter_id: int) -> dict[str, Any]:
    ctx = access_counter_by_id(user=request.user, counter_id=counter_id)
    return _state(services.ticket_start(actor=request.user, counter=ctx))


@router.post(
    "/counters/{counter_id}/finish",
    response=TicketStateOut,
    operation_id="queue_finish",
    auth=AUTH,
)
def finish(request: HttpRequest, counter_id: int) -> dict[str, Any]:
    ctx = access_counter_by_id(user=request.user, counter_id=counter_id)
    return _state(services.ticket_finish(actor=request.user, counter=ctx))


@router.post(
    "/counters/{counter_id}/transfer",
    response={201: TicketIssuedOut},
    operation_id="queue_transfer",
    auth=AUTH,
)
def transfer(request: HttpRequest, counter_id: int, payload: TransferIn) -> Status:
    ctx = access_counter_by_id(user=request.user, counter_id=counter_id)
    successor = services.ticket_transfer(
        actor=request.user,
        counter=ctx,
        to_group_id=payload.to_group_id,
        reason=payload.reason,
        to_front=payload.to_front,
    )
    return Status(201, issued_out(successor))


@router.post(
    "/counters/{counter_id}/status",
    response=CounterStatusOut,
    operation_id="queue_counter_pause",
    auth=AUTH,
)
def counter_status(
    request: HttpRequest, counter_id: int, payload: CounterStatusIn
) -> dict[str, Any]:
    ctx = access_counter_by_id(user=request.user, counter_id=counter_id)
    state = services.counter_set_status(
        actor=request.user, counter=ctx, status=payload.status, note=payload.note
    )
    return {"counter_number": ctx.number, "status": state.status, "note": state.note}


@router.get(
    "/halls/{hall_id}/board",
    response={200: BoardOut, 304: None},
    operation_id="queue_board",
    auth=None,
)
def board(request: HttpRequest, hall_id: int) -> Any:
    head = selectors.board_head(hall_id)
    if head is None:
        raise NotFound("hall")
    if request.headers.get("If-None-Match") == head.etag:
        response = HttpResponse(status=304)
        response["ETag"] = head.etag
        return response
    data = selectors.board(hall_id, head=head)
    response = JsonResponse(BoardOut(**data).model_dump(mode="json"))
    response["ETag"] = head.etag
    response["Cache-Control"] = "no-cache"
    return response


@router.get("/halls/{hall_id}/slots", response=list[SlotOut], operation_id="queue_slots", auth=None)
def slots(request: HttpRequest, hall_id: int, service_id: int, date: dt.date) -> list[Any]:
    hall = _public_hall(hall_id)
    service = Service.objects.filter(pk=service_id, booking_available=True).first()
    if service is None:
        raise NotFound("service")
    return [
        {"start": s.start, "capacity": s.capacity, "booked": s.booked, "available": s.available}
        for s in selectors.slots(hall=hall, service=service, date=date)
    ]


def booking_out(booking: Any) -> dict[str, Any]:
    view = selectors.booking_view(booking)
    return {
        "code": booking.code,
        "token": booking.token,
        "status": booking.status,
        "service": booking.service.name,
        "date": booking.date,
        "start": booking.start,
        "checkin_opens": view["checkin_opens"],
        "checkin_closes": view["checkin_closes"],
        "url": f"{settings.BASE_URL}/antrean/janji/{booking.token}/",
    }


@router.post(
    "/halls/{hall_id}/bookings",
    response={201: BookingOut},
    operation_id="queue_booking_create",
    auth=None,
)
def booking_create(request: HttpRequest, hall_id: int, payload: BookingIn) -> Status:
    hall = _public_hall(hall_id)
    service = Service.objects.filter(pk=payload.service_id).first()
    if service is None:
        raise NotFound("service")
    booking = services.booking_create(
        actor=request.user,
        hall=hall,
        service=service,
        date=payload.date,
        start=payload.start,
        name=payload.name,
        phone=payload.phone,
        source_key=services.address_key(client_address(request)),
    )
    return Status(201, booking_out(booking))


@router.post(
    "/bookings/{token}/cancel",
    response=BookingOut,
    operation_id="queue_booking_cancel",
    auth=None,
)
def booking_cancel(request: HttpRequest, token: str) -> dict[str, Any]:
    booking = access_booking_by_token(token=token)
    return booking_out(services.booking_cancel(actor=request.user, booking=booking))


@router.post(
    "/halls/{hall_id}/checkin",
    response={201: CheckinOut},
    operation_id="queue_booking_checkin",
    auth=AUTH,
)
def booking_checkin(request: HttpRequest, hall_id: int, payload: CheckinIn) -> Status:
    hall = access_hall_by_id(user=request.user, hall_id=hall_id, for_issue=True)
    booking, issued = services.booking_checkin(actor=request.user, hall=hall, code=payload.code)
    return Status(201, {"booking_code": booking.code, "ticket": issued_out(issued)})
