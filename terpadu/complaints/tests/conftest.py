"""Fixtures for the complaint tests: categories, a moment helper in WIB, generous rate limits."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

WIB = ZoneInfo("Asia/Jakarta")


def wib(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.TERPADU_HOME_REGION = "35.10"
    settings.COMPLAINT_RATE_LIMITS = {
        "address": (1000, 3600),
        "phone": (1000, 86400),
        "client": (1000, 3600),
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    return tmp_path / "uploads"


@pytest.fixture
def uploads(_settings):  # type: ignore[no-untyped-def]
    return _settings


@pytest.fixture
def categories(regions, agencies):  # type: ignore[no-untyped-def]
    from terpadu.complaints.models import Category

    bwi = regions["banyuwangi"]
    return {
        "adminduk": Category.objects.create(
            region=bwi,
            code="adminduk",
            name="Administrasi kependudukan",
            agency=agencies["a"],
            follow_up_days=5,
        ),
        "ringan": Category.objects.create(
            region=bwi, code="ringan", name="Keluhan ringan", agency=agencies["a"], follow_up_days=2
        ),
        "jalan": Category.objects.create(
            region=bwi, code="jalan-rusak", name="Jalan rusak", follow_up_days=14
        ),
    }


def jpeg_bytes(size: tuple[int, int] = (64, 48), maker: str = "") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    if maker:
        exif = Image.Exif()
        exif[0x010F] = maker  # Make
        exif[0x0131] = maker  # Software
        image.save(buffer, format="JPEG", exif=exif.tobytes())
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(buffer, format="PNG")
    return buffer.getvalue()
