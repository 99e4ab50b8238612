"""Finished task results are pruned by age; unfinished ones and recent failures stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from terpadu.core.housekeeping import prune_task_results
from terpadu.core.periodic import JOBS
from terpadu.core.tasks import audit_anchor, tasks_prune

pytestmark = pytest.mark.django_db(transaction=True)


@task()
def always_fails() -> None:
    raise RuntimeError("gateway down")


def _age(result_id: str, days: float) -> None:
    DBTaskResult.objects.filter(pk=result_id).update(
        finished_at=timezone.now() - timedelta(days=days)
    )


def test_worker_results_are_pruned_by_age_and_outcome():
    old_ok = audit_anchor.enqueue()
    new_ok = audit_anchor.enqueue()
    old_failed = always_fails.enqueue()
    failed_last_week = always_fails.enqueue()
    call_command("worker", max_tasks=4, no_schedule=True, verbosity=0)
    waiting = audit_anchor.enqueue()  # not run yet: never pruned, however old

    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert statuses[old_ok.id] == statuses[new_ok.id] == "SUCCESSFUL"
    assert statuses[old_failed.id] == statuses[failed_last_week.id] == "FAILED"
    _age(old_ok.id, 3)
    _age(new_ok.id, 1)
    _age(old_failed.id, 31)
    _age(failed_last_week.id, 7)
    DBTaskResult.objects.filter(pk=waiting.id).update(
        enqueued_at=timezone.now() - timedelta(days=60)
    )

    assert prune_task_results(now=timezone.now()) == {"successful": 1, "failed": 1}
    left = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert left == {new_ok.id, failed_last_week.id, waiting.id}
    assert prune_task_results(now=timezone.now()) == {"successful": 0, "failed": 0}


def test_the_worker_runs_the_prune_on_its_schedule():
    assert any(j.name == "tasks_prune" and j.every_seconds == 3600 for j in JOBS)
    stale = audit_anchor.enqueue()
    call_command("worker", max_tasks=1, no_schedule=True, verbosity=0)
    _age(stale.id, 5)

    prune = tasks_prune.enqueue()
    call_command("worker", max_tasks=1, no_schedule=True, verbosity=0)

    result = DBTaskResult.objects.get(pk=prune.id)
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"successful": 1, "failed": 0}
    assert not DBTaskResult.objects.filter(pk=stale.id).exists()
