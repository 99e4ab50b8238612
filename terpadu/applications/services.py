"""Writes on applications: drafts, submission, transitions, assignment, escalation, documents.

Every function is keyword-only and atomic, validates before it writes, appends an
audit entry, and queues its messages in the outbox inside the same transaction.
Uploaded files are written to storage inside the transaction and deleted again if
it fails, so a rejected submission leaves neither rows nor files behind.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from terpadu.accounts.models import Role
from terpadu.applications import hotpath, uploads
from terpadu.applications import sla as clock
from terpadu.applications.access import actor_kinds
from terpadu.applications.codes import new_code, normalise_code
from terpadu.applications.models import (
    AgencyBackOffice,
    Application,
    ApplicationEvent,
    ApplicationFile,
    IssuedDocument,
    ServiceWorkflow,
    TrackingCounter,
)
from terpadu.applications.workflow import (
    DEFAULT_WORKFLOW,
    DRAFT,
    State,
    Workflow,
    WorkflowError,
    parse,
)
from terpadu.catalog.models import Service, ServiceVersion
from terpadu.core.audit import audit_record
from terpadu.core.calendars import calendar_for
from terpadu.core.errors import DomainError, FieldError, NotFound, bilingual, field_error
from terpadu.core.models import Agency
from terpadu.core.nik import clean_nik, parse_nik
from terpadu.core.workdays import Calendar
from terpadu.notifications.models import Channel
from terpadu.notifications.services import normalise_phone, notify

MAX_TEXT = 200
MAX_TEXTAREA = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
OPTIONAL_MARKERS = ("bila ", "jika ", "(opsional)", "apabila ")
CHECKED_KEY = "_checked_at_counter"


# -- configuration -----------------------------------------------------------------


_WORKFLOWS: dict[int, tuple[float, Workflow]] = {}
WORKFLOW_CACHE_SECONDS = 10.0


def workflow_for(service_id: int) -> Workflow:
    """The service's workflow (the default without its own). Cached per process for a few
    seconds outside transactions (a worklist page asks once per service, not per row)."""
    now = time.monotonic()
    hit = _WORKFLOWS.get(service_id)
    if hit is not None and hit[0] > now:
        return hit[1]
    row = ServiceWorkflow.objects.filter(service_id=service_id).only("definition").first()
    workflow = DEFAULT_WORKFLOW if row is None else parse(row.definition)
    if not transaction.get_connection().in_atomic_block:
        _WORKFLOWS[service_id] = (now + WORKFLOW_CACHE_SECONDS, workflow)
    return workflow


def forget_workflow(service_id: int) -> None:
    _WORKFLOWS.pop(service_id, None)


def calendar_of(agency: Agency) -> Calendar:
    if agency.calendar_id:
        return calendar_for(calendar_id=agency.calendar_id)
    return calendar_for(region_code=agency.region.code if agency.region_id else None)


def service_sla(version: ServiceVersion) -> clock.Sla:
    unit = "hours" if version.completion_time_unit == "hours" else "working_days"
    return clock.Sla(max(1, int(version.completion_time_value or 1)), unit)


def step_sla(state: State, version: ServiceVersion) -> clock.Sla | None:
    if state.uses_service_sla:
        return service_sla(version)
    if state.sla is not None:
        return clock.Sla(state.sla.value, state.sla.unit)
    return None


def requirement_optional(requirement: Mapping[str, Any]) -> bool:
    if requirement.get("optional"):
        return True
    text = f"{requirement.get('document', '')} {requirement.get('note', '')}".lower()
    return any(marker in text for marker in OPTIONAL_MARKERS)


@transaction.atomic
def service_workflow_set(
    *, actor: Any, service: Service, definition: Mapping[str, Any]
) -> ServiceWorkflow:
    """Give a service its own workflow (agency head or administrator)."""
    if not (
        getattr(actor, "role", None) == Role.ADMIN
        or (
            getattr(actor, "role", None) == Role.AGENCY_HEAD
            and actor.agency_id == service.agency_id
        )
    ):
        raise NotFound("service")
    try:
        parse(definition)
    except WorkflowError as exc:
        raise _invalid([field_error("definition", exc.message, exc.message)]) from None
    row, _ = ServiceWorkflow.objects.update_or_create(
        service=service, defaults={"definition": dict(definition)}
    )
    transaction.on_commit(lambda: forget_workflow(service.pk))
    forget_workflow(service.pk)
    audit_record(actor=actor, action="application.workflow_set", record=service)
    return row


# -- validation --------------------------------------------------------------------


def _invalid(errors: list[FieldError], message: str = "") -> DomainError:
    return DomainError(
        code="invalid",
        message=message
        or bilingual("Periksa kembali isian yang ditandai.", "Check the marked fields."),
        errors=errors,
    )


@dataclass
class Applicant:
    name: str
    nik: str
    phone: str = ""
    email: str = ""
    notify_channel: str = Application.NotifyChannel.NONE


def clean_applicant(applicant: Applicant, errors: list[FieldError]) -> Applicant:
    name = " ".join(str(applicant.name or "").split())
    if not name:
        errors.append(
            field_error("applicant_name", "Nama pemohon wajib diisi.", "Name is required.")
        )
    elif len(name) > 150:
        errors.append(field_error("applicant_name", "Nama terlalu panjang.", "Name too long."))
    nik = clean_nik(str(applicant.nik or ""))
    info = parse_nik(nik)
    if not nik:
        errors.append(field_error("applicant_nik", "NIK wajib diisi.", "NIK is required."))
    elif not info.valid:
        errors.append(
            field_error(
                "applicant_nik",
                "NIK tidak valid: " + " ".join(p["message"] for p in info.problems),
                "Invalid NIK.",
            )
        )
    phone = ""
    if str(applicant.phone or "").strip():
        phone = normalise_phone(applicant.phone)
        if not phone:
            errors.append(
                field_error(
                    "applicant_phone",
                    "Nomor HP tidak valid (contoh: 0812 3456 7890).",
                    "Invalid phone number.",
                )
            )
    email = str(applicant.email or "").strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        errors.append(
            field_error("applicant_email", "Alamat surel tidak valid.", "Invalid e-mail.")
        )
    channel = str(applicant.notify_channel or Application.NotifyChannel.NONE)
    if channel not in Application.NotifyChannel.values:
        errors.append(field_error("notify_channel", "Pilihan tidak dikenal.", "Unknown choice."))
    elif channel == Application.NotifyChannel.EMAIL and not email:
        errors.append(
            field_error(
                "applicant_email",
                "Isi alamat surel untuk menerima kabar lewat surel.",
                "An e-mail address is needed for e-mail notifications.",
            )
        )
    elif channel in (Application.NotifyChannel.SMS, Application.NotifyChannel.WHATSAPP) and not (
        phone or str(applicant.phone or "").strip()
    ):
        errors.append(
            field_error(
                "applicant_phone",
                "Isi nomor HP untuk menerima kabar lewat SMS/WhatsApp.",
                "A phone number is needed for SMS/WhatsApp notifications.",
            )
        )
    return Applicant(name=name, nik=nik, phone=phone, email=email, notify_channel=channel)


def clean_data(
    version: ServiceVersion,
    raw: Mapping[str, Any],
    errors: list[FieldError],
    *,
    require: bool,
) -> dict[str, Any]:
    """Values of the service's extra fields; ``require`` enforces the required ones."""
    out: dict[str, Any] = {}
    for spec in version.extra_fields or []:
        name, label, kind = spec["name"], spec.get("label", spec["name"]), spec.get("type", "text")
        key = f"data.{name}"
        value = raw.get(name)
        text = "" if value is None else str(value).strip()
        if not text:
            if require and spec.get("required"):
                errors.append(field_error(key, f"{label} wajib diisi.", f"{label} is required."))
            continue
        if kind == "date":
            try:
                day = date.fromisoformat(text)
            except ValueError:
                errors.append(
                    field_error(key, f"{label}: tanggal tidak valid.", f"{label}: invalid date.")
                )
                continue
            if day > clock.local_day(timezone.now()) + timedelta(days=366):
                errors.append(
                    field_error(key, f"{label}: tanggal terlalu jauh.", f"{label}: date too far.")
                )
                continue
            out[name] = day.isoformat()
        elif kind == "number":
            try:
                out[name] = int(text)
            except ValueError:
                errors.append(
                    field_error(key, f"{label}: harus angka.", f"{label}: must be a number.")
                )
        elif kind == "email":
            if not _EMAIL.match(text):
                errors.append(field_error(key, f"{label}: surel tidak valid.", "Invalid e-mail."))
            else:
                out[name] = text
        elif kind == "tel":
            phone = normalise_phone(text)
            if not phone:
                errors.append(field_error(key, f"{label}: nomor tidak valid.", "Invalid number."))
            else:
                out[name] = phone
        else:
            limit = MAX_TEXTAREA if kind == "textarea" else MAX_TEXT
            if len(text) > limit:
                errors.append(
                    field_error(
                        key,
                        f"{label}: paling banyak {limit} karakter.",
                        f"{label}: at most {limit} characters.",
                    )
                )
            else:
                out[name] = text
    return out


def _clean_files(
    version: ServiceVersion, files: Mapping[int, Any], errors: list[FieldError]
) -> dict[int, uploads.CleanFile]:
    out: dict[int, uploads.CleanFile] = {}
    count = len(version.requirement_list())
    for index, upload in files.items():
        key = f"files.{index}"
        if not isinstance(index, int) or not 0 <= index < count:
            errors.append(field_error(key, "Persyaratan tidak dikenal.", "Unknown requirement."))
            continue
        try:
            out[index] = uploads.clean_upload(upload, field=key)
        except uploads.UploadRejected as exc:
            errors.append(exc.error)
    return out


def missing_requirements(application: Application) -> list[FieldError]:
    """Field errors for each required document with neither a file nor a counter check."""
    have = set(application.files.filter(is_current=True).values_list("requirement", flat=True))
    checked = set((application.data or {}).get(CHECKED_KEY, []))
    errors = []
    for index, requirement in enumerate(application.service_version.requirement_list()):
        if index in have or index in checked or requirement_optional(requirement):
            continue
        label = requirement.get("document", "")
        errors.append(
            field_error(
                f"files.{index}",
                f"Unggah berkas: {label}.",
                f"Upload the file: {label}.",
            )
        )
    return errors


# -- drafts and submission ---------------------------------------------------------


def _store_files(
    application: Application,
    cleaned: Mapping[int, uploads.CleanFile],
    *,
    actor: Any,
    now: datetime,
    saved: list[str],
) -> None:
    requirements = application.service_version.requirement_list()
    for index, item in sorted(cleaned.items()):
        ApplicationFile.objects.filter(
            application=application, requirement=index, is_current=True
        ).update(is_current=False)
        name = uploads.save(item, folder=f"applications/{application.pk}")
        saved.append(name)
        ApplicationFile.objects.create(
            application=application,
            requirement=index,
            label=str(requirements[index].get("document", ""))[:300],
            file=name,
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
            original_name=item.original_name,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            uploaded_at=now,
        )


def _new_code() -> str:
    for _ in range(20):
        code = new_code()
        if not Application.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free tracking code")  # pragma: no cover - 2^50 codes


def _user_label(actor: Any) -> str:
    if getattr(actor, "pk", None) is None:
        return str(actor or "sistem")
    return (actor.get_full_name() or actor.get_username())[:150]


def application_apply(
    *,
    actor: Any,
    service: Service,
    applicant: Applicant,
    data: Mapping[str, Any],
    files: Mapping[int, Any] | None = None,
    checked: list[int] | None = None,
    ticket: Any = None,
    submit: bool = False,
) -> Application:
    """Create a draft (and submit it at once when ``submit``): all of it, or nothing."""
    saved: list[str] = []
    try:
        return _apply(
            actor=actor,
            service=service,
            applicant=applicant,
            data=data,
            files=files or {},
            checked=checked or [],
            ticket=ticket,
            submit=submit,
            saved=saved,
        )
    except BaseException:
        uploads.delete_quietly(saved)
        raise


@transaction.atomic
def _apply(
    *,
    actor: Any,
    service: Service,
    applicant: Applicant,
    data: Mapping[str, Any],
    files: Mapping[int, Any],
    checked: list[int],
    ticket: Any,
    submit: bool,
    saved: list[str],
) -> Application:
    role = getattr(actor, "role", None)
    at_counter = role in (Role.FRONT_DESK, Role.ADMIN)
    if role != Role.CITIZEN and not at_counter:
        raise DomainError(
            code="forbidden",
            message=bilingual(
                "Hanya warga atau petugas meja depan yang dapat mengajukan permohonan.",
                "Only citizens or the front desk can file applications.",
            ),
            status=403,
        )
    version = service.current_version
    if version is None or not service.is_active:
        raise NotFound("service")
    if not at_counter and not service.online_available:
        raise DomainError(
            code="not_online",
            message=bilingual(
                "Layanan ini belum dapat diajukan daring. Silakan datang ke loket MPP.",
                "This service cannot be applied for online yet.",
            ),
            errors=[field_error("service", "Tidak tersedia daring.", "Not available online.")],
        )
    if (
        not at_counter
        and getattr(actor, "region_id", None)
        and actor.region_id != service.region_id
    ):
        raise NotFound("service")
    if ticket is not None and (not at_counter or ticket.hall.region_id != service.region_id):
        raise _invalid([field_error("ticket", "Tiket antrean tidak dikenal.", "Unknown ticket.")])
    errors: list[FieldError] = []
    person = clean_applicant(applicant, errors)
    values = clean_data(version, data, errors, require=submit)
    cleaned = _clean_files(version, files, errors)
    count = len(version.requirement_list())
    checked_ok = sorted({i for i in checked if isinstance(i, int) and 0 <= i < count})
    if checked_ok and not at_counter:
        errors.append(
            field_error(
                "checked", "Hanya petugas loket yang memeriksa dokumen asli.", "Counter only."
            )
        )
    if errors:
        raise _invalid(errors)
    if checked_ok:
        values[CHECKED_KEY] = checked_ok
    now = timezone.now()
    application = Application.objects.create(
        region_id=service.region_id,
        agency_id=service.agency_id,
        service=service,
        service_version=version,
        code=_new_code(),
        channel=Application.Channel.COUNTER if at_counter else Application.Channel.ONLINE,
        status=DRAFT,
        applicant=actor if role == Role.CITIZEN else None,
        filed_by=actor if at_counter else None,
        ticket=ticket,
        applicant_name=person.name,
        applicant_nik=person.nik,
        applicant_phone=person.phone,
        applicant_email=person.email,
        notify_channel=person.notify_channel,
        data=values,
        created_at=now,
        updated_at=now,
    )
    _store_files(application, cleaned, actor=actor, now=now, saved=saved)
    audit_record(
        actor=actor,
        action="application.draft",
        record=application,
        summary={"service": service.code, "channel": application.channel},
    )
    if submit:
        _submit(actor=actor, application=application, now=now)
    return application


def application_update_draft(
    *,
    actor: Any,
    application: Application,
    applicant: Applicant | None = None,
    data: Mapping[str, Any] | None = None,
    files: Mapping[int, Any] | None = None,
    submit: bool = False,
) -> Application:
    """Change a draft (fields and files), and submit it when ``submit``; all or nothing."""
    saved: list[str] = []
    try:
        return _update_draft(
            actor=actor,
            application=application,
            applicant=applicant,
            data=data,
            files=files or {},
            submit=submit,
            saved=saved,
        )
    except BaseException:
        uploads.delete_quietly(saved)
        raise


@transaction.atomic
def _update_draft(
    *,
    actor: Any,
    application: Application,
    applicant: Applicant | None,
    data: Mapping[str, Any] | None,
    files: Mapping[int, Any],
    submit: bool,
    saved: list[str],
) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if "applicant" not in actor_kinds(actor, application):
        raise NotFound("application")
    if application.status != DRAFT:
        raise DomainError(
            code="not_draft",
            message=bilingual(
                "Permohonan sudah diajukan dan tidak dapat diubah lagi.",
                "The application was already submitted.",
            ),
            status=409,
        )
    version = application.service_version
    errors: list[FieldError] = []
    person = clean_applicant(applicant, errors) if applicant is not None else None
    merged = {**(application.data or {}), **(data or {})}
    values = clean_data(version, merged, errors, require=submit)
    cleaned = _clean_files(version, files, errors)
    if errors:
        raise _invalid(errors)
    if CHECKED_KEY in (application.data or {}):
        values[CHECKED_KEY] = application.data[CHECKED_KEY]
    now = timezone.now()
    application.data = values
    fields = ["data", "updated_at"]
    if person is not None:
        application.applicant_name = person.name
        application.applicant_nik = person.nik
        application.applicant_phone = person.phone
        application.applicant_email = person.email
        application.notify_channel = person.notify_channel
        fields += [
            "applicant_name",
            "applicant_nik",
            "applicant_phone",
            "applicant_email",
            "notify_channel",
        ]
    application.updated_at = now
    application.save(update_fields=fields)
    _store_files(application, cleaned, actor=actor, now=now, saved=saved)
    if submit:
        _submit(actor=actor, application=application, now=now)
    return application


@transaction.atomic
def application_submit(*, actor: Any, application: Application) -> Application:
    """Submit a complete draft: the clocks start and the citizen gets a receipt."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if "applicant" not in actor_kinds(actor, application):
        raise NotFound("application")
    if application.status != DRAFT:
        raise DomainError(
            code="not_draft",
            message=bilingual("Permohonan sudah diajukan.", "Already submitted."),
            status=409,
        )
    errors: list[FieldError] = []
    clean_data(application.service_version, application.data or {}, errors, require=True)
    if errors:
        raise _invalid(errors)
    _submit(actor=actor, application=application, now=timezone.now())
    return application


def _submit(*, actor: Any, application: Application, now: datetime) -> None:
    errors = missing_requirements(application)
    if errors:
        raise _invalid(
            errors,
            bilingual(
                "Permohonan belum lengkap: unggah semua berkas yang wajib.",
                "The application is incomplete: upload every required file.",
            ),
        )
    wf = workflow_for(application.service_id)
    cal = calendar_of(application.agency)
    application.status = wf.initial
    application.submitted_at = now
    application.due_at = clock.due_at(now, service_sla(application.service_version), cal)
    _enter_state(application, wf.state(wf.initial), now, cal)
    application.updated_at = now
    application.save()
    event = ApplicationEvent.objects.create(
        application=application,
        action="submit",
        from_status=DRAFT,
        to_status=wf.initial,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_user_label(actor),
        at=now,
    )
    audit_record(
        actor=actor,
        action="application.submit",
        record=application,
        summary={"code": application.code, "due": application.due_at},
    )
    _notify_citizen(application, "applications/submitted", event)
    _notify_back_office(application, event)


def _enter_state(application: Application, state: State, now: datetime, cal: Calendar) -> None:
    step = step_sla(state, application.service_version)
    application.escalated_at = None
    # the agency's step clock; a step that waits for the citizen (perbaikan) has none
    if state.terminal or step is None or state.waits_for != "agency":
        application.step_started_at = now
        application.step_due_at = None
        application.step_warn_at = None
        return
    application.step_started_at = now
    application.step_due_at = clock.due_at(now, step, cal)
    application.step_warn_at = clock.warn_at(now, application.step_due_at)


# -- transitions -------------------------------------------------------------------


def _pauses(application: Application) -> list[tuple[datetime, datetime]]:
    return [
        (datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in application.pauses or []
    ]


def application_transition(
    *,
    actor: Any,
    application: Application,
    action: str,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    files: Mapping[int, Any] | None = None,
) -> Application:
    """Take one workflow step (with the citizen's corrections, for ``resubmit``)."""
    saved: list[str] = []
    try:
        return _transition(
            actor=actor,
            application=application,
            action=action,
            reason=reason,
            data=data,
            files=files or {},
            saved=saved,
        )
    except BaseException:
        uploads.delete_quietly(saved)
        raise


@transaction.atomic
def _transition(
    *,
    actor: Any,
    application: Application,
    action: str,
    reason: str,
    data: Mapping[str, Any] | None,
    files: Mapping[int, Any],
    saved: list[str],
) -> Application:
    application = (
        Application.objects.select_for_update()
        .select_related("service_version", "agency", "agency__region", "service", "region")
        .get(pk=application.pk)
    )
    kinds = actor_kinds(actor, application)
    if not kinds:
        raise NotFound("application")
    if application.status == DRAFT:
        raise DomainError(
            code="not_submitted",
            message=bilingual("Permohonan belum diajukan.", "Not submitted yet."),
            status=409,
        )
    reason = str(reason or "").strip()[:2000]
    wf = workflow_for(application.service_id)
    try:
        transition = wf.resolve(application.status, action, kinds, reason)
    except WorkflowError as exc:
        errors: list[FieldError]
        status = {"not_allowed": 409, "forbidden": 403, "reason_required": 400}.get(exc.code, 400)
        errors = (
            [field_error("reason", exc.message, "A reason is required.")]
            if exc.code == "reason_required"
            else []
        )
        raise DomainError(
            code=exc.code, message=exc.message, errors=errors, status=status
        ) from None
    now = timezone.now()
    cal = calendar_of(application.agency)
    source, target = wf.state(application.status), wf.state(transition.target)
    if data is not None or files:
        errors = []
        merged = {**(application.data or {}), **(data or {})}
        values = clean_data(application.service_version, merged, errors, require=True)
        cleaned = _clean_files(application.service_version, files, errors)
        if errors:
            raise _invalid(errors)
        if CHECKED_KEY in (application.data or {}):
            values[CHECKED_KEY] = application.data[CHECKED_KEY]
        application.data = values
        _store_files(application, cleaned, actor=actor, now=now, saved=saved)
    if "applicant" in transition.actors and transition.target != transition.source:
        missing = missing_requirements(application)
        if missing:
            raise _invalid(missing)
    # the clock: leaving a pause adds it back; entering one stops the overall clock
    if source.pauses_clock and application.paused_since is not None:
        application.pauses = [
            *(application.pauses or []),
            [application.paused_since.isoformat(), now.isoformat()],
        ]
        application.paused_since = None
    if target.pauses_clock:
        application.paused_since = now
        application.due_at = None
    elif application.submitted_at is not None and not target.terminal:
        application.due_at = clock.due_at(
            application.submitted_at,
            service_sla(application.service_version),
            cal,
            pauses=_pauses(application),
        )
    application.status = target.key
    _enter_state(application, target, now, cal)
    if target.terminal:
        application.completed_at = now
    if transition.issues_document or target.terminal:
        application.decided_at = application.decided_at or now
    if "officer" in kinds and application.assigned_to_id is None:
        application.assigned_to = actor
    application.updated_at = now
    application.save()
    event = ApplicationEvent.objects.create(
        application=application,
        action=transition.action,
        from_status=source.key,
        to_status=target.key,
        reason=reason,
        actor=actor,
        actor_label=_user_label(actor),
        at=now,
    )
    audit_record(
        actor=actor,
        action=f"application.{transition.action}",
        record=application,
        summary={"from": source.key, "to": target.key, "reason": reason},
    )
    if transition.issues_document:
        from terpadu.applications.issue import document_issue

        document_issue(actor=actor, application=application, now=now, saved=saved)
    _notify_citizen(application, "applications/status", event)
    _notify_back_office(application, event)
    if target.key == "selesai" or (target.terminal and not transition.reason_required):
        _notify_survey(application)
    return application


@transaction.atomic
def application_assign(*, actor: Any, application: Application, officer: Any) -> Application:
    """Assign to an officer of the agency: a head assigns anyone; an officer takes it himself."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    kinds = actor_kinds(actor, application)
    if "officer" not in kinds:
        raise NotFound("application")
    if (
        officer is None
        or officer.agency_id != application.agency_id
        or officer.role
        not in (
            Role.AGENCY_OFFICER,
            Role.AGENCY_HEAD,
        )
    ):
        raise _invalid(
            [field_error("officer", "Petugas bukan dari instansi ini.", "Not an officer here.")]
        )
    if "head" not in kinds and officer.pk != actor.pk:
        raise DomainError(
            code="forbidden",
            message=bilingual(
                "Hanya kepala instansi yang dapat menugaskan petugas lain.",
                "Only the head assigns other officers.",
            ),
            status=403,
        )
    before = application.assigned_to_id
    application.assigned_to = officer
    application.updated_at = timezone.now()
    application.save(update_fields=["assigned_to", "updated_at"])
    ApplicationEvent.objects.create(
        application=application,
        action="assign",
        from_status=application.status,
        to_status=application.status,
        actor=actor,
        actor_label=_user_label(actor),
        reason=_user_label(officer),
        at=application.updated_at,
    )
    audit_record(
        actor=actor,
        action="application.assign",
        record=application,
        summary={"assigned_to": [before, officer.pk]},
    )
    return application


def applications_escalate(*, now: datetime | None = None, limit: int = 500) -> int:
    """Escalate every step past its due moment to the agency head (once per step)."""
    now = now or timezone.now()
    ids = list(
        Application.objects.filter(step_due_at__lt=now, escalated_at__isnull=True)
        .exclude(status=DRAFT)
        .order_by("step_due_at")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for pk in ids:
        if _escalate_one(pk, now):
            done += 1
    return done


@transaction.atomic
def _escalate_one(pk: int, now: datetime) -> bool:
    from terpadu.accounts.models import User

    application = (
        Application.objects.select_for_update()
        .select_related("agency", "service", "region")
        .filter(pk=pk, step_due_at__lt=now, escalated_at__isnull=True)
        .first()
    )
    if application is None:
        return False
    application.escalated_at = now
    application.save(update_fields=["escalated_at"])
    ApplicationEvent.objects.create(
        application=application,
        action="escalate",
        from_status=application.status,
        to_status=application.status,
        actor_label="sistem",
        at=now,
    )
    audit_record(
        actor="sistem",
        action="application.escalate",
        record=application,
        summary={"status": application.status, "step_due": application.step_due_at},
    )
    heads = User.objects.filter(
        role=Role.AGENCY_HEAD, agency_id=application.agency_id, is_active=True
    ).exclude(email="")
    wf = workflow_for(application.service_id)
    for head in heads:
        notify(
            recipient=head.email,
            channel=Channel.EMAIL,
            template="applications/escalation",
            context={
                "code": application.display_code,
                "service": application.service.name,
                "state": wf.state(application.status).label,
                "due": _local_text(application.step_due_at),
                "url": f"{settings.BASE_URL}/kantor/permohonan/{application.pk}/",
            },
            idempotency_key=f"app-{application.pk}-esc-{int(now.timestamp())}-u{head.pk}",
        )
    return True


# -- messages ----------------------------------------------------------------------


def _local_text(moment: datetime | None) -> str:
    if moment is None:
        return ""
    from terpadu.core.workdays import long_date

    local = moment.astimezone(clock.LOCAL_TZ)
    return f"{long_date(local.date())} pukul {local:%H.%M} WIB"


def _recipient(application: Application) -> tuple[str, str] | None:
    channel = application.notify_channel
    if channel == Application.NotifyChannel.EMAIL and application.applicant_email:
        return Channel.EMAIL, application.applicant_email
    if (
        channel in (Application.NotifyChannel.SMS, Application.NotifyChannel.WHATSAPP)
        and application.applicant_phone
    ):
        return channel, application.applicant_phone
    return None


def _notify_citizen(application: Application, template: str, event: ApplicationEvent) -> None:
    target = _recipient(application)
    if target is None:
        return
    channel, recipient = target
    wf = workflow_for(application.service_id)
    state = wf.state(application.status)
    notify(
        recipient=recipient,
        channel=channel,
        template=template,
        context={
            "first_name": application.first_name,
            "code": application.display_code,
            "service": application.service.name,
            "agency": application.agency.short_name or application.agency.name,
            "state": state.label,
            "hint": state.citizen_hint,
            "reason": event.reason,
            "due": _local_text(application.due_at),
            "track_url": f"{settings.BASE_URL}/lacak/permohonan/?kode={application.code}",
        },
        idempotency_key=f"app-{application.pk}-ev-{event.pk}-citizen",
    )


def _notify_back_office(application: Application, event: ApplicationEvent) -> None:
    hook = (
        AgencyBackOffice.objects.select_related("endpoint")
        .filter(agency_id=application.agency_id, endpoint__is_active=True)
        .first()
    )
    if hook is None:
        return
    notify(
        recipient=hook.endpoint.key,
        channel=Channel.WEBHOOK,
        template="applications.transition",
        context={
            "event": "application.transition",
            "event_id": event.pk,
            "application_id": application.pk,
            "code": application.code,
            "service": application.service.code,
            "action": event.action,
            "from": event.from_status,
            "to": event.to_status,
            "reason": event.reason,
            "at": event.at.isoformat(),
            "due_at": application.due_at.isoformat() if application.due_at else None,
        },
        idempotency_key=f"app-{application.pk}-ev-{event.pk}-hook",
    )


def _notify_survey(application: Application) -> None:
    from terpadu.surveys.services import survey_link

    target = _recipient(application)
    if target is None:
        return
    channel, recipient = target
    link = survey_link(
        agency=application.agency, visit_ref=application.code, service=application.service
    )
    notify(
        recipient=recipient,
        channel=channel,
        template="applications/survey",
        context={
            "first_name": application.first_name,
            "code": application.display_code,
            "service": application.service.name,
            "agency": application.agency.short_name or application.agency.name,
            "survey_url": f"{settings.BASE_URL}{link}",
        },
        idempotency_key=f"app-{application.pk}-survey",
    )


# -- public tracking ---------------------------------------------------------------


TRACK_LIMITS = {"address": (20, 900), "code": (5, 3600)}


def _counter_key(kind: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"track:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _window(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def _limits() -> dict[str, tuple[int, int]]:
    return {**TRACK_LIMITS, **getattr(settings, "APPLICATION_TRACK_LIMITS", {})}


def secret_matches(application: Application, secret: str) -> bool:
    text = re.sub(r"[\s\-.]", "", str(secret or ""))
    if len(text) == 4 and text.isdigit():
        return hmac.compare_digest(text, application.applicant_nik[-4:])
    phone = normalise_phone(text)
    return (
        bool(phone)
        and bool(application.applicant_phone)
        and hmac.compare_digest(phone, application.applicant_phone)
    )


def application_track(
    *, code: str, secret: str, client_address: str, now: datetime | None = None
) -> Application:
    """The application for the public tracking page: code + last 4 NIK digits or phone.

    Failed look-ups are counted per address and per code (fixed windows); past the
    limit every look-up is refused with 429 for the rest of the window, right or wrong.
    """
    now = now or timezone.now()
    normal = normalise_code(code)
    keys = [("address", _counter_key("address", client_address))]
    if normal:
        keys.append(("code", _counter_key("code", normal)))
    limits = _limits()
    windows = {kind: _window(now, limits[kind][1]) for kind, _key in keys}
    current = hotpath.failure_counts([(key, windows[kind]) for kind, key in keys])
    for kind, key in keys:
        if current.get(key, 0) >= limits[kind][0]:
            raise DomainError(
                code="rate_limited",
                message=bilingual(
                    "Terlalu banyak percobaan. Coba lagi beberapa saat lagi.",
                    "Too many attempts. Please try again later.",
                ),
                errors=[field_error("code", "Terlalu banyak percobaan.", "Too many attempts.")],
                status=429,
            )
    application = hotpath.application_by_code(normal) if normal else None
    if application is not None and secret_matches(application, secret):
        return application
    with transaction.atomic():
        for kind, key in keys:
            start = _window(now, limits[kind][1])
            row, _ = TrackingCounter.objects.get_or_create(key=key, window_start=start)
            TrackingCounter.objects.filter(pk=row.pk).update(count=F("count") + 1)
    raise DomainError(
        code="not_found",
        message=bilingual(
            "Kode permohonan dan 4 angka terakhir NIK (atau nomor HP) tidak cocok.",
            "The code and the last 4 NIK digits (or phone) do not match.",
        ),
        errors=[
            field_error(
                "secret",
                "Tidak cocok dengan kode permohonan ini.",
                "Does not match this application code.",
            )
        ],
        status=404,
    )


def tracking_counters_prune(*, now: datetime, older_than: timedelta = timedelta(days=2)) -> int:
    deleted, _ = TrackingCounter.objects.filter(window_start__lt=now - older_than).delete()
    return deleted


# -- documents ---------------------------------------------------------------------


@transaction.atomic
def document_revoke(*, actor: Any, document: IssuedDocument, reason: str) -> IssuedDocument:
    """Revoke an issued document (agency head); its QR page then says it is no longer valid."""
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if getattr(actor, "role", None) != Role.AGENCY_HEAD or actor.agency_id != document.agency_id:
        raise NotFound("document")
    reason = str(reason or "").strip()
    if not reason:
        raise _invalid([field_error("reason", "Alasan wajib diisi.", "A reason is required.")])
    if document.revoked_at is not None:
        raise DomainError(
            code="already_revoked",
            message=bilingual("Dokumen sudah dicabut.", "Already revoked."),
            status=409,
        )
    document.revoked_at = timezone.now()
    document.revoked_reason = reason[:300]
    document.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(
        actor=actor,
        action="application.document_revoke",
        record_type="applications.issueddocument",
        record_id=document.pk,
        summary={"number": document.number, "reason": reason},
    )
    return document
