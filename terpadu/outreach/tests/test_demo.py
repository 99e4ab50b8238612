"""The demo step: all three programmes with cases in every state, in the real programmes'
proportions, deterministic and idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from terpadu.core.models import Region
from terpadu.demo import population, regions
from terpadu.demo.build import EXTRA_STEPS, StepContext, discover_steps
from terpadu.outreach.demo_steps import build_outreach_demo
from terpadu.outreach.models import Case, Dispatch, Report, Screening, Support, Task
from terpadu.registry.demo_steps import build_registry_demo

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


def _snapshot() -> list[tuple[str, str, str, str, str]]:
    return sorted(
        Case.objects.values_list("programme__code", "subject_key", "status", "outcome", "level")
    )


def test_demo_step_runs_every_programme_in_every_state() -> None:
    discover_steps()
    names = [step.name for step in EXTRA_STEPS]
    assert names.index("registry") < names.index("outreach")
    regions.load_regions()
    regency = Region.objects.get(code=regions.REGENCY_CODE)
    population.build_population(people=3000, seed=2017, regency=regency)
    ctx = StepContext(regency=regency, seed=2017, people=3000, rebuild=True, progress=print)
    build_registry_demo(ctx)

    # Its speed is measured by bench/demo_build.py, not asserted here.
    figures = build_outreach_demo(ctx, today=TODAY)
    states = {"found", "verified", "in_progress", "resolved", "not_eligible", "lost"}
    for code in ("garda_ampuh", "maternal", "medicine"):
        present = set(Case.objects.filter(programme__code=code).values_list("status", flat=True))
        assert present == states, (code, present)
    garda = figures["garda_ampuh"]["by_status"]
    assert garda["resolved"] / figures["garda_ampuh"]["cases"] > 0.85
    assert Support.objects.filter(funder="pemda").exists()
    assert Support.objects.exclude(funder="pemda").exists()
    assert set(Screening.objects.values_list("group", flat=True)) == {"KRR", "KRT", "KRST"}
    pbi = figures["medicine"]["pbi"] / figures["medicine"]["cases"]
    assert 0.55 < pbi < 0.75  # 2,897 of 4,444 in the real programme
    assert {"delivered", "failed", "flagged"} <= set(
        Dispatch.objects.values_list("status", flat=True)
    )
    assert Task.objects.filter(due_date__lt=TODAY, done_at__isnull=True).exists()  # overdue work
    assert Report.objects.filter(reporter__kind="mlijo").exists()

    first = _snapshot()
    build_outreach_demo(ctx, today=TODAY)  # idempotent and deterministic
    assert _snapshot() == first

    # the demo logins see their work
    client = Client(HTTP_HOST="127.0.0.1")
    from terpadu.accounts.models import User

    client.force_login(User.objects.get(username="bidan.sempu"))
    assert "Kasus lapangan saya" in client.get("/beranda/").content.decode()
    assert client.get("/lapangan/").status_code == 200
    client.force_login(User.objects.get(username="apoteker.rsud"))
    assert client.get("/farmasi/").status_code == 200
    client.force_login(User.objects.get(username="mlijo.sempu"))
    assert client.get("/lapor/").status_code == 200
