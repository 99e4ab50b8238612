"""The community reporter's phone page at 360 px: with the network off the report stays on
the phone; when the network is back it is sent exactly once, and the bidan's worklist
shows it once. Accessible (axe) and without horizontal scrolling."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def setup(db):  # type: ignore[no-untyped-def]
    from terpadu.accounts.models import Role
    from terpadu.core.testing import AgencyFactory, UserFactory, jatim_regions, region
    from terpadu.outreach.models import Reporter
    from terpadu.outreach.services import field_assignment_set, programme_ensure, reporter_register

    regions = jatim_regions()
    regency = regions["banyuwangi"]
    sempu = region("35.10.20", "Sempu", "district", regency)
    jambewangi = region("35.10.20.2002", "Jambewangi", "village", sempu)
    dinkes = AgencyFactory(region=regency, code="dinkes", short_name="Dinkes")
    maternal = programme_ensure(region=regency, code="maternal", agency=dinkes)
    bidan = UserFactory(username="bidan.jambewangi", role=Role.FIELD_WORKER, region=regency)
    field_assignment_set(programme=maternal, village=jambewangi, user=bidan)
    mlijo = UserFactory(username="mlijo.sumiati", role=Role.CITIZEN, region=regency)
    reporter_register(
        user=mlijo, kind=Reporter.Kind.MLIJO, programmes=[maternal], village=jambewangi
    )
    return {"bidan": bidan, "mlijo": mlijo, "village": jambewangi}


def _wait(condition: Any, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_offline_report_is_kept_and_sent_once(live_server, page_at, setup) -> None:  # type: ignore[no-untyped-def]
    from terpadu.outreach.models import Case, Report

    page = page_at(360, 740)
    posts: list[int] = []
    page.on(
        "response",
        lambda r: (
            posts.append(r.status)
            if r.request.method == "POST" and r.url.endswith("/lapor/")
            else None
        ),
    )
    login(page, live_server.url, "mlijo.sumiati", PASSWORD)
    page.goto(f"{live_server.url}/lapor/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
    # the page's module is running: it has taken over the form (and registers the service worker)
    page.wait_for_selector("form[data-ready]", state="attached")

    page.context.set_offline(True)
    page.get_by_label("Nama").fill("Bu Wulandari")
    page.get_by_label("Perkiraan umur (tahun)").fill("19")
    page.get_by_label("Umur kurang dari 20 tahun").check()
    page.get_by_role("button", name="Kirim laporan").click()
    status = page.locator("#queue-status")
    status.get_by_text("menunggu sinyal").wait_for()
    assert page.locator("#my-reports li.pending-item").count() == 1
    screenshot(page, "outreach-reporter-offline-360")
    time.sleep(1.0)
    assert Report.objects.count() == 0  # nothing left the phone

    page.context.set_offline(False)
    page.locator("#my-reports li", has_text="Diterima").wait_for()
    assert _wait(lambda: Report.objects.count() == 1)
    # another "online" event (a flaky connection) sends nothing again
    page.evaluate("window.dispatchEvent(new Event('online'))")
    time.sleep(1.5)
    assert Report.objects.count() == 1 and Case.objects.count() == 1
    assert posts == [201]
    assert status.text_content() == ""
    screenshot(page, "outreach-reporter-synced-360")

    bidan = page_at(360, 740)
    login(bidan, live_server.url, "bidan.jambewangi", PASSWORD)
    bidan.goto(f"{live_server.url}/lapangan/")
    assert bidan.get_by_text("Bu Wulandari").count() == 1
    assert bidan.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(bidan) == []
    bidan.get_by_text("Bu Wulandari").click()
    bidan.get_by_role("heading", name="Kartu Skor Poedji Rochjati").wait_for()
    assert bidan.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(bidan) == []
    screenshot(bidan, "outreach-bidan-case-360")

    # the bidan's visit note is offline-tolerant too
    from terpadu.outreach.models import VisitNote

    bidan.wait_for_selector("form[data-ready]", state="attached")
    bidan.context.set_offline(True)
    bidan.get_by_label("Catatan", exact=True).fill("Ibu sehat, HPHT dua bulan lalu.")
    bidan.get_by_role("button", name="Simpan catatan").click()
    bidan.locator("#note-status").get_by_text("menunggu sinyal").wait_for()
    assert VisitNote.objects.count() == 0
    bidan.context.set_offline(False)
    bidan.locator("#note-status").get_by_text("Catatan kunjungan disimpan").wait_for()
    assert _wait(lambda: VisitNote.objects.count() == 1)
    assert VisitNote.objects.get().client_id


def test_public_garda_ampuh_form_at_360px(live_server, page_at, setup) -> None:  # type: ignore[no-untyped-def]
    from terpadu.outreach.models import Report
    from terpadu.outreach.services import programme_ensure

    programme_ensure(region=setup["village"].parent.parent, code="garda_ampuh")
    page = page_at(360, 740)
    page.goto(f"{live_server.url}/garda-ampuh/lapor/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
    page.get_by_label("Nama anak").fill("Rizky Pratama")
    page.get_by_label("Desa").select_option(setup["village"].code)
    page.get_by_label("Bekerja").check()
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_text("Laporan diterima").wait_for()
    assert Report.objects.filter(name="Rizky Pratama").count() == 1
