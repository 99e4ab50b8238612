"""Public gallery pages, editing through the office pages, photos and documents."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from terpadu.core.models import AuditEntry
from terpadu.gallery.models import Innovation
from terpadu.gallery.services import innovation_create, manual_figure_add
from terpadu.gallery.tests.conftest import H, client_for, jpeg_bytes, open_cases

pytestmark = pytest.mark.django_db


def test_gallery_filters_by_theme_stage_region_and_measured_impact(
    innovation, garda, regions, agencies
):
    open_cases(garda, regions["bwi_village"], 2)
    manual_only = innovation_create(
        actor=None,
        agency=agencies["b"],
        name="Laskar SAKINA",
        theme="health",
        stage="replicated",
        is_public=True,
    )
    manual_figure_add(
        actor=None,
        innovation=manual_only,
        label="Kasus bumil risti ditemukan",
        value="7",
        period_label="2016",
        source="presnapress",
    )
    innovation_create(
        actor=None, agency=agencies["jember"], name="Inovasi Jember", theme="health", is_public=True
    )
    c = client_for()
    body = c.get("/inovasi/", **H).content.decode()
    assert body.index("Garda Ampuh") < body.index("Laskar SAKINA")  # measured first
    assert "Terukur" in body and "Angka manual" in body

    def names(**params: str) -> set[str]:
        page = c.get("/inovasi/", params, **H).content.decode()
        return {n for n in ("Garda Ampuh", "Laskar SAKINA", "Inovasi Jember") if n in page}

    assert names(tema="health") == {"Laskar SAKINA", "Inovasi Jember"}
    assert names(tahap="replicated") == {"Laskar SAKINA"}
    assert names(daerah="35.09") == {"Inovasi Jember"}
    assert names(dampak="terukur") == {"Garda Ampuh"}
    assert names(dampak="manual") == {"Laskar SAKINA"}
    assert names(q="putus sekolah") == {"Garda Ampuh"}
    assert names(tema="bukan-tema") == {"Garda Ampuh", "Laskar SAKINA", "Inovasi Jember"}


def test_innovation_page_has_charts_tables_and_definitions(innovation, garda, regions):
    open_cases(garda, regions["bwi_village"], 3)
    body = client_for().get("/inovasi/garda-ampuh/", **H).content.decode()
    assert "<svg" in body and 'role="img"' in body and "<desc" in body
    assert "Tabel data tren" in body and "Definisi" in body
    assert 'style="' not in body and "<script>" not in body


def test_officer_edits_and_every_change_is_audited(people, agencies):
    officer = people["agency_officer"]
    c = client_for(officer)
    response = c.post(
        "/kantor/inovasi/baru/",
        {
            "agency": agencies["a"].pk,
            "name": "Akta Kilat",
            "theme": "civil_registration",
            "stage": "pilot",
        },
        **H,
    )
    assert response.status_code == 302
    innovation = Innovation.objects.get(name="Akta Kilat")
    assert innovation.agency == agencies["a"] and not innovation.is_public
    # an officer cannot create for another agency (the choice is not offered)
    refused = c.post(
        "/kantor/inovasi/baru/",
        {"agency": agencies["b"].pk, "name": "Lain", "theme": "health", "stage": "idea"},
        **H,
    )
    assert refused.status_code == 200 and not Innovation.objects.filter(name="Lain").exists()
    edit = f"/kantor/inovasi/{innovation.pk}/"
    data = {
        "agency": agencies["a"].pk,
        "name": "Akta Kilat",
        "theme": "civil_registration",
        "stage": "running",
        "is_public": "on",
        "tagline": "Akta lahir selesai di rumah sakit",
    }
    assert c.post(edit, data, **H).status_code == 302
    innovation.refresh_from_db()
    assert innovation.stage == "running" and innovation.is_public
    bad = c.post(
        edit + "tambah/figure/",
        {
            "figure-label": "Akta terbit",
            "figure-value": "abc",
            "figure-period_label": "2025",
            "figure-source": "",
        },
        **H,
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Isi angka yang sah" in text or "Sumber" in text
    assert innovation.manual_figures.count() == 0
    ok = c.post(
        edit + "tambah/figure/",
        {
            "figure-label": "Akta terbit",
            "figure-value": "1.250",
            "figure-period_label": "2025",
            "figure-source": "Laporan Dispendukcapil 2025",
        },
        **H,
    )
    assert ok.status_code == 302
    assert str(innovation.manual_figures.get().value) == "1250.00"
    c.post(
        edit + "tambah/award/",
        {
            "award-year": 2019,
            "award-name": "Top 99",
            "award-giver": "KemenPANRB",
            "award-level": "national",
        },
        **H,
    )
    assert innovation.awards.count() == 1
    actions = list(
        AuditEntry.objects.filter(record_id=str(innovation.pk)).values_list("action", flat=True)
    )
    for action in (
        "gallery.innovation_create",
        "gallery.innovation_update",
        "gallery.manual_figure_add",
        "gallery.award_add",
    ):
        assert action in actions


def test_photos_are_checked_by_content_and_served_through_a_view(innovation, people):
    c = client_for(people["supervisor"])
    url = f"/kantor/inovasi/{innovation.pk}/tambah/photo/"
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    refused = c.post(url, {"photo-photo": fake, "photo-alt_text": "Tim"}, **H)
    assert refused.status_code == 400 and "JPEG atau PNG" in refused.content.decode()
    assert innovation.photos.count() == 0
    real = SimpleUploadedFile("x.png", jpeg_bytes(), content_type="image/png")
    assert (
        c.post(url, {"photo-photo": real, "photo-alt_text": "Tim Garda Ampuh"}, **H).status_code
        == 302
    )
    photo = innovation.photos.get()
    assert photo.content_type == "image/jpeg"  # decided by content, not by name or header
    assert "/static/" not in photo.file.path
    served = client_for().get(f"/inovasi/garda-ampuh/foto/{photo.pk}/", **H)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content).startswith(b"\xff\xd8\xff")
    page = client_for().get("/inovasi/garda-ampuh/", **H).content.decode()
    assert 'alt="Tim Garda Ampuh"' in page


def test_documents_pdf_only_by_content(innovation, people):
    c = client_for(people["supervisor"])
    url = f"/kantor/inovasi/{innovation.pk}/tambah/document/"
    exe = SimpleUploadedFile("sop.pdf", b"MZ\x90\x00", content_type="application/pdf")
    assert c.post(url, {"document-document": exe, "document-title": "SOP"}, **H).status_code == 400
    pdf = SimpleUploadedFile("sop.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    assert c.post(url, {"document-document": pdf, "document-title": "SOP"}, **H).status_code == 302
    document = innovation.documents.get()
    served = client_for().get(f"/inovasi/garda-ampuh/dokumen/{document.pk}/", **H)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
