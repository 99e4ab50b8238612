"""Periodic jobs the worker enqueues: (name, every N seconds, task). Apps add theirs with register()."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    task_path: str  # "terpadu.core.tasks.audit_anchor"


JOBS: list[Job] = [
    Job("audit_anchor", 600, "terpadu.core.tasks.audit_anchor"),
    Job("tasks_prune", 3600, "terpadu.core.tasks.tasks_prune"),
]


def register(*jobs: Job) -> None:
    """Add an app's jobs (from ``AppConfig.ready``); a job already known by name is kept once."""
    for job in jobs:
        if all(existing.name != job.name for existing in JOBS):
            JOBS.append(job)


def _task(path: str) -> Any:
    from django.utils.module_loading import import_string

    return import_string(path)


def run_scheduler(stop: threading.Event, *, tick: float = 1.0) -> None:
    """Enqueue each job on its interval until ``stop`` is set (first run right away)."""
    next_run = dict.fromkeys((job.name for job in JOBS), 0.0)
    while not stop.is_set():
        now = time.monotonic()
        for job in JOBS:
            if now >= next_run[job.name]:
                try:
                    _task(job.task_path).enqueue()
                except Exception:  # keep scheduling the others
                    log.exception("could not enqueue %s", job.name)
                next_run[job.name] = now + job.every_seconds
        stop.wait(tick)
