"""A real login in Chromium, and axe-core on the pages a new user meets first."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_front_desk_logs_in_and_pages_pass_axe(width, live_server, page_at, people):  # type: ignore[no-untyped-def]
    page = page_at(width)
    page.goto(f"{live_server.url}/masuk/")
    assert axe_violations(page) == []
    login(page, live_server.url, "frontdesk", "kata-sandi-uji-123")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Selamat datang")
    assert page.get_by_text("Bantu warga di meja depan").is_visible()
    assert axe_violations(page) == []
    # Nothing overflows a 360 px phone screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"home-front-desk-{width}")


def test_wrong_password_shows_the_message_and_keeps_the_username(live_server, page_at, people):  # type: ignore[no-untyped-def]
    page = page_at(360)
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("frontdesk")
    page.get_by_label("Kata sandi").fill("salah-sekali")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("alert").inner_text() == "Nama pengguna atau kata sandi salah."
    assert page.get_by_label("Nama pengguna").input_value() == "frontdesk"
    assert axe_violations(page) == []


def test_language_switch_to_english_and_back(live_server, page_at, people):  # type: ignore[no-untyped-def]
    page = page_at(1280)
    login(page, live_server.url, "warga", "kata-sandi-uji-123")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Bahasa Indonesia").click()
    assert page.locator("html").get_attribute("lang") == "id"
