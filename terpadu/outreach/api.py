"""Outreach API (/api/v1/outreach): cases for field workers and agencies, reports from
registered community reporters (bearer token), KSPR scoring, prescriptions and courier
dispatches, and the courier's signed status webhook."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from terpadu.accounts.models import Role, User
from terpadu.core.apiauth import AUTH, Session
from terpadu.core.errors import DomainError, NotFound, bilingual, field_error
from terpadu.core.models import Region
from terpadu.core.nik import mask_nik
from terpadu.outreach import kspr, selectors, services
from terpadu.outreach.access import (
    access_case_by_id,
    access_dispatch_by_id,
    access_prescription_by_id,
    can_manage,
    cases_for_user,
    pharmacy_agency_id,
    programmes_for_user,
    reporter_of,
    sees_health_data,
)
from terpadu.outreach.models import Case, Dispatch, Programme
from terpadu.outreach.programmes import maternal, medicine

PREFIX = "/outreach"
router = Router(tags=["outreach"])


class ReporterToken(HttpBearer):
    """A community reporter's token (shown once when registered)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        reporter = services.reporter_by_token(token)
        if reporter is None:
            return None
        request.user = reporter.user
        return reporter.user


REPORTER_AUTH = [ReporterToken(), Session()]


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


# --- schemas -------------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    programme: str
    programme_name: str
    status: str
    status_label: str
    level: str
    name: str
    nik: str
    sex: str
    age_years: int | None
    birth_date: date | None
    village_code: str
    village: str
    district: str
    assigned_to: str
    due_date: date | None
    overdue: bool
    outcome: str
    opened_at: datetime
    closed_at: datetime | None
    risk_group: str


class TaskOut(Schema):
    id: int
    kind: str
    title: str
    due_date: date
    done: bool
    cancelled: bool
    escalation_level: int


class EventOut(Schema):
    at: datetime
    kind: str
    from_value: str
    to_value: str
    note: str


class ScreeningOut(Schema):
    visited_on: date
    score: int
    group: str
    items: list[str]


class CaseDetailOut(CaseOut):
    tasks: list[TaskOut]
    events: list[EventOut]
    screenings: list[ScreeningOut]


class CaseTransitionIn(Schema):
    status: str
    outcome: str = ""
    note: str = ""


class CaseAssignIn(Schema):
    user_id: int | None = None


class ReportIn(Schema):
    programme: str = "maternal"
    client_id: str
    name: str
    village_code: str
    age_years: int | None = None
    note: str = ""
    signs: list[str] = []


class ReportOut(Schema):
    id: int
    client_id: str
    status: str
    status_label: str
    received_at: datetime


class KsprIn(Schema):
    items: list[str] = []


class KsprOut(Schema):
    score: int
    group: str
    group_name: str
    colour: str
    place: str
    attendant: str
    referral: str
    care: str
    items: list[str]


class ScreeningIn(Schema):
    items: list[str] = []
    visited_on: date | None = None
    gestation_weeks: int | None = None
    local_flags: list[str] = []


class PrescriptionIn(Schema):
    rx_number: str
    patient_name: str
    village_code: str
    address: str
    phone: str
    distance_km: Decimal
    pbi: bool = False
    resident_nik: str = ""


class PrescriptionOut(Schema):
    id: int
    case_id: int
    rx_number: str
    eligibility: str
    tariff: int
    one_time_code: str = ""


class DispatchOut(Schema):
    id: int
    prescription_id: int
    number: int
    status: str
    status_label: str
    courier_job_id: str
    send_attempts: int
    last_error: str
    recipient_name: str
    proof_kind: str
    updated_at: datetime


class CallbackOut(Schema):
    ok: bool
    applied: bool


class AreaOut(Schema):
    statuses: list[str]
    districts: list[dict[str, Any]]
    villages: list[dict[str, Any]]
    totals: dict[str, int]
    extra: dict[str, Any]


# --- helpers -------------------------------------------------------------------------------


def case_out(case: Case, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    health = sees_health_data(user, case.programme)
    return {
        "id": case.pk,
        "programme": case.programme.code,
        "programme_name": case.programme.name,
        "status": case.status,
        "status_label": str(Case.Status(case.status).label),
        "level": case.level,
        "name": case.name,
        "nik": case.nik if getattr(user, "sees_full_nik", False) else mask_nik(case.nik),
        "sex": case.sex,
        "age_years": case.age_years,
        "birth_date": case.birth_date,
        "village_code": case.village.code,
        "village": case.village.name,
        "district": case.district.name if case.district else "",
        "assigned_to": case.assigned_to.username if case.assigned_to else "",
        "due_date": case.due_date,
        "overdue": bool(case.is_open and case.due_date and case.due_date < today),
        "outcome": case.outcome,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "risk_group": str(case.data.get("kspr_group", "")) if health else "",
    }


def _village(code: str, programme: Programme) -> Region | None:
    village = Region.objects.filter(code=code, level=Region.Level.VILLAGE).first()
    if village is None or services.regency_of(village) != programme.region:
        return None
    return village


def _programme(user: Any, code: str) -> Programme:
    programme = programmes_for_user(user).filter(code=code).first()
    if programme is None:
        raise NotFound("programme")
    return programme


def dispatch_out(dispatch: Dispatch) -> dict[str, Any]:
    return {
        "id": dispatch.pk,
        "prescription_id": dispatch.prescription_id,
        "number": dispatch.number,
        "status": dispatch.status,
        "status_label": str(Dispatch.Status(dispatch.status).label),
        "courier_job_id": dispatch.courier_job_id,
        "send_attempts": dispatch.send_attempts,
        "last_error": dispatch.last_error,
        "recipient_name": dispatch.recipient_name,
        "proof_kind": dispatch.proof_kind,
        "updated_at": dispatch.updated_at,
    }


# --- cases ---------------------------------------------------------------------------------


@router.get("/cases", response=list[CaseOut], auth=AUTH, operation_id="outreach_case_list")
def case_list(
    request: HttpRequest,
    programme: str = "",
    status: str = "",
    village_code: str = "",
    overdue: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Cases this user may see (a field worker: their desa), soonest due first."""
    user = _user(request)
    qs = cases_for_user(user)
    if programme:
        qs = qs.filter(programme__code=programme)
    if status:
        qs = qs.filter(status=status)
    if village_code:
        qs = qs.filter(village__code=village_code)
    if overdue:
        qs = qs.filter(closed_at__isnull=True, due_date__lt=timezone.localdate())
    limit = max(1, min(limit, 200))
    rows = qs.order_by("due_date", "id")[max(0, offset) : max(0, offset) + limit]
    return [case_out(c, user) for c in rows]


@router.get("/cases/{case_id}", response=CaseDetailOut, auth=AUTH, operation_id="outreach_case_get")
def case_get(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = _user(request)
    case = selectors.case_detail(access_case_by_id(user=user, case_id=case_id))
    services.case_view_log(case=case, user=user, purpose="api")
    health = sees_health_data(user, case.programme)
    return {
        **case_out(case, user),
        "tasks": [
            {
                "id": t.pk,
                "kind": t.kind,
                "title": t.title,
                "due_date": t.due_date,
                "done": t.done_at is not None,
                "cancelled": t.cancelled_at is not None,
                "escalation_level": t.escalation_level,
            }
            for t in case.tasks.all()
        ],
        "events": [
            {
                "at": e.at,
                "kind": e.kind,
                "from_value": e.from_value,
                "to_value": e.to_value,
                "note": e.note if health else "",
            }
            for e in case.events.all()
        ],
        "screenings": [
            {"visited_on": s.visited_on, "score": s.score, "group": s.group, "items": s.items}
            for s in case.screenings.all()
        ]
        if health
        else [],
    }


@router.post(
    "/cases/{case_id}/transition",
    response=CaseOut,
    auth=AUTH,
    operation_id="outreach_case_transition",
)
def case_transition(
    request: HttpRequest, case_id: int, payload: CaseTransitionIn
) -> dict[str, Any]:
    user = _user(request)
    case = access_case_by_id(user=user, case_id=case_id)
    case = services.case_transition(
        case=case, actor=user, target=payload.status, outcome=payload.outcome, note=payload.note
    )
    return case_out(access_case_by_id(user=user, case_id=case.pk), user)


@router.post(
    "/cases/{case_id}/assign", response=CaseOut, auth=AUTH, operation_id="outreach_case_assign"
)
def case_assign(request: HttpRequest, case_id: int, payload: CaseAssignIn) -> dict[str, Any]:
    user = _user(request)
    case = access_case_by_id(user=user, case_id=case_id)
    if not can_manage(user, case.programme):
        raise DomainError(
            code="forbidden",
            message=bilingual("Anda tidak dapat menugaskan kasus.", "You cannot assign cases."),
            status=403,
        )
    assignee = None
    if payload.user_id is not None:
        assignee = User.objects.filter(pk=payload.user_id, role=Role.FIELD_WORKER).first()
        if assignee is None:
            raise services.invalid(
                [field_error("user_id", "Petugas tidak ditemukan.", "No such field worker.")]
            )
    services.case_assign(case=case, actor=user, assignee=assignee)
    return case_out(access_case_by_id(user=user, case_id=case.pk), user)


@router.post(
    "/cases/{case_id}/screenings",
    response=KsprOut,
    auth=AUTH,
    operation_id="outreach_screening_create",
)
def screening_create(request: HttpRequest, case_id: int, payload: ScreeningIn) -> dict[str, Any]:
    """The bidan's KSPR card for one visit; schedules the next visit (and referral) by risk."""
    user = _user(request)
    case = access_case_by_id(user=user, case_id=case_id)
    if user.role != Role.FIELD_WORKER:
        raise DomainError(
            code="forbidden",
            message=bilingual("Hanya bidan desa yang mengisi KSPR.", "Only the midwife screens."),
            status=403,
        )
    screening = maternal.screening_record(
        case=case,
        actor=user,
        items=payload.items,
        visited_on=payload.visited_on,
        gestation_weeks=payload.gestation_weeks,
        local_flags=payload.local_flags,
    )
    return kspr.score(screening.items).as_dict()


# --- reports -------------------------------------------------------------------------------


@router.post(
    "/reports",
    response={201: ReportOut, 200: ReportOut},
    auth=REPORTER_AUTH,
    operation_id="outreach_report_submit",
)
def report_submit(request: HttpRequest, payload: ReportIn) -> Status:
    """A registered reporter's report; the same ``client_id`` again returns the first (200)."""
    user = _user(request)
    reporter = reporter_of(user)
    if reporter is None:
        raise DomainError(
            code="forbidden",
            message=bilingual("Anda belum terdaftar sebagai pelapor.", "Not a reporter."),
            status=403,
        )
    programme = reporter.programmes.filter(code=payload.programme, is_active=True).first()
    if programme is None:
        raise NotFound("programme")
    report, created = services.report_submit(
        programme=programme,
        reporter=reporter,
        client_id=payload.client_id,
        name=payload.name,
        village=_village(payload.village_code, programme),
        age_years=payload.age_years,
        note=payload.note,
        signs=payload.signs,
    )
    body = {
        "id": report.pk,
        "client_id": report.client_id,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "received_at": report.received_at,
    }
    return Status(201 if created else 200, body)


# --- KSPR ----------------------------------------------------------------------------------


@router.post("/kspr", response=KsprOut, auth=None, operation_id="outreach_kspr_score")
def kspr_score(request: HttpRequest, payload: KsprIn) -> dict[str, Any]:
    """Score a KSPR card (no personal data is sent or kept)."""
    try:
        return kspr.score(payload.items).as_dict()
    except kspr.KsprError as exc:
        raise services.invalid([field_error("items", str(exc), "Unknown KSPR item.")]) from None


# --- Gancang Aron --------------------------------------------------------------------------


@router.post(
    "/prescriptions",
    response={201: PrescriptionOut},
    auth=AUTH,
    operation_id="outreach_prescription_create",
)
def prescription_create(request: HttpRequest, payload: PrescriptionIn) -> Status:
    """The pharmacy marks a prescription for delivery; the one-time code is returned once."""
    user = _user(request)
    agency_id = pharmacy_agency_id(user)
    if agency_id is None:
        raise DomainError(
            code="forbidden",
            message=bilingual("Hanya petugas farmasi.", "Pharmacy staff only."),
            status=403,
        )
    programme = Programme.objects.select_related("region", "agency").get(
        code="medicine", agency_id=agency_id
    )
    resident = None
    if payload.resident_nik:
        from terpadu.registry.models import Resident

        resident = Resident.objects.filter(
            region=programme.region, nik=payload.resident_nik
        ).first()
    assert programme.agency is not None
    rx, code = medicine.prescription_mark(
        programme=programme,
        agency=programme.agency,
        actor=user,
        rx_number=payload.rx_number,
        village=_village(payload.village_code, programme),
        patient_name=payload.patient_name,
        address=payload.address,
        phone=payload.phone,
        distance_km=payload.distance_km,
        resident=resident,
        pbi=payload.pbi,
    )
    return Status(
        201,
        {
            "id": rx.pk,
            "case_id": rx.case_id,
            "rx_number": rx.rx_number,
            "eligibility": rx.eligibility,
            "tariff": rx.tariff,
            "one_time_code": code,
        },
    )


@router.post(
    "/prescriptions/{prescription_id}/dispatch",
    response={201: DispatchOut},
    auth=AUTH,
    operation_id="outreach_dispatch_create",
)
def dispatch_create(request: HttpRequest, prescription_id: int) -> Status:
    user = _user(request)
    rx = access_prescription_by_id(user=user, prescription_id=prescription_id)
    if pharmacy_agency_id(user) != rx.agency_id:
        raise NotFound("prescription")
    dispatch = medicine.dispatch_create(prescription=rx, actor=user)
    return Status(201, dispatch_out(dispatch))


@router.get(
    "/dispatches/{dispatch_id}",
    response=DispatchOut,
    auth=AUTH,
    operation_id="outreach_dispatch_status",
)
def dispatch_status(request: HttpRequest, dispatch_id: int) -> dict[str, Any]:
    return dispatch_out(access_dispatch_by_id(user=_user(request), dispatch_id=dispatch_id))


@router.post(
    "/courier/callback",
    response=CallbackOut,
    auth=None,
    operation_id="outreach_dispatch_callback",
)
def dispatch_callback(request: HttpRequest) -> dict[str, Any]:
    """The courier's status webhook, signed with HMAC-SHA256 (see docs/outreach.md)."""
    headers = {k: v for k, v in request.headers.items()}
    try:
        event = medicine.callback_apply(body=request.body, headers=headers)
    except medicine.CallbackRefused as exc:
        raise DomainError(
            code="refused",
            message=bilingual(f"Ditolak: {exc}", "Refused."),
            status=exc.status,
        ) from None
    return {"ok": True, "applied": event.applied}


# --- reports by area -----------------------------------------------------------------------


@router.get(
    "/programmes/{code}/report",
    response=AreaOut,
    auth=AUTH,
    operation_id="outreach_programme_report",
)
def programme_report(request: HttpRequest, code: str) -> dict[str, Any]:
    """Cases by status per kecamatan and desa (aggregates only, no personal data)."""
    programme = _programme(_user(request), code)
    area = selectors.report_by_area(programme)
    extra: dict[str, Any] = {}
    if code == "garda_ampuh":
        from terpadu.outreach.programmes import garda_ampuh

        extra = garda_ampuh.report_by_level_and_district(programme)
    elif code == "medicine":
        extra = {"months": medicine.monthly_counts(programme)}
    return {
        "statuses": area["statuses"],
        "districts": area["districts"],
        "villages": area["villages"],
        "totals": area["totals"],
        "extra": extra,
    }
