"""Writes on surveys: a questionnaire response, follow-up plans and their publication."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from terpadu.catalog.models import Hall, Service
from terpadu.core.audit import audit_record
from terpadu.core.errors import DomainError, FieldError, NotFound, bilingual, field_error
from terpadu.core.models import Agency
from terpadu.surveys.access import can_manage_agency
from terpadu.surveys.ikm import SCALE, STANDARD_CODES
from terpadu.surveys.models import ExtraAnswer, FollowUpPlan, SurveyResponse
from terpadu.surveys.periods import parse_period
from terpadu.surveys.questionnaire import questionnaire_for

LOCAL_TZ = ZoneInfo("Asia/Jakarta")
VISIT_SALT = "terpadu.surveys.visit"
PROFILE_FIELDS = ("age_band", "sex", "education", "occupation")


def sign_visit(visit_ref: str) -> str:
    """The ``ref`` parameter of an after-visit survey link (ticket QR, application receipt)."""
    return signing.Signer(salt=VISIT_SALT).sign(visit_ref)


def unsign_visit(value: str) -> str:
    try:
        return signing.Signer(salt=VISIT_SALT).unsign(value)
    except signing.BadSignature:
        raise DomainError(
            code="bad_link",
            message=bilingual(
                "Tautan survei tidak sah. Pindai ulang kode QR pada tiket Anda.",
                "Invalid survey link.",
            ),
            errors=[field_error("ref", "Tautan survei tidak sah.", "Invalid survey link.")],
        ) from None


def survey_link(*, agency: Agency, visit_ref: str = "", service: Service | None = None) -> str:
    """The relative URL of the questionnaire for a unit (and a visit, and a service)."""
    from urllib.parse import urlencode

    params: dict[str, str] = {}
    if service is not None:
        params["layanan"] = service.code
    if visit_ref:
        params["ref"] = sign_visit(visit_ref)
    query = f"?{urlencode(params)}" if params else ""
    return f"/survei/isi/{agency.code}/{query}"


def _invalid(errors: list[FieldError]) -> DomainError:
    return DomainError(
        code="invalid",
        message=bilingual("Periksa kembali isian yang ditandai.", "Check the marked fields."),
        errors=errors,
    )


def _answer(raw: Any) -> int | str | None:
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        return "bad"
    return value if value in SCALE else "bad"


def survey_response_submit(
    *,
    agency: Agency,
    answers: Mapping[str, Any],
    profile: Mapping[str, str] | None = None,
    comment: str = "",
    channel: str = SurveyResponse.Channel.LINK,
    visit_ref: str = "",
    service: Service | None = None,
    hall: Hall | None = None,
    now: datetime | None = None,
) -> SurveyResponse:
    """Record one questionnaire. ``answers`` maps unsur codes to 1–4 (blank = not answered)."""
    now = now or timezone.now()
    items = questionnaire_for(agency)
    known = {item.code for item in items}
    errors: list[FieldError] = []
    values: dict[str, int | None] = {}
    for code, raw in answers.items():
        if code not in known:
            errors.append(field_error(code, "Unsur tidak dikenal.", "Unknown unsur."))
            continue
        value = _answer(raw)
        if value == "bad":
            errors.append(
                field_error(code, "Pilih salah satu jawaban (nilai 1–4).", "Choose a value 1–4.")
            )
        else:
            values[code] = value if isinstance(value, int) else None
    if not errors and not any(values.get(code) for code in STANDARD_CODES):
        errors.append(
            field_error("U1", "Jawab paling sedikit satu pertanyaan.", "Answer at least one item.")
        )
    profile = dict(profile or {})
    choices = {
        "age_band": SurveyResponse.AgeBand.values,
        "sex": SurveyResponse.Sex.values,
        "education": SurveyResponse.Education.values,
        "occupation": SurveyResponse.Occupation.values,
    }
    for name in PROFILE_FIELDS:
        value = profile.get(name, "") or ""
        if value and value not in choices[name]:
            errors.append(field_error(name, "Pilihan tidak dikenal.", "Unknown choice."))
    comment = (comment or "").strip()
    if len(comment) > 1000:
        errors.append(
            field_error("comment", "Paling banyak 1000 huruf.", "At most 1000 characters.")
        )
    if service is not None and service.agency_id != agency.pk:
        errors.append(
            field_error("service", "Layanan bukan milik unit ini.", "Not this unit's service.")
        )
    if channel not in SurveyResponse.Channel.values:
        errors.append(field_error("channel", "Saluran tidak dikenal.", "Unknown channel."))
    visit_ref = (visit_ref or "").strip()
    if len(visit_ref) > 64:
        errors.append(
            field_error("ref", "Rujukan kunjungan terlalu panjang.", "visit_ref too long.")
        )
    if errors:
        raise _invalid(errors)
    already = DomainError(
        code="already_answered",
        message=bilingual(
            "Survei untuk kunjungan ini sudah diisi. Terima kasih.",
            "This visit's survey has already been answered.",
        ),
        status=409,
    )
    if (
        visit_ref
        and SurveyResponse.objects.filter(region_id=agency.region_id, visit_ref=visit_ref).exists()
    ):
        raise already
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                region_id=agency.region_id,
                agency=agency,
                service=service,
                hall=hall,
                channel=channel,
                visit_ref=visit_ref,
                submitted_at=now,
                local_date=now.astimezone(LOCAL_TZ).date(),
                comment=comment,
                **{name: profile.get(name, "") or "" for name in PROFILE_FIELDS},
                **{code.lower(): values.get(code) for code in STANDARD_CODES},
            )
            ExtraAnswer.objects.bulk_create(
                ExtraAnswer(response=response, code=code, value=value)
                for code, value in values.items()
                if code not in STANDARD_CODES and value is not None
            )
            audit_record(
                actor="responden",
                action="survey.respond",
                record=response,
                summary={"agency": agency.code, "channel": channel, "visit": bool(visit_ref)},
            )
    except IntegrityError:
        if visit_ref:
            raise already from None
        raise
    return response


def _plan_errors(
    *, period: str, unsur_code: str, finding: str, action: str, responsible: str, target_date: Any
) -> list[FieldError]:
    errors = []
    if parse_period(period) is None:
        errors.append(
            field_error("period", "Periode tidak dikenal (mis. 2026-Q1).", "Unknown period.")
        )
    if not unsur_code or len(unsur_code) > 8:
        errors.append(field_error("unsur_code", "Pilih unsur.", "Choose the unsur."))
    if not 5 <= len(finding.strip()) <= 1000:
        errors.append(field_error("finding", "Tuliskan temuannya.", "Describe the finding."))
    if not 5 <= len(action.strip()) <= 2000:
        errors.append(
            field_error("action", "Tuliskan rencana tindak lanjutnya.", "Describe the action.")
        )
    if not 2 <= len(responsible.strip()) <= 120:
        errors.append(
            field_error("responsible", "Sebutkan penanggung jawab.", "Name who is responsible.")
        )
    if not isinstance(target_date, date):
        errors.append(field_error("target_date", "Tanggal tidak valid.", "Invalid date."))
    return errors


@transaction.atomic
def follow_up_plan_create(
    *,
    user: Any,
    agency: Agency,
    period: str,
    unsur_code: str,
    finding: str,
    action: str,
    responsible: str,
    target_date: date,
) -> FollowUpPlan:
    """The unit records what it will do about a weak unsur."""
    if not can_manage_agency(user, agency):
        raise NotFound("agency")
    errors = _plan_errors(
        period=period,
        unsur_code=unsur_code,
        finding=finding,
        action=action,
        responsible=responsible,
        target_date=target_date,
    )
    if not errors and unsur_code not in {i.code for i in questionnaire_for(agency)}:
        errors.append(field_error("unsur_code", "Unsur tidak dikenal.", "Unknown unsur."))
    if errors:
        raise _invalid(errors)
    plan = FollowUpPlan.objects.create(
        region_id=agency.region_id,
        agency=agency,
        period=parse_period(period).key,  # type: ignore[union-attr]
        unsur_code=unsur_code,
        finding=finding.strip(),
        action=action.strip(),
        responsible=responsible.strip(),
        target_date=target_date,
        created_by=user,
    )
    audit_record(
        actor=user,
        action="survey.plan_create",
        record=plan,
        summary={"agency": agency.code, "period": plan.period, "unsur": unsur_code},
    )
    return plan


@transaction.atomic
def follow_up_plan_publish(*, user: Any, plan: FollowUpPlan, status: str = "") -> FollowUpPlan:
    """Publish the plan (and optionally move its status); published plans show on the public report."""
    if not can_manage_agency(user, plan.agency):
        raise NotFound("plan")
    if status and status not in FollowUpPlan.Status.values:
        raise _invalid([field_error("status", "Status tidak dikenal.", "Unknown status.")])
    before = {"published": plan.is_published, "status": plan.status}
    plan.is_published = True
    plan.published_at = plan.published_at or timezone.now()
    if status:
        plan.status = status
    plan.save(update_fields=["is_published", "published_at", "status", "updated_at"])
    audit_record(
        actor=user,
        action="survey.plan_publish",
        record=plan,
        summary={"before": before, "status": plan.status},
    )
    return plan
