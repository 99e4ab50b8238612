"""Fixtures for the outreach tests: two desa, programmes, a bidan and a pendamping per desa,
moments in WIB, uploads in a temporary directory."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

WIB = ZoneInfo("Asia/Jakarta")


def wib(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


def jpeg_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.TERPADU_HOME_REGION = "35.10"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    return tmp_path / "uploads"


@pytest.fixture
def area(regions):  # type: ignore[no-untyped-def]
    """Kecamatan Banyuwangi with desa Sobo (from the root fixture) and Penganjuran; Kecamatan
    Sempu with desa Jambewangi."""
    from terpadu.core.testing import region

    sempu = region("35.10.20", "Sempu", "district", regions["banyuwangi"])
    return {
        "regency": regions["banyuwangi"],
        "district": regions["bwi_district"],
        "sobo": regions["bwi_village"],
        "penganjuran": region("35.10.16.1002", "Penganjuran", "village", regions["bwi_district"]),
        "sempu": sempu,
        "jambewangi": region("35.10.20.2002", "Jambewangi", "village", sempu),
        "jember_village": regions["jbr_village"],
    }


@pytest.fixture
def programmes(area, agencies):  # type: ignore[no-untyped-def]
    from terpadu.core.testing import AgencyFactory
    from terpadu.outreach.services import programme_ensure

    regency = area["regency"]
    dispendik = AgencyFactory(region=regency, code="dispendik", short_name="Dispendik")
    rsud = AgencyFactory(
        region=regency,
        code="rsud-blambangan",
        name="RSUD Blambangan",
        short_name="RSUD Blambangan",
        address="Jl. Letkol Istiqlah 49, Banyuwangi",
    )
    return {
        "garda_ampuh": programme_ensure(region=regency, code="garda_ampuh", agency=dispendik),
        "maternal": programme_ensure(region=regency, code="maternal", agency=agencies["b"]),
        "medicine": programme_ensure(region=regency, code="medicine", agency=rsud),
        "rsud": rsud,
        "dispendik": dispendik,
    }


@pytest.fixture
def workers(area, programmes, people):  # type: ignore[no-untyped-def]
    """Bidan Sobo (maternal, Sobo), bidan Jambewangi, pendamping Sobo (Garda Ampuh, Sobo)."""
    from terpadu.accounts.models import Role
    from terpadu.core.testing import UserFactory
    from terpadu.outreach.services import field_assignment_set

    regency = area["regency"]
    bidan = UserFactory(username="bidan.sobo", role=Role.FIELD_WORKER, region=regency)
    bidan_jambewangi = UserFactory(
        username="bidan.jambewangi", role=Role.FIELD_WORKER, region=regency
    )
    pendamping = UserFactory(username="pendamping.sobo", role=Role.FIELD_WORKER, region=regency)
    field_assignment_set(programme=programmes["maternal"], village=area["sobo"], user=bidan)
    field_assignment_set(
        programme=programmes["maternal"], village=area["jambewangi"], user=bidan_jambewangi
    )
    field_assignment_set(programme=programmes["garda_ampuh"], village=area["sobo"], user=pendamping)
    return {"bidan": bidan, "bidan_jambewangi": bidan_jambewangi, "pendamping": pendamping}


@pytest.fixture
def pharmacist(programmes):  # type: ignore[no-untyped-def]
    from terpadu.accounts.models import Role
    from terpadu.core.testing import UserFactory

    return UserFactory(
        username="apoteker",
        role=Role.AGENCY_OFFICER,
        region=programmes["rsud"].region,
        agency=programmes["rsud"],
    )


_serial = [0]


def resident(
    village: Any,
    name: str,
    born: date,
    sex: str = "P",
    nik: str = "",
) -> Any:
    from terpadu.core.testing import make_resident

    _serial[0] += 1
    if not nik:
        day = born.day + (40 if sex == "P" else 0)
        nik = f"351016{day:02d}{born.month:02d}{born.year % 100:02d}{_serial[0] % 10000:04d}"
    person = make_resident(village=village, nik=nik, name=name, sex=sex)
    person.birth_date = born
    person.save(update_fields=["birth_date"])
    return person
