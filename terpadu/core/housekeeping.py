"""Housekeeping: the worker's own records do not pile up forever.

Every periodic job (a delivery sweep every 5 s, the queue's every 5 s, …) leaves one
finished ``DBTaskResult`` row behind: about 50,000 rows a day. Successful results are
deleted after ``TASK_RESULTS_KEEP_DAYS`` (2), failed ones after ``TASK_FAILURES_KEEP_DAYS``
(30) so that a failure can still be read when someone looks. Results not yet finished
(ready, running) are never touched.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

#: Rows deleted per statement: a backlog of millions never holds the write lock for long.
CHUNK = 5_000


def delete_in_chunks(qs: QuerySet[Any]) -> int:
    """Delete the rows of ``qs`` a chunk per transaction; returns how many."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(qs.values_list("pk", flat=True)[:CHUNK])
            if not ids:
                return deleted
            deleted += qs.model._default_manager.filter(pk__in=ids).delete()[0]


def prune_task_results(*, now: datetime) -> dict[str, int]:
    """Delete finished task results past their keeping time; returns the counts."""
    from django_tasks_db.models import DBTaskResult

    keep_ok = timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    keep_failed = timedelta(days=settings.TASK_FAILURES_KEEP_DAYS)
    return {
        "successful": delete_in_chunks(
            DBTaskResult.objects.successful().filter(finished_at__lt=now - keep_ok)
        ),
        "failed": delete_in_chunks(
            DBTaskResult.objects.failed().filter(finished_at__lt=now - keep_failed)
        ),
    }
