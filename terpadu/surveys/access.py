"""Who may record and publish follow-up plans, and read respondents' free text."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from terpadu.accounts.models import AGENCY_ROLES, Role
from terpadu.accounts.scope import region_allows
from terpadu.core.errors import NotFound
from terpadu.core.models import Agency
from terpadu.surveys.models import FollowUpPlan

MANAGER_ROLES = frozenset({Role.AGENCY_HEAD, Role.AGENCY_OFFICER, Role.SUPERVISOR, Role.ADMIN})


def can_manage_agency(user: Any, agency: Agency) -> bool:
    """Agency staff for their own unit; the supervisor and administrator for every unit of the regency."""
    if not getattr(user, "is_authenticated", False) or user.role not in MANAGER_ROLES:
        return False
    if not region_allows(user, agency.region.code):
        return False
    return user.role not in AGENCY_ROLES or user.agency_id == agency.pk


def plans_visible_to(user: Any, agency: Agency) -> QuerySet[FollowUpPlan]:
    qs = FollowUpPlan.objects.filter(agency=agency).select_related("agency")
    return qs if can_manage_agency(user, agency) else qs.filter(is_published=True)


def access_plan_by_id(*, user: Any, plan_id: int) -> FollowUpPlan:
    plan = (
        FollowUpPlan.objects.select_related("agency", "agency__region").filter(pk=plan_id).first()
    )
    if plan is None or not can_manage_agency(user, plan.agency):
        raise NotFound("plan")
    return plan
