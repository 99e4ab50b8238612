"""Background tasks of the outreach app (thin: they call one service)."""

from __future__ import annotations

from django_tasks import task

from terpadu.outreach import services
from terpadu.outreach.programmes import medicine


@task()
def outreach_escalate() -> int:
    """Escalate every overdue field task (periodic)."""
    return services.escalate_overdue()


@task()
def outreach_dispatch_send(dispatch_id: int) -> str:
    """Send one medicine delivery to the courier (enqueued after the dispatch commits)."""
    return medicine.dispatch_send(dispatch_id=dispatch_id)


@task()
def outreach_dispatch_sweep() -> dict[str, int]:
    """Send due dispatches and retake those whose sender died mid-send (periodic)."""
    return medicine.dispatch_sweep()
