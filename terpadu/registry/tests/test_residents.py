"""Person records: NIK masked except for roles that need it; every opening logged; region scoped."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from terpadu.core.testing import make_resident
from terpadu.registry.models import RecordAccess

NIK = "3510164508900001"


@pytest.fixture
def resident(regions):  # type: ignore[no-untyped-def]
    return make_resident(village=regions["bwi_village"], nik=NIK)


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "full"),
    [
        ("front_desk", True),
        ("agency_officer", True),
        ("admin", True),
        ("supervisor", False),
        ("field_worker", False),
    ],
)
def test_nik_masked_unless_role_needs_it(role, full, people, resident):  # type: ignore[no-untyped-def]
    client = client_for(people[role])
    page = client.get(f"/kantor/penduduk/{resident.pk}/").content.decode()
    api = client.get(f"/api/v1/residents/{resident.pk}").json()
    if full:
        assert NIK in page and api["nik"] == NIK
    else:
        assert NIK not in page
        assert "3510********0001" in page
        assert api["nik"] == "3510********0001"
    accesses = RecordAccess.objects.filter(resident=resident, user=people[role])
    assert accesses.count() == 2
    assert all(a.full_nik_shown == full for a in accesses)


def test_citizen_cannot_open_person_records(people, resident):  # type: ignore[no-untyped-def]
    client = client_for(people["citizen"])
    assert client.get(f"/kantor/penduduk/{resident.pk}/").status_code == 404
    assert client.get(f"/api/v1/residents/{resident.pk}").status_code == 404
    assert not RecordAccess.objects.exists()


def test_other_regency_person_is_not_found(people, regions):  # type: ignore[no-untyped-def]
    other = make_resident(village=regions["jbr_village"], nik="3509014508900002")
    client = client_for(people["front_desk"])
    assert client.get(f"/kantor/penduduk/{other.pk}/").status_code == 404
    assert (
        client_for(people["province_supervisor"]).get(f"/kantor/penduduk/{other.pk}/").status_code
        == 200
    )


def test_search_by_full_nik_and_name(people, resident):  # type: ignore[no-untyped-def]
    client = client_for(people["supervisor"])
    by_nik = client.get("/api/v1/residents", {"q": NIK}).json()
    by_name = client.get("/api/v1/residents", {"q": "siti"}).json()
    assert [r["id"] for r in by_nik] == [resident.pk] == [r["id"] for r in by_name]
    page = client.get("/kantor/penduduk/", {"q": "Siti"}).content.decode()
    assert "Siti Aminah" in page and NIK not in page


def test_log_lines_never_carry_a_full_nik(caplog):  # type: ignore[no-untyped-def]
    from terpadu.core.nik import MaskNikLogFilter

    logger = logging.getLogger("terpadu.test")
    handler = logging.Handler()
    seen: list[str] = []
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    handler.addFilter(MaskNikLogFilter())
    logger.addHandler(handler)
    try:
        logger.warning("lookup failed for %s", NIK)
    finally:
        logger.removeHandler(handler)
    assert seen == ["lookup failed for 3510********0001"]
