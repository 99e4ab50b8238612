from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from terpadu.core.apiauth import AUTH

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str
    region_code: str | None
    agency_id: int | None


@router.get("/me", response=MeOut, operation_id="accounts_me", auth=AUTH)
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": str(user),
        "role": user.role,  # type: ignore[union-attr]
        "region_code": user.region.code if user.region else None,  # type: ignore[union-attr]
        "agency_id": user.agency_id,  # type: ignore[union-attr]
    }
