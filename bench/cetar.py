"""Benchmark: CETAR facts and dashboard on one year of a regency, against live aggregation.

Usage::

    .venv/bin/python bench/cetar.py                      # SQLite only, the default volumes
    .venv/bin/python bench/cetar.py --full \\
        --database-url postgres://postgres@127.0.0.1:5432/terpadu_cetar_bench   # + PostgreSQL

Each backend runs in a fresh database (a temporary SQLite file; a PostgreSQL database
created for the run and dropped afterwards), in its own process: ``migrate``, one regency
(25 kecamatan, 30 agencies, 150 services, a hall with 10 counter groups and 30 counters),
then one year of events bulk-loaded (``executemany`` on SQLite, ``COPY`` on PostgreSQL):
queue tickets, applications with their timelines (perbaikan, rejections), complaints with
events and escalations, SKM responses; then ``ANALYZE``.

Measured in the same process:

- **full rebuild**: ``facts.build_days(first, last)`` over the whole year (target ≤ 5 min);
- **one-day refresh**: ``facts.build_days(d, d)`` for a busy weekday (target ≤ 5 s);
- **dashboard pages**: the overview, indicator pages with drill-down (agency, service,
  kecamatan), the provincial view, through Django's test client in-process; p50/p95 over
  R rounds of every URL (target p95 ≤ 200 ms);
- **baseline**: the same headline figures computed live from the transactional tables for
  the year (decisions with working days and pauses, hall waits, first responses, IKM sums)
  — what a dashboard without fact tables would run per page view.

Writes ``bench/results/cetar.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from _pg import fresh_database

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "cetar.json"
WIB = ZoneInfo("Asia/Jakarta")
FIRST = date(2025, 12, 1)
LAST = date(2026, 11, 30)
DEFAULT = {"tickets": 500_000, "applications": 200_000, "complaints": 20_000, "surveys": 100_000}
FULL = {"tickets": 1_000_000, "applications": 500_000, "complaints": 20_000, "surveys": 200_000}
TARGETS = {"page_p95_ms": 200, "day_refresh_s": 5, "full_rebuild_s": 300}
AGENCIES = 30
SERVICES = 150
DISTRICTS = 25


# -- worker: inside a process whose settings point at one fresh database -----------------


def _utc(moment: datetime) -> Any:
    from django.db import connection

    moment = moment.astimezone(UTC)
    if connection.vendor == "postgresql":
        return moment
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def _d(day: date) -> Any:
    from django.db import connection

    return day if connection.vendor == "postgresql" else day.isoformat()


def _insert(model: Any, rows: list[dict[str, Any]]) -> int:
    """Bulk insert dicts (missing fields take their defaults): COPY on PG, executemany on SQLite."""
    from django.db import connection, transaction
    from django.db.models import JSONField

    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and "id" not in rows[0])]
    cols = [f.column for f in fields]
    defaults = {}
    for f in fields:
        if f.has_default():
            value = f.get_default()
            defaults[f.attname] = json.dumps(value) if isinstance(f, JSONField) else value
        elif not f.null and f.get_internal_type() in (
            "CharField",
            "TextField",
            "SlugField",
            "EmailField",
            "URLField",
        ):
            defaults[f.attname] = ""
        else:
            defaults[f.attname] = None
    names = [f.attname for f in fields]
    table = model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row.get(n, defaults[n]) for n in names])
        else:
            marks = ", ".join(["%s"] * len(cols))
            data = [
                tuple(
                    (int(v) if isinstance(v, bool) else v)
                    for v in (row.get(n, defaults[n]) for n in names)
                )
                for row in rows
            ]
            cursor.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", data)
    return len(rows)


def _workdays() -> list[date]:
    from terpadu.core.workdays import is_workday

    days, day = [], FIRST
    while day <= LAST:
        if is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _setup() -> dict[str, Any]:
    from terpadu.catalog.models import Counter, CounterGroup, Hall, Service, ServiceVersion
    from terpadu.core.models import Agency, Region

    province = Region.objects.create(code="35", name="Jawa Timur", level="province")
    regency = Region.objects.create(
        code="35.10", name="Kabupaten Banyuwangi", level="regency", parent=province
    )
    districts = Region.objects.bulk_create(
        Region(code=f"35.10.{i:02d}", name=f"Kecamatan {i}", level="district", parent=regency)
        for i in range(1, DISTRICTS + 1)
    )
    agencies = Agency.objects.bulk_create(
        Agency(
            region=regency,
            code=f"opd-{i}",
            name=f"Instansi {i}",
            short_name=f"OPD {i}",
            kind="regency_office",
        )
        for i in range(AGENCIES)
    )
    services = Service.objects.bulk_create(
        Service(
            region=regency, agency=agencies[i % AGENCIES], code=f"layanan-{i}", name=f"Layanan {i}"
        )
        for i in range(SERVICES)
    )
    published = datetime(2025, 1, 1, tzinfo=UTC)
    versions = ServiceVersion.objects.bulk_create(
        ServiceVersion(
            service=s,
            number=1,
            status="published",
            published_at=published,
            completion_time_value=1 + i % 7,
            requirements=[{"document": "KTP"}],
            procedure=["Ajukan"],
            product="Dokumen",
            complaint_channel="LAPOR!",
        )
        for i, s in enumerate(services)
    )
    for s, v in zip(services, versions, strict=True):
        s.current_version = v
    Service.objects.bulk_update(services, ["current_version"])
    hall = Hall.objects.create(region=regency, code="mpp", name="MPP")
    groups = []
    for g in range(10):
        group = CounterGroup.objects.create(
            hall=hall, letter="ABCDEFGHIJ"[g], name=f"Kelompok {g}", agency=agencies[g]
        )
        group.services.set(services[g::10][:8])
        groups.append(group)
    counters = []
    for i in range(30):
        counters.append(
            Counter.objects.create(
                hall=hall, number=i + 1, agency=agencies[i % 10], counter_group=groups[i % 10]
            )
        )
    return {
        "regency": regency,
        "districts": districts,
        "agencies": agencies,
        "services": services,
        "versions": versions,
        "hall": hall,
        "groups": groups,
        "counters": counters,
    }


def _office(day: date, rng: random.Random, start: float = 8.0, span: float = 6.5) -> datetime:
    hours = start + rng.random() * span
    return datetime(day.year, day.month, day.day, tzinfo=WIB) + timedelta(hours=hours)


def _load_events(world: dict[str, Any], volumes: dict[str, int]) -> dict[str, float]:
    from terpadu.applications.models import Application, ApplicationEvent
    from terpadu.complaints.models import Complaint, ComplaintEvent, Escalation
    from terpadu.queueing.models import Ticket
    from terpadu.surveys.models import SurveyResponse

    rng = random.Random(2017)
    days = _workdays()
    seconds: dict[str, float] = {}
    regency = world["regency"]
    # agency quality: a few clearly worse than the others
    slow = {a.pk: (3.0 if i % 7 == 3 else 1.0) for i, a in enumerate(world["agencies"])}

    t0 = time.perf_counter()
    rows, numbers = [], {}
    serial = 0
    per_day = volumes["tickets"] // len(days)
    for day in days:
        for _ in range(per_day):
            g = rng.randrange(10)
            group = world["groups"][g]
            key = (g, day)
            numbers[key] = numbers.get(key, 0) + 1
            serial += 1
            counter = world["counters"][g + 10 * rng.randrange(3)]
            issued = _office(day, rng)
            wait = rng.expovariate(1 / (8 * slow[group.agency_id]))
            called = issued + timedelta(minutes=wait)
            no_show = rng.random() < 0.05
            served = None if no_show else called + timedelta(seconds=30)
            finished = (
                called + timedelta(minutes=2)
                if no_show
                else served + timedelta(minutes=max(2, rng.gauss(9, 3)))
            )
            rows.append(
                {
                    "hall_id": world["hall"].pk,
                    "group_id": group.pk,
                    "letter": group.letter,
                    "day": _d(day),
                    "number": numbers[key],
                    "status": "no_show" if no_show else "done",
                    "source": "kiosk",
                    "token": f"t{serial:012d}",
                    "issued_at": _utc(issued),
                    "called_at": _utc(called),
                    "served_at": _utc(served) if served else None,
                    "finished_at": _utc(finished),
                    "counter_id": counter.pk,
                    "service_id": world["services"][g::10][rng.randrange(8)].pk,
                }
            )
        if len(rows) > 200_000:
            _insert(Ticket, rows)
            rows = []
    if rows:
        _insert(Ticket, rows)
    seconds["tickets"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    apps, events = [], []
    per_day = volumes["applications"] // len(days)
    app_id = 0
    for day in days:
        for _ in range(per_day):
            app_id += 1
            i = rng.randrange(SERVICES)
            service, version = world["services"][i], world["versions"][i]
            submitted = _office(day, rng)
            t = submitted + timedelta(hours=rng.uniform(0.5, 20))
            timeline = [("draf", "diajukan", submitted), ("diajukan", "verifikasi", t)]
            if rng.random() < 0.15:
                t += timedelta(hours=rng.uniform(1, 20))
                timeline.append(("verifikasi", "perbaikan", t))
                t += timedelta(days=rng.uniform(1, 6))
                timeline.append(("perbaikan", "verifikasi", t))
            t += timedelta(hours=rng.uniform(1, 8))
            timeline.append(("verifikasi", "diproses", t))
            t += timedelta(days=rng.expovariate(1 / (1.5 * slow[service.agency_id])))
            rejected = rng.random() < 0.08
            timeline.append(("diproses", "ditolak" if rejected else "disetujui", t))
            if not rejected:
                timeline.append(("disetujui", "selesai", t + timedelta(hours=rng.uniform(1, 48))))
            status = timeline[-1][1]
            apps.append(
                {
                    "id": app_id,
                    "region_id": regency.pk,
                    "agency_id": service.agency_id,
                    "service_id": service.pk,
                    "service_version_id": version.pk,
                    "code": f"B{app_id:09d}",
                    "channel": "online" if rng.random() < 0.35 else "counter",
                    "status": status,
                    "applicant_name": "Warga",
                    "applicant_nik": f"3510{1 + rng.randrange(DISTRICTS):02d}0101900001",
                    "notify_channel": "none",
                    "created_at": _utc(submitted),
                    "updated_at": _utc(timeline[-1][2]),
                    "submitted_at": _utc(submitted),
                    "completed_at": _utc(timeline[-1][2]),
                }
            )
            for source, target, at in timeline:
                events.append(
                    {
                        "application_id": app_id,
                        "action": "step",
                        "from_status": source,
                        "to_status": target,
                        "at": _utc(at),
                    }
                )
        if len(events) > 300_000:
            _insert(Application, apps)
            _insert(ApplicationEvent, events)
            apps, events = [], []
    if apps:
        _insert(Application, apps)
        _insert(ApplicationEvent, events)
    seconds["applications"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    complaints, cevents, escalations = [], [], []
    for cid in range(1, volumes["complaints"] + 1):
        day = days[rng.randrange(len(days))]
        agency = world["agencies"][rng.randrange(AGENCIES)]
        submitted = _office(day, rng)
        disposed = submitted + timedelta(days=rng.uniform(0.1, 3) * slow[agency.pk])
        answered = disposed + timedelta(days=rng.uniform(0.5, 7) * slow[agency.pk])
        confirmed = rng.random() < 0.5
        closed = answered + timedelta(days=rng.uniform(1, 14))
        reopened = rng.random() < 0.08
        complaints.append(
            {
                "id": cid,
                "tracking_code": f"C{cid:010d}",
                "region_id": regency.pk,
                "channel": "web",
                "text": "Keluhan",
                "district_id": world["districts"][rng.randrange(DISTRICTS)].pk,
                "agency_id": agency.pk,
                "is_confidential": rng.random() < 0.15,
                "status": "closed",
                "submitted_at": _utc(submitted),
                "verify_due": _d(day + timedelta(days=3)),
                "disposed_at": _utc(disposed),
                "answered_at": _utc(answered),
                "closed_at": _utc(closed),
                "close_reason": "confirmed" if confirmed else "auto",
                "reopen_count": int(reopened),
                "updated_at": _utc(closed),
            }
        )
        for kind, at in (("submitted", submitted), ("disposed", disposed), ("answered", answered)):
            cevents.append({"complaint_id": cid, "kind": kind, "at": _utc(at)})
        if answered - disposed > timedelta(days=7):
            escalations.append(
                {
                    "complaint_id": cid,
                    "stage": "follow_up",
                    "due": _d((disposed + timedelta(days=7)).date()),
                    "agency_id": agency.pk,
                    "created_at": _utc(disposed + timedelta(days=8)),
                    "resolved_at": _utc(answered) if rng.random() < 0.8 else None,
                }
            )
    _insert(Complaint, complaints)
    _insert(ComplaintEvent, cevents)
    if escalations:
        _insert(Escalation, escalations)
    seconds["complaints"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    rows = []
    for i in range(volumes["surveys"]):
        day = days[rng.randrange(len(days))]
        service = world["services"][rng.randrange(SERVICES)]
        level = 3.4 - 0.5 * (slow[service.agency_id] > 1)
        answers = {f"u{k}": max(1, min(4, round(rng.gauss(level, 0.6)))) for k in range(1, 10)}
        at = _office(day, rng)
        rows.append(
            {
                "region_id": regency.pk,
                "agency_id": service.agency_id,
                "service_id": service.pk,
                "channel": "visit",
                "visit_ref": f"V{i:08d}",
                "submitted_at": _utc(at),
                "local_date": _d(day),
                **answers,
            }
        )
    _insert(SurveyResponse, rows)
    seconds["surveys"] = time.perf_counter() - t0
    return seconds


def _live_baseline() -> dict[str, Any]:
    """The headline figures computed from the transactional tables for the whole year."""
    from django.db import connection

    from terpadu.cetar import dialect as q
    from terpadu.cetar import facts

    start, end = q.window(FIRST, LAST)
    states = facts.state_sets()
    t0 = time.perf_counter()
    facts.prepare_decisions(FIRST, LAST, states)  # part of the live computation
    prepare = time.perf_counter() - t0
    queries = {
        "applications": (
            facts._decisions_cte(states)
            + " SELECT COUNT(*), SUM(d.in_sla), SUM(CASE WHEN d.pauses = 0 THEN 1 ELSE 0 END) FROM d",
            [],
        ),
        "hall": (
            f"SELECT COUNT(*), SUM({q.seconds('issued_at', 'called_at')}) FROM queueing_ticket "
            "WHERE day >= %s AND day <= %s AND called_at IS NOT NULL",
            [q.p_date(FIRST), q.p_date(LAST)],
        ),
        "complaints": (
            "WITH "
            + facts._first_response_cte()
            + " SELECT COUNT(*) FROM fr WHERE fr.at >= %s AND fr.at < %s",
            [start, end],
        ),
        "ikm": (
            "SELECT COUNT(*), "
            + ", ".join(f"SUM(u{i}), COUNT(u{i})" for i in range(1, 10))
            + " FROM surveys_surveyresponse WHERE local_date >= %s AND local_date <= %s",
            [q.p_date(FIRST), q.p_date(LAST)],
        ),
    }
    out = {}
    for name, (sql, params) in queries.items():
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
        out[name] = time.perf_counter() - t0
    out["applications"] += prepare
    out["total"] = sum(out.values())
    return out


def _pages(world: dict[str, Any], rounds: int) -> dict[str, Any]:
    from django.test import Client

    a = world["agencies"][0].pk
    s = world["services"][0].pk
    d = world["districts"][0].pk
    urls = [
        "/cetar/",
        "/cetar/?periode=2026",
        f"/cetar/?instansi={a}",
        "/cetar/indikator/sla_compliance/",
        f"/cetar/indikator/sla_compliance/?instansi={a}",
        f"/cetar/indikator/completion_median/?instansi={a}&layanan={s}",
        f"/cetar/indikator/ikm/?instansi={a}",
        f"/cetar/indikator/complaint_response_in_time/?kecamatan={d}",
        "/cetar/indikator/hall_wait_median/?periode=2026-06",
        "/cetar/provinsi/?wilayah=35",
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    for url in urls:  # warm up
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times: list[float] = []
    per_url: dict[str, list[float]] = {u: [] for u in urls}
    for _ in range(rounds):
        for url in urls:
            t0 = time.perf_counter()
            response = client.get(url, secure=True)
            elapsed = (time.perf_counter() - t0) * 1000
            assert response.status_code == 200
            times.append(elapsed)
            per_url[url].append(elapsed)
    times.sort()
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
        "median_by_url_ms": {u: round(statistics.median(v), 1) for u, v in per_url.items()},
    }


def worker(volumes: dict[str, int], rounds: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from terpadu.cetar import facts

    load_before = os.getloadavg()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    world = _setup()
    load_seconds = _load_events(world, volumes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    now = datetime(2026, 12, 1, 12, tzinfo=WIB)
    t0 = time.perf_counter()
    result = facts.build_days(FIRST, LAST, now=now, audit=True)
    rebuild = time.perf_counter() - t0
    busy_day = date(2026, 6, 17)
    t0 = time.perf_counter()
    facts.build_days(busy_day, busy_day, now=now, audit=False)
    day_refresh = time.perf_counter() - t0
    t0 = time.perf_counter()
    facts.build_days(busy_day, busy_day, now=now, audit=False)
    day_refresh_again = time.perf_counter() - t0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    baseline = _live_baseline()
    baseline_again = _live_baseline()
    os.environ.setdefault("TERPADU_HOME_REGION", "35.10")
    pages = _pages(world, rounds)
    load_after = os.getloadavg()
    best_baseline = min(baseline["total"], baseline_again["total"])
    return {
        "backend": connection.vendor,
        "volumes": volumes,
        "load_seconds": {k: round(v, 1) for k, v in load_seconds.items()},
        "fact_rows": result.rows,
        "full_rebuild_seconds": round(rebuild, 2),
        "day_refresh_seconds": round(min(day_refresh, day_refresh_again), 3),
        "pages": pages,
        "baseline_live_seconds": {k: round(v, 3) for k, v in baseline.items()},
        "baseline_live_best_total_ms": round(best_baseline * 1000, 1),
        "ratio_page_p95_to_live": round(pages["p95_ms"] / (best_baseline * 1000), 4),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }


# -- driver --------------------------------------------------------------------------------


def _run_worker(volumes: dict[str, int], rounds: int, url: str, var_dir: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TERPADU_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "terpadu.settings",
        "PYTHONPATH": str(ROOT),
        "TERPADU_HOME_REGION": "35.10",
    }
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            "--volumes",
            json.dumps(volumes),
            "--rounds",
            str(rounds),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-5000:])
        raise SystemExit(f"worker failed on {url}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--full", action="store_true", help="the issue's volumes (1M tickets …)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the volumes")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database-url", help="postgres://… : also run on a fresh PostgreSQL DB")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--keep", action="store_true", help="keep the other backends' runs already in --output"
    )
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--volumes", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.volumes), args.rounds)))
        return
    base = FULL if args.full else DEFAULT
    volumes = {k: int(v * args.scale) for k, v in base.items()}
    runs = []
    load_start = os.getloadavg()
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="terpadu-bench-") as var_dir:
            print(f"sqlite: {volumes} …", file=sys.stderr, flush=True)
            runs.append(
                _run_worker(volumes, args.rounds, f"sqlite:///{var_dir}/c.sqlite3", var_dir)
            )
            print(json.dumps(runs[-1], indent=1), file=sys.stderr, flush=True)
    if args.database_url:
        with (
            fresh_database(args.database_url, default_name="terpadu_cetar_bench") as pg_url,
            tempfile.TemporaryDirectory(prefix="terpadu-bench-") as var_dir,
        ):
            print(f"postgresql: {volumes} …", file=sys.stderr, flush=True)
            runs.append(_run_worker(volumes, args.rounds, pg_url, var_dir))
            print(json.dumps(runs[-1], indent=1), file=sys.stderr, flush=True)

    if args.keep and Path(args.output).exists():
        mine = {r["backend"] for r in runs}
        kept = json.loads(Path(args.output).read_text())["runs"]
        runs = [r for r in kept if r["backend"] not in mine] + runs

    def met(key: str, limit: float) -> dict[str, Any]:
        values = {r["backend"]: r[key] if "." not in key else r["pages"]["p95_ms"] for r in runs}
        return {
            "limit": limit,
            "met": all(v <= limit for v in values.values()),
            "by_backend": values,
        }

    result = {
        "benchmark": "cetar",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_start": [round(x, 2) for x in load_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
            "note": "2 vCPU shared with other engineers' work; load averages recorded per run",
        },
        "workload": {
            "year": [FIRST.isoformat(), LAST.isoformat()],
            **volumes,
            "agencies": AGENCIES,
            "services": SERVICES,
            "kecamatan": DISTRICTS,
        },
        "baseline": (
            "the same headline figures computed live from the transactional tables for the "
            "year (decisions with working days and pauses, hall waits, first responses, IKM sums)"
        ),
        "runs": runs,
        "targets": {
            "dashboard_page_p95_ms": met("pages.p95", TARGETS["page_p95_ms"]),
            "day_refresh_seconds": met("day_refresh_seconds", TARGETS["day_refresh_s"]),
            "full_rebuild_seconds": met("full_rebuild_seconds", TARGETS["full_rebuild_s"]),
        },
    }
    Path(args.output).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
