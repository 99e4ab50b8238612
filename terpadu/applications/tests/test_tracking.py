"""Public tracking: code + last 4 NIK digits or phone; first name only; rate-limited."""

from __future__ import annotations

import pytest

from terpadu.applications.services import application_transition

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def track(client, code, secret, address="10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(
        "/lacak/permohonan/", {"code": code, "secret": secret}, REMOTE_ADDR=address, **HOST
    )


def test_tracking_with_nik_digits_shows_status_due_date_and_first_name_only(client, submitted):
    code = submitted.display_code.lower().replace("-", " ")  # read aloud, typed loosely
    response = track(client, code, "0001")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Halo, Siti." in html and "Aminah" not in html
    assert "3510" not in html and "Bima" not in html and "siti@example.org" not in html
    assert "Diajukan" in html and "Selesai paling lambat" in html and "hari kerja" in html
    assert 'aria-current="step"' in html


def test_tracking_with_the_phone_number(client, submitted):
    assert track(client, submitted.code, "0812-3456-7890").status_code == 200


def test_correction_request_tells_the_citizen_what_to_do(client, submitted, people):
    officer = people["agency_officer"]
    application_transition(actor=officer, application=submitted, action="verify")
    application_transition(
        actor=officer, application=submitted, action="request_fix", reason="KK buram"
    )
    html = track(client, submitted.code, "0001").content.decode()
    assert "KK buram" in html and "Berhenti sementara" in html


def test_wrong_secret_is_refused_and_counted_until_the_code_is_locked(client, submitted, settings):
    settings.APPLICATION_TRACK_LIMITS = {"code": (5, 86400)}  # no window boundary mid-test
    for i in range(5):
        response = track(client, submitted.code, "9999", address=f"10.0.1.{i}")
        assert response.status_code == 404
        assert "tidak cocok" in response.content.decode()
    # five failures for this code within the hour: even the right answer waits now
    locked = track(client, submitted.code, "0001", address="10.0.2.1")
    assert locked.status_code == 429


def test_one_address_guessing_many_codes_is_limited(client, submitted, settings):
    settings.APPLICATION_TRACK_LIMITS = {"address": (3, 86400)}  # one window for the test
    for code in ("AAAA-AAA-AAA", "BBBB-BBB-BBB", "CCCC-CCC-CCC"):
        assert track(client, code, "0001").status_code == 404
    assert track(client, submitted.code, "0001").status_code == 429
    assert track(client, submitted.code, "0001", address="10.9.9.9").status_code == 200


def test_drafts_cannot_be_tracked(client, akta, citizen):
    from terpadu.applications.services import application_apply
    from terpadu.applications.tests.conftest import applicant

    draft = application_apply(actor=citizen, service=akta, applicant=applicant(), data={})
    assert track(client, draft.code, "0001").status_code == 404


def test_api_track_and_verify_are_public(client, submitted):
    response = client.post(
        "/api/v1/applications/track",
        {"code": submitted.code, "secret": "0001"},
        content_type="application/json",
        **HOST,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["first_name"] == "Siti" and body["status"] == "diajukan"
    assert "nik" not in str(body).lower()
    bad = client.get("/api/v1/applications/documents/verify/1.AAAAAAAAAAAAAAAAAAAAAAAA", **HOST)
    assert bad.status_code == 200 and bad.json()["valid"] is False
