"""``terpadu worker``: run queued tasks (django-tasks database backend) and the periodic schedule."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.management.commands.db_worker import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from terpadu.core.periodic import run_scheduler


class TaskWorker(DbWorkerCommand):
    """django-tasks-db's worker, logging one line per task only at -v 2; failures always."""

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity < 2:
            logging.getLogger(TASKS_LOGGER).setLevel(logging.WARNING)
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)


class Command(BaseCommand):
    help = "Run the background worker: queued tasks plus the periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-schedule", action="store_true", help="do not enqueue periodic jobs"
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="stop after this many tasks"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if not options["no_schedule"]:
            threading.Thread(
                target=run_scheduler, args=(stop,), name="scheduler", daemon=True
            ).start()
        try:
            worker_options: dict[str, Any] = {
                "interval": 1,
                "no_startup_delay": True,
                "verbosity": options["verbosity"],
            }
            if options["max_tasks"]:
                worker_options["max_tasks"] = options["max_tasks"]
            call_command(TaskWorker(), **worker_options)
        finally:
            stop.set()
