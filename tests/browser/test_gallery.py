"""The innovation gallery on a 360-px phone and a desktop: browse, filter, an innovation page
with live figures, charts with their tables, hand-entered figures labelled; axe clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gallery(regions, agencies):
    from terpadu.core.testing import AgencyFactory
    from terpadu.gallery.demo import load_demo_gallery
    from terpadu.gallery.tests.conftest import open_cases, resolve, skm
    from terpadu.outreach.services import programme_ensure

    bwi = regions["banyuwangi"]
    dispendik = AgencyFactory(region=bwi, code="dispendik", name="Dinas Pendidikan")
    AgencyFactory(region=bwi, code="dpmptsp", name="DPMPTSP")
    garda = programme_ensure(region=bwi, code="garda_ampuh", agency=dispendik)
    now = timezone.now()
    for months_ago, n in ((5, 3), (3, 4), (1, 2)):
        when = now - timedelta(days=30 * months_ago)
        cases = open_cases(garda, regions["bwi_village"], n, start=months_ago * 10, when=when)
        for case in cases[: n // 2]:
            resolve(case, when=when + timedelta(days=10))
    for days_ago, value in ((300, 2), (250, 3), (60, 3), (20, 4)):
        for _ in range(3):
            skm(agencies["a"], value, now - timedelta(days=days_ago))
    load_demo_gallery(bwi)


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("width", "height", "tag"), [(360, 740, "360"), (1280, 900, "desktop")])
def test_gallery_and_innovation_page(live_server, page_at, gallery, width, height, tag):
    page = page_at(width, height)
    page.goto(f"{live_server.url}/inovasi/")
    assert page.get_by_role("heading", level=1).inner_text() == "Galeri inovasi pelayanan publik"
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    screenshot(page, f"gallery-list-{tag}")

    # filter by theme (a plain GET form: works without JavaScript)
    page.get_by_label("Tema").select_option("education")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**/inovasi/?*tema=education*")
    links = page.locator(".innovation-cards h2 a")
    assert links.all_inner_texts() == ["Garda Ampuh"]

    links.first.click()
    page.wait_for_url(f"{live_server.url}/inovasi/garda-ampuh/")
    assert page.get_by_role("heading", level=1).inner_text() == "Garda Ampuh"
    figures = page.locator(".figures").first.inner_text()
    assert "Ditemukan" in figures and "9" in figures
    assert page.locator("svg.trend").first.is_visible()
    page.get_by_text("Tabel data tren").first.click()
    assert page.get_by_role("region", name="Tabel data tren").first.is_visible()
    manual = page.locator("section.manual")
    assert "Bukan hasil pengukuran Terpadu" in manual.inner_text()
    assert "Okezone" in manual.inner_text() and "5.093" in manual.inner_text()
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    screenshot(page, f"gallery-garda-ampuh-{tag}")

    page.goto(f"{live_server.url}/inovasi/smart-kampung/")
    assert page.locator("svg.compare").first.is_visible()  # IKM before/after
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    screenshot(page, f"gallery-smart-kampung-{tag}")
