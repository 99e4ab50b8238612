"""The demo catalogue: big enough, complete, idempotent."""

from __future__ import annotations

import pytest

from terpadu.catalog.content import publish_errors
from terpadu.catalog.demo import load_demo_catalog
from terpadu.catalog.models import Counter, CounterGroup, LifeEvent, Service, ServicePoint
from terpadu.catalog.services import version_content

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_complete_and_idempotent(demo_catalog):
    services = Service.objects.filter(region=demo_catalog).select_related("current_version")
    assert services.count() >= 150
    assert services.values("agency").distinct().count() >= 20
    for service in services:
        assert service.current_version is not None
        assert publish_errors(version_content(service.current_version)) == []
    akta = services.get(code="akta-kelahiran").current_version
    assert any("kelahiran" in r["document"].lower() for r in akta.requirements)
    assert {f["name"] for f in akta.extra_fields} >= {"child_name", "birth_date"}
    slugs = set(LifeEvent.objects.filter(region=demo_catalog).values_list("slug", flat=True))
    assert {
        "kelahiran",
        "kematian",
        "pernikahan",
        "pindah-rumah",
        "memulai-usaha",
        "masuk-sekolah",
        "sakit",
        "kehilangan-pekerjaan",
    } <= slugs
    assert CounterGroup.objects.filter(hall__name="MPP Banyuwangi").count() >= 10
    assert Counter.objects.filter(hall__name="MPP Banyuwangi").count() >= 20
    assert ServicePoint.objects.filter(kind="mobile").count() >= 2

    again = load_demo_catalog(demo_catalog)
    assert again["services_created"] == 0
    assert Service.objects.filter(region=demo_catalog).count() == services.count()
