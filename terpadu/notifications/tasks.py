"""Background tasks of the notifications app (thin: they call one service)."""

from __future__ import annotations

from django_tasks import task

from terpadu.notifications.delivery import deliver_due


@task()
def notifications_deliver() -> dict[str, int]:
    """One delivery sweep: drain what is due (enqueued every few seconds by the worker)."""
    return deliver_due()
