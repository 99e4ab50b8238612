"""The whole path in Chromium at 360 px: a citizen applies for an akta kelahiran with uploads,
the Dukcapil officer asks for a correction, the citizen fixes it, the officer approves, the
PDF is issued, the citizen tracks it with code + NIK digits, and the QR page says "asli";
one changed character says "tidak valid"."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from terpadu.applications.tests.conftest import (
    AKTA_FIELDS,
    AKTA_REQUIREMENTS,
    NIK,
    jpeg_bytes,
    pdf_bytes,
)
from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def akta_service(agencies, settings, tmp_path):  # type: ignore[no-untyped-def]
    from terpadu.catalog.models import Service
    from terpadu.catalog.testing import make_service

    settings.TERPADU_HOME_REGION = "35.10"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    service = make_service(
        agency=agencies["a"],
        code="akta-kelahiran",
        name="Akta Kelahiran",
        requirements=AKTA_REQUIREMENTS,
        extra_fields=AKTA_FIELDS,
        completion_time_value=3,
        product="Kutipan Akta Kelahiran",
    )
    Service.objects.filter(pk=service.pk).update(online_available=True)
    return service


def no_overflow(page, width: int) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def file_payload(name: str, mime: str, data: bytes) -> dict[str, object]:
    return {"name": name, "mimeType": mime, "buffer": data}


def officer_step(page, base: str, app_id: int, button: str, reason: str = "") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/kantor/permohonan/{app_id}/")
    if reason:
        page.get_by_label("Alasan / catatan untuk pemohon").fill(reason)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(f"{base}/kantor/permohonan/{app_id}/")


def test_akta_kelahiran_whole_path(live_server, page_at, people, akta_service):  # type: ignore[no-untyped-def]
    base = live_server.url
    citizen_user = people["citizen"]
    citizen_user.first_name, citizen_user.last_name = "Siti", "Aminah"
    citizen_user.nik, citizen_user.email = NIK, "siti@example.org"
    citizen_user.save()

    # 1. the citizen applies on a phone
    citizen = page_at(360, 780)
    login(citizen, base, "warga", PASSWORD)
    citizen.goto(f"{base}/permohonan/baru/akta-kelahiran/")
    assert axe_violations(citizen) == []
    no_overflow(citizen, 360)
    citizen.get_by_label("Nama anak").fill("Bima Putra")
    citizen.get_by_label("Tanggal lahir anak").fill("2026-03-02")
    citizen.get_by_label("Tempat lahir anak").fill("Banyuwangi")
    citizen.get_by_label("Surat keterangan kelahiran dari bidan/rumah sakit").set_input_files(
        file_payload("sk-lahir.pdf", "application/pdf", pdf_bytes())
    )
    # first try without the KK: the missing document is named next to its field
    citizen.get_by_role("button", name="Ajukan permohonan").click()
    assert citizen.get_by_text("Unggah berkas: Kartu Keluarga (KK) orang tua.").is_visible()
    assert axe_violations(citizen) == []
    screenshot(citizen, "applications-1-missing-document-360")
    citizen.get_by_label("Surat keterangan kelahiran dari bidan/rumah sakit").set_input_files(
        file_payload("sk-lahir.pdf", "application/pdf", pdf_bytes())
    )
    citizen.get_by_label("Kartu Keluarga (KK) orang tua").set_input_files(
        file_payload("kk.jpg", "image/jpeg", jpeg_bytes(maker="HP Kamera"))
    )
    citizen.get_by_role("button", name="Ajukan permohonan").click()
    citizen.wait_for_url(re.compile(r"/permohonan/\d+/\?baru=1$"))
    app_id = int(re.search(r"/permohonan/(\d+)/", citizen.url).group(1))  # type: ignore[union-attr]
    code = citizen.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{3}-[0-9A-Z]{3}", code)
    assert axe_violations(citizen) == []
    no_overflow(citizen, 360)
    screenshot(citizen, "applications-2-receipt-360")

    # 2. the Dukcapil officer starts verification and asks for a correction
    officer = page_at(1280)
    login(officer, base, "petugas", PASSWORD)
    officer.goto(f"{base}/kantor/permohonan/")
    assert code in officer.content()
    officer.get_by_role("link", name=code).click()
    officer.get_by_role("button", name="Mulai verifikasi").click()
    officer.get_by_role("button", name="Minta perbaikan").click()  # no reason: refused
    assert officer.get_by_text("Alasan wajib diisi untuk tindakan ini.").first.is_visible()
    officer_step(
        officer, base, app_id, "Minta perbaikan", "Foto KK buram, unggah ulang yang jelas."
    )
    assert officer.get_by_test_id("status").inner_text() == "Perlu perbaikan"
    screenshot(officer, "applications-3-officer-correction-1280")

    # 3. the citizen sees the note and sends a new KK photo
    citizen.goto(f"{base}/permohonan/{app_id}/")
    assert "Foto KK buram, unggah ulang yang jelas." in citizen.locator("p.note").inner_text()
    assert citizen.get_by_text("Berhenti sementara sampai perbaikan Anda terkirim.").is_visible()
    assert axe_violations(citizen) == []
    no_overflow(citizen, 360)
    screenshot(citizen, "applications-4-correction-360")
    citizen.get_by_label("Kartu Keluarga (KK) orang tua").set_input_files(
        file_payload("kk-jelas.png", "image/png", _png())
    )
    citizen.get_by_role("button", name="Kirim perbaikan").click()
    citizen.wait_for_url(f"{base}/permohonan/{app_id}/")
    assert citizen.get_by_test_id("status").inner_text() == "Verifikasi berkas"

    # 4. the officer accepts and approves: the PDF is issued
    officer_step(officer, base, app_id, "Berkas lengkap, proses")
    officer_step(officer, base, app_id, "Setujui dan terbitkan")
    assert officer.get_by_test_id("status").inner_text() == "Disetujui"
    screenshot(officer, "applications-5-approved-1280")

    # 5. the citizen downloads the PDF; the verification code is printed under the QR
    citizen.goto(f"{base}/permohonan/{app_id}/")
    link = citizen.get_by_test_id("document-link")
    assert link.is_visible()
    response = citizen.request.get(f"{base}/permohonan/{app_id}/dokumen.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "KUTIPAN AKTA KELAHIRAN" in text and "Bima Putra" in text
    token = re.search(r"masukkan kode: (\d+\.[A-Z2-7]{24})", text).group(1)  # type: ignore[union-attr]
    screenshot(citizen, "applications-6-document-360")

    # 6. anyone tracks it with the code and the last 4 NIK digits (no login)
    public = page_at(360, 780)
    public.goto(f"{base}/lacak/permohonan/")
    assert axe_violations(public) == []
    public.get_by_label("Kode permohonan").fill(code.lower())
    public.get_by_label("4 angka terakhir NIK, atau nomor HP").fill(NIK[-4:])
    public.get_by_role("button", name="Lihat status").click()
    assert public.get_by_test_id("status").inner_text() == "Disetujui"
    body = public.content()
    assert "Halo, Siti." in body and "Aminah" not in body and NIK not in body
    assert axe_violations(public) == []
    no_overflow(public, 360)
    screenshot(public, "applications-7-tracking-360")

    # 7. the QR page says "asli"; one changed character says "tidak valid"
    public.goto(f"{base}/verifikasi/{token}/")
    assert public.get_by_test_id("verdict").inner_text() == "Dokumen asli"
    assert public.get_by_test_id("number").inner_text().startswith("474/")
    assert axe_violations(public) == []
    screenshot(public, "applications-8-verify-asli-360")
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    public.goto(f"{base}/verifikasi/{forged}/")
    assert public.get_by_test_id("verdict").inner_text() == "Tidak valid"
    assert axe_violations(public) == []
    screenshot(public, "applications-9-verify-forged-360")


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (240, 240, 240)).save(buffer, format="PNG")
    return buffer.getvalue()
