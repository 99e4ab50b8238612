"""Intake: the form from the published version, drafts, all-or-nothing submission, bad uploads."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from terpadu.applications.models import Application, ApplicationFile
from terpadu.applications.services import application_apply, application_update_draft
from terpadu.applications.tests.conftest import (
    AKTA_DATA,
    applicant,
    full_files,
    jpeg_bytes,
    pdf_bytes,
    stored_files,
    upload,
)
from terpadu.core.errors import DomainError
from terpadu.notifications.models import Outbox

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def client_for(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def test_the_form_is_generated_from_the_published_version(client, akta, citizen):
    response = client_for(client, citizen).get(
        "/permohonan/baru/akta-kelahiran/", HTTP_HOST="127.0.0.1"
    )
    html = response.content.decode()
    assert response.status_code == 200
    for label in (
        "Nama anak",
        "Tanggal lahir anak",
        "Surat keterangan kelahiran",
        "Kartu Keluarga",
    ):
        assert label in html
    assert 'type="date"' in html
    assert 'accept="application/pdf,image/jpeg,image/png"' in html
    assert "Opsional." in html  # "Surat kuasa ... bila dikuasakan"
    assert 'value="Siti Aminah"' in html  # prefilled from the account


def test_online_submission_stores_clean_files_and_queues_a_receipt(akta, citizen, upload_dir):
    application = application_apply(
        actor=citizen,
        service=akta,
        applicant=applicant(),
        data=AKTA_DATA,
        files=full_files(),
        submit=True,
    )
    assert application.status == "diajukan"
    assert application.channel == "online"
    assert len(application.code) == 10
    assert application.due_at is not None and application.step_due_at is not None
    files = list(application.files.order_by("requirement"))
    assert [f.content_type for f in files] == ["application/pdf", "image/jpeg"]
    # the JPEG was re-encoded: the camera's EXIF is gone
    with Image.open(upload_dir / files[1].file.name) as image:
        assert not image.getexif()
    receipt = Outbox.objects.get(idempotency_key__endswith="-citizen")
    assert receipt.channel == "email" and receipt.recipient == "siti@example.org"
    assert application.display_code in receipt.subject
    assert "Bima" not in receipt.body and "Siti" in receipt.body


@pytest.mark.parametrize(
    ("files", "field", "fragment"),
    [
        ({0: upload("virus.pdf", EXE), 1: upload("kk.pdf", pdf_bytes())}, "files.0", "PDF, JPEG"),
        (
            {0: upload("sk.pdf", pdf_bytes()), 1: upload("kk.png", b"\x89PNG\r\n\x1a\nbroken")},
            "files.1",
            "rusak",
        ),
        ({0: upload("sk.pdf", pdf_bytes())}, "files.1", "Unggah berkas: Kartu Keluarga"),
    ],
)
def test_bad_uploads_and_missing_documents_save_nothing(
    akta, citizen, upload_dir, files, field, fragment
):
    with pytest.raises(DomainError) as exc:
        application_apply(
            actor=citizen,
            service=akta,
            applicant=applicant(),
            data=AKTA_DATA,
            files=files,
            submit=True,
        )
    assert any(e.field == field and fragment in e.message for e in exc.value.errors)
    assert Application.objects.count() == 0
    assert ApplicationFile.objects.count() == 0
    assert Outbox.objects.count() == 0
    assert stored_files(upload_dir) == []


def test_extra_fields_are_validated_by_type(akta, citizen):
    with pytest.raises(DomainError) as exc:
        application_apply(
            actor=citizen,
            service=akta,
            applicant=applicant(nik="123"),
            data={"child_name": "", "birth_date": "31-02-2026"},
            files=full_files(),
            submit=True,
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {"applicant_nik", "data.child_name", "data.birth_date", "data.birth_place"}


def test_a_draft_is_saved_incomplete_and_submitted_later(akta, citizen):
    draft = application_apply(
        actor=citizen,
        service=akta,
        applicant=applicant(),
        data={"child_name": "Bima"},
        files={0: upload("sk.pdf", pdf_bytes())},
    )
    assert draft.status == "draf" and draft.submitted_at is None
    with pytest.raises(DomainError):
        application_update_draft(actor=citizen, application=draft, submit=True)
    draft.refresh_from_db()
    assert draft.status == "draf"
    application_update_draft(
        actor=citizen,
        application=draft,
        data={"birth_date": "2026-03-02", "birth_place": "Genteng"},
        files={1: upload("kk.jpg", jpeg_bytes(), "image/jpeg")},
        submit=True,
    )
    draft.refresh_from_db()
    assert draft.status == "diajukan"
    assert draft.data == {
        "child_name": "Bima",
        "birth_date": "2026-03-02",
        "birth_place": "Genteng",
    }


def test_services_not_online_are_refused_for_citizens(akta, citizen):
    akta.online_available = False
    with pytest.raises(DomainError) as exc:
        application_apply(
            actor=citizen, service=akta, applicant=applicant(), data=AKTA_DATA, submit=False
        )
    assert exc.value.code == "not_online"


def test_counter_filing_links_the_ticket_and_accepts_checked_originals(akta, people):
    application = application_apply(
        actor=people["front_desk"],
        service=akta,
        applicant=applicant(notify_channel="whatsapp"),
        data=AKTA_DATA,
        files={0: upload("sk.pdf", pdf_bytes())},
        checked=[1],
        submit=True,
    )
    assert application.channel == "counter" and application.filed_by == people["front_desk"]
    assert application.applicant is None
    msg = Outbox.objects.get()
    assert msg.channel == "whatsapp" and msg.recipient == "+6281234567890"


def test_http_upload_of_an_executable_gives_a_field_message(client, akta, citizen, upload_dir):
    client.force_login(citizen)
    response = client.post(
        "/permohonan/baru/akta-kelahiran/",
        {
            "applicant_name": "Siti Aminah",
            "applicant_nik": "3510014508900001",
            "notify_channel": "none",
            "x_child_name": "Bima",
            "x_birth_date": "2026-03-02",
            "x_birth_place": "Banyuwangi",
            "doc_0": upload("akta.pdf", EXE),
            "doc_1": upload("kk.pdf", pdf_bytes()),
            "submit": "1",
        },
        HTTP_HOST="127.0.0.1",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hanya berkas PDF, JPEG, atau PNG" in html
    assert 'id="id_doc_0_error"' in html or "id_doc_0" in html
    assert Application.objects.count() == 0 and stored_files(upload_dir) == []


def test_http_upload_of_50_mb_is_refused_per_field_without_storing(
    client, akta, citizen, upload_dir
):
    client.force_login(citizen)
    big = io.BytesIO(b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    big.name = "besar.pdf"
    response = client.post(
        "/permohonan/baru/akta-kelahiran/",
        {
            "applicant_name": "Siti Aminah",
            "applicant_nik": "3510014508900001",
            "notify_channel": "none",
            "x_child_name": "Bima",
            "x_birth_date": "2026-03-02",
            "x_birth_place": "Banyuwangi",
            "doc_0": big,
            "doc_1": upload("kk.pdf", pdf_bytes()),
            "submit": "1",
        },
        HTTP_HOST="127.0.0.1",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Berkas terlalu besar: paling besar 10 MB per berkas." in html
    assert Application.objects.count() == 0 and stored_files(upload_dir) == []
