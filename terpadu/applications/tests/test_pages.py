"""HTML pages beyond the browser path: counter filing linked to a queue ticket, home cards,
the worklist, revocation, and the correction form keeping what is already there."""

from __future__ import annotations

import pytest

from terpadu.accounts.home import cards_for
from terpadu.applications.models import Application, IssuedDocument
from terpadu.applications.services import application_transition, applications_escalate
from terpadu.applications.tests.conftest import jpeg_bytes, pdf_bytes, upload
from terpadu.applications.views import document_verification

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def test_front_desk_files_at_the_counter_for_todays_ticket(client, akta, people):
    from terpadu.catalog.models import CounterGroup, Hall
    from terpadu.queueing.services import ticket_issue

    hall = Hall.objects.create(region=akta.region, code="mpp", name="MPP Banyuwangi")
    group = CounterGroup.objects.create(hall=hall, letter="A", name="Dukcapil", agency=akta.agency)
    ticket = ticket_issue(
        actor=people["front_desk"], hall=hall, group_id=group.pk, source="front_desk"
    )
    client.force_login(people["front_desk"])
    page = client.get("/kantor/permohonan/baru/akta-kelahiran/", **HOST)
    assert "Dokumen asli sudah diperiksa di loket" in page.content.decode()
    response = client.post(
        "/kantor/permohonan/baru/akta-kelahiran/",
        {
            "ticket": f"a-{ticket.number:03d}",
            "applicant_name": "Slamet Riyadi",
            "applicant_nik": "3510010101800001",
            "applicant_phone": "0813 1111 2222",
            "notify_channel": "sms",
            "x_child_name": "Ayu",
            "x_birth_date": "2026-02-20",
            "x_birth_place": "Rogojampi",
            "doc_0": upload("sk.pdf", pdf_bytes()),
            "check_1": "on",
        },
        **HOST,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get()
    assert application.ticket_id == ticket.id and application.channel == "counter"
    assert response["Location"] == f"/kantor/permohonan/{application.pk}/?baru=1"
    receipt = client.get(response["Location"], **HOST).content.decode()
    assert application.display_code in receipt and f"A-{ticket.number:03d}" in receipt
    # an unknown ticket is a field error, and nothing is saved
    bad = client.post(
        "/kantor/permohonan/baru/akta-kelahiran/",
        {"ticket": "Z-999", "applicant_name": "X", "applicant_nik": "3510010101800001"},
        **HOST,
    )
    assert bad.status_code == 400
    assert "Tiket antrean hari ini tidak ditemukan." in bad.content.decode()
    assert Application.objects.count() == 1


def test_home_cards_for_citizen_officer_and_head(submitted, people, citizen):
    titles = [c.title for c in cards_for(citizen)]
    assert "Permohonan saya" in titles
    officer_card = next(
        c for c in cards_for(people["agency_officer"]) if c.title == "Daftar kerja permohonan"
    )
    assert "1 terbuka" in officer_card.body and "1 belum ditugaskan" in officer_card.body
    applications_escalate(now=submitted.step_due_at.replace(year=submitted.step_due_at.year + 1))
    head_titles = [c.title for c in cards_for(people["agency_head"])]
    assert "Eskalasi permohonan terlambat" in head_titles
    assert "Eskalasi permohonan terlambat" not in [c.title for c in cards_for(citizen)]


def test_worklist_sorted_by_due_and_filtered(client, submitted, people, akta, citizen):
    from terpadu.applications.services import application_apply
    from terpadu.applications.tests.conftest import AKTA_DATA, applicant, full_files

    second = application_apply(
        actor=citizen,
        service=akta,
        applicant=applicant(),
        data=AKTA_DATA,
        files=full_files(),
        submit=True,
    )
    application_transition(actor=people["agency_officer"], application=second, action="verify")
    client.force_login(people["agency_officer"])
    html = client.get("/kantor/permohonan/", **HOST).content.decode()
    assert html.index(submitted.display_code) < html.index(second.display_code)
    mine = client.get("/kantor/permohonan/?milik=saya", **HOST).content.decode()
    assert second.display_code in mine and submitted.display_code not in mine


def test_head_revokes_a_document_from_the_office_page(client, submitted, people):
    for action in ("verify", "accept", "approve"):
        application_transition(actor=people["agency_officer"], application=submitted, action=action)
    document = IssuedDocument.objects.get(application=submitted)
    client.force_login(people["agency_officer"])
    assert (
        "Cabut dokumen"
        not in client.get(f"/kantor/permohonan/{submitted.pk}/", **HOST).content.decode()
    )
    client.force_login(people["agency_head"])
    response = client.post(
        f"/kantor/permohonan/{submitted.pk}/cabut/", {"reason": "Salah tulis nama"}, **HOST
    )
    assert response.status_code == 302
    from terpadu.applications.codes import document_token

    result = document_verification(document_token(document.pk, document.number))
    assert result["revoked"] is True


def test_draft_page_lets_the_citizen_finish_and_submit(client, akta, citizen):
    from terpadu.applications.services import application_apply
    from terpadu.applications.tests.conftest import applicant

    draft = application_apply(
        actor=citizen,
        service=akta,
        applicant=applicant(),
        data={"child_name": "Bima"},
        files={0: upload("sk.pdf", pdf_bytes())},
    )
    client.force_login(citizen)
    page = client.get(f"/permohonan/{draft.pk}/", **HOST).content.decode()
    assert "Sudah diunggah" in page and "berkas PDF" in page
    response = client.post(
        f"/permohonan/{draft.pk}/kirim/",
        {
            "x_child_name": "Bima",
            "x_birth_date": "2026-03-02",
            "x_birth_place": "Genteng",
            "doc_1": upload("kk.jpg", jpeg_bytes(), "image/jpeg"),
            "submit": "1",
        },
        **HOST,
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "diajukan"
