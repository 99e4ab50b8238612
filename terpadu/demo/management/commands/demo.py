"""``terpadu demo``: migrate, build the synthetic Banyuwangi (reused when already built), serve it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from terpadu.demo.users import create_demo_users

PLACES = [
    ("/layanan/", "katalog layanan (cari: akte lahir)"),
    ("/antrean/", "antrean MPP: kios, papan panggilan, booking"),
    ("/permohonan/baru/", "ajukan permohonan; /lacak/permohonan/ untuk melacak"),
    ("/pengaduan/", "pengaduan publik; Open311 di /open311/v2/discovery.json"),
    ("/survei/", "survei kepuasan masyarakat (SKM/IKM)"),
    ("/cetar/", "dasbor kinerja CETAR dan data terbuka"),
    ("/inovasi/", "galeri inovasi"),
    ("/api/v1/docs", "API (OpenAPI)"),
]


class Command(BaseCommand):
    help = "Build the synthetic Banyuwangi demo and serve it on http://127.0.0.1:8000"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=20000, help="population size (1800000 = whole regency)"
        )
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument(
            "--rebuild", action="store_true", help="rebuild even if the demo exists"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="build only, do not start the servers"
        )
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 100 or options["people"] > 5_000_000:
            self.stderr.write("terpadu demo: --people harus antara 100 dan 5000000")
            raise SystemExit(2)
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        from terpadu.demo.build import build_demo

        summary = build_demo(
            people=options["people"],
            seed=options["seed"],
            rebuild=options["rebuild"],
            progress=lambda msg: self.stdout.write(f"  · {msg}"),
        )
        logins = create_demo_users()
        elapsed = time.monotonic() - started
        state = "dipakai ulang" if summary.get("reused") else "dibangun"
        people = f"{summary.get('people', 0):,}".replace(",", ".")
        households = f"{summary.get('households', 0):,}".replace(",", ".")
        self.stdout.write(
            f"\nDemo Banyuwangi {state}: {people} penduduk, {households} KK ({elapsed:.1f} s)"
        )
        url = f"http://{options['bind']}"
        self.stdout.write(f"\nBuka {url}/  —  login demo (kata sandi sama untuk semua):")
        width = max(len(login.role) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.role:<{width}}  {login.username:<18} {login.password}   ({login.note})"
            )
        self.stdout.write("\nHalaman untuk dicoba:")
        for path, what in PLACES:
            self.stdout.write(f"  {url}{path:<28} {what}")
        open311_key = self.open311_key()
        if open311_key:
            self.stdout.write(f"\nKunci API Open311 demo (api_key): {open311_key}")
        if options["no_serve"]:
            return
        self.serve(options["bind"])

    def open311_key(self) -> str:
        try:
            from terpadu.complaints.demo import demo_open311_key
        except ImportError:
            return ""
        return demo_open311_key()

    def serve(self, bind: str) -> None:
        env = {**os.environ, "TERPADU_DEMO": "1", "DJANGO_SETTINGS_MODULE": "terpadu.settings"}
        exe = [sys.executable, "-m", "terpadu.cli"]
        worker = subprocess.Popen([*exe, "worker"], env=env)
        server = subprocess.Popen([*exe, "serve", "--bind", bind, "--workers", "3"], env=env)
        self.stdout.write(
            f"\nServer berjalan di http://{bind}/ dan worker aktif. Tekan Ctrl-C untuk berhenti.\n"
        )
        self.stdout.flush()

        def stop(*_args: Any) -> None:
            for proc in (server, worker):
                if proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while server.poll() is None and worker.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for proc in (server, worker):
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if settings.DEBUG:
            self.stdout.write("server stopped")
