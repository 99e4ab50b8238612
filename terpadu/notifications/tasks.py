"""Background tasks of the notifications app (thin: they call one service)."""

from __future__ import annotations

from django_tasks import task

from terpadu.notifications.delivery import deliver_due


@task()
def notifications_deliver() -> dict[str, int]:
    """One delivery sweep: drain what is due (enqueued every few seconds by the worker)."""
    return deliver_due()


@task()
def notifications_erase() -> int:
    """Erase the personal data of old delivered messages (hourly; see services.outbox_erase)."""
    from django.utils import timezone

    from terpadu.notifications.services import outbox_erase

    return outbox_erase(now=timezone.now())
