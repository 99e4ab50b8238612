"""Build the CETAR fact tables from the events, idempotently, for any range of local days.

``build_days(first, last)`` replaces every fact row of those days: per table one
``DELETE … WHERE day BETWEEN`` and one set-based ``INSERT … SELECT … GROUP BY``
over the transactional tables (no Python loop over events), in a transaction per
table and month, so a rebuild gives the same rows and readers never see half a
table. The small snapshot tables (dimensions, the catalogue, SKM quarters,
costs) are rebuilt whole.

Who calls it:
- the worker every five minutes for today (``cetar_refresh_today``), and once an
  hour ``cetar_finalise``, which builds yesterday (and the open-cohort window
  before it) once and marks those days finalised;
- ``terpadu cetar build --date 2026-03-17`` / ``--from … --to …``;
- the demo step, for the demo's history.

Day keys: each measure is counted on the local (WIB) day of its own event —
an application is *started* on the day it was created, *submitted* on the day it
was submitted and *decided* on the day of its first outcome. Cohort measures
("of the complaints disposed that day, how many were answered so far") change
after the day; the finaliser rebuilds ``COHORT_DAYS`` back so they settle.
"""

from __future__ import annotations

import logging
import time as _time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from terpadu.cetar import dialect as q
from terpadu.cetar.models import (
    MONTHLY,
    MONTHLY_BY_AGENCY,
    AgencyCost,
    FtAuditDay,
    FtBuild,
    FtCostMonth,
    FtDimAgency,
    FtDimCounter,
    FtDimRegion,
    FtDimService,
    FtSkmPeriod,
    Workday,
)

log = logging.getLogger(__name__)

HIST_MAX_MINUTES = 240
HIST_MAX_DAYS = 60
DEFAULT_FOLLOW_UP_DAYS = 5
COHORT_DAYS = 60  # the finaliser rebuilds this many days back so cohort measures settle
SKM_PUBLISH_DAYS = 30  # SKM results and follow-up plans are due this many days after the period
CHUNK_DAYS = 31

#: the fact tables keyed by day that ``build_days`` replaces, in build order
DAY_TABLES = (
    "ft_queue_day",
    "ft_queue_wait_hist",
    "ft_counter_day",
    "ft_application_day",
    "ft_application_hist",
    "ft_complaint_day",
    "ft_complaint_hist",
    "ft_survey_day",
)


@dataclass
class BuildResult:
    first: date
    last: date
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
        }


# -- workflow state sets ---------------------------------------------------------------


@dataclass(frozen=True)
class StateSets:
    outcome: tuple[str, ...]  # first arrival here = the decision
    approved: tuple[str, ...]  # the application was granted (status now)
    pause: tuple[str, ...]  # perbaikan: the agency's clock stops


def state_sets() -> StateSets:
    """Outcome, approved and pause states over the default workflow and every service's own."""
    from terpadu.applications.models import ServiceWorkflow
    from terpadu.applications.workflow import DEFAULT_WORKFLOW, Workflow, WorkflowError, parse

    flows: list[Workflow] = [DEFAULT_WORKFLOW]
    for definition in ServiceWorkflow.objects.values_list("definition", flat=True):
        try:
            flows.append(parse(definition))
        except WorkflowError:
            continue
    outcome: set[str] = set()
    rejected: set[str] = set()
    pause: set[str] = set()
    for wf in flows:
        for state in wf.states.values():
            if state.terminal:
                outcome.add(state.key)
            if state.pauses_clock:
                pause.add(state.key)
        for t in wf.transitions:
            if t.issues_document:
                outcome.add(t.target)
            if t.reason_required and wf.states[t.target].terminal:
                rejected.add(t.target)
    approved = outcome - rejected
    return StateSets(tuple(sorted(outcome)), tuple(sorted(approved)), tuple(sorted(pause)))


# -- helpers ---------------------------------------------------------------------------


def _exec(sql: str, params: Iterable[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return max(cursor.rowcount, 0)


def _chunks(first: date, last: date, size: int = CHUNK_DAYS) -> list[tuple[date, date]]:
    out = []
    start = first
    while start <= last:
        end = min(last, start + timedelta(days=size - 1))
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


def _replace(table: str, first: date, last: date, insert_sql: str, params: list[Any]) -> int:
    with transaction.atomic():
        _exec(
            f"DELETE FROM {table} WHERE day >= %s AND day <= %s",  # noqa: S608
            [q.p_date(first), q.p_date(last)],
        )
        _exec(insert_sql, params)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} WHERE day >= %s AND day <= %s",  # noqa: S608
                [q.p_date(first), q.p_date(last)],
            )
            return int(cursor.fetchone()[0])


# -- dimensions ------------------------------------------------------------------------


def build_dimensions() -> None:
    """Snapshot regions (down to kecamatan), agencies, services, counters and officers."""
    from terpadu.accounts.models import User
    from terpadu.catalog.models import Counter, Service
    from terpadu.core.models import Agency, Region

    with transaction.atomic():
        FtDimRegion.objects.all().delete()
        FtDimRegion.objects.bulk_create(
            [
                FtDimRegion(id=r[0], code=r[1], name=r[2], level=r[3], parent_id=r[4])
                for r in Region.objects.exclude(level=Region.Level.VILLAGE).values_list(
                    "id", "code", "name", "level", "parent_id"
                )
            ],
            batch_size=2000,
        )
        FtDimAgency.objects.all().delete()
        FtDimAgency.objects.bulk_create(
            [
                FtDimAgency(id=a[0], region_id=a[1], code=a[2], name=a[3], short_name=a[4])
                for a in Agency.objects.values_list("id", "region_id", "code", "name", "short_name")
            ],
            batch_size=2000,
        )
        FtDimService.objects.all().delete()
        FtDimService.objects.bulk_create(
            [
                FtDimService(id=s[0], region_id=s[1], agency_id=s[2], code=s[3], name=s[4])
                for s in Service.objects.values_list("id", "region_id", "agency_id", "code", "name")
            ],
            batch_size=2000,
        )
        FtDimCounter.objects.all().delete()
        rows = [
            FtDimCounter(id=c[0], kind="counter", ref_id=c[0], label=f"Loket {c[1]} {c[2]}".strip())
            for c in Counter.objects.values_list("id", "number", "name")
        ]
        offset = 1_000_000_000
        for uid, username, first_name, last_name in User.objects.filter(
            role__in=["agency_officer", "agency_head", "front_desk"]
        ).values_list("id", "username", "first_name", "last_name"):
            name = f"{first_name} {last_name}".strip() or username
            rows.append(FtDimCounter(id=offset + uid, kind="officer", ref_id=uid, label=name))
        FtDimCounter.objects.bulk_create(rows, batch_size=2000)


def _calendars() -> dict[int, Any]:
    """``cal_key`` → pure Calendar for every agency calendar and every regency default."""
    from terpadu.core.calendars import calendar_for
    from terpadu.core.models import Agency, Region

    out: dict[int, Any] = {}
    for cal_id in (
        Agency.objects.filter(calendar__isnull=False)
        .values_list("calendar_id", flat=True)
        .distinct()
    ):
        out[int(cal_id)] = calendar_for(calendar_id=cal_id)
    for region_id, code in Region.objects.filter(level=Region.Level.REGENCY).values_list(
        "id", "code"
    ):
        out[-int(region_id)] = calendar_for(region_code=code)
    return out


def _earliest_event_day() -> date | None:
    from terpadu.applications.models import Application
    from terpadu.complaints.models import Complaint

    firsts = [
        Application.objects.filter(submitted_at__isnull=False)
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)
        .first(),
        Complaint.objects.order_by("submitted_at").values_list("submitted_at", flat=True).first(),
    ]
    days = [m.astimezone(q.LOCAL_TZ).date() for m in firsts if m is not None]
    return min(days) if days else None


def build_workdays(first: date, last: date) -> int:
    """The working-day index of every calendar from the earliest event to ``last`` (+ 1 year)."""
    from terpadu.core.workdays import is_workday

    start = min(filter(None, [_earliest_event_day(), first])) - timedelta(days=7)
    end = last + timedelta(days=400)
    rows: list[Workday] = []
    for key, cal in _calendars().items():
        cum = 0
        day = start
        while day <= end:
            open_ = is_workday(day, cal)
            cum += open_
            rows.append(Workday(cal_key=key, day=day, cum=cum, is_workday=open_))
            day += timedelta(days=1)
    with transaction.atomic():
        Workday.objects.all().delete()
        Workday.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# -- queue -----------------------------------------------------------------------------

_TICKET_AGENCY = "COALESCE(s.agency_id, g.agency_id, c.agency_id)"
_TICKET_FROM = """
    FROM queueing_ticket t
    JOIN catalog_hall h ON h.id = t.hall_id
    JOIN catalog_countergroup g ON g.id = t.group_id
    LEFT JOIN catalog_counter c ON c.id = t.counter_id
    LEFT JOIN catalog_service s ON s.id = t.service_id
    WHERE t.hall_id IN (SELECT id FROM catalog_hall) AND t.day >= %s AND t.day <= %s
"""


def _queue_day(first: date, last: date) -> int:
    wait = q.seconds("t.issued_at", "t.called_at")
    service = q.seconds("t.served_at", "t.finished_at")
    sql = f"""
        INSERT INTO ft_queue_day (day, region_id, agency_id, service_id, issued, called, served,
                                  no_show, cancelled, wait_seconds, service_seconds)
        SELECT t.day, h.region_id, {_TICKET_AGENCY}, t.service_id,
               SUM(CASE WHEN t.source <> 'transfer' THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.called_at IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.status = 'no_show' THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.status = 'cancelled' THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.called_at IS NOT NULL THEN {wait} ELSE 0 END),
               SUM(CASE WHEN t.status = 'done' AND t.served_at IS NOT NULL
                         AND t.finished_at IS NOT NULL THEN {service} ELSE 0 END)
        {_TICKET_FROM}
        GROUP BY t.day, h.region_id, {_TICKET_AGENCY}, t.service_id
    """
    return _replace("ft_queue_day", first, last, sql, [q.p_date(first), q.p_date(last)])


def _queue_wait_hist(first: date, last: date) -> int:
    bucket = q.clamp(f"{q.seconds('t.issued_at', 't.called_at')} / 60", 0, HIST_MAX_MINUTES)
    sql = f"""
        INSERT INTO ft_queue_wait_hist (day, region_id, agency_id, service_id, bucket, n)
        SELECT t.day, h.region_id, {_TICKET_AGENCY}, t.service_id, {bucket}, COUNT(*)
        {_TICKET_FROM} AND t.called_at IS NOT NULL
        GROUP BY t.day, h.region_id, {_TICKET_AGENCY}, t.service_id, {bucket}
    """
    return _replace("ft_queue_wait_hist", first, last, sql, [q.p_date(first), q.p_date(last)])


def _counter_day(first: date, last: date) -> int:
    busy = q.seconds("t.called_at", "t.finished_at")
    span = q.seconds("MIN(t.called_at)", "MAX(t.finished_at)")
    sql = f"""
        INSERT INTO ft_counter_day (day, region_id, hall_id, counter_id, agency_id, officer_id,
                                    tickets, served, busy_seconds, span_seconds)
        SELECT t.day, h.region_id, t.hall_id, t.counter_id, c.agency_id, t.officer_id,
               COUNT(*),
               SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.finished_at IS NOT NULL THEN {busy} ELSE 0 END),
               COALESCE({span}, 0)
        FROM queueing_ticket t
        JOIN catalog_hall h ON h.id = t.hall_id
        JOIN catalog_counter c ON c.id = t.counter_id
        WHERE t.hall_id IN (SELECT id FROM catalog_hall) AND t.day >= %s AND t.day <= %s
          AND t.called_at IS NOT NULL
        GROUP BY t.day, h.region_id, t.hall_id, t.counter_id, c.agency_id, t.officer_id
    """  # noqa: S608
    return _replace("ft_counter_day", first, last, sql, [q.p_date(first), q.p_date(last)])


# -- applications ----------------------------------------------------------------------


def prepare_decisions(first: date, last: date, states: StateSets) -> None:
    """Temporary tables ``cetar_tmp_dec`` (each application's first outcome in the window) and
    ``cetar_tmp_pz`` (its pauses before the decision, in working days), analysed, so both
    application inserts share them and the planner knows their size (PostgreSQL otherwise
    guesses a few hundred rows and nests loops over thousands)."""
    start, end = q.window(first, last)
    outcome = q.in_list(states.outcome)
    pause = q.in_list(states.pause)
    event_day = q.local_date("e.at")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS cetar_tmp_dec")
        cursor.execute("DROP TABLE IF EXISTS cetar_tmp_pz")
        cursor.execute(
            f"""
            CREATE TEMP TABLE cetar_tmp_dec AS
            SELECT e.application_id AS app_id, MIN(e.at) AS at
            FROM applications_applicationevent e
            WHERE e.to_status IN {outcome}
              AND e.application_id IN (
                  SELECT e2.application_id FROM applications_applicationevent e2
                  WHERE e2.to_status IN {outcome} AND e2.at >= %s AND e2.at < %s)
            GROUP BY e.application_id
            HAVING MIN(e.at) >= %s AND MIN(e.at) < %s
            """,  # noqa: S608
            [start, end, start, end],
        )
        cursor.execute("CREATE INDEX cetar_tmp_dec_app ON cetar_tmp_dec (app_id)")
        cursor.execute("ANALYZE cetar_tmp_dec")
        cursor.execute(
            f"""
            CREATE TEMP TABLE cetar_tmp_pz AS
            SELECT e.application_id AS app_id,
                   SUM(CASE WHEN e.to_status IN {pause} THEN 1 ELSE 0 END) AS pauses,
                   SUM(CASE WHEN e.from_status IN {pause} THEN w.cum ELSE 0 END)
                 - SUM(CASE WHEN e.to_status IN {pause} THEN w.cum ELSE 0 END) AS paused_days
            FROM cetar_tmp_dec dec
            JOIN applications_applicationevent e ON e.application_id = dec.app_id
            JOIN applications_application a ON a.id = dec.app_id
            JOIN core_agency ag ON ag.id = a.agency_id
            JOIN cetar_workday w ON w.cal_key = COALESCE(ag.calendar_id, -ag.region_id)
                                AND w.day = {event_day}
            WHERE (e.to_status IN {pause} OR e.from_status IN {pause}) AND e.at <= dec.at
            GROUP BY e.application_id
            """  # noqa: S608
        )
        cursor.execute("CREATE INDEX cetar_tmp_pz_app ON cetar_tmp_pz (app_id)")
        cursor.execute("ANALYZE cetar_tmp_pz")


def _decisions_cte(states: StateSets) -> str:
    """CTE ``d``: one row per application decided in the window prepared by
    :func:`prepare_decisions` (no parameters)."""
    return f"""
    WITH d AS (
        SELECT a.id AS app_id, {q.local_date("dec.at")} AS day, a.region_id, a.agency_id,
               a.service_id, r.id AS district_id, a.channel, a.status,
               CASE WHEN wd.cum - ws.cum - COALESCE(pz.paused_days, 0) <=
                         CASE WHEN sv.completion_time_unit = 'hours'
                              THEN (sv.completion_time_value + 7) / 8
                              ELSE sv.completion_time_value END
                    THEN 1 ELSE 0 END AS in_sla,
               COALESCE(pz.pauses, 0) AS pauses,
               wd.cum - ws.cum - COALESCE(pz.paused_days, 0) AS workdays
        FROM cetar_tmp_dec dec
        JOIN applications_application a ON a.id = dec.app_id
        JOIN catalog_serviceversion sv ON sv.id = a.service_version_id
        JOIN core_agency ag ON ag.id = a.agency_id
        LEFT JOIN cetar_tmp_pz pz ON pz.app_id = a.id
        LEFT JOIN core_region r ON r.code = {q.nik_district("a.applicant_nik")}
        JOIN cetar_workday wd ON wd.cal_key = COALESCE(ag.calendar_id, -ag.region_id)
                             AND wd.day = {q.local_date("dec.at")}
        JOIN cetar_workday ws ON ws.cal_key = COALESCE(ag.calendar_id, -ag.region_id)
                             AND ws.day = {q.local_date("a.submitted_at")}
    )
    """  # noqa: S608


def _application_day(first: date, last: date, states: StateSets) -> int:
    start, end = q.window(first, last)
    approved = q.in_list(states.approved)
    district = q.nik_district("a.applicant_nik")
    sql = f"""
        {_decisions_cte(states)},
        ev AS (
            SELECT {q.local_date("a.created_at")} AS day, a.region_id, a.agency_id, a.service_id,
                   r.id AS district_id, 1 AS started, 0 AS submitted, 0 AS submitted_online,
                   0 AS decided, 0 AS decided_online, 0 AS in_sla, 0 AS approved, 0 AS aft
            FROM applications_application a
            LEFT JOIN core_region r ON r.code = {district}
            WHERE a.created_at >= %s AND a.created_at < %s
            UNION ALL
            SELECT {q.local_date("a.submitted_at")}, a.region_id, a.agency_id, a.service_id,
                   r.id, 0, 1, CASE WHEN a.channel = 'online' THEN 1 ELSE 0 END,
                   0, 0, 0, 0, 0
            FROM applications_application a
            LEFT JOIN core_region r ON r.code = {district}
            WHERE a.region_id IN (SELECT id FROM core_region WHERE level = 'regency')
              AND a.submitted_at >= %s AND a.submitted_at < %s
            UNION ALL
            SELECT d.day, d.region_id, d.agency_id, d.service_id, d.district_id, 0, 0, 0,
                   1, CASE WHEN d.channel = 'online' THEN 1 ELSE 0 END, d.in_sla,
                   CASE WHEN d.status IN {approved} THEN 1 ELSE 0 END,
                   CASE WHEN d.status IN {approved} AND d.pauses = 0 THEN 1 ELSE 0 END
            FROM d
        )
        INSERT INTO ft_application_day (day, region_id, agency_id, service_id, district_id,
            started, submitted, submitted_online, decided, decided_online, decided_in_sla,
            approved, approved_first_time)
        SELECT day, region_id, agency_id, service_id, district_id, SUM(started), SUM(submitted),
               SUM(submitted_online), SUM(decided), SUM(decided_online), SUM(in_sla),
               SUM(approved), SUM(aft)
        FROM ev
        GROUP BY day, region_id, agency_id, service_id, district_id
    """  # noqa: S608
    params = [start, end, start, end]
    return _replace("ft_application_day", first, last, sql, params)


def _application_hist(first: date, last: date, states: StateSets) -> int:
    bucket = q.clamp("d.workdays", 0, HIST_MAX_DAYS)
    sql = f"""
        {_decisions_cte(states)}
        INSERT INTO ft_application_hist (day, region_id, agency_id, service_id, district_id,
                                         bucket, n)
        SELECT d.day, d.region_id, d.agency_id, d.service_id, d.district_id, {bucket}, COUNT(*)
        FROM d
        GROUP BY d.day, d.region_id, d.agency_id, d.service_id, d.district_id, {bucket}
    """  # noqa: S608
    return _replace("ft_application_hist", first, last, sql, [])


# -- complaints ------------------------------------------------------------------------

_COMPLAINT_CAL = "COALESCE(ag.calendar_id, -c.region_id)"


def _first_response_cte() -> str:
    """``fr``: each complaint's first response (an answer or a rejection) and its day."""
    return """
    fr AS (
        SELECT e.complaint_id AS cid, MIN(e.at) AS at
        FROM complaints_complaintevent e
        WHERE e.kind IN ('answered', 'rejected')
        GROUP BY e.complaint_id
    ),
    fa AS (
        SELECT e.complaint_id AS cid, MIN(e.at) AS at
        FROM complaints_complaintevent e
        WHERE e.kind = 'answered'
        GROUP BY e.complaint_id
    )
    """


def _complaint_day(first: date, last: date) -> int:
    start, end = q.window(first, last)
    resp_day = q.local_date("fr.at")
    in_time = f"""CASE
        WHEN c.status = 'rejected' THEN CASE WHEN {resp_day} <= c.verify_due THEN 1 ELSE 0 END
        WHEN wr.cum < wdisp.cum + COALESCE(cat.follow_up_days, {DEFAULT_FOLLOW_UP_DAYS}) THEN 1
        WHEN wr.cum = wdisp.cum + COALESCE(cat.follow_up_days, {DEFAULT_FOLLOW_UP_DAYS})
             AND wr.is_workday THEN 1
        ELSE 0 END"""
    keys = "c.region_id, c.agency_id, c.service_id, c.district_id"
    sql = f"""
        WITH {_first_response_cte()},
        ev AS (
            SELECT {q.local_date("c.submitted_at")} AS day, {keys},
                   1 AS submitted, CASE WHEN c.is_confidential THEN 0 ELSE 1 END AS pub,
                   0 AS disposed, 0 AS disp_ans, 0 AS responded, 0 AS resp_in_time,
                   0 AS first_ans, 0 AS reopened, 0 AS closed, 0 AS confirmed,
                   0 AS escalated, 0 AS esc_resolved
            FROM complaints_complaint c
            WHERE c.submitted_at >= %s AND c.submitted_at < %s
            UNION ALL
            SELECT {q.local_date("c.disposed_at")}, {keys}, 0, 0, 1,
                   CASE WHEN fa.cid IS NULL THEN 0 ELSE 1 END, 0, 0, 0, 0, 0, 0, 0, 0
            FROM complaints_complaint c LEFT JOIN fa ON fa.cid = c.id
            WHERE c.disposed_at >= %s AND c.disposed_at < %s
            UNION ALL
            SELECT {resp_day}, {keys}, 0, 0, 0, 0, 1, {in_time}, 0, 0, 0, 0, 0, 0
            FROM fr
            JOIN complaints_complaint c ON c.id = fr.cid
            LEFT JOIN core_agency ag ON ag.id = c.agency_id
            LEFT JOIN complaints_category cat ON cat.id = c.category_id
            LEFT JOIN cetar_workday wr ON wr.cal_key = {_COMPLAINT_CAL} AND wr.day = {resp_day}
            LEFT JOIN cetar_workday wdisp ON wdisp.cal_key = {_COMPLAINT_CAL}
                                         AND wdisp.day = {q.local_date("c.disposed_at")}
            WHERE fr.at >= %s AND fr.at < %s AND c.status <> 'merged'
            UNION ALL
            SELECT {q.local_date("fa.at")}, {keys}, 0, 0, 0, 0, 0, 0, 1,
                   CASE WHEN c.reopen_count > 0 THEN 1 ELSE 0 END, 0, 0, 0, 0
            FROM fa JOIN complaints_complaint c ON c.id = fa.cid
            WHERE fa.at >= %s AND fa.at < %s
            UNION ALL
            SELECT {q.local_date("c.closed_at")}, {keys}, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                   CASE WHEN c.close_reason = 'confirmed' THEN 1 ELSE 0 END, 0, 0
            FROM complaints_complaint c
            WHERE c.closed_at >= %s AND c.closed_at < %s
              AND c.close_reason IN ('confirmed', 'auto')
            UNION ALL
            SELECT {q.local_date("x.created_at")}, c.region_id,
                   COALESCE(x.agency_id, c.agency_id), c.service_id, c.district_id,
                   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                   CASE WHEN x.resolved_at IS NULL THEN 0 ELSE 1 END
            FROM complaints_escalation x JOIN complaints_complaint c ON c.id = x.complaint_id
            WHERE x.created_at >= %s AND x.created_at < %s
        )
        INSERT INTO ft_complaint_day (day, region_id, agency_id, service_id, district_id,
            submitted, submitted_public, disposed, disposed_answered, responded,
            responded_in_time, first_answered, reopened, closed, closed_confirmed, escalated,
            escalations_resolved)
        SELECT day, region_id, agency_id, service_id, district_id, SUM(submitted), SUM(pub),
               SUM(disposed), SUM(disp_ans), SUM(responded), SUM(resp_in_time), SUM(first_ans),
               SUM(reopened), SUM(closed), SUM(confirmed), SUM(escalated), SUM(esc_resolved)
        FROM ev
        GROUP BY day, region_id, agency_id, service_id, district_id
    """  # noqa: S608
    params = [start, end] * 6
    return _replace("ft_complaint_day", first, last, sql, params)


def _complaint_hist(first: date, last: date) -> int:
    start, end = q.window(first, last)
    resp_day = q.local_date("fr.at")
    bucket = q.clamp("wr.cum - ws.cum", 0, HIST_MAX_DAYS)
    sql = f"""
        WITH {_first_response_cte()}
        INSERT INTO ft_complaint_hist (day, region_id, agency_id, service_id, district_id,
                                       bucket, n)
        SELECT {resp_day}, c.region_id, c.agency_id, c.service_id, c.district_id, {bucket},
               COUNT(*)
        FROM fr
        JOIN complaints_complaint c ON c.id = fr.cid
        LEFT JOIN core_agency ag ON ag.id = c.agency_id
        JOIN cetar_workday wr ON wr.cal_key = {_COMPLAINT_CAL} AND wr.day = {resp_day}
        JOIN cetar_workday ws ON ws.cal_key = {_COMPLAINT_CAL}
                             AND ws.day = {q.local_date("c.submitted_at")}
        WHERE fr.at >= %s AND fr.at < %s AND c.status <> 'merged'
        GROUP BY {resp_day}, c.region_id, c.agency_id, c.service_id, c.district_id, {bucket}
    """  # noqa: S608
    return _replace("ft_complaint_hist", first, last, sql, [start, end])


# -- surveys ---------------------------------------------------------------------------


def _survey_day(first: date, last: date) -> int:
    sums = ", ".join(f"COALESCE(SUM(r.u{i}), 0), COUNT(r.u{i})" for i in range(1, 10))
    cols = ", ".join(f"s{i}, c{i}" for i in range(1, 10))
    sql = f"""
        INSERT INTO ft_survey_day (day, region_id, agency_id, service_id, n, {cols})
        SELECT r.local_date, r.region_id, r.agency_id, r.service_id, COUNT(*), {sums}
        FROM surveys_surveyresponse r
        WHERE r.local_date >= %s AND r.local_date <= %s
        GROUP BY r.local_date, r.region_id, r.agency_id, r.service_id
    """  # noqa: S608
    return _replace("ft_survey_day", first, last, sql, [q.p_date(first), q.p_date(last)])


def _quarter_of(day: date) -> tuple[str, date, date]:
    index = (day.month - 1) // 3 + 1
    start = date(day.year, 3 * index - 2, 1)
    end = (
        date(day.year, 12, 31)
        if index == 4
        else date(day.year, 3 * index + 1, 1) - timedelta(days=1)
    )
    return f"{day.year}-Q{index}", start, end


def build_skm_periods(today: date) -> int:
    """Every finished or running SKM quarter per agency: responses, plans, published on time."""
    from terpadu.surveys.models import FollowUpPlan
    from terpadu.surveys.periods import parse_period

    month = q.month_key("local_date")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT region_id, agency_id, {month}, COUNT(*) FROM surveys_surveyresponse "  # noqa: S608
            f"GROUP BY region_id, agency_id, {month}"
        )
        monthly = cursor.fetchall()
    quarters: dict[tuple[int, int, str], list[Any]] = {}
    for region_id, agency_id, ym, n in monthly:
        key, _start, end = _quarter_of(date(int(ym[:4]), int(ym[5:7]), 1))
        row = quarters.setdefault((region_id, agency_id, key), [end, 0])
        row[1] += int(n)
    plans: dict[int, list[tuple[date, date, date | None]]] = defaultdict(list)
    for agency_id, period_key, published_at in FollowUpPlan.objects.values_list(
        "agency_id", "period", "published_at"
    ):
        period = parse_period(period_key)
        if period is None:
            continue
        published = published_at.astimezone(q.LOCAL_TZ).date() if published_at else None
        plans[agency_id].append((period.start, period.end, published))
    rows = []
    for (region_id, agency_id, key), (end, n) in quarters.items():
        start = date(end.year, end.month - 2, 1)
        covering = [p for p in plans.get(agency_id, []) if p[0] <= start and end <= p[1]]
        on_time = any(
            pub is not None and pub <= p_end + timedelta(days=SKM_PUBLISH_DAYS)
            for _s, p_end, pub in covering
        )
        rows.append(
            FtSkmPeriod(
                day=end,
                region_id=region_id,
                agency_id=agency_id,
                period=key,
                responses=n,
                plans=len(covering),
                published_on_time=int(on_time),
                due=end + timedelta(days=SKM_PUBLISH_DAYS),
            )
        )
    with transaction.atomic():
        FtSkmPeriod.objects.all().delete()
        FtSkmPeriod.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# -- catalogue -------------------------------------------------------------------------


def delivery_complete(version: dict[str, Any]) -> bool:
    """Whether a version shows all 6 service-delivery components (PermenPANRB 15/2014)."""
    requirements = [
        r
        for r in (version.get("requirements") or [])
        if isinstance(r, dict) and str(r.get("document", "")).strip()
    ]
    fee_ok = int(version.get("fee_amount") or 0) == 0 or bool(
        str(version.get("fee_legal_basis") or "").strip()
    )
    return bool(
        requirements
        and [p for p in (version.get("procedure") or []) if str(p).strip()]
        and int(version.get("completion_time_value") or 0) > 0
        and fee_ok
        and str(version.get("product") or "").strip()
        and str(version.get("complaint_channel") or "").strip()
    )


def _service_days(first: date, last: date) -> int:
    """For each day, each active service: published by the end of that day, and complete.

    The state of a service changes only when a version is published: those change points
    (a few hundred rows) go to a temporary table, and one ``INSERT … SELECT`` per month
    crosses the days with the active services.
    """
    from terpadu.catalog.models import ServiceVersion

    changes: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for row in (
        ServiceVersion.objects.filter(published_at__isnull=False)
        .exclude(status=ServiceVersion.Status.DRAFT)
        .values(
            "service_id",
            "published_at",
            "requirements",
            "procedure",
            "completion_time_value",
            "fee_amount",
            "fee_legal_basis",
            "product",
            "complaint_channel",
        )
        .order_by("service_id", "published_at")
    ):
        published_at = row["published_at"]
        assert published_at is not None
        day = published_at.astimezone(q.LOCAL_TZ).date()  # in force from the end of that day
        changes[row["service_id"]].append((day, delivery_complete(dict(row))))
    states = [
        (sid, q.p_date(day), int(ok), seq)
        for sid, points in changes.items()
        for seq, (day, ok) in enumerate(points)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS cetar_tmp_version "
            "(service_id INTEGER, from_day DATE, complete INTEGER, seq INTEGER)"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS cetar_tmp_version_service "
            "ON cetar_tmp_version (service_id, from_day)"
        )
        cursor.execute("DELETE FROM cetar_tmp_version")
        cursor.executemany("INSERT INTO cetar_tmp_version VALUES (%s, %s, %s, %s)", states)
    latest = (
        "SELECT v.complete FROM cetar_tmp_version v WHERE v.service_id = s.id "
        "AND v.from_day <= d.day ORDER BY v.from_day DESC, v.seq DESC LIMIT 1"
    )
    sql = f"""
        INSERT INTO ft_service_day (day, region_id, agency_id, service_id, published, complete)
        SELECT d.day, s.region_id, s.agency_id, s.id,
               CASE WHEN ({latest}) IS NULL THEN 0 ELSE 1 END, COALESCE(({latest}), 0)
        FROM (SELECT day FROM cetar_workday
              WHERE cal_key = (SELECT MIN(cal_key) FROM cetar_workday)
                AND day >= %s AND day <= %s) d
        CROSS JOIN catalog_service s
        WHERE s.is_active
    """  # noqa: S608
    total = 0
    for day_first, day_last in _chunks(first, last):
        total += _replace(
            "ft_service_day", day_first, day_last, sql, [q.p_date(day_first), q.p_date(day_last)]
        )
    return total


# -- audit chain -----------------------------------------------------------------------


def record_audit_check(day: date) -> FtAuditDay:
    """Walk the audit chain now and record the result as ``day``'s check."""
    from terpadu.core.audit import verify_chain

    result = verify_chain()
    row, _ = FtAuditDay.objects.update_or_create(
        day=day,
        defaults={
            "checked": result.checked,
            "ok": int(result.ok),
            "broken_seq": result.first_bad_seq,
            "checked_at": timezone.now(),
        },
    )
    return row


# -- costs -----------------------------------------------------------------------------


def build_costs() -> int:
    """Each entered monthly cost beside the agency's decided applications that month."""
    month = q.month_key("day")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT agency_id, {month}, SUM(decided) FROM ft_application_day "  # noqa: S608
            f"GROUP BY agency_id, {month}"
        )
        done = {(a, ym): int(n or 0) for a, ym, n in cursor.fetchall()}
    rows = [
        FtCostMonth(
            day=cost.month.replace(day=1),
            region_id=cost.agency.region_id,
            agency_id=cost.agency_id,
            cost=cost.amount,
            transactions=done.get((cost.agency_id, cost.month.strftime("%Y-%m")), 0),
        )
        for cost in AgencyCost.objects.select_related("agency")
    ]
    with transaction.atomic():
        FtCostMonth.objects.all().delete()
        FtCostMonth.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# -- monthly rollups -------------------------------------------------------------------


def _month_bounds(first: date, last: date) -> tuple[date, date]:
    start = first.replace(day=1)
    nxt = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def rollup_months(first: date, last: date) -> dict[str, int]:
    """Rebuild the monthly rollups of every month touching ``first`` … ``last``."""
    m_first, m_last = _month_bounds(first, last)
    out = {}
    targets = [(d, m, False) for d, m in MONTHLY.items()]
    targets += [(d, m, True) for d, m in MONTHLY_BY_AGENCY.items()]
    for day_table, month_table, coarse in targets:
        model = _model_for(day_table)
        key_names = ["region_id", "agency_id", "bucket"]
        if not coarse:
            key_names += ["service_id", "district_id"]
        all_keys = ("region_id", "agency_id", "service_id", "district_id", "bucket")
        keys = [f.column for f in model._meta.concrete_fields if f.column in key_names]
        sums = [
            f.column
            for f in model._meta.concrete_fields
            if not f.primary_key and f.column not in all_keys and f.column != "day"
        ]
        cols = ["day", *keys, *sums]
        select = [q.month_start("day"), *keys, *[f"SUM({c})" for c in sums]]
        if day_table == "ft_service_day":
            cols.append("services")
            select.append("COUNT(*)")
        sql = (
            f"INSERT INTO {month_table} ({', '.join(cols)}) "  # noqa: S608
            f"SELECT {', '.join(select)} FROM {day_table} WHERE day >= %s AND day <= %s "
            f"GROUP BY {', '.join([q.month_start('day'), *keys])}"
        )
        out[month_table] = _replace(
            month_table, m_first, m_last, sql, [q.p_date(m_first), q.p_date(m_last)]
        )
    return out


def _model_for(table: str) -> Any:
    from django.apps import apps

    return next(m for m in apps.get_app_config("cetar").get_models() if m._meta.db_table == table)


# -- orchestration ---------------------------------------------------------------------


def build_days(
    first: date,
    last: date,
    *,
    finalise: bool = False,
    audit: bool | None = None,
    now: datetime | None = None,
) -> BuildResult:
    """Rebuild every fact of the local days ``first`` … ``last`` (inclusive). Idempotent."""
    if last < first:
        raise ValueError("tanggal akhir sebelum tanggal awal")
    now = now or timezone.now()
    today = now.astimezone(q.LOCAL_TZ).date()
    last = min(last, today)  # no facts for days that have not happened
    if last < first:
        raise ValueError("tanggal awal di masa depan")
    began = _time.perf_counter()
    result = BuildResult(first, last)
    build_dimensions()
    result.rows["cetar_workday"] = build_workdays(first, max(last, today))
    states = state_sets()
    for table in DAY_TABLES:
        result.rows[table] = 0
    for a, b in _chunks(first, last):
        result.rows["ft_queue_day"] += _queue_day(a, b)
        result.rows["ft_queue_wait_hist"] += _queue_wait_hist(a, b)
        result.rows["ft_counter_day"] += _counter_day(a, b)
        prepare_decisions(a, b, states)
        result.rows["ft_application_day"] += _application_day(a, b, states)
        result.rows["ft_application_hist"] += _application_hist(a, b, states)
        result.rows["ft_complaint_day"] += _complaint_day(a, b)
        result.rows["ft_complaint_hist"] += _complaint_hist(a, b)
        result.rows["ft_survey_day"] += _survey_day(a, b)
    result.rows["ft_service_day"] = _service_days(first, last)
    result.rows.update(rollup_months(first, last))
    result.rows["ft_skm_period"] = build_skm_periods(today)
    result.rows["ft_cost_month"] = build_costs()
    if audit is None:
        audit = last >= today - timedelta(days=1)
    if audit:
        record_audit_check(min(last, today))
        result.rows["ft_audit_day"] = 1
    result.seconds = _time.perf_counter() - began
    per_day = result.seconds / ((last - first).days + 1)
    builds = []
    day = first
    while day <= last:
        final = now if finalise and day < today else None
        builds.append(FtBuild(day=day, built_at=now, seconds=per_day, finalised_at=final))
        day += timedelta(days=1)
    with transaction.atomic():
        kept = dict(
            FtBuild.objects.filter(
                day__gte=first, day__lte=last, finalised_at__isnull=False
            ).values_list("day", "finalised_at")
        )
        for build in builds:
            build.finalised_at = build.finalised_at or kept.get(build.day)
        FtBuild.objects.filter(day__gte=first, day__lte=last).delete()
        FtBuild.objects.bulk_create(builds, batch_size=2000)
    if connection.vendor == "postgresql" and (last - first).days > 30:
        with connection.cursor() as cursor:
            rollups = (*MONTHLY.values(), *MONTHLY_BY_AGENCY.values())
            cursor.execute("ANALYZE " + ", ".join((*DAY_TABLES, *rollups)))
    log.info("cetar build %s..%s in %.2f s", first, last, result.seconds)
    return result


def refresh_today(now: datetime | None = None) -> BuildResult:
    now = now or timezone.now()
    today = now.astimezone(q.LOCAL_TZ).date()
    return build_days(today, today, now=now, audit=_audit_due(today, now))


def _audit_due(today: date, now: datetime) -> bool:
    row = FtAuditDay.objects.filter(day=today).first()
    return row is None or (now - row.checked_at) > timedelta(hours=1)


def finalise(now: datetime | None = None) -> BuildResult | None:
    """Once yesterday is over: rebuild it and the cohort window before it, mark them final."""
    now = now or timezone.now()
    yesterday = now.astimezone(q.LOCAL_TZ).date() - timedelta(days=1)
    done = FtBuild.objects.filter(day=yesterday, finalised_at__isnull=False).exists()
    if done:
        return None
    return build_days(yesterday - timedelta(days=COHORT_DAYS), yesterday, finalise=True, now=now)


def event_range() -> tuple[date, date] | None:
    """The first and last local day with any event (for ``terpadu cetar build --all``)."""
    from terpadu.queueing.models import Ticket
    from terpadu.surveys.models import SurveyResponse

    first = _earliest_event_day()
    firsts = [d for d in [first] if d]
    t = Ticket.objects.order_by("day").values_list("day", flat=True).first()
    s = SurveyResponse.objects.order_by("local_date").values_list("local_date", flat=True).first()
    firsts += [d for d in (t, s) if d]
    if not firsts:
        return None
    return min(firsts), timezone.now().astimezone(q.LOCAL_TZ).date()
