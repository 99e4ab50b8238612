"""Login, throttling, logout and each role's home page in Bahasa Indonesia."""

from __future__ import annotations

import pytest
from django.test import Client

HOME_TEXT = {
    "citizen": "Cari layanan, ajukan permohonan",
    "front_desk": "Bantu warga di meja depan",
    "agency_officer": "Pekerjaan instansi Anda hari ini.",
    "agency_head": "Kinerja dan tenggat layanan instansi Anda.",
    "supervisor": "Pantau seluruh layanan di Mal Pelayanan Publik.",
    "field_worker": "Kasus lapangan yang ditugaskan kepada Anda.",
    "admin": "Kelola pengguna, kalender kerja",
}


def fresh() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


@pytest.mark.parametrize("role", sorted(HOME_TEXT))
def test_each_role_logs_in_to_its_home_page_in_indonesian(role, people):  # type: ignore[no-untyped-def]
    client = fresh()
    user = people[role]
    response = client.post("/masuk/", {"username": user.username, "password": "kata-sandi-uji-123"})
    assert response.status_code == 302
    assert response["Location"] == "/beranda/"
    home = client.get("/beranda/")
    page = home.content.decode()
    assert home.status_code == 200
    assert '<html lang="id">' in page
    assert HOME_TEXT[role] in page
    assert "Selamat datang" in page
    english = client.get("/beranda/?lang=en").content.decode()
    assert '<html lang="en">' in english


def test_wrong_password_gets_one_clear_message(people):  # type: ignore[no-untyped-def]
    response = fresh().post("/masuk/", {"username": "warga", "password": "salah"})
    assert response.status_code == 400
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()


def test_empty_form_gets_field_messages(people):  # type: ignore[no-untyped-def]
    response = fresh().post("/masuk/", {"username": "", "password": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Bidang ini tidak boleh kosong.") == 2
    assert 'aria-invalid="true"' in page


def test_login_is_throttled_after_repeated_failures(people, settings):  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 3
    client = fresh()
    for _ in range(3):
        assert client.post("/masuk/", {"username": "warga", "password": "salah"}).status_code == 400
    blocked = client.post("/masuk/", {"username": "warga", "password": "kata-sandi-uji-123"})
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.content.decode()


def test_open_redirect_is_refused(people):  # type: ignore[no-untyped-def]
    response = fresh().post(
        "/masuk/",
        {"username": "warga", "password": "kata-sandi-uji-123", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/beranda/"


def test_logout_needs_post_and_ends_the_session(people):  # type: ignore[no-untyped-def]
    client = fresh()
    client.force_login(people["citizen"])
    assert client.get("/keluar/").status_code == 405
    assert client.post("/keluar/").status_code == 302
    assert client.get("/beranda/").status_code == 302


def test_passwords_are_hashed_with_argon2_in_production():  # type: ignore[no-untyped-def]
    from terpadu import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
