"""Agency and region scoping, through HTML and the API, for every role.

An officer of one agency can neither read nor change another agency's records,
and gets the same answer as for a record that does not exist.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from terpadu.core.models import AuditEntry

ROLES = [
    "citizen",
    "front_desk",
    "agency_officer",
    "agency_head",
    "supervisor",
    "field_worker",
    "admin",
]
MISSING_ID = 999_999


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


# Which agencies each role may open (a = own agency for officers/heads, b = another Banyuwangi agency).
CAN_READ = {
    "citizen": set(),
    "front_desk": {"a", "b"},
    "agency_officer": {"a"},
    "agency_head": {"a"},
    "supervisor": {"a", "b"},
    "field_worker": set(),
    "admin": {"a", "b"},
}
CAN_CHANGE = {"agency_head": {"a"}, "admin": {"a", "b"}}


@pytest.mark.parametrize("role", ROLES)
def test_agency_read_scope_html_and_api(role, people, agencies):  # type: ignore[no-untyped-def]
    client = client_for(people[role])
    missing_html = client.get(f"/kantor/instansi/{MISSING_ID}/")
    missing_api = client.get(f"/api/v1/agencies/{MISSING_ID}")
    assert missing_html.status_code == 404
    assert missing_api.status_code == 404
    for key in ("a", "b", "jember"):
        agency = agencies[key]
        html = client.get(f"/kantor/instansi/{agency.pk}/")
        api = client.get(f"/api/v1/agencies/{agency.pk}")
        if key in CAN_READ[role]:
            assert html.status_code == 200, (role, key)
            assert agency.name in html.content.decode()
            assert api.status_code == 200 and api.json()["id"] == agency.pk
        else:
            # Exactly the answer for a record that does not exist: no existence oracle.
            assert html.status_code == 404, (role, key)
            assert api.status_code == 404 and api.json() == missing_api.json(), (role, key)
    listed = {a["id"] for a in client.get("/api/v1/agencies").json()}
    assert listed == {agencies[k].pk for k in CAN_READ[role]}


@pytest.mark.parametrize("role", ROLES)
def test_agency_change_scope_html_and_api(role, people, agencies):  # type: ignore[no-untyped-def]
    client = client_for(people[role])
    for key in ("a", "b", "jember"):
        agency = agencies[key]
        before = agency.phone
        api = client.patch(
            f"/api/v1/agencies/{agency.pk}",
            data=json.dumps({"phone": "0333-123456"}),
            content_type="application/json",
        )
        html = client.post(
            f"/kantor/instansi/{agency.pk}/", {"phone": "0333-654321", "address": "Jl. A. Yani 1"}
        )
        agency.refresh_from_db()
        if key in CAN_CHANGE.get(role, set()):
            assert api.status_code == 200, (role, key)
            assert html.status_code == 302
            assert agency.phone == "0333-654321"
        else:
            assert api.status_code == 404, (role, key)
            assert html.status_code == 404, (role, key)
            assert agency.phone == before


def test_change_is_audited_with_what_changed(people, agencies):  # type: ignore[no-untyped-def]
    client = client_for(people["agency_head"])
    agency = agencies["a"]
    response = client.patch(
        f"/api/v1/agencies/{agency.pk}",
        data=json.dumps({"opening_hours": "Senin–Jumat 08.00–15.00"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action="agency.update").get()
    assert entry.actor_id == people["agency_head"].pk
    assert entry.summary == {"opening_hours": ["", "Senin–Jumat 08.00–15.00"]}
    assert entry.region_code == "35.10"


def test_bad_input_gets_field_level_messages(people, agencies):  # type: ignore[no-untyped-def]
    client = client_for(people["agency_head"])
    agency = agencies["a"]
    api = client.patch(
        f"/api/v1/agencies/{agency.pk}",
        data=json.dumps({"email": "bukan-surel"}),
        content_type="application/json",
    )
    assert api.status_code == 400
    body = api.json()
    assert body["errors"] == [
        {
            "field": "email",
            "message": "Alamat surel tidak valid.",
            "message_en": "Enter a valid email address.",
        }
    ]
    typed = client.patch(
        f"/api/v1/agencies/{agency.pk}",
        data=json.dumps({"phone": 12}),
        content_type="application/json",
    )
    assert typed.status_code == 422
    assert typed.json()["errors"][0]["field"] == "phone"
    assert typed.json()["errors"][0]["message"] == "Harus berupa teks."
    html = client.post(f"/kantor/instansi/{agency.pk}/", {"email": "bukan-surel"})
    assert html.status_code == 400
    assert "Masukkan alamat email yang valid." in html.content.decode()
    assert not AuditEntry.objects.filter(action="agency.update").exists()


def test_province_role_sees_every_regency_of_its_province(people, agencies):  # type: ignore[no-untyped-def]
    client = client_for(people["province_supervisor"])
    listed = {a["id"] for a in client.get("/api/v1/agencies").json()}
    assert listed == {agencies["a"].pk, agencies["b"].pk, agencies["jember"].pk}
    regency_client = client_for(people["supervisor"])
    assert regency_client.get(f"/api/v1/agencies/{agencies['jember'].pk}").status_code == 404


def test_anonymous_gets_login_redirect_and_api_401(agencies):  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get(f"/kantor/instansi/{agencies['a'].pk}/").status_code == 302
    response = client.get(f"/api/v1/agencies/{agencies['a'].pk}")
    assert response.status_code == 401
    assert response.json()["detail"] == "Silakan masuk terlebih dahulu."
