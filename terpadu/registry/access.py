"""The one way to open a person's record: scoped by region, and every opening logged."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from terpadu.accounts.models import Role
from terpadu.accounts.scope import region_q
from terpadu.core.errors import NotFound
from terpadu.registry.models import RecordAccess, Resident

RESIDENT_READERS: frozenset[str] = frozenset(
    {
        Role.FRONT_DESK,
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SUPERVISOR,
        Role.FIELD_WORKER,
        Role.ADMIN,
    }
)


def residents_for_user(user: Any) -> QuerySet[Resident]:
    qs = Resident.objects.select_related("village", "village__parent", "household")
    if not getattr(user, "is_authenticated", False) or user.role not in RESIDENT_READERS:
        return qs.none()
    return qs.filter(region_q(user))


def access_resident_by_id(*, user: Any, resident_id: int, purpose: str) -> Resident:
    """Fetch a resident for ``user`` and log the access; NotFound when missing or out of scope."""
    resident = residents_for_user(user).filter(pk=resident_id).first()
    if resident is None:
        raise NotFound("resident")
    RecordAccess.objects.create(
        resident=resident,
        region_id=resident.region_id,
        user=user,
        purpose=purpose[:120],
        full_nik_shown=bool(user.sees_full_nik),
    )
    return resident
