"""Who may operate a counter, issue tickets in a hall, or open a booking.

* A counter staffed by an agency: that agency's officers and head, and the hall's
  supervisors and administrators. A counter without an agency (the MPP front
  office): front-desk staff, supervisors, administrators.
* Issuing tickets (kiosk, front desk): front-desk staff, supervisors,
  administrators of the hall's region — or a kiosk device holding the hall's
  kiosk key (a signed cookie, see views.kiosk_unlock).
* Missing and not-yours get the same :class:`NotFound`.

The counter check is on the hot path: one query joins counter, hall, region,
counter state and hall settings (:func:`counter_context`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from terpadu.accounts.models import AGENCY_ROLES, Role
from terpadu.accounts.scope import region_allows, region_q
from terpadu.catalog.models import Hall
from terpadu.core.errors import NotFound
from terpadu.core.models import Region
from terpadu.queueing.models import Booking, HallSettings, Ticket

DEFAULT_PRIORITY_EVERY: int = HallSettings._meta.get_field("priority_every").default  # type: ignore[assignment]

HALL_OPERATORS = frozenset({Role.FRONT_DESK, Role.SUPERVISOR, Role.ADMIN})
COUNTER_SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True)
class CounterContext:
    """A counter with what the hot path needs about it (read in one query)."""

    id: int
    number: int
    name: str
    hall_id: int
    hall_name: str
    agency_id: int | None
    group_id: int | None
    is_active: bool
    region_id: int
    region_code: str
    status: str  # open / paused / closed ("closed" when no state row yet)
    calls: int
    officer_id: int | None
    priority_every: int

    @property
    def label(self) -> str:
        return f"Loket {self.number}"


COUNTER_COLUMNS = (
    "c.id, c.number, c.name, c.hall_id, h.name, c.agency_id, c.counter_group_id, c.is_active, "
    "h.region_id, r.code, s.status, s.calls, s.officer_id, hs.priority_every"
)
COUNTER_JOINS = """
JOIN catalog_hall h ON h.id = c.hall_id
JOIN core_region r ON r.id = h.region_id
LEFT JOIN queueing_counterstate s ON s.counter_id = c.id
LEFT JOIN queueing_hallsettings hs ON hs.hall_id = c.hall_id
"""
_COUNTER_SQL = f"SELECT {COUNTER_COLUMNS} FROM catalog_counter c {COUNTER_JOINS} WHERE c.id = %s"  # noqa: S608


def counter_from_row(row: Any) -> CounterContext:
    return CounterContext(
        id=row[0],
        number=row[1],
        name=row[2],
        hall_id=row[3],
        hall_name=row[4],
        agency_id=row[5],
        group_id=row[6],
        is_active=bool(row[7]),
        region_id=row[8],
        region_code=row[9],
        status=row[10] or "closed",
        calls=row[11] or 0,
        officer_id=row[12],
        priority_every=DEFAULT_PRIORITY_EVERY if row[13] is None else row[13],
    )


def counter_context(counter_id: int) -> CounterContext | None:
    with connection.cursor() as cursor:
        cursor.execute(_COUNTER_SQL, [counter_id])
        row = cursor.fetchone()
    return None if row is None else counter_from_row(row)


def _in_region(user: Any, region_id: int, region_code: str) -> bool:
    if getattr(user, "region_id", None) == region_id:
        return True
    return region_allows(user, region_code)


def may_operate_counter(user: Any, ctx: CounterContext) -> bool:
    if not getattr(user, "is_authenticated", False) or not ctx.is_active:
        return False
    if not _in_region(user, ctx.region_id, ctx.region_code):
        return False
    if user.is_superuser or user.role in COUNTER_SUPERVISORS:
        return True
    if user.role in AGENCY_ROLES:
        return ctx.agency_id is not None and ctx.agency_id == user.agency_id
    if user.role == Role.FRONT_DESK:
        return ctx.agency_id is None
    return False


def access_counter_by_id(*, user: Any, counter_id: int) -> CounterContext:
    """The counter if this user may operate it; otherwise NotFound (the same as a missing id)."""
    ctx = counter_context(counter_id)
    if ctx is None or not may_operate_counter(user, ctx):
        raise NotFound("counter")
    return ctx


def may_issue(user: Any, hall: Hall) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if not _in_region(user, hall.region_id, hall.region.code):
        return False
    return user.is_superuser or user.role in HALL_OPERATORS


_HALL_SQL = (
    "SELECT h.id, h.region_id, h.code, h.name, r.code FROM catalog_hall h "
    "JOIN core_region r ON r.id = h.region_id WHERE h.id = %s"
)


def hall_from_row(row: Any) -> Hall:
    """A hall from (id, region id, code, name, region code); only what access and issue read."""
    hall = Hall(id=row[0], region_id=row[1], code=row[2], name=row[3])
    hall.region = Region(id=row[1], code=row[4])  # only the code is read
    return hall


def hall_for_issue(*, user: Any, hall_id: int) -> Hall:
    """``access_hall_by_id(for_issue=True)`` in one raw query (the issue hot path)."""
    with connection.cursor() as cursor:
        cursor.execute(_HALL_SQL, [hall_id])
        row = cursor.fetchone()
    if row is None:
        raise NotFound("hall")
    hall = hall_from_row(row)
    if not may_issue(user, hall):
        raise NotFound("hall")
    return hall


def halls_for_user(user: Any) -> Any:
    """Halls a staff member works in (their region's)."""
    if not getattr(user, "is_authenticated", False) or user.role == Role.CITIZEN:
        return Hall.objects.none()
    return Hall.objects.filter(region_q(user)).select_related("region")


def access_hall_by_id(*, user: Any, hall_id: int, for_issue: bool = False) -> Hall:
    hall = Hall.objects.select_related("region").filter(pk=hall_id).first()
    if hall is None:
        raise NotFound("hall")
    if for_issue and not may_issue(user, hall):
        raise NotFound("hall")
    if not for_issue and not halls_for_user(user).filter(pk=hall_id).exists():
        raise NotFound("hall")
    return hall


def access_ticket_by_id(*, user: Any, ticket_id: int) -> Ticket:
    """A ticket for hall staff (front desk, supervisors) or an officer of a counter of its group."""
    ticket = Ticket.objects.select_related("hall__region", "group").filter(pk=ticket_id).first()
    if ticket is None or not getattr(user, "is_authenticated", False):
        raise NotFound("ticket")
    if not _in_region(user, ticket.hall.region_id, ticket.hall.region.code):
        raise NotFound("ticket")
    if user.is_superuser or user.role in HALL_OPERATORS:
        return ticket
    if user.role in AGENCY_ROLES and ticket.group.counters.filter(agency=user.agency_id).exists():
        return ticket
    raise NotFound("ticket")


def access_booking_by_token(*, token: str) -> Booking:
    """A booking by its secret link (the citizen's own page)."""
    booking = (
        Booking.objects.select_related("hall", "service", "ticket").filter(token=token).first()
        if token
        else None
    )
    if booking is None:
        raise NotFound("booking")
    return booking
