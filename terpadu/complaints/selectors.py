"""Reads on complaints: officer lists, the public list (no personal data), home-card counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from terpadu.complaints import sla
from terpadu.complaints.access import complaints_for_user, public_q, sees_identity
from terpadu.complaints.models import Category, Complaint, Escalation
from terpadu.core.models import Agency, Region

_REDACTIONS = [
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[surel disembunyikan]"),
    (re.compile(r"\b\d{16}\b"), "[NIK disembunyikan]"),
    (re.compile(r"(\+62|\b62|\b0)[\s\-.]?8[\d\s\-.]{7,14}\d"), "[nomor disembunyikan]"),
]


def redact(text: str) -> str:
    """Remove e-mail addresses, NIK-like numbers and phone numbers from public text."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


def today() -> date:
    return sla.local_day(timezone.now())


def overdue_q(day: date) -> Q:
    return Q(status=Complaint.Status.SUBMITTED, verify_due__lt=day) | Q(
        status=Complaint.Status.DISPOSED, follow_up_due__lt=day
    )


def current_due(complaint: Complaint) -> date | None:
    """The due day of the step the complaint is waiting for."""
    if complaint.status == Complaint.Status.SUBMITTED:
        return complaint.verify_due
    if complaint.status == Complaint.Status.DISPOSED:
        return complaint.follow_up_due
    if complaint.status == Complaint.Status.ANSWERED:
        return complaint.confirm_due
    return None


def is_overdue(complaint: Complaint, day: date | None = None) -> bool:
    """Overdue for the office (the reporter's confirmation window is not the office's lateness)."""
    if complaint.status not in (Complaint.Status.SUBMITTED, Complaint.Status.DISPOSED):
        return False
    return sla.is_overdue(current_due(complaint), day or today())


def complaint_list_for_user(
    *, user: Any, status: str = "", overdue: bool = False, query: str = ""
) -> QuerySet[Complaint]:
    qs = complaints_for_user(user)
    if status in Complaint.Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(overdue_q(today()))
    query = query.strip()
    if query:
        ref = query.upper().removeprefix("ADU-")
        qs = qs.filter(Q(text__icontains=query) | Q(pk=int(ref) if ref.isdigit() else -1))
    return qs.order_by("-submitted_at")


def complaint_detail(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_related(
            "region", "village", "district", "agency", "category", "merged_into"
        )
        .prefetch_related("photos", "events", "escalations", "duplicates")
        .get(pk=complaint.pk)
    )


@dataclass(frozen=True)
class ReporterView:
    name: str
    phone: str
    email: str


def reporter_for(user: Any, complaint: Complaint) -> ReporterView | None:
    """The reporter's identity if ``user`` may see it, otherwise ``None``."""
    if not sees_identity(user, complaint):
        return None
    return ReporterView(complaint.reporter_name, complaint.reporter_phone, complaint.reporter_email)


def public_complaints(
    *, region: Region, district_code: str = "", status: str = ""
) -> QuerySet[Complaint]:
    qs = (
        Complaint.objects.filter(public_q(), region=region)
        .select_related("village", "district", "agency", "category")
        .order_by("-submitted_at")
    )
    if district_code:
        qs = qs.filter(district__code=district_code)
    if status in Complaint.Status.values:
        qs = qs.filter(status=status)
    return qs


def public_complaint(*, region: Region, complaint_id: int) -> Complaint | None:
    return public_complaints(region=region).filter(pk=complaint_id).first()


def public_dict(complaint: Complaint, day: date | None = None) -> dict[str, Any]:
    """What anyone may know about a non-confidential complaint: no reporter, no photos."""
    return {
        "id": complaint.pk,
        "ref": complaint.public_ref,
        "submitted_at": complaint.submitted_at,
        "status": complaint.status,
        "status_label": str(complaint.get_status_display()),
        "category": complaint.category.name if complaint.category else "",
        "agency": complaint.agency.name if complaint.agency and complaint.disposed_at else "",
        "district": complaint.district.name if complaint.district else "",
        "village": complaint.village.name if complaint.village else "",
        "text": redact(complaint.text),
        "answer": redact(complaint.answer) if complaint.answered_at else "",
        "answered_at": complaint.answered_at,
        "due": current_due(complaint),
        "overdue": is_overdue(complaint, day),
        "lat": float(complaint.lat) if complaint.lat is not None else None,
        "long": float(complaint.long) if complaint.long is not None else None,
    }


def district_counts(*, region: Region) -> list[dict[str, Any]]:
    """Per kecamatan: public complaints, open ones and overdue ones (the map's table)."""
    day = today()
    open_statuses = [
        Complaint.Status.SUBMITTED,
        Complaint.Status.DISPOSED,
        Complaint.Status.ANSWERED,
    ]
    rows = (
        Complaint.objects.filter(public_q(), region=region, district__isnull=False)
        .values("district__code", "district__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=open_statuses)),
            overdue=Count("pk", filter=overdue_q(day)),
        )
        .order_by("district__name")
    )
    return [dict(row) for row in rows]


def public_points(*, region: Region, limit: int = 500) -> list[dict[str, Any]]:
    """Coordinates of public complaints scaled into a 0–100 box for a plain SVG plot."""
    rows = list(
        Complaint.objects.filter(public_q(), region=region, lat__isnull=False)
        .order_by("-submitted_at")
        .values("pk", "lat", "long", "status")[:limit]
    )
    if not rows:
        return []
    lats = [float(r["lat"] or 0) for r in rows]
    longs = [float(r["long"] or 0) for r in rows]
    lat_min, lat_max = min(lats), max(lats)
    long_min, long_max = min(longs), max(longs)
    lat_span = (lat_max - lat_min) or 0.01
    long_span = (long_max - long_min) or 0.01
    return [
        {
            "id": r["pk"],
            "x": round(5 + 90 * (float(r["long"] or 0) - long_min) / long_span, 2),
            "y": round(5 + 90 * (lat_max - float(r["lat"] or 0)) / lat_span, 2),
            "status": r["status"],
        }
        for r in rows
    ]


def categories_for(region: Region) -> QuerySet[Category]:
    return Category.objects.filter(region=region, is_active=True).select_related("agency")


def agencies_for(region: Region) -> QuerySet[Agency]:
    return Agency.objects.filter(region=region).order_by("name")


def villages_by_district(region: Region) -> list[tuple[str, list[tuple[int, str]]]]:
    villages = Region.objects.filter(
        level=Region.Level.VILLAGE, code__startswith=region.code + "."
    ).select_related("parent")
    groups: dict[str, list[tuple[int, str]]] = {}
    for village in villages.order_by("parent__name", "name"):
        district = village.parent.name if village.parent else ""
        groups.setdefault(district, []).append((village.pk, village.name))
    return list(groups.items())


def open_escalations_for(user: Any) -> QuerySet[Escalation]:
    """Escalations a head should see: the agency's follow-ups, or the regency's verifications."""
    from terpadu.accounts.models import Role
    from terpadu.accounts.scope import region_q

    qs = Escalation.objects.filter(resolved_at__isnull=True).select_related("complaint", "agency")
    if getattr(user, "role", None) == Role.AGENCY_HEAD:
        return qs.filter(agency_id=user.agency_id, stage=Escalation.Stage.FOLLOW_UP)
    if getattr(user, "role", None) in (Role.SUPERVISOR, Role.ADMIN):
        return qs.filter(region_q(user, "complaint__region"))
    return qs.none()
