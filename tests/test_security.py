"""Security headers and cookie flags a browser actually receives."""

from __future__ import annotations

from django.test import Client


def test_pages_carry_a_strict_csp_and_headers(db):  # type: ignore[no-untyped-def]
    response = Client(HTTP_HOST="127.0.0.1").get("/masuk/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_inline_script_in_pages(db):  # type: ignore[no-untyped-def]
    page = Client(HTTP_HOST="127.0.0.1").get("/masuk/").content.decode()
    assert "<script>" not in page and "onclick=" not in page
    assert "cdn" not in page.lower()


def test_session_and_csrf_cookies_are_secure_outside_demo():  # type: ignore[no-untyped-def]
    import importlib
    import os

    from terpadu import settings as module

    saved = {k: os.environ.get(k) for k in ("TERPADU_DEMO", "DEBUG")}
    os.environ["TERPADU_DEMO"] = "0"
    os.environ["DEBUG"] = "0"
    try:
        production = importlib.reload(module)
        assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
        assert production.SESSION_COOKIE_HTTPONLY and production.CSRF_COOKIE_HTTPONLY
        assert production.SECURE_HSTS_SECONDS >= 31536000
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        importlib.reload(module)


def test_csrf_is_enforced_on_the_login_form(db):  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    response = client.post("/masuk/", {"username": "x", "password": "y"})
    assert response.status_code == 403
