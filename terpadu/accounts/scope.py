"""Who may see what: region scoping (regency vs province) and agency scoping.

One deployment can serve a whole province. A user whose ``region`` is a province
sees every regency in it; everyone else sees only their own regency. Agency
officers and heads further see only their own agency's work.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from terpadu.accounts.models import AGENCY_ROLES, Role


def region_q(user: Any, field: str = "region") -> Q:
    """A filter on ``<field>`` (a FK to Region) restricting rows to the user's regions."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser and user.region_id is None:
        return Q()
    region = user.region
    if region is None:
        return Q(pk__in=[])
    if region.level == "province":
        return Q(**{f"{field}__code__startswith": region.code + "."})
    return Q(**{field: region.pk})


def region_allows(user: Any, region_code: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser and user.region_id is None:
        return True
    region = user.region
    if region is None:
        return False
    if region.level == "province":
        return region_code.startswith(region.code + ".")
    return region_code == region.code


def agency_q(user: Any, field: str = "agency") -> Q:
    """Restrict rows with an ``agency`` FK: officers and heads see only their own agency."""
    q = region_q(user, f"{field}__region")
    if getattr(user, "role", None) in AGENCY_ROLES:
        q &= Q(**{field: user.agency_id})
    return q


def is_agency_bound(user: Any) -> bool:
    return getattr(user, "role", None) in AGENCY_ROLES


def is_staff_role(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.role != Role.CITIZEN
