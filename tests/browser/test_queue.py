"""The hall queue in Chromium: a kiosk at 360 px issues a ticket, the console calls it, the
board shows it within 2 s, and the citizen's ticket page (another browser) says which counter."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from terpadu.queueing.tests.conftest import make_hall, open_counter
from terpadu.queueing.tests.test_restart import crash, free_port, request, start
from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "kata-sandi-uji-123"


def no_overflow(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_kiosk_console_board_and_ticket_page(live_server, page_at, regions, agencies, people):  # type: ignore[no-untyped-def]
    setup = make_hall(regions, agencies)
    hall = setup.hall.pk
    open_counter(1, setup, people["agency_officer"])

    # The board on the hall TV, already running before the ticket exists.
    board = page_at(1280, 720)
    board.goto(f"{live_server.url}/antrean/{hall}/papan/")
    expect(board.locator("#link-state")).to_have_text("Terhubung")
    assert axe_violations(board) == []

    # A kiosk (a phone-sized touch screen here) issues a priority ticket for group A.
    kiosk = page_at(360, 740)
    login(kiosk, live_server.url, "frontdesk", PASSWORD)
    kiosk.goto(f"{live_server.url}/antrean/{hall}/kios/")
    assert axe_violations(kiosk) == []
    no_overflow(kiosk, 360)
    screenshot(kiosk, "queue-kiosk-360")
    kiosk.get_by_label("Lanjut usia").check()
    kiosk.get_by_role("button", name="A Kependudukan").click()
    kiosk.wait_for_url(re.compile(r"/antrean/tiket/[^/]+/cetak/"))
    expect(kiosk.locator(".number")).to_have_text("A-001")
    assert kiosk.locator(".qr svg").count() == 1
    assert axe_violations(kiosk) == []
    no_overflow(kiosk, 360)
    screenshot(kiosk, "queue-ticket-print-58mm")
    token = re.search(r"/antrean/tiket/([^/]+)/cetak/", kiosk.url).group(1)

    # The citizen scans the QR code: the live page on their own phone (another browser context).
    phone = page_at(360, 740)
    phone.goto(f"{live_server.url}/antrean/tiket/{token}/")
    expect(phone.get_by_text("Antrean di depan Anda")).to_be_visible()
    assert axe_violations(phone) == []
    no_overflow(phone, 360)
    screenshot(phone, "queue-ticket-live-waiting-360")

    # The officer's console: call with the keyboard shortcut N.
    console = page_at(1280, 800)
    login(console, live_server.url, "petugas", PASSWORD)
    console.goto(f"{live_server.url}/kantor/loket/{setup.counters[1].pk}/")
    expect(console.get_by_role("heading", name="Menunggu (1)")).to_be_visible()
    assert axe_violations(console) == []
    console.locator("body").press("n")
    called_at = time.monotonic()
    expect(console.locator(".ticket-big")).to_have_text("A-001")
    expect(console.get_by_text("Lanjut usia").first).to_be_visible()
    screenshot(console, "queue-console-called")

    # The board shows the call within 2 s of it.
    expect(board.locator("#now-ticket")).to_have_text("A-001", timeout=2000)
    expect(board.locator("#now-counter")).to_have_text("Loket 1")
    assert time.monotonic() - called_at < 2.5
    screenshot(board, "queue-board-called")

    # And the citizen's page says where to go (it refreshes itself every 5 s).
    expect(phone.get_by_text("Dipanggil ke loket 1")).to_be_visible(timeout=8000)
    screenshot(phone, "queue-ticket-live-called-360")

    # Recall, start and finish with the shortcuts; the console stays accessible.
    console.locator("body").press("m")
    expect(console.get_by_text("Sedang dilayani")).to_be_visible()
    console.locator("body").press("s")
    expect(console.get_by_text("Belum ada tiket di loket ini.")).to_be_visible()
    assert axe_violations(console) == []


def test_booking_pages_at_360(live_server, page_at, regions, agencies, people):  # type: ignore[no-untyped-def]
    setup = make_hall(regions, agencies)
    page = page_at(360, 740)
    page.goto(f"{live_server.url}/antrean/{setup.hall.pk}/janji/")
    page.get_by_role("link", name="KTP elektronik").click()
    assert axe_violations(page) == []
    page.locator(".day-list a").nth(1).click()
    page.get_by_label("09.00").check()
    page.get_by_label("Nama").fill("Siti Aminah")
    page.get_by_label("Nomor HP").fill("0812-3456-7890")
    page.get_by_role("button", name="Pesan").click()
    expect(page.locator(".code-big")).to_have_text(re.compile(r"^[A-Z0-9]{8}$"))
    assert axe_violations(page) == []
    no_overflow(page, 360)
    screenshot(page, "queue-booking-done-360")


def test_board_recovers_after_the_server_restarts(page_at, regions, agencies, people, tmp_path):  # type: ignore[no-untyped-def]
    """The hall TV keeps polling through a server crash and shows the next call after the restart."""
    from terpadu.accounts.services import api_token_create

    setup = make_hall(regions, agencies)
    hall = setup.hall.pk
    open_counter(1, setup, people["agency_officer"])
    desk = api_token_create(user=people["front_desk"], name="kios")
    officer = api_token_create(user=people["agency_officer"], name="loket")
    port = free_port()
    var = tmp_path / "var"
    proc = start(port, var, collectstatic=True)
    board = page_at(1280, 720)
    try:
        board.goto(f"http://127.0.0.1:{port}/antrean/{hall}/papan/")
        expect(board.locator("#link-state")).to_have_text("Terhubung")
    finally:
        crash(proc)  # SIGKILL: no goodbye to the TV
    expect(board.locator("#link-state")).to_have_text(re.compile("terputus"), timeout=5000)
    proc = start(port, var)
    try:
        expect(board.locator("#link-state")).to_have_text("Terhubung", timeout=5000)
        issue = f"/api/v1/queue/halls/{hall}/tickets"
        assert request(port, "POST", issue, {"group_id": setup.group_a.pk}, desk)[0] == 201
        called = request(
            port, "POST", f"/api/v1/queue/counters/{setup.counters[1].pk}/call-next", token=officer
        )
        called_at = time.monotonic()
        assert called[0] == 200 and called[1]["called"]["label"] == "A-001"
        expect(board.locator("#now-ticket")).to_have_text("A-001", timeout=2000)
        assert time.monotonic() - called_at < 2.5
        assert board.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload
    finally:
        crash(proc)
