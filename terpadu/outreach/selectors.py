"""Reads of the outreach app: worklists, case pages and programme reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from terpadu.outreach import workflow
from terpadu.outreach.access import cases_for_user
from terpadu.outreach.models import Case, CaseEvent, Programme, Report, Task, VisitNote


def worklist(user: Any, *, today: date, programme: Programme | None = None) -> QuerySet[Case]:
    """Open cases the user works on, soonest due first (overdue at the top)."""
    qs = cases_for_user(user).filter(closed_at__isnull=True)
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("due_date", "id")


def due_counts(user: Any, *, today: date) -> dict[str, int]:
    qs = cases_for_user(user).filter(closed_at__isnull=True, due_date__isnull=False)
    return qs.aggregate(
        overdue=Count("id", filter=Q(due_date__lt=today)),
        due_today=Count("id", filter=Q(due_date=today)),
        open=Count("id"),
    )


def case_detail(case: Case) -> Case:
    """The case with its timeline, tasks, notes (and photos), reports and programme records."""
    return (
        Case.objects.select_related("programme", "region", "district", "village", "assigned_to")
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
            Prefetch("tasks", queryset=Task.objects.order_by("done_at", "due_date", "id")),
            Prefetch(
                "notes",
                queryset=VisitNote.objects.select_related("author").prefetch_related("photos"),
            ),
            Prefetch("reports", queryset=Report.objects.select_related("reporter__user")),
            "screenings",
            "supports",
            "escalations",
        )
        .get(pk=case.pk)
    )


def report_by_area(programme: Programme) -> dict[str, Any]:
    """Cases by status for each kecamatan and desa (no personal data)."""
    statuses = [s for s, _ in Case.Status.choices]
    agg = {s: Count("id", filter=Q(status=s)) for s in statuses}
    agg["total"] = Count("id")
    qs = Case.objects.filter(programme=programme)
    districts = list(
        qs.values("district__code", "district__name").annotate(**agg).order_by("district__code")
    )
    villages = list(
        qs.values("district__code", "village__code", "village__name")
        .annotate(**agg)
        .order_by("village__code")
    )
    totals = qs.aggregate(**agg)
    overdue = qs.filter(closed_at__isnull=True, escalations__isnull=False).distinct().count()
    return {
        "statuses": statuses,
        "districts": districts,
        "villages": villages,
        "totals": totals,
        "escalated_open": overdue,
        "success": qs.filter(status=workflow.RESOLVED).count(),
    }


def reporter_reports(reporter: Any, *, limit: int = 20) -> QuerySet[Report]:
    """A reporter's own reports: only what they may know (received / followed up)."""
    return (
        Report.objects.filter(reporter=reporter)
        .select_related("village", "programme")
        .only(
            "id",
            "name",
            "received_at",
            "status",
            "village__name",
            "programme__name",
            "programme__code",
            "client_id",
        )
        .order_by("-received_at")[:limit]
    )
