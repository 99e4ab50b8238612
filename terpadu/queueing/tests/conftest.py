"""A small hall: group A (Dukcapil, counters 1–2), group B (Dinkes, counter 3), one front-office counter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class HallSetup:
    hall: Any
    group_a: Any
    group_b: Any
    counters: dict[int, Any]
    service_a: Any
    service_b: Any


def make_hall(regions: dict[str, Any], agencies: dict[str, Any]) -> HallSetup:
    from terpadu.catalog.models import Counter, CounterGroup, Hall, Service

    bwi = regions["banyuwangi"]
    hall = Hall.objects.create(region=bwi, code="mpp-bwi", name="MPP Banyuwangi")
    service_a = Service.objects.create(
        region=bwi, agency=agencies["a"], code="ktp-el", name="KTP elektronik"
    )
    service_b = Service.objects.create(
        region=bwi, agency=agencies["b"], code="sik", name="Surat izin praktik"
    )
    group_a = CounterGroup.objects.create(
        hall=hall, letter="A", name="Kependudukan", agency=agencies["a"]
    )
    group_a.services.add(service_a)
    group_b = CounterGroup.objects.create(
        hall=hall, letter="B", name="Kesehatan", agency=agencies["b"]
    )
    group_b.services.add(service_b)
    counters = {
        1: Counter.objects.create(hall=hall, number=1, agency=agencies["a"], counter_group=group_a),
        2: Counter.objects.create(hall=hall, number=2, agency=agencies["a"], counter_group=group_a),
        3: Counter.objects.create(hall=hall, number=3, agency=agencies["b"], counter_group=group_b),
        9: Counter.objects.create(hall=hall, number=9, name="Informasi", counter_group=group_a),
    }
    return HallSetup(hall, group_a, group_b, counters, service_a, service_b)


@pytest.fixture(autouse=True)
def _fresh_queue_caches() -> None:
    from terpadu.queueing.selectors import clear_estimate_cache

    clear_estimate_cache()


@pytest.fixture
def hall(regions, agencies) -> HallSetup:  # type: ignore[no-untyped-def]
    return make_hall(regions, agencies)


def open_counter(number: int, setup: HallSetup, user: Any) -> Any:
    """Open a counter as ``user``; return its fresh context."""
    from terpadu.queueing.access import access_counter_by_id
    from terpadu.queueing.services import counter_set_status

    ctx = access_counter_by_id(user=user, counter_id=setup.counters[number].pk)
    counter_set_status(actor=user, counter=ctx, status="open")
    return access_counter_by_id(user=user, counter_id=setup.counters[number].pk)
