"""The outreach API: case list/get/transition/assign by role, reporter token, KSPR,
prescriptions and dispatches, the signed courier webhook."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from terpadu.accounts.models import Role
from terpadu.core.testing import UserFactory
from terpadu.outreach import courier, services
from terpadu.outreach.courier_sim import CourierSimulator
from terpadu.outreach.models import Case, CourierPartner, Dispatch, Report, Reporter

pytestmark = pytest.mark.django_db

API = "/api/v1/outreach"


def api(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def two_cases(area, programmes, workers):  # type: ignore[no-untyped-def]
    sobo = services.case_open(
        programme=programmes["maternal"],
        village=area["sobo"],
        name="Rina Wati",
        subject_key="report:r1",
        source=Case.Source.REPORT,
        nik="3510164101990001",
    )
    tugung = services.case_open(
        programme=programmes["maternal"],
        village=area["jambewangi"],
        name="Sri Utami",
        subject_key="report:r2",
        source=Case.Source.REPORT,
    )
    return sobo, tugung


def test_case_list_and_get_for_a_field_worker(two_cases, workers):  # type: ignore[no-untyped-def]
    sobo, tugung = two_cases
    client = api(workers["bidan"])
    rows = client.get(f"{API}/cases").json()
    assert [r["name"] for r in rows] == ["Rina Wati"]
    assert rows[0]["nik"] == "3510********0001"
    detail = client.get(f"{API}/cases/{sobo.pk}").json()
    assert detail["tasks"][0]["kind"] == "verify"
    assert client.get(f"{API}/cases/{tugung.pk}").status_code == 404
    assert api().get(f"{API}/cases").status_code == 401


def test_transition_and_assign(two_cases, workers, people, agencies):  # type: ignore[no-untyped-def]
    sobo, _ = two_cases
    bidan = api(workers["bidan"])
    response = bidan.post(
        f"{API}/cases/{sobo.pk}/transition",
        {"status": "resolved", "outcome": "safe_delivery"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "bad_transition"
    response = bidan.post(
        f"{API}/cases/{sobo.pk}/transition", {"status": "verified"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "verified"
    # a field worker cannot reassign; the programme's agency head can
    response = bidan.post(
        f"{API}/cases/{sobo.pk}/assign",
        {"user_id": workers["bidan_jambewangi"].pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    head = UserFactory(
        username="kadinkes", role=Role.AGENCY_HEAD, region=sobo.region, agency=agencies["b"]
    )
    response = api(head).post(
        f"{API}/cases/{sobo.pk}/assign",
        {"user_id": workers["bidan_jambewangi"].pk},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["assigned_to"] == "bidan.jambewangi"


def test_screening_through_the_api(two_cases, workers):  # type: ignore[no-untyped-def]
    sobo, _ = two_cases
    response = api(workers["bidan"]).post(
        f"{API}/cases/{sobo.pk}/screenings",
        {"items": ["2b", "6"], "gestation_weeks": 12},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["score"], response.json()["group"]) == (10, "KRT")


def test_reporter_token_submits_once(area, programmes, workers):  # type: ignore[no-untyped-def]
    user = UserFactory(username="kader.ani", role=Role.CITIZEN, region=area["regency"])
    _, token = services.reporter_register(
        user=user, kind=Reporter.Kind.KADER, programmes=[programmes["maternal"]]
    )
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {
        "programme": "maternal",
        "client_id": "0d3c4b5a-6978-4a1b-8c2d-3e4f5a6b7c8d",
        "name": "Ny. Lilis",
        "village_code": area["jambewangi"].code,
        "age_years": 22,
    }
    first = client.post(f"{API}/reports", body, content_type="application/json")
    assert first.status_code == 201 and first.json()["status"] == "received"
    again = client.post(f"{API}/reports", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Report.objects.count() == 1
    assert Case.objects.get().assigned_to == workers["bidan_jambewangi"]
    other = client.post(
        f"{API}/reports", {**body, "programme": "garda_ampuh"}, content_type="application/json"
    )
    assert other.status_code == 404
    bad = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION="Bearer salah")
    assert bad.post(f"{API}/reports", body, content_type="application/json").status_code == 401


def test_kspr_endpoint(db) -> None:  # type: ignore[no-untyped-def]
    client = api()
    body = client.post(f"{API}/kspr", {"items": ["1", "10", "17"]}, content_type="application/json")
    assert body.status_code == 200 and body.json()["group"] == "KRST"
    bad = client.post(f"{API}/kspr", {"items": ["42"]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "items"


def test_prescription_dispatch_and_signed_callback(area, programmes, pharmacist):  # type: ignore[no-untyped-def]
    with CourierSimulator(api_key="k", secret="rahasia") as sim:
        CourierPartner.objects.create(
            region=area["regency"],
            code="sim",
            name="Sim",
            base_url=sim.url,
            api_key="k",
            webhook_secret="rahasia",
            timeout_seconds=2,
        )
        client = api(pharmacist)
        created = client.post(
            f"{API}/prescriptions",
            {
                "rx_number": "RX-9",
                "patient_name": "Mbah Sarip",
                "village_code": area["sobo"].code,
                "address": "Jl. Kenanga 2",
                "phone": "0812",
                "distance_km": "12.0",
            },
            content_type="application/json",
        )
        assert created.status_code == 201
        rx = created.json()
        assert rx["eligibility"] == "paying" and rx["tariff"] == 28_000
        dispatch = client.post(f"{API}/prescriptions/{rx['id']}/dispatch")
        assert dispatch.status_code == 201
        from terpadu.outreach.programmes import medicine

        medicine.dispatch_send(dispatch_id=dispatch.json()["id"])
        status = client.get(f"{API}/dispatches/{dispatch.json()['id']}").json()
        assert status["status"] == "accepted"
        row = Dispatch.objects.get()
        job = sim.job_for(row.idempotency_key)
        body = sim.webhook_body(job, "delivered", recipient_name="Sarip", otp=rx["one_time_code"])
        anonymous = api()
        forged = anonymous.post(
            f"{API}/courier/callback",
            body,
            content_type="application/json",
            **{
                f"HTTP_{k.upper().replace('-', '_')}": v
                for k, v in courier.signed_headers("tebakan", body).items()
                if k != "Content-Type"
            },
        )
        assert forged.status_code == 401
        row.refresh_from_db()
        assert row.status == "accepted"
        good = anonymous.post(
            f"{API}/courier/callback",
            body,
            content_type="application/json",
            **{
                f"HTTP_{k.upper().replace('-', '_')}": v
                for k, v in courier.signed_headers("rahasia", body).items()
                if k != "Content-Type"
            },
        )
        assert good.status_code == 200 and good.json() == {"ok": True, "applied": True}
        row.refresh_from_db()
        assert row.status == "delivered"
        # through the simulator's own webhook sender too (a live server is not needed: the
        # body and headers are the same bytes)
        assert json.loads(body)["reference"] == row.idempotency_key


def test_programme_report_has_no_personal_data(two_cases, people):  # type: ignore[no-untyped-def]
    response = api(people["supervisor"]).get(f"{API}/programmes/maternal/report")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Rina" not in text and response.json()["totals"]["found"] == 2
    assert api(people["citizen"]).get(f"{API}/programmes/maternal/report").status_code == 404
