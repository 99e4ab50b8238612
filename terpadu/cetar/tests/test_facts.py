"""The builder: idempotent, any past day rebuildable, local days cut at 00:00 WIB, CLI, jobs."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from terpadu.cetar import facts
from terpadu.cetar.docs import indicators_markdown
from terpadu.cetar.indicators import BY_ID
from terpadu.cetar.models import MONTHLY, FtApplicationDay, FtBuild, FtQueueDay
from terpadu.cetar.selectors import Slice, overview
from terpadu.cetar.tests import events as ev
from terpadu.cetar.tests.conftest import MARCH
from terpadu.cetar.tests.events import WIB, wib
from terpadu.core.periodic import JOBS

pytestmark = pytest.mark.django_db


def dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every fact row of every day table, without ids, sorted."""
    out = {}
    with connection.cursor() as cursor:
        for table in (
            *facts.DAY_TABLES,
            *MONTHLY.values(),
            "ft_service_day",
            "ft_skm_period",
            "ft_cost_month",
        ):
            cursor.execute(f"SELECT * FROM {table}")
            names = [c[0] for c in cursor.description]
            rows = [
                tuple(str(v) for n, v in zip(names, row, strict=True) if n != "id")
                for row in cursor.fetchall()
            ]
            out[table] = sorted(rows)
    return out


def test_rebuilding_twice_gives_identical_facts(world: dict[str, Any]) -> None:
    facts.build_days(*MARCH, audit=False)
    first = dump()
    assert first["ft_application_day"] and first["ft_queue_day"] and first["ft_complaint_day"]
    facts.build_days(*MARCH, audit=False)
    assert dump() == first
    # a rebuild of one day inside the range changes nothing either
    facts.build_days(dt.date(2026, 3, 9), dt.date(2026, 3, 9), audit=False)
    assert dump() == first


def test_a_past_day_is_rebuilt_from_the_events(world: dict[str, Any]) -> None:
    facts.build_days(*MARCH, audit=False)
    day = dt.date(2026, 3, 2)
    before = FtQueueDay.objects.get(day=day)
    assert before.issued == 4 and before.called == 3
    # an event of that day arrives late (e.g. restored from a backup); rebuild only that day
    ev.ticket(
        group=world["counter"].counter_group,
        counter=world["counter"],
        issued=wib(2026, 3, 2, 9),
        called=wib(2026, 3, 2, 9, 20),
        finished=wib(2026, 3, 2, 9, 30),
    )
    call_command("cetar", "build", "--date", "2026-03-02", stdout=StringIO())
    after = FtQueueDay.objects.get(day=day)
    assert after.issued == 5 and after.called == 4
    assert FtBuild.objects.filter(day=day).exists()
    # the other days were not touched
    assert FtApplicationDay.objects.filter(day=dt.date(2026, 3, 4)).exists()


def test_local_day_boundary_is_midnight_wib(world: dict[str, Any]) -> None:
    s1 = world["s1"]
    late = dt.datetime(2026, 4, 7, 23, 59, 59, tzinfo=WIB)  # 16:59:59 UTC, still 7 April
    midnight = dt.datetime(2026, 4, 8, 0, 0, tzinfo=WIB)  # 17:00 UTC on 7 April = 8 April WIB
    for at in (late, midnight):
        ev.application(
            service=s1,
            submitted=wib(2026, 4, 6),
            status="disetujui",
            due=wib(2026, 4, 10, 16),
            events=[("diproses", "disetujui", at)],
        )
    facts.build_days(dt.date(2026, 4, 6), dt.date(2026, 4, 8), audit=False)
    decided = {r.day: r.decided for r in FtApplicationDay.objects.filter(decided__gt=0)}
    assert decided == {dt.date(2026, 4, 7): 1, dt.date(2026, 4, 8): 1}
    # building only 8 April finds only the one decided after midnight WIB
    facts.build_days(dt.date(2026, 4, 8), dt.date(2026, 4, 8), audit=False)
    assert FtApplicationDay.objects.get(day=dt.date(2026, 4, 8), decided__gt=0).decided == 1


def test_ticket_waits_cut_by_the_ticket_day(world: dict[str, Any]) -> None:
    facts.build_days(*MARCH, audit=False)
    s = Slice(dt.date(2026, 3, 3), dt.date(2026, 3, 3), region_ids=(world["bwi"].id,))
    row = next(r for r in overview(s, [BY_ID["hall_wait_median"]]))
    assert row.value.value is None  # all tickets were on 2 March


def test_refresh_today_and_finalise(world: dict[str, Any]) -> None:
    now = dt.datetime(2026, 3, 10, 12, tzinfo=WIB)
    result = facts.refresh_today(now=now)
    assert result.first == result.last == dt.date(2026, 3, 10)
    assert FtBuild.objects.get(day=dt.date(2026, 3, 10)).finalised_at is None
    final = facts.finalise(now=now)
    assert final is not None and final.last == dt.date(2026, 3, 9)
    assert FtBuild.objects.get(day=dt.date(2026, 3, 9)).finalised_at is not None
    assert facts.finalise(now=now) is None  # once per day


def test_cli_build_range_and_errors(world: dict[str, Any], capsys: Any) -> None:
    out = StringIO()
    call_command("cetar", "build", "--from", "2026-03-01", "--to", "2026-03-31", stdout=out)
    result = json.loads(out.getvalue())
    assert result["from"] == "2026-03-01" and result["rows"]["ft_application_day"] > 0
    with pytest.raises(SystemExit) as exc:
        call_command("cetar", "build", "--date", "17-03-2026", stdout=StringIO())
    assert exc.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_jobs_are_registered() -> None:
    names = {job.name: job for job in JOBS}
    assert names["cetar_refresh_today"].every_seconds == 300
    assert names["cetar_finalise"].task_path == "terpadu.cetar.tasks.cetar_finalise"


def test_docs_match_the_definitions() -> None:
    path = Path(settings.BASE_DIR) / "docs" / "indicators.md"
    assert path.read_text(encoding="utf-8") == indicators_markdown(), (
        "docs/indicators.md is stale: run 'terpadu cetar docs'"
    )


def test_current_month_reads_the_rollup_up_to_today(world: dict[str, Any]) -> None:
    from django.utils import timezone

    from terpadu.cetar.selectors import _sources, load_facts

    now = timezone.now()
    today = now.astimezone(WIB).date()
    ev.application(
        service=world["s1"],
        submitted=now - dt.timedelta(minutes=2),
        status="disetujui",
        due=now + dt.timedelta(days=3),
        events=[("diproses", "disetujui", now - dt.timedelta(minutes=1))],
    )
    facts.refresh_today(now=now)
    s = Slice(today.replace(day=1), today, region_ids=(world["bwi"].id,))
    assert _sources("ft_application_day", s, None) == [
        ("ft_application_agency_month", s.first, s.last)
    ]
    assert load_facts(s, ["ft_application_day"])[None].get("ft_application_day", "decided") == 1
    # days that have not happened are never built
    result = facts.build_days(today, today + dt.timedelta(days=5), audit=False)
    assert result.last == today
