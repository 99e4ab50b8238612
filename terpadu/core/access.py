"""The one way to fetch an agency for a user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from terpadu.accounts.models import Role
from terpadu.accounts.scope import region_q
from terpadu.core.errors import NotFound
from terpadu.core.models import Agency

# Roles that may open an agency's internal page (staff list, contacts, calendar).
AGENCY_READERS: frozenset[str] = frozenset(
    {
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SUPERVISOR,
        Role.FRONT_DESK,
        Role.ADMIN,
    }
)
AGENCY_EDITORS: frozenset[str] = frozenset({Role.AGENCY_HEAD, Role.ADMIN})


def agencies_for_user(user: Any) -> QuerySet[Agency]:
    qs = Agency.objects.select_related("region", "calendar")
    if getattr(user, "role", None) not in AGENCY_READERS and not getattr(
        user, "is_superuser", False
    ):
        return qs.none()
    if user.role in (Role.AGENCY_OFFICER, Role.AGENCY_HEAD):
        return qs.filter(region_q(user), pk=user.agency_id)
    return qs.filter(region_q(user))


def access_agency_by_id(*, user: Any, agency_id: int, for_change: bool = False) -> Agency:
    """The agency if this user may see it (or change it); otherwise NotFound, the same as a missing id."""
    agency = agencies_for_user(user).filter(pk=agency_id).first()
    if agency is None:
        raise NotFound("agency")
    if for_change and user.role not in AGENCY_EDITORS and not user.is_superuser:
        raise NotFound("agency")
    return agency
