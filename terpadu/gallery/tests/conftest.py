"""Gallery fixtures: outreach programmes with cases, SKM answers, an innovation linked to them."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from PIL import Image

WIB = ZoneInfo("Asia/Jakarta")
H = {"HTTP_HOST": "127.0.0.1"}


def wib(y: int, m: int, d: int, hh: int = 10) -> datetime:
    return datetime(y, m, d, hh, 0, tzinfo=WIB)


def jpeg_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


def client_for(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


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


@pytest.fixture
def dispendik(regions):  # type: ignore[no-untyped-def]
    from terpadu.core.testing import AgencyFactory

    return AgencyFactory(
        region=regions["banyuwangi"],
        code="dispendik",
        name="Dinas Pendidikan",
        short_name="Dispendik",
    )


@pytest.fixture
def garda(regions, dispendik):  # type: ignore[no-untyped-def]
    from terpadu.outreach.services import programme_ensure

    return programme_ensure(region=regions["banyuwangi"], code="garda_ampuh", agency=dispendik)


def open_cases(programme, village, n: int, start: int = 0, when: datetime | None = None):  # type: ignore[no-untyped-def]
    from terpadu.outreach.services import case_open

    return [
        case_open(
            programme=programme,
            village=village,
            name=f"Anak {i}",
            subject_key=f"t:{i}",
            source="intake",
            now=when,
        )
        for i in range(start, start + n)
    ]


def resolve(case, outcome: str = "formal_school", when: datetime | None = None):  # type: ignore[no-untyped-def]
    from terpadu.outreach.services import case_transition

    case.refresh_from_db()
    order = ["found", "verified", "in_progress"]
    for target in order[order.index(case.status) + 1 :]:
        case = case_transition(case=case, actor=None, target=target, now=when)
    return case_transition(case=case, actor=None, target="resolved", outcome=outcome, now=when)


@pytest.fixture
def innovation(regions, dispendik, garda):  # type: ignore[no-untyped-def]
    from terpadu.gallery.services import innovation_create, measure_add

    found = innovation_create(
        actor=None,
        agency=dispendik,
        name="Garda Ampuh",
        theme="education",
        stage="running",
        slug="garda-ampuh",
        tagline="Menjemput anak putus sekolah kembali ke sekolah",
        problem="Anak muda putus sekolah.",
        how_it_works="Tim pemburu dari RT sampai UPTD.",
        start_date=date(2016, 5, 2),
        is_public=True,
    )
    measure_add(actor=None, innovation=found, kind="outreach", programme_code="garda_ampuh")
    return found


def skm(agency, value: int, when: datetime, service=None):  # type: ignore[no-untyped-def]
    from terpadu.surveys.ikm import STANDARD_CODES
    from terpadu.surveys.services import survey_response_submit

    return survey_response_submit(
        agency=agency, answers=dict.fromkeys(STANDARD_CODES, value), now=when, service=service
    )
