"""The public tracking page's reads in plain SQL (the busiest public page; see docs/applications.md).

Three small indexed reads — the failure counters, the application with its service,
agency and region, its timeline — without the ORM's per-query compilation, which was
most of the page's CPU. Same results as the ORM queries they replace (tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from terpadu.applications.models import Application
from terpadu.catalog.models import Service
from terpadu.core.models import Agency, Region


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without declared-type conversion
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def failure_counts(pairs: list[tuple[str, datetime]]) -> dict[str, int]:
    """``{key: count}`` of the tracking counters for (key, window start) pairs."""
    if not pairs:
        return {}
    where = " OR ".join(['("key" = %s AND window_start = %s)'] * len(pairs))
    params: list[Any] = []
    for key, start in pairs:
        params += [key, connection.ops.adapt_datetimefield_value(start)]
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "key", "count" FROM applications_trackingcounter WHERE {where}',  # noqa: S608
            params,
        )
        return {str(k): int(c) for k, c in cursor.fetchall()}


_APPLICATION_SQL = """
SELECT a.id, a.code, a.status, a.applicant_name, a.applicant_nik, a.applicant_phone,
       a.service_id, a.agency_id, a.submitted_at, a.due_at, a.completed_at,
       s.name, g.name, g.short_name, g.calendar_id, g.region_id, r.code
FROM applications_application a
JOIN catalog_service s ON s.id = a.service_id
JOIN core_agency g ON g.id = a.agency_id
JOIN core_region r ON r.id = g.region_id
WHERE a.code = %s AND a.status <> 'draf'
"""


def application_by_code(code: str) -> Application | None:
    """The submitted application with this code, its service name and agency (unsaved objects
    filled from one row: only what the tracking page reads)."""
    with connection.cursor() as cursor:
        cursor.execute(_APPLICATION_SQL, [code])
        row = cursor.fetchone()
    if row is None:
        return None
    (
        pk,
        code_,
        status,
        name,
        nik,
        phone,
        service_id,
        agency_id,
        submitted_at,
        due_at,
        completed_at,
        service_name,
        agency_name,
        agency_short,
        calendar_id,
        region_id,
        region_code,
    ) = row
    region = Region(id=region_id, code=region_code)
    agency = Agency(
        id=agency_id,
        name=agency_name,
        short_name=agency_short,
        calendar_id=calendar_id,
        region_id=region_id,
    )
    agency.region = region
    service = Service(id=service_id, name=service_name)
    application = Application(
        id=pk,
        code=code_,
        status=status,
        applicant_name=name,
        applicant_nik=nik,
        applicant_phone=phone,
        service_id=service_id,
        agency_id=agency_id,
        submitted_at=_aware(submitted_at),
        due_at=_aware(due_at),
        completed_at=_aware(completed_at),
    )
    application.service = service
    application.agency = agency
    return application


@dataclass(frozen=True)
class Event:
    at: datetime
    action: str
    to_status: str
    reason: str


def public_events(application_id: int) -> list[Event]:
    """The timeline the citizen sees (assignments and escalations are internal)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT at, action, to_status, reason FROM applications_applicationevent "
            "WHERE application_id = %s AND action NOT IN ('assign', 'escalate') "
            "ORDER BY at, id",
            [application_id],
        )
        rows = cursor.fetchall()
    return [Event(_aware(at) or datetime.min.replace(tzinfo=UTC), a, t, r) for at, a, t, r in rows]
