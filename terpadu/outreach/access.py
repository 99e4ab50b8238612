"""Who may see and act on an outreach case.

- A field worker (bidan desa, pendamping) sees the cases of the desa they are assigned to,
  for the programmes they are assigned to, plus cases handed to them; never the full NIK.
- The officers and head of the programme's agency (Dinkes, Dispendik, the RSUD pharmacy)
  see the programme's cases in their regency.
- The supervisor sees the non-health programmes' cases (Garda Ampuh) and every programme's
  aggregate report; health programmes' personal data only for health roles.
- The administrator sees everything in their region.
- Reporters see only their own reports' status (received / followed up).

The same NotFound answers "missing" and "not yours".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from terpadu.accounts.models import AGENCY_ROLES, Role
from terpadu.accounts.scope import region_q
from terpadu.core.errors import NotFound
from terpadu.outreach.models import (
    Case,
    Dispatch,
    FieldAssignment,
    Prescription,
    Programme,
    Report,
    Reporter,
    VisitPhoto,
)
from terpadu.outreach.programmes import all_specs

HEALTH_CODES = frozenset(s.code for s in all_specs() if s.health)


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def is_admin(user: Any) -> bool:
    return _authenticated(user) and (user.role == Role.ADMIN or bool(user.is_superuser))


def programmes_for_user(user: Any) -> QuerySet[Programme]:
    """Programmes whose cases (or reports) this user works with."""
    qs = Programme.objects.select_related("region", "agency").filter(region_q(user))
    if not _authenticated(user):
        return qs.none()
    if is_admin(user) or user.role == Role.SUPERVISOR:
        return qs
    if user.role in AGENCY_ROLES:
        return qs.filter(agency_id=user.agency_id)
    if user.role == Role.FIELD_WORKER:
        return qs.filter(assignments__user=user).distinct()
    return qs.none()


def cases_for_user(user: Any) -> QuerySet[Case]:
    qs = Case.objects.select_related(
        "programme", "region", "district", "village", "assigned_to"
    ).filter(region_q(user))
    if not _authenticated(user):
        return qs.none()
    if is_admin(user):
        return qs
    if user.role == Role.SUPERVISOR:
        return qs.exclude(programme__code__in=HEALTH_CODES)
    if user.role in AGENCY_ROLES:
        return qs.filter(programme__agency_id=user.agency_id)
    if user.role == Role.FIELD_WORKER:
        covered = FieldAssignment.objects.filter(
            user=user, programme=OuterRef("programme"), village=OuterRef("village")
        )
        return qs.filter(Q(Exists(covered)) | Q(assigned_to=user))
    return qs.none()


def access_case_by_id(*, user: Any, case_id: int) -> Case:
    """The case if this user may see it; the same NotFound for missing and not yours."""
    case = cases_for_user(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound("case")
    return case


def can_manage(user: Any, programme: Programme) -> bool:
    """Assign cases, set budgets, register reporters: the programme's agency head, admin,
    and the supervisor for non-health programmes."""
    if not _authenticated(user) or not programmes_for_user(user).filter(pk=programme.pk).exists():
        return False
    if is_admin(user):
        return True
    if user.role == Role.AGENCY_HEAD and programme.agency_id == user.agency_id:
        return True
    return user.role == Role.SUPERVISOR and programme.code not in HEALTH_CODES


def sees_health_data(user: Any, programme: Programme) -> bool:
    return programme.code not in HEALTH_CODES or (
        _authenticated(user)
        and (
            is_admin(user)
            or (user.role in AGENCY_ROLES and user.agency_id == programme.agency_id)
            or user.role == Role.FIELD_WORKER
        )
    )


def access_visit_photo(*, user: Any, photo_id: int) -> VisitPhoto:
    photo = VisitPhoto.objects.select_related("note__case").filter(pk=photo_id).first()
    if photo is None or not cases_for_user(user).filter(pk=photo.note.case_id).exists():
        raise NotFound("photo")
    return photo


def access_report_photo(*, user: Any, report_id: int) -> Report:
    report = Report.objects.filter(pk=report_id).exclude(photo="").first()
    if (
        report is None
        or report.case_id is None
        or not cases_for_user(user).filter(pk=report.case_id).exists()
    ):
        raise NotFound("photo")
    return report


def reporter_of(user: Any) -> Reporter | None:
    if not _authenticated(user):
        return None
    return (
        Reporter.objects.select_related("region", "village")
        .filter(user=user, is_active=True)
        .first()
    )


def pharmacy_agency_id(user: Any) -> int | None:
    """The agency whose pharmacy list this user works (officers/heads of a medicine agency)."""
    if not _authenticated(user) or user.role not in AGENCY_ROLES:
        return None
    if Programme.objects.filter(code="medicine", agency_id=user.agency_id).exists():
        return int(user.agency_id)
    return None


def access_prescription_by_id(*, user: Any, prescription_id: int) -> Prescription:
    rx = (
        Prescription.objects.select_related("case__programme", "case__village", "agency")
        .filter(pk=prescription_id, case__in=cases_for_user(user))
        .first()
    )
    if rx is None:
        raise NotFound("prescription")
    return rx


def access_dispatch_by_id(*, user: Any, dispatch_id: int) -> Dispatch:
    dispatch = (
        Dispatch.objects.select_related("prescription__case", "partner")
        .filter(pk=dispatch_id, prescription__case__in=cases_for_user(user))
        .first()
    )
    if dispatch is None:
        raise NotFound("dispatch")
    return dispatch
