"""Surveys API (/api/v1/surveys): the questionnaire and responses without login, the published
IKM for anyone, follow-up plans for the unit's staff."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from terpadu.catalog.models import Hall, Service
from terpadu.core.apiauth import AUTH
from terpadu.core.errors import DomainError, NotFound, field_error
from terpadu.core.models import Agency, Region
from terpadu.surveys import selectors, services
from terpadu.surveys.access import access_plan_by_id, can_manage_agency
from terpadu.surveys.ikm import IkmResult
from terpadu.surveys.models import FollowUpPlan, SurveyResponse
from terpadu.surveys.periods import Period, parse_period
from terpadu.surveys.questionnaire import questionnaire_for

PREFIX = "/surveys"
router = Router(tags=["surveys"])


class ItemOut(Schema):
    code: str
    name: str
    question: str
    labels: list[str]
    standard: bool


class ResponseIn(Schema):
    agency_code: str
    service_code: str = ""
    answers: dict[str, int | None]
    age_band: str = ""
    sex: str = ""
    education: str = ""
    occupation: str = ""
    comment: str = ""
    channel: str = SurveyResponse.Channel.LINK
    ref: str = ""


class ResponseOut(Schema):
    id: int
    local_date: date


class IkmOut(Schema):
    unit: str
    period: str
    n: int
    nrr: dict[str, float | None]
    ikm: float | None
    mutu: str | None
    kinerja: str | None
    lowest: list[str]
    population: int | None
    minimum_sample: int | None
    enough_sample: bool | None


class GroupedOut(Schema):
    group_id: int | None
    period: str
    n: int
    ikm: float | None
    mutu: str | None


class PlanIn(Schema):
    agency_code: str
    period: str
    unsur_code: str
    finding: str
    action: str
    responsible: str
    target_date: date


class PlanOut(Schema):
    id: int
    agency_code: str
    period: str
    unsur_code: str
    finding: str
    action: str
    responsible: str
    target_date: date
    status: str
    is_published: bool


class PublishIn(Schema):
    status: str = ""


def _home() -> Region:
    region = Region.objects.filter(code=settings.TERPADU_HOME_REGION).first()
    if region is None:
        raise NotFound("region")
    return region


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(region=_home(), code=code).select_related("region").first()
    if agency is None:
        raise NotFound("agency")
    return agency


def _period(text: str) -> Period:
    period = parse_period(text)
    if period is None:
        raise DomainError(
            code="invalid",
            message="Periode tidak dikenal.",
            errors=[
                field_error("period", "Contoh: 2026, 2026-S1, 2026-Q3.", "E.g. 2026, 2026-S1.")
            ],
        )
    return period


def _ikm(result: IkmResult) -> dict[str, Any]:
    return {
        "n": result.n,
        "nrr": {c: (None if v is None else float(v)) for c, v in result.nrr_rounded(4).items()},
        "ikm": None if result.ikm is None else float(result.ikm),
        "mutu": result.mutu,
        "kinerja": result.kinerja,
        "lowest": result.lowest(),
    }


def plan_out(plan: FollowUpPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "agency_code": plan.agency.code,
        "period": plan.period,
        "unsur_code": plan.unsur_code,
        "finding": plan.finding,
        "action": plan.action,
        "responsible": plan.responsible,
        "target_date": plan.target_date,
        "status": plan.status,
        "is_published": plan.is_published,
    }


@router.get(
    "/questionnaire/{agency_code}",
    response=list[ItemOut],
    operation_id="surveys_questionnaire",
    auth=None,
)
def questionnaire(request: HttpRequest, agency_code: str) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "name": i.name,
            "question": i.question,
            "labels": list(i.labels),
            "standard": i.standard,
        }
        for i in questionnaire_for(_agency(agency_code))
    ]


@router.post("/responses", response={201: ResponseOut}, operation_id="surveys_submit", auth=None)
def submit(request: HttpRequest, payload: ResponseIn) -> Status[dict[str, Any]]:
    agency = _agency(payload.agency_code)
    service = None
    if payload.service_code:
        service = Service.objects.filter(region=agency.region, code=payload.service_code).first()
        if service is None:
            raise NotFound("service")
    response = services.survey_response_submit(
        agency=agency,
        service=service,
        answers=payload.answers,
        profile={
            "age_band": payload.age_band,
            "sex": payload.sex,
            "education": payload.education,
            "occupation": payload.occupation,
        },
        comment=payload.comment,
        channel=payload.channel,
        visit_ref=services.unsign_visit(payload.ref) if payload.ref else "",
    )
    return Status(201, {"id": response.pk, "local_date": response.local_date})


@router.get("/ikm", response=IkmOut, operation_id="surveys_ikm", auth=None)
def ikm(
    request: HttpRequest,
    period: str,
    agency_code: str = "",
    service_code: str = "",
    hall_code: str = "",
    population: int | None = None,
) -> dict[str, Any]:
    region = _home()
    agency = _agency(agency_code) if agency_code else None
    service = (
        Service.objects.filter(region=region, code=service_code).first() if service_code else None
    )
    hall = Hall.objects.filter(region=region, code=hall_code).first() if hall_code else None
    if (service_code and service is None) or (hall_code and hall is None):
        raise NotFound("unit")
    report = selectors.build_report(
        region=region,
        period=_period(period),
        agency=agency,
        service=service,
        hall=hall,
        population=population,
    )
    unit = service.name if service else (agency.name if agency else region.name)
    return {
        "unit": unit,
        "period": report.period.key,
        **_ikm(report.result),
        "population": report.sample.population,
        "minimum_sample": report.sample.minimum,
        "enough_sample": report.sample.enough,
    }


@router.get(
    "/ikm/grouped", response=list[GroupedOut], operation_id="surveys_ikm_grouped", auth=None
)
def ikm_grouped(
    request: HttpRequest, period: str, kind: str = "quarter", by: str = "service"
) -> list[dict[str, Any]]:
    if kind not in ("quarter", "semester", "year") or by not in selectors.GROUP_FIELDS:
        raise DomainError(
            code="invalid",
            message="Parameter tidak dikenal.",
            errors=[field_error("kind", "quarter/semester/year; by agency/service/hall", "")],
        )
    grouped = selectors.ikm_grouped(region=_home(), period=_period(period), kind=kind, by=by)
    return [
        {
            "group_id": group,
            "period": key,
            "n": result.n,
            "ikm": None if result.ikm is None else float(result.ikm),
            "mutu": result.mutu,
        }
        for (group, key), result in sorted(
            grouped.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])
        )
    ]


@router.get("/plans", response=list[PlanOut], operation_id="surveys_plan_list", auth=None)
def plan_list(request: HttpRequest, agency_code: str, period: str) -> list[dict[str, Any]]:
    agency = _agency(agency_code)
    plans = selectors.plans_for(
        agency=agency,
        period=_period(period),
        published_only=not can_manage_agency(request.user, agency),
    ).select_related("agency")
    return [plan_out(p) for p in plans]


@router.post("/plans", response={201: PlanOut}, operation_id="surveys_plan_create", auth=AUTH)
def plan_create(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    plan = services.follow_up_plan_create(
        user=request.user,
        agency=_agency(payload.agency_code),
        period=payload.period,
        unsur_code=payload.unsur_code,
        finding=payload.finding,
        action=payload.action,
        responsible=payload.responsible,
        target_date=payload.target_date,
    )
    return Status(201, plan_out(plan))


@router.post(
    "/plans/{plan_id}/publish",
    response=PlanOut,
    operation_id="surveys_plan_publish",
    auth=AUTH,
)
def plan_publish(request: HttpRequest, plan_id: int, payload: PublishIn) -> dict[str, Any]:
    plan = access_plan_by_id(user=request.user, plan_id=plan_id)
    return plan_out(
        services.follow_up_plan_publish(user=request.user, plan=plan, status=payload.status)
    )
