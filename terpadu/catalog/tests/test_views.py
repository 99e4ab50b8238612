"""Public catalogue pages and the office maintenance pages."""

from __future__ import annotations

import pytest
from django.test import Client

from terpadu.catalog.models import Service, ServiceVersion
from terpadu.catalog.testing import make_service

pytestmark = pytest.mark.django_db

COMPONENTS = (
    "Persyaratan",
    "Sistem, mekanisme dan prosedur",
    "Jangka waktu pelayanan",
    "Biaya/tarif",
    "Produk pelayanan",
    "Penanganan pengaduan, saran dan masukan",
)


def client_for(user=None) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def test_public_pages_without_login(demo_catalog):
    client = client_for()
    home = client.get("/layanan/")
    assert home.status_code == 200
    body = home.content.decode()
    assert "Kelahiran bayi" in body and "Dinas Kependudukan" in body

    found = client.get("/layanan/cari/", {"q": "akte lahir"})
    assert found.status_code == 200
    assert "<html" in found.content.decode()  # works without JavaScript: a full page
    assert found.content.decode().index("Akta Kelahiran") > 0

    fragment = client.get("/layanan/cari/", {"q": "akta kelahran"}, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "<html" not in text and 'id="hasil"' in text and "Akta Kelahiran" in text

    page = client.get("/layanan/akta-kelahiran/")
    text = page.content.decode()
    assert page.status_code == 200
    for label in COMPONENTS:
        assert label in text
    assert "Gratis" in text and "1 hari kerja" in text
    assert "Surat keterangan kelahiran" in text
    assert "Dasar hukum" in text and "Evaluasi kinerja pelaksana" in text  # management section
    assert "loket" in text

    sheet = client.get("/layanan/akta-kelahiran/cetak/")
    assert sheet.status_code == 200 and "STANDAR PELAYANAN" in sheet.content.decode()
    assert "print.css" in sheet.content.decode()

    paid = client.get("/layanan/paspor-baru/").content.decode()
    assert "Rp 350.000" in paid

    assert client.get("/layanan/instansi/dukcapil/").status_code == 200
    event = client.get("/layanan/peristiwa/kelahiran/").content.decode()
    assert event.index("Akta Kelahiran") < event.index("Kartu Identitas Anak")
    assert client.get("/layanan/kategori/kependudukan/").status_code == 200
    assert client.get("/layanan/tidak-ada/").status_code == 404
    assert client.get("/layanan/peristiwa/tidak-ada/").status_code == 404


def test_unpublished_service_has_no_public_page(people, agencies):
    make_service(agency=agencies["a"], code="ktp-el", name="KTP-el", publish=False)
    assert client_for().get("/layanan/ktp-el/").status_code == 404


def test_queue_and_application_links_only_when_urls_exist(demo_catalog):
    text = client_for().get("/layanan/akta-kelahiran/").content.decode()
    from django.urls import NoReverseMatch, reverse

    for name, label in (
        ("queueing:booking_new", "Ambil antrean"),
        ("applications:apply", "Ajukan daring"),
    ):
        try:
            reverse(name)
            exists = True
        except NoReverseMatch:
            exists = False
        if not exists:
            assert label not in text


@pytest.fixture
def two_services(agencies):
    return (
        make_service(agency=agencies["a"], code="akta-kelahiran", name="Akta Kelahiran"),
        make_service(agency=agencies["b"], code="imunisasi", name="Imunisasi"),
    )


def form_data(service: Service, **overrides):
    v = service.current_version
    data = {
        "name": service.name,
        "aliases": "akte lahir",
        "summary": "",
        "category": "",
        "online_available": "on",
        "booking_available": "on",
        "is_active": "on",
        "requirements": "\n".join(r["document"] for r in v.requirements),
        "procedure": "\n".join(v.procedure),
        "completion_time_value": "2",
        "completion_time_unit": "working_days",
        "fee_amount": "0",
        "fee_legal_basis": v.fee_legal_basis,
        "product": v.product,
        "complaint_channel": v.complaint_channel,
        "legal_basis": v.legal_basis,
        "facilities": v.facilities,
        "staff_competence": "",
        "internal_control": "",
        "staff_count": "",
        "service_guarantee": "",
        "safety_guarantee": "",
        "performance_evaluation": "",
        "extra_fields": "",
        "change_note": "2 hari kerja",
    }
    data.update(overrides)
    return data


def test_officer_cannot_open_other_agency_service(people, two_services):
    mine, theirs = two_services
    client = client_for(people["agency_officer"])
    assert client.get(f"/kantor/layanan/{mine.pk}/").status_code == 200
    other = client.get(f"/kantor/layanan/{theirs.pk}/")
    missing = client.get("/kantor/layanan/999999/")
    assert other.status_code == missing.status_code == 404
    post = client.post(f"/kantor/layanan/{theirs.pk}/", form_data(theirs))
    assert post.status_code == 404
    assert not ServiceVersion.objects.filter(service=theirs, status="draft").exists()
    listing = client.get("/kantor/layanan/").content.decode()
    assert "Akta Kelahiran" in listing and "Imunisasi" not in listing
    assert client_for(people["citizen"]).get("/kantor/layanan/").status_code == 404


def test_officer_saves_draft_head_publishes(people, two_services):
    service, _ = two_services
    officer = client_for(people["agency_officer"])
    response = officer.post(f"/kantor/layanan/{service.pk}/", form_data(service))
    assert response.status_code == 302
    draft = ServiceVersion.objects.get(service=service, status="draft")
    assert draft.completion_time_value == 2
    page = officer.get(f"/kantor/layanan/{service.pk}/").content.decode()
    assert "Terbitkan versi" not in page  # officers do not get the button
    refused = officer.post(f"/kantor/layanan/{service.pk}/terbitkan/", {})
    assert refused.status_code == 403
    # Citizens still see version 1.
    assert "1 hari kerja" in client_for().get("/layanan/akta-kelahiran/").content.decode()

    head = client_for(people["agency_head"])
    assert "Terbitkan versi 2" in head.get(f"/kantor/layanan/{service.pk}/").content.decode()
    done = head.post(f"/kantor/layanan/{service.pk}/terbitkan/", {"change_note": "ok"})
    assert done.status_code == 302
    assert "2 hari kerja" in client_for().get("/layanan/akta-kelahiran/").content.decode()


def test_bad_input_gets_field_level_messages_and_saves_nothing(people, two_services):
    service, _ = two_services
    officer = client_for(people["agency_officer"])
    response = officer.post(
        f"/kantor/layanan/{service.pk}/",
        form_data(service, name="", fee_amount="50000", fee_legal_basis="", extra_fields="{x"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"name", "extra_fields"}
    assert 'aria-invalid="true"' in response.content.decode()
    # Name fixed, but a paid service without a legal basis: caught by the service.
    response = officer.post(
        f"/kantor/layanan/{service.pk}/",
        form_data(service, fee_amount="50000", fee_legal_basis=""),
    )
    assert response.status_code == 400
    assert "fee_legal_basis" in response.context["form"].errors
    assert not ServiceVersion.objects.filter(service=service, status="draft").exists()
    service.refresh_from_db()
    assert service.aliases == []  # identity change rolled back with the content


def test_home_cards(people, two_services):
    citizen = client_for(people["citizen"]).get("/beranda/").content.decode()
    assert "/layanan/" in citizen
    officer = client_for(people["agency_officer"]).get("/beranda/").content.decode()
    assert "/kantor/layanan/" in officer
