"""Background tasks of the complaints app (thin: they call one service)."""

from __future__ import annotations

from django_tasks import task

from terpadu.complaints.services import complaints_sla_run


@task()
def complaints_sla() -> dict[str, int]:
    """Escalate overdue steps and auto-close silent answered complaints."""
    return complaints_sla_run()
