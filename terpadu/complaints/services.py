"""Writes on complaints: intake, verification and disposition, answer, confirmation, reopening,
merging, escalation of overdue steps and automatic closure. Each is atomic, validates first
and appends an audit entry. ``now`` defaults to the current time (tests pass their own).
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from terpadu.catalog.models import Service
from terpadu.complaints import sla
from terpadu.complaints.access import CODE_ALPHABET, is_agency_user, is_coordinator
from terpadu.complaints.models import (
    Category,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    Escalation,
    Open311Client,
)
from terpadu.complaints.photos import CleanPhoto, clean_photos
from terpadu.complaints.rate import Limit, rate_check_and_count
from terpadu.core.audit import audit_record
from terpadu.core.calendars import calendar_for
from terpadu.core.errors import DomainError, FieldError, NotFound, bilingual, field_error
from terpadu.core.models import Agency, Region
from terpadu.core.workdays import Calendar

TEXT_MIN = 10
# Indonesia's bounding box, with a margin: a point outside it is a mistake, not a report.
LAT_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONG_RANGE = (Decimal("94.0"), Decimal("141.5"))
PHONE_RE = re.compile(r"^08\d{7,12}$")


def text_max() -> int:
    return int(getattr(settings, "COMPLAINT_TEXT_MAX", 3000))


def _limits() -> dict[str, tuple[int, int]]:
    """(limit, window seconds) per kind; override with settings.COMPLAINT_RATE_LIMITS."""
    defaults = {"address": (10, 3600), "phone": (5, 86400), "client": (300, 3600)}
    return {**defaults, **getattr(settings, "COMPLAINT_RATE_LIMITS", {})}


def invalid(errors: Sequence[FieldError]) -> DomainError:
    return DomainError(
        code="invalid",
        message=bilingual("Periksa kembali isian yang ditandai.", "Check the marked fields."),
        errors=list(errors),
    )


def coordinator_calendar(region: Region) -> Calendar:
    return calendar_for(region_code=region.code)


def agency_calendar(agency: Agency) -> Calendar:
    if agency.calendar_id:
        return calendar_for(calendar_id=agency.calendar_id)
    return calendar_for(region_code=agency.region.code)


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62") and len(digits) > 9:
        digits = "0" + digits[2:]
    return digits


def parse_point(lat: Any, long: Any) -> tuple[Decimal | None, Decimal | None, list[FieldError]]:
    """Both or neither; numbers inside Indonesia. Returns (lat, long, errors)."""
    blank_lat = lat is None or str(lat).strip() == ""
    blank_long = long is None or str(long).strip() == ""
    if blank_lat and blank_long:
        return None, None, []
    errors: list[FieldError] = []
    values: dict[str, Decimal | None] = {}
    for name, raw, (low, high) in (("lat", lat, LAT_RANGE), ("long", long, LONG_RANGE)):
        try:
            value = Decimal(str(raw).strip())
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.append(
                field_error(
                    name, "Koordinat harus berupa angka desimal.", "Must be a decimal number."
                )
            )
            values[name] = None
            continue
        if not low <= value <= high:
            errors.append(
                field_error(
                    name,
                    f"Koordinat di luar wilayah Indonesia ({low} sampai {high}).",
                    f"Outside Indonesia ({low} to {high}).",
                )
            )
        values[name] = value.quantize(Decimal("0.000001"))
    if blank_lat != blank_long and not errors:
        missing = "lat" if blank_lat else "long"
        errors.append(
            field_error(missing, "Isi lintang dan bujur bersama-sama.", "Give both lat and long.")
        )
    return values.get("lat"), values.get("long"), errors


def new_tracking_code() -> str:
    for _attempt in range(10):
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if not Complaint.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not find a free tracking code")


def _long_day(day: Any) -> str:
    from terpadu.core.workdays import long_date

    return long_date(day) if day else ""


def _notify_reporter(
    complaint: Complaint, template: str, context: dict[str, Any], key: str
) -> None:
    """A message to the reporter's own phone (SMS) or else e-mail, through the outbox."""
    from terpadu.notifications.models import Channel
    from terpadu.notifications.services import normalise_phone as outbox_phone
    from terpadu.notifications.services import notify

    if complaint.reporter_phone and outbox_phone(complaint.reporter_phone):
        channel, recipient = Channel.SMS, complaint.reporter_phone
    elif complaint.reporter_email:
        channel, recipient = Channel.EMAIL, complaint.reporter_email
    else:
        return
    notify(
        recipient=recipient,
        channel=channel,
        template=f"complaints/{template}",
        context={
            "ref": complaint.public_ref,
            "code": complaint.tracking_code,
            "url": f"{settings.BASE_URL}/pengaduan/lacak/{complaint.tracking_code}/",
            **context,
        },
        idempotency_key=key,
    )


def _event(complaint: Complaint, kind: str, now: datetime, note: str = "") -> None:
    ComplaintEvent.objects.create(complaint=complaint, kind=kind, at=now, note=note)


@dataclass
class Reporter:
    name: str = ""
    phone: str = ""
    email: str = ""
    user: Any = None


def complaint_submit(
    *,
    region: Region,
    channel: str,
    text: str,
    reporter: Reporter,
    village: Region | None = None,
    address: str = "",
    lat: Any = None,
    long: Any = None,
    category: Category | None = None,
    agency: Agency | None = None,
    service: Service | None = None,
    is_confidential: bool = False,
    is_anonymous: bool = False,
    photos: Sequence[Any] = (),
    filed_by: Any = None,
    client_address: str = "",
    open311_client: Open311Client | None = None,
    media_url: str = "",
    now: datetime | None = None,
) -> Complaint:
    """File a complaint from any channel; the verification clock starts now."""
    now = now or timezone.now()
    errors: list[FieldError] = []
    text = (text or "").strip()
    if len(text) < TEXT_MIN:
        errors.append(
            field_error(
                "text",
                f"Ceritakan masalahnya, paling sedikit {TEXT_MIN} huruf.",
                f"Describe the problem in at least {TEXT_MIN} characters.",
            )
        )
    elif len(text) > text_max():
        errors.append(
            field_error(
                "text",
                f"Paling banyak {text_max()} huruf (sekarang {len(text)}).",
                f"At most {text_max()} characters (now {len(text)}).",
            )
        )
    name = (reporter.name or "").strip()
    if len(name) > 120:
        errors.append(field_error("reporter_name", "Nama terlalu panjang.", "Name too long."))
    phone = normalise_phone(reporter.phone)
    if phone and not PHONE_RE.match(phone):
        errors.append(
            field_error(
                "reporter_phone",
                "Nomor HP tidak valid (contoh: 081234567890).",
                "Invalid mobile number (e.g. 081234567890).",
            )
        )
    if channel == Complaint.Channel.WEB:
        if not phone and not errors_for(errors, "reporter_phone"):
            errors.append(
                field_error(
                    "reporter_phone",
                    "Nomor HP wajib diisi agar petugas dapat menghubungi Anda.",
                    "A mobile number is required.",
                )
            )
        if not name:
            errors.append(field_error("reporter_name", "Nama wajib diisi.", "Name is required."))
    email = (reporter.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                field_error(
                    "reporter_email", "Alamat surel tidak valid.", "Invalid e-mail address."
                )
            )
    district: Region | None = None
    if village is not None:
        if village.level != Region.Level.VILLAGE or not village.code.startswith(region.code + "."):
            errors.append(
                field_error("village", "Desa/kelurahan tidak dikenal.", "Unknown village.")
            )
        else:
            district = village.parent
    address = (address or "").strip()
    if len(address) > 250:
        errors.append(field_error("address", "Lokasi terlalu panjang.", "Location too long."))
    point_lat, point_long, point_errors = parse_point(lat, long)
    errors.extend(point_errors)
    if channel in (Complaint.Channel.WEB, Complaint.Channel.COUNTER) and village is None:
        errors.append(
            field_error("village", "Pilih desa/kelurahan lokasi masalah.", "Choose the village.")
        )
    if village is None and not address and point_lat is None and not point_errors:
        errors.append(
            field_error(
                "address", "Sebutkan lokasi masalahnya.", "Give the location of the problem."
            )
        )
    if category is not None and (category.region_id != region.pk or not category.is_active):
        errors.append(field_error("category", "Kategori tidak dikenal.", "Unknown category."))
    if agency is not None and agency.region_id != region.pk:
        errors.append(field_error("agency", "Instansi tidak dikenal.", "Unknown agency."))
    if service is not None and service.region_id != region.pk:
        errors.append(field_error("service", "Layanan tidak dikenal.", "Unknown service."))
    if media_url and (len(media_url) > 500 or not media_url.startswith(("https://", "http://"))):
        errors.append(field_error("media_url", "Tautan foto tidak valid.", "Invalid media_url."))
    if errors:
        raise invalid(errors)
    cleaned: list[CleanPhoto] = clean_photos(list(photos)) if photos else []

    limits = _limits()
    checks = []
    if channel in (Complaint.Channel.WEB, Complaint.Channel.API):
        checks.append(Limit("address", client_address, *limits["address"]))
    if open311_client is not None:
        checks.append(Limit("client", str(open311_client.pk), *limits["client"]))
    if channel != Complaint.Channel.COUNTER:
        checks.append(Limit("phone", phone, *limits["phone"], field="reporter_phone"))
        checks.append(Limit("phone", email.lower(), *limits["phone"], field="reporter_email"))
    if agency is None and service is not None:
        agency = service.agency
    if agency is None and category is not None and category.agency_id:
        agency = category.agency

    verify_due = sla.verify_due(sla.local_day(now), coordinator_calendar(region))
    saved: list[str] = []
    try:
        with transaction.atomic():
            rate_check_and_count(checks, now=now)
            complaint = Complaint.objects.create(
                tracking_code=new_tracking_code(),
                region=region,
                channel=channel,
                text=text,
                village=village,
                district=district,
                address=address,
                lat=point_lat,
                long=point_long,
                category=category,
                agency=agency,
                service=service,
                is_confidential=is_confidential,
                is_anonymous=is_anonymous,
                reporter_name=name,
                reporter_phone=phone,
                reporter_email=email,
                reporter_user=reporter.user
                if getattr(reporter.user, "is_authenticated", False)
                else None,
                filed_by=filed_by if getattr(filed_by, "is_authenticated", False) else None,
                open311_client=open311_client,
                open311_token=secrets.token_urlsafe(16) if open311_client is not None else "",
                media_url=media_url,
                submitted_at=now,
                verify_due=verify_due,
            )
            for photo in cleaned:
                name_on_disk = f"{uuid.uuid4().hex}.{photo.extension}"
                record = ComplaintPhoto(
                    complaint=complaint,
                    content_type=photo.content_type,
                    size=len(photo.content),
                    width=photo.width,
                    height=photo.height,
                )
                record.file.save(name_on_disk, ContentFile(photo.content), save=False)
                saved.append(str(record.file.name))
                record.save()
            _event(complaint, ComplaintEvent.Kind.SUBMITTED, now)
            if channel != Complaint.Channel.OPEN311:  # the client app tells its own user
                _notify_reporter(
                    complaint,
                    "received",
                    {"due": _long_day(complaint.verify_due)},
                    f"complaint-{complaint.pk}-received",
                )
            actor = filed_by if getattr(filed_by, "is_authenticated", False) else None
            audit_record(
                actor=actor or (f"open311:{open311_client.name}" if open311_client else "warga"),
                action="complaint.submit",
                record=complaint,
                summary={
                    "channel": channel,
                    "category": category.code if category else None,
                    "agency": agency.code if agency else None,
                    "service": service.code if service else None,
                    "rahasia": is_confidential,
                    "anonim": is_anonymous,
                    "photos": len(cleaned),
                    "verify_due": complaint.verify_due,
                },
            )
    except BaseException:
        for path in saved:
            default_storage.delete(path)
        raise
    return complaint


def errors_for(errors: Sequence[FieldError], name: str) -> list[FieldError]:
    return [e for e in errors if e.field == name]


def _require(condition: bool, code: str, indonesian: str, english: str) -> None:
    if not condition:
        raise DomainError(code=code, message=bilingual(indonesian, english), status=409)


def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("region", "agency", "category")
        .get(pk=complaint.pk)
    )


def _resolve_escalations(complaint: Complaint, stage: str, now: datetime) -> None:
    Escalation.objects.filter(complaint=complaint, stage=stage, resolved_at__isnull=True).update(
        resolved_at=now
    )


def complaint_dispose(
    *,
    user: Any,
    complaint: Complaint,
    agency: Agency,
    category: Category | None = None,
    is_confidential: bool | None = None,
    is_anonymous: bool | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Complaint:
    """The coordinator verifies the complaint and forwards it to an agency; the follow-up clock starts."""
    # The calendar is read before the transaction, where core.calendars may cache it.
    return _complaint_dispose(
        user=user,
        complaint=complaint,
        agency=agency,
        category=category,
        is_confidential=is_confidential,
        is_anonymous=is_anonymous,
        note=note,
        now=now or timezone.now(),
        cal=agency_calendar(agency),
    )


@transaction.atomic
def _complaint_dispose(
    *,
    user: Any,
    complaint: Complaint,
    agency: Agency,
    category: Category | None,
    is_confidential: bool | None,
    is_anonymous: bool | None,
    note: str,
    now: datetime,
    cal: Calendar,
) -> Complaint:
    if not is_coordinator(user):
        raise NotFound("complaint")
    complaint = _lock(complaint)
    _require(
        complaint.status == Complaint.Status.SUBMITTED,
        "wrong_status",
        "Pengaduan ini sudah diverifikasi.",
        "This complaint has already been verified.",
    )
    errors = []
    if agency.region_id != complaint.region_id:
        errors.append(field_error("agency", "Instansi tidak dikenal.", "Unknown agency."))
    if category is not None and category.region_id != complaint.region_id:
        errors.append(field_error("category", "Kategori tidak dikenal.", "Unknown category."))
    if len(note) > 2000:
        errors.append(field_error("note", "Catatan terlalu panjang.", "Note too long."))
    if errors:
        raise invalid(errors)
    before = {
        "agency": complaint.agency.code if complaint.agency else None,
        "rahasia": complaint.is_confidential,
        "anonim": complaint.is_anonymous,
    }
    complaint.agency = agency
    if category is not None:
        complaint.category = category
    if is_confidential is not None:
        complaint.is_confidential = is_confidential
    if is_anonymous is not None:
        complaint.is_anonymous = is_anonymous
    days = complaint.category.follow_up_days if complaint.category else None
    complaint.status = Complaint.Status.DISPOSED
    complaint.disposed_at = now
    complaint.follow_up_due = sla.follow_up_due(sla.local_day(now), cal, days)
    complaint.save(
        update_fields=[
            "agency",
            "category",
            "is_confidential",
            "is_anonymous",
            "status",
            "disposed_at",
            "follow_up_due",
            "updated_at",
        ]
    )
    _resolve_escalations(complaint, Escalation.Stage.VERIFICATION, now)
    _event(complaint, ComplaintEvent.Kind.DISPOSED, now, f"{agency.name}")
    audit_record(
        actor=user,
        action="complaint.dispose",
        record=complaint,
        summary={
            "before": before,
            "agency": agency.code,
            "category": complaint.category.code if complaint.category else None,
            "rahasia": complaint.is_confidential,
            "anonim": complaint.is_anonymous,
            "follow_up_due": complaint.follow_up_due,
            "note": note[:200],
        },
    )
    return complaint


@transaction.atomic
def complaint_reject(
    *, user: Any, complaint: Complaint, reason: str, now: datetime | None = None
) -> Complaint:
    """The coordinator finds the complaint cannot be processed (unclear, out of scope, spam)."""
    now = now or timezone.now()
    if not is_coordinator(user):
        raise NotFound("complaint")
    complaint = _lock(complaint)
    _require(
        complaint.status == Complaint.Status.SUBMITTED,
        "wrong_status",
        "Hanya pengaduan yang menunggu verifikasi yang dapat ditolak.",
        "Only complaints waiting for verification can be rejected.",
    )
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= 2000:
        raise invalid([field_error("reason", "Tuliskan alasannya.", "Give the reason.")])
    complaint.status = Complaint.Status.REJECTED
    complaint.close_reason = Complaint.CloseReason.REJECTED
    complaint.closed_at = now
    complaint.answer = reason
    complaint.save(update_fields=["status", "close_reason", "closed_at", "answer", "updated_at"])
    _resolve_escalations(complaint, Escalation.Stage.VERIFICATION, now)
    _event(complaint, ComplaintEvent.Kind.REJECTED, now, reason)
    audit_record(
        actor=user, action="complaint.reject", record=complaint, summary={"reason": reason[:200]}
    )
    return complaint


def complaint_answer(
    *, user: Any, complaint: Complaint, answer: str, now: datetime | None = None
) -> Complaint:
    """The agency posts its follow-up; the reporter has 10 working days to confirm or reopen."""
    return _complaint_answer(
        user=user,
        complaint=complaint,
        answer=answer,
        now=now or timezone.now(),
        cal=coordinator_calendar(complaint.region),
    )


@transaction.atomic
def _complaint_answer(
    *, user: Any, complaint: Complaint, answer: str, now: datetime, cal: Calendar
) -> Complaint:
    complaint = _lock(complaint)
    own_agency = is_agency_user(user) and user.agency_id == complaint.agency_id
    if not (own_agency or is_coordinator(user)):
        raise NotFound("complaint")
    _require(
        complaint.status == Complaint.Status.DISPOSED,
        "wrong_status",
        "Pengaduan ini tidak sedang menunggu tindak lanjut.",
        "This complaint is not waiting for a follow-up.",
    )
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise invalid(
            [
                field_error(
                    "answer", "Tuliskan tindak lanjutnya (≥ 10 huruf).", "Write the follow-up."
                )
            ]
        )
    if len(answer) > 4000:
        raise invalid(
            [field_error("answer", "Paling banyak 4000 huruf.", "At most 4000 characters.")]
        )
    assert complaint.agency is not None
    complaint.status = Complaint.Status.ANSWERED
    complaint.answer = answer
    complaint.answered_at = now
    complaint.confirm_due = sla.confirm_due(sla.local_day(now), cal)
    complaint.save(update_fields=["status", "answer", "answered_at", "confirm_due", "updated_at"])
    _resolve_escalations(complaint, Escalation.Stage.FOLLOW_UP, now)
    _event(complaint, ComplaintEvent.Kind.ANSWERED, now, answer)
    _notify_reporter(
        complaint,
        "answered",
        {"agency": complaint.agency.name, "due": _long_day(complaint.confirm_due)},
        f"complaint-{complaint.pk}-answered-{complaint.reopen_count}",
    )
    audit_record(
        actor=user,
        action="complaint.answer",
        record=complaint,
        summary={
            "confirm_due": complaint.confirm_due,
            "late": now.date() > (complaint.follow_up_due or now.date()),
        },
    )
    return complaint


@transaction.atomic
def complaint_confirm(*, complaint: Complaint, now: datetime | None = None) -> Complaint:
    """The reporter (holding the tracking code) says the matter is settled."""
    now = now or timezone.now()
    complaint = _lock(complaint)
    _require(
        complaint.status == Complaint.Status.ANSWERED,
        "wrong_status",
        "Pengaduan ini belum ditanggapi atau sudah selesai.",
        "This complaint is not waiting for your confirmation.",
    )
    complaint.status = Complaint.Status.CLOSED
    complaint.close_reason = Complaint.CloseReason.CONFIRMED
    complaint.closed_at = now
    complaint.save(update_fields=["status", "close_reason", "closed_at", "updated_at"])
    _event(complaint, ComplaintEvent.Kind.CONFIRMED, now)
    audit_record(actor="pelapor", action="complaint.confirm", record=complaint)
    return complaint


def complaint_reopen(
    *, complaint: Complaint, reason: str, now: datetime | None = None
) -> Complaint:
    """The reporter is not satisfied: back to the agency with a fresh follow-up clock."""
    agency = Agency.objects.filter(complaints=complaint).first()
    cal = agency_calendar(agency) if agency else coordinator_calendar(complaint.region)
    return _complaint_reopen(complaint=complaint, reason=reason, now=now or timezone.now(), cal=cal)


@transaction.atomic
def _complaint_reopen(
    *, complaint: Complaint, reason: str, now: datetime, cal: Calendar
) -> Complaint:
    complaint = _lock(complaint)
    _require(
        complaint.status == Complaint.Status.ANSWERED,
        "wrong_status",
        "Pengaduan hanya dapat dibuka kembali setelah ditanggapi dan sebelum ditutup.",
        "A complaint can be reopened only after the answer and before it closes.",
    )
    reason = (reason or "").strip()
    if not 10 <= len(reason) <= 2000:
        raise invalid(
            [
                field_error(
                    "reason",
                    "Jelaskan mengapa belum selesai (10–2000 huruf).",
                    "Explain why it is not settled (10–2000 characters).",
                )
            ]
        )
    assert complaint.agency is not None
    days = complaint.category.follow_up_days if complaint.category else None
    complaint.status = Complaint.Status.DISPOSED
    complaint.reopen_count += 1
    complaint.confirm_due = None
    complaint.follow_up_due = sla.follow_up_due(sla.local_day(now), cal, days)
    complaint.save(
        update_fields=["status", "reopen_count", "confirm_due", "follow_up_due", "updated_at"]
    )
    _event(complaint, ComplaintEvent.Kind.REOPENED, now, reason)
    audit_record(
        actor="pelapor",
        action="complaint.reopen",
        record=complaint,
        summary={"follow_up_due": complaint.follow_up_due, "reopen_count": complaint.reopen_count},
    )
    return complaint


@transaction.atomic
def complaint_merge(
    *, user: Any, complaint: Complaint, into: Complaint, now: datetime | None = None
) -> Complaint:
    """The coordinator marks ``complaint`` a duplicate of ``into``; its reporter follows ``into``."""
    now = now or timezone.now()
    if not is_coordinator(user):
        raise NotFound("complaint")
    complaint = _lock(complaint)
    target = _lock(into)
    if target.pk == complaint.pk or target.region_id != complaint.region_id:
        raise invalid([field_error("into", "Pilih pengaduan lain.", "Choose another complaint.")])
    _require(
        complaint.status in (Complaint.Status.SUBMITTED, Complaint.Status.DISPOSED),
        "wrong_status",
        "Hanya pengaduan yang belum ditanggapi yang dapat digabung.",
        "Only complaints without an answer can be merged.",
    )
    _require(
        target.status not in (Complaint.Status.MERGED, Complaint.Status.REJECTED),
        "wrong_status",
        "Pengaduan tujuan sudah digabung atau ditolak.",
        "The target complaint is merged or rejected.",
    )
    complaint.status = Complaint.Status.MERGED
    complaint.close_reason = Complaint.CloseReason.MERGED
    complaint.closed_at = now
    complaint.merged_into = target
    complaint.save(
        update_fields=["status", "close_reason", "closed_at", "merged_into", "updated_at"]
    )
    Escalation.objects.filter(complaint=complaint, resolved_at__isnull=True).update(resolved_at=now)
    _event(complaint, ComplaintEvent.Kind.MERGED, now, target.public_ref)
    audit_record(
        actor=user, action="complaint.merge", record=complaint, summary={"into": target.pk}
    )
    return complaint


def complaints_escalate_overdue(*, now: datetime | None = None) -> int:
    """Record an Escalation (and an audit entry) for every step past its due day; idempotent."""
    now = now or timezone.now()
    today = sla.local_day(now)
    created = 0
    steps = (
        (Complaint.Status.SUBMITTED, "verify_due", Escalation.Stage.VERIFICATION),
        (Complaint.Status.DISPOSED, "follow_up_due", Escalation.Stage.FOLLOW_UP),
    )
    for status, due_field, stage in steps:
        already = Escalation.objects.filter(
            complaint=OuterRef("pk"), stage=stage, due=OuterRef(due_field)
        )
        overdue = (
            Complaint.objects.filter(status=status, **{f"{due_field}__lt": today})
            .filter(~Exists(already))
            .select_related("region", "agency")
        )
        for complaint in list(overdue):
            created += _escalate(complaint, stage, getattr(complaint, due_field), now)
    return created


@transaction.atomic
def _escalate(complaint: Complaint, stage: str, due: Any, now: datetime) -> int:
    if Escalation.objects.filter(complaint=complaint, stage=stage, due=due).exists():
        return 0
    agency = complaint.agency if stage == Escalation.Stage.FOLLOW_UP else None
    escalation = Escalation.objects.create(
        complaint=complaint, stage=stage, due=due, agency=agency, created_at=now
    )
    _notify_escalation(escalation)
    _event(complaint, ComplaintEvent.Kind.ESCALATED, now, str(Escalation.Stage(stage).label))
    audit_record(
        actor="system",
        action="complaint.escalate",
        record=complaint,
        summary={"stage": stage, "due": due, "agency": agency.code if agency else None},
    )
    return 1


def _notify_escalation(escalation: Escalation) -> None:
    """E-mail the agency's head (follow-up) or the regency's supervisors (verification).

    The message names the complaint by its public number only: no reporter, no text.
    """
    from terpadu.accounts.models import Role, User
    from terpadu.notifications.models import Channel
    from terpadu.notifications.services import notify

    complaint = escalation.complaint
    if escalation.agency_id:
        heads = User.objects.filter(role=Role.AGENCY_HEAD, agency_id=escalation.agency_id)
    else:
        heads = User.objects.filter(role=Role.SUPERVISOR, region_id=complaint.region_id)
    for head in heads.filter(is_active=True).exclude(email=""):
        notify(
            recipient=head.email,
            channel=Channel.EMAIL,
            template="complaints/escalation",
            context={
                "ref": complaint.public_ref,
                "stage": str(Escalation.Stage(escalation.stage).label),
                "category": complaint.category.name if complaint.category else "",
                "due": _long_day(escalation.due),
                "url": f"{settings.BASE_URL}/kantor/pengaduan/{complaint.pk}/",
            },
            idempotency_key=f"complaint-escalation-{escalation.pk}-{head.pk}",
        )


def complaints_auto_close(*, now: datetime | None = None) -> int:
    """Close answered complaints whose reporter said nothing for 10 working days."""
    now = now or timezone.now()
    today = sla.local_day(now)
    closed = 0
    ids = list(
        Complaint.objects.filter(
            status=Complaint.Status.ANSWERED, confirm_due__lt=today
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        closed += _auto_close_one(pk, today, now)
    return closed


@transaction.atomic
def _auto_close_one(pk: int, today: Any, now: datetime) -> int:
    complaint = Complaint.objects.select_for_update().select_related("region").get(pk=pk)
    if complaint.status != Complaint.Status.ANSWERED or not sla.is_overdue(
        complaint.confirm_due, today
    ):
        return 0
    complaint.status = Complaint.Status.CLOSED
    complaint.close_reason = Complaint.CloseReason.AUTO
    complaint.closed_at = now
    complaint.save(update_fields=["status", "close_reason", "closed_at", "updated_at"])
    _event(complaint, ComplaintEvent.Kind.AUTO_CLOSED, now)
    audit_record(
        actor="system",
        action="complaint.auto_close",
        record=complaint,
        summary={"confirm_due": complaint.confirm_due},
    )
    return 1


def complaints_sla_run(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: escalate overdue steps, then close the silent ones."""
    now = now or timezone.now()
    return {
        "escalated": complaints_escalate_overdue(now=now),
        "auto_closed": complaints_auto_close(now=now),
    }
