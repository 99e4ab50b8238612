"""Background tasks of the applications app (thin: they call one service)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from terpadu.applications import services


@task()
def applications_escalate() -> int:
    """Escalate overdue steps to the agency heads; prune old tracking counters."""
    services.tracking_counters_prune(now=timezone.now())
    return services.applications_escalate()
