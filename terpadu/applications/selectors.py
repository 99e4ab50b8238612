"""Reads on applications: worklists, counts, the detail page, the public tracking view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from terpadu.applications import hotpath
from terpadu.applications import sla as clock
from terpadu.applications.access import applications_for_user
from terpadu.applications.models import Application, ApplicationEvent, ApplicationFile
from terpadu.applications.services import calendar_of, workflow_for
from terpadu.applications.workflow import DRAFT, Workflow

OPEN_EXCLUDE = Q(status=DRAFT) | Q(completed_at__isnull=False)


def open_applications(user: Any) -> QuerySet[Application]:
    return applications_for_user(user).exclude(OPEN_EXCLUDE)


def worklist(
    user: Any, *, mine: bool = False, state: str = "", status: str = ""
) -> QuerySet[Application]:
    """Open applications sorted by the due moment of their current step (paused last)."""
    now = timezone.now()
    qs = open_applications(user)
    if mine:
        qs = qs.filter(assigned_to=user)
    if status:
        qs = qs.filter(status=status)
    if state == clock.OVERDUE:
        qs = qs.filter(step_due_at__lt=now)
    elif state == clock.DUE_SOON:
        qs = qs.filter(step_warn_at__lte=now, step_due_at__gte=now)
    return qs.order_by(F("step_due_at").asc(nulls_last=True), "id")


def worklist_counts(user: Any, *, mine: bool = False) -> dict[str, int]:
    now = timezone.now()
    qs = open_applications(user)
    if mine:
        qs = qs.filter(assigned_to=user)
    return qs.aggregate(
        open=Count("pk"),
        due_soon=Count("pk", filter=Q(step_warn_at__lte=now, step_due_at__gte=now)),
        overdue=Count("pk", filter=Q(step_due_at__lt=now)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
    )


def escalations(user: Any) -> QuerySet[Application]:
    return open_applications(user).filter(escalated_at__isnull=False).order_by("step_due_at")


def my_applications(user: Any) -> QuerySet[Application]:
    return applications_for_user(user).order_by("-id")


@dataclass(frozen=True)
class Clock:
    state: str
    due: datetime | None
    countdown: str


def step_clock(application: Application, now: datetime | None = None) -> Clock:
    now = now or timezone.now()
    if application.completed_at is not None or application.status == DRAFT:
        return Clock(clock.STOPPED, None, "")
    state = clock.clock_state(now, application.step_due_at, application.step_warn_at)
    if application.step_due_at is None:
        return Clock(state, None, "")
    cal = calendar_of(application.agency)
    return Clock(
        state,
        application.step_due_at,
        clock.countdown_text(clock.local_day(now), application.step_due_at, cal),
    )


def service_clock(application: Application, now: datetime | None = None) -> Clock:
    """The citizen's clock: the service's overall due moment (paused during perbaikan)."""
    now = now or timezone.now()
    if application.completed_at is not None or application.status == DRAFT:
        return Clock(clock.STOPPED, None, "")
    if application.due_at is None:
        return Clock(clock.PAUSED, None, "")
    cal = calendar_of(application.agency)
    state = clock.OVERDUE if now > application.due_at else clock.RUNNING
    return Clock(
        state,
        application.due_at,
        clock.countdown_text(clock.local_day(now), application.due_at, cal),
    )


def with_detail(application: Application) -> Application:
    """The application with its current files and its events, fetched up front."""
    return (
        Application.objects.select_related(
            "region", "agency", "agency__region", "service", "service_version", "assigned_to"
        )
        .prefetch_related(
            Prefetch(
                "files",
                queryset=ApplicationFile.objects.filter(is_current=True).order_by("requirement"),
                to_attr="current_files",
            ),
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id")),
        )
        .get(pk=application.pk)
    )


def requirement_rows(application: Application) -> list[dict[str, Any]]:
    """The checklist: each requirement with its current file (or counter check)."""
    from terpadu.applications.services import CHECKED_KEY, requirement_optional

    files = {f.requirement: f for f in getattr(application, "current_files", [])}
    checked = set((application.data or {}).get(CHECKED_KEY, []))
    return [
        {
            "index": i,
            "label": r.get("document", ""),
            "note": r.get("note", ""),
            "optional": requirement_optional(r),
            "file": files.get(i),
            "checked": i in checked,
        }
        for i, r in enumerate(application.service_version.requirement_list())
    ]


def data_rows(application: Application) -> list[tuple[str, str]]:
    labels = {f["name"]: f["label"] for f in application.service_version.extra_fields or []}
    return [(labels.get(k, k), str(v)) for k, v in (application.data or {}).items() if k in labels]


def timeline(application: Application, wf: Workflow | None = None) -> list[dict[str, Any]]:
    wf = wf or workflow_for(application.service_id)
    rows = []
    for event in application.events.all():
        label = (
            wf.states[event.to_status].label
            if event.to_status in wf.states
            else event.to_status or event.action
        )
        rows.append(
            {
                "at": event.at,
                "action": event.action,
                "label": label,
                "reason": event.reason if event.action in ("request_fix", "reject") else "",
                "event": event,
            }
        )
    return rows


def public_status(application: Application, now: datetime | None = None) -> dict[str, Any]:
    """What the tracking page shows: no personal data beyond the first name."""
    now = now or timezone.now()
    wf = workflow_for(application.service_id)
    state = wf.state(application.status)
    events: list[dict[str, Any]] = [
        {"at": e.at, "action": e.action, "to_status": e.to_status, "reason": e.reason}
        for e in hotpath.public_events(application.pk)
    ]
    done = {e["to_status"] for e in events}
    steps = [
        {
            "key": key,
            "label": wf.states[key].label,
            "done": key in done and key != application.status,
            "current": key == application.status,
        }
        for key in wf.path_to_end()
    ]
    if application.status not in {s["key"] for s in steps}:
        steps.append({"key": state.key, "label": state.label, "done": False, "current": True})
    last_reason = next(
        (e["reason"] for e in reversed(events) if e["action"] in ("request_fix", "reject")), ""
    )
    return {
        "code": application.display_code,
        "first_name": application.first_name,
        "service": application.service.name,
        "agency": application.agency.short_name or application.agency.name,
        "status": application.status,
        "status_label": state.label,
        "hint": state.citizen_hint,
        "waits_for_citizen": state.waits_for == "citizen",
        "reason": last_reason if state.key in ("perbaikan", "ditolak") else "",
        "clock": service_clock(application, now),
        "steps": steps,
        "events": [
            {
                "at": e["at"],
                "label": wf.states[e["to_status"]].label
                if e["to_status"] in wf.states
                else e["action"],
            }
            for e in events
        ],
        "submitted_at": application.submitted_at,
    }
