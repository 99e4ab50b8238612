"""The citizen's form, photos, the reporter's page, the office pages and exports, as users see them."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from terpadu.complaints import services
from terpadu.complaints.models import Complaint, ComplaintPhoto, RateCounter
from terpadu.complaints.tests.conftest import jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db
H = {"HTTP_HOST": "127.0.0.1"}
SECRET_NAME = "Wahyu Rahasiawan"
SECRET_PHONE = "081299990000"


def form_data(regions, **extra):  # type: ignore[no-untyped-def]
    data = {
        "text": "Lampu jalan di depan balai desa mati sudah dua minggu, rawan kecelakaan.",
        "village": str(regions["bwi_village"].pk),
        "address": "Jl. Sobo depan balai desa",
        "reporter_name": "Siti Aminah",
        "reporter_phone": "0812-3456-7890",
    }
    data.update(extra)
    return data


def tracking_code(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"/pengaduan/lacak/([A-Z0-9-]{14})/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def test_citizen_files_with_photo_and_sees_tracking_code(
    client, regions, agencies, categories, uploads
):
    photo = SimpleUploadedFile("IMG_1.jpg", jpeg_bytes(maker="SpyCam GPS 9000"), "image/jpeg")
    response = client.post("/pengaduan/baru/", {**form_data(regions), "photos": [photo]}, **H)
    assert response.status_code == 302
    code = tracking_code(response)
    page = client.get(response["Location"], **H).content.decode()
    assert "Pengaduan diterima" in page and code in page
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.channel == "web" and complaint.reporter_phone == "081234567890"
    photo = ComplaintPhoto.objects.get(complaint=complaint)
    stored = (uploads / photo.file.name).read_bytes()
    assert stored.startswith(b"\xff\xd8\xff")
    assert b"SpyCam" not in stored  # metadata gone
    assert not Image.open(io.BytesIO(stored)).getexif()
    # the reporter (by code) sees the photo; nobody else without access does
    assert client.get(f"/pengaduan/lacak/{code}/foto/{photo.pk}/", **H).status_code == 200
    assert client.get(f"/kantor/pengaduan/foto/{photo.pk}/", **H).status_code == 302  # login
    other = services.complaint_submit(
        region=regions["banyuwangi"],
        channel="web",
        text="Pengaduan lain tentang sampah.",
        reporter=services.Reporter(name="B", phone="081200000001"),
        village=regions["bwi_village"],
    )
    assert (
        client.get(f"/pengaduan/lacak/{other.tracking_code}/foto/{photo.pk}/", **H).status_code
        == 404
    )


def test_png_accepted_and_text_file_rejected(client, regions, uploads):
    ok = client.post(
        "/pengaduan/baru/",
        {**form_data(regions), "photos": [SimpleUploadedFile("a.png", png_bytes(), "image/png")]},
        **H,
    )
    assert ok.status_code == 302
    fake = SimpleUploadedFile("b.jpg", b"<?php echo 'not an image'; ?>", "image/jpeg")
    bad = client.post("/pengaduan/baru/", {**form_data(regions), "photos": [fake]}, **H)
    assert bad.status_code == 400
    assert "Hanya foto JPEG atau PNG" in bad.content.decode()
    assert Complaint.objects.count() == 1


def test_bad_input_answers_per_field_and_saves_nothing(client, regions, settings, uploads):
    settings.COMPLAINT_PHOTO_MAX_BYTES = 50_000
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * 60_000, "image/jpeg")
    response = client.post("/pengaduan/baru/", {**form_data(regions), "photos": [big]}, **H)
    assert response.status_code == 400
    assert "Ukuran foto melebihi" in response.content.decode()

    response = client.post(
        "/pengaduan/baru/", form_data(regions, lat="-8.2abc", long="114.36"), **H
    )
    assert response.status_code == 400
    assert "Koordinat harus berupa angka desimal" in response.content.decode()
    response = client.post("/pengaduan/baru/", form_data(regions, lat="51.5", long="-0.12"), **H)
    assert "di luar wilayah Indonesia" in response.content.decode()

    response = client.post("/pengaduan/baru/", form_data(regions, text="x" * 3001), **H)
    assert response.status_code == 400 and "Paling banyak 3000 huruf" in response.content.decode()

    response = client.post("/pengaduan/baru/", form_data(regions, reporter_phone=""), **H)
    assert "Nomor HP wajib diisi" in response.content.decode()
    body = response.content.decode()
    assert 'aria-invalid="true"' in body

    assert Complaint.objects.count() == 0
    assert RateCounter.objects.count() == 0
    assert not uploads.exists() or not any(uploads.rglob("*.jpg"))


def test_rate_limit_per_address_and_per_phone(client, regions, settings):
    settings.COMPLAINT_RATE_LIMITS = {
        "address": (2, 3600),
        "phone": (100, 86400),
        "client": (9, 60),
    }
    for i in range(2):
        ok = client.post(
            "/pengaduan/baru/", form_data(regions, reporter_phone=f"08123456780{i}"), **H
        )
        assert ok.status_code == 302
    blocked = client.post(
        "/pengaduan/baru/", form_data(regions, reporter_phone="081234567809"), **H
    )
    assert blocked.status_code == 429
    assert "Terlalu banyak pengaduan" in blocked.content.decode()
    # another address, same phone twice over its own limit
    settings.COMPLAINT_RATE_LIMITS = {
        "address": (100, 3600),
        "phone": (1, 86400),
        "client": (9, 60),
    }
    assert (
        client.post(
            "/pengaduan/baru/",
            form_data(regions, reporter_phone="085700000001"),
            REMOTE_ADDR="10.1.1.1",
            **H,
        ).status_code
        == 302
    )
    second = client.post(
        "/pengaduan/baru/",
        form_data(regions, reporter_phone="0857-0000-0001"),
        REMOTE_ADDR="10.1.1.2",
        **H,
    )
    assert second.status_code == 429
    assert Complaint.objects.count() == 3
    # the counters hold no phone number or address in the clear
    assert not RateCounter.objects.filter(key__contains="0857").exists()


def _anonymous_complaint(client, regions, agencies, people):  # type: ignore[no-untyped-def]
    response = client.post(
        "/pengaduan/baru/",
        form_data(
            regions,
            reporter_name=SECRET_NAME,
            reporter_phone=SECRET_PHONE,
            reporter_email="wahyu.rahasia@example.org",
            is_anonymous="on",
            lat="-8.2192",
            long="114.3691",
        ),
        **H,
    )
    complaint = Complaint.objects.get(tracking_code=tracking_code(response))
    services.complaint_dispose(user=people["supervisor"], complaint=complaint, agency=agencies["a"])
    return complaint


def _assert_hidden(text: str) -> None:
    for secret in (SECRET_NAME, SECRET_PHONE, "0812-9999-0000", "wahyu.rahasia"):
        assert secret not in text


def test_anonymous_reporter_never_visible_to_the_agency(client, regions, agencies, people):
    complaint = _anonymous_complaint(client, regions, agencies, people)
    client.force_login(people["agency_officer"])
    _assert_hidden(client.get("/kantor/pengaduan/", **H).content.decode())
    detail = client.get(f"/kantor/pengaduan/{complaint.pk}/", **H)
    assert detail.status_code == 200
    _assert_hidden(detail.content.decode())
    assert "Dirahasiakan (pelapor memilih anonim)" in detail.content.decode()
    export = b"".join(client.get("/kantor/pengaduan/ekspor.csv", **H).streaming_content).decode()
    assert complaint.public_ref in export
    _assert_hidden(export)
    api = client.get(f"/api/v1/complaints/{complaint.pk}", **H)
    assert api.status_code == 200 and api.json()["reporter"] is None
    _assert_hidden(api.content.decode())
    _assert_hidden(client.get("/api/v1/complaints", **H).content.decode())
    # the head of the agency neither
    client.force_login(people["agency_head"])
    _assert_hidden(client.get(f"/kantor/pengaduan/{complaint.pk}/", **H).content.decode())
    # public pages and Open311
    client.logout()
    for url in (
        "/pengaduan/",
        f"/pengaduan/{complaint.pk}/",
        "/api/v1/complaints/public",
        f"/open311/v2/requests/{complaint.pk}.json",
        f"/open311/v2/requests/{complaint.pk}.xml",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/pengaduan/lacak/{complaint.tracking_code}/",
    ):
        response = client.get(url, **H)
        assert response.status_code == 200, url
        _assert_hidden(response.content.decode())
    # the complaint manager does see who it is
    client.force_login(people["supervisor"])
    assert SECRET_NAME in client.get(f"/kantor/pengaduan/{complaint.pk}/", **H).content.decode()
    export = b"".join(client.get("/kantor/pengaduan/ekspor.csv", **H).streaming_content).decode()
    assert SECRET_PHONE in export


def test_named_reporter_visible_to_own_agency_only(client, regions, agencies, people):
    response = client.post(
        "/pengaduan/baru/", form_data(regions, reporter_name="Budi Terbuka"), **H
    )
    complaint = Complaint.objects.get(tracking_code=tracking_code(response))
    client.force_login(people["agency_officer"])
    assert (
        client.get(f"/kantor/pengaduan/{complaint.pk}/", **H).status_code == 404
    )  # not disposed yet
    services.complaint_dispose(user=people["supervisor"], complaint=complaint, agency=agencies["a"])
    assert "Budi Terbuka" in client.get(f"/kantor/pengaduan/{complaint.pk}/", **H).content.decode()
    from terpadu.core.testing import UserFactory

    other = UserFactory(role="agency_officer", region=regions["banyuwangi"], agency=agencies["b"])
    client.force_login(other)
    assert client.get(f"/kantor/pengaduan/{complaint.pk}/", **H).status_code == 404
    assert client.get(f"/api/v1/complaints/{complaint.pk}", **H).status_code == 404
    client.force_login(people["citizen"])
    assert client.get("/kantor/pengaduan/", **H).status_code == 404
    assert "Budi Terbuka" not in client.get("/pengaduan/", **H).content.decode()


def test_confidential_complaint_stays_off_the_public_list(client, regions):
    response = client.post(
        "/pengaduan/baru/",
        form_data(regions, is_confidential="on", text="Pungutan liar di loket X oleh oknum."),
        **H,
    )
    complaint = Complaint.objects.get(tracking_code=tracking_code(response))
    assert "Pungutan liar" not in client.get("/pengaduan/", **H).content.decode()
    assert client.get(f"/pengaduan/{complaint.pk}/", **H).status_code == 404
    assert client.get(f"/open311/v2/requests/{complaint.pk}.json", **H).status_code == 404
    # the reporter still follows it by code
    assert (
        "Pungutan liar"
        in client.get(f"/pengaduan/lacak/{complaint.tracking_code}/", **H).content.decode()
    )


def test_public_text_is_scrubbed_of_numbers_and_addresses(client, regions):
    client.post(
        "/pengaduan/baru/",
        form_data(
            regions, text="Hubungi saya di 0812 3456 7891 atau a.b@contoh.id, NIK 3510014508900001."
        ),
        **H,
    )
    page = client.get("/pengaduan/", **H).content.decode()
    assert "3456" not in page and "a.b@contoh.id" not in page and "3510014508900001" not in page
    assert "[nomor disembunyikan]" in page


def test_office_flow_through_html(client, regions, agencies, categories, people):
    response = client.post("/pengaduan/baru/", form_data(regions), **H)
    code = tracking_code(response)
    complaint = Complaint.objects.get(tracking_code=code)
    client.force_login(people["supervisor"])
    page = client.get(f"/kantor/pengaduan/{complaint.pk}/", **H).content.decode()
    assert "Verifikasi dan disposisi" in page
    response = client.post(
        f"/kantor/pengaduan/{complaint.pk}/disposisi/",
        {"agency": agencies["a"].pk, "category": categories["ringan"].pk},
        **H,
    )
    assert response.status_code == 302
    client.force_login(people["agency_officer"])
    bad = client.post(f"/kantor/pengaduan/{complaint.pk}/tanggapi/", {"answer": "ok"}, **H)
    assert bad.status_code == 400 and "Tuliskan tindak lanjutnya" in bad.content.decode()
    good = client.post(
        f"/kantor/pengaduan/{complaint.pk}/tanggapi/",
        {"answer": "Lampu sudah diganti oleh Dinas Perhubungan."},
        **H,
    )
    assert good.status_code == 302
    client.logout()
    page = client.get(f"/pengaduan/lacak/{code}/", **H).content.decode()
    assert "Lampu sudah diganti" in page and "Ya, sudah selesai" in page
    assert client.post(f"/pengaduan/lacak/{code}/selesai/", **H).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    # counter intake by the front desk
    client.force_login(people["front_desk"])
    response = client.post("/kantor/pengaduan/baru/", form_data(regions, reporter_phone=""), **H)
    assert response.status_code == 302
    assert Complaint.objects.filter(channel="counter").count() == 1


def test_track_lookup_normalises_and_hides_unknown(client, regions):
    response = client.post("/pengaduan/baru/", form_data(regions), **H)
    code = tracking_code(response)
    lookup = client.get("/pengaduan/lacak/", {"kode": code.lower().replace("-", " ")}, **H)
    assert lookup.status_code == 302 and lookup["Location"] == f"/pengaduan/lacak/{code}/"
    assert client.get("/pengaduan/lacak/AAAA-AAAA-AAAA/", **H).status_code == 404
    assert client.get("/pengaduan/lacak/", {"kode": "123"}, **H).status_code == 400


def test_api_submit_and_track(client, regions, categories):
    response = client.post(
        "/api/v1/complaints",
        {
            "text": "Pelayanan KIA di MPP lambat sekali.",
            "village_code": regions["bwi_village"].code,
            "category_code": "adminduk",
            "reporter_phone": "081234500000",
        },
        content_type="application/json",
        **H,
    )
    assert response.status_code == 201, response.content
    code = response.json()["tracking_code"]
    track = client.get(f"/api/v1/complaints/track/{code}", **H).json()
    assert track["status"] == "submitted" and track["events"][0]["kind"] == "submitted"
    bad = client.post(
        "/api/v1/complaints",
        {"text": "pendek", "lat": 95, "long": 114},
        content_type="application/json",
        **H,
    )
    assert bad.status_code == 400
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"text", "lat"} <= fields
    assert Complaint.objects.count() == 1
