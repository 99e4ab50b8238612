"""Benchmark: applications on a real ``terpadu serve`` (gunicorn, 4 sync workers), SQLite and
PostgreSQL, against the bare ``/healthz`` endpoint measured in the same run; and the page
weight of the citizen pages in Chromium.

Usage::

    .venv/bin/python bench/applications.py                    # SQLite + PostgreSQL (if reachable)
    .venv/bin/python bench/applications.py --sqlite-only --seconds 5

Per backend, in a fresh database (temporary SQLite file / a PostgreSQL database created
for the run and dropped afterwards):

1. setup (a subprocess with production settings): Banyuwangi, Dukcapil, the akta
   kelahiran service (5 requirements, 3 extra fields), a citizen, an officer with an API
   token, and ``--pool`` applications filed at the counter (for tracking and transitions);
2. ``/healthz``: closed loop (saturation) and open loop at the tracking rate — the baseline;
3. **tracking page**: open loop at ``--rate`` requests/s (default 50) posting code + last 4
   NIK digits to ``/lacak/permohonan/`` (the HTML page), latency from the scheduled time
   (no coordinated omission); then closed loop for its saturation throughput;
4. **submit**: closed loop, each request one whole online application through the HTML
   form (multipart: applicant, 3 fields, 2 files — a PDF and a JPEG that is re-encoded);
5. **transition**: closed loop, ``POST /api/v1/applications/<id>/transitions`` (verify,
   then accept) by the officer's bearer token;
6. page weight (SQLite run): Chromium loads the citizen pages twice in one context and
   sums ``encodedDataLength`` (bytes over the wire, compressed) of every response.

Targets (issue 5): tracking page p95 ≤ 50 ms at 50 requests/s on 2 cores; citizen pages
≤ 100 KB compressed on first load including CSS/JS, ≤ 20 KB on later loads.
Writes ``bench/results/applications.json``.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "applications.json"
TERPADU = str(ROOT / ".venv" / "bin" / "terpadu")
PG_BASE = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "kata-sandi-bench-123"
NIK = "3510014508900001"
TARGETS = {"tracking_p95_ms_max": 50.0, "first_load_kb_max": 100.0, "later_load_kb_max": 20.0}


# -- setup: runs inside a process whose settings point at the fresh database ---------


def setup_main(pool: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from terpadu.accounts.models import Role
    from terpadu.accounts.services import api_token_create
    from terpadu.applications.services import Applicant, application_apply
    from terpadu.catalog.models import Service
    from terpadu.catalog.testing import make_service
    from terpadu.core.testing import AgencyFactory, UserFactory, jatim_regions

    call_command("migrate", verbosity=0)
    regions = jatim_regions()
    bwi = regions["banyuwangi"]
    agency = AgencyFactory(
        region=bwi, code="dukcapil", name="Dinas Kependudukan", short_name="Dukcapil"
    )
    service = make_service(
        agency=agency,
        code="akta-kelahiran",
        name="Akta Kelahiran",
        requirements=[
            {"document": "Surat keterangan kelahiran", "note": ""},
            {"document": "Kartu Keluarga (KK) orang tua", "note": ""},
            {"document": "KTP-el kedua orang tua", "note": ""},
            {"document": "Buku nikah orang tua", "note": ""},
            {"document": "Surat kuasa bila dikuasakan", "note": ""},
        ],
        extra_fields=[
            {"name": "child_name", "label": "Nama anak", "type": "text", "required": True},
            {"name": "birth_date", "label": "Tanggal lahir", "type": "date", "required": True},
            {"name": "birth_place", "label": "Tempat lahir", "type": "text", "required": True},
        ],
        completion_time_value=3,
    )
    Service.objects.filter(pk=service.pk).update(online_available=True)
    service.refresh_from_db()
    citizen = UserFactory(username="warga", role=Role.CITIZEN, region=bwi, first_name="Siti")
    citizen.set_password(PASSWORD)
    citizen.nik = NIK
    citizen.save()
    officer = UserFactory(username="petugas", role=Role.AGENCY_OFFICER, region=bwi, agency=agency)
    desk = UserFactory(username="frontdesk", role=Role.FRONT_DESK, region=bwi)
    ids, codes = [], []
    for i in range(pool):
        app = application_apply(
            actor=desk,
            service=service,
            applicant=Applicant(name=f"Siti Aminah {i}", nik=NIK),
            data={"child_name": "Bima", "birth_date": "2026-03-02", "birth_place": "Genteng"},
            checked=[0, 1, 2, 3],
            submit=True,
        )
        ids.append(app.pk)
        codes.append(app.code)
    print(
        json.dumps(
            {
                "service_code": service.code,
                "officer_token": api_token_create(user=officer, name="bench"),
                "ids": ids,
                "codes": codes,
            }
        )
    )


# -- HTTP client helpers -------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))], 2)


def summary(latencies: list[float], statuses: dict[int, int], seconds: float) -> dict[str, Any]:
    return {
        "count": len(latencies),
        "per_second": round(len(latencies) / seconds, 1) if seconds else None,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "max_ms": round(max(latencies), 2) if latencies else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


class Session:
    """One client: a keep-alive connection, cookies, the CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, bytes]:
        fields = {**fields, "csrfmiddlewaretoken": self.csrf()}
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"},
        )

    def login(self, username: str) -> None:
        self.request("GET", "/masuk/")
        status, _ = self.form("/masuk/", {"username": username, "password": PASSWORD})
        if status not in (302, 303):
            raise SystemExit(f"login failed: {status}")


def multipart(
    fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, ctype, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def closed_loop(make: Any, clients: int, seconds: float) -> dict[str, Any]:
    """``make(i)`` returns a per-client callable doing one request -> status."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    workers = [make(i) for i in range(clients)]  # log-ins and form fetches are not measured
    stop = time.monotonic() + seconds

    def run(one: Any) -> None:
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            status = one()
            if status is None:
                return
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(latencies, statuses, time.monotonic() - started)


def open_loop(make: Any, rate: float, seconds: float, streams: int = 8) -> dict[str, Any]:
    """Requests at a fixed rate; latency counted from each request's scheduled time."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    total = int(rate * seconds)
    per_stream = [list(range(i, total, streams)) for i in range(streams)]
    workers = [make(i) for i in range(streams)]  # each may log in / fetch a form first
    start = time.perf_counter() + 0.2  # the schedule starts once every stream is ready

    def run(stream: int) -> None:
        one = workers[stream]
        for n in per_stream[stream]:
            scheduled = start + n / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status = one()
            elapsed = (time.perf_counter() - scheduled) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(streams)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {**summary(latencies, statuses, seconds), "rate": rate}


# -- the run -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env(database_url: str, var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(
        DATABASE_URL=database_url,
        TERPADU_VAR_DIR=str(var),
        TERPADU_DEMO="1",  # plain-HTTP cookies on 127.0.0.1
        TERPADU_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="terpadu.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def wait_healthy(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("terpadu serve exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("server did not start")


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def sample_files() -> dict[str, tuple[str, str, bytes]]:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 180, 160)).save(buffer, format="JPEG", quality=80)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"%" + b"x" * 40_000 + b"\ntrailer<<>>\n%%EOF\n"
    small = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"%" + b"y" * 8_000 + b"\ntrailer<<>>\n%%EOF\n"
    return {
        "doc_0": ("sk-lahir.pdf", "application/pdf", pdf),
        "doc_1": ("kk.jpg", "image/jpeg", buffer.getvalue()),
        "doc_2": ("ktp.pdf", "application/pdf", small),
        "doc_3": ("buku-nikah.pdf", "application/pdf", small),
    }


def page_weight(port: int, code: str) -> dict[str, Any]:
    """Bytes over the wire (encoded) per citizen page, first load and a later load."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    pages: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("TERPADU_CHROMIUM", "/usr/bin/chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
        )

        def measure(name: str, action: Any) -> None:
            context = browser.new_context(viewport={"width": 360, "height": 780})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            total = {"bytes": 0, "requests": 0}

            def done(event: dict[str, Any]) -> None:
                total["bytes"] += int(event.get("encodedDataLength", 0))
                total["requests"] += 1

            cdp.on("Network.loadingFinished", done)
            action(page, base)
            page.wait_for_load_state("networkidle")
            first = dict(total)
            total.update(bytes=0, requests=0)
            action(page, base)
            page.wait_for_load_state("networkidle")
            pages[name] = {
                "first_load_kb": round(first["bytes"] / 1024, 1),
                "first_load_requests": first["requests"],
                "later_load_kb": round(total["bytes"] / 1024, 1),
                "later_load_requests": total["requests"],
            }
            context.close()

        def track_form(page: Any, base: str) -> None:
            page.goto(f"{base}/lacak/permohonan/")

        def track_result(page: Any, base: str) -> None:
            page.goto(f"{base}/lacak/permohonan/")
            page.get_by_label("Kode permohonan").fill(code)
            page.get_by_label("4 angka terakhir NIK, atau nomor HP").fill(NIK[-4:])
            page.get_by_role("button", name="Lihat status").click()
            page.wait_for_load_state()

        def login_page(page: Any, base: str) -> None:
            page.goto(f"{base}/masuk/")

        def verify_page(page: Any, base: str) -> None:
            page.goto(f"{base}/verifikasi/1.AAAAAAAAAAAAAAAAAAAAAAAA/")

        def apply_form(page: Any, base: str) -> None:
            if "/masuk/" in (page.url or "") or page.url in ("", "about:blank"):
                page.goto(f"{base}/masuk/")
                page.get_by_label("Nama pengguna").fill("warga")
                page.get_by_label("Kata sandi").fill(PASSWORD)
                page.get_by_role("button", name="Masuk").click()
                page.wait_for_url(f"{base}/beranda/")
            page.goto(f"{base}/permohonan/baru/akta-kelahiran/")

        measure("tracking_form", track_form)
        measure("tracking_result", track_result)
        measure("login", login_page)
        measure("verify", verify_page)
        measure("apply_form", apply_form)
        browser.close()
    worst_first = max(v["first_load_kb"] for v in pages.values())
    # the apply form's "later" load excludes the login round trip of the first visit
    worst_later = max(v["later_load_kb"] for v in pages.values())
    return {"pages": pages, "worst_first_load_kb": worst_first, "worst_later_load_kb": worst_later}


def bench_backend(
    name: str, database_url: str, args: argparse.Namespace, weigh: bool
) -> dict[str, Any]:
    var = Path(tempfile.mkdtemp(prefix=f"terpadu-apps-{name}-"))
    env = base_env(database_url, var)
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, __file__, "setup", "--pool", str(args.pool)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"setup failed:\n{proc.stderr[-3000:]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    out: dict[str, Any] = {"database": name, "setup_seconds": round(time.monotonic() - t0, 1)}
    port = free_port()
    server = subprocess.Popen(
        [TERPADU, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_healthy(port, server)
        seconds = args.seconds
        out["load_before"] = load()

        def healthz(_i: int) -> Any:
            s = Session(port)
            return lambda: s.request("GET", "/healthz")[0]

        closed_loop(healthz, 2, 1.0)  # warm-up
        out["baseline_healthz_saturation"] = closed_loop(healthz, args.clients, seconds)
        out["baseline_healthz_at_rate"] = open_loop(healthz, args.rate, seconds)

        codes = info["codes"]

        def tracker(i: int) -> Any:
            s = Session(port)
            s.request("GET", "/lacak/permohonan/")
            counter = {"n": i * 7919}

            def one() -> int:
                counter["n"] += 1
                code = codes[counter["n"] % len(codes)]
                status, body = s.form("/lacak/permohonan/", {"code": code, "secret": NIK[-4:]})
                if status == 200 and b"Status permohonan" not in body:
                    return 599
                return status

            return one

        out["tracking_at_rate"] = open_loop(tracker, args.rate, seconds)
        out["tracking_saturation"] = closed_loop(tracker, args.clients, seconds)
        out["load_after_tracking"] = load()

        files = sample_files()

        def submitter(_i: int) -> Any:
            s = Session(port)
            s.login("warga")
            s.request("GET", f"/permohonan/baru/{info['service_code']}/")

            def one() -> int:
                body, ctype = multipart(
                    {
                        "csrfmiddlewaretoken": s.csrf(),
                        "applicant_name": "Siti Aminah",
                        "applicant_nik": NIK,
                        "notify_channel": "none",
                        "x_child_name": "Bima Putra",
                        "x_birth_date": "2026-03-02",
                        "x_birth_place": "Genteng",
                        "submit": "1",
                    },
                    files,
                )
                status, _ = s.request(
                    "POST",
                    f"/permohonan/baru/{info['service_code']}/",
                    body,
                    {"Content-Type": ctype, "Referer": "http://127.0.0.1/"},
                )
                return status

            return one

        out["submit_saturation"] = closed_loop(submitter, args.clients, seconds)
        out["submit_saturation"]["note"] = (
            "one request = one whole application (3 fields, 4 files: PDFs of 40 KB and 8 KB, "
            "an 800x600 JPEG re-encoded); 302 = accepted"
        )

        ids = list(info["ids"])
        queue = [(i, "verify") for i in ids] + [(i, "accept") for i in ids]
        lock = threading.Lock()

        def transitioner(_i: int) -> Any:
            s = Session(port)
            auth = {
                "Authorization": f"Bearer {info['officer_token']}",
                "Content-Type": "application/json",
            }

            def one() -> int | None:
                with lock:
                    if not queue:
                        return None
                    app_id, action = queue.pop(0)
                status, _ = s.request(
                    "POST",
                    f"/api/v1/applications/{app_id}/transitions",
                    json.dumps({"action": action}).encode(),
                    auth,
                )
                return status

            return one

        out["transition_saturation"] = closed_loop(transitioner, args.clients, seconds)
        out["load_after"] = load()
        base = out["baseline_healthz_saturation"]["per_second"] or 1
        out["ratios_to_healthz"] = {
            "tracking": round((out["tracking_saturation"]["per_second"] or 0) / base, 3),
            "submit": round((out["submit_saturation"]["per_second"] or 0) / base, 3),
            "transition": round((out["transition_saturation"]["per_second"] or 0) / base, 3),
        }
        if weigh:
            out["page_weight"] = page_weight(port, codes[0])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return out


def pg_available() -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False
        ).returncode
        == 0
    )


def pg_version() -> str:
    proc = subprocess.run(
        ["psql", f"{PG_BASE}/postgres", "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "setup"])
    parser.add_argument("--pool", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if args.mode == "setup":
        setup_main(args.pool)
        return
    started = time.monotonic()
    runs = []
    var = Path(tempfile.mkdtemp(prefix="terpadu-apps-sqlite-"))
    runs.append(bench_backend("sqlite", f"sqlite:///{var}/bench.sqlite3", args, weigh=True))
    if not args.sqlite_only and pg_available():
        db = f"terpadu_applications_bench_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
        try:
            runs.append(bench_backend("postgresql", f"{PG_BASE}/{db}", args, weigh=False))
        finally:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=False
            )
    targets = []
    for run in runs:
        p95 = run["tracking_at_rate"]["p95_ms"]
        targets.append(
            {
                "target": f"tracking page p95 <= {TARGETS['tracking_p95_ms_max']} ms "
                f"at {args.rate:g} req/s ({run['database']})",
                "measured": p95,
                "met": p95 is not None and p95 <= TARGETS["tracking_p95_ms_max"],
            }
        )
    weight = runs[0].get("page_weight", {})
    if weight:
        targets.append(
            {
                "target": "citizen pages <= 100 KB compressed on first load (incl. CSS/JS)",
                "measured": weight["worst_first_load_kb"],
                "met": weight["worst_first_load_kb"] <= TARGETS["first_load_kb_max"],
            }
        )
        targets.append(
            {
                "target": "citizen pages <= 20 KB on later loads",
                "measured": weight["worst_later_load_kb"],
                "met": weight["worst_later_load_kb"] <= TARGETS["later_load_kb_max"],
            }
        )
    result = {
        "benchmark": "applications",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "postgresql": pg_version() if pg_available() else None,
            "note": "load generator, server and other engineers' work share these cores; "
            "see the load averages",
        },
        "server": "terpadu serve: gunicorn 4 sync workers, production settings (TERPADU_DEMO=1 "
        "for plain-HTTP cookies, HTTPS redirect off)",
        "parameters": {
            "seconds_per_phase": args.seconds,
            "rate": args.rate,
            "clients": args.clients,
            "pool": args.pool,
        },
        "targets": targets,
        "runs": runs,
        "seconds_total": round(time.monotonic() - started, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(
        json.dumps({"targets": targets, "ratios": [r["ratios_to_healthz"] for r in runs]}, indent=2)
    )


if __name__ == "__main__":
    main()
