"""A citizen files a complaint on a 360 px phone and sees the tracking code; axe-core finds no
serious or critical problem on the form, the receipt, the public list or the survey form."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def complaint_setup(settings, regions, agencies, tmp_path):  # type: ignore[no-untyped-def]
    from terpadu.complaints.models import Category

    settings.TERPADU_HOME_REGION = "35.10"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    Category.objects.create(
        region=regions["banyuwangi"],
        code="adminduk",
        name="Administrasi kependudukan",
        agency=agencies["a"],
        follow_up_days=5,
    )
    return regions


def test_citizen_files_a_complaint_on_a_phone(live_server, page_at, complaint_setup):  # type: ignore[no-untyped-def]
    page = page_at(360, 740)
    page.goto(f"{live_server.url}/pengaduan/baru/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sampaikan pengaduan"
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "complaint-form-360")

    # Sending an empty form answers with field-level messages, not a lost page.
    page.get_by_role("button", name="Kirim pengaduan").click()
    assert page.get_by_role("alert").first.is_visible()
    assert page.get_by_text("Ceritakan masalahnya").first.is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Apa masalahnya?").fill(
        "Lampu jalan di depan balai desa mati sudah dua minggu, rawan kecelakaan malam hari."
    )
    page.get_by_label("Desa/kelurahan lokasi masalah").select_option(label="Sobo")
    page.get_by_label("Kategori (jika tahu)").select_option(label="Administrasi kependudukan")
    page.get_by_label("Nama Anda").fill("Siti Aminah")
    page.get_by_label("Nomor HP").fill("081234567890")
    page.get_by_label("Anonim: sembunyikan identitas saya").check()
    page.get_by_role("button", name="Kirim pengaduan").click()

    page.wait_for_url(re.compile(r".*/pengaduan/lacak/[A-Z0-9-]{14}/\?baru=1$"))
    code = page.get_by_test_id("tracking-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert page.get_by_role("heading", name="Pengaduan diterima").is_visible()
    assert page.get_by_text("Menunggu verifikasi").is_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "complaint-receipt-360")

    # The public list shows it without the reporter's name.
    page.goto(f"{live_server.url}/pengaduan/")
    assert page.get_by_text("Lampu jalan di depan balai desa").is_visible()
    assert "Siti Aminah" not in page.content()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "complaint-public-360")


def test_survey_form_on_a_phone(live_server, page_at, complaint_setup):  # type: ignore[no-untyped-def]
    page = page_at(360, 740)
    page.goto(f"{live_server.url}/survei/isi/dukcapil/")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for group in page.locator("fieldset.unsur").all():
        group.get_by_label(
            re.compile(
                "^ ?(Sesuai|Mudah|Cepat|Murah|Kompeten|Sopan dan ramah|Baik|Berfungsi kurang maksimal)$"
            )
        ).check()
    page.get_by_role("button", name="Kirim penilaian").click()
    page.wait_for_url(re.compile(r".*/terima-kasih/$"))
    assert page.get_by_role("heading", name="Terima kasih").is_visible()
    page.goto(f"{live_server.url}/survei/hasil/?instansi=dukcapil")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "survey-report-360")
