"""Who may maintain which service.

* Agency officers and heads: only their own agency's services (in their regency).
* Supervisors and administrators: every service in their region(s).
* Everyone else (citizens, front desk, field workers): none — they read the
  public catalogue through the selectors.

``access_service_by_id`` gives the same :class:`NotFound` for a missing service
and for one the user may not edit, so ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from terpadu.accounts.models import Role
from terpadu.accounts.scope import agency_q, region_q
from terpadu.catalog.models import Service
from terpadu.core.errors import NotFound
from terpadu.core.models import Agency

EDITOR_ROLES: frozenset[str] = frozenset(
    {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN}
)
AGENCY_EDITOR_ROLES: frozenset[str] = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})
#: Roles that may import a whole catalogue file.
IMPORT_ROLES: frozenset[str] = frozenset({Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN})


def is_catalog_editor(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in EDITOR_ROLES


def services_editable_by(user: Any) -> QuerySet[Service]:
    """Services ``user`` may edit (drafts) — the base of every office list."""
    qs = Service.objects.select_related("agency", "category", "current_version", "region")
    if not is_catalog_editor(user):
        return qs.none()
    if user.role in AGENCY_EDITOR_ROLES:
        return qs.filter(agency_q(user))
    return qs.filter(region_q(user))


def agencies_editable_by(user: Any) -> QuerySet[Agency]:
    qs = Agency.objects.select_related("region")
    if not is_catalog_editor(user):
        return qs.none()
    if user.role in AGENCY_EDITOR_ROLES:
        return qs.filter(pk=user.agency_id).filter(region_q(user))
    return qs.filter(region_q(user))


def access_service_by_id(*, user: Any, service_id: int) -> Service:
    """The service for editing; NotFound when missing or not the user's to edit."""
    service = services_editable_by(user).filter(pk=service_id).first()
    if service is None:
        raise NotFound("service")
    return service


def access_agency_by_id(*, user: Any, agency_id: int) -> Agency:
    agency = agencies_editable_by(user).filter(pk=agency_id).first()
    if agency is None:
        raise NotFound("agency")
    return agency


def can_publish(user: Any, service: Service) -> bool:
    """Only the head of the service's own agency publishes a new version."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.role == Role.AGENCY_HEAD
        and user.agency_id == service.agency_id
    )


def can_import(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in IMPORT_ROLES
