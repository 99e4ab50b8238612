"""Hand-made events for the CETAR tests: rows written straight into the source tables with the
exact timestamps a test needs (the apps' own services stamp "now", which a formula test cannot
steer). Times are given in WIB."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from terpadu.applications.models import Application, ApplicationEvent
from terpadu.catalog.models import Counter, CounterGroup, Hall, Service
from terpadu.complaints.models import Category, Complaint, ComplaintEvent, Escalation
from terpadu.core.models import Agency, Region
from terpadu.queueing.models import Ticket
from terpadu.surveys.models import FollowUpPlan, SurveyResponse

WIB = ZoneInfo("Asia/Jakarta")
_seq = itertools.count(1)


def wib(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=WIB)


def application(
    *,
    service: Service,
    submitted: dt.datetime | None,
    created: dt.datetime | None = None,
    events: list[tuple[str, str, dt.datetime]] = (),  # type: ignore[assignment]
    status: str = "diajukan",
    due: dt.datetime | None = None,
    channel: str = "counter",
    nik: str = "3510160101900001",
) -> Application:
    n = next(_seq)
    version = service.current_version
    assert version is not None
    app = Application.objects.create(
        region=service.region,
        agency=service.agency,
        service=service,
        service_version=version,
        code=f"T{n:09d}",
        channel=channel,
        status=status if submitted else "draf",
        applicant_name="Warga Uji",
        applicant_nik=nik,
        created_at=created or submitted or wib(2026, 3, 1),
        updated_at=created or submitted or wib(2026, 3, 1),
        submitted_at=submitted,
        due_at=due,
    )
    if submitted:
        ApplicationEvent.objects.create(
            application=app, action="submit", from_status="draf", to_status="diajukan", at=submitted
        )
    for source, target, at in events:
        ApplicationEvent.objects.create(
            application=app, action="step", from_status=source, to_status=target, at=at
        )
    return app


def hall_with_counter(region: Region, agency: Agency) -> tuple[Hall, CounterGroup, Counter]:
    hall = Hall.objects.create(region=region, code=f"mpp-{next(_seq)}", name="MPP Uji")
    group = CounterGroup.objects.create(hall=hall, letter="A", name="Dukcapil", agency=agency)
    counter = Counter.objects.create(
        hall=hall, number=1, name="Dukcapil", agency=agency, counter_group=group
    )
    return hall, group, counter


def ticket(
    *,
    group: CounterGroup,
    counter: Counter | None,
    issued: dt.datetime,
    called: dt.datetime | None = None,
    finished: dt.datetime | None = None,
    status: str = "done",
    officer: Any = None,
) -> Ticket:
    n = next(_seq)
    return Ticket.objects.create(
        hall=group.hall,
        group=group,
        letter=group.letter,
        day=issued.astimezone(WIB).date(),
        number=n,
        status=status,
        source="kiosk",
        token=f"tok{n:020d}",
        issued_at=issued,
        called_at=called,
        served_at=called,
        finished_at=finished,
        counter=counter if called else None,
        officer=officer,
    )


def complaint(
    *,
    region: Region,
    submitted: dt.datetime,
    agency: Agency | None = None,
    disposed: dt.datetime | None = None,
    answers: list[dt.datetime] = (),  # type: ignore[assignment]
    rejected: dt.datetime | None = None,
    closed: dt.datetime | None = None,
    close_reason: str = "",
    reopened: int = 0,
    confidential: bool = False,
    category: Category | None = None,
    verify_due: dt.date | None = None,
    district: Region | None = None,
    service: Any = None,
) -> Complaint:
    status = "submitted"
    if disposed:
        status = "disposed"
    if answers:
        status = "answered"
    if rejected:
        status = "rejected"
    if closed:
        status = "closed"
    c = Complaint.objects.create(
        tracking_code=f"ADU{next(_seq):08d}",
        region=region,
        channel="web",
        text="Pengaduan uji",
        district=district,
        agency=agency,
        service=service,
        category=category,
        is_confidential=confidential,
        status=status,
        submitted_at=submitted,
        verify_due=verify_due or (submitted.astimezone(WIB).date() + dt.timedelta(days=3)),
        disposed_at=disposed,
        answered_at=answers[-1] if answers else None,
        closed_at=closed or rejected,
        close_reason="rejected" if rejected else close_reason,
        reopen_count=reopened,
    )
    ComplaintEvent.objects.create(complaint=c, kind="submitted", at=submitted)
    if disposed:
        ComplaintEvent.objects.create(complaint=c, kind="disposed", at=disposed)
    for at in answers:
        ComplaintEvent.objects.create(complaint=c, kind="answered", at=at)
    if rejected:
        ComplaintEvent.objects.create(complaint=c, kind="rejected", at=rejected)
    return c


def escalation(
    c: Complaint, *, created: dt.datetime, resolved: dt.datetime | None = None
) -> Escalation:
    return Escalation.objects.create(
        complaint=c,
        stage="follow_up",
        due=created.astimezone(WIB).date() - dt.timedelta(days=1),
        agency=c.agency,
        created_at=created,
        resolved_at=resolved,
    )


def survey(
    *, agency: Agency, at: dt.datetime, answers: int | list[int | None], service: Any = None
) -> SurveyResponse:
    values = [answers] * 9 if isinstance(answers, int) else list(answers)
    return SurveyResponse.objects.create(
        region=agency.region,
        agency=agency,
        service=service,
        submitted_at=at,
        local_date=at.astimezone(WIB).date(),
        **{f"u{i + 1}": v for i, v in enumerate(values)},
    )


def plan(*, agency: Agency, period: str, published: dt.datetime | None = None) -> FollowUpPlan:
    return FollowUpPlan.objects.create(
        region=agency.region,
        agency=agency,
        period=period,
        unsur_code="U5",
        finding="Waktu layanan lama",
        action="Tambah loket",
        responsible="Kepala bidang",
        target_date=dt.date(2026, 6, 30),
        is_published=published is not None,
        published_at=published,
    )
