"""Pages: worklist and case page by role, masked NIK, KSPR form, photos behind an access
check, the reporter's page (JSON for the offline queue), the pharmacy list, home cards."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from terpadu.accounts.models import Role
from terpadu.core.testing import UserFactory
from terpadu.outreach import services
from terpadu.outreach.models import Case, CaseView, Report, Reporter, Screening

from .conftest import jpeg_bytes, resident

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


@pytest.fixture
def cases(area, programmes, workers):  # type: ignore[no-untyped-def]
    girl = resident(area["sobo"], "Ayu Lestari", date(2010, 7, 1))
    garda = services.case_open(
        programme=programmes["garda_ampuh"],
        village=area["sobo"],
        name=girl.name,
        subject_key=f"resident:{girl.pk}",
        source=Case.Source.COHORT,
        resident=girl,
        nik=girl.nik,
    )
    sobo = services.case_open(
        programme=programmes["maternal"],
        village=area["sobo"],
        name="Rina Wati",
        subject_key="report:aaaaaaaa1",
        source=Case.Source.REPORT,
        nik="3510164101990001",
    )
    tugung = services.case_open(
        programme=programmes["maternal"],
        village=area["jambewangi"],
        name="Sri Utami",
        subject_key="report:bbbbbbbb2",
        source=Case.Source.REPORT,
    )
    return {"garda": garda, "sobo": sobo, "jambewangi": tugung}


def test_field_worker_sees_only_their_desa_and_masked_nik(cases, workers):  # type: ignore[no-untyped-def]
    bidan = client_for(workers["bidan"])
    page = bidan.get("/lapangan/").content.decode()
    assert "Rina Wati" in page and "Sri Utami" not in page and "Ayu Lestari" not in page
    detail = bidan.get(f"/lapangan/kasus/{cases['sobo'].pk}/")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "3510164101990001" not in html and "3510********0001" in html
    assert bidan.get(f"/lapangan/kasus/{cases['jambewangi'].pk}/").status_code == 404
    assert bidan.get(f"/lapangan/kasus/{cases['garda'].pk}/").status_code == 404
    assert bidan.get("/lapangan/kasus/999999/").status_code == 404
    assert CaseView.objects.filter(user=workers["bidan"], case=cases["sobo"]).count() == 1


def test_health_cases_only_for_health_roles(cases, people, workers):  # type: ignore[no-untyped-def]
    supervisor = client_for(people["supervisor"])
    assert supervisor.get(f"/lapangan/kasus/{cases['sobo'].pk}/").status_code == 404
    assert supervisor.get(f"/lapangan/kasus/{cases['garda'].pk}/").status_code == 200
    report = supervisor.get("/program/maternal/")
    assert report.status_code == 200 and "Rina Wati" not in report.content.decode()
    dukcapil = client_for(people["agency_officer"])
    assert dukcapil.get(f"/lapangan/kasus/{cases['sobo'].pk}/").status_code == 404
    citizen = client_for(people["citizen"])
    assert citizen.get("/lapangan/").status_code == 404
    anonymous = Client(HTTP_HOST="127.0.0.1")
    assert anonymous.get("/lapangan/").status_code == 302


def test_kspr_form_on_the_case_page(cases, workers):  # type: ignore[no-untyped-def]
    bidan = client_for(workers["bidan"])
    url = f"/lapangan/kasus/{cases['sobo'].pk}/kspr/"
    response = bidan.post(url, {"items": ["10", "17"], "gestation_weeks": "20"}, follow=True)
    assert "KSPR 18: KRST" in response.content.decode()
    cases["sobo"].refresh_from_db()
    assert cases["sobo"].status == "in_progress"
    bad = bidan.post(url, {"items": ["1"], "gestation_weeks": "dua puluh"})
    assert bad.status_code == 400 and "Isi dengan angka" in bad.content.decode()
    assert Screening.objects.count() == 1


def test_status_form_errors_are_shown_by_field(cases, workers):  # type: ignore[no-untyped-def]
    pendamping = client_for(workers["pendamping"])
    url = f"/lapangan/kasus/{cases['garda'].pk}/status/"
    response = pendamping.post(url, {"status": "lost", "note": ""})
    assert response.status_code == 400
    assert "Tuliskan alasannya" in response.content.decode()
    response = pendamping.post(url, {"status": "verified"})
    assert response.status_code == 302
    cases["garda"].refresh_from_db()
    assert cases["garda"].status == "verified"


def test_visit_photo_is_served_only_through_the_access_check(cases, workers, people):  # type: ignore[no-untyped-def]
    bidan = client_for(workers["bidan"])
    photo = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = bidan.post(
        f"/lapangan/kasus/{cases['sobo'].pk}/catatan/", {"text": "Kunjungan", "photos": [photo]}
    )
    assert response.status_code == 302
    photo_id = cases["sobo"].notes.get().photos.get().pk
    served = bidan.get(f"/lapangan/foto/{photo_id}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["Cache-Control"] == "private, no-store"
    assert (
        client_for(workers["bidan_jambewangi"]).get(f"/lapangan/foto/{photo_id}/").status_code
        == 404
    )
    assert client_for(people["supervisor"]).get(f"/lapangan/foto/{photo_id}/").status_code == 404


@pytest.fixture
def mlijo(area, programmes):  # type: ignore[no-untyped-def]
    user = UserFactory(username="mlijo.sumiati", role=Role.CITIZEN, region=area["regency"])
    reporter, token = services.reporter_register(
        user=user,
        kind=Reporter.Kind.MLIJO,
        programmes=[programmes["maternal"]],
        village=area["sobo"],
    )
    return {"user": user, "reporter": reporter, "token": token}


def test_reporter_page_accepts_once_per_client_id(mlijo, area, workers):  # type: ignore[no-untyped-def]
    client = client_for(mlijo["user"])
    page = client.get("/lapor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="module"' in html and "<script>" not in html
    data = {
        "programme": "maternal",
        "client_id": "5b0a7c3e-1111-4222-8333-444455556666",
        "name": "Bu Wulan",
        "village": area["sobo"].code,
        "age_years": "19",
        "signs": ["age_under_20"],
    }
    first = client.post("/lapor/", data, HTTP_ACCEPT="application/json")
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post("/lapor/", data, HTTP_ACCEPT="application/json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert Report.objects.count() == 1 and Case.objects.count() == 1
    case = Case.objects.get()
    assert case.assigned_to == workers["bidan"]
    bad = client.post(
        "/lapor/", {**data, "client_id": "x", "name": ""}, HTTP_ACCEPT="application/json"
    )
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"client_id", "name"}
    # the reporter sees only "received" / "followed up", not the midwife's findings
    mine = client.get("/lapor/").content.decode()
    assert "Bu Wulan" in mine and "Diterima" in mine
    assert client.get(f"/lapangan/kasus/{case.pk}/").status_code == 404


def test_reporter_page_without_javascript_redirects_with_a_message(mlijo, area):  # type: ignore[no-untyped-def]
    client = client_for(mlijo["user"])
    response = client.post(
        "/lapor/",
        {
            "programme": "maternal",
            "client_id": "5b0a7c3e-1111-4222-8333-444455550000",
            "name": "Bu Wulan",
            "village": area["sobo"].code,
        },
        follow=True,
    )
    assert "Laporan diterima" in response.content.decode()
    missing = client.post("/lapor/", {"programme": "maternal", "name": ""})
    assert missing.status_code == 400 and "Tulis nama orangnya" in missing.content.decode()


def test_reporter_page_needs_a_reporter_profile(people):  # type: ignore[no-untyped-def]
    assert client_for(people["citizen"]).get("/lapor/").status_code == 404
    sw = Client(HTTP_HOST="127.0.0.1").get("/lapor/sw.js")
    assert sw.status_code == 200 and sw["Service-Worker-Allowed"] == "/lapor/"


def test_pharmacy_marks_and_dispatches(area, programmes, pharmacist):  # type: ignore[no-untyped-def]
    from terpadu.outreach.courier_sim import CourierSimulator
    from terpadu.outreach.models import CourierPartner, Dispatch

    client = client_for(pharmacist)
    assert client.get("/farmasi/").status_code == 200
    bad = client.post("/farmasi/", {"rx_number": "", "distance_km": "jauh"})
    assert bad.status_code == 400
    assert "Isi nomor resep" in bad.content.decode() and "Jarak 0–150 km" in bad.content.decode()
    response = client.post(
        "/farmasi/",
        {
            "rx_number": "RX-77",
            "patient_name": "Pak Darmo",
            "village": area["sobo"].code,
            "address": "Jl. Mawar 1",
            "phone": "081234",
            "distance_km": "3,5",
            "pbi": "1",
        },
        follow=True,
    )
    assert "Kode serah terima pasien" in response.content.decode()
    rx = programmes["medicine"].cases.get().prescription
    with CourierSimulator(api_key="k", secret="s") as sim:
        CourierPartner.objects.create(
            region=area["regency"],
            code="sim",
            name="Sim",
            base_url=sim.url,
            api_key="k",
            webhook_secret="s",
        )
        assert client.post(f"/farmasi/resep/{rx.pk}/kirim/").status_code == 302
    assert Dispatch.objects.get().status == "pending"
    other = UserFactory(
        username="petugas.lain",
        role=Role.AGENCY_OFFICER,
        region=area["regency"],
        agency=programmes["dispendik"],
    )
    assert client_for(other).get("/farmasi/").status_code == 404


def test_home_cards_by_role(cases, workers, people, mlijo, pharmacist):  # type: ignore[no-untyped-def]
    from terpadu.outreach.home import cards

    titles = [c.title for c in cards(workers["bidan"])]
    assert titles == ["Kasus lapangan saya"]
    assert "1 terbuka" in cards(workers["bidan"])[0].body
    assert [c.url for c in cards(people["supervisor"])] == ["/program/"]
    assert [c.url for c in cards(mlijo["user"])] == ["/lapor/"]
    assert "/farmasi/" in [c.url for c in cards(pharmacist)]
    assert cards(people["citizen"]) == []
    home = client_for(workers["bidan"]).get("/beranda/").content.decode()
    assert "/lapangan/" in home


def test_anyone_can_report_a_young_person_out_of_school(area, programmes, workers):  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="127.0.0.1")
    page = client.get("/garda-ampuh/lapor/")
    assert page.status_code == 200
    client_id = page.context["client_id"]
    data = {
        "client_id": client_id,
        "name": "Rizky Pratama",
        "village": area["sobo"].code,
        "age_years": "15",
        "signs": ["working"],
        "reporter_kind": "Ketua RT/RW",
        "reporter_name": "Pak Harun",
    }
    response = client.post("/garda-ampuh/lapor/", data, follow=True)
    assert "Laporan diterima" in response.content.decode()
    client.post("/garda-ampuh/lapor/", data)  # the same form sent twice
    report = Report.objects.get()
    assert report.reporter is None and report.reporter_label == "Ketua RT/RW Pak Harun"
    assert report.case.assigned_to == workers["pendamping"] and report.case.level == "rt"
    assert report.source_key and "127.0.0.1" not in report.source_key
    bad = client.post("/garda-ampuh/lapor/", {**data, "client_id": "abcdefgh-1", "name": ""})
    assert bad.status_code == 400 and "Tulis nama orangnya" in bad.content.decode()
    for i in range(4):
        client.post(
            "/garda-ampuh/lapor/", {**data, "client_id": f"abcdefgh-{i + 2}", "name": f"Anak {i}"}
        )
    limited = client.post(
        "/garda-ampuh/lapor/", {**data, "client_id": "abcdefgh-9", "name": "Lagi"}
    )
    assert limited.status_code == 429 and Report.objects.count() == 5
