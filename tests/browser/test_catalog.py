"""A citizen on a 360-px phone finds "Akta Kelahiran" by typing `akte lahir` and sees all 6 components."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

COMPONENTS = [
    "Persyaratan",
    "Sistem, mekanisme dan prosedur",
    "Jangka waktu pelayanan",
    "Biaya/tarif",
    "Produk pelayanan",
    "Penanganan pengaduan, saran dan masukan",
]


@pytest.fixture
def catalogue(regions):
    from terpadu.catalog.demo import load_demo_catalog
    from terpadu.demo.agencies import load_agencies

    load_agencies(regions["banyuwangi"].code)
    load_demo_catalog(regions["banyuwangi"])


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_citizen_finds_akta_kelahiran_at_360px(live_server, page_at, catalogue):
    page = page_at(360, 740)
    page.goto(f"{live_server.url}/layanan/")
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []

    page.get_by_label("Cari layanan").fill("akte lahir")
    results = page.locator("#hasil")
    # htmx replaces the results while typing, without a page load.
    first = results.get_by_role("link").first
    first.wait_for()
    assert first.inner_text() == "Akta Kelahiran"
    assert page.url.endswith("/layanan/")
    first.click()
    page.wait_for_url(f"{live_server.url}/layanan/akta-kelahiran/")

    assert page.get_by_role("heading", level=1).inner_text() == "Akta Kelahiran"
    for name in COMPONENTS:
        assert page.get_by_role("heading", name=name).is_visible(), name
    assert page.get_by_text("Gratis").first.is_visible()
    assert page.get_by_text("1 hari kerja").first.is_visible()
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    screenshot(page, "catalog-akta-kelahiran-360")

    # Without JavaScript the same search is a plain form submission.
    page.goto(f"{live_server.url}/layanan/cari/?q=bikin+akta+anak")
    assert page.locator("#hasil").get_by_role("link").first.inner_text() == "Akta Kelahiran"
    assert axe_violations(page) == []
    screenshot(page, "catalog-search-360")


def test_print_sheet_is_a4_and_complete(live_server, page_at, catalogue):
    page = page_at(1280, 900)
    page.goto(f"{live_server.url}/layanan/akta-kelahiran/cetak/")
    assert page.get_by_role("heading", level=1).inner_text() == "STANDAR PELAYANAN"
    assert page.locator("tbody tr").count() == 14
    assert axe_violations(page) == []
    pdf = page.pdf(format="A4", print_background=False) if hasattr(page, "pdf") else b""
    assert pdf[:4] == b"%PDF"


def test_officer_sees_when_a_published_change_takes_effect(live_server, page_at, people, agencies):
    import datetime as dt

    from terpadu.catalog.services import service_version_draft_update, service_version_publish
    from terpadu.catalog.testing import make_service
    from terpadu.core.workdays import local_today
    from tests.browser.conftest import login

    service = make_service(agency=agencies["a"], code="akta-kelahiran", name="Akta Kelahiran")
    service_version_draft_update(
        actor=people["agency_officer"], service=service, content={"completion_time_value": 2}
    )
    start = local_today() + dt.timedelta(days=14)
    service_version_publish(actor=people["agency_head"], service=service, effective_date=start)

    page = page_at(360, 740)
    login(page, live_server.url, "petugas", "kata-sandi-uji-123")
    page.goto(f"{live_server.url}/kantor/layanan/{service.pk}/")
    note = page.get_by_text("Versi 2 sudah terbit dan berlaku mulai")
    assert note.is_visible()
    assert "Sampai tanggal itu warga melihat versi 1." in note.inner_text()
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    screenshot(page, "catalog-office-upcoming-360")
    # The public page still shows version 1 (1 working day), with a note for the officer.
    page.goto(f"{live_server.url}/layanan/akta-kelahiran/")
    assert page.get_by_text("1 hari kerja").first.is_visible()
    assert page.get_by_text("Untuk petugas: versi 2").is_visible()
    assert axe_violations(page) == []
