"""The API as a citizen's app and an officer's client would use it."""

from __future__ import annotations

import pytest

from terpadu.applications.tests.conftest import jpeg_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def test_citizen_files_through_the_api_and_the_officer_works_it(client, akta, citizen, people):
    client.force_login(citizen)
    response = client.post(
        "/api/v1/applications/",
        {
            "service_id": akta.pk,
            "applicant_name": "Siti Aminah",
            "applicant_nik": "3510014508900001",
            "notify_channel": "sms",
            "applicant_phone": "081234567890",
            "data": {"child_name": "Bima", "birth_date": "2026-03-02", "birth_place": "Genteng"},
        },
        content_type="application/json",
        **HOST,
    )
    assert response.status_code == 201, response.content
    app_id = response.json()["id"]
    incomplete = client.post(f"/api/v1/applications/{app_id}/submit", **HOST)
    assert incomplete.status_code == 400
    assert {e["field"] for e in incomplete.json()["errors"]} == {"files.0", "files.1"}
    bad = client.post(
        f"/api/v1/applications/{app_id}/files",
        {"requirement": 0, "file": upload("x.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64)},
        **HOST,
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "files.0"
    for index, item in ((0, upload("sk.pdf", pdf_bytes())), (1, upload("kk.jpg", jpeg_bytes()))):
        ok = client.post(
            f"/api/v1/applications/{app_id}/files", {"requirement": index, "file": item}, **HOST
        )
        assert ok.status_code == 200, ok.content
    submitted = client.post(f"/api/v1/applications/{app_id}/submit", **HOST)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "diajukan" and submitted.json()["due_at"]

    client.force_login(people["agency_officer"])
    worklist = client.get("/api/v1/applications/worklist", **HOST).json()
    assert worklist["counts"]["open"] == 1 and worklist["items"][0]["id"] == app_id
    detail = client.get(f"/api/v1/applications/{app_id}", **HOST).json()
    assert [a["action"] for a in detail["actions"]] == ["verify"]
    assert len(detail["files"]) == 2
    for action, reason in (("verify", ""), ("request_fix", "KK tidak terbaca")):
        r = client.post(
            f"/api/v1/applications/{app_id}/transitions",
            {"action": action, "reason": reason},
            content_type="application/json",
            **HOST,
        )
        assert r.status_code == 200, r.content
    assert r.json()["status"] == "perbaikan" and r.json()["due_at"] is None
    wrong = client.post(
        f"/api/v1/applications/{app_id}/transitions",
        {"action": "reject"},
        content_type="application/json",
        **HOST,
    )
    assert wrong.status_code == 409

    client.force_login(citizen)
    fixed = client.post(
        f"/api/v1/applications/{app_id}/transitions",
        {"action": "resubmit"},
        content_type="application/json",
        **HOST,
    )
    assert fixed.status_code == 200 and fixed.json()["status"] == "verifikasi"


def test_openapi_names_every_operation(client):
    schema = client.get("/api/v1/openapi.json", **HOST).json()
    ops = {
        op["operationId"]
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/applications")
        for op in item.values()
    }
    assert {
        "applications_create_draft",
        "applications_submit",
        "applications_get",
        "applications_list_worklist",
        "applications_transition",
        "applications_track",
        "applications_document_verify",
        "applications_upload",
    } <= ops


def test_head_revokes_through_the_api(client, submitted, people):
    from terpadu.applications.services import application_transition

    for action in ("verify", "accept", "approve"):
        application_transition(actor=people["agency_officer"], application=submitted, action=action)
    url = f"/api/v1/applications/{submitted.pk}/document/revoke"
    client.force_login(people["agency_officer"])
    refused = client.post(url, {"reason": "x"}, content_type="application/json", **HOST)
    assert refused.status_code == 404
    client.force_login(people["agency_head"])
    ok = client.post(url, {"reason": "Data salah"}, content_type="application/json", **HOST)
    assert ok.status_code == 200
    assert ok.json()["valid"] is False and ok.json()["revoked"] is True
