"""Benchmark: how long the demo build takes, against a bare-insert baseline.

Usage::

    .venv/bin/python bench/demo_build.py                      # 20,000 people on SQLite
    .venv/bin/python bench/demo_build.py --full               # + the whole regency (1,800,000)
    .venv/bin/python bench/demo_build.py --full \\
        --database-url postgres://postgres@127.0.0.1:5432/terpadu_demo_bench   # + PostgreSQL

Each backend runs in a fresh database (a temporary SQLite file; a PostgreSQL
database created for the run and dropped afterwards) in its own process:
``migrate``, then ``terpadu.demo.build.build_demo()`` — the whole demo build,
including steps other apps register — then a second call that must be reused.
The baseline, measured in the same run, inserts the same number of synthetic
12-column rows into a bare table without indexes (``executemany`` on SQLite,
``COPY`` on PostgreSQL): the floor any loader of that data pays.

Writes ``bench/results/demo_build.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from _pg import fresh_database

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "demo_build.json"
DEFAULT_PEOPLE = 20_000
FULL_PEOPLE = 1_800_000
TARGETS = {"default_demo_under_30s": 30.0, "full_regency_under_600s": 600.0}


# -- worker: runs inside a process whose settings point at one fresh database --


def _synthetic_rows(n: int) -> list[tuple[Any, ...]]:
    rng = random.Random(1)
    day0 = date(1940, 1, 1)
    return [
        (
            1,
            rng.randrange(1, 218),
            i // 3 + 1,
            f"3510{rng.randrange(10**12):012d}",
            f"Nama Penduduk {i}",
            "L" if i % 2 else "P",
            "Banyuwangi",
            (day0 + timedelta(days=rng.randrange(30_000))).isoformat(),
            "child",
            f"Nama Ibu {i // 3}",
            "Islam",
            "Pelajar/Mahasiswa",
        )
        for i in range(n)
    ]


def _baseline(people: int) -> dict[str, Any]:
    from django.db import connection, transaction

    columns = "region_id, village_id, household_id, nik, name, sex, birth_place, birth_date, relationship, mother_name, religion, occupation"
    rows_done = 0
    seconds = 0.0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_resident")
        cursor.execute(
            "CREATE TABLE bench_bare_resident (region_id bigint, village_id bigint, household_id bigint, "
            "nik varchar(16), name varchar(120), sex varchar(1), birth_place varchar(80), birth_date date, "
            "relationship varchar(10), mother_name varchar(120), religion varchar(20), occupation varchar(60))"
        )
    chunk = 66_000  # about as many residents as one demo chunk of 20,000 households
    while rows_done < people:
        rows = _synthetic_rows(min(chunk, people - rows_done))  # generated outside the timing
        t0 = time.perf_counter()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    raw: Any = cursor.cursor
                    with raw.copy(f"COPY bench_bare_resident ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            else:
                connection.ensure_connection()
                marks = ", ".join("?" * 12)
                connection.connection.executemany(
                    f"INSERT INTO bench_bare_resident ({columns}) VALUES ({marks})", rows
                )
        seconds += time.perf_counter() - t0
        rows_done += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare_resident")
    return {
        "what": "bare insert of the same number of 12-column rows, no indexes, no generation",
        "rows": rows_done,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows_done / seconds) if seconds else None,
    }


def worker(people: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from terpadu.demo.build import build_demo

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_seconds = time.perf_counter() - t0
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    figures = build_demo(people=people, seed=2017)
    build_seconds = time.perf_counter() - t0
    load_after = os.getloadavg()
    t0 = time.perf_counter()
    again = build_demo(people=people, seed=2017)
    reuse_seconds = time.perf_counter() - t0
    baseline = _baseline(figures["people"])
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "backend": connection.vendor,
        "people": figures["people"],
        "households": figures["households"],
        "migrate_seconds": round(migrate_seconds, 2),
        "build_seconds": round(build_seconds, 2),
        "people_per_second": round(figures["people"] / build_seconds),
        "population_people_per_second": figures.get("people_per_second"),
        "step_seconds": figures.get("seconds", {}),
        "steps": figures.get("steps", []),
        "registry_phase_seconds": (figures.get("registry") or {}).get("seconds", {}),
        "linkage_step_seconds": (figures.get("registry") or {}).get("linkage_step_seconds", {}),
        "reused_second_call": bool(again.get("reused")),
        "reuse_seconds": round(reuse_seconds, 3),
        "peak_rss_mib": round(peak_rss_mib),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "baseline": baseline,
        "ratio_build_to_baseline": round(build_seconds / baseline["seconds"], 1)
        if baseline["seconds"]
        else None,
    }


# -- driver ------------------------------------------------------------------------


def _run_worker(people: int, database_url: str, var_dir: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TERPADU_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "terpadu.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DEBUG", None)
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", "--people", str(people)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"worker failed for {people} people on {database_url}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE)
    parser.add_argument(
        "--full", action="store_true", help=f"also build the whole regency ({FULL_PEOPLE:,})"
    )
    parser.add_argument("--database-url", help="postgres://… : also run on a fresh PostgreSQL DB")
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(args.people)))
        return

    sizes = [args.people] + ([FULL_PEOPLE] if args.full else [])
    runs: list[dict[str, Any]] = []
    load_start = os.getloadavg()
    for people in sizes:
        with tempfile.TemporaryDirectory(prefix="terpadu-bench-") as var_dir:
            url = f"sqlite:///{var_dir}/bench.sqlite3"
            print(f"sqlite: building {people:,} people …", file=sys.stderr, flush=True)
            run = _run_worker(people, url, var_dir)
            runs.append(run)
            print(f"  {run['build_seconds']} s", file=sys.stderr, flush=True)
        if args.database_url:
            with (
                fresh_database(
                    args.database_url, default_name="terpadu_demo_bench", suffix=str(people)
                ) as pg_url,
                tempfile.TemporaryDirectory(prefix="terpadu-bench-") as var_dir,
            ):
                print(f"postgresql: building {people:,} people …", file=sys.stderr, flush=True)
                run = _run_worker(people, pg_url, var_dir)
                runs.append(run)
                print(f"  {run['build_seconds']} s", file=sys.stderr, flush=True)

    met: dict[str, bool | None] = {}
    default_runs = [r for r in runs if r["people"] <= DEFAULT_PEOPLE]
    full_runs = [r for r in runs if r["people"] >= FULL_PEOPLE]
    met["default_demo_under_30s"] = (
        all(r["build_seconds"] < TARGETS["default_demo_under_30s"] for r in default_runs)
        if default_runs
        else None
    )
    met["full_regency_under_600s"] = (
        all(r["build_seconds"] < TARGETS["full_regency_under_600s"] for r in full_runs)
        if full_runs
        else None
    )
    result = {
        "benchmark": "demo_build",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_start": [round(x, 2) for x in load_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
            "note": "2 vCPU shared with other work; load averages recorded per run",
        },
        "runs": runs,
        "targets": TARGETS,
        "met": met,
        "all_met": all(v for v in met.values() if v is not None),
    }
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        json.dumps(
            {"met": met, "runs": [(r["backend"], r["people"], r["build_seconds"]) for r in runs]}
        )
    )


if __name__ == "__main__":
    main()
