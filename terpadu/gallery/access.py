"""Who may edit which innovation.

* Agency officers and heads: their own agency's innovations (in their regency).
* Supervisors and administrators: every innovation in their region(s).
* Everyone else: none. Anyone (no login) reads the *public* innovations through the
  selectors; an unpublished one is visible only to those who may edit it.

``access_innovation_by_id`` gives the same :class:`NotFound` for a missing innovation
and one the user may not edit, so ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from terpadu.accounts.models import AGENCY_ROLES, Role
from terpadu.accounts.scope import agency_q, region_q
from terpadu.core.errors import NotFound
from terpadu.core.models import Agency
from terpadu.gallery.models import Innovation

EDITOR_ROLES: frozenset[str] = frozenset(
    {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN}
)


def is_gallery_editor(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in EDITOR_ROLES


def innovations_editable_by(user: Any) -> QuerySet[Innovation]:
    qs = Innovation.objects.select_related("region", "agency")
    if not is_gallery_editor(user):
        return qs.none()
    if user.role in AGENCY_ROLES:
        return qs.filter(agency_q(user))
    return qs.filter(region_q(user))


def agencies_for_editor(user: Any) -> QuerySet[Agency]:
    qs = Agency.objects.select_related("region").order_by("name")
    if not is_gallery_editor(user):
        return qs.none()
    if user.role in AGENCY_ROLES:
        return qs.filter(pk=user.agency_id).filter(region_q(user))
    return qs.filter(region_q(user))


def can_edit(user: Any, innovation: Innovation) -> bool:
    return innovations_editable_by(user).filter(pk=innovation.pk).exists()


def access_innovation_by_id(*, user: Any, innovation_id: int) -> Innovation:
    """The innovation for editing; NotFound when missing or not the user's to edit."""
    found = innovations_editable_by(user).filter(pk=innovation_id).first()
    if found is None:
        raise NotFound("innovation")
    return found


def access_innovation_by_slug(*, user: Any, slug: str) -> Innovation:
    """The innovation for reading: public ones for anyone, unpublished ones for editors."""
    found = Innovation.objects.select_related("region", "agency").filter(slug=slug).first()
    if found is None:
        raise NotFound("innovation")
    if found.is_public or innovations_editable_by(user).filter(pk=found.pk).exists():
        return found
    raise NotFound("innovation")
