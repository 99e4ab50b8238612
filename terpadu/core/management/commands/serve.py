"""``terpadu serve``: the production web server (granian or gunicorn, several workers, whitenoise).

Granian is the default: its HTTP handling is Rust, it keeps connections alive,
and it cost a third to a quarter of gunicorn's sync worker in CPU per request on
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


def granian_argv(bind: str, workers: int) -> list[str]:
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
        # One Python thread per worker process, like gunicorn's sync workers: the
        # request runs without GIL contention; the Rust runtime does the I/O.
        "--blocking-threads",
        "1",
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "10",
        "--access-log",
        "terpadu.wsgi:application",
    ]


def gunicorn_argv(bind: str, workers: int) -> list[str]:
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
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["server"] not in SERVERS:
            raise CommandError(f"TERPADU_SERVER must be one of {', '.join(SERVERS)}")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        build = granian_argv if options["server"] == "granian" else gunicorn_argv
        argv = build(options["bind"], options["workers"])
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606  (replaces this process; signals reach the server)
