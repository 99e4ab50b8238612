"""Catalogue API under /api/v1/catalog/: the public catalogue (no login) and draft/publish for officers."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from terpadu.catalog import selectors
from terpadu.catalog.access import access_service_by_id
from terpadu.catalog.models import Service, ServiceVersion
from terpadu.catalog.services import service_version_draft_update, service_version_publish
from terpadu.core.apiauth import AUTH

router = Router(tags=["catalog"])
PREFIX = "/catalog"


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    address: str
    phone: str
    opening_hours: str
    service_count: int = 0


class ServiceOut(Schema):
    id: int
    code: str
    name: str
    aliases: list[str]
    summary: str
    agency_code: str
    agency_name: str
    category: str | None
    online_available: bool
    booking_available: bool


class SearchHitOut(ServiceOut):
    score: float


class RequirementOut(Schema):
    document: str
    note: str = ""


class VersionOut(Schema):
    number: int
    status: str
    effective_date: dt.date | None
    published_at: dt.datetime | None
    requirements: list[RequirementOut]
    procedure: list[str]
    completion_time_value: int
    completion_time_unit: str
    fee_amount: int
    fee_legal_basis: str
    product: str
    complaint_channel: str
    legal_basis: str
    facilities: str
    staff_competence: str
    internal_control: str
    staff_count: str
    service_guarantee: str
    safety_guarantee: str
    performance_evaluation: str
    extra_fields: list[dict[str, Any]]
    change_note: str


class ServiceDetailOut(ServiceOut):
    version: VersionOut
    counters: list[int]


class LifeEventOut(Schema):
    slug: str
    name: str
    description: str
    services: list[str]


class RequirementIn(Schema):
    document: str = Field(max_length=300)
    note: str = Field(default="", max_length=500)


class ServiceDraftIn(Schema):
    """Only the fields sent are changed; the draft starts as a copy of the published version."""

    requirements: list[RequirementIn] | None = None
    procedure: list[str] | None = None
    completion_time_value: int | None = None
    completion_time_unit: Literal["working_days", "hours"] | None = None
    fee_amount: int | None = None
    fee_legal_basis: str | None = None
    product: str | None = None
    complaint_channel: str | None = None
    legal_basis: str | None = None
    facilities: str | None = None
    staff_competence: str | None = None
    internal_control: str | None = None
    staff_count: str | None = None
    service_guarantee: str | None = None
    safety_guarantee: str | None = None
    performance_evaluation: str | None = None
    extra_fields: list[dict[str, Any]] | None = None
    change_note: str | None = Field(default=None, max_length=300)


class PublishIn(Schema):
    effective_date: dt.date | None = None
    change_note: str = Field(default="", max_length=300)


def service_out(service: Service) -> dict[str, Any]:
    return {
        "id": service.pk,
        "code": service.code,
        "name": service.name,
        "aliases": list(service.aliases or []),
        "summary": service.summary,
        "agency_code": service.agency.code,
        "agency_name": service.agency.name,
        "category": service.category.name if service.category else None,
        "online_available": service.online_available,
        "booking_available": service.booking_available,
    }


def version_out(version: ServiceVersion) -> dict[str, Any]:
    fields = VersionOut.model_fields
    return {name: getattr(version, name) for name in fields}


@router.get("/services", response=list[ServiceOut], operation_id="catalog_service_list", auth=None)
def service_list(
    request: HttpRequest,
    agency: str = "",
    category: str = "",
    life_event: str = "",
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    region = selectors.public_region(request.user)
    if life_event:
        _, steps = selectors.life_event_detail(region=region, slug=life_event)
        return [service_out(s.service) for s in steps][offset : offset + limit]
    qs = selectors.service_public_list(
        region=region,
        agency=selectors.agency_public_get(region=region, code=agency) if agency else None,
        category=selectors.category_public_get(region=region, slug=category) if category else None,
    )
    return [service_out(s) for s in qs[offset : offset + limit]]


@router.get(
    "/services/search",
    response=list[SearchHitOut],
    operation_id="catalog_service_search",
    auth=None,
)
def service_search(
    request: HttpRequest,
    q: str = Query(..., max_length=200),
    limit: int = Query(10, ge=1, le=50),
) -> list[dict[str, Any]]:
    region = selectors.public_region(request.user)
    hits = selectors.catalog_search(region=region, query=q, limit=limit)
    return [{**service_out(h.service), "score": h.score} for h in hits]


@router.get(
    "/services/{code}",
    response=ServiceDetailOut,
    operation_id="catalog_service_get",
    auth=None,
)
def service_get(request: HttpRequest, code: str) -> dict[str, Any]:
    service = selectors.service_public_detail(
        region=selectors.public_region(request.user), code=code
    )
    assert service.current_version is not None
    return {
        **service_out(service),
        "version": version_out(service.current_version),
        "counters": [c.number for c in service.counters.all()],
    }


@router.get("/agencies", response=list[AgencyOut], operation_id="catalog_agency_list", auth=None)
def agency_list(request: HttpRequest) -> list[dict[str, Any]]:
    region = selectors.public_region(request.user)
    return [
        {
            "code": e.agency.code,
            "name": e.agency.name,
            "short_name": e.agency.short_name,
            "kind": e.agency.kind,
            "address": e.agency.address,
            "phone": e.agency.phone,
            "opening_hours": e.agency.opening_hours,
            "service_count": e.service_count,
        }
        for e in selectors.agency_public_list(region=region)
    ]


@router.get(
    "/life-events", response=list[LifeEventOut], operation_id="catalog_life_event_list", auth=None
)
def life_event_list(request: HttpRequest) -> list[dict[str, Any]]:
    region = selectors.public_region(request.user)
    out = []
    for event in selectors.life_event_list(region=region):
        _, steps = selectors.life_event_detail(region=region, slug=event.slug)
        out.append(
            {
                "slug": event.slug,
                "name": event.name,
                "description": event.description,
                "services": [s.service.code for s in steps],
            }
        )
    return out


@router.patch(
    "/office/services/{service_id}/draft",
    response=VersionOut,
    operation_id="catalog_service_update_draft",
    auth=AUTH,
)
def service_update_draft(
    request: HttpRequest, service_id: int, payload: ServiceDraftIn
) -> dict[str, Any]:
    service = access_service_by_id(user=request.user, service_id=service_id)
    data = payload.model_dump(exclude_unset=True)
    note = data.pop("change_note", None)
    draft = service_version_draft_update(
        actor=request.user, service=service, content=data, change_note=note
    )
    return version_out(draft)


@router.post(
    "/office/services/{service_id}/publish",
    response=VersionOut,
    operation_id="catalog_service_publish",
    auth=AUTH,
)
def service_publish(request: HttpRequest, service_id: int, payload: PublishIn) -> dict[str, Any]:
    service = access_service_by_id(user=request.user, service_id=service_id)
    version = service_version_publish(
        actor=request.user,
        service=service,
        effective_date=payload.effective_date,
        change_note=payload.change_note,
    )
    return version_out(version)
