"""Who may see and act on a complaint, and whose identity they may see.

- The complaint coordinator (supervisor of the regency, and the administrator) is the
  complaint manager: sees every complaint of the regency, including the reporter's
  identity, and verifies, disposes, rejects and merges.
- An agency officer or head sees the complaints disposed to the agency; the reporter's
  identity only when the reporter did not choose *anonim*. They post the answer.
- The reporter opens their complaint by its tracking code (no login needed).
- The public sees non-confidential complaints without any personal data.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet

from terpadu.accounts.models import AGENCY_ROLES, Role
from terpadu.accounts.scope import region_q
from terpadu.complaints.models import Complaint, ComplaintPhoto
from terpadu.core.errors import NotFound

COORDINATOR_ROLES: frozenset[str] = frozenset({Role.SUPERVISOR, Role.ADMIN})
INTAKE_ROLES: frozenset[str] = frozenset({Role.FRONT_DESK, Role.SUPERVISOR, Role.ADMIN})
PUBLIC_STATUSES = (
    Complaint.Status.SUBMITTED,
    Complaint.Status.DISPOSED,
    Complaint.Status.ANSWERED,
    Complaint.Status.CLOSED,
)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def is_coordinator(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in COORDINATOR_ROLES or bool(user.is_superuser)


def is_agency_user(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in AGENCY_ROLES


def can_file_at_counter(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and (
        user.role in INTAKE_ROLES or bool(user.is_superuser)
    )


def complaints_for_user(user: Any) -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related(
        "region", "village", "district", "agency", "category", "service", "merged_into"
    )
    if is_coordinator(user):
        return qs.filter(region_q(user))
    if is_agency_user(user):
        return qs.filter(region_q(user), agency_id=user.agency_id, disposed_at__isnull=False)
    return qs.none()


def access_complaint_by_id(*, user: Any, complaint_id: int) -> Complaint:
    """The complaint if this user may see it; the same NotFound for missing and not yours."""
    complaint = complaints_for_user(user).filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound("complaint")
    return complaint


def normalise_code(code: str) -> str:
    """``"k7qm 4txp 9c2a"`` -> ``"K7QM-4TXP-9C2A"``; anything else -> ``""``."""
    raw = re.sub(r"[\s\-]", "", str(code or "")).upper()
    if len(raw) != 12 or any(ch not in CODE_ALPHABET for ch in raw):
        return ""
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def access_complaint_by_code(*, code: str) -> Complaint:
    """The reporter's own view: the tracking code is the key."""
    normal = normalise_code(code)
    complaint = (
        Complaint.objects.select_related(
            "region", "village", "district", "agency", "category", "merged_into"
        )
        .filter(tracking_code=normal)
        .first()
        if normal
        else None
    )
    if complaint is None:
        raise NotFound("complaint")
    return complaint


def sees_identity(user: Any, complaint: Complaint) -> bool:
    """Whether ``user`` may see who reported ``complaint``."""
    if is_coordinator(user):
        return True
    if is_agency_user(user) and complaint.agency_id == user.agency_id:
        return not complaint.is_anonymous
    return False


def public_q() -> Q:
    return Q(is_confidential=False, status__in=PUBLIC_STATUSES)


def access_photo(*, user: Any, photo_id: int, code: str = "") -> ComplaintPhoto:
    """A photo for staff who may see its complaint, or for the reporter holding the code."""
    photo = ComplaintPhoto.objects.select_related("complaint").filter(pk=photo_id).first()
    if photo is None:
        raise NotFound("photo")
    if code:
        if normalise_code(code) != photo.complaint.tracking_code:
            raise NotFound("photo")
        return photo
    if not complaints_for_user(user).filter(pk=photo.complaint_id).exists():
        raise NotFound("photo")
    return photo
