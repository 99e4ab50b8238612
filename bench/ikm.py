"""Benchmark: IKM per service × quarter for one regency-year, against a plain SQL GROUP BY.

Usage::

    .venv/bin/python bench/ikm.py                                   # SQLite, 500,000 questionnaires
    .venv/bin/python bench/ikm.py \\
        --database-url postgres://postgres@127.0.0.1:5432/terpadu_ikm_bench   # + PostgreSQL

Each backend runs in a fresh database (a temporary SQLite file; a PostgreSQL database
created for the run and dropped afterwards) in its own process: ``migrate``, one
regency with 24 agencies and 200 services, then N questionnaires of one year bulk-loaded
(``executemany`` on SQLite, ``COPY`` on PostgreSQL) and ``ANALYZE``.

Measured, in the same process, best and median of R repetitions each:

- **ours**: ``terpadu.surveys.selectors.ikm_grouped(period=<year>, kind="quarter",
  by="service")`` — one ORM GROUP BY of SUM/COUNT per unsur with the quarter as a CASE
  on the date, then the exact Fraction computation and the mutu/kinerja lookup in
  Python, per group;
- **baseline**: the plain SQL a report writer would type: ``GROUP BY service_id,
  quarter`` with ``25 * (AVG(u1) + … + AVG(u9)) / 9`` in floating point (quarter by
  ``strftime`` on SQLite, ``EXTRACT(QUARTER …)`` on PostgreSQL).

Target: ours ≤ 2 × the baseline's time. The run also counts groups where the float
baseline, rounded to 2 decimals, differs from the exact result. Writes
``bench/results/ikm.json``.
"""

from __future__ import annotations

import argparse
import io
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

from _pg import fresh_database

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "ikm.json"
DEFAULT_N = 500_000
YEAR = 2026
SERVICES = 200
AGENCIES = 24
TARGET_RATIO = 2.0


# -- worker: runs inside a process whose settings point at one fresh database --


def _setup() -> dict[str, Any]:
    from terpadu.catalog.models import Service
    from terpadu.core.models import Agency, Region

    province = Region.objects.create(code="35", name="Jawa Timur", level="province")
    regency = Region.objects.create(
        code="35.10", name="Kabupaten Banyuwangi", level="regency", parent=province
    )
    agencies = Agency.objects.bulk_create(
        Agency(
            region=regency,
            code=f"unit-{i}",
            name=f"Unit {i}",
            short_name=f"U{i}",
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
    return {"regency": regency, "services": services}


def _rows(n: int, regency_id: int, services: list[Any]) -> list[tuple[Any, ...]]:
    rng = random.Random(14_2017)
    day0 = date(YEAR, 1, 1)
    levels = {s.pk: rng.uniform(2.5, 3.7) for s in services}
    rows = []
    for i in range(n):
        service = services[rng.randrange(len(services))]
        day = day0 + timedelta(days=rng.randrange(365))
        level = levels[service.pk]
        answers = [
            None if rng.random() < 0.02 else max(1, min(4, round(rng.gauss(level, 0.6))))
            for _ in range(9)
        ]
        if not any(answers):
            answers[0] = 3
        rows.append(
            (
                regency_id,
                service.agency_id,
                service.pk,
                "visit",
                f"V{i:07d}",
                f"{day.isoformat()} 02:00:00+00:00",
                day.isoformat(),
                *answers,
                "",
                "",
                "",
                "",
                "",
            )
        )
    return rows


COLUMNS = (
    "region_id, agency_id, service_id, channel, visit_ref, submitted_at, local_date, "
    "u1, u2, u3, u4, u5, u6, u7, u8, u9, age_band, sex, education, occupation, comment"
)


def _load(rows: list[tuple[Any, ...]]) -> float:
    from django.db import connection, transaction

    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(r"\N" if v is None else str(v) for v in row) + "\n")
            buffer.seek(0)
            with cursor.cursor.copy(f"COPY surveys_surveyresponse ({COLUMNS}) FROM STDIN") as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
        else:
            marks = ", ".join(["%s"] * len(rows[0]))
            cursor.executemany(
                f"INSERT INTO surveys_surveyresponse ({COLUMNS}) VALUES ({marks})", rows
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0


def _baseline_sql(vendor: str) -> str:
    quarter = (
        "EXTRACT(QUARTER FROM local_date)::int"
        if vendor == "postgresql"
        else "(CAST(strftime('%%m', local_date) AS INTEGER) + 2) / 3"
    )
    avgs = " + ".join(f"AVG(u{i})" for i in range(1, 10))
    return (
        f"SELECT service_id, {quarter} AS q, COUNT(*) AS n, 25.0 * ({avgs}) / 9 AS ikm "
        "FROM surveys_surveyresponse WHERE region_id = %s AND local_date BETWEEN %s AND %s "
        "GROUP BY service_id, q"
    )


def _time(func: Any, repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return times, result


def worker(n: int, repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from terpadu.surveys.periods import Period
    from terpadu.surveys.selectors import ikm_grouped

    load_before = os.getloadavg()
    call_command("migrate", verbosity=0)
    setup = _setup()
    regency = setup["regency"]
    rows = _rows(n, regency.pk, setup["services"])
    load_seconds = _load(rows)
    del rows
    period = Period("year", YEAR)
    sql = _baseline_sql(connection.vendor)

    def baseline() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [regency.pk, period.start, period.end])
            return cursor.fetchall()

    def ours() -> Any:
        return ikm_grouped(region=regency, period=period, kind="quarter", by="service")

    baseline()  # warm the page cache once for both
    ours_times, ours_result = _time(ours, repeat)
    base_times, base_result = _time(baseline, repeat)
    # interleave a second round so drift in machine load hits both sides
    more_ours, _ = _time(ours, repeat)
    more_base, _ = _time(baseline, repeat)
    ours_times += more_ours
    base_times += more_base

    exact = {(sid, int(key[-1])): res for (sid, key), res in ours_result.items()}
    mismatches = incomparable = 0
    for sid, q, count, ikm in base_result:
        mine = exact[(sid, int(q))]
        assert mine.n == count
        if ikm is None:  # an element nobody in the group answered: the plain SQL gives NULL
            incomparable += 1
            continue
        if f"{float(ikm):.2f}" != str(mine.ikm):
            mismatches += 1
    load_after = os.getloadavg()
    best_ours, best_base = min(ours_times), min(base_times)
    return {
        "backend": connection.vendor,
        "questionnaires": n,
        "groups": len(ours_result),
        "load_seconds": round(load_seconds, 2),
        "repetitions": len(ours_times),
        "ours_seconds": {
            "best": round(best_ours, 4),
            "median": round(statistics.median(ours_times), 4),
        },
        "baseline_seconds": {
            "best": round(best_base, 4),
            "median": round(statistics.median(base_times), 4),
        },
        "ratio_best": round(best_ours / best_base, 3),
        "ratio_median": round(statistics.median(ours_times) / statistics.median(base_times), 3),
        "float_baseline_groups_differing_after_rounding": mismatches,
        "baseline_groups_with_an_unanswered_element": incomparable,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }


# -- driver ------------------------------------------------------------------------


def _run_worker(n: int, repeat: int, database_url: str, var_dir: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TERPADU_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "terpadu.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DEBUG", None)
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", "-n", str(n), "--repeat", str(repeat)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"worker failed on {database_url}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=DEFAULT_N, help="questionnaires in the year")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="postgres://… : also run on a fresh PostgreSQL DB")
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(args.n, args.repeat)))
        return

    runs = []
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="terpadu-bench-") as var_dir:
        print(f"sqlite: {args.n:,} questionnaires …", file=sys.stderr, flush=True)
        runs.append(_run_worker(args.n, args.repeat, f"sqlite:///{var_dir}/ikm.sqlite3", var_dir))
        print(f"  {runs[-1]['ratio_best']}× baseline", file=sys.stderr, flush=True)
    if args.database_url:
        with (
            fresh_database(args.database_url, default_name="terpadu_ikm_bench") as pg_url,
            tempfile.TemporaryDirectory(prefix="terpadu-bench-") as var_dir,
        ):
            print(f"postgresql: {args.n:,} questionnaires …", file=sys.stderr, flush=True)
            runs.append(_run_worker(args.n, args.repeat, pg_url, var_dir))
            print(f"  {runs[-1]['ratio_best']}× baseline", file=sys.stderr, flush=True)

    result = {
        "benchmark": "ikm",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_start": [round(x, 2) for x in load_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
            "note": "2 vCPU shared with other work; load averages recorded per run",
        },
        "workload": {
            "questionnaires": args.n,
            "year": YEAR,
            "services": SERVICES,
            "agencies": AGENCIES,
            "grouping": "service × quarter",
        },
        "baseline": "plain SQL GROUP BY service_id, quarter with 25*(AVG(u1)+…+AVG(u9))/9 (float)",
        "runs": runs,
        "targets": {
            "ours_at_most_2x_baseline": {
                "limit": TARGET_RATIO,
                "met": all(r["ratio_best"] <= TARGET_RATIO for r in runs),
                "by_backend": {r["backend"]: r["ratio_best"] for r in runs},
            }
        },
    }
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["targets"], indent=2))


if __name__ == "__main__":
    main()
