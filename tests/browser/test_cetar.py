"""The public CETAR dashboard in Chromium: no login, 360 px and desktop, each tile drills down
to an agency and a service, the chart's CSV equals its table, axe finds nothing serious."""

from __future__ import annotations

import csv
import io

import pytest

from terpadu.cetar.tests.conftest import busy, world  # noqa: F401  (fixtures)
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

LETTERS = ["Cepat", "Efektif & Efisien", "Tanggap", "Transparan", "Akuntabel", "Responsif"]


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_dashboard_at_360px_drills_down(live_server, page_at, busy):  # noqa: F811
    page = page_at(360, 760)
    page.goto(f"{live_server.url}/cetar/?periode=2026-Q1")
    assert page.get_by_role("heading", level=1).inner_text() == "Kinerja pelayanan publik CETAR"
    for name in LETTERS:
        assert page.get_by_role("heading", level=2, name=name).is_visible(), name
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    screenshot(page, "cetar-dashboard-360")

    # every tile's headline leads to its indicator, then to an agency and a service
    for name in LETTERS:
        page.goto(f"{live_server.url}/cetar/?periode=2026-Q1")
        tile = page.get_by_role("article").filter(
            has=page.get_by_role("heading", level=2, name=name)
        )
        tile.locator(".headline a").click()
        page.wait_for_url("**/cetar/indikator/**")
        assert page.get_by_role("heading", name="Definisi").is_visible()
        ranking = page.locator("section", has=page.locator("#rincian"))
        ranking.get_by_role("link", name="Dukcapil").click()
        page.wait_for_url("**instansi=*")
        assert "Dukcapil" in page.locator("hgroup p").inner_text()
        ranking = page.locator("section", has=page.locator("#rincian"))
        ranking.get_by_role("link", name="Akta Kelahiran").click()
        page.wait_for_url("**layanan=*")
        assert "Akta Kelahiran" in page.locator("hgroup p").inner_text()
        if not no_horizontal_overflow(page):
            screenshot(page, "cetar-overflow-360")
        assert no_horizontal_overflow(page), name

    page.goto(f"{live_server.url}/cetar/indikator/sla_compliance/?periode=2026-Q1")
    assert axe_violations(page) == []
    screenshot(page, "cetar-indicator-360")


def test_chart_csv_equals_table_and_desktop(live_server, page_at, busy):  # noqa: F811
    page = page_at(1280, 900)
    page.goto(f"{live_server.url}/cetar/?periode=2026-Q1")
    assert axe_violations(page) == []
    screenshot(page, "cetar-dashboard-desktop")
    page.goto(f"{live_server.url}/cetar/indikator/sla_compliance/?periode=2026-Q1")
    page.get_by_text("Lihat sebagai tabel").click()
    table = page.locator("details table tbody tr")
    shown = [
        (row.locator("th").inner_text(), row.locator("td").first.inner_text())
        for row in table.all()
    ]
    href = page.get_by_role("link", name="Unduh CSV tren").get_attribute("href")
    body = page.request.get(f"{live_server.url}{href}").text()
    rows = [(r["label"], r["teks"]) for r in csv.DictReader(io.StringIO(body))]
    assert rows == shown and len(rows) == 3
    assert page.locator("svg.chart rect.bar").count() == 3
    assert axe_violations(page) == []
    screenshot(page, "cetar-indicator-desktop")
    page.goto(f"{live_server.url}/cetar/data/")
    assert axe_violations(page) == []
