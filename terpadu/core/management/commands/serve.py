"""``terpadu serve``: the production web server (granian or gunicorn, several workers, whitenoise).

Granian is the default: its HTTP handling is Rust, it keeps connections alive,
and it cost 35-85 % of gunicorn's sync worker in app CPU per request on
these 2-core machines (bench/results/queue_load.json, ``server_compare``; see
docs/operations.md). ``--server gunicorn`` (or ``TERPADU_SERVER=gunicorn``)
keeps the former server, which also kills a worker stuck for 60 s.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

SERVERS = ("granian", "gunicorn")


def default_threads() -> int:
    """Python threads per worker: 1 on SQLite (one writer at a time anyway), 2 on PostgreSQL.

    PostgreSQL commits wait for the WAL flush; with one thread a worker holds
    every request queued on it through that wait, and a second thread overlaps
    it (the GIL is released while waiting). More threads cost more than they
    overlap on 2 cores: bench/queue_load.py on PostgreSQL, 4 workers, call-next
    p99 at the morning peak 16.5 ms with 1 thread, 15.3 ms with 2, 30.1 ms with 4
    (the threads of a worker queue for its GIL); docs/queue.md.
    """
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return 2 if engine.endswith("postgresql") else 1


def granian_argv(bind: str, workers: int, threads: int = 1) -> list[str]:
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--bind wants host:port, not {bind!r}")
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host.strip("[]"),
        "--port",
        port,
        "--workers",
        str(workers),
        # Python threads per worker process (default_threads); the Rust runtime
        # does the network I/O.
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "10",
        "--access-log",
        "terpadu.wsgi:application",
    ]


def gunicorn_argv(bind: str, workers: int, threads: int = 1) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "terpadu.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
        "--timeout",
        "60",
        # Import the application once in the master (terpadu.wsgi warms views and
        # templates), then fork: no worker pays for it on its first request.
        "--preload",
    ]


class Command(BaseCommand):
    help = "Serve Terpadu with granian (default) or gunicorn (collects static files first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("TERPADU_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("TERPADU_WORKERS", "4"))
        )
        parser.add_argument(
            "--server", choices=SERVERS, default=os.environ.get("TERPADU_SERVER", "granian")
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("TERPADU_THREADS", "0")),
            help="Python threads per granian worker (default: 1 on SQLite, 2 on PostgreSQL)",
        )
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["server"] not in SERVERS:
            raise CommandError(f"TERPADU_SERVER must be one of {', '.join(SERVERS)}")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        build = granian_argv if options["server"] == "granian" else gunicorn_argv
        argv = build(options["bind"], options["workers"], options["threads"] or default_threads())
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606  (replaces this process; signals reach the server)
