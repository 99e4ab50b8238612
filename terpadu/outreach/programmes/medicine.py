"""Gancang Aron: medicine delivered home by a courier partner, free for the poor.

A hospital or puskesmas pharmacy marks an outpatient's prescription for delivery (a case,
*found*; eligibility is decided at the desk) while the medicine is prepared; calling the
courier makes it *verified* (ready) and *in progress*. The pharmacy dispatches it:
a :class:`Dispatch` row is written in the same transaction (an outbox row) and the worker
sends it to the courier with the row's idempotency key, retrying with back-off and
flagging a courier that does not answer. Signed status webhooks move the delivery along;
"delivered" needs the recipient's name plus the one-time code or a photo; "failed" sends the
prescription back to the pharmacy's list.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terpadu.core.audit import audit_record
from terpadu.core.errors import FieldError, field_error
from terpadu.core.models import Agency, Region
from terpadu.outreach import courier, workflow
from terpadu.outreach.models import (
    ACTIVE_DISPATCH,
    Case,
    CourierEvent,
    CourierPartner,
    Dispatch,
    Prescription,
    Programme,
)
from terpadu.outreach.programmes.base import Choice, ProgrammeSpec, TaskPlan
from terpadu.registry.models import Resident

log = logging.getLogger(__name__)

SPEC = ProgrammeSpec(
    code="medicine",
    name="Gancang Aron",
    agency_code="rsud-blambangan",
    health=True,
    description=_(
        "Obat pasien rawat jalan diantar ke rumah oleh mitra ojek daring; gratis untuk "
        "warga miskin dan peserta PBI, pasien lain membayar tarif jarak."
    ),
    verify_days=0,
    visit_days=1,
    escalate_every_days=1,
    outcomes=(Choice("delivered", _("Obat sampai ke pasien")),),
    success_outcomes=frozenset({"delivered"}),
    extra_transitions={workflow.IN_PROGRESS: frozenset({workflow.VERIFIED})},
    system_targets=frozenset({workflow.VERIFIED, workflow.IN_PROGRESS, workflow.RESOLVED}),
    defaults={
        # poorest deciles of the welfare list (DTKS lists deciles 1–4)
        "free_max_decile": 4,
        "tariff_base": 8_000,
        "tariff_base_km": 4,
        "tariff_per_km": 2_500,
    },
)

STATUS_ORDER = {"pending": 0, "sending": 0, "accepted": 1, "picked_up": 2, "delivered": 3}


def tasks_on_enter(case: Case, status: str) -> list[TaskPlan] | None:
    if status == workflow.FOUND:
        return [TaskPlan("delivery", "Siapkan obat dan panggil kurir", 0)]
    if status == workflow.VERIFIED:
        return [TaskPlan("delivery", "Kirim ulang ke kurir", 1)]
    return []


# --- eligibility ---------------------------------------------------------------------------


def welfare_decile(resident: Resident) -> int | None:
    """The resident's decile on the welfare list, through the person index when it exists.

    Person index: the resident's population record → its person → the welfare records
    linked to the same person. Without the index (or without links), the welfare records
    carrying the resident's exact NIK.
    """
    try:
        source_record = apps.get_model("registry", "SourceRecord")
        person_link = apps.get_model("registry", "PersonLink")
    except LookupError:
        return None
    person_ids = person_link.objects.filter(record__resident=resident).values("person_id")
    records = source_record.objects.filter(source_type="welfare").filter(
        Q(link__person_id__in=person_ids) | Q(nik=resident.nik)
    )
    deciles = []
    for data in records.values_list("data", flat=True)[:20]:
        raw = (data or {}).get("desil") or (data or {}).get("decile")
        if str(raw).strip().isdigit():
            deciles.append(int(str(raw).strip()))
    return min(deciles) if deciles else None


def tariff_for(programme: Programme, distance_km: Decimal) -> int:
    from terpadu.outreach.services import setting

    base = int(setting(programme, "tariff_base"))
    base_km = Decimal(str(setting(programme, "tariff_base_km")))
    per_km = int(setting(programme, "tariff_per_km"))
    extra = max(Decimal(0), distance_km - base_km)
    fare = base + int((extra * per_km).to_integral_value())
    return int(round(fare / 500) * 500)


def eligibility_for(
    programme: Programme, *, resident: Resident | None, pbi: bool, distance_km: Decimal
) -> tuple[str, int | None, int]:
    """``(eligibility, decile, tariff)``: free for the welfare list's poorest deciles and PBI."""
    from terpadu.outreach.services import setting

    decile = welfare_decile(resident) if resident is not None else None
    if decile is not None and decile <= int(setting(programme, "free_max_decile")):
        return Prescription.Eligibility.WELFARE, decile, 0
    if pbi:
        return Prescription.Eligibility.PBI, decile, 0
    return Prescription.Eligibility.PAYING, decile, tariff_for(programme, distance_km)


def otp_digest(prescription_id: int, code: str) -> str:
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, f"rx{prescription_id}:{code}".encode(), hashlib.sha256).hexdigest()


# --- prescriptions -------------------------------------------------------------------------


@transaction.atomic
def prescription_mark(
    *,
    programme: Programme,
    agency: Agency,
    actor: Any,
    rx_number: str,
    village: Region | None,
    patient_name: str,
    address: str,
    phone: str,
    distance_km: Decimal | float | str,
    resident: Resident | None = None,
    pbi: bool = False,
    now: datetime | None = None,
) -> tuple[Prescription, str]:
    """The pharmacy marks a prescription for home delivery; returns it and the patient's
    one-time code (printed on the slip / sent by SMS, asked for by the courier at the door)."""
    from terpadu.outreach.services import case_open, invalid, refuse

    now = now or timezone.now()
    errors: list[FieldError] = []
    rx_number = (rx_number or "").strip()
    if not rx_number or len(rx_number) > 40:
        errors.append(field_error("rx_number", "Isi nomor resep.", "Give the prescription no."))
    try:
        distance = Decimal(str(distance_km)).quantize(Decimal("0.1"))
    except ArithmeticError:
        distance = Decimal(-1)
    if not Decimal(0) <= distance <= Decimal(150):
        errors.append(field_error("distance_km", "Jarak 0–150 km.", "Distance 0–150 km."))
    if not (address or "").strip():
        errors.append(field_error("address", "Isi alamat antar.", "Give the delivery address."))
    if not (phone or "").strip():
        errors.append(field_error("phone", "Isi nomor HP pasien.", "Give the patient's phone."))
    if agency.region_id != programme.region_id:
        errors.append(field_error("agency", "Instansi di luar kabupaten.", "Agency outside."))
    if errors:
        raise invalid(errors)
    if Prescription.objects.filter(agency=agency, rx_number=rx_number).exists():
        raise refuse("duplicate", "Resep ini sudah ditandai.", "Already marked for delivery.")
    assert village is not None or resident is not None
    eligibility, decile, tariff = eligibility_for(
        programme, resident=resident, pbi=pbi, distance_km=distance
    )
    case = case_open(
        programme=programme,
        village=village or (resident.village if resident else village),  # type: ignore[arg-type]
        name=resident.name if resident and not patient_name else patient_name,
        subject_key=f"rx:{agency.pk}:{rx_number}",
        source=Case.Source.INTAKE,
        actor=actor,
        resident=resident,
        nik=resident.nik if resident else "",
        sex=resident.sex if resident else "",
        birth_date=resident.birth_date if resident else None,
        address=address,
        phone=phone,
        data={"rx_number": rx_number, "eligibility": eligibility},
        now=now,
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    prescription = Prescription.objects.create(
        case=case,
        agency=agency,
        rx_number=rx_number,
        distance_km=distance,
        eligibility=eligibility,
        welfare_decile=decile,
        tariff=tariff,
        created_at=now,
    )
    prescription.otp_hash = otp_digest(prescription.pk, code)
    prescription.save(update_fields=["otp_hash"])
    audit_record(
        actor=actor,
        action="outreach.prescription_mark",
        record=prescription,
        record_type="outreach.prescription",
        region_code=programme.region.code,
        summary={"case": case.pk, "eligibility": eligibility, "tariff": tariff},
    )
    return prescription, code


def _callback_url() -> str:
    return f"{settings.BASE_URL}/api/v1/outreach/courier/callback"


@transaction.atomic
def dispatch_create(
    *,
    prescription: Prescription,
    actor: Any,
    partner: CourierPartner | None = None,
    now: datetime | None = None,
) -> Dispatch:
    """Ask for a courier: the dispatch row is written now; the worker sends it after commit."""
    from terpadu.outreach.services import case_transition, refuse

    now = now or timezone.now()
    prescription = (
        Prescription.objects.select_for_update()
        .select_related("case__programme", "case__region", "agency")
        .get(pk=prescription.pk)
    )
    case = prescription.case
    if case.status not in (workflow.FOUND, workflow.VERIFIED):
        raise refuse(
            "bad_state",
            "Resep ini tidak sedang menunggu pengiriman.",
            "This prescription is not waiting for dispatch.",
        )
    if prescription.dispatches.filter(status__in=ACTIVE_DISPATCH).exists():
        raise refuse("already_dispatched", "Sudah ada kurir.", "Already dispatched.")
    partner = partner or (
        CourierPartner.objects.filter(region_id=case.region_id, is_active=True)
        .order_by("id")
        .first()
    )
    if partner is None or not partner.is_active:
        raise refuse("no_courier", "Belum ada mitra kurir aktif.", "No active courier partner.")
    number = prescription.dispatches.count() + 1
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.create(
                prescription=prescription,
                partner=partner,
                number=number,
                idempotency_key=f"rx{prescription.pk}-{number}-{uuid.uuid4().hex[:12]}",
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:  # a concurrent click won the one-active-dispatch constraint
        raise refuse("already_dispatched", "Sudah ada kurir.", "Already dispatched.") from None
    if case.status == workflow.FOUND:
        case = case_transition(
            case=case, actor=actor, target=workflow.VERIFIED, note="Obat siap", now=now, system=True
        )
    case_transition(case=case, actor=actor, target=workflow.IN_PROGRESS, now=now, system=True)
    audit_record(
        actor=actor,
        action="outreach.dispatch_create",
        record=dispatch,
        record_type="outreach.dispatch",
        region_code=case.region.code,
        summary={"prescription": prescription.pk, "number": number, "partner": partner.code},
    )
    transaction.on_commit(lambda: _enqueue_send(dispatch.pk))
    return dispatch


def _enqueue_send(dispatch_id: int) -> None:
    from terpadu.outreach.tasks import outreach_dispatch_send

    try:
        outreach_dispatch_send.enqueue(dispatch_id)
    except Exception:  # the sweep job sends it anyway
        log.exception("could not enqueue dispatch %s", dispatch_id)


def _claim(dispatch_id: int, now: datetime) -> Dispatch | None:
    """Take the dispatch for sending (one worker at a time; an expired lease can be retaken)."""
    with transaction.atomic():
        dispatch = (
            Dispatch.objects.select_for_update()
            .select_related("partner", "prescription__case", "prescription__agency")
            .filter(pk=dispatch_id)
            .first()
        )
        if dispatch is None:
            return None
        due = dispatch.status == Dispatch.Status.PENDING and dispatch.next_attempt_at <= now
        stale = (
            dispatch.status == Dispatch.Status.SENDING
            and dispatch.lease_until is not None
            and dispatch.lease_until <= now
        )
        if not (due or stale):
            return None
        lease = timedelta(seconds=dispatch.partner.timeout_seconds + 5)
        dispatch.status = Dispatch.Status.SENDING
        dispatch.lease_until = now + lease
        dispatch.send_attempts += 1
        dispatch.updated_at = now
        dispatch.save(update_fields=["status", "lease_until", "send_attempts", "updated_at"])
        return dispatch


def _job_request(dispatch: Dispatch) -> courier.JobRequest:
    rx = dispatch.prescription
    case = rx.case
    return courier.JobRequest(
        idempotency_key=dispatch.idempotency_key,
        pickup_name=f"Farmasi {rx.agency.short_name}",
        pickup_address=rx.agency.address or rx.agency.name,
        dropoff_name=case.name,
        dropoff_address=f"{case.address}, {case.village.name}",
        dropoff_phone=case.phone,
        fare=rx.tariff,
        note=f"Resep {rx.rx_number}. Minta kode 6 angka dari pasien.",
        callback_url=_callback_url(),
    )


def dispatch_send(*, dispatch_id: int, now: datetime | None = None) -> str:
    """Send one dispatch to the courier (the worker's task); returns the dispatch's status."""
    now = now or timezone.now()
    dispatch = _claim(dispatch_id, now)
    if dispatch is None:
        return "skipped"
    partner = dispatch.partner
    try:
        job_id = courier.create_job(
            base_url=partner.base_url,
            api_key=partner.api_key,
            request=_job_request(dispatch),
            timeout=float(partner.timeout_seconds),
        )
    except courier.CourierError as exc:
        return _send_failed(dispatch.pk, str(exc), exc.retryable, timezone.now())
    return _send_succeeded(dispatch.pk, job_id, timezone.now())


@transaction.atomic
def _send_succeeded(dispatch_id: int, job_id: str, now: datetime) -> str:
    dispatch = (
        Dispatch.objects.select_for_update()
        .select_related("prescription__case__region")
        .get(pk=dispatch_id)
    )
    if dispatch.status != Dispatch.Status.SENDING:
        # a webhook was faster than the answer, or the lease was retaken: keep what is newer
        if not dispatch.courier_job_id:
            dispatch.courier_job_id = job_id
            dispatch.save(update_fields=["courier_job_id"])
        return dispatch.status
    dispatch.status = Dispatch.Status.ACCEPTED
    dispatch.courier_job_id = job_id
    dispatch.lease_until = None
    dispatch.last_error = ""
    dispatch.updated_at = now
    dispatch.save(
        update_fields=["status", "courier_job_id", "lease_until", "last_error", "updated_at"]
    )
    audit_record(
        actor="system",
        action="outreach.dispatch_accepted",
        record=dispatch,
        record_type="outreach.dispatch",
        region_code=dispatch.prescription.case.region.code,
        summary={"job_id": job_id, "attempts": dispatch.send_attempts},
    )
    return dispatch.status


@transaction.atomic
def _send_failed(dispatch_id: int, error: str, retryable: bool, now: datetime) -> str:
    from terpadu.outreach.services import _event

    dispatch = (
        Dispatch.objects.select_for_update()
        .select_related("partner", "prescription__case__region")
        .get(pk=dispatch_id)
    )
    if dispatch.status != Dispatch.Status.SENDING:
        return dispatch.status
    dispatch.last_error = error[:300]
    dispatch.lease_until = None
    dispatch.updated_at = now
    if retryable and dispatch.send_attempts < dispatch.partner.max_attempts:
        dispatch.status = Dispatch.Status.PENDING
        dispatch.next_attempt_at = now + timedelta(
            seconds=courier.backoff_seconds(dispatch.send_attempts)
        )
    else:
        dispatch.status = Dispatch.Status.FLAGGED
    dispatch.save(
        update_fields=["status", "last_error", "lease_until", "updated_at", "next_attempt_at"]
    )
    if dispatch.status == Dispatch.Status.FLAGGED:
        case = dispatch.prescription.case
        _event(case, "dispatch", now, None, to_value="flagged", note=error)
        audit_record(
            actor="system",
            action="outreach.dispatch_flagged",
            record=dispatch,
            record_type="outreach.dispatch",
            region_code=case.region.code,
            summary={"attempts": dispatch.send_attempts, "error": error[:120]},
        )
    return dispatch.status


def dispatch_sweep(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """The periodic job: send dispatches that are due, or whose sender died mid-send."""
    now = now or timezone.now()
    ids = list(
        Dispatch.objects.filter(
            Q(status=Dispatch.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Dispatch.Status.SENDING, lease_until__lte=now)
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for pk in ids:
        status = dispatch_send(dispatch_id=pk, now=now)
        counts[status] = counts.get(status, 0) + 1
    return counts


@transaction.atomic
def dispatch_retry_flagged(
    *, dispatch: Dispatch, actor: Any, now: datetime | None = None
) -> Dispatch:
    """The pharmacy tries a flagged dispatch again (same key: the courier may have it)."""
    from terpadu.outreach.services import refuse

    now = now or timezone.now()
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.status != Dispatch.Status.FLAGGED:
        raise refuse("bad_state", "Pengiriman tidak ditandai.", "The dispatch is not flagged.")
    dispatch.status = Dispatch.Status.PENDING
    dispatch.send_attempts = 0
    dispatch.next_attempt_at = now
    dispatch.updated_at = now
    dispatch.save(update_fields=["status", "send_attempts", "next_attempt_at", "updated_at"])
    audit_record(
        actor=actor,
        action="outreach.dispatch_retry",
        record=dispatch,
        record_type="outreach.dispatch",
    )
    transaction.on_commit(lambda: _enqueue_send(dispatch.pk))
    return dispatch


# --- courier webhooks ----------------------------------------------------------------------


class CallbackRefused(Exception):
    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


def callback_apply(
    *, body: bytes, headers: Mapping[str, str], now: datetime | None = None
) -> CourierEvent:
    """Apply a courier status webhook. A bad signature is refused and changes nothing."""
    import json

    now = now or timezone.now()
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise CallbackRefused("badan bukan JSON") from None
    if not isinstance(payload, dict):
        raise CallbackRefused("badan bukan objek JSON")
    reference = str(payload.get("reference") or "")
    dispatch = (
        Dispatch.objects.select_related("partner").filter(idempotency_key=reference).first()
        if reference
        else None
    )
    # the same answer for an unknown reference and a bad signature: nothing to learn
    if dispatch is None or not courier.verify_signature(
        dispatch.partner.webhook_secret, headers, body
    ):
        raise CallbackRefused("tanda tangan tidak sah", status=401)
    status = str(payload.get("status") or "")
    event_id = str(payload.get("event_id") or "")[:64]
    if status not in ("accepted", "picked_up", "delivered", "failed") or not event_id:
        raise CallbackRefused("status atau event_id tidak dikenal")
    return _apply_event(dispatch.pk, event_id, status, payload, now)


@transaction.atomic
def _apply_event(
    dispatch_id: int, event_id: str, status: str, payload: dict[str, Any], now: datetime
) -> CourierEvent:
    from terpadu.outreach.services import _event, case_transition

    existing = CourierEvent.objects.filter(event_id=event_id).first()
    if existing is not None:
        return existing
    dispatch = (
        Dispatch.objects.select_for_update()
        .select_related("prescription__case__programme", "prescription__case__region")
        .get(pk=dispatch_id)
    )
    stored = {k: v for k, v in payload.items() if k != "photo_b64"}
    event = CourierEvent.objects.create(
        dispatch=dispatch, event_id=event_id, status=status, received_at=now, payload=stored
    )
    case = dispatch.prescription.case
    current = dispatch.status
    if current in ("delivered", "failed"):
        return event  # final already: late or repeated news changes nothing
    if status in ("accepted", "picked_up") and STATUS_ORDER[status] <= STATUS_ORDER.get(current, 0):
        return event  # older news than what we know
    applied = False
    if status in ("accepted", "picked_up"):
        dispatch.status = status
        if payload.get("job_id") and not dispatch.courier_job_id:
            dispatch.courier_job_id = str(payload["job_id"])[:64]
        applied = True
    elif status == "delivered":
        applied = _deliver(dispatch, payload)
        if applied and case.status == workflow.IN_PROGRESS:
            case_transition(
                case=case,
                actor=None,
                target=workflow.RESOLVED,
                outcome="delivered",
                now=now,
                system=True,
            )
    elif status == "failed":
        dispatch.status = Dispatch.Status.FAILED
        dispatch.failure_reason = str(payload.get("reason") or "")[:200]
        applied = True
        if case.status == workflow.IN_PROGRESS:
            case_transition(
                case=case,
                actor=None,
                target=workflow.VERIFIED,
                note=f"Gagal diantar: {dispatch.failure_reason}"[:300],
                now=now,
                system=True,
            )
    if applied:
        dispatch.lease_until = None
        dispatch.updated_at = now
        dispatch.save()
        event.applied = True
        event.save(update_fields=["applied"])
        _event(case, "dispatch", now, None, from_value=current, to_value=dispatch.status)
        audit_record(
            actor="courier:" + dispatch.partner.code,
            action="outreach.dispatch_status",
            record=dispatch,
            record_type="outreach.dispatch",
            region_code=case.region.code,
            summary={"status": [current, dispatch.status], "event": event_id},
        )
    return event


def _deliver(dispatch: Dispatch, payload: dict[str, Any]) -> bool:
    """Proof of delivery: the recipient's name plus the one-time code or a photo."""
    import base64
    import binascii
    import io

    from terpadu.complaints.photos import clean_photo
    from terpadu.core.errors import DomainError

    name = str(payload.get("recipient_name") or "").strip()[:120]
    if not name:
        return False
    otp = str(payload.get("otp") or "").strip()
    rx = dispatch.prescription
    if otp and hmac.compare_digest(otp_digest(rx.pk, otp), rx.otp_hash):
        dispatch.proof_kind = "otp"
    elif payload.get("photo_b64"):
        try:
            raw = base64.b64decode(str(payload["photo_b64"]), validate=True)
            clean = clean_photo(io.BytesIO(raw), field="photo")
        except (binascii.Error, ValueError, DomainError):
            return False
        dispatch.proof_kind = "photo"
        dispatch.proof_photo.save(
            f"bukti.{clean.extension}", ContentFile(clean.content), save=False
        )
    else:
        return False
    dispatch.recipient_name = name
    dispatch.status = Dispatch.Status.DELIVERED
    return True


# --- reports -------------------------------------------------------------------------------


def monthly_counts(programme: Programme, *, since: date | None = None) -> list[dict[str, Any]]:
    """Deliveries per month, free (welfare/PBI) vs paying, like the programme's own figures."""
    qs = Dispatch.objects.filter(
        prescription__case__programme=programme, status=Dispatch.Status.DELIVERED
    )
    if since is not None:
        qs = qs.filter(updated_at__date__gte=since)
    rows = (
        qs.annotate(month=TruncMonth("updated_at"))
        .values("month")
        .annotate(
            total=Count("id"),
            free=Count("id", filter=Q(prescription__tariff=0)),
            pbi=Count("id", filter=Q(prescription__eligibility="pbi")),
            welfare=Count("id", filter=Q(prescription__eligibility="welfare")),
        )
        .order_by("month")
    )
    return [
        {
            "month": r["month"].date().isoformat()[:7]
            if hasattr(r["month"], "date")
            else str(r["month"])[:7],
            "total": r["total"],
            "free": r["free"],
            "paying": r["total"] - r["free"],
            "pbi": r["pbi"],
            "welfare": r["welfare"],
        }
        for r in rows
    ]


def pharmacy_queue(agency: Agency) -> Any:
    """The pharmacy's list: prescriptions waiting for a courier (new, or back after a failure)
    and dispatches the courier did not answer."""
    return (
        Prescription.objects.filter(agency=agency)
        .filter(
            Q(case__status__in=[workflow.FOUND, workflow.VERIFIED])
            | Q(dispatches__status=Dispatch.Status.FLAGGED, case__status=workflow.IN_PROGRESS)
        )
        .select_related("case__village")
        .distinct()
        .order_by("created_at")
    )
