"""Core API: health and agencies (internal profiles, scoped)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema

from terpadu.core.access import access_agency_by_id, agencies_for_user
from terpadu.core.apiauth import AUTH
from terpadu.core.services import agency_update

router = Router(tags=["core"])


class HealthOut(Schema):
    ok: bool
    database: str


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    region_code: str
    address: str
    phone: str
    email: str
    opening_hours: str

    @staticmethod
    def resolve_region_code(obj: object) -> str:
        return obj.region.code  # type: ignore[attr-defined]


class AgencyPatch(Schema):
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    opening_hours: str | None = None


@router.get("/health", response=HealthOut, operation_id="core_health", auth=None)
def health(request: HttpRequest) -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "database": connection.vendor}


@router.get("/agencies", response=list[AgencyOut], operation_id="core_agency_list", auth=AUTH)
def agency_list(request: HttpRequest) -> object:
    return list(agencies_for_user(request.user))


@router.get("/agencies/{agency_id}", response=AgencyOut, operation_id="core_agency_get", auth=AUTH)
def agency_get(request: HttpRequest, agency_id: int) -> object:
    return access_agency_by_id(user=request.user, agency_id=agency_id)


@router.patch(
    "/agencies/{agency_id}", response=AgencyOut, operation_id="core_agency_update", auth=AUTH
)
def agency_patch(request: HttpRequest, agency_id: int, payload: AgencyPatch) -> object:
    agency = access_agency_by_id(user=request.user, agency_id=agency_id, for_change=True)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return agency_update(agency=agency, actor=request.user, data=data)
