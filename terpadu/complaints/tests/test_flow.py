"""A complaint through every stage, with due dates in working days across Idul Fitri 2026.

2026 calendar facts used here (holidays 0.109, national calendar: Mon–Fri, cuti bersama closed):
18 Mar cuti bersama Nyepi, 19 Mar Nyepi, 20 Mar cuti bersama, 21–22 Mar Idul Fitri (weekend),
23–24 Mar cuti bersama Idul Fitri, 3 Apr Wafat Yesus Kristus.
"""

from __future__ import annotations

from datetime import date

import pytest

from terpadu.complaints import services
from terpadu.complaints.models import Complaint, ComplaintEvent, Escalation
from terpadu.complaints.tests.conftest import wib
from terpadu.core.models import AuditEntry, LocalDay

pytestmark = pytest.mark.django_db


def file_complaint(regions, categories, *, when, **extra):  # type: ignore[no-untyped-def]
    return services.complaint_submit(
        region=regions["banyuwangi"],
        channel=Complaint.Channel.WEB,
        text="Antrean cetak KTP-el di kecamatan tidak bergerak sejak pagi.",
        reporter=services.Reporter(name="Siti Aminah", phone="081234567890"),
        village=regions["bwi_village"],
        category=categories["adminduk"],
        client_address="10.0.0.1",
        now=when,
        **extra,
    )


def test_every_stage_with_due_dates_across_idul_fitri(regions, agencies, categories, people):
    complaint = file_complaint(regions, categories, when=wib(2026, 3, 16, 9))
    # Mon 16 Mar + 3 wd: 17 (1), 18–24 closed, 25 (2), 26 (3)
    assert complaint.verify_due == date(2026, 3, 26)
    assert complaint.status == Complaint.Status.SUBMITTED
    assert complaint.district == regions["bwi_district"]
    assert complaint.agency == agencies["a"]  # suggested by the category, not yet disposed

    services.complaint_dispose(
        user=people["supervisor"],
        complaint=complaint,
        agency=agencies["a"],
        now=wib(2026, 3, 17, 14),
    )
    complaint.refresh_from_db()
    # Tue 17 Mar + 5 wd: 25, 26, 27, 30, 31
    assert complaint.status == Complaint.Status.DISPOSED
    assert complaint.follow_up_due == date(2026, 3, 31)

    services.complaint_answer(
        user=people["agency_officer"],
        complaint=complaint,
        answer="Blangko sudah datang; pencetakan dilayani mulai besok pukul 08.00.",
        now=wib(2026, 3, 31, 15),
    )
    complaint.refresh_from_db()
    # Tue 31 Mar + 10 wd: 1, 2, (3 Good Friday), 6, 7, 8, 9, 10, 13, 14, 15
    assert complaint.status == Complaint.Status.ANSWERED
    assert complaint.confirm_due == date(2026, 4, 15)

    services.complaint_reopen(
        complaint=complaint,
        reason="Besoknya mesin cetak masih rusak, saya ditolak lagi.",
        now=wib(2026, 4, 2, 8),
    )
    complaint.refresh_from_db()
    # Thu 2 Apr + 5 wd: (3 closed) 6, 7, 8, 9, 10
    assert complaint.status == Complaint.Status.DISPOSED
    assert complaint.follow_up_due == date(2026, 4, 10)
    assert complaint.reopen_count == 1
    assert complaint.confirm_due is None

    services.complaint_answer(
        user=people["agency_head"],
        complaint=complaint,
        answer="Mesin sudah diganti; KTP-el Anda sudah dicetak dan dapat diambil.",
        now=wib(2026, 4, 9, 10),
    )
    services.complaint_confirm(complaint=complaint, now=wib(2026, 4, 10, 7))
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    assert complaint.close_reason == Complaint.CloseReason.CONFIRMED

    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "disposed", "answered", "reopened", "answered", "confirmed"]
    actions = list(
        AuditEntry.objects.filter(
            record_type="complaints.complaint", record_id=str(complaint.pk)
        ).values_list("action", flat=True)
    )
    assert actions == [
        "complaint.submit",
        "complaint.dispose",
        "complaint.answer",
        "complaint.reopen",
        "complaint.answer",
        "complaint.confirm",
    ]


def test_category_limit_and_local_decree_day(regions, agencies, categories, people):
    """A 2-day category; a Bupati's local leave day is skipped too."""
    LocalDay.objects.create(region=regions["banyuwangi"], date=date(2026, 4, 7), name="Cuti daerah")
    complaint = file_complaint(regions, categories, when=wib(2026, 4, 2, 9))
    services.complaint_dispose(
        user=people["supervisor"],
        complaint=complaint,
        agency=agencies["a"],
        category=categories["ringan"],
        now=wib(2026, 4, 6, 9),
    )
    complaint.refresh_from_db()
    # Mon 6 Apr + 2 wd: 7 closed by local decree, 8 (1), 9 (2)
    assert complaint.follow_up_due == date(2026, 4, 9)


def test_submission_on_a_holiday_counts_from_the_next_working_day(regions, categories):
    complaint = file_complaint(regions, categories, when=wib(2026, 3, 19, 20))  # Nyepi, evening
    assert complaint.verify_due == date(2026, 3, 27)
    late_night = file_complaint(regions, categories, when=wib(2026, 3, 17, 23, 30))
    # 23:30 WIB on the 17th is still the 17th locally (16:30 UTC): the domain vector 17 Mar + 3 = 27 Mar
    assert late_night.verify_due == date(2026, 3, 27)


def test_unanswered_steps_escalate_once_and_reach_the_head(
    regions, agencies, categories, people, client
):
    complaint = file_complaint(regions, categories, when=wib(2026, 3, 16, 9))
    assert services.complaints_escalate_overdue(now=wib(2026, 3, 26, 23)) == 0  # due day itself
    assert services.complaints_escalate_overdue(now=wib(2026, 3, 27, 1)) == 1
    assert services.complaints_escalate_overdue(now=wib(2026, 3, 30, 1)) == 0  # idempotent
    verification = Escalation.objects.get(complaint=complaint)
    assert verification.stage == Escalation.Stage.VERIFICATION and verification.agency is None

    services.complaint_dispose(
        user=people["supervisor"],
        complaint=complaint,
        agency=agencies["a"],
        now=wib(2026, 3, 27, 9),
    )
    verification.refresh_from_db()
    assert verification.resolved_at is not None
    complaint.refresh_from_db()
    assert complaint.follow_up_due == date(2026, 4, 6)  # 30, 31, 1, 2, (3), 6
    assert services.complaints_escalate_overdue(now=wib(2026, 4, 7, 6)) == 1
    follow_up = Escalation.objects.get(complaint=complaint, stage=Escalation.Stage.FOLLOW_UP)
    assert follow_up.agency == agencies["a"]
    assert AuditEntry.objects.filter(action="complaint.escalate").count() == 2
    assert complaint.events.filter(kind=ComplaintEvent.Kind.ESCALATED).count() == 2

    client.force_login(people["agency_head"])
    home = client.get("/beranda/", HTTP_HOST="127.0.0.1").content.decode()
    assert "Eskalasi pengaduan terlambat" in home and complaint.public_ref in home
    client.force_login(people["agency_officer"])
    home = client.get("/beranda/", HTTP_HOST="127.0.0.1").content.decode()
    assert "Eskalasi pengaduan terlambat" not in home  # the head's card, not the officer's
    # the public sees the step as overdue
    public = client.get("/pengaduan/", HTTP_HOST="127.0.0.1").content.decode()
    assert "Terlambat" in public


def test_auto_close_ten_working_days_after_the_answer(regions, agencies, categories, people):
    complaint = file_complaint(regions, categories, when=wib(2026, 3, 16, 9))
    services.complaint_dispose(
        user=people["supervisor"],
        complaint=complaint,
        agency=agencies["a"],
        now=wib(2026, 3, 17, 9),
    )
    services.complaint_answer(
        user=people["agency_officer"],
        complaint=complaint,
        answer="Sudah kami tindak lanjuti di kantor kecamatan.",
        now=wib(2026, 3, 31, 15),
    )
    assert services.complaints_sla_run(now=wib(2026, 4, 15, 23)) == {
        "escalated": 0,
        "auto_closed": 0,
    }
    assert services.complaints_sla_run(now=wib(2026, 4, 16, 0, 5)) == {
        "escalated": 0,
        "auto_closed": 1,
    }
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    assert complaint.close_reason == Complaint.CloseReason.AUTO
    assert services.complaints_auto_close(now=wib(2026, 4, 20)) == 0
    with pytest.raises(services.DomainError):
        services.complaint_reopen(complaint=complaint, reason="Terlambat tapi saya mau buka lagi.")


def test_merge_duplicates(regions, agencies, categories, people):
    first = file_complaint(regions, categories, when=wib(2026, 5, 4, 9))
    second = file_complaint(regions, categories, when=wib(2026, 5, 4, 10))
    with pytest.raises(services.NotFound):
        services.complaint_merge(user=people["agency_officer"], complaint=second, into=first)
    services.complaint_merge(user=people["supervisor"], complaint=second, into=first)
    second.refresh_from_db()
    assert second.status == Complaint.Status.MERGED and second.merged_into == first
    with pytest.raises(services.DomainError):
        services.complaint_merge(user=people["supervisor"], complaint=first, into=second)


def test_wrong_role_and_wrong_state_are_refused(regions, agencies, categories, people):
    complaint = file_complaint(regions, categories, when=wib(2026, 5, 4, 9))
    with pytest.raises(services.NotFound):
        services.complaint_dispose(
            user=people["agency_head"], complaint=complaint, agency=agencies["a"]
        )
    with pytest.raises(services.DomainError) as exc:
        services.complaint_answer(user=people["supervisor"], complaint=complaint, answer="x" * 20)
    assert exc.value.code == "wrong_status"
    with pytest.raises(services.DomainError):
        services.complaint_dispose(
            user=people["supervisor"], complaint=complaint, agency=agencies["jember"]
        )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.SUBMITTED


def test_messages_go_through_the_outbox_without_personal_data_to_the_head(
    regions, agencies, categories, people
):
    from terpadu.notifications.models import Outbox

    head = people["agency_head"]
    head.email = "kepala@dukcapil.example.org"
    head.save(update_fields=["email"])
    complaint = file_complaint(regions, categories, when=wib(2026, 3, 16, 9), is_anonymous=True)
    received = Outbox.objects.get(template="complaints/received")
    assert received.channel == "sms" and received.recipient == "+6281234567890"
    assert complaint.tracking_code in received.body and "26 Maret 2026" in received.body

    services.complaint_dispose(
        user=people["supervisor"],
        complaint=complaint,
        agency=agencies["a"],
        now=wib(2026, 3, 17, 9),
    )
    services.complaints_escalate_overdue(now=wib(2026, 4, 2, 8))
    services.complaints_escalate_overdue(now=wib(2026, 4, 3, 8))  # no second message
    escalation = Outbox.objects.get(template="complaints/escalation")
    assert escalation.recipient == "kepala@dukcapil.example.org"
    assert complaint.public_ref in escalation.subject
    for secret in ("Siti Aminah", "081234567890", "Antrean cetak", complaint.tracking_code):
        assert secret not in escalation.body and secret not in escalation.subject

    services.complaint_answer(
        user=people["agency_officer"],
        complaint=complaint,
        answer="Sudah kami cetak, silakan ambil di loket 3.",
        now=wib(2026, 4, 6, 10),
    )
    answered = Outbox.objects.get(template="complaints/answered")
    assert answered.recipient == "+6281234567890" and "Dinas Kependudukan" in answered.body
