"""Complaints API (/api/v1/complaints): citizen endpoints without login, officer endpoints with AUTH."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from terpadu.catalog.models import Service
from terpadu.complaints import selectors, services
from terpadu.complaints.access import access_complaint_by_code, access_complaint_by_id
from terpadu.complaints.models import Category, Complaint
from terpadu.core.apiauth import AUTH
from terpadu.core.errors import NotFound, field_error
from terpadu.core.http import client_address
from terpadu.core.models import Agency, Region

PREFIX = "/complaints"
router = Router(tags=["complaints"])


class ComplaintIn(Schema):
    text: str
    village_code: str = ""
    address: str = ""
    lat: float | None = None
    long: float | None = None
    category_code: str = ""
    agency_code: str = ""
    service_code: str = ""
    is_confidential: bool = False
    is_anonymous: bool = False
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""


class ComplaintSubmittedOut(Schema):
    tracking_code: str
    ref: str
    verify_due: date


class EventOut(Schema):
    kind: str
    label: str
    at: datetime
    note: str


class TrackOut(Schema):
    ref: str
    status: str
    status_label: str
    is_confidential: bool
    agency: str
    district: str
    village: str
    text: str
    answer: str
    due: date | None
    overdue: bool
    merged_into: str
    events: list[EventOut]


class PublicComplaintOut(Schema):
    id: int
    ref: str
    submitted_at: datetime
    status: str
    status_label: str
    category: str
    agency: str
    district: str
    village: str
    text: str
    answer: str
    due: date | None
    overdue: bool
    lat: float | None
    long: float | None


class ReporterOut(Schema):
    name: str
    phone: str
    email: str


class ComplaintOut(Schema):
    id: int
    ref: str
    channel: str
    status: str
    submitted_at: datetime
    category_code: str
    agency_code: str
    service_code: str
    district: str
    village: str
    address: str
    lat: float | None
    long: float | None
    text: str
    answer: str
    is_confidential: bool
    is_anonymous: bool
    verify_due: date
    follow_up_due: date | None
    confirm_due: date | None
    overdue: bool
    reporter: ReporterOut | None


class ReasonIn(Schema):
    reason: str


class AnswerIn(Schema):
    answer: str


class DisposeIn(Schema):
    agency_code: str
    category_code: str = ""
    is_confidential: bool | None = None
    is_anonymous: bool | None = None
    note: str = ""


class MergeIn(Schema):
    into_id: int


def _home() -> Region:
    region = Region.objects.filter(code=settings.TERPADU_HOME_REGION).first()
    if region is None:
        raise NotFound("region")
    return region


def _by_code(model: Any, code: str, region: Region, field: str) -> Any:
    if not code:
        return None
    obj = model.objects.filter(region=region, code=code).first()
    if obj is None:
        raise services.invalid([field_error(field, "Kode tidak dikenal.", "Unknown code.")])
    return obj


def complaint_out(complaint: Complaint, user: Any) -> dict[str, Any]:
    who = selectors.reporter_for(user, complaint)
    return {
        "id": complaint.pk,
        "ref": complaint.public_ref,
        "channel": complaint.channel,
        "status": complaint.status,
        "submitted_at": complaint.submitted_at,
        "category_code": complaint.category.code if complaint.category else "",
        "agency_code": complaint.agency.code if complaint.agency else "",
        "service_code": complaint.service.code if complaint.service else "",
        "district": complaint.district.name if complaint.district else "",
        "village": complaint.village.name if complaint.village else "",
        "address": complaint.address,
        "lat": float(complaint.lat) if complaint.lat is not None else None,
        "long": float(complaint.long) if complaint.long is not None else None,
        "text": complaint.text,
        "answer": complaint.answer,
        "is_confidential": complaint.is_confidential,
        "is_anonymous": complaint.is_anonymous,
        "verify_due": complaint.verify_due,
        "follow_up_due": complaint.follow_up_due,
        "confirm_due": complaint.confirm_due,
        "overdue": selectors.is_overdue(complaint),
        "reporter": who.__dict__ if who else None,
    }


def track_out(complaint: Complaint) -> dict[str, Any]:
    complaint = selectors.complaint_detail(complaint)
    return {
        "ref": complaint.public_ref,
        "status": complaint.status,
        "status_label": str(complaint.get_status_display()),
        "is_confidential": complaint.is_confidential,
        "agency": complaint.agency.name if complaint.agency and complaint.disposed_at else "",
        "district": complaint.district.name if complaint.district else "",
        "village": complaint.village.name if complaint.village else "",
        "text": complaint.text,
        "answer": complaint.answer,
        "due": selectors.current_due(complaint),
        "overdue": selectors.is_overdue(complaint),
        "merged_into": complaint.merged_into.public_ref if complaint.merged_into else "",
        "events": [
            {"kind": e.kind, "label": str(e.get_kind_display()), "at": e.at, "note": e.note}
            for e in complaint.events.all()
        ],
    }


@router.post("", response={201: ComplaintSubmittedOut}, operation_id="complaints_submit", auth=None)
def submit(request: HttpRequest, payload: ComplaintIn) -> Status[dict[str, Any]]:
    region = _home()
    village = None
    if payload.village_code:
        village = Region.objects.filter(
            code=payload.village_code, level=Region.Level.VILLAGE
        ).first()
        if village is None:
            raise services.invalid(
                [field_error("village", "Desa/kelurahan tidak dikenal.", "Unknown village.")]
            )
    complaint = services.complaint_submit(
        region=region,
        channel=Complaint.Channel.API,
        text=payload.text,
        reporter=services.Reporter(
            name=payload.reporter_name,
            phone=payload.reporter_phone,
            email=payload.reporter_email,
        ),
        village=village,
        address=payload.address,
        lat=payload.lat,
        long=payload.long,
        category=_by_code(Category, payload.category_code, region, "category"),
        agency=_by_code(Agency, payload.agency_code, region, "agency"),
        service=_by_code(Service, payload.service_code, region, "service"),
        is_confidential=payload.is_confidential,
        is_anonymous=payload.is_anonymous,
        client_address=client_address(request),
    )
    return Status(
        201,
        {
            "tracking_code": complaint.tracking_code,
            "ref": complaint.public_ref,
            "verify_due": complaint.verify_due,
        },
    )


@router.get(
    "/public",
    response=list[PublicComplaintOut],
    operation_id="complaints_public_list",
    auth=None,
)
def public_list(
    request: HttpRequest, district: str = "", status: str = "", offset: int = 0, limit: int = 50
) -> list[dict[str, Any]]:
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    qs = selectors.public_complaints(region=_home(), district_code=district, status=status)
    day = selectors.today()
    return [selectors.public_dict(c, day) for c in qs[offset : offset + limit]]


@router.get("/track/{code}", response=TrackOut, operation_id="complaints_track", auth=None)
def track(request: HttpRequest, code: str) -> dict[str, Any]:
    return track_out(access_complaint_by_code(code=code))


@router.post(
    "/track/{code}/confirm", response=TrackOut, operation_id="complaints_confirm", auth=None
)
def confirm(request: HttpRequest, code: str) -> dict[str, Any]:
    complaint = services.complaint_confirm(complaint=access_complaint_by_code(code=code))
    return track_out(complaint)


@router.post("/track/{code}/reopen", response=TrackOut, operation_id="complaints_reopen", auth=None)
def reopen(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, Any]:
    complaint = services.complaint_reopen(
        complaint=access_complaint_by_code(code=code), reason=payload.reason
    )
    return track_out(complaint)


@router.get("", response=list[ComplaintOut], operation_id="complaints_list", auth=AUTH)
def office_list(
    request: HttpRequest,
    status: str = "",
    overdue: bool = False,
    q: str = "",
    offset: int = 0,
    limit: int = 50,
) -> list[dict[str, Any]]:
    limit = max(1, min(limit, 200))
    qs = selectors.complaint_list_for_user(
        user=request.user, status=status, overdue=overdue, query=q[:100]
    )
    return [complaint_out(c, request.user) for c in qs[max(0, offset) : max(0, offset) + limit]]


@router.get("/{complaint_id}", response=ComplaintOut, operation_id="complaints_get", auth=AUTH)
def office_get(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    complaint = access_complaint_by_id(user=request.user, complaint_id=complaint_id)
    return complaint_out(complaint, request.user)


@router.post(
    "/{complaint_id}/dispose",
    response=ComplaintOut,
    operation_id="complaints_dispose",
    auth=AUTH,
)
def dispose(request: HttpRequest, complaint_id: int, payload: DisposeIn) -> dict[str, Any]:
    complaint = access_complaint_by_id(user=request.user, complaint_id=complaint_id)
    agency = _by_code(Agency, payload.agency_code, complaint.region, "agency_code")
    if agency is None:
        raise services.invalid([field_error("agency_code", "Wajib diisi.", "Required.")])
    complaint = services.complaint_dispose(
        user=request.user,
        complaint=complaint,
        agency=agency,
        category=_by_code(Category, payload.category_code, complaint.region, "category_code"),
        is_confidential=payload.is_confidential,
        is_anonymous=payload.is_anonymous,
        note=payload.note,
    )
    return complaint_out(complaint, request.user)


@router.post(
    "/{complaint_id}/reject", response=ComplaintOut, operation_id="complaints_reject", auth=AUTH
)
def reject(request: HttpRequest, complaint_id: int, payload: ReasonIn) -> dict[str, Any]:
    complaint = access_complaint_by_id(user=request.user, complaint_id=complaint_id)
    complaint = services.complaint_reject(
        user=request.user, complaint=complaint, reason=payload.reason
    )
    return complaint_out(complaint, request.user)


@router.post(
    "/{complaint_id}/answer", response=ComplaintOut, operation_id="complaints_answer", auth=AUTH
)
def answer(request: HttpRequest, complaint_id: int, payload: AnswerIn) -> dict[str, Any]:
    complaint = access_complaint_by_id(user=request.user, complaint_id=complaint_id)
    complaint = services.complaint_answer(
        user=request.user, complaint=complaint, answer=payload.answer
    )
    return complaint_out(complaint, request.user)


@router.post(
    "/{complaint_id}/merge", response=ComplaintOut, operation_id="complaints_merge", auth=AUTH
)
def merge(request: HttpRequest, complaint_id: int, payload: MergeIn) -> dict[str, Any]:
    complaint = access_complaint_by_id(user=request.user, complaint_id=complaint_id)
    target = access_complaint_by_id(user=request.user, complaint_id=payload.into_id)
    complaint = services.complaint_merge(user=request.user, complaint=complaint, into=target)
    return complaint_out(complaint, request.user)
