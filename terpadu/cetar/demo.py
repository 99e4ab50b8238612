"""Demo step: monthly costs for a few agencies, then the fact tables for the demo's whole history.

Runs after the queue, applications, complaints and surveys steps (INSTALLED_APPS order). The
build is the same set-based builder the worker uses (a few seconds for the demo's history);
days before today are marked finalised, and today is refreshed by the worker from then on.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction

from terpadu.cetar import facts
from terpadu.cetar.models import AgencyCost
from terpadu.core.models import Agency, Region
from terpadu.core.workdays import local_today

#: agency code -> typical monthly cost of running its services at the hall (Rupiah): staff,
#: room, IT and forms as an agency might enter them; the licensing office is the dearest
#: per transaction.
COSTS = {"dukcapil": 12_000_000, "dpmptsp": 15_000_000, "dinkes": 6_000_000}


def load_costs(regency: Region, *, seed: int, today: date) -> int:
    rng = random.Random(f"cetar-costs-{seed}")
    agencies = {a.code: a for a in Agency.objects.filter(region=regency, code__in=COSTS)}
    entered = set(
        AgencyCost.objects.filter(agency__region=regency)
        .exclude(note="demo")
        .values_list("agency_id", "month")
    )
    rows = []
    month = today.replace(day=1)
    for _ in range(12):
        month = (month - timedelta(days=1)).replace(day=1)
        for code, agency in sorted(agencies.items()):
            amount = round(COSTS[code] * rng.uniform(0.9, 1.1), -5)
            if (agency.pk, month) in entered:  # what an agency typed in wins
                continue
            rows.append(AgencyCost(agency=agency, month=month, amount=int(amount), note="demo"))
    with transaction.atomic():
        AgencyCost.objects.filter(agency__region=regency, note="demo").delete()
        AgencyCost.objects.bulk_create(rows)
    return len(rows)


def build_demo_facts(regency: Region, *, seed: int) -> dict[str, Any]:
    today = local_today()
    costs = load_costs(regency, seed=seed, today=today)
    span = facts.event_range()
    if span is None:
        return {"costs": costs, "days": 0}
    first, last = span
    first = max(first, today - timedelta(days=400))
    result = facts.build_days(first, last, finalise=True, audit=True)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "costs": costs,
        "days": (last - first).days + 1,
        "rows": sum(result.rows.values()),
        "build_seconds": round(result.seconds, 2),
        "dashboard": "/cetar/",
    }


def clear_demo_facts(regency: Region) -> int:
    deleted, _ = AgencyCost.objects.filter(agency__region=regency, note="demo").delete()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (
            *facts.DAY_TABLES,
            "ft_service_day",
            "ft_skm_period",
            "ft_cost_month",
            "ft_build",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names
    return deleted
