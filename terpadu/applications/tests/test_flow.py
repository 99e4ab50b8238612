"""The whole path through the services: verify, correction (clock paused), approve with a PDF,
complete with the SKM survey link; audit, outbox and back-office webhook on every step."""

from __future__ import annotations

import io

import pytest
from django.core import signing
from django.db import transaction
from pypdf import PdfReader

from terpadu.applications import codes
from terpadu.applications.documents import verify_url
from terpadu.applications.models import AgencyBackOffice, ApplicationEvent, IssuedDocument
from terpadu.applications.services import (
    application_assign,
    application_transition,
    applications_escalate,
    document_revoke,
)
from terpadu.applications.tests.conftest import WIB, jpeg_bytes, upload
from terpadu.applications.views import document_verification
from terpadu.core.audit import verify_chain
from terpadu.core.errors import DomainError
from terpadu.core.models import AuditEntry
from terpadu.notifications.models import Outbox, WebhookEndpoint
from tests.qr import qr_payloads

pytestmark = pytest.mark.django_db


def step(actor, app, action, reason="", **kw):  # type: ignore[no-untyped-def]
    return application_transition(actor=actor, application=app, action=action, reason=reason, **kw)


def test_whole_path_with_correction_document_and_survey(submitted, people, citizen, upload_dir):
    officer = people["agency_officer"]
    endpoint = WebhookEndpoint.objects.create(
        key="siak-bwi", url="http://127.0.0.1:9/hook", secret="rahasia"
    )
    AgencyBackOffice.objects.create(agency=submitted.agency, endpoint=endpoint)
    app = step(officer, submitted, "verify")
    assert app.assigned_to == officer  # taking a step takes the application
    with pytest.raises(DomainError) as exc:
        step(officer, app, "request_fix")
    assert exc.value.errors[0].field == "reason"
    due_before = app.due_at
    app = step(officer, app, "request_fix", "Foto KK buram, unggah ulang yang jelas.")
    assert app.status == "perbaikan" and app.due_at is None and app.paused_since is not None
    old_kk = app.files.get(requirement=1, is_current=True)
    app = step(citizen, app, "resubmit", files={1: upload("kk2.jpg", jpeg_bytes(), "image/jpeg")})
    assert app.status == "verifikasi" and app.due_at is not None and app.due_at >= due_before
    assert len(app.pauses) == 1
    old_kk.refresh_from_db()
    assert not old_kk.is_current
    app = step(officer, app, "accept")
    app = step(officer, app, "approve")
    assert app.status == "disetujui" and app.decided_at is not None
    document = IssuedDocument.objects.get(application=app)
    assert document.number == f"474/00001/DUKCAPIL/{document.issued_at.astimezone(WIB).year}"
    pdf = (upload_dir / document.file.name).read_bytes()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert document.number in text and "Bima Putra" in text
    token = codes.document_token(document.pk, document.number)
    assert token in text  # printed under the QR code
    # the QR code, read from the printed page, is the verification address of that token
    assert qr_payloads(pdf) == [verify_url(token)]
    assert document_verification(token)["valid"] is True
    app = step(officer, app, "complete")
    assert app.status == "selesai" and app.completed_at is not None and app.step_due_at is None
    # timeline, audit and outbox
    actions = list(
        ApplicationEvent.objects.filter(application=app).values_list("action", flat=True)
    )
    assert actions == [
        "submit",
        "verify",
        "request_fix",
        "resubmit",
        "accept",
        "approve",
        "complete",
    ]
    audited = set(AuditEntry.objects.filter(record_id=str(app.pk)).values_list("action", flat=True))
    assert {"application.submit", "application.request_fix", "application.approve"} <= audited
    assert verify_chain().ok
    hooks = Outbox.objects.filter(channel="webhook", recipient="siak-bwi")
    assert hooks.count() == 6  # every transition after the hook was configured
    survey = Outbox.objects.get(idempotency_key=f"app-{app.pk}-survey")
    url = survey.body.split("https://terpadu.example", 1)[1].split()[0]
    signed = url.split("ref=", 1)[1]
    from urllib.parse import unquote

    assert signing.Signer(salt="terpadu.surveys.visit").unsign(unquote(signed)) == app.code
    fix_msg = Outbox.objects.get(template="applications/status", body__contains="buram")
    assert fix_msg.recipient == "siti@example.org"


def test_forged_or_altered_tokens_and_revocation(submitted, people):
    officer, head = people["agency_officer"], people["agency_head"]
    for action in ("verify", "accept", "approve"):
        step(officer, submitted, action)
    document = IssuedDocument.objects.get(application=submitted)
    token = codes.document_token(document.pk, document.number)
    last = token[-1]
    altered = token[:-1] + ("A" if last != "A" else "B")
    assert document_verification(altered) == {"valid": False, "revoked": False}
    assert (
        document_verification(f"{document.pk + 1}{token[len(str(document.pk)) :]}")["valid"]
        is False
    )
    assert document_verification("not-a-token")["valid"] is False
    with pytest.raises(DomainError):
        document_revoke(actor=officer, document=document, reason="salah data")
    document_revoke(actor=head, document=document, reason="Salah tulis tanggal lahir")
    result = document_verification(token)
    assert result["valid"] is False and result["revoked"] is True


def test_nothing_leaves_the_outbox_when_the_change_rolls_back(submitted, people):
    before = Outbox.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        step(people["agency_officer"], submitted, "verify")
        raise RuntimeError("the request failed later")
    submitted.refresh_from_db()
    assert submitted.status == "diajukan"
    assert Outbox.objects.count() == before


def test_only_the_right_people_take_each_step(submitted, people, citizen):
    with pytest.raises(DomainError) as exc:
        step(citizen, submitted, "verify")
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        step(people["supervisor"], submitted, "verify")
    assert exc.value.status == 404
    with pytest.raises(DomainError) as exc:
        step(people["agency_officer"], submitted, "approve")
    assert exc.value.status == 409


def test_assignment_rules(submitted, people):
    from terpadu.core.testing import UserFactory

    other = UserFactory(
        username="petugas2", role="agency_officer", region=submitted.region, agency=submitted.agency
    )
    officer, head = people["agency_officer"], people["agency_head"]
    with pytest.raises(DomainError):
        application_assign(actor=officer, application=submitted, officer=other)
    application_assign(actor=officer, application=submitted, officer=officer)
    application_assign(actor=head, application=submitted, officer=other)
    submitted.refresh_from_db()
    assert submitted.assigned_to == other


def test_overdue_steps_escalate_once_to_the_head(submitted, people):
    from datetime import timedelta

    head = people["agency_head"]
    head.email = "kepala@example.org"
    head.save()
    later = submitted.step_due_at + timedelta(minutes=1)
    assert applications_escalate(now=later) == 1
    assert applications_escalate(now=later + timedelta(hours=1)) == 0
    submitted.refresh_from_db()
    assert submitted.escalated_at == later
    mail = Outbox.objects.get(template="applications/escalation")
    assert mail.recipient == "kepala@example.org" and submitted.display_code in mail.subject
    # the next step clears the escalation
    step(people["agency_officer"], submitted, "verify")
    submitted.refresh_from_db()
    assert submitted.escalated_at is None


def test_waiting_for_the_citizen_is_neither_late_nor_escalated(submitted, people):
    from datetime import timedelta

    officer = people["agency_officer"]
    step(officer, submitted, "verify")
    app = step(officer, submitted, "request_fix", "Lengkapi KK")
    assert app.step_due_at is None and app.due_at is None and app.decided_at is None
    assert applications_escalate(now=app.updated_at + timedelta(days=60)) == 0
