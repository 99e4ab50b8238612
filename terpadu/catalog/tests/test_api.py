"""The catalogue API: public reads, officer draft/publish with the same access rules as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from terpadu.catalog.models import ServiceVersion
from terpadu.catalog.testing import make_service

pytestmark = pytest.mark.django_db
BASE = "/api/v1/catalog"


def client_for(user=None) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def test_schema_has_the_operation_ids():
    schema = client_for().get("/api/v1/openapi.json").json()
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "catalog_service_list",
        "catalog_service_search",
        "catalog_service_get",
        "catalog_agency_list",
        "catalog_life_event_list",
        "catalog_service_update_draft",
        "catalog_service_publish",
    } <= ids


def test_public_reads(demo_catalog):
    client = client_for()
    hits = client.get(f"{BASE}/services/search", {"q": "bikin akta anak"}).json()
    assert hits[0]["code"] == "akta-kelahiran"
    detail = client.get(f"{BASE}/services/akta-kelahiran").json()
    assert detail["version"]["fee_amount"] == 0
    assert detail["version"]["completion_time_unit"] == "working_days"
    assert len(detail["version"]["requirements"]) == 5
    assert detail["counters"]
    listed = client.get(f"{BASE}/services", {"agency": "dukcapil"}).json()
    assert {s["agency_code"] for s in listed} == {"dukcapil"} and len(listed) >= 20
    bundle = client.get(f"{BASE}/services", {"life_event": "kelahiran"}).json()
    assert bundle[0]["code"] == "akta-kelahiran"
    agencies = client.get(f"{BASE}/agencies").json()
    assert len(agencies) >= 20
    events = client.get(f"{BASE}/life-events").json()
    assert any(e["slug"] == "kematian" and "akta-kematian" in e["services"] for e in events)
    missing = client.get(f"{BASE}/services/tidak-ada")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


@pytest.fixture
def services(agencies):
    return (
        make_service(agency=agencies["a"], code="akta-kelahiran", name="Akta Kelahiran"),
        make_service(agency=agencies["b"], code="imunisasi", name="Imunisasi"),
    )


def test_officer_cannot_edit_other_agency_via_api(people, services):
    mine, theirs = services
    client = client_for(people["agency_officer"])
    body = {"completion_time_value": 2}
    theirs_response = client.patch(
        f"{BASE}/office/services/{theirs.pk}/draft", body, content_type="application/json"
    )
    missing = client.patch(
        f"{BASE}/office/services/999999/draft", body, content_type="application/json"
    )
    assert theirs_response.status_code == missing.status_code == 404
    assert theirs_response.json() == missing.json()
    assert not ServiceVersion.objects.filter(service=theirs, status="draft").exists()
    assert (
        client_for()
        .patch(f"{BASE}/office/services/{mine.pk}/draft", body, content_type="application/json")
        .status_code
        == 401
    )


def test_draft_then_publish_via_api(people, services):
    service, _ = services
    officer = client_for(people["agency_officer"])
    response = officer.patch(
        f"{BASE}/office/services/{service.pk}/draft",
        {"fee_amount": 5000, "fee_legal_basis": "", "change_note": "biaya cetak"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "fee_legal_basis"
    response = officer.patch(
        f"{BASE}/office/services/{service.pk}/draft",
        {"requirements": [{"document": "Surat keterangan lahir"}], "completion_time_value": 3},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft" and response.json()["number"] == 2
    refused = officer.post(
        f"{BASE}/office/services/{service.pk}/publish", {}, content_type="application/json"
    )
    assert refused.status_code == 403
    head = client_for(people["agency_head"])
    done = head.post(
        f"{BASE}/office/services/{service.pk}/publish",
        {"change_note": "syarat disederhanakan"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "published"
    public = client_for().get(f"{BASE}/services/akta-kelahiran").json()
    assert public["version"]["number"] == 2
    assert public["version"]["requirements"] == [{"document": "Surat keterangan lahir", "note": ""}]
