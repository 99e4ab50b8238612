"""A small fixed month (March 2026, with Nyepi and the Idul Fitri leave) of hand-made events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from terpadu.catalog.models import ServiceVersion
from terpadu.catalog.testing import make_service
from terpadu.cetar import facts
from terpadu.cetar.models import AgencyCost
from terpadu.cetar.tests import events as ev
from terpadu.cetar.tests.events import wib

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def world(regions: Any, agencies: Any) -> dict[str, Any]:
    a, b = agencies["a"], agencies["b"]
    s1 = make_service(agency=a, code="akta", name="Akta Kelahiran", completion_time_value=3)
    s2 = make_service(agency=a, code="kia", name="Kartu Identitas Anak")
    # an older version published without its product (publishing now refuses that)
    ServiceVersion.objects.filter(service=s2).update(product="")
    s3 = make_service(agency=a, code="pindah", name="Surat Pindah", publish=False)
    ServiceVersion.objects.filter(service__in=[s1, s2]).update(published_at=wib(2026, 2, 1))

    # applications (all of s1): see test_indicators for the hand computation
    ev.application(
        service=s1,
        submitted=wib(2026, 3, 2),
        channel="online",
        status="selesai",
        due=wib(2026, 3, 6, 16),
        events=[
            ("diajukan", "verifikasi", wib(2026, 3, 2, 10)),
            ("verifikasi", "diproses", wib(2026, 3, 3)),
            ("diproses", "disetujui", wib(2026, 3, 4, 10)),
            ("disetujui", "selesai", wib(2026, 3, 5)),
        ],
    )
    ev.application(
        service=s1,
        submitted=wib(2026, 3, 2),
        status="disetujui",
        due=wib(2026, 3, 10, 16),
        events=[
            ("diajukan", "verifikasi", wib(2026, 3, 2, 10)),
            ("verifikasi", "perbaikan", wib(2026, 3, 3, 10)),
            ("perbaikan", "verifikasi", wib(2026, 3, 5, 10)),
            ("verifikasi", "diproses", wib(2026, 3, 5, 11)),
            ("diproses", "disetujui", wib(2026, 3, 9, 10)),
        ],
    )
    ev.application(
        service=s1,
        submitted=wib(2026, 3, 2),
        status="ditolak",
        due=wib(2026, 3, 6, 16),
        events=[
            ("diajukan", "verifikasi", wib(2026, 3, 2, 10)),
            ("verifikasi", "ditolak", wib(2026, 3, 12, 10)),
        ],
    )
    ev.application(service=s1, submitted=None, created=wib(2026, 3, 4), channel="online")
    ev.application(
        service=s1,
        submitted=wib(2026, 3, 17, 10),
        status="disetujui",
        due=wib(2026, 3, 27, 16),
        events=[
            ("diajukan", "verifikasi", wib(2026, 3, 17, 11)),
            ("verifikasi", "diproses", wib(2026, 3, 17, 12)),
            ("diproses", "disetujui", wib(2026, 3, 25, 10)),
        ],
    )
    AgencyCost.objects.create(agency=a, month=dt.date(2026, 3, 1), amount=1_000_000)

    # the hall: waits of 5, 10 and 30 minutes; one ticket still waiting
    _hall, group, counter = ev.hall_with_counter(regions["banyuwangi"], a)
    ev.ticket(
        group=group,
        counter=counter,
        issued=wib(2026, 3, 2, 8),
        called=wib(2026, 3, 2, 8, 5),
        finished=wib(2026, 3, 2, 8, 15),
    )
    ev.ticket(
        group=group,
        counter=counter,
        issued=wib(2026, 3, 2, 8, 5),
        called=wib(2026, 3, 2, 8, 15),
        finished=wib(2026, 3, 2, 8, 25),
    )
    ev.ticket(
        group=group,
        counter=counter,
        issued=wib(2026, 3, 2, 8),
        called=wib(2026, 3, 2, 8, 30),
        finished=wib(2026, 3, 2, 8, 40),
    )
    ev.ticket(group=group, counter=None, issued=wib(2026, 3, 2, 8, 50), status="waiting")

    # complaints
    bwi = regions["banyuwangi"]
    ev.complaint(
        region=bwi,
        agency=a,
        submitted=wib(2026, 3, 2),
        disposed=wib(2026, 3, 3),
        answers=[wib(2026, 3, 9, 10)],
        closed=wib(2026, 3, 12),
        close_reason="confirmed",
        district=regions["bwi_district"],
        service=s1,
    )
    ev.complaint(
        region=bwi,
        submitted=wib(2026, 3, 2),
        rejected=wib(2026, 3, 6, 10),
        verify_due=dt.date(2026, 3, 5),
    )
    c3 = ev.complaint(
        region=bwi,
        agency=a,
        submitted=wib(2026, 3, 2),
        disposed=wib(2026, 3, 2, 11),
        answers=[wib(2026, 3, 16, 10), wib(2026, 3, 26, 10)],
        reopened=1,
        closed=wib(2026, 3, 31),
        close_reason="auto",
        confidential=True,
        service=s1,
    )
    c4 = ev.complaint(region=bwi, agency=a, submitted=wib(2026, 3, 4), disposed=wib(2026, 3, 5))
    ev.escalation(c3, created=wib(2026, 3, 10, 1), resolved=wib(2026, 3, 16, 10))
    ev.escalation(c4, created=wib(2026, 3, 13, 1))

    # SKM: agency a 87.50 in March, 75.00 in February; agency b all 2s in March
    ev.survey(agency=a, at=wib(2026, 3, 10), answers=4, service=s1)
    ev.survey(agency=a, at=wib(2026, 3, 11), answers=3, service=s1)
    ev.survey(agency=a, at=wib(2026, 2, 11), answers=3, service=s1)
    ev.survey(agency=b, at=wib(2026, 3, 12), answers=2)
    ev.plan(agency=a, period="2026-Q1", published=wib(2026, 4, 10))
    return {"a": a, "b": b, "s1": s1, "s2": s2, "s3": s3, "bwi": bwi, "counter": counter}


@pytest.fixture
def busy(world: dict[str, Any]) -> dict[str, Any]:
    """Eight more decided applications in March, all in time (figures rest on 5+ people)."""
    for day in range(2, 12):
        if dt.date(2026, 3, day).weekday() >= 5:
            continue
        ev.application(
            service=world["s1"],
            submitted=wib(2026, 3, day),
            status="disetujui",
            due=wib(2026, 3, day + 3, 16),
            channel="online" if day % 2 else "counter",
            events=[("diproses", "disetujui", wib(2026, 3, day + 1, 10))],
        )
    for minute in range(5):
        ev.ticket(
            group=world["counter"].counter_group,
            counter=world["counter"],
            issued=wib(2026, 3, 3, 8, minute),
            called=wib(2026, 3, 3, 8, 10 + minute),
            finished=wib(2026, 3, 3, 8, 11 + minute),
        )
    facts.build_days(dt.date(2026, 1, 1), MARCH[1], audit=True)
    return world
