"""Applications API (/api/v1/applications): citizens and the front desk file and follow their
applications, officers work them, anyone tracks (code + secret) and verifies documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from terpadu.accounts.models import User
from terpadu.applications import selectors, services
from terpadu.applications.access import (
    access_application_by_id,
    access_document_by_application,
    access_file_by_id,
    actor_kinds,
)
from terpadu.applications.codes import document_token
from terpadu.applications.issue import document_pdf_bytes
from terpadu.applications.models import Application
from terpadu.applications.uploads import storage
from terpadu.applications.views import document_verification
from terpadu.applications.workflow import DRAFT
from terpadu.catalog.models import Service
from terpadu.core.apiauth import AUTH
from terpadu.core.errors import NotFound
from terpadu.core.http import client_address
from terpadu.queueing.models import Ticket

PREFIX = "/applications"
router = Router(tags=["applications"])


class ApplicationIn(Schema):
    service_id: int
    applicant_name: str = ""
    applicant_nik: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    notify_channel: str = "none"
    data: dict[str, Any] = {}
    ticket_id: int | None = None
    checked: list[int] = []


class FileOut(Schema):
    id: int
    requirement: int
    label: str
    content_type: str
    size: int
    url: str


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    reason: str
    at: datetime


class ActionOut(Schema):
    action: str
    label: str
    reason_required: bool


class ApplicationOut(Schema):
    id: int
    code: str
    service_id: int
    service: str
    agency: str
    status: str
    status_label: str
    channel: str
    applicant_name: str
    data: dict[str, Any]
    submitted_at: datetime | None
    due_at: datetime | None
    step_due_at: datetime | None
    clock: str
    assigned_to_id: int | None
    files: list[FileOut]
    events: list[EventOut]
    actions: list[ActionOut]
    document_number: str | None
    document_url: str | None


class WorklistItemOut(Schema):
    id: int
    code: str
    service: str
    status: str
    status_label: str
    step_due_at: datetime | None
    clock: str
    assigned_to_id: int | None


class WorklistOut(Schema):
    counts: dict[str, int]
    items: list[WorklistItemOut]


class TransitionIn(Schema):
    action: str
    reason: str = ""


class AssignIn(Schema):
    officer_id: int


class TrackIn(Schema):
    code: str
    secret: str


class TrackStepOut(Schema):
    label: str
    done: bool
    current: bool


class TrackOut(Schema):
    code: str
    first_name: str
    service: str
    agency: str
    status: str
    status_label: str
    hint: str
    reason: str
    due_at: datetime | None
    countdown: str
    steps: list[TrackStepOut]


class VerifyOut(Schema):
    valid: bool
    revoked: bool
    number: str | None = None
    title: str | None = None
    agency: str | None = None
    issued_at: datetime | None = None


def _label(application: Application) -> str:
    if application.status == DRAFT:
        return "Draf"
    return services.workflow_for(application.service_id).state(application.status).label


def _out(request: HttpRequest, application: Application) -> dict[str, Any]:
    application = selectors.with_detail(application)
    kinds = actor_kinds(request.user, application)
    wf = services.workflow_for(application.service_id)
    document = getattr(application, "document", None) if kinds else None
    actions = (
        wf.available(application.status, kinds - {"applicant"} or kinds)
        if application.status != DRAFT
        else []
    )
    return {
        "id": application.pk,
        "code": application.display_code,
        "service_id": application.service_id,
        "service": application.service.name,
        "agency": application.agency.short_name or application.agency.name,
        "status": application.status,
        "status_label": _label(application),
        "channel": application.channel,
        "applicant_name": application.applicant_name,
        "data": {k: v for k, v in (application.data or {}).items() if not k.startswith("_")},
        "submitted_at": application.submitted_at,
        "due_at": application.due_at,
        "step_due_at": application.step_due_at,
        "clock": selectors.step_clock(application).state,
        "assigned_to_id": application.assigned_to_id,
        "files": [
            {
                "id": f.pk,
                "requirement": f.requirement,
                "label": f.label,
                "content_type": f.content_type,
                "size": f.size,
                "url": f"/api/v1/applications/files/{f.pk}",
            }
            for f in (getattr(application, "current_files", []) if kinds else [])
        ],
        "events": [
            {
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
                "at": e.at,
            }
            for e in application.events.all()
        ],
        "actions": [
            {"action": t.action, "label": t.label, "reason_required": t.reason_required}
            for t in actions
        ],
        "document_number": document.number if document else None,
        "document_url": f"/api/v1/applications/{application.pk}/document" if document else None,
    }


def _access(request: HttpRequest, application_id: int) -> Application:
    return access_application_by_id(user=request.user, application_id=application_id)


@router.post(
    "/",
    auth=AUTH,
    response={201: ApplicationOut},
    operation_id="applications_create_draft",
    summary="Create a draft application (citizen online, or the front desk for a citizen)",
)
def create_draft(request: HttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    service = (
        Service.objects.select_related("current_version", "agency", "region")
        .filter(pk=payload.service_id, is_active=True)
        .first()
    )
    if service is None:
        raise NotFound("service")
    ticket = (
        Ticket.objects.select_related("hall").filter(pk=payload.ticket_id).first()
        if payload.ticket_id
        else None
    )
    if payload.ticket_id and ticket is None:
        raise NotFound("ticket")
    application = services.application_apply(
        actor=request.user,
        service=service,
        applicant=services.Applicant(
            name=payload.applicant_name,
            nik=payload.applicant_nik,
            phone=payload.applicant_phone,
            email=payload.applicant_email,
            notify_channel=payload.notify_channel,
        ),
        data=payload.data,
        checked=payload.checked,
        ticket=ticket,
    )
    return Status(201, _out(request, application))


@router.post(
    "/{int:application_id}/files",
    auth=AUTH,
    response=ApplicationOut,
    operation_id="applications_upload",
    summary="Upload the file of one requirement to a draft (PDF, JPEG or PNG)",
)
def upload(
    request: HttpRequest,
    application_id: int,
    requirement: Form[int],
    file: File[UploadedFile],
) -> dict[str, Any]:
    application = _access(request, application_id)
    services.application_update_draft(
        actor=request.user, application=application, files={requirement: file}
    )
    return _out(request, application)


@router.post(
    "/{int:application_id}/submit",
    auth=AUTH,
    response=ApplicationOut,
    operation_id="applications_submit",
    summary="Submit a complete draft; the SLA clocks start",
)
def submit(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _access(request, application_id)
    services.application_submit(actor=request.user, application=application)
    return _out(request, application)


@router.get(
    "/worklist",
    auth=AUTH,
    response=WorklistOut,
    operation_id="applications_list_worklist",
    summary="Open applications of the officer (mine=true) or the agency, by due time",
)
def worklist(
    request: HttpRequest, mine: bool = False, clock: str = "", limit: int = 100
) -> dict[str, Any]:
    qs = selectors.worklist(request.user, mine=mine, state=clock)[: max(1, min(limit, 500))]
    return {
        "counts": selectors.worklist_counts(request.user, mine=mine),
        "items": [
            {
                "id": a.pk,
                "code": a.display_code,
                "service": a.service.name,
                "status": a.status,
                "status_label": _label(a),
                "step_due_at": a.step_due_at,
                "clock": selectors.step_clock(a).state,
                "assigned_to_id": a.assigned_to_id,
            }
            for a in qs
        ],
    }


@router.get(
    "/{int:application_id}",
    auth=AUTH,
    response=ApplicationOut,
    operation_id="applications_get",
    summary="One application (applicant, front desk, or the responsible agency)",
)
def get(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return _out(request, _access(request, application_id))


@router.post(
    "/{int:application_id}/transitions",
    auth=AUTH,
    response=ApplicationOut,
    operation_id="applications_transition",
    summary="Take a workflow step (verify, accept, request_fix, resubmit, reject, approve, complete)",
)
def transition(request: HttpRequest, application_id: int, payload: TransitionIn) -> dict[str, Any]:
    application = _access(request, application_id)
    services.application_transition(
        actor=request.user, application=application, action=payload.action, reason=payload.reason
    )
    return _out(request, application)


@router.post(
    "/{int:application_id}/assign",
    auth=AUTH,
    response=ApplicationOut,
    operation_id="applications_assign",
    summary="Assign to an officer of the agency",
)
def assign(request: HttpRequest, application_id: int, payload: AssignIn) -> dict[str, Any]:
    application = _access(request, application_id)
    officer = User.objects.filter(pk=payload.officer_id).first()
    services.application_assign(actor=request.user, application=application, officer=officer)
    return _out(request, application)


def _file(name: str, content_type: str) -> HttpResponseBase:
    try:
        handle = storage().open(name, "rb")
    except OSError:
        raise NotFound("file") from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/files/{int:file_id}",
    auth=AUTH,
    operation_id="applications_file_get",
    summary="The bytes of an uploaded file (applicant and the responsible agency only)",
)
def file_get(request: HttpRequest, file_id: int) -> HttpResponseBase:
    item = access_file_by_id(user=request.user, file_id=file_id)
    return _file(str(item.file.name), item.content_type)


@router.get(
    "/{int:application_id}/document",
    auth=AUTH,
    operation_id="applications_document_get",
    summary="The issued PDF (applicant and the responsible agency only)",
)
def document_get(request: HttpRequest, application_id: int) -> HttpResponseBase:
    document = access_document_by_application(user=request.user, application_id=application_id)
    response = HttpResponse(document_pdf_bytes(document), content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


class RevokeIn(Schema):
    reason: str


@router.post(
    "/{int:application_id}/document/revoke",
    auth=AUTH,
    response=VerifyOut,
    operation_id="applications_document_revoke",
    summary="Revoke the issued document (agency head); its QR page then says it is not valid",
)
def document_revoke(request: HttpRequest, application_id: int, payload: RevokeIn) -> dict[str, Any]:
    document = access_document_by_application(user=request.user, application_id=application_id)
    services.document_revoke(actor=request.user, document=document, reason=payload.reason)
    return document_verification(document_token(document.pk, document.number))


@router.post(
    "/track",
    auth=None,
    response=TrackOut,
    operation_id="applications_track",
    summary="Public status by tracking code and the last 4 NIK digits (or phone); rate-limited",
)
def track(request: HttpRequest, payload: TrackIn) -> dict[str, Any]:
    application = services.application_track(
        code=payload.code,
        secret=payload.secret,
        client_address=client_address(request),
    )
    s = selectors.public_status(application)
    return {
        **{k: s[k] for k in ("code", "first_name", "service", "agency", "status", "hint")},
        "status_label": s["status_label"],
        "reason": s["reason"],
        "due_at": s["clock"].due,
        "countdown": s["clock"].countdown,
        "steps": s["steps"],
    }


@router.get(
    "/documents/verify/{token}",
    auth=None,
    response=VerifyOut,
    operation_id="applications_document_verify",
    summary="Whether a document token (from its QR code) is genuine and not revoked",
)
def document_verify(request: HttpRequest, token: str) -> dict[str, Any]:
    return document_verification(token)
