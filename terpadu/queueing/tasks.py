"""Background tasks of the queue (thin: each calls one service)."""

from __future__ import annotations

from django_tasks import task

from terpadu.queueing.services import (
    bookings_mark_no_show,
    queue_events_seal,
    queue_notices_due,
    tickets_close_past_days,
)


@task()
def queue_seal_events() -> int:
    """Seal queue events into the audit chain (all waiting ones, in batches)."""
    total = 0
    while sealed := queue_events_seal():
        total += sealed
    return total


@task()
def queue_booking_no_shows() -> int:
    return bookings_mark_no_show()


@task()
def queue_notify_soon() -> int:
    """Queue the "your turn is near" messages of tickets now 3rd in line."""
    return queue_notices_due()


@task()
def queue_close_past_days() -> int:
    """Cancel tickets left waiting when an earlier day's hall closed."""
    return tickets_close_past_days()
