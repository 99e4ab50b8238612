from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from terpadu.core.apiauth import AUTH
from terpadu.core.nik import mask_nik
from terpadu.registry.access import access_resident_by_id
from terpadu.registry.models import Resident
from terpadu.registry.selectors import resident_search

router = Router(tags=["registry"])


class ResidentOut(Schema):
    id: int
    nik: str
    name: str
    sex: str
    birth_date: str
    village_code: str
    village_name: str


def resident_out(resident: Resident, user: object) -> dict[str, object]:
    full = getattr(user, "sees_full_nik", False)
    return {
        "id": resident.pk,
        "nik": resident.nik if full else mask_nik(resident.nik),
        "name": resident.name,
        "sex": resident.sex,
        "birth_date": resident.birth_date.isoformat(),
        "village_code": resident.village.code,
        "village_name": resident.village.name,
    }


@router.get(
    "/residents", response=list[ResidentOut], operation_id="registry_resident_search", auth=AUTH
)
def resident_list(request: HttpRequest, q: str) -> list[dict[str, object]]:
    return [
        resident_out(r, request.user) for r in resident_search(user=request.user, query=q[:100])
    ]


@router.get(
    "/residents/{resident_id}",
    response=ResidentOut,
    operation_id="registry_resident_get",
    auth=AUTH,
)
def resident_get(request: HttpRequest, resident_id: int) -> dict[str, object]:
    resident = access_resident_by_id(
        user=request.user, resident_id=resident_id, purpose="API registry_resident_get"
    )
    return resident_out(resident, request.user)
