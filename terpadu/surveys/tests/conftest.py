from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

WIB = ZoneInfo("Asia/Jakarta")


def wib(y: int, m: int, d: int, hh: int = 10) -> datetime:
    return datetime(y, m, d, hh, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _home(settings):  # type: ignore[no-untyped-def]
    settings.TERPADU_HOME_REGION = "35.10"


@pytest.fixture
def catalog(regions, agencies):  # type: ignore[no-untyped-def]
    from terpadu.catalog.models import Hall, Service

    bwi = regions["banyuwangi"]
    return {
        "ktp": Service.objects.create(
            region=bwi, agency=agencies["a"], code="ktp-el", name="KTP elektronik"
        ),
        "kk": Service.objects.create(
            region=bwi, agency=agencies["a"], code="kk", name="Kartu Keluarga"
        ),
        "hall": Hall.objects.create(region=bwi, code="mpp", name="MPP Banyuwangi"),
    }
