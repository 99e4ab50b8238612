"""Background tasks of the core app (thin: they call one service)."""

from __future__ import annotations

from django_tasks import task

from terpadu.core.audit import write_anchor


@task()
def audit_anchor() -> int:
    anchor = write_anchor()
    return int(anchor["seq"]) if anchor else 0


@task()
def tasks_prune() -> dict[str, int]:
    """Delete old finished task results (hourly; see core/housekeeping.py)."""
    from django.utils import timezone

    from terpadu.core.housekeeping import prune_task_results

    return prune_task_results(now=timezone.now())
