"""Fixtures for the application tests: an akta kelahiran service, files, a citizen with a NIK."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

WIB = ZoneInfo("Asia/Jakarta")
NIK = "3510014508900001"
AKTA_FIELDS = [
    {"name": "child_name", "label": "Nama anak", "type": "text", "required": True},
    {"name": "birth_date", "label": "Tanggal lahir anak", "type": "date", "required": True},
    {"name": "birth_place", "label": "Tempat lahir anak", "type": "text", "required": True},
]
AKTA_REQUIREMENTS = [
    {"document": "Surat keterangan kelahiran dari bidan/rumah sakit", "note": ""},
    {"document": "Kartu Keluarga (KK) orang tua", "note": ""},
    {"document": "Surat kuasa bermeterai bila dikuasakan", "note": ""},
]


def wib(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


def pdf_bytes(text: str = "surat keterangan") -> bytes:
    body = f"1 0 obj<<>>endobj\n% {text}\n"
    return b"%PDF-1.4\n" + body.encode() + b"trailer<<>>\n%%EOF\n"


def jpeg_bytes(size: tuple[int, int] = (80, 60), maker: str = "") -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    buffer = io.BytesIO()
    if maker:
        exif = Image.Exif()
        exif[0x010F] = maker
        exif[0x0131] = maker
        image.save(buffer, format="JPEG", exif=exif.tobytes())
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.TERPADU_HOME_REGION = "35.10"
    settings.BASE_URL = "https://terpadu.example"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    return tmp_path / "uploads"


@pytest.fixture
def upload_dir(_settings):  # type: ignore[no-untyped-def]
    return _settings


def stored_files(root: Any) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def akta(agencies):  # type: ignore[no-untyped-def]
    from terpadu.catalog.models import Service
    from terpadu.catalog.testing import make_service

    service = make_service(
        agency=agencies["a"],
        code="akta-kelahiran",
        name="Akta Kelahiran",
        requirements=AKTA_REQUIREMENTS,
        extra_fields=AKTA_FIELDS,
        completion_time_value=3,
        completion_time_unit="working_days",
        product="Kutipan Akta Kelahiran",
    )
    Service.objects.filter(pk=service.pk).update(online_available=True)
    service.refresh_from_db()
    return service


@pytest.fixture
def citizen(people):  # type: ignore[no-untyped-def]
    user = people["citizen"]
    user.first_name, user.last_name = "Siti", "Aminah"
    user.nik, user.email, user.phone = NIK, "siti@example.org", "+6281234567890"
    user.save()
    return user


def applicant(**over: Any) -> Any:
    from terpadu.applications.services import Applicant

    values = {
        "name": "Siti Aminah",
        "nik": NIK,
        "phone": "0812 3456 7890",
        "email": "siti@example.org",
        "notify_channel": "email",
    }
    values.update(over)
    return Applicant(**values)


AKTA_DATA = {"child_name": "Bima Putra", "birth_date": "2026-03-02", "birth_place": "Banyuwangi"}


def full_files() -> dict[int, Any]:
    return {
        0: upload("sk-lahir.pdf", pdf_bytes()),
        1: upload("kk.jpg", jpeg_bytes(maker="Kamera GPS"), "image/jpeg"),
    }


@pytest.fixture
def submitted(akta, citizen):  # type: ignore[no-untyped-def]
    from terpadu.applications.services import application_apply

    return application_apply(
        actor=citizen,
        service=akta,
        applicant=applicant(),
        data=AKTA_DATA,
        files=full_files(),
        submit=True,
    )
