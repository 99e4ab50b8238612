"""API shapes of the hall e-queue."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class TicketIn(Schema):
    group_id: int | None = None
    service_id: int | None = None
    priority_reason: str = ""
    source: str = "api"
    notify_phone: str = Field(
        "",
        description="Nomor HP untuk satu pesan ketika tiket tinggal 3 antrean lagi (opsional) / "
        "a mobile number for one message when the ticket is 3rd in line (optional)",
    )
    notify_channel: str = Field("whatsapp", description="whatsapp | sms")


class TicketIssuedOut(Schema):
    id: int
    label: str
    letter: str
    number: int
    day: dt.date
    token: str
    url: str


class TicketOut(Schema):
    label: str
    status: str
    status_label: str
    hall: str
    group: str
    position: int | None
    wait_minutes: int | None
    counter_number: int | None
    issued_at: dt.datetime
    called_at: dt.datetime | None
    transferred_from: list[str]


class CalledOut(Schema):
    id: int
    label: str
    token: str
    priority: bool


class CallOut(Schema):
    called: CalledOut | None
    finished_id: int | None
    counter_number: int


class CallTicketIn(Schema):
    ticket_id: int


class TicketStateOut(Schema):
    id: int
    label: str
    status: str
    recall_count: int


class TransferIn(Schema):
    to_group_id: int
    reason: str
    to_front: bool = True


class CounterStatusIn(Schema):
    status: str  # open / paused / closed
    note: str = ""


class CounterStatusOut(Schema):
    counter_number: int
    status: str
    note: str


class BoardCallOut(Schema):
    event: int
    ticket: str
    counter: int
    recall: bool
    speech: str


class BoardCounterOut(Schema):
    number: int
    name: str
    status: str
    ticket: str | None


class BoardGroupOut(Schema):
    letter: str
    name: str
    waiting: int


class BoardOut(Schema):
    hall: str
    version: int
    calls: list[BoardCallOut]
    counters: list[BoardCounterOut]
    groups: list[BoardGroupOut]
    at: str


class SlotOut(Schema):
    start: dt.time
    capacity: int
    booked: int
    available: int


class BookingIn(Schema):
    service_id: int
    date: dt.date
    start: dt.time
    name: str
    phone: str


class BookingOut(Schema):
    code: str
    token: str
    status: str
    service: str
    date: dt.date
    start: dt.time
    checkin_opens: dt.datetime
    checkin_closes: dt.datetime
    url: str


class CheckinIn(Schema):
    code: str


class CheckinOut(Schema):
    booking_code: str
    ticket: TicketIssuedOut
